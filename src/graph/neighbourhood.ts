import { type EdgeFilter, edgeFilter, seekTime } from "./graph-view.js";
import type { MoneyGraph } from "./money-graph.js";

/**
 * An account's neighbourhood: the accounts within k hops of it, following payments out, in or
 * both ways (breadth-first, so each account is listed at its fewest hops), the edges followed,
 * and the origin's direct counterparties with what passed between them. Hubs (payment
 * processors, exchanges) can have millions of edges, so the walk is capped per account, in
 * accounts and in edges, and says when a cap cut it short.
 */

export type Direction = "out" | "in" | "both";

export interface NeighbourhoodOptions {
  hops: number;
  direction: Direction;
  filter?: EdgeFilter;
  /** Accounts listed, the origin included; the walk stops when it is reached. */
  maxNodes?: number;
  /** Edges looked at per account and direction (in the filter's window, earliest first). */
  maxEdgesPerNode?: number;
  /** Edges listed in `edges`. */
  maxEdges?: number;
}

export interface Counterparty {
  /** -1: cash (a deposit when `in`, a withdrawal when `out`). */
  account: number;
  /** `out`: the origin paid it; `in`: it paid the origin. */
  direction: "out" | "in";
  count: number;
  totalUsd: number;
  /** Times of the first and last of those payments, ms. */
  first: number;
  last: number;
}

export interface Neighbourhood {
  /** In breadth-first order; the origin first, at hop 0. */
  accounts: { account: number; hop: number }[];
  /** By total descending, then account, then `out` before `in`. */
  counterparties: Counterparty[];
  /** Edges between an account expanded and an account listed, each once; cash edges are not followed. */
  edges: number[];
  truncated: boolean;
}

export function neighbourhood(g: MoneyGraph, account: number, options: NeighbourhoodOptions): Neighbourhood {
  const nodes = g.accounts.length;
  if (!(Number.isInteger(account) && account >= 0 && account < nodes))
    throw new Error(`neighbourhood: no account ${account}`);
  const maxNodes = Math.max(1, options.maxNodes ?? 10_000);
  const maxEdgesPerNode = options.maxEdgesPerNode ?? 10_000;
  const maxEdges = options.maxEdges ?? 100_000;
  const accept = edgeFilter(g, options.filter);
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  const followOut = options.direction !== "in";
  const followIn = options.direction !== "out";

  // hop[a] = -1 until a is listed; the queue is the listing itself.
  const hop = new Int32Array(nodes).fill(-1);
  const queue = new Int32Array(Math.min(maxNodes, nodes));
  let listed = 0;
  hop[account] = 0;
  queue[listed++] = account;
  const edges: number[] = [];
  // Going both ways, an edge between two expanded accounts is met from each end.
  const taken = followOut && followIn ? new Set<number>() : null;
  let truncated = false;

  /** Looks at one of u's edge lists: lists its new neighbours and the edges that reach listed ones. */
  const scan = (u: number, list: Int32Array, start: Int32Array, ends: Int32Array) => {
    const lo = seekTime(g, list, start[u] as number, start[u + 1] as number, lowT);
    const hi = seekTime(g, list, lo, start[u + 1] as number, highT, true);
    const stop = Math.min(hi, lo + maxEdgesPerNode);
    if (stop < hi) truncated = true;
    const next = (hop[u] as number) + 1;
    for (let k = lo; k < stop; k++) {
      const e = list[k] as number;
      const v = ends[e] as number;
      if (v < 0 || !accept(e)) continue;
      if (hop[v] === -1) {
        if (listed >= queue.length) {
          truncated = true;
          continue;
        }
        hop[v] = next;
        queue[listed++] = v;
      }
      if (taken !== null) {
        if (taken.has(e)) continue;
        taken.add(e);
      }
      if (edges.length < maxEdges) edges.push(e);
      else truncated = true;
    }
  };

  for (let head = 0; head < listed; head++) {
    const u = queue[head] as number;
    // Accounts are listed in hop order, so the first one at the last hop ends the expansion.
    if ((hop[u] as number) >= options.hops) break;
    // Once the account cap is reached the walk stops: going on would only add edges among the
    // accounts listed, at the cost of scanning every edge of every account still queued (from a
    // median account, three hops reach the cap through a hub, and that scan took 100 ms more).
    if (listed >= maxNodes) {
      truncated = true;
      break;
    }
    if (followOut) scan(u, g.outEdges, g.outStart, g.to);
    if (followIn) scan(u, g.inEdges, g.inStart, g.from);
  }

  const accounts: { account: number; hop: number }[] = [];
  for (let i = 0; i < listed; i++) {
    const a = queue[i] as number;
    accounts.push({ account: a, hop: hop[a] as number });
  }
  return { accounts, counterparties: counterpartiesOf(g, account, options, accept), edges, truncated };
}

/**
 * What passed between the origin and each direct counterparty, cash included. Exact: one pass over
 * the origin's edges in the window, whatever the caps on the walk.
 */
function counterpartiesOf(
  g: MoneyGraph,
  account: number,
  options: NeighbourhoodOptions,
  accept: (e: number) => boolean,
): Counterparty[] {
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  const result: Counterparty[] = [];
  const add = (direction: "out" | "in", list: Int32Array, start: Int32Array, ends: Int32Array) => {
    const byAccount = new Map<number, Counterparty>();
    const lo = seekTime(g, list, start[account] as number, start[account + 1] as number, lowT);
    const hi = seekTime(g, list, lo, start[account + 1] as number, highT, true);
    for (let k = lo; k < hi; k++) {
      const e = list[k] as number;
      if (!accept(e)) continue;
      const other = ends[e] as number;
      const t = g.time[e] as number;
      let c = byAccount.get(other);
      if (c === undefined) {
        // Lists are in time order: the first payment seen is the first in time.
        c = { account: other, direction, count: 0, totalUsd: 0, first: t, last: t };
        byAccount.set(other, c);
        result.push(c);
      }
      c.count++;
      c.totalUsd += g.amountUsd[e] as number;
      c.last = t;
    }
  };
  if (options.direction !== "in") add("out", g.outEdges, g.outStart, g.to);
  if (options.direction !== "out") add("in", g.inEdges, g.inStart, g.from);
  return result.sort(
    (x, y) =>
      y.totalUsd - x.totalUsd ||
      x.account - y.account ||
      (x.direction === y.direction ? 0 : x.direction === "out" ? -1 : 1),
  );
}
