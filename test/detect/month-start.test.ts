import { describe, expect, it } from "vitest";
import { MONTH_DAYS, monthStartShare, onMonthStart, recurrenceUnseen } from "../../src/detect/month-start.js";

const at = (iso: string) => Date.parse(iso);

describe("month start: rent and dues fall due on the first days of the month", () => {
  it("the first dueDays days of a month, by UTC date, whatever the month", () => {
    expect(onMonthStart(at("2022-09-01T00:00:00Z"), 5)).toBe(true);
    expect(onMonthStart(at("2022-09-05T23:59:00Z"), 5)).toBe(true);
    expect(onMonthStart(at("2022-09-06T00:00:00Z"), 5)).toBe(false);
    expect(onMonthStart(at("2024-02-03T12:00:00Z"), 5)).toBe(true);
    expect(onMonthStart(at("2022-09-30T12:00:00Z"), 5)).toBe(false);
    expect(onMonthStart(at("2022-09-01T12:00:00Z"), 0)).toBe(false);
  });

  it("the share of edges paid then", () => {
    const time = new Float64Array(
      ["2022-09-01", "2022-09-03", "2022-09-12", "2022-10-02"].map((d) => at(`${d}T10:00:00Z`)),
    );
    expect(monthStartShare(time, [0, 1, 2, 3], 5)).toBe(0.75);
    expect(monthStartShare(time, [2], 5)).toBe(0);
    expect(monthStartShare(time, [], 5)).toBe(0);
    expect(monthStartShare(time, [0, 1], 0)).toBe(0);
  });

  it("whether the data is too short around a stretch to show a monthly payer paying again", () => {
    const day = 86_400_000;
    expect(MONTH_DAYS).toBe(31);
    // 18 days of data: nothing can recur.
    expect(recurrenceUnseen(0, 18 * day, 2 * day, 5 * day)).toBe(true);
    // 31 days after the stretch (or before it) is enough; 30 is not.
    expect(recurrenceUnseen(0, 36 * day, 2 * day, 5 * day)).toBe(false);
    expect(recurrenceUnseen(0, 35 * day, 2 * day, 5 * day)).toBe(true);
    expect(recurrenceUnseen(0, 40 * day, 31 * day, 35 * day)).toBe(false);
    expect(recurrenceUnseen(0, 40 * day, 30 * day, 35 * day)).toBe(true);
  });
});
