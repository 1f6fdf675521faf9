import { describe, expect, it } from "vitest";
import {
  DETECTION_FIELDS,
  type DetectionField,
  type Detector,
  type Finding,
} from "../../src/detect/detector.js";
import { bipartite } from "../../src/detect/detectors/bipartite.js";
import { focusOn } from "../../src/detect/focus.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import { CARD, type DetailedRow, edgesOf, ledger, P2P, runOn, subjectsOf, WIRE } from "./ht-rows.js";

/**
 * A layer: originators A1..An each pay beneficiaries B1..Bm 3,000 USD once, on days 3..12; every
 * account also buys groceries for 40 USD on days 1 and 2 (its usual payment).
 */
function layer(
  n: number,
  m: number,
  skip: readonly string[] = [],
  day = (i: number, j: number) => 3 + ((i + j) % 10),
) {
  const rows: DetailedRow[] = [];
  const names = [
    ...Array.from({ length: n }, (_, i) => `A${i + 1}`),
    ...Array.from({ length: m }, (_, j) => `B${j + 1}`),
  ];
  for (const x of names) rows.push([x, "SHOP", 1, 40, CARD], [x, "SHOP", 2, 40, CARD]);
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      if (!skip.includes(`A${i}B${j}`)) rows.push([`A${i}`, `B${j}`, day(i, j), 3000, j % 2 ? WIRE : P2P]);
  return rows;
}

const run = (rows: DetailedRow[], params: Record<string, unknown> = {}) => {
  const l = ledger(rows);
  return { l, findings: runOn(bipartite, l, params) };
};

