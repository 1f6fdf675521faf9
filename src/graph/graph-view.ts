import type { MoneyGraph } from "./money-graph.js";

/**
 * The view every graph query runs on: a time window, a set of channels and a minimum amount.
 * An absent field does not restrict. Queries test edges with the predicate and, since edge lists
 * are in time order, use the window's ends to seek into them instead of scanning from the start.
 */
export interface EdgeFilter {
  /** Milliseconds since the epoch, both ends included. */
  from?: number;
  to?: number;
  /** Channel indices (`EdgeColumns.channel`). */
  channels?: ReadonlySet<number>;
  minAmountUsd?: number;
}

export function edgeFilter(g: MoneyGraph, filter: EdgeFilter = {}): (edge: number) => boolean {
  const from = filter.from ?? Number.NEGATIVE_INFINITY;
  const to = filter.to ?? Number.POSITIVE_INFINITY;
  const min = filter.minAmountUsd ?? Number.NEGATIVE_INFINITY;
  const { time, amountUsd, channel } = g;
  const channels = filter.channels;
  // Two closures rather than one with a branch: this runs once per edge in every hot loop.
  if (channels === undefined) {
    return (e) => (time[e] as number) >= from && (time[e] as number) <= to && (amountUsd[e] as number) >= min;
  }
  return (e) =>
    (time[e] as number) >= from &&
    (time[e] as number) <= to &&
    (amountUsd[e] as number) >= min &&
    channels.has(channel[e] as number);
}

/**
 * The first position in `list[lo, hi)` whose edge is at or after `t` (strictly after it when
 * `after`), by binary search: edge lists are in time order. A null list stands for the edges
 * themselves, which are in time order too.
 */
export function seekTime(
  g: MoneyGraph,
  list: Int32Array | null,
  lo: number,
  hi: number,
  t: number,
  after = false,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const tm = g.time[list === null ? mid : (list[mid] as number)] as number;
    if (tm < t || (after && tm === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calls `visit` for each edge of `list[lo, hi)` with a time in [from, to], in time order, until
 * it returns true: a seek to the window's start, then a walk that stops at its end. Returns how
 * many edges it visited.
 */
export function forEachInTime(
  g: MoneyGraph,
  list: Int32Array,
  lo: number,
  hi: number,
  from: number,
  to: number,
  visit: (edge: number, time: number) => unknown,
): number {
  const first = seekTime(g, list, lo, hi, from);
  for (let k = first; k < hi; k++) {
    const e = list[k] as number;
    const t = g.time[e] as number;
    if (t > to) return k - first;
    if (visit(e, t) === true) return k - first + 1;
  }
  return hi - first;
}
