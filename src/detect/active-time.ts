import type { MoneyGraph } from "../graph/money-graph.js";

/** How long an account has been seen: from its first transaction to its last (ms). */
export function activeTime(g: MoneyGraph, a: number): number {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const [start, list] of [
    [g.inStart, g.inEdges],
    [g.outStart, g.outEdges],
  ] as const) {
    const lo = start[a] as number;
    const hi = start[a + 1] as number;
    if (lo === hi) continue;
    first = Math.min(first, g.time[list[lo] as number] as number);
    last = Math.max(last, g.time[list[hi - 1] as number] as number);
  }
  return last > first ? last - first : 0;
}
