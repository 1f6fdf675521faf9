import { describe, expect, it } from "vitest";
import {
  DETECTION_FIELDS,
  type DetectionData,
  type DetectionField,
  type Detector,
  type Finding,
} from "../../src/detect/detector.js";
import { cycle } from "../../src/detect/detectors/cycle.js";
import { random } from "../../src/detect/detectors/random.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";
import { focusedRun } from "./focused-run.js";

type CycleParams = Parameters<typeof cycle.params.parse>[0];

const WIRE = 2;
const INTERNAL = 11;

/** A wire transfer row. */
const w = (from: string, to: string, day: number, amount: number): Row => [from, to, day, amount, WIRE];

const dataOf = (rows: readonly Row[]): DetectionData => ({
  graph: graphOf(rows),
  available: new Set(DETECTION_FIELDS),
});

function run(rows: readonly Row[], params: CycleParams = {}): { g: MoneyGraph; findings: Finding[] } {
  const data = dataOf(rows);
  return { g: data.graph, findings: cycle.run(data, cycle.params.parse(params)) };
}

const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);

/** A cycle through `names` (back to the first), one payment every `gap` days from day 1, amounts × `keep`. */
function ring(names: string[], gap: number, first: number, keep: number): Row[] {
  return names.map((n, i) => w(n, names[(i + 1) % names.length] as string, 1 + i * gap, first * keep ** i));
}

// Four accounts at several banks: 10,000 out, 8,600 back within 9 days.
const FOUR: Row[] = [
  w("A", "B", 1, 10_000),
  w("B", "C", 4, 9_500),
  w("C", "D", 7, 9_000),
  w("D", "A", 10, 8_600),
];

