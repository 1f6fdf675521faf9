import type { EdgeColumns } from "../store/store.js";
import { sharedArray } from "../util/shared-array.js";

export type { EdgeColumns };

/**
 * The money-flow graph: a temporal multigraph in typed arrays. Every transaction is an edge,
 * kept in time order, with its time, USD amount, channel and provenance; accounts are nodes, and
 * for each account its incoming and outgoing edges are listed in time order (CSR). Cash in and
 * cash out keep their edge with -1 on the missing side, so that running balances see them.
 */

export interface MoneyGraph extends EdgeColumns {
  /** Account index by key; made on first use (a map of every key costs more than the CSR). */
  readonly indexOf: Map<string, number>;
  edgeCount: number;
  /** Out-edges of account a: outEdges[outStart[a] .. outStart[a+1]), in time order. */
  outStart: Int32Array;
  outEdges: Int32Array;
  inStart: Int32Array;
  inEdges: Int32Array;
}

function csr(ends: Int32Array, nodes: number): { start: Int32Array; edges: Int32Array } {
  // Shared, as the columns are (`newEdgeColumns`): a detection worker reads the lists as they are.
  const start = sharedArray(Int32Array, nodes + 1);
  for (let e = 0; e < ends.length; e++) {
    const n = ends[e] as number;
    if (n >= 0) start[n + 1] = (start[n + 1] as number) + 1;
  }
  for (let n = 0; n < nodes; n++) start[n + 1] = (start[n + 1] as number) + (start[n] as number);
  const fill = start.slice(0, nodes);
  const edges = sharedArray(Int32Array, start[nodes] as number);
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

/**
 * The graph of these columns; its adjacency lists built here, or given when worked out otherwise
 * (grown from an earlier graph's, `grow-csr.ts`: they must be what this would build).
 */
export function buildMoneyGraph(
  columns: EdgeColumns,
  lists?: { out: { start: Int32Array; edges: Int32Array }; in: { start: Int32Array; edges: Int32Array } },
  /**
   * The edges whose place in time is to be checked, where the rest are known to be in order (a
   * merge of two graphs in order places only the new edges): on 5M edges the whole check took
   * 15–20 ms of each incremental run.
   */
  placed?: Int32Array,
): MoneyGraph {
  const nodes = columns.accounts.length;
  const { time } = columns;
  const inOrder = (e: number) => e <= 0 || e >= time.length || (time[e] as number) >= (time[e - 1] as number);
  if (placed) {
    for (let i = 0; i < placed.length; i++) {
      const e = placed[i] as number;
      if (!inOrder(e) || !inOrder(e + 1)) throw new Error("graph edges must come in time order");
    }
  } else
    for (let e = 1; e < time.length; e++)
      if (!inOrder(e)) throw new Error("graph edges must come in time order");
  const out = lists?.out ?? csr(columns.from, nodes);
  const inn = lists?.in ?? csr(columns.to, nodes);
  let index: Map<string, number> | undefined;
  return {
    ...columns,
    get indexOf() {
      index ??= new Map(columns.accounts.map((a, i) => [a, i]));
      return index;
    },
    edgeCount: columns.time.length,
    outStart: out.start,
    outEdges: out.edges,
    inStart: inn.start,
    inEdges: inn.edges,
  };
}

/** The first position in list[start..end) (sorted) holding an edge after `after`. */
export function firstAfter(list: Int32Array, start: number, end: number, after: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Walks an account's ledger: its credits and debits merged in time order, in place over its two
 * edge lists, from after edge `after` (-1: from the start) up to (not including) edge `before`.
 * At the same instant credits come first: money has to arrive before it can leave (a
 * self-transfer is a credit, then a debit).
 */
export function forEachLedgerEntry(
  g: MoneyGraph,
  account: number,
  before: number,
  visit: (edge: number, credit: boolean) => void,
  after = -1,
): void {
  // Each list is in edge order, so the edges in (after, before) are a run of each.
  const inFrom = g.inStart[account] as number;
  const inTo = g.inStart[account + 1] as number;
  const outFrom = g.outStart[account] as number;
  const outTo = g.outStart[account + 1] as number;
  let i = after < 0 ? inFrom : firstAfter(g.inEdges, inFrom, inTo, after);
  const inEnd = firstAfter(g.inEdges, i, inTo, before - 1);
  let o = after < 0 ? outFrom : firstAfter(g.outEdges, outFrom, outTo, after);
  const outEnd = firstAfter(g.outEdges, o, outTo, before - 1);
  while (i < inEnd || o < outEnd) {
    const ei = i < inEnd ? (g.inEdges[i] as number) : -1;
    const eo = o < outEnd ? (g.outEdges[o] as number) : -1;
    // An earlier edge is no later in time: times are read only to order a credit after a debit.
    const credit = eo < 0 || (ei >= 0 && (ei < eo || (g.time[ei] as number) <= (g.time[eo] as number)));
    if (credit) i++;
    else o++;
    visit(credit ? ei : eo, credit);
  }
}
