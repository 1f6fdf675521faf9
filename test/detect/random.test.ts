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
import { FAR } from "../../src/detect/focus.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";
import { focusedRun } from "./focused-run.js";

type RandomParams = Parameters<typeof random.params.parse>[0];

const WIRE = 2;
const INTERNAL = 11;

/** A wire transfer row. */
const w = (from: string, to: string, day: number, amount: number): Row => [from, to, day, amount, WIRE];

const dataOf = (rows: readonly Row[]): DetectionData => ({
  graph: graphOf(rows),
  available: new Set(DETECTION_FIELDS),
});

function run(rows: readonly Row[], params: RandomParams = {}): { g: MoneyGraph; findings: Finding[] } {
  const data = dataOf(rows);
  return { g: data.graph, findings: random.run(data, random.params.parse(params)) };
}

const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);

/** A chain through `names`, a payment every `gap` days from day 0, each `keep` of the one before. */
function chain(names: string[], gap: number, first: number, keep: number): Row[] {
  return names.slice(1).map((n, i) => w(names[i] as string, n, i * gap, first * keep ** i));
}

/** The rows `days` later. */
const later =
  (days: number) =>
  (r: Row): Row => [r[0], r[1], r[2] + days, r[3], r[4]];

// A peel chain: A passes 10,000 on to E in four hops, every two days, each keeping 85-90%.
const PEEL: Row[] = [
  w("A", "B", 0, 10_000),
  w("B", "C", 2, 9_000),
  w("C", "D", 4, 8_000),
  w("D", "E", 6, 7_000),
];