describe("cycle", () => {
  it("fires on a 4-cycle at increasing times, each hop keeping 90-95%: originator, intermediaries, edges, window, reasons", () => {
    const { g, findings } = run(FOUR);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("cycle");
    expect(subjects(g, f)).toEqual([
      ["A", "originator"],
      ["B", "intermediary"],
      ["C", "intermediary"],
      ["D", "intermediary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3]);
    expect(f.window).toEqual({ from: 1 * DAY, to: 10 * DAY });
    expect(f.amountUsd).toBe(10_000);
    expect(f.reasons).toEqual([
      "money left A and came back to it through 3 other account(s) within 9 day(s): a cycle of 4 payments at increasing times, 10,000 USD out, 8,600 USD back",
      "each payment is 95% to 96% of the one before (from min_retention 0.8 to max_retention 1), within max_span_days 60",
      "every payment is material (8,600 to 10,000 USD, min_amount_usd 50) and the only one its payer made to its payee; no member has more than 100 counterparties",
    ]);
    expect(f.score).toBe(0.8);
  });

  it("fires on a 2-cycle between accounts with no other dealings, with the lowest score", () => {
    const { g, findings } = run([w("P", "Q", 1, 5_000), w("Q", "P", 3, 4_700)]);
    expect(findings.map((f) => [subjects(g, f), f.edges, f.score])).toEqual([
      [
        [
          ["P", "originator"],
          ["Q", "intermediary"],
        ],
        [0, 1],
        0.6,
      ],
    ]);
  });

  it("finds the cycle among other payments, and only its payments", () => {
    const rows: Row[] = [
      w("X", "A", 0, 300),
      w("A", "B", 1, 10_000),
      w("B", "Y", 2, 40),
      w("B", "C", 4, 9_500),
      w("C", "D", 7, 9_000),
      w("Y", "X", 8, 25),
      w("D", "A", 10, 8_600),
    ];
    const { g, findings } = run(rows);
    expect(findings.map((f) => f.edges)).toEqual([[1, 3, 4, 6]]);
    expect(subjects(g, findings[0] as Finding).map(([a]) => a)).toEqual(["A", "B", "C", "D"]);
  });

  it("lengths 2 to 12: a 12-cycle fires, a 13-cycle does not (max_length), and min_length leaves out shorter ones", () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `M${String(i).padStart(2, "0")}`);
    expect(run(ring(names(12), 3, 20_000, 0.95)).findings.map((f) => f.edges.length)).toEqual([12]);
    expect(run(ring(names(13), 3, 20_000, 0.95)).findings).toEqual([]);
    expect(run(FOUR, { min_length: 5 }).findings).toEqual([]);
    expect(run(FOUR, { min_length: 4 }).findings).toHaveLength(1);
  });

  it("min_retention 0.8 is inclusive: a hop of exactly 80% fires, 79% does not", () => {
    const at = (keep: number) =>
      run([w("A", "B", 1, 10_000), w("B", "C", 2, 10_000 * keep), w("C", "A", 3, 10_000 * keep)]);
    expect(at(0.8).findings).toHaveLength(1);
    expect(at(0.79).findings).toEqual([]);
  });

  it("max_retention 1.0: a hop passing on exactly what came fires; one adding to it does not", () => {
    const at = (last: number) => run([w("A", "B", 1, 10_000), w("B", "C", 2, 9_000), w("C", "A", 3, last)]);
    expect(at(9_000).findings).toHaveLength(1);
    expect(at(9_100).findings).toEqual([]);
    expect(
      run([w("A", "B", 1, 10_000), w("B", "C", 2, 9_000), w("C", "A", 3, 9_100)], { max_retention: 1.02 })
        .findings,
    ).toHaveLength(1);
  });

  it("max_span_days 60 is inclusive: back after exactly 60 days fires, after 60.5 does not", () => {
    const at = (back: number) =>
      run([w("A", "B", 1, 10_000), w("B", "C", 20, 9_500), w("C", "A", 1 + back, 9_000)]);
    expect(at(60).findings).toHaveLength(1);
    expect(at(60.5).findings).toEqual([]);
  });

  it("times must increase strictly: a payment at the same instant as the one before is no hop", () => {
    expect(run([w("A", "B", 1, 10_000), w("B", "C", 2, 9_500), w("C", "A", 2, 9_000)]).findings).toEqual([]);
    expect(
      run([w("A", "B", 1, 10_000), w("B", "C", 2, 9_500), w("C", "A", 2.01, 9_000)]).findings,
    ).toHaveLength(1);
  });

  it("hard negative: friends paying each other back small sums (a 2-cycle under min_two_cycle_usd 1,000, inclusive)", () => {
    expect(run([w("F", "G", 1, 60), w("G", "F", 5, 55)]).findings).toEqual([]);
    expect(run([w("F", "G", 1, 1_100), w("G", "F", 5, 999)]).findings).toEqual([]);
    expect(run([w("F", "G", 1, 1_100), w("G", "F", 5, 1_000)]).findings).toHaveLength(1);
    expect(run([w("F", "G", 1, 60), w("G", "F", 5, 55)], { min_two_cycle_usd: 50 }).findings).toHaveLength(1);
  });

  it("a payment from outside into an intermediary that fits as forwarded does not make the round trip a random walk", () => {
    // A ring of five from A; on day 1.5 a stranger X pays C 9,800, which C's 9,000 to D could
    // be passing on: X→C→D→E→A is a peel chain of four, but the money still went round.
    const rows: Row[] = [
      w("A", "B", 1, 10_000),
      w("X", "C", 1.5, 9_800),
      w("B", "C", 2, 9_500),
      w("C", "D", 3, 9_000),
      w("D", "E", 4, 8_600),
      w("E", "A", 5, 8_200),
    ];
    const data = dataOf(rows);
    const found = cycle.run(data, cycle.params.parse({}));
    expect(found).toHaveLength(1);
    expect(subjects(data.graph, found[0] as Finding).map(([name]) => name)).toEqual([
      "A",
      "B",
      "C",
      "D",
      "E",
    ]);
    expect(random.run(data, random.params.parse({}))).toEqual([]);
    // The same ring entered through its first payment (X pays A, which sends it round) is a
    // loop of a longer walk: random's.
    const entered: Row[] = [w("X", "A", 0.5, 10_500), ...rows.filter((r) => r[0] !== "X")];
    const d2 = dataOf(entered);
    expect(cycle.run(d2, cycle.params.parse({}))).toEqual([]);
    expect(random.run(d2, random.params.parse({}))).toHaveLength(1);
  });

  it("a longer ring of small sums (AMLSim's 100-200, a tenth kept a hop) fires down to min_amount_usd 50", () => {
    // 180 out, 0.9 a hop over 6 payments: 180, 162, 146, 131, 118, 106.
    const small = ring(["A", "B", "C", "D", "E", "F"], 2, 180, 0.9);
    const { g, findings } = run(small);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding).map(([name]) => name)).toEqual(["A", "B", "C", "D", "E", "F"]);
    // Every payment must reach min_amount_usd.
    expect(run(small, { min_amount_usd: 110 }).findings).toEqual([]);
    expect(run(ring(["A", "B", "C", "D"], 2, 60, 0.9)).findings).toEqual([]);
  });

  it("hard negative: a 2-cycle between accounts that deal with each other otherwise (a loan between partners)", () => {
    const loan: Row[] = [w("P", "Q", 1, 5_000), w("Q", "P", 20, 4_800)];
    expect(run(loan).findings).toHaveLength(1);
    // The same two with a shared bill paid one way later: a relationship.
    expect(run([...loan, w("P", "Q", 40, 120)]).findings).toEqual([]);
    // … or the other way earlier.
    expect(run([w("Q", "P", 0, 80), ...loan]).findings).toEqual([]);
  });

  it("hard negative: a cycle closed by a recurring payment (rent paid every month) is not a round trip", () => {
    const rows: Row[] = [w("T", "L", 1, 3_000), w("L", "S", 2, 2_900), w("S", "T", 3, 2_800)];
    expect(run(rows).findings).toHaveLength(1);
    expect(run([...rows, w("T", "L", 31, 3_000)]).findings).toEqual([]);
  });

  it("hard negative: money moved to one's own other account and back (channel internal)", () => {
    expect(
      run([
        ["A1", "A2", 1, 2_000, INTERNAL],
        ["A2", "A1", 9, 1_900, INTERNAL],
      ]).findings,
    ).toEqual([]);
    expect(
      run([
        ["A1", "A2", 1, 2_000, WIRE],
        ["A2", "A1", 9, 1_900, INTERNAL],
      ]).findings,
    ).toEqual([]);
    expect(
      run([
        ["A1", "A2", 1, 2_000, WIRE],
        ["A2", "A1", 9, 1_900, WIRE],
      ]).findings,
    ).toHaveLength(1);
  });

  it("hard negative: a merchant's refund (the merchant has more than max_hub_degree counterparties)", () => {
    // 100 other customers pay the shop: with the refunded customer it has 101 counterparties.
    const customers: Row[] = Array.from({ length: 100 }, (_, i) =>
      w(`K${String(i).padStart(3, "0")}`, "SHOP", 0.5, 40),
    );
    const refund: Row[] = [w("BUYER", "SHOP", 1, 1_500), w("SHOP", "BUYER", 4, 1_500)];
    expect(run([...customers, ...refund]).findings).toEqual([]);
    expect(run([...customers.slice(1), ...refund]).findings).toHaveLength(1);
    expect(run([...customers, ...refund], { max_hub_degree: 101 }).findings).toHaveLength(1);
  });

  it("a loop inside a longer peel chain is the random detector's: the money came in, and goes on, by forwarding", () => {
    const chain: Row[] = [
      w("X", "A", 0, 10_000),
      w("A", "B", 1, 9_500),
      w("B", "A", 2, 9_000),
      w("A", "C", 3, 8_500),
      w("C", "D", 4, 8_000),
    ];
    const data = dataOf(chain);
    expect(cycle.run(data, cycle.params.parse({}))).toEqual([]);
    expect(random.run(data, random.params.parse({})).map((f) => f.edges)).toEqual([[0, 1, 2, 3, 4]]);
    // Without the forwarding after it (C paid a week later), the loop is a chain of 3: a round trip.
    const alone: Row[] = [
      w("X", "A", 0, 10_000),
      w("A", "B", 1, 9_500),
      w("B", "A", 2, 9_000),
      w("A", "C", 12, 8_500),
    ];
    expect(run(alone).findings.map((f) => f.edges)).toEqual([[1, 2]]);
  });

  it("cycles that share a payment are one finding, with the union of their payments and members", () => {
    const rows: Row[] = [
      w("A", "B", 1, 10_000),
      w("B", "C", 2, 9_500),
      w("B", "D", 2.5, 9_400),
      w("C", "A", 15, 9_000),
      w("D", "A", 16, 9_100),
    ];
    const { g, findings } = run(rows);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.edges).toEqual([0, 1, 2, 3, 4]);
    expect(subjects(g, f)).toEqual([
      ["A", "originator"],
      ["B", "intermediary"],
      ["C", "intermediary"],
      ["D", "intermediary"],
    ]);
    expect(f.reasons[0]).toContain("(2 cycles sharing payments)");
  });

  it("cash and self-transfers are never hops", () => {
    expect(run([w("A", "", 1, 10_000), ["", "A", 2, 9_500, 0]]).findings).toEqual([]);
    expect(run([w("A", "A", 1, 10_000), w("A", "A", 2, 9_500)]).findings).toEqual([]);
  });
});

