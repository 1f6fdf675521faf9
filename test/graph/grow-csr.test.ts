import { describe, expect, it } from "vitest";
import { growCsr } from "../../src/graph/grow-csr.js";
import { mergeEdgeColumns } from "../../src/graph/merge-edge-columns.js";
import { buildMoneyGraph } from "../../src/graph/money-graph.js";
import { columnsOf, type Tx } from "./columns-of.js";

/** `a` copied into shared memory with room for `more` values after it (a held graph's arrays). */
function roomy(a: Int32Array, more: number): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer((a.length + more) * 4), 0, a.length);
  out.set(a);
  return out;
}

describe("growCsr in the old lists' own memory", () => {
  // Old accounts b and d pay each other; later, new account a (keyed before both) pays d. On the
  // in side a has no payment: b's list moves up by no new edge but its place moves up by one.
  const old: Tx[] = [
    ["d", "b", 1, 1, 2],
    ["b", "d", 2, 1, 3],
  ];
  const later: Tx[] = [["a", "d", 3, 2, 2]];

  it("gives the lists and starts a fresh build gives, in the old arrays, past a new account with none on a side", () => {
    const before = buildMoneyGraph(columnsOf(old));
    const merged = mergeEdgeColumns(columnsOf(old), columnsOf(later));
    const fresh = buildMoneyGraph(merged.columns);
    expect(merged.columns.accounts).toEqual(["a", "b", "d"]);
    for (const [ends, start, edges, want] of [
      [merged.columns.from, before.outStart, before.outEdges, [fresh.outStart, fresh.outEdges]],
      [merged.columns.to, before.inStart, before.inEdges, [fresh.inStart, fresh.inEdges]],
    ] as const) {
      const held = { start: roomy(start, 4), edges: roomy(edges, 4) };
      const grown = growCsr(ends, 3, held, merged.baseAccount, merged.addedAt);
      expect([grown.start, grown.edges]).toEqual(want);
      expect(grown.start.buffer).toBe(held.start.buffer);
      expect(grown.edges.buffer).toBe(held.edges.buffer);
    }
  });
});
