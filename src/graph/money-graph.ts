import type { EdgeColumns } from "../store/store.js";

export type { EdgeColumns };

/**
 * The money-flow graph: a temporal multigraph in typed arrays. Every transaction is an edge,
 * kept in time order, with its time, USD amount, channel and provenance; accounts are nodes, and
 * for each account its incoming and outgoing edges are listed in time order (CSR). Cash in and
 * cash out keep their edge with -1 on the missing side, so that running balances see them.
 */

export interface MoneyGraph extends EdgeColumns {
  indexOf: Map<string, number>;
  edgeCount: number;
  /** Out-edges of account a: outEdges[outStart[a] .. outStart[a+1]), in time order. */
  outStart: Int32Array;
  outEdges: Int32Array;
  inStart: Int32Array;
  inEdges: Int32Array;
}

function csr(ends: Int32Array, nodes: number): { start: Int32Array; edges: Int32Array } {
  const start = new Int32Array(nodes + 1);
  for (let e = 0; e < ends.length; e++) {
    const n = ends[e] as number;
    if (n >= 0) start[n + 1] = (start[n + 1] as number) + 1;
  }
  for (let n = 0; n < nodes; n++) start[n + 1] = (start[n + 1] as number) + (start[n] as number);
  const fill = start.slice(0, nodes);
  const edges = new Int32Array(start[nodes] as number);
  // Edges are visited in time order, so each account's list comes out in time order.
  for (let e = 0; e < ends.length; e++) {
    const n = ends[e] as number;
    if (n >= 0) {
      edges[fill[n] as number] = e;
      fill[n] = (fill[n] as number) + 1;
    }
  }
  return { start, edges };
}

export function buildMoneyGraph(columns: EdgeColumns): MoneyGraph {
  const nodes = columns.accounts.length;
  for (let e = 1; e < columns.time.length; e++) {
    if ((columns.time[e] as number) < (columns.time[e - 1] as number))
      throw new Error("graph edges must come in time order");
  }
  const out = csr(columns.from, nodes);
  const inn = csr(columns.to, nodes);
  return {
    ...columns,
    indexOf: new Map(columns.accounts.map((a, i) => [a, i])),
    edgeCount: columns.time.length,
    outStart: out.start,
    outEdges: out.edges,
    inStart: inn.start,
    inEdges: inn.edges,
  };
}

/**
 * An account's ledger: its credits and debits merged in time order. At the same instant credits
 * come first: money has to arrive before it can leave.
 */
export function ledgerOf(g: MoneyGraph, account: number): { edge: number; credit: boolean }[] {
  const ins = g.inEdges.subarray(g.inStart[account], g.inStart[account + 1]);
  const outs = g.outEdges.subarray(g.outStart[account], g.outStart[account + 1]);
  const ledger: { edge: number; credit: boolean }[] = [];
  let i = 0;
  let o = 0;
  while (i < ins.length || o < outs.length) {
    const ei = ins[i];
    const eo = outs[o];
    if (eo === undefined || (ei !== undefined && (g.time[ei] as number) <= (g.time[eo] as number))) {
      // A self-transfer is both: credit then debit.
      ledger.push({ edge: ei as number, credit: true });
      i++;
    } else {
      ledger.push({ edge: eo, credit: false });
      o++;
    }
  }
  return ledger;
}