describe("cycle on an incremental run", () => {
  // FOUR, then a second round trip among other accounts a month later.
  const TWO: Row[] = [...FOUR, w("P", "Q", 40, 5_000), w("Q", "R", 42, 4_800), w("R", "P", 45, 4_500)];

  it("finds the round trip with a new payment, as the full run does, and skips the one without", () => {
    // The new payment is the last hop back to A: three accounts away from B and C's payments.
    const { focused, full } = focusedRun(cycle as unknown as Detector, TWO, [3]);
    expect(focused.map((f) => f.edges)).toEqual([[0, 1, 2, 3]]);
    expect(focused).toEqual(full);
    expect(focusedRun(cycle as unknown as Detector, TWO, [5]).focused.map((f) => f.edges)).toEqual([
      [4, 5, 6],
    ]);
    // A new payment on no cycle: nothing, though both round trips are there.
    const quiet = focusedRun(cycle as unknown as Detector, [...TWO, w("X", "Y", 50, 3_000)], [7]);
    expect([quiet.focused, quiet.full]).toEqual([[], []]);
  });

  it("finds the round trip whichever of its payments is new: first, in the middle, or last", () => {
    // Read from the new payment, the cycle's later payments come first, then its earlier ones:
    // the walks go forward in time on each side of it, and must meet whichever side is empty.
    for (const fresh of [0, 1, 2, 3]) {
      const { focused, full } = focusedRun(cycle as unknown as Detector, TWO, [fresh]);
      expect(
        focused.map((f) => f.edges),
        `new payment ${fresh}`,
      ).toEqual([[0, 1, 2, 3]]);
      expect(focused).toEqual(full);
    }
  });

  it("reports cycles sharing a payment whole when only one of them has a new payment", () => {
    const rows: Row[] = [
      w("A", "B", 1, 10_000),
      w("B", "C", 2, 9_500),
      w("B", "D", 2.5, 9_400),
      w("C", "A", 15, 9_000),
      w("D", "A", 59, 9_100),
      w("A", "G", 70, 9_000),
      w("G", "D", 80, 8_800),
    ];
    // Only C → A is new. Its cycle shares A → B with A → B → D → A, which shares D → A with
    // D → A → G → D; that one has no new payment, and its last is 65 days after the new one,
    // beyond the span of any cycle through it: all three are still one finding.
    const { focused, full } = focusedRun(cycle as unknown as Detector, rows, [3]);
    expect(full).toHaveLength(1);
    expect(focused).toEqual(full);
    expect(focused[0]?.edges).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(focused[0]?.reasons[0]).toContain("(3 cycles sharing payments)");
  });

  it("leaves a loop inside a longer peel chain to the random detector, and keeps the rules that quieten it", () => {
    const chain: Row[] = [
      w("X", "A", 0, 10_000),
      w("A", "B", 1, 9_500),
      w("B", "A", 2, 9_000),
      w("A", "C", 3, 8_500),
      w("C", "D", 4, 8_000),
    ];
    // The new payment is the chain's last, three hops after the loop.
    expect(focusedRun(cycle as unknown as Detector, chain, [4]).focused).toEqual([]);
    expect(focusedRun(cycle as unknown as Detector, chain, [2]).focused).toEqual([]);
    // A recurring rent closing the cycle, the later rent new.
    const rent: Row[] = [
      w("T", "L", 1, 3_000),
      w("L", "S", 2, 2_900),
      w("S", "T", 3, 2_800),
      w("T", "L", 31, 3_000),
    ];
    expect(focusedRun(cycle as unknown as Detector, rent, [3]).focused).toEqual([]);
    expect(focusedRun(cycle as unknown as Detector, rent.slice(0, 3), [1]).focused).toHaveLength(1);
  });
});

