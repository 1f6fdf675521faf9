import { describe, expect, it } from "vitest";
import { CASH, CASH_SIDES, cashBySide, cashBySideWith, sideOf } from "../../src/detect/cash-sides.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { random } from "../graph/columns-of.js";
import { randomGraph } from "../graph/random-graph.js";

/** The account-sides that hold one of `edges` if it is cash: what an incremental run reads. */
function sidesWith(g: MoneyGraph, edges: readonly number[]): Set<string> {
  const keys = new Set<string>();
  for (const e of edges) {
    if (g.channel[e] !== CASH) continue;
    const side = sideOf(g.from[e] as number, g.to[e] as number);
    if (side) keys.add(`${side}:${side === "in" ? g.to[e] : g.from[e]}`);
  }
  return keys;
}

describe("cashBySideWith (an incremental run's cash, from the new edges' accounts)", () => {
  it("is the whole-graph pass kept to the account-sides with a given edge, in the same order", () => {
    const compared = { in: 0, out: 0, self: 0 };
    let left = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const g = randomGraph(seed, 40, 2000);
      const rand = random(seed * 7 + 1);
      const chosen: number[] = [];
      for (let e = 0; e < g.edgeCount; e++) if (rand() < 0.05) chosen.push(e);
      const keep = sidesWith(g, chosen);
      const all = cashBySide(g);
      // Given in reverse: the order of the edges given must not matter.
      const some = cashBySideWith(g, [...chosen].reverse());
      for (const side of CASH_SIDES) {
        const expected = [...all[side]].filter(([a]) => keep.has(`${side}:${a}`));
        // Entries compared as arrays: the accounts' order matters (it orders the hits).
        expect([...some[side]]).toEqual(expected);
        compared[side] += expected.length;
        left += all[side].size - expected.length;
      }
    }
    // Not a comparison of empty maps, on any side, nor of the whole pass: some account-sides are left.
    for (const side of CASH_SIDES) expect(compared[side]).toBeGreaterThan(2);
    expect(left).toBeGreaterThan(10);
  });

  it("finds nothing from edges that are not cash", () => {
    const g = randomGraph(9, 40, 500);
    const notCash: number[] = [];
    for (let e = 0; e < g.edgeCount; e++) if (g.channel[e] !== CASH) notCash.push(e);
    const some = cashBySideWith(g, notCash);
    expect(CASH_SIDES.map((s) => some[s].size)).toEqual([0, 0, 0]);
  });
});
