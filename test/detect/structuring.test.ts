import { describe, expect, it } from "vitest";
import { businessDay, businessDaysBetween } from "../../src/detect/business-day.js";
import { DETECTION_FIELDS, type Finding } from "../../src/detect/detector.js";
import { structuring } from "../../src/detect/detectors/structuring.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { Channel } from "../../src/model/channel.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";

type Params = Parameters<typeof structuring.params.parse>[0];

// Day 0 (1970-01-01) was a Thursday. One week, Monday 1970-01-05 (day 4) to Sunday (day 10);
// the next is + WEEK.
const MON = 4;
const TUE = 5;
const WED = 6;
const THU = 7;
const FRI = 8;
const SAT = 9;
const SUN = 10;
const WEEK = 7;

const CASH = Channel.options.indexOf("cash");
const ACH = Channel.options.indexOf("ach");
const WIRE = Channel.options.indexOf("wire");
const CARD = Channel.options.indexOf("card");

function run(rows: readonly Row[], params: Params = {}): { g: MoneyGraph; findings: Finding[] } {
  const graph = graphOf(rows);
  const findings = structuring.run(
    { graph, available: new Set(DETECTION_FIELDS) },
    structuring.params.parse(params),
  );
  return { g: graph, findings };
}

/** A finding's subjects as [account name, role]. */
const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);

/** Cash deposits into A: [day, amount] pairs in time order. */
const deposits = (...pairs: [number, number][]): Row[] =>
  pairs.map(([day, amount]) => ["", "A", day, amount]);

describe("business days", () => {
  it("Saturday and Sunday count as the Monday after; weekdays as themselves", () => {
    expect(CASH).toBe(0);
    expect(businessDay(0)).toBe(0);
    expect([THU, FRI, SAT, SUN, MON + WEEK].map((d) => businessDay(d * DAY + 3_600_000))).toEqual([
      THU,
      FRI,
      MON + WEEK,
      MON + WEEK,
      MON + WEEK,
    ]);
    // Thursday to the Tuesday after: Friday, Monday, Tuesday.
    expect(businessDaysBetween(THU, TUE + WEEK)).toBe(3);
    expect(businessDaysBetween(MON, MON)).toBe(0);
  });
});