describe("cycle in runDetectors", () => {
  it("needs the channel: without it, NOT_EVALUABLE with the field named, and not run", () => {
    const graph = graphOf(FOUR);
    const available = new Set<DetectionField>(DETECTION_FIELDS.filter((f) => f !== "channel"));
    const [outcome] = runDetectors({ graph, available }, [cycle] as unknown as Detector[]);
    expect([outcome?.status, outcome?.missing, outcome?.findings]).toEqual([
      "not-evaluable",
      ["channel"],
      [],
    ]);
    const [all] = runDetectors({ graph, available: new Set(DETECTION_FIELDS) }, [
      cycle,
    ] as unknown as Detector[]);
    expect([all?.status, all?.findings.length]).toEqual(["ok", 1]);
  });

  it("takes a pack's parameters over the defaults and refuses impossible ones", () => {
    const data = dataOf(FOUR);
    const [outcome] = runDetectors(
      data,
      [cycle] as unknown as Detector[],
      new Map([["cycle", { min_amount_usd: 9_000 }]]),
    );
    expect(outcome?.findings).toEqual([]);
    expect(outcome?.params).toMatchObject({
      min_amount_usd: 9_000,
      min_retention: 0.8,
      max_span_days: 60,
      max_length: 12,
    });
    expect(() =>
      runDetectors(data, [cycle] as unknown as Detector[], new Map([["cycle", { max_length: 13 }]])),
    ).toThrow();
    expect(() =>
      runDetectors(data, [cycle] as unknown as Detector[], new Map([["cycle", { min_length: 1 }]])),
    ).toThrow();
  });
});
