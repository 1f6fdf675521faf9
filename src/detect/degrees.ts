import type { MoneyGraph } from "../graph/money-graph.js";
import { memoised } from "./graph-memo.js";

/**
 * Per account, how many distinct accounts pay it and how many it pays (cash and itself left out):
 * what several detectors ask to tell hubs (merchants, payrolls) from ordinary accounts. A pass
 * over every edge, so computed once per graph and shared (and carried from one run's graph to the
 * next, `carried-measures.ts`: an account's degrees change only with its own new payments).
 */
export interface DistinctDegrees {
  payers: Int32Array;
  payees: Int32Array;
}

export const DEGREES_KEY = "distinct-degrees";

/**
 * The distinct counterparties of account `a` on one side, with `stamp` (one slot per account,
 * never holding `a` before) marking those already counted.
 */
export function distinctOf(g: MoneyGraph, side: "in" | "out", a: number, stamp: Int32Array): number {
  const start = side === "in" ? g.inStart : g.outStart;
  const list = side === "in" ? g.inEdges : g.outEdges;
  const ends = side === "in" ? g.from : g.to;
  let n = 0;
  for (let k = start[a] as number; k < (start[a + 1] as number); k++) {
    const c = ends[list[k] as number] as number;
    if (c >= 0 && c !== a && stamp[c] !== a) {
      stamp[c] = a;
      n++;
    }
  }
  return n;
}

function count(g: MoneyGraph, side: "in" | "out"): Int32Array {
  const degree = new Int32Array(g.accounts.length);
  const stamp = new Int32Array(g.accounts.length).fill(-1);
  for (let a = 0; a < g.accounts.length; a++) degree[a] = distinctOf(g, side, a, stamp);
  return degree;
}

export function distinctDegrees(g: MoneyGraph): DistinctDegrees {
  return memoised(g, DEGREES_KEY, () => ({ payers: count(g, "in"), payees: count(g, "out") }));
}

/**
 * Whether the edges `list[lo..hi)` of one account reach more than `bar` distinct counterparties
 * (`ends[e]`) by transfers, purchases (payments with a merchant code, `mcc[e] >= 0`) left out:
 * where the data has merchant codes, a shop's card customers or a person's shops make no hub of
 * transfers. `stamp` marks a counterparty counted under `token` (one token per count); the
 * count stops past the bar, so asking it of a hub costs only its first distinct counterparties.
 */
export function transferCounterpartiesOver(
  a: number,
  lo: number,
  hi: number,
  list: Int32Array,
  ends: Int32Array,
  mcc: Int32Array,
  bar: number,
  stamp: Int32Array,
  token: number,
): boolean {
  let n = 0;
  for (let k = lo; k < hi; k++) {
    const e = list[k] as number;
    const c = ends[e] as number;
    if (c < 0 || c === a || (mcc[e] as number) >= 0 || stamp[c] === token) continue;
    stamp[c] = token;
    if (++n > bar) return true;
  }
  return false;
}