describe("structuring S1", () => {
  it("fires on two cash deposits of 9,500 and 9,000 on Monday and Tuesday: account, edges, window, total, reasons", () => {
    const rows: Row[] = [
      ["", "A", MON, 9500],
      ["B", "A", MON, 20_000, WIRE], // not cash: neither in the run nor in A's usual
      ["", "A", TUE, 9000],
      ["", "B", TUE, 9000], // B's one deposit: alone, no run
    ];
    const { g, findings } = run(rows);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("structuring");
    expect(subjects(g, f)).toEqual([["A", "beneficiary"]]);
    expect(f.edges).toEqual([0, 2]);
    expect(f.window).toEqual({ from: MON * DAY, to: TUE * DAY });
    expect(f.amountUsd).toBe(18_500);
    expect(f.reasons).toEqual([
      "2 cash deposits into A, each at most 10,000 USD and at least 8,000, together 18,500 USD, within 3 business day(s) (S1)",
      "the account has no other cash transactions",
      "the currency transaction report is due for cash of more than 10,000 USD in one business day (31 CFR 1010.311, 1010.313)",
    ]);
    expect(f.sarActivities).toEqual(["114"]);
    expect(f.score).toBeGreaterThan(0);
    expect(f.score).toBeLessThanOrEqual(1);
  });

  it("cash withdrawals: the account is the originator", () => {
    const { g, findings } = run([
      ["A", "", MON, 9500],
      ["A", "", WED, 9800],
    ]);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding)).toEqual([["A", "originator"]]);
    expect(findings[0]?.edges).toEqual([0, 1]);
    expect(findings[0]?.amountUsd).toBe(19_300);
    expect(findings[0]?.reasons[0]).toBe(
      "2 cash withdrawals from A, each at most 10,000 USD and at least 8,000, together 19,300 USD, within 3 business day(s) (S1)",
    );
  });

  it("AMLworld cash self-transfers: a third side, the account a member", () => {
    const { g, findings } = run([
      ["A", "A", MON, 9900],
      ["A", "A", MON, 9900],
      ["A", "A", TUE, 9900],
    ]);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding)).toEqual([["A", "member"]]);
    expect(findings[0]?.edges).toEqual([0, 1, 2]);
    expect(findings[0]?.amountUsd).toBe(29_700);
    expect(findings[0]?.reasons[0]).toBe(
      "3 cash transactions of A, each at most 10,000 USD and at least 8,000, together 29,700 USD, within 3 business day(s) (S1)",
    );
  });

  it("reports the largest run of an account, once", () => {
    // Two on Monday and Tuesday; three the next Wednesday to Friday.
    const { findings } = run(
      deposits([MON, 9000], [TUE, 9000], [WED + WEEK, 9000], [THU + WEEK, 9000], [FRI + WEEK, 9000]),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.edges).toEqual([2, 3, 4]);
    expect(findings[0]?.window).toEqual({ from: (WED + WEEK) * DAY, to: (FRI + WEEK) * DAY });
    expect(findings[0]?.amountUsd).toBe(27_000);
  });

  it("hard negative: the same amounts by ACH, wire or card are not cash; in cash they fire on every side", () => {
    const rows = (channel: number): Row[] => [
      ["", "A", MON, 9500, channel],
      ["B", "", MON, 9500, channel],
      ["C", "C", MON, 9500, channel],
      ["", "A", TUE, 9500, channel],
      ["B", "", TUE, 9500, channel],
      ["C", "C", TUE, 9500, channel],
    ];
    for (const channel of [ACH, WIRE, CARD]) expect(run(rows(channel)).findings, String(channel)).toEqual([]);
    const { g, findings } = run(rows(CASH));
    expect(findings.map((f) => [subjects(g, f), f.edges])).toEqual([
      [[["A", "beneficiary"]], [0, 3]],
      [[["B", "originator"]], [1, 4]],
      [[["C", "member"]], [2, 5]],
    ]);
  });

  it("hard negative: sides and accounts are apart (a deposit and a withdrawal; two accounts' deposits)", () => {
    expect(
      run([
        ["", "A", MON, 9000],
        ["A", "", MON, 9000],
        ["A", "A", TUE, 9000],
      ]).findings,
    ).toEqual([]);
    expect(
      run([
        ["", "A", MON, 9000],
        ["", "B", MON, 9000],
      ]).findings,
    ).toEqual([]);
  });

  it("hard negative: 10,000.01 is above the threshold, not in the band (alone, or with a 9,000)", () => {
    expect(run(deposits([MON, 10_000.01])).findings).toEqual([]);
    expect(run(deposits([MON, 10_000.01], [MON, 9000])).findings).toEqual([]);
    // Exactly 10,000 does not trigger a report: it is in the band, and so is 8,000.
    const { findings } = run(deposits([MON, 10_000], [TUE, 8000]));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.edges).toEqual([0, 1]);
    expect(findings[0]?.amountUsd).toBe(18_000);
    // Just below the band.
    expect(run(deposits([MON, 7999.99], [TUE, 9999.99])).findings).toEqual([]);
  });

  it("hard negative: two deposits together exactly 10,000 or less (with a band down to 4,000)", () => {
    const wide = { band_low: 0.4 };
    expect(run(deposits([MON, 4000], [TUE, 6000]), wide).findings).toEqual([]);
    expect(run(deposits([MON, 4500], [TUE, 5000]), wide).findings).toEqual([]);
    const over = run(deposits([MON, 4000], [TUE, 6000.01]), wide).findings;
    expect(over).toHaveLength(1);
    expect(over[0]?.amountUsd).toBeCloseTo(10_000.01, 6);
    expect(over[0]?.reasons[0]).toBe(
      "2 cash deposits into A, each at most 10,000 USD and at least 4,000, together 10,000 USD, within 3 business day(s) (S1)",
    );
  });

  it("hard negative: more than W (3) business days apart; a weekend in between does not count", () => {
    // Monday to Thursday: 3 business days, a run; to Friday: 4, none (unless W is 4).
    expect(run(deposits([MON, 9000], [THU, 9000])).findings).toHaveLength(1);
    expect(run(deposits([MON, 9000], [FRI, 9000])).findings).toEqual([]);
    expect(run(deposits([MON, 9000], [FRI, 9000]), { window_business_days: 4 }).findings).toHaveLength(1);
    // Thursday to the Tuesday after: 5 calendar days, 3 business days (Friday, Monday, Tuesday).
    const tuesday = run(deposits([THU, 9000], [TUE + WEEK, 9000])).findings;
    expect(tuesday).toHaveLength(1);
    expect(tuesday[0]?.window).toEqual({ from: THU * DAY, to: (TUE + WEEK) * DAY });
    // To the Wednesday after: 4.
    expect(run(deposits([THU, 9000], [WED + WEEK, 9000])).findings).toEqual([]);
  });

  it("a weekend deposit counts on the Monday after: it joins Monday's, not Friday's", () => {
    // Sunday to Thursday is 4 weekdays, but Sunday counts as Monday: 3 business days, a run.
    const sunday = run(deposits([SUN, 9000], [THU + WEEK, 9000])).findings;
    expect(sunday).toHaveLength(1);
    expect(sunday[0]?.window).toEqual({ from: SUN * DAY, to: (THU + WEEK) * DAY });
    // Friday to Thursday: 4 business days, no run.
    expect(run(deposits([FRI, 9000], [THU + WEEK, 9000])).findings).toEqual([]);
    // Within 1 business day: Saturday to Tuesday is (Monday to Tuesday), Friday to Tuesday is not.
    const one = { window_business_days: 1 };
    expect(run(deposits([SAT, 9000], [TUE + WEEK, 9000]), one).findings).toHaveLength(1);
    expect(run(deposits([FRI, 9000], [TUE + WEEK, 9000]), one).findings).toEqual([]);
    // The same business day (W = 0): Saturday and Sunday are Monday's; Friday and Saturday are not one day.
    const same = { window_business_days: 0 };
    expect(run(deposits([SAT, 9000], [MON + WEEK, 9000]), same).findings).toHaveLength(1);
    expect(run(deposits([SUN, 9000], [MON + WEEK, 9000]), same).findings).toHaveLength(1);
    expect(run(deposits([MON, 9000], [MON, 9000]), same).findings).toHaveLength(1);
    expect(run(deposits([FRI, 9000], [SAT, 9000]), same).findings).toEqual([]);
    expect(run(deposits([MON, 9000], [TUE, 9000]), same).findings).toEqual([]);
  });
});

