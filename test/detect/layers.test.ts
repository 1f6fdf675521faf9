import { describe, expect, it } from "vitest";
import { denseLayers, type LayerParams } from "../../src/detect/layers.js";
import { CARD, type DetailedRow, ledger, P2P, WIRE } from "./ht-rows.js";

/**
 * Two layers in a row: A1..A3 each pay M1 and M2 4,000 USD on days 5..7, then M1 and M2 each pay
 * B1..B3 2,500 USD on days 15..17; and, apart, C1 and C2 each pay D1 and D2 3,000 USD on day 30.
 * Everyone buys groceries for 40 USD on days 1 and 2.
 */
function rows(): DetailedRow[] {
  const out: DetailedRow[] = [];
  for (const x of ["A1", "A2", "A3", "M1", "M2", "B1", "B2", "B3", "C1", "C2", "D1", "D2"])
    out.push([x, "SHOP", 1, 40, CARD], [x, "SHOP", 2, 40, CARD]);
  ["A1", "A2", "A3"].forEach((a, i) => {
    for (const m of ["M1", "M2"]) out.push([a, m, 5 + i, 4000, WIRE]);
  });
  ["B1", "B2", "B3"].forEach((b, i) => {
    for (const m of ["M1", "M2"]) out.push([m, b, 15 + i, 2500, P2P]);
  });
  for (const c of ["C1", "C2"]) for (const d of ["D1", "D2"]) out.push([c, d, 30, 3000, WIRE]);
  return out;
}

const BASE: LayerParams = {
  min_side: 2,
  min_density: 0.8,
  window_days: 30,
  relationship_days: 7,
  max_hub_degree: 100,
  min_total_usd: 0,
  min_edge_usd: 500,
  min_above_usual: 25,
};

/** Each layer as its originators and beneficiaries by name. */
function named(l: ReturnType<typeof ledger>, p: LayerParams) {
  const name = (a: number) => l.graph.accounts[a];
  return denseLayers(l.graph, p, l.data.details).map((x) => [x.from.map(name), x.to.map(name), x.totalUsd]);
}

describe("denseLayers", () => {
  // Detectors asking with other windows, sums or sides share what they can on one graph (each
  // layer's shape around a seed): each answer must still be the one a fresh graph gives.
  const asks: [string, LayerParams][] = [
    ["the defaults", BASE],
    ["three a side", { ...BASE, min_side: 3 }],
    ["a window of 1 day", { ...BASE, window_days: 1 }],
    ["at least 20,000 USD", { ...BASE, min_total_usd: 20_000 }],
    ["the defaults again", BASE],
    ["a window of 60 days", { ...BASE, window_days: 60 }],
  ];

  it("finds the three layers, and none of three a side, within a day, or of 20,000 USD but the first", () => {
    const fresh = (p: LayerParams) => named(ledger(rows()), p);
    expect(fresh(BASE)).toEqual([
      [["A1", "A2", "A3"], ["M1", "M2"], 24_000],
      [["C1", "C2"], ["D1", "D2"], 12_000],
      [["M1", "M2"], ["B1", "B2", "B3"], 15_000],
    ]);
    expect(fresh({ ...BASE, min_side: 3 })).toEqual([]);
    expect(fresh({ ...BASE, window_days: 1 })).toEqual([[["C1", "C2"], ["D1", "D2"], 12_000]]);
    expect(fresh({ ...BASE, min_total_usd: 20_000 })).toEqual([[["A1", "A2", "A3"], ["M1", "M2"], 24_000]]);
  });

  it("asked again and again on one graph with other parameters, gives what each gives on a fresh graph", () => {
    const shared = ledger(rows());
    for (const [, p] of asks) expect(named(shared, p)).toEqual(named(ledger(rows()), p));
  });

  it("asked in the other order, too", () => {
    const shared = ledger(rows());
    for (const [, p] of [...asks].reverse()) expect(named(shared, p)).toEqual(named(ledger(rows()), p));
  });
});