describe("random", () => {
  it("fires on a chain of four forwardings: originator, intermediaries, beneficiary, edges, window, reasons", () => {
    const { g, findings } = run(PEEL);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("random");
    expect(subjects(g, f)).toEqual([
      ["A", "originator"],
      ["B", "intermediary"],
      ["C", "intermediary"],
      ["D", "intermediary"],
      ["E", "beneficiary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3]);
    expect(f.window).toEqual({ from: 0, to: 6 * DAY });
    expect(f.amountUsd).toBe(10_000);
    expect(f.reasons).toEqual([
      "money was passed on along a chain of 4 payments through 5 accounts within 6 day(s), starting at A: 4 payments of 7,000 to 10,000 USD",
      "each receiver passed on 88% to 90% of what it received, after 2.0 to 2.0 day(s) (min_hops 4, min_retention 0.7, max_retention 1, window_days 7)",
      "every payment is the only one its payer made to its payee apart from the chain's own, none between one's own accounts; no member has more than 100 counterparties",
    ]);
    expect(f.score).toBe(0.7);
  });

  it("fires on a random walk that comes back to its members, paying one of them twice; the loop in it is no cycle", () => {
    const walk: Row[] = [
      w("A", "B", 0, 8_000),
      w("B", "C", 2, 7_000),
      w("C", "A", 3, 6_000),
      w("A", "B", 5, 5_000),
      w("B", "D", 8, 4_000),
    ];
    const { g, findings } = run(walk);
    expect(findings.map((f) => [f.edges, subjects(g, f)])).toEqual([
      [
        [0, 1, 2, 3, 4],
        [
          ["A", "originator"],
          ["B", "intermediary"],
          ["C", "intermediary"],
          ["D", "beneficiary"],
        ],
      ],
    ]);
    expect(findings[0]?.score).toBe(0.8);
    expect(cycle.run(dataOf(walk), cycle.params.parse({}))).toEqual([]);
  });

  it("finds the chain among other payments, and only its payments", () => {
    const rows: Row[] = [
      w("A", "B", 0, 10_000),
      w("B", "SHOP", 1, 45),
      w("B", "C", 2, 9_000),
      w("C", "D", 4, 8_000),
      w("C", "Z", 4.5, 300),
      w("D", "E", 6, 7_000),
    ];
    expect(run(rows).findings.map((f) => f.edges)).toEqual([[0, 2, 3, 5]]);
  });

  it("min_hops 4: three forwardings are no chain", () => {
    expect(run(PEEL.slice(0, 3)).findings).toEqual([]);
    expect(run(PEEL.slice(0, 3), { min_hops: 3 }).findings).toHaveLength(1);
  });

  it("min_retention 0.7 is inclusive: a receiver passing on exactly 70% fires, 69% does not", () => {
    const at = (last: number) =>
      run([w("A", "B", 0, 10_000), w("B", "C", 1, 7_000), w("C", "D", 2, 4_900), w("D", "E", 3, last)]);
    expect(at(3_430).findings).toHaveLength(1);
    expect(at(3_381).findings).toEqual([]);
  });

  it("max_retention 1.0: passing on exactly what came fires; passing on more does not", () => {
    expect(run(chain(["A", "B", "C", "D", "E"], 1, 10_000, 1)).findings).toHaveLength(1);
    expect(run(chain(["A", "B", "C", "D", "E"], 1, 10_000, 1.01)).findings).toEqual([]);
    expect(
      run(chain(["A", "B", "C", "D", "E"], 1, 10_000, 1.01), { max_retention: 1.05 }).findings,
    ).toHaveLength(1);
  });

  it("window_days 7 is inclusive: forwarding after exactly 7 days fires, after 7.1 does not; and never at the same instant", () => {
    expect(run(chain(["A", "B", "C", "D", "E"], 7, 10_000, 0.9)).findings).toHaveLength(1);
    expect(run(chain(["A", "B", "C", "D", "E"], 7.1, 10_000, 0.9)).findings).toEqual([]);
    expect(run(chain(["A", "B", "C", "D", "E"], 0, 10_000, 0.9)).findings).toEqual([]);
  });

  it("min_amount_usd: a chain must move a material sum (its largest payment at least 1,000)", () => {
    expect(run(chain(["A", "B", "C", "D", "E"], 1, 999, 0.9)).findings).toEqual([]);
    expect(run(chain(["A", "B", "C", "D", "E"], 1, 1_000, 0.9)).findings).toHaveLength(1);
  });

  it("min_hop_usd: payments under it are no links (pocket money, by default under 100)", () => {
    const rows = chain(["A", "B", "C", "D", "E", "F"], 1, 1_000, 0.55 ** 0.25);
    // 1,000, 861, 742, 639 then 550: five hops.
    expect(run(rows).findings.map((f) => f.edges)).toEqual([[0, 1, 2, 3, 4]]);
    expect(run(rows, { min_hop_usd: 600 }).findings.map((f) => f.edges)).toEqual([[0, 1, 2, 3]]);
    expect(run(rows, { min_hop_usd: 700 }).findings).toEqual([]);
  });

  it("hard negative: salary → rent → the landlord's mortgage → … paid every month (recurring payments)", () => {
    const month = (d: number): Row[] => [
      w("EMPLOYER", "WORKER", d, 4_000),
      w("WORKER", "LANDLORD", d + 2, 3_200),
      w("LANDLORD", "BANK", d + 3, 3_000),
      w("BANK", "INSURER", d + 5, 2_500),
    ];
    const rows = [...month(0), ...month(30)];
    expect(run(rows).findings).toEqual([]);
    // The first month alone would look like a chain: what keeps it quiet is that it recurs.
    expect(run(month(0)).findings).toHaveLength(1);
  });

  it("hard negative: transfers between one's own accounts (channel internal) are no links", () => {
    const rows: Row[] = [
      ["A", "A-SAVINGS", 0, 10_000, INTERNAL],
      w("A-SAVINGS", "B", 1, 9_000),
      w("B", "C", 2, 8_000),
      w("C", "D", 3, 7_000),
    ];
    expect(run(rows).findings).toEqual([]);
    expect(run([w("A", "A-SAVINGS", 0, 10_000), ...rows.slice(1)]).findings).toHaveLength(1);
  });

  it("hard negative: a travel agency passing bookings to the airline (a hub: more than max_hub_degree counterparties)", () => {
    const customers: Row[] = Array.from({ length: 100 }, (_, i) =>
      w(`K${String(i).padStart(3, "0")}`, "AGENCY", 0.5, 200),
    );
    const rows: Row[] = [
      w("TRAVELLER", "AGENCY", 1, 5_000),
      w("AGENCY", "AIRLINE", 1.1, 4_500),
      w("AIRLINE", "LESSOR", 2, 4_000),
      w("LESSOR", "OWNER", 3, 3_500),
    ];
    expect(run([...customers, ...rows]).findings).toEqual([]);
    // With 98 customers, the traveller and the airline, it has 100: not a hub.
    expect(run([...customers.slice(2), ...rows]).findings).toHaveLength(1);
  });

  it("a round trip is the cycle detector's, even when its hops are forwardings; a longer walk through it is not", () => {
    const trip: Row[] = [
      w("A", "B", 0, 10_000),
      w("B", "C", 2, 9_000),
      w("C", "D", 4, 8_500),
      w("D", "A", 6, 8_000),
    ];
    expect(run(trip).findings).toEqual([]);
    expect(cycle.run(dataOf(trip), cycle.params.parse({})).map((f) => f.edges)).toEqual([[0, 1, 2, 3]]);
    // A forwarding hop out of the cycle turns it into a walk that goes on.
    const walk = [...trip, w("A", "E", 7, 7_500)];
    expect(run(walk).findings.map((f) => f.edges)).toEqual([[0, 1, 2, 3, 4]]);
    expect(cycle.run(dataOf(walk), cycle.params.parse({}))).toEqual([]);
  });

  it("a walk that comes back to its start too late for a round trip (after more than 60 days) is a chain", () => {
    const names = Array.from({ length: 11 }, (_, i) => `M${String(i).padStart(2, "0")}`);
    // Eleven hops 6.5 days apart: back after 65 days.
    const rows = chain([...names, "M00"], 6.5, 20_000, 0.95);
    expect(cycle.run(dataOf(rows), cycle.params.parse({}))).toEqual([]);
    expect(run(rows).findings.map((f) => f.edges.length)).toEqual([11]);
  });
});

describe("random on an incremental run", () => {
  // PEEL, then a second chain among other accounts two weeks later.
  const TWO: Row[] = [...PEEL, ...chain(["P", "Q", "R", "S", "T"], 1, 5_000, 0.9).map(later(20))];

  it("finds the chain with a new payment, as the full run does, however far its start is, and skips the one without", () => {
    // The new payment is the chain's last: its originator A is out of the focus's reach.
    const { focused, full, g, distance } = focusedRun(random as unknown as Detector, TWO, [3]);
    expect(distance[g.accounts.indexOf("A")]).toBe(FAR);
    expect(focused.map((f) => f.edges)).toEqual([[0, 1, 2, 3]]);
    expect(focused).toEqual(full);
    expect(focusedRun(random as unknown as Detector, TWO, [4]).focused.map((f) => f.edges)).toEqual([
      [4, 5, 6, 7],
    ]);
    // A new payment on no chain: nothing, though both chains are there.
    const quiet = focusedRun(random as unknown as Detector, [...TWO, w("X", "Y", 40, 3_000)], [8]);
    expect([quiet.focused, quiet.full]).toEqual([[], []]);
  });

  it("leaves a round trip to the cycle detector, but not a walk that goes on beyond it", () => {
    const trip: Row[] = [
      w("A", "B", 0, 10_000),
      w("B", "C", 2, 9_000),
      w("C", "D", 4, 8_500),
      w("D", "A", 6, 8_000),
    ];
    expect(focusedRun(random as unknown as Detector, trip, [2]).focused).toEqual([]);
    const walk = [...trip, w("A", "E", 7, 7_500)];
    const { focused, full } = focusedRun(random as unknown as Detector, walk, [4]);
    expect(focused.map((f) => f.edges)).toEqual([[0, 1, 2, 3, 4]]);
    expect(focused).toEqual(full);
  });

  it("hard negatives stay quiet: a recurring chain whose later month is new, and a chain through a hub", () => {
    const month = (d: number): Row[] => [
      w("EMPLOYER", "WORKER", d, 4_000),
      w("WORKER", "LANDLORD", d + 2, 3_200),
      w("LANDLORD", "BANK", d + 3, 3_000),
      w("BANK", "INSURER", d + 5, 2_500),
    ];
    expect(
      focusedRun(random as unknown as Detector, [...month(0), ...month(30)], [4, 5, 6, 7]).focused,
    ).toEqual([]);
    expect(focusedRun(random as unknown as Detector, month(0), [3]).focused).toHaveLength(1);
    const customers: Row[] = Array.from({ length: 100 }, (_, i) =>
      w(`K${String(i).padStart(3, "0")}`, "AGENCY", 0.5, 200),
    );
    const rows: Row[] = [
      ...customers,
      w("TRAVELLER", "AGENCY", 1, 5_000),
      w("AGENCY", "AIRLINE", 1.1, 4_500),
      w("AIRLINE", "LESSOR", 2, 4_000),
      w("LESSOR", "OWNER", 3, 3_500),
    ];
    expect(focusedRun(random as unknown as Detector, rows, [103]).focused).toEqual([]);
    expect(focusedRun(random as unknown as Detector, rows.slice(2), [101]).focused).toHaveLength(1);
  });
});

describe("random in runDetectors", () => {
  it("needs the channel: without it, NOT_EVALUABLE with the field named, and not run", () => {
    const graph = graphOf(PEEL);
    const available = new Set<DetectionField>(DETECTION_FIELDS.filter((f) => f !== "channel"));
    const [outcome] = runDetectors({ graph, available }, [random] as unknown as Detector[]);
    expect([outcome?.status, outcome?.missing, outcome?.findings]).toEqual([
      "not-evaluable",
      ["channel"],
      [],
    ]);
    const [all] = runDetectors({ graph, available: new Set(DETECTION_FIELDS) }, [
      random,
    ] as unknown as Detector[]);
    expect([all?.status, all?.findings.length]).toEqual(["ok", 1]);
  });

  it("takes a pack's parameters over the defaults and refuses impossible ones", () => {
    const data = dataOf(PEEL);
    const [outcome] = runDetectors(
      data,
      [random] as unknown as Detector[],
      new Map([["random", { min_hops: 5 }]]),
    );
    expect(outcome?.findings).toEqual([]);
    expect(outcome?.params).toMatchObject({
      min_hops: 5,
      window_days: 7,
      min_retention: 0.7,
      max_retention: 1,
    });
    expect(() =>
      runDetectors(data, [random] as unknown as Detector[], new Map([["random", { min_hops: 1 }]])),
    ).toThrow();
    expect(() =>
      runDetectors(data, [random] as unknown as Detector[], new Map([["random", { min_retention: 0 }]])),
    ).toThrow();
  });
});
