import { describe, expect, it } from "vitest";
import { DETECTION_FIELDS, type DetectionData, type Finding } from "../../src/detect/detector.js";
import { scatterGather } from "../../src/detect/detectors/scatter-gather.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";

type Params = Parameters<typeof scatterGather.params.parse>[0];

function run(rows: readonly Row[], params: Params = {}): { g: MoneyGraph; findings: Finding[] } {
  const data: DetectionData = { graph: graphOf(rows), available: new Set(DETECTION_FIELDS) };
  return { g: data.graph, findings: scatterGather.run(data, scatterGather.params.parse(params)) };
}

/** A finding's subjects as [account name, role]. */
const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);

/** Rows in time order (a stable sort, so rows of a day keep their order). */
const byDay = (rows: Row[]) => rows.sort((a, b) => a[2] - b[2]);

// S pays M1..M4 2,000 each on days 1–4; each passes 80–95% of it on to D on days 10–12.
const SG: Row[] = [
  ["S", "M1", 1, 2000],
  ["S", "M2", 2, 2000],
  ["S", "M3", 3, 2000],
  ["S", "M4", 4, 2000],
  ["M1", "D", 10, 1800],
  ["M2", "D", 11, 1700],
  ["M3", "D", 11, 1900],
  ["M4", "D", 12, 1600],
];

/** Three paths S → Mi → D: scatter on `out` days, gather of `share` × 2,000 on `back` days. */
const threePaths = (out: number[], back: number[], shares = [0.9, 0.9, 0.9], amount = 2000): Row[] =>
  byDay([
    ...out.map((day, i): Row => ["S", `M${i + 1}`, day, amount]),
    ...back.map((day, i): Row => [`M${i + 1}`, "D", day, amount * (shares[i] as number)]),
  ]);