describe("structuring S5", () => {
  // Two weeks apart: never within 3 business days of each other.
  const spread = (amount: number, last = MON + 4 * WEEK) =>
    deposits([MON, amount], [MON + 2 * WEEK, amount], [last, amount]);

  it("fires on three deposits of 9,500 within 30 days, none within W business days of another", () => {
    const { g, findings } = run(spread(9500));
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjects(g, f)).toEqual([["A", "beneficiary"]]);
    expect(f.edges).toEqual([0, 1, 2]);
    expect(f.window).toEqual({ from: MON * DAY, to: (MON + 4 * WEEK) * DAY });
    expect(f.amountUsd).toBe(28_500);
    expect(f.reasons[0]).toBe(
      "3 cash deposits into A just under 10,000 USD, together 28,500 USD: 3 of them in [9,000, 10,000) within 30 days (S5)",
    );
    expect(f.reasons[1]).toBe("the account has no other cash transactions");
  });

  it("30 days is inclusive: the third on day 30 fires, on day 31 does not", () => {
    expect(run(spread(9500, MON + 30)).findings).toHaveLength(1);
    expect(run(spread(9500, MON + 31)).findings).toEqual([]);
  });

  it("hard negative: the repeat band is [9,000, 10,000): 10,000 and 8,999.99 are out, 9,000 is in", () => {
    expect(run(spread(10_000)).findings).toEqual([]);
    expect(run(spread(8999.99)).findings).toEqual([]);
    expect(run(spread(9000)).findings).toHaveLength(1);
  });

  it("hard negative: two repeats are not three", () => {
    expect(run(deposits([MON, 9500], [MON + 2 * WEEK, 9500])).findings).toEqual([]);
    expect(run(deposits([MON, 9500], [MON + 2 * WEEK, 9500]), { repeat_count: 2 }).findings).toHaveLength(1);
  });
});

