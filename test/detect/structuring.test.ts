import { describe, expect, it } from "vitest";
import { businessDay, businessDaysBetween } from "../../src/detect/business-day.js";
import { type CashDays, usualDaily, usualDailyOutsideEach } from "../../src/detect/cash-sides.js";
import { DETECTION_FIELDS, type Detector, type Finding } from "../../src/detect/detector.js";
import { funnelAccount } from "../../src/detect/detectors/funnel-account.js";
import { structuring } from "../../src/detect/detectors/structuring.js";
import { focusOn, touchesNew } from "../../src/detect/focus.js";
import { absorbLegs, mergeFindings } from "../../src/detect/merge-findings.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import { usualDaysNeeded } from "../../src/detect/structuring-walk.js";
import type { EdgeDetail } from "../../src/detect/transaction-details.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { Channel } from "../../src/model/channel.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";
import {
  AMLWORLD_FIELDS,
  type DetailedRow,
  edgesOf,
  expectIncrementalAsFull,
  ledger,
  runOn,
  subjectsOf,
} from "./ht-rows.js";

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

/** The sub-rule a finding reports, as its first reason names it: "S1" … "S7". */
const ruleOf = (f: Finding) => /\((S\d)/.exec(f.reasons[0] ?? "")?.[1];

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

describe("the account's usual daily cash", () => {
  it("outside one day at a time is the median of the other days' totals, with ties and too few days", () => {
    const days: CashDays = {
      days: [MON, TUE, WED, THU, FRI, MON + WEEK],
      totals: [5000, 1000, 3000, 3000, 9000, 7000],
      edges: [[0], [1], [2], [3], [4], [5]],
    };
    const outside = usualDailyOutsideEach(days, 1);
    const medians = days.days.map((d, k) => {
      expect(outside(k)).toEqual(usualDaily(days, d, d, 1));
      return outside(k).median;
    });
    // Without Monday's 5,000: 1,000 3,000 3,000 7,000 9,000; without a 3,000: 1,000 3,000 5,000 7,000 9,000.
    expect(medians).toEqual([3000, 5000, 5000, 5000, 3000, 3000]);
    expect(usualDailyOutsideEach(days, 6)(0)).toEqual({ days: 5, median: null });
    expect(usualDaily(days, MON, WED, 1)).toEqual({ days: 3, median: 7000 });
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

  it("reports the largest run of an account, once (and S5 beside it when it sees more)", () => {
    // Two on Monday and Tuesday; three the next Wednesday to Friday.
    const { findings } = run(
      deposits([MON, 9000], [TUE, 9000], [WED + WEEK, 9000], [THU + WEEK, 9000], [FRI + WEEK, 9000]),
    );
    expect(findings.map(ruleOf)).toEqual(["S1", "S5"]);
    expect(findings[0]?.edges).toEqual([2, 3, 4]);
    expect(findings[0]?.window).toEqual({ from: (WED + WEEK) * DAY, to: (FRI + WEEK) * DAY });
    expect(findings[0]?.amountUsd).toBe(27_000);
    // All five within 30 days: S5 (five in [8,000, 10,000], and five in [9,000, 10,000) as well).
    expect(findings[1]?.edges).toEqual([0, 1, 2, 3, 4]);
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

  it("is a bound: a mean of exactly 2 times the median fires, above it not", () => {
    const rows = (usual: number) =>
      deposits(
        [MON, usual],
        [MON + WEEK, usual],
        [MON + 2 * WEEK, usual],
        [MON + 3 * WEEK, 9000],
        [TUE + 3 * WEEK, 9000],
      );
    const at = run(rows(4500)).findings;
    expect(at).toHaveLength(1);
    expect(at[0]?.edges).toEqual([3, 4]);
    expect(at[0]?.reasons[1]).toBe(
      "they average 9,000 USD, 2.0 times the account's usual cash transaction (4,500 USD)",
    );
    expect(run(rows(4501)).findings).toEqual([]);
    expect(run(rows(6000), { min_above_usual: 1.5 }).findings).toHaveLength(1);
  });

  it("hard negative: a shop banking its takings every business day, usually near the band", () => {
    const takings = [7200, 8400, 7600, 9100, 7900, 8800, 7400, 9600, 8100];
    const rows: Row[] = [];
    for (let w = 0; w < 8; w++) {
      for (let d = 0; d < 5; d++)
        rows.push(["", "SHOP", MON + w * WEEK + d, takings[(w * 5 + d) % takings.length] as number]);
    }
    expect(run(rows).findings).toEqual([]);
    // It is the baseline that keeps it silent: by the amounts alone, the shop has runs (S1), repeats
    // (S5) and walks its cash day after day (S7).
    const { g, findings } = run(rows, { min_above_usual: 0 });
    expect(findings.map(ruleOf)).toEqual(["S1", "S5", "S7"]);
    for (const f of findings) expect(subjects(g, f)).toEqual([["SHOP", "beneficiary"]]);
  });

  it("repeating the pattern never makes it usual: 9,000 + 9,000 on Monday and Tuesday, two weeks running", () => {
    // Once, it fires. Twice, it must still fire: the other week's two deposits are structuring
    // as well, not the account's usual cash (else the structuring would hide itself).
    const once = deposits([MON, 9000], [TUE, 9000]);
    expect(run(once).findings).toHaveLength(1);
    const twice = deposits([MON, 9000], [TUE, 9000], [MON + WEEK, 9000], [TUE + WEEK, 9000]);
    const { findings } = run(twice);
    // S1 on the first two; the four together are three or more in [9,000, 10,000) within 30 days (S5).
    expect(findings.map(ruleOf)).toEqual(["S1", "S5"]);
    expect(findings[0]?.amountUsd).toBe(18_000);
    expect(findings[0]?.reasons[1]).toBe("the account has no other cash transactions");
    expect(findings[1]?.edges).toEqual([0, 1, 2, 3]);
    expect(findings[1]?.reasons[1]).toBe("the account has no other cash transactions");
  });

  it("repeating the pattern never makes it usual: 9,500 every ten days for four months (S5)", () => {
    const every10 = Array.from({ length: 12 }, (_, i): [number, number] => [MON + 10 * i, 9500]);
    expect(run(deposits(...every10.slice(0, 3))).findings).toHaveLength(1);
    const { findings } = run(deposits(...every10));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons[0]).toContain("(S5)");
  });
});

// Sub-rules that read the transactions' details (branch, city, conductor): rows with details, as
// the trafficking tests write them (ht-rows.ts), and the channels S6 reads.
const MSB = Channel.options.indexOf("msb");
const MONEY_ORDER = Channel.options.indexOf("money_order");

/** A cash deposit into `to` with its details; fractions of a day order deposits within a day. */
const dep = (to: string, day: number, amount: number, detail: EdgeDetail = {}): DetailedRow => [
  "",
  to,
  day,
  amount,
  CASH,
  detail,
];
const at = (branch: string, city: string): EdgeDetail => ({ branch, city });
const by = (conductor: string): EdgeDetail => ({ conductor, city: "Denver", branch: "B-DEN" });
const findingsOn = (rows: DetailedRow[], params: Record<string, unknown> = {}) => {
  const l = ledger(rows);
  return { l, findings: runOn(structuring, l, params) };
};

describe("structuring S2: several branches or cities on one business day", () => {
  it("fires on 6,000 at one branch and 5,000 at another the same day: edges, reasons, SAR codes", () => {
    const { l, findings } = findingsOn([
      dep("A", MON + 0.4, 6000, at("B-DEN", "Denver")),
      dep("A", MON + 0.6, 5000, at("B-BOU", "Boulder")),
      dep("B", TUE, 6000, at("B-DEN", "Denver")), // another account
    ]);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjectsOf(l, f)).toEqual([["A", "beneficiary"]]);
    expect(edgesOf(l, f)).toEqual([
      ["", "A", MON + 0.4],
      ["", "A", MON + 0.6],
    ]);
    expect(f.amountUsd).toBe(11_000);
    expect(f.reasons).toEqual([
      "2 cash deposits into A on one business day at 2 branch(es) in 2 cities (B-DEN, B-BOU), each at most 10,000 USD, together 11,000 USD, more than 10,000 (S2)",
      "the account has no other days with cash on this side",
      "the currency transaction report is due for cash of more than 10,000 USD in one business day (31 CFR 1010.311, 1010.313)",
    ]);
    expect(f.sarActivities).toEqual(["114", "910"]);
  });

  it("the business day: a Saturday deposit counts with Monday's, Friday's does not", () => {
    const sat = findingsOn([
      dep("A", SAT, 6000, at("B1", "Denver")),
      dep("A", MON + WEEK, 5000, at("B2", "Boulder")),
    ]);
    expect(sat.findings.map(ruleOf)).toEqual(["S2"]);
    const fri = findingsOn([
      dep("A", FRI, 6000, at("B1", "Denver")),
      dep("A", MON + WEEK, 5000, at("B2", "Boulder")),
    ]);
    expect(fri.findings).toEqual([]);
  });

  it("three or more locations: at least 0.9 T together is enough", () => {
    const three = (amount: number, places: number) =>
      findingsOn([
        dep("A", MON + 0.3, 3000, at("B1", "Denver")),
        dep("A", MON + 0.5, 3000, at(places > 2 ? "B2" : "B1", places > 2 ? "Boulder" : "Denver")),
        dep("A", MON + 0.7, amount, at("B3", "Aurora")),
      ]).findings;
    const f = three(3000, 3);
    expect(f.map(ruleOf)).toEqual(["S2"]);
    expect(f[0]?.reasons[0]).toBe(
      "3 cash deposits into A on one business day at 3 branch(es) in 3 cities (B1, B2, B3), each at most 10,000 USD, together 9,000 USD, at least 9,000 at 3 locations (S2)",
    );
    expect(three(2999.99, 3)).toEqual([]);
    // Two locations need more than T.
    expect(three(3000, 2)).toEqual([]);
  });

  it("cities alone, when the data has no branch; cash withdrawals at two ATMs", () => {
    const { l, findings } = findingsOn([
      ["A", "", TUE + 0.4, 6000, CASH, { city: "Denver" }],
      ["A", "", TUE + 0.6, 4500, CASH, { city: "Boulder" }],
    ]);
    expect(findings).toHaveLength(1);
    expect(subjectsOf(l, findings[0] as Finding)).toEqual([["A", "originator"]]);
    expect(findings[0]?.reasons[0]).toBe(
      "2 cash withdrawals from A on one business day at 2 cities (Denver, Boulder), each at most 10,000 USD, together 10,500 USD, more than 10,000 (S2)",
    );
  });

  it("hard negatives: one branch; several cities on different days (a travelling salesperson); a day over T", () => {
    expect(
      findingsOn([
        dep("A", MON + 0.4, 6000, at("B1", "Denver")),
        dep("A", MON + 0.6, 5000, at("B1", "Denver")),
      ]).findings,
    ).toEqual([]);
    const travelling: DetailedRow[] = ["Denver", "Boulder", "Aurora", "Pueblo", "Vail"].map((city, k) =>
      dep("A", MON + k, 4000 + 500 * k, at(`B-${city}`, city)),
    );
    expect(findingsOn(travelling).findings).toEqual([]);
    // 10,500 at one branch is reported anyway: the day is not kept under T.
    expect(
      findingsOn([
        dep("A", MON + 0.4, 10_500, at("B1", "Denver")),
        dep("A", MON + 0.6, 2000, at("B2", "Boulder")),
      ]).findings,
    ).toEqual([]);
  });

  it("hard negative: a business banking its two shops' takings at their branches every business day", () => {
    const rows: DetailedRow[] = [];
    for (let w = 0; w < 4; w++)
      for (let d = 0; d < 5; d++) {
        rows.push(dep("SHOPS", MON + w * WEEK + d + 0.4, 6000 + 100 * d, at("B1", "Denver")));
        rows.push(dep("SHOPS", MON + w * WEEK + d + 0.6, 5000, at("B2", "Boulder")));
      }
    expect(findingsOn(rows).findings).toEqual([]);
    // Its usual daily cash is what keeps it silent.
    expect(findingsOn(rows, { min_above_usual: 0 }).findings.map(ruleOf)).toEqual(["S2"]);
  });
});

describe("structuring S3: smurfing, three or more people depositing into one account", () => {
  it("fires on three people depositing 4,000 each within a week; they are named, not made subjects", () => {
    const { l, findings } = findingsOn([
      dep("A", MON, 4000, by("P1")),
      dep("A", WED, 4000, by("P2")),
      dep("A", FRI, 4000, by("P3")),
    ]);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjectsOf(l, f)).toEqual([["A", "beneficiary"]]);
    expect(f.edges).toEqual([0, 1, 2]);
    expect(f.amountUsd).toBe(12_000);
    expect(f.reasons.slice(0, 2)).toEqual([
      "3 different people made 3 cash deposits into A within 7 days (P1, P2, P3), each at most 10,000 USD, together 12,000 USD (S3, smurfing)",
      "the account has no other days with cash on this side",
    ]);
    expect(f.sarActivities).toEqual(["114", "911"]);
  });

  it("hard negatives: two people; together exactly 10,000; more than 7 days from first to last", () => {
    expect(
      findingsOn([
        dep("A", MON, 4000, by("P1")),
        dep("A", WED, 4000, by("P2")),
        dep("A", FRI, 4000, by("P1")),
      ]).findings,
    ).toEqual([]);
    expect(
      findingsOn([
        dep("A", MON, 3000, by("P1")),
        dep("A", WED, 3000, by("P2")),
        dep("A", FRI, 4000, by("P3")),
      ]).findings,
    ).toEqual([]);
    expect(
      findingsOn([
        dep("A", MON, 4000, by("P1")),
        dep("A", FRI, 4000, by("P2")),
        dep("A", MON + WEEK + 0.1, 4000, by("P3")),
      ]).findings,
    ).toEqual([]);
    // Seven days to the minute is within.
    expect(
      findingsOn([
        dep("A", MON, 4000, by("P1")),
        dep("A", FRI, 4000, by("P2")),
        dep("A", MON + WEEK, 4000, by("P3")),
      ]).findings.map(ruleOf),
    ).toEqual(["S3"]);
  });

  it("hard negative: a shop whose staff take turns banking the takings", () => {
    const rows: DetailedRow[] = [];
    for (let w = 0; w < 4; w++)
      for (let d = 0; d < 5; d++) rows.push(dep("SHOP", MON + w * WEEK + d, 3000, by(`STAFF${(w + d) % 3}`)));
    expect(findingsOn(rows).findings).toEqual([]);
    expect(findingsOn(rows, { min_above_usual: 0 }).findings.map(ruleOf)).toEqual(["S3"]);
  });
});

describe("structuring S4: one person depositing into three or more accounts", () => {
  it("fires on one conductor's 4,000 into each of A, B and C within a week: the accounts are the subjects", () => {
    const { l, findings } = findingsOn([
      dep("A", MON, 4000, by("P1")),
      dep("B", TUE, 4000, by("P1")),
      dep("C", WED, 4000, by("P1")),
    ]);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjectsOf(l, f)).toEqual([
      ["A", "beneficiary"],
      ["B", "beneficiary"],
      ["C", "beneficiary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2]);
    expect(f.amountUsd).toBe(12_000);
    expect(f.reasons[0]).toBe(
      "one person (P1) made 3 cash deposits into 3 different accounts within 7 days (A, B, C), each at most 10,000 USD, together 12,000 USD (S4, conductor fan-out)",
    );
    expect(f.sarActivities).toEqual(["114", "911"]);
  });

  it("hard negatives: two accounts; together 10,000; a courier banking three shops' takings every day", () => {
    expect(findingsOn([dep("A", MON, 6000, by("P1")), dep("B", TUE, 5000, by("P1"))]).findings).toEqual([]);
    expect(
      findingsOn([
        dep("A", MON, 3000, by("P1")),
        dep("B", TUE, 3000, by("P1")),
        dep("C", WED, 4000, by("P1")),
      ]).findings,
    ).toEqual([]);
    const rows: DetailedRow[] = [];
    for (let w = 0; w < 4; w++)
      for (let d = 0; d < 5; d++)
        for (const shop of ["K1", "K2", "K3"])
          rows.push(dep(shop, MON + w * WEEK + d + 0.1, 3000, by("COURIER")));
    expect(findingsOn(rows).findings).toEqual([]);
    expect(findingsOn(rows, { min_above_usual: 0 }).findings.map(ruleOf)).toEqual(["S4"]);
  });
});

describe("structuring S4 on an incremental run", () => {
  it("a new deposit by the conductor finds the whole fan-out, old deposits into accounts without new cash included", () => {
    const l = ledger([
      dep("A", MON, 4000, by("P1")),
      dep("B", TUE, 4000, by("P1")),
      dep("C", WED, 4000, by("P1")),
      dep("D", THU, 4000, by("P2")),
    ]);
    const params = structuring.params.parse({}) as never;
    const full = structuring.run(l.data, params);
    expect(full.map(ruleOf)).toEqual(["S4"]);
    // Only P1's deposit into C is new: A and B have no new cash, yet the hit is P1's three deposits.
    const onlyC = focusOn(l.graph, Uint8Array.from([0, 0, 1, 0]), 100);
    const focused = structuring.run({ ...l.data, focus: onlyC }, params).filter((f) => touchesNew(onlyC, f));
    expect(focused).toEqual(full);
    // A new deposit by someone else (P2 into D) holds none of P1's: nothing with a new payment.
    const onlyD = focusOn(l.graph, Uint8Array.from([0, 0, 0, 1]), 100);
    expect(structuring.run({ ...l.data, focus: onlyD }, params).filter((f) => touchesNew(onlyD, f))).toEqual(
      [],
    );
  });
});

describe("structuring S5: five or more in the band within 30 days", () => {
  it("fires on five deposits of 8,500 a week apart; four are not enough", () => {
    const weekly = (n: number) =>
      deposits(...Array.from({ length: n }, (_, i): [number, number] => [MON + i * WEEK, 8500]));
    const { findings } = run(weekly(5));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.edges).toEqual([0, 1, 2, 3, 4]);
    expect(findings[0]?.reasons[0]).toBe(
      "5 cash deposits into A just under 10,000 USD, together 42,500 USD: 5 of them in [8,000, 10,000] within 30 days (S5)",
    );
    expect(run(weekly(4)).findings).toEqual([]);
  });
});

describe("structuring S6: money transfers and money orders under $3,000", () => {
  const send = (to: string, day: number, amount: number, channel = MSB): Row => [
    "A",
    to,
    day,
    amount,
    channel,
  ];

  it("fires on three within a week, on amount, time and channel alone: the transfers' recipients are subjects", () => {
    const g = graphOf([send("F1", MON, 2600), send("SELLER", WED, 2900, MONEY_ORDER), send("F2", FRI, 2700)]);
    const [outcome] = runDetectors({ graph: g, available: AMLWORLD_FIELDS }, [
      structuring as unknown as Detector,
    ]);
    expect(outcome?.status).toBe("ok");
    const f = outcome?.findings[0] as Finding;
    expect(outcome?.findings).toHaveLength(1);
    expect(subjects(g, f)).toEqual([
      ["A", "originator"],
      ["F1", "beneficiary"],
      ["F2", "beneficiary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2]);
    expect(f.amountUsd).toBe(8200);
    expect(f.reasons).toEqual([
      "A bought 2 money transfer(s) and 1 money order(s) within 7 days, each from 2,500 to under 3,000 USD, together 8,200 USD (S6)",
      "records must be kept of funds transfers and monetary instruments of 3,000 USD or more (31 CFR 1010.410(e), 1010.415)",
    ]);
    expect(f.sarActivities).toEqual(["113"]);
  });

  it("incremental: with any one payment new, finds what a full run finds with it", () => {
    const sent = (from: string, to: string, day: number, amount: number, channel = MSB): DetailedRow => [
      from,
      to,
      day,
      amount,
      channel,
    ];
    const l = ledger([
      sent("A", "F1", MON, 2600),
      sent("B", "G1", MON + 0.5, 2800),
      sent("A", "SELLER", WED, 2900, MONEY_ORDER),
      sent("B", "G2", TUE, 2700),
      sent("A", "F2", FRI, 2700),
      sent("C", "F1", WED, 2600, WIRE),
      sent("B", "G1", WED, 2950, MONEY_ORDER),
      sent("A", "F1", MON + 9, 2600),
    ]);
    expectIncrementalAsFull(structuring, l, 2);
  });

  it("hard negatives: a family sending 2,900 home every month; 3,000 or 2,499.99; 8 days; by wire", () => {
    const monthly = Array.from({ length: 6 }, (_, m) => send("MOM", MON + 30 * m, 2900));
    expect(run(monthly).findings).toEqual([]);
    expect(run([send("F1", MON, 2600), send("F1", WED, 3000), send("F1", FRI, 2700)]).findings).toEqual([]);
    expect(run([send("F1", MON, 2600), send("F1", WED, 2499.99), send("F1", FRI, 2700)]).findings).toEqual(
      [],
    );
    expect(run([send("F1", MON, 2600), send("F1", WED, 2600), send("F1", MON + 8, 2700)]).findings).toEqual(
      [],
    );
    expect(
      run([send("F1", MON, 2600, WIRE), send("F1", WED, 2600, WIRE), send("F1", FRI, 2700, WIRE)]).findings,
    ).toEqual([]);
  });
});

describe("structuring S7: daily cash walked over consecutive business days", () => {
  it("fires on 6,000 a day Monday to Thursday: reasons with the numbers", () => {
    const { g, findings } = run(deposits([MON, 6000], [TUE, 6000], [WED, 6000], [THU, 6000]));
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjects(g, f)).toEqual([["A", "beneficiary"]]);
    expect(f.edges).toEqual([0, 1, 2, 3]);
    expect(f.amountUsd).toBe(24_000);
    expect(f.reasons.slice(0, 2)).toEqual([
      "cash deposits into A of 5,000 to 10,000 USD a day on 4 of 5 consecutive business days, together 24,000 USD, more than 20,000 (S7)",
      "the account has no other days with cash on this side",
    ]);
    expect(f.sarActivities).toEqual(["114"]);
  });

  it("daily totals: two deposits of 3,000 on Monday make one day of 6,000", () => {
    const { findings } = run(deposits([MON, 3000], [MON + 0.5, 3000], [TUE, 6000], [WED, 6000], [THU, 6000]));
    expect(findings.map(ruleOf)).toEqual(["S7"]);
    expect(findings[0]?.edges).toEqual([0, 1, 2, 3, 4]);
  });

  it("4 of 5 consecutive business days: the weekend does not count, a gap of two days does", () => {
    expect(
      run(deposits([THU, 6000], [FRI, 6000], [MON + WEEK, 6000], [TUE + WEEK, 6000])).findings.map(ruleOf),
    ).toEqual(["S7"]);
    expect(run(deposits([MON, 6000], [TUE, 6000], [THU, 6000], [FRI, 6000])).findings.map(ruleOf)).toEqual([
      "S7",
    ]);
    expect(run(deposits([MON, 6000], [TUE, 6000], [FRI, 6000], [MON + WEEK, 6000])).findings).toEqual([]);
  });

  it("hard negatives: together exactly 20,000; a day under 5,000; a day over T in the stretch", () => {
    expect(run(deposits([MON, 5000], [TUE, 5000], [WED, 5000], [THU, 5000])).findings).toEqual([]);
    expect(run(deposits([MON, 6000], [TUE, 4999], [WED, 6000], [THU, 6000])).findings).toEqual([]);
    expect(run(deposits([MON, 6000], [TUE, 6000], [WED, 6000], [THU, 6000], [FRI, 10_500])).findings).toEqual(
      [],
    );
  });

  it("hard negative: a shop banking 5,000 to 7,000 every business day; a walk repeated once is not usual", () => {
    const rows: Row[] = [];
    for (let w = 0; w < 8; w++)
      for (let d = 0; d < 5; d++) rows.push(["", "SHOP", MON + w * WEEK + d, 5000 + 500 * d]);
    expect(run(rows).findings).toEqual([]);
    expect(run(rows, { min_above_usual: 0 }).findings.map(ruleOf)).toEqual(["S7"]);
    // Two walks: each has 4 other days with cash, too few (usual_min_days 10) to be usual.
    const twice = run(
      deposits(
        ...[MON, TUE, WED, THU, MON + 2 * WEEK, TUE + 2 * WEEK, WED + 2 * WEEK, THU + 2 * WEEK].map(
          (d): [number, number] => [d, 6000],
        ),
      ),
    );
    expect(twice.findings.map(ruleOf)).toEqual(["S7"]);
    expect(twice.findings[0]?.reasons[1]).toBe(
      "the account has cash on only 4 other business day(s), too few for a usual daily amount",
    );
  });
});

describe("structuring S7 in a short data set (about 18 days, as AMLworld's smaller files)", () => {
  // 13 business days: Monday of week 0 to Wednesday of week 2.
  const short = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16];

  it("hard negative: a shop banking 6,000 on each of its 13 business days is a shop", () => {
    const rows: Row[] = short.map((d) => ["", "SHOP", MON + d, 6000]);
    expect(run(rows).findings).toEqual([]);
    // What the usual is measured on: half of the 8 business days outside the stretch.
    expect(usualDaysNeeded(10, 13, 5)).toBe(4);
    expect(usualDaysNeeded(10, 43, 5)).toBe(10);
    expect(usualDaysNeeded(10, 6, 5)).toBe(3);
  });

  it("still fires on a walk that stands out from small cash on the other days", () => {
    const rows: Row[] = short.map((d, k) => ["", "A", MON + d, k < 4 ? 6000 : 400]);
    expect(run(rows).findings.map(ruleOf)).toEqual(["S7"]);
    expect(run(rows).findings[0]?.reasons[1]).toMatch(
      /times the account's usual daily cash \(400 USD over 8 other/,
    );
  });
});

describe("structuring without branches, cities or conductors (partial)", () => {
  const s2s3s4: DetailedRow[] = [
    dep("A", MON + 0.4, 6000, { ...at("B1", "Denver"), conductor: "P1" }),
    dep("A", MON + 0.6, 5000, { ...at("B2", "Boulder"), conductor: "P2" }),
    dep("A", TUE, 4000, { ...at("B1", "Denver"), conductor: "P3" }),
  ];

  it("with the details: S2 and S3", () => {
    expect(findingsOn(s2s3s4).findings.map(ruleOf)).toEqual(["S2", "S3"]);
  });

  it("AMLworld's fields: runs S1, S5, S6 and S7, reports the fields it could not use, and finds no S2–S4", () => {
    expect(structuring.uses).toEqual(["branch", "city", "conductor"]);
    const l = ledger(s2s3s4);
    const [outcome] = runDetectors({ graph: l.graph, available: AMLWORLD_FIELDS }, [
      structuring as unknown as Detector,
    ]);
    expect([outcome?.status, outcome?.missing, outcome?.unused, outcome?.findings]).toEqual([
      "ok",
      [],
      ["branch", "city", "conductor"],
      [],
    ]);
    // The same data with S1's amounts is still judged.
    const s1 = ledger([dep("A", MON, 9000), dep("A", TUE, 9000)]);
    const [withS1] = runDetectors({ graph: s1.graph, available: AMLWORLD_FIELDS }, [
      structuring as unknown as Detector,
    ]);
    expect(withS1?.findings.map(ruleOf)).toEqual(["S1"]);
  });

  it("fields said to be there but no details loaded: the sub-rules that need them are left out, never a crash", () => {
    const l = ledger(s2s3s4);
    const findings = structuring.run(
      { graph: l.graph, available: new Set(DETECTION_FIELDS) },
      structuring.params.parse({}),
    );
    expect(findings).toEqual([]);
  });
});

describe("structured deposits inside a scheme another detector reports fold into its alert", () => {
  // A funnel account: five couriers deposit 6,000 each in a week, 90% taken out within hours.
  const funnel: DetailedRow[] = [];
  for (let k = 0; k < 5; k++) {
    funnel.push(dep("F", MON + k + 0.4, 6000, { ...at(`B${k}`, `City${k}`), conductor: `C${k}` }));
    funnel.push(["F", "", MON + k + 0.5, 5400, CASH, { city: "Home" }]);
  }
  const drafts = (l: ReturnType<typeof ledger>) =>
    absorbLegs(
      mergeFindings([
        { detector: "funnel-account@1", params: {}, findings: runOn(funnelAccount, l) },
        { detector: "structuring@2", params: {}, findings: runOn(structuring, l) },
      ]),
    );

  it("funnel-account reports it; the structuring it also is (S3, S7) becomes evidence in that one alert", () => {
    const l = ledger(funnel);
    const alone = runOn(structuring, l);
    expect(alone.map(ruleOf)).toEqual(expect.arrayContaining(["S3", "S7"]));
    const kept = drafts(l);
    expect(kept.map((d) => d.typology)).toEqual(["funnel-account"]);
    expect([...(kept[0]?.detectors ?? [])].sort()).toEqual(["funnel-account@1", "structuring@2"]);
    expect([...(kept[0]?.sarActivities ?? [])]).toEqual(expect.arrayContaining(["824", "114"]));
    for (const f of alone) expect(kept[0]?.reasons).toContain(f.reasons[0]);
  });

  it("keeps structuring nobody else reports: the same deposits left in the account", () => {
    const l = ledger(funnel.filter((r) => r[1] !== ""));
    expect(runOn(funnelAccount, l)).toEqual([]);
    const kept = drafts(l);
    expect(kept.map((d) => d.typology)).toEqual(["structuring"]);
  });
});
