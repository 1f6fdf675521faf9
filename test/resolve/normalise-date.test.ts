import { describe, expect, it } from "vitest";
import {
  calendarDate,
  dayNumber,
  parseBirthDate,
  parseDateText,
  sameDate,
  swappedDayMonth,
  yearTypo,
} from "../../src/resolve/normalise/date.js";
import type { BirthDate } from "../../src/resolve/normalised-record.js";

const d = (year: number, month: number, day: number): BirthDate => ({ year, month, day });

describe("parseDateText", () => {
  it.each<[string, BirthDate | null]>([
    ["1985-03-12", d(1985, 3, 12)],
    ["1985-03-12T00:00:00", d(1985, 3, 12)],
    ["1985-03-12T00:00:00.000Z", d(1985, 3, 12)],
    ["1985/03/12", d(1985, 3, 12)],
    ["1985.3.12", d(1985, 3, 12)],
    ["19850312", d(1985, 3, 12)],
    ["03/12/1985", d(1985, 3, 12)],
    ["3/12/1985", d(1985, 3, 12)],
    ["3/12/1985 12:00:00 AM", d(1985, 3, 12)],
    // A first number above 12 can only be the day.
    ["25/12/1985", d(1985, 12, 25)],
    ["12.03.1985", d(1985, 3, 12)],
    ["12-03-1985", d(1985, 12, 3)],
    ["03/12/85", d(1985, 3, 12)],
    ["03/12/29", d(2029, 3, 12)],
    ["03/12/30", d(1930, 3, 12)],
    ["12 Mar 1985", d(1985, 3, 12)],
    ["March 12, 1985", d(1985, 3, 12)],
    ["12-MAR-85", d(1985, 3, 12)],
    ["1985 Mar 12", d(1985, 3, 12)],
    ["12 de marzo de 1985".replace(/ de /g, " "), d(1985, 3, 12)],
    ["12 ENE 1985", d(1985, 1, 12)],
    ["850312", d(1985, 3, 12)],
    ["12031985", d(1985, 12, 3)],
    ["29/02/2000", d(2000, 2, 29)],
    // Not dates.
    ["29/02/1900", null],
    ["1985-02-30", null],
    ["1985-13-01", null],
    ["31/31/1985", null],
    ["0000-00-00", null],
    ["1700-01-01", null],
    ["unknown", null],
    ["12 Foo 1985", null],
    ["", null],
  ])("%j → %j", (text, expected) => {
    expect(parseDateText(text)).toEqual(expected);
  });

  it("reads ambiguous dates day first when asked", () => {
    expect(parseDateText("03/12/1985", { dayFirst: true })).toEqual(d(1985, 12, 3));
    expect(parseDateText("25/12/1985", { dayFirst: true })).toEqual(d(1985, 12, 25));
    expect(parseDateText("12031985", { dayFirst: true })).toEqual(d(1985, 3, 12));
  });

  it("takes the two-digit year pivot as an option", () => {
    expect(parseDateText("03/12/25", { pivot: 20 })).toEqual(d(1925, 3, 12));
  });
});

describe("parseBirthDate", () => {
  it("prefers the store's ISO date, else parses the raw text", () => {
    expect(parseBirthDate("1985-03-12", "12/03/1985")).toEqual(d(1985, 3, 12));
    expect(parseBirthDate(null, "12.03.1985")).toEqual(d(1985, 3, 12));
    expect(parseBirthDate("", "1985-03-12")).toEqual(d(1985, 3, 12));
    expect(parseBirthDate("not a date", "1985-03-12")).toEqual(d(1985, 3, 12));
    expect(parseBirthDate(null, null)).toBeNull();
  });
});

describe("comparison helpers", () => {
  it.each<[BirthDate, BirthDate, boolean]>([
    [d(1990, 3, 5), d(1990, 5, 3), true],
    [d(1990, 12, 1), d(1990, 1, 12), true],
    [d(1990, 3, 3), d(1990, 3, 3), false],
    [d(1990, 3, 5), d(1990, 3, 5), false],
    [d(1990, 3, 5), d(1991, 5, 3), false],
    [d(1990, 3, 5), d(1990, 5, 4), false],
  ])("swappedDayMonth(%j, %j) = %s", (a, b, expected) => {
    expect(swappedDayMonth(a, b)).toBe(expected);
    expect(swappedDayMonth(b, a)).toBe(expected);
  });

  it.each<[BirthDate, BirthDate, boolean]>([
    [d(1987, 6, 1), d(1978, 6, 1), true], // transposition
    [d(1987, 6, 1), d(1988, 6, 1), true],
    [d(1987, 6, 1), d(1977, 6, 1), true],
    [d(1987, 6, 1), d(2987, 6, 1), true],
    [d(1987, 6, 1), d(1897, 6, 1), true], // 9 and 8 swapped
    [d(1987, 6, 1), d(1987, 6, 1), false],
    [d(1987, 6, 1), d(1975, 6, 1), false],
    [d(1987, 6, 1), d(1789, 6, 1), false],
    [d(1987, 6, 1), d(1988, 6, 2), false],
  ])("yearTypo(%j, %j) = %s", (a, b, expected) => {
    expect(yearTypo(a, b)).toBe(expected);
    expect(yearTypo(b, a)).toBe(expected);
  });

  it("counts days between dates and checks calendar dates", () => {
    expect(dayNumber(d(1970, 1, 1))).toBe(0);
    expect(dayNumber(d(2000, 3, 1)) - dayNumber(d(2000, 2, 28))).toBe(2);
    expect(dayNumber(d(1969, 12, 31))).toBe(-1);
    expect(sameDate(d(2000, 1, 2), d(2000, 1, 2))).toBe(true);
    expect(calendarDate(2001, 2, 29)).toBeNull();
    expect(calendarDate(2004, 2, 29)).toEqual(d(2004, 2, 29));
  });
});