describe("bipartite", () => {
  it("fires on three originators each paying the same three strangers: roles, edges, window, amount, reasons", () => {
    const { l, findings } = run(layer(3, 3));
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("bipartite");
    expect(subjectsOf(l, f)).toEqual([
      ["A1", "originator"],
      ["A2", "originator"],
      ["A3", "originator"],
      ["B1", "beneficiary"],
      ["B2", "beneficiary"],
      ["B3", "beneficiary"],
    ]);
    expect(edgesOf(l, f).filter(([, to]) => to === "SHOP")).toEqual([]);
    expect(f.edges).toHaveLength(9);
    expect(f.window.to - f.window.from).toBe(4 * 86_400_000);
    expect(f.amountUsd).toBe(27_000);
    expect(f.reasons[0]).toBe(
      "3 accounts (A1, A2, A3) paid 3 accounts (B1, B2, B3): 9 of the 9 possible pairs (density 1.00), 27,000 USD in 9 transactions within 4 day(s)",
    );
    expect(f.reasons[1]).toBe(
      "for the median originator, its payments in the layer are 75.0 times its usual payment (at least 25 asked)",
    );
    expect(f.score).toBeGreaterThan(0.5);
  });

  it("allows a fifth of the pairs missing (density 0.8) and no more", () => {
    // 3 × 4 = 12 pairs: one missing leaves 0.92, three missing leave 0.75.
    expect(run(layer(3, 4, ["A1B1"])).findings).toHaveLength(1);
    expect(run(layer(3, 4, ["A1B1", "A2B2", "A3B3"])).findings).toEqual([]);
    // 3 × 5 = 15 pairs: three missing leave exactly 0.8 (0.8 × 3 × 5 is 12.000000000000002 in
    // floating point, which once asked for 13), four missing 0.73.
    const [f] = run(layer(3, 5, ["A1B1", "A2B2", "A3B3"])).findings;
    expect(f?.reasons[0]).toMatch(/: 12 of the 15 possible pairs \(density 0\.80\)/);
    expect(run(layer(3, 5, ["A1B1", "A2B2", "A3B3", "A1B4"])).findings).toEqual([]);
  });

  it("a larger, full layer scores higher than a 2 × 2 square", () => {
    const small = run(layer(2, 2)).findings[0] as Finding;
    const large = run(layer(4, 4)).findings[0] as Finding;
    expect(large.score).toBeGreaterThan(small.score);
  });

  it("stays silent when a beneficiary pays an originator back", () => {
    expect(run([...layer(3, 3), ["B2", "A1", 20, 500, P2P]]).findings).toEqual([]);
  });

  it("stays silent on relationships: the same pairs paying each other every month", () => {
    const monthly = layer(3, 3).flatMap((r): DetailedRow[] =>
      r[1].startsWith("B") ? [r, [r[0], r[1], r[2] + 30, r[3], r[4]]] : [r],
    );
    expect(run(monthly).findings).toEqual([]);
  });

  it("stays silent when the beneficiaries are hubs (more distinct payers than max_hub_degree)", () => {
    expect(run(layer(3, 3), { max_hub_degree: 2 }).findings).toEqual([]);
  });

  it("stays silent when the payments spread over more than window_days", () => {
    expect(run(layer(3, 3, [], (i, j) => (i === 3 && j === 3 ? 45 : 3 + i + j))).findings).toEqual([]);
    expect(
      run(
        layer(3, 3, [], (i, j) => (i === 3 && j === 3 ? 45 : 3 + i + j)),
        { window_days: 60 },
      ).findings,
    ).toHaveLength(1);
  });

  it("does not count purchases: payments with a merchant category code are not a layer", () => {
    const rows = layer(3, 3).map(
      (r): DetailedRow => (r[1].startsWith("B") ? [r[0], r[1], r[2], r[3], r[4], { mcc: "5651" }] : r),
    );
    expect(run(rows).findings).toEqual([]);
  });

  it("stays silent when the sums are what the payers usually pay (businesses paying the same suppliers)", () => {
    // Each pays its own supplier 2,500 USD twice: its usual payment.
    const usual = layer(3, 3).map(
      (r): DetailedRow => (r[1] === "SHOP" ? [r[0], `SUPPLIER-${r[0]}`, r[2], 2500, WIRE] : r),
    );
    expect(run(usual).findings).toEqual([]);
    // Asked only to stand above 1× their usual, the same payments are a layer.
    expect(run(usual, { min_above_usual: 1 }).findings).toHaveLength(1);
  });

  it("incremental: a new payment of the layer finds it as a full run does; one elsewhere does not", () => {
    const rows: DetailedRow[] = [...layer(3, 3), ["X", "Y", 20, 4000, WIRE]];
    const l = ledger(rows);
    const full = runOn(bipartite, l);
    const marked = (keep: (from: string, to: string) => boolean) => {
      const newEdge = new Uint8Array(l.graph.edgeCount);
      for (let e = 0; e < l.graph.edgeCount; e++)
        if (
          keep(
            l.graph.accounts[l.graph.from[e] as number] ?? "",
            l.graph.accounts[l.graph.to[e] as number] ?? "",
          )
        )
          newEdge[e] = 1;
      return focusOn(l.graph, newEdge, 100);
    };
    // The new payment is A3 → B2: A1 and A2 are found as A3's fellow payers of B1..B3.
    const inLayer = bipartite.run(
      { ...l.data, focus: marked((f, t) => f === "A3" && t === "B2") },
      bipartite.params.parse({}),
    );
    expect(inLayer).toEqual(full);
    const elsewhere = bipartite.run(
      { ...l.data, focus: marked((f) => f === "X") },
      bipartite.params.parse({}),
    );
    expect(elsewhere).toEqual([]);
  });

  it("needs both accounts of a payment: without to_account, NOT_EVALUABLE and not run", () => {
    const { l } = run(layer(3, 3));
    const available = new Set<DetectionField>(DETECTION_FIELDS.filter((f) => f !== "to_account"));
    const [outcome] = runDetectors({ ...l.data, available }, [bipartite] as unknown as Detector[]);
    expect([outcome?.status, outcome?.missing, outcome?.findings]).toEqual([
      "not-evaluable",
      ["to_account"],
      [],
    ]);
  });
});
