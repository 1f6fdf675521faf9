import { type EdgeFilter, edgeFilter, seekTime } from "./graph-view.js";
import type { MoneyGraph } from "./money-graph.js";
import { AccountInts, withScratch } from "./scratch.js";

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

/** Edges a scan reads ahead of deciding on them. */
const CHUNK = 256;

/**
 * What a walk keeps, kept with the graph between queries (see scratch.ts): each account's place
 * in the listing (-1: not listed), and per place the account, its hop and the spans of its scans,
 * grown to the largest listing asked for.
 */
class Listing {
  readonly place: AccountInts;
  queue = new Int32Array(0);
  hopAt = new Int32Array(0);
  spans = new Int32Array(0);
  /** The other ends of a chunk of a scan. */
  readonly ahead = new Int32Array(CHUNK);

  constructor(readonly size: number) {
    this.place = new AccountInts(size, -1);
  }

  /** Room for `n` places. */
  reserve(n: number): void {
    if (this.queue.length >= n) return;
    this.queue = new Int32Array(n);
    this.hopAt = new Int32Array(n);
    this.spans = new Int32Array(4 * n);
  }
}

function listingOf(size: number): Listing {
  return new Listing(size);
}

export function neighbourhood(g: MoneyGraph, account: number, options: NeighbourhoodOptions): Neighbourhood {
  const nodes = g.accounts.length;
  if (!(Number.isInteger(account) && account >= 0 && account < nodes))
    throw new Error(`neighbourhood: no account ${account}`);
  return withScratch(g, "neighbourhood", listingOf, (listing) => walk(g, account, options, listing));
}

function walk(
  g: MoneyGraph,
  account: number,
  options: NeighbourhoodOptions,
  listing: Listing,
): Neighbourhood {
  const nodes = g.accounts.length;
  const maxNodes = Math.max(1, options.maxNodes ?? 10_000);
  const maxEdgesPerNode = options.maxEdgesPerNode ?? 10_000;
  const maxEdges = options.maxEdges ?? 100_000;
  const accept = amountOrChannelFilter(g, options.filter);
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  const followOut = options.direction !== "in";
  const followIn = options.direction !== "out";
  const both = followOut && followIn;

  // The listing, in breadth-first order: queue[i] at hop hopAt[i], and place.get(a) = i.
  const size = Math.min(maxNodes, nodes);
  listing.reserve(size);
  const { place, queue, hopAt, ahead } = listing;
  // Going both ways, an edge between two expanded accounts is met from each end, and listed only
  // the first time: no set of the edges taken is needed. Scans run in listing order and each
  // covers a run of an edge list, which is in edge order: so the edge met again is one whose
  // other end was scanned before, in the other direction, over a run that spans it. (That first
  // meeting took it: the account scanned second was listed by then, so no cap turned it away.)
  // Per listed account, the first and last edge of its out scan and of its in scan; none
  // scanned: first > last.
  const spans = both ? listing.spans : null;
  place.clear();
  let listed = 0;
  place.set(account, 0);
  queue[listed++] = account;
  const edges: number[] = [];
  let truncated = false;

  /**
   * Looks at one of the edge lists of u, at `at` in the listing: lists its new neighbours and the
   * edges that reach listed ones. `span`: where in `spans` this scan's run goes (0 out, 2 in), and
   * where the other end's run in the other direction is.
   */
  const scan = (
    u: number,
    at: number,
    list: Int32Array,
    start: Int32Array,
    ends: Int32Array,
    span: number,
  ) => {
    const lo = seekFrom(g, list, start[u] as number, start[u + 1] as number, lowT);
    const hi = seekTo(g, list, lo, start[u + 1] as number, highT);
    const stop = Math.min(hi, lo + maxEdgesPerNode);
    if (stop < hi) truncated = true;
    const next = (hopAt[at] as number) + 1;
    const other = 2 - span;
    // An in scan comes after the out scan of the same account, so a self-payment met going in
    // was met going out.
    const before = span === 0 ? at : at + 1;
    for (let c = lo; c < stop; c += CHUNK) {
      const n = Math.min(CHUNK, stop - c);
      // Two passes that only read first, the other ends then their places: each read is of an
      // account far from the last (a cache miss), and in a loop of reads that do not wait on
      // each other the misses overlap. The pass that decides then finds them in cache.
      for (let j = 0; j < n; j++) ahead[j] = ends[list[c + j] as number] as number;
      place.prefetch(ahead, n);
      for (let j = 0; j < n; j++) {
        const e = list[c + j] as number;
        const v = ahead[j] as number;
        if (v < 0 || (accept !== null && !accept(e))) continue;
        const p = place.get(v);
        if (p === -1) {
          if (listed >= size) {
            truncated = true;
            continue;
          }
          place.set(v, listed);
          hopAt[listed] = next;
          queue[listed++] = v;
        } else if (spans !== null && p < before) {
          const s = 4 * p + other;
          if ((spans[s] as number) <= e && e <= (spans[s + 1] as number)) continue;
        }
        if (edges.length < maxEdges) edges.push(e);
        else truncated = true;
      }
    }
    if (spans !== null) {
      spans[4 * at + span] = lo < stop ? (list[lo] as number) : 1;
      spans[4 * at + span + 1] = lo < stop ? (list[stop - 1] as number) : 0;
    }
  };

  for (let head = 0; head < listed; head++) {
    // Accounts are listed in hop order, so the first one at the last hop ends the expansion.
    if ((hopAt[head] as number) >= options.hops) break;
    // Once the account cap is reached the walk stops: going on would only add edges among the
    // accounts listed, at the cost of scanning every edge of every account still queued (from a
    // median account, three hops reach the cap through a hub, and that scan took 100 ms more).
    if (listed >= maxNodes) {
      truncated = true;
      break;
    }
    const u = queue[head] as number;
    if (followOut) scan(u, head, g.outEdges, g.outStart, g.to, 0);
    if (followIn) scan(u, head, g.inEdges, g.inStart, g.from, 2);
  }

  const accounts: { account: number; hop: number }[] = [];
  for (let i = 0; i < listed; i++) accounts.push({ account: queue[i] as number, hop: hopAt[i] as number });
  return {
    accounts,
    counterparties: counterpartiesOf(g, account, options, accept, place),
    edges,
    truncated,
  };
}

