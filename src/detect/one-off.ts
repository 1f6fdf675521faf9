import type { MoneyGraph } from "../graph/money-graph.js";
import { memoised } from "./graph-memo.js";

/**
 * One-off dealings: per edge, 1 if all the dealings of its payer with its payee (that direction)
 * fall within `relationship` ms of each other, as a single-use member of a motif deals. A pair
 * whose dealings span longer is a relationship (an employer, a landlord, a friend). Cash and
 * payments to oneself are never one-offs. An edge's flag depends only on its payer's payments, so
 * new payments change the flags of their payers' edges alone (`carried-measures.ts`).
 */

export const ONE_OFF_KEY = "one-off:";

/** Scratch space for `markOneOff`, one slot per account. */
export interface OneOffScratch {
  stamp: Int32Array;
  first: Float64Array;
  last: Float64Array;
}

export function oneOffScratch(accounts: number): OneOffScratch {
  return {
    stamp: new Int32Array(accounts).fill(-1),
    first: new Float64Array(accounts),
    last: new Float64Array(accounts),
  };
}

/** Sets the flags of payer `a`'s edges in `oneOff` (`s.stamp` must not hold `a` yet). */
export function markOneOff(
  g: MoneyGraph,
  a: number,
  relationship: number,
  oneOff: Uint8Array,
  s: OneOffScratch,
): void {
  const { outStart, outEdges, to, time } = g;
  const { stamp, first, last } = s;
  const lo = outStart[a] as number;
  const hi = outStart[a + 1] as number;
  // Each payee's first and last payment from a (the list is in time order), then the verdict.
  for (let k = lo; k < hi; k++) {
    const e = outEdges[k] as number;
    const c = to[e] as number;
    if (c < 0 || c === a) continue;
    const t = time[e] as number;
    if (stamp[c] !== a) {
      stamp[c] = a;
      first[c] = t;
    }
    last[c] = t;
  }
  for (let k = lo; k < hi; k++) {
    const e = outEdges[k] as number;
    const c = to[e] as number;
    oneOff[e] = c >= 0 && c !== a && (last[c] as number) - (first[c] as number) <= relationship ? 1 : 0;
  }
}

/** Every edge's one-off flag. Memoised per graph and `relationship`. */
export function oneOffEdges(g: MoneyGraph, relationship: number): Uint8Array {
  return memoised(g, `${ONE_OFF_KEY}${relationship}`, () => {
    const oneOff = new Uint8Array(g.edgeCount);
    const scratch = oneOffScratch(g.accounts.length);
    for (let a = 0; a < g.accounts.length; a++) markOneOff(g, a, relationship, oneOff, scratch);
    return oneOff;
  });
}
