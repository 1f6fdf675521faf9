import type { MoneyGraph } from "../graph/money-graph.js";
import { memoised } from "./graph-memo.js";

/**
 * Per account, how many distinct accounts pay it and how many it pays (cash and itself left out):
 * what several detectors ask to tell hubs (merchants, payrolls) from ordinary accounts. A pass
 * over every edge, so computed once per graph and shared.
 */
export interface DistinctDegrees {
  payers: Int32Array;
  payees: Int32Array;
}

function count(g: MoneyGraph, side: "in" | "out"): Int32Array {
  const start = side === "in" ? g.inStart : g.outStart;
  const list = side === "in" ? g.inEdges : g.outEdges;
  const ends = side === "in" ? g.from : g.to;
  const degree = new Int32Array(g.accounts.length);
  const stamp = new Int32Array(g.accounts.length).fill(-1);
  for (let a = 0; a < g.accounts.length; a++) {
    let n = 0;
    for (let k = start[a] as number; k < (start[a + 1] as number); k++) {
      const c = ends[list[k] as number] as number;
      if (c >= 0 && c !== a && stamp[c] !== a) {
        stamp[c] = a;
        n++;
      }
    }
    degree[a] = n;
  }
  return degree;
}

export function distinctDegrees(g: MoneyGraph): DistinctDegrees {
  return memoised(g, "distinct-degrees", () => ({ payers: count(g, "in"), payees: count(g, "out") }));
}
