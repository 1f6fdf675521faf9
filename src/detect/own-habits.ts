import type { MoneyGraph } from "../graph/money-graph.js";

/** The median of some amounts (of an even count, the mean of the two middle ones). */
export function medianOf(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * An account's usual payment one way (`"out"`: what it pays, `"in"`: what it receives): the
 * median amount of its payments that way other than those `skip` names, or null when it has
 * none besides. What a pattern's payment is measured against to see whether it stands out.
 */
export function usualPayment(
  g: MoneyGraph,
  a: number,
  way: "out" | "in",
  skip: (e: number) => boolean,
): number | null {
  const [start, list] = way === "out" ? [g.outStart, g.outEdges] : [g.inStart, g.inEdges];
  const others: number[] = [];
  for (let k = start[a] as number; k < (start[a + 1] as number); k++) {
    const e = list[k] as number;
    if (!skip(e)) others.push(g.amountUsd[e] as number);
  }
  return others.length === 0 ? null : medianOf(others);
}