describe("scatter-gather", () => {
  it("fires on S → four one-off intermediaries → D: originator, beneficiary, intermediaries, edges, window, amount, reasons", () => {
    const { g, findings } = run(SG);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("scatter-gather");
    expect(subjects(g, f)).toEqual([
      ["S", "originator"],
      ["D", "beneficiary"],
      ["M1", "intermediary"],
      ["M2", "intermediary"],
      ["M3", "intermediary"],
      ["M4", "intermediary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(f.window).toEqual({ from: 1 * DAY, to: 12 * DAY });
    expect(f.amountUsd).toBe(8000);
    expect(f.reasons).toEqual([
      "S paid 4 accounts 8,000 USD and each of them paid D, 7,000 USD together, within 11 day(s): 8 transactions",
      "each intermediary paid D after S paid it, passing on 0.80 to 0.95 of what it received (allowed 0.8 to 1)",
      "all 4 payments from S to the intermediaries came before the first of theirs to D",
      "the intermediaries dealt with S and with D only within 7 day(s), and none of the 6 accounts has more than 100 distinct payers or payees",
    ]);
    expect(f.score).toBeCloseTo(0.695, 6);
  });

  it("each path in order is enough; a scatter and gather that overlap fire, but score lower than an ordered motif", () => {
    // M1 pays D on day 2, before S pays M3 (day 3): each path is still in order.
    const overlap = threePaths([1, 2, 3], [2, 10, 11]);
    const { findings } = run(overlap);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons[2]).toBe(
      "each intermediary's payment came after its own receipt, but the scatter and the gather overlap in time",
    );
    const ordered = run(threePaths([1, 2, 3], [9, 10, 11])).findings[0] as Finding;
    expect(ordered.reasons[2]).toBe(
      "all 3 payments from S to the intermediaries came before the first of theirs to D",
    );
    expect(findings[0]?.score as number).toBeLessThan(ordered.score);
  });

  it("an intermediary that pays D before it is paid is not on a path: two paths are no motif", () => {
    // M3 pays D on day 2 and is paid on day 3.
    expect(run(threePaths([1, 2, 3], [9, 10, 2])).findings).toEqual([]);
  });

  it("ratio_low and ratio_high are inclusive: 0.8 and 1.0 fire, 0.79 and 1.01 do not", () => {
    expect(run(threePaths([1, 2, 3], [9, 10, 11], [0.9, 0.9, 0.8])).findings).toHaveLength(1);
    expect(run(threePaths([1, 2, 3], [9, 10, 11], [0.9, 0.9, 0.79])).findings).toEqual([]);
    expect(run(threePaths([1, 2, 3], [9, 10, 11], [0.9, 0.9, 1.0])).findings).toHaveLength(1);
    expect(run(threePaths([1, 2, 3], [9, 10, 11], [0.9, 0.9, 1.01])).findings).toEqual([]);
    // The band is a parameter.
    expect(
      run(threePaths([1, 2, 3], [9, 10, 11], [0.9, 0.9, 0.79]), { ratio_low: 0.75 }).findings,
    ).toHaveLength(1);
  });

  it("span_days is inclusive: first scatter to last gather in exactly 60 days fires, 61 does not", () => {
    const at = run(threePaths([0, 2, 3], [9, 10, 60])).findings;
    expect(at).toHaveLength(1);
    expect(at[0]?.window).toEqual({ from: 0, to: 60 * DAY });
    expect(run(threePaths([0, 2, 3], [9, 10, 61])).findings).toEqual([]);
    expect(run(threePaths([0, 2, 3], [9, 10, 61]), { span_days: 61 }).findings).toHaveLength(1);
  });

  it("min_intermediaries: two paths are no motif unless the parameter allows it", () => {
    const two = byDay([
      ["S", "M1", 1, 3000],
      ["S", "M2", 2, 3000],
      ["M1", "D", 9, 2700],
      ["M2", "D", 10, 2700],
    ]);
    expect(run(two).findings).toEqual([]);
    expect(run(two, { min_intermediaries: 2 }).findings).toHaveLength(1);
  });

  it("min_total_usd is inclusive: 5,000 USD scattered fires, 4,999 does not", () => {
    const total = (last: number): Row[] =>
      byDay([
        ["S", "M1", 1, 2000],
        ["S", "M2", 2, 1500],
        ["S", "M3", 3, last],
        ["M1", "D", 9, 1800],
        ["M2", "D", 10, 1350],
        ["M3", "D", 11, last * 0.9],
      ]);
    expect(run(total(1500)).findings).toHaveLength(1);
    expect(run(total(1499)).findings).toEqual([]);
    expect(run(total(1499), { min_total_usd: 4999 }).findings).toHaveLength(1);
  });

  it("cash and self-transfers are no paths", () => {
    const cash: Row[] = SG.map(([from, to, day, amount]) => [from === "S" ? "" : from, to, day, amount]);
    expect(run(cash).findings).toEqual([]);
    const self: Row[] = SG.map(([from, to, day, amount]) => [from, to === "D" ? from : to, day, amount]);
    expect(run(self).findings).toEqual([]);
  });

  it("hard negative: an employer paying three employees every two weeks, who pay one landlord 90% of a pay each month", () => {
    // Pay of 2,000 on days 0, 14, 28, 42; rent of 1,800 on days 1 and 31: every path's amounts
    // and order fit, but employer and landlord are relationships of each employee.
    const rows: Row[] = [];
    for (const day of [0, 14, 28, 42])
      for (const e of ["E1", "E2", "E3"]) rows.push(["Employer", e, day, 2000]);
    for (const day of [1, 31]) for (const e of ["E1", "E2", "E3"]) rows.push([e, "Landlord", day, 1800]);
    byDay(rows);
    expect(run(rows).findings).toEqual([]);
    // It is the relationship rule that keeps it silent: with a longer one-off span it fires.
    const { g, findings } = run(rows, { relationship_days: 60 });
    expect(findings.length).toBeGreaterThan(0);
    expect(subjects(g, findings[0] as Finding).slice(0, 2)).toEqual([
      ["Employer", "originator"],
      ["Landlord", "beneficiary"],
    ]);
  });

  it("relationship_days is inclusive: S paying M1 again 7 days after is still one-off, 8 days is a relationship", () => {
    const again = (day: number) => byDay([...threePaths([1, 2, 3], [9, 10, 11]), ["S", "M1", 1 + day, 50]]);
    expect(run(again(7)).findings).toHaveLength(1);
    expect(run(again(8)).findings).toEqual([]);
  });

  it("hard negative: three shoppers a store serves (a hub with more than max_hub_degree payers) are not intermediaries", () => {
    // A parent S gives three children 2,000 each; each spends 1,800 at D, which 101 others pay.
    const others = Array.from(
      { length: 101 },
      (_, i): Row => [`C${String(i).padStart(3, "0")}`, "D", 5, 100],
    );
    const rows = byDay([...threePaths([1, 2, 3], [9, 10, 11]), ...others]);
    expect(run(rows).findings).toEqual([]);
    expect(run(rows, { max_hub_degree: 104 }).findings).toHaveLength(1);
  });

  it("hard negative: a payroll processor paying more than max_hub_degree people is no originator", () => {
    const staff = Array.from(
      { length: 100 },
      (_, i): Row => ["S", `W${String(i).padStart(3, "0")}`, 5, 1000],
    );
    const rows = byDay([...threePaths([1, 2, 3], [9, 10, 11]), ...staff]);
    expect(run(rows).findings).toEqual([]);
    expect(run(rows, { max_hub_degree: 103 }).findings).toHaveLength(1);
  });

  it("hard negative: intermediaries that share another payer are a stack's middle layer, not single-use", () => {
    // S and T each pay M1..M3; each Mi passes on the two payments to D.
    const stack = byDay([
      ...threePaths([1, 2, 3], [9, 10, 11]),
      ["T", "M1", 1, 2000],
      ["T", "M2", 2, 2000],
      ["T", "M3", 3, 2000],
    ]);
    expect(run(stack).findings).toEqual([]);
    // One other payer of a single intermediary is not a shared layer.
    const one = byDay([...threePaths([1, 2, 3], [9, 10, 11]), ["T", "M1", 1, 2000]]);
    expect(run(one).findings).toHaveLength(1);
  });

  it("a layer shares a counterparty among two thirds of the intermediaries, in sums like the motif's", () => {
    // Of four intermediaries, two paying one other account 2,000 (or all four buying 30 at one
    // shop) are no layer; three paying it 2,000 are.
    const shared = (who: string[], amount: number) =>
      byDay([...SG, ...who.map((m, i): Row => [m, "Z", 5 + i, amount])]);
    expect(run(shared(["M1", "M2"], 2000)).findings).toHaveLength(1);
    expect(run(shared(["M1", "M2", "M3", "M4"], 30)).findings).toHaveLength(1);
    expect(run(shared(["M1", "M2", "M3"], 2000)).findings).toEqual([]);
  });

  it("the same pair twice, months apart, makes two findings", () => {
    const later: Row[] = SG.map(([from, to, day, amount]) => [from, to, day + 100, amount]);
    const { findings } = run([...SG, ...later]);
    // The intermediaries deal with S twice, 100 days apart: relationships, unless one-off is longer.
    expect(findings).toEqual([]);
    const fresh: Row[] = SG.map(([from, to, day, amount]) => [
      from.replace("M", "N"),
      to.replace("M", "N"),
      day + 100,
      amount,
    ]);
    const two = run([...SG, ...fresh]).findings;
    expect(two.map((f) => f.window)).toEqual([
      { from: 1 * DAY, to: 12 * DAY },
      { from: 101 * DAY, to: 112 * DAY },
    ]);
  });

  it("its fields are those every transaction has", () => {
    expect(scatterGather.needs).toEqual(["ts", "amount_usd", "from_account", "to_account"]);
    expect(scatterGather.id).toBe(scatterGather.typology);
  });
});