describe("structuring against the account's own cash (min_above_usual)", () => {
  it("fires when the run stands out: 9,500s against weekly deposits of 1,000, and says so", () => {
    const usual = Array.from({ length: 10 }, (_, w): [number, number] => [MON + w * WEEK, 1000]);
    const rows = deposits(...usual, [TUE + 9 * WEEK, 9500], [WED + 9 * WEEK, 9500]);
    const { findings } = run(rows);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.edges).toEqual([10, 11]);
    expect(findings[0]?.reasons[1]).toBe(
      "they average 9,500 USD, 9.5 times the account's usual cash transaction (1,000 USD)",
    );
  });

  it("is a bound: a mean of exactly 1.5 times the median fires, above it not", () => {
    const rows = (usual: number) =>
      deposits(
        [MON, usual],
        [MON + WEEK, usual],
        [MON + 2 * WEEK, usual],
        [MON + 3 * WEEK, 9000],
        [TUE + 3 * WEEK, 9000],
      );
    const at = run(rows(6000)).findings;
    expect(at).toHaveLength(1);
    expect(at[0]?.edges).toEqual([3, 4]);
    expect(at[0]?.reasons[1]).toBe(
      "they average 9,000 USD, 1.5 times the account's usual cash transaction (6,000 USD)",
    );
    expect(run(rows(6001)).findings).toEqual([]);
  });

  it("hard negative: a shop banking its takings every business day, usually near the band", () => {
    const takings = [7200, 8400, 7600, 9100, 7900, 8800, 7400, 9600, 8100];
    const rows: Row[] = [];
    for (let w = 0; w < 8; w++) {
      for (let d = 0; d < 5; d++)
        rows.push(["", "SHOP", MON + w * WEEK + d, takings[(w * 5 + d) % takings.length] as number]);
    }
    expect(run(rows).findings).toEqual([]);
    // It is the baseline that keeps it silent: by S1 alone, the shop has runs.
    const { g, findings } = run(rows, { min_above_usual: 0 });
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding)).toEqual([["SHOP", "beneficiary"]]);
  });

  it("repeating the pattern never makes it usual: 9,000 + 9,000 on Monday and Tuesday, two weeks running", () => {
    // Once, it fires. Twice, it must still fire: the other week's two deposits are structuring
    // as well, not the account's usual cash (else the structuring would hide itself).
    const once = deposits([MON, 9000], [TUE, 9000]);
    expect(run(once).findings).toHaveLength(1);
    const twice = deposits([MON, 9000], [TUE, 9000], [MON + WEEK, 9000], [TUE + WEEK, 9000]);
    const { findings } = run(twice);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.amountUsd).toBe(18_000);
    expect(findings[0]?.reasons[1]).toBe("the account has no other cash transactions");
  });

  it("repeating the pattern never makes it usual: 9,500 every ten days for four months (S5)", () => {
    const every10 = Array.from({ length: 12 }, (_, i): [number, number] => [MON + 10 * i, 9500]);
    expect(run(deposits(...every10.slice(0, 3))).findings).toHaveLength(1);
    const { findings } = run(deposits(...every10));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons[0]).toContain("(S5)");
  });
});