/**
 * The first position in list[lo, hi) at or after time `t`; with no lower bound, `lo` without a
 * search (each step of one reads the time of an edge far from the last: a cache miss).
 */
function seekFrom(g: MoneyGraph, list: Int32Array, lo: number, hi: number, t: number): number {
  return t === Number.NEGATIVE_INFINITY ? lo : seekTime(g, list, lo, hi, t);
}

/** The first position in list[lo, hi) after time `t`; with no upper bound, `hi`. */
function seekTo(g: MoneyGraph, list: Int32Array, lo: number, hi: number, t: number): number {
  return t === Number.POSITIVE_INFINITY ? hi : seekTime(g, list, lo, hi, t, true);
}

/**
 * The filter's test for what a seek in a time-ordered list cannot do (amount, channel), or null
 * when it asks for neither: then the walk reads no edge's amount or channel.
 */
function amountOrChannelFilter(
  g: MoneyGraph,
  filter: EdgeFilter | undefined,
): ((e: number) => boolean) | null {
  if (filter?.minAmountUsd === undefined && filter?.channels === undefined) return null;
  return edgeFilter(g, filter);
}

/**
 * What passed between the origin and each direct counterparty, cash included. Exact: one pass over
 * the origin's edges in the window, whatever the caps on the walk. `index` is scratch, cleared here.
 */
function counterpartiesOf(
  g: MoneyGraph,
  account: number,
  options: NeighbourhoodOptions,
  accept: ((e: number) => boolean) | null,
  index: AccountInts,
): Counterparty[] {
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  const result: Counterparty[] = [];
  const add = (direction: "out" | "in", list: Int32Array, start: Int32Array, ends: Int32Array) => {
    // Counterparties by account: their place in `result` (cash apart, as -1 is no index).
    index.clear();
    let cash: Counterparty | undefined;
    const lo = seekFrom(g, list, start[account] as number, start[account + 1] as number, lowT);
    const hi = seekTo(g, list, lo, start[account + 1] as number, highT);
    for (let k = lo; k < hi; k++) {
      const e = list[k] as number;
      if (accept !== null && !accept(e)) continue;
      const other = ends[e] as number;
      const t = g.time[e] as number;
      const at = other < 0 ? -1 : index.get(other);
      let c = other < 0 ? cash : at < 0 ? undefined : result[at];
      if (c === undefined) {
        // Lists are in time order: the first payment seen is the first in time.
        c = { account: other, direction, count: 0, totalUsd: 0, first: t, last: t };
        if (other < 0) cash = c;
        else index.set(other, result.length);
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
