import { type EdgeFilter, edgeFilter, seekTime } from "./graph-view.js";
import type { MoneyGraph } from "./money-graph.js";
import { latestDeparture } from "./paths.js";

/**
 * Round-tripping: money that leaves an account and comes back to it through other accounts. The
 * cycle rule of typologies §3.3 (AMLSim and AMLworld cycles): a simple directed cycle of 2 to 12
 * payments at strictly increasing times (t1 < … < tL), each payment at least `minRetention` (0.8)
 * of the one before it (intermediaries keep a margin, they do not add money), the whole within
 * `maxSpanMs` (60 days). Found by a time-respecting depth-first search from each first payment,
 * pruned by time, span and retention, stopped by caps on cycles and on edges looked at. Cash
 * edges and payments of no positive amount are never on a cycle.
 */

export interface CycleOptions {
  filter?: EdgeFilter;
  minRetention?: number;
  maxSpanMs?: number;
  maxLength?: number;
  maxCycles?: number;
  /** Edges looked at before the search stops. */
  maxExpansions?: number;
}

export interface Cycle {
  /** In time order; edges[i] goes from accounts[i] to accounts[i + 1], the last back to accounts[0]. */
  edges: number[];
  accounts: number[];
  /** Time of the last payment minus time of the first. */
  spanMs: number;
  /** The smallest ratio of a payment to the one before it. */
  minRetention: number;
}

export interface CycleResult {
  cycles: Cycle[];
  /** A cap stopped the search: there may be more cycles. */
  truncated: boolean;
}

const DAY = 86_400_000;

/** Cycles whose money leaves `account` first and comes back to it last. */
export function cyclesThrough(g: MoneyGraph, account: number, options: CycleOptions = {}): CycleResult {
  if (!(Number.isInteger(account) && account >= 0 && account < g.accounts.length))
    throw new Error(`cyclesThrough: no account ${account}`);
  const search = newSearch(g, options);
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  const start = g.outStart[account] as number;
  const lo = seekTime(g, g.outEdges, start, g.outStart[account + 1] as number, search.lowT);
  const hi = seekTime(g, g.outEdges, lo, g.outStart[account + 1] as number, highT, true);
  if (lo === hi) return { cycles: [], truncated: false };
  // Only accounts that can still get money back to `account`, in time, are worth entering; the
  // payments that can be on a cycle lie between its first payment out and the span after its last.
  const back = latestDeparture(g, account, {
    maxHops: search.maxLength - 1,
    accept: search.accept,
    strict: true,
    from: g.time[g.outEdges[lo] as number] as number,
    to: Math.min(highT, (g.time[g.outEdges[hi - 1] as number] as number) + search.maxSpan),
  });
  for (let k = lo; k < hi && !search.stopped; k++) {
    search.from(g.outEdges[k] as number, highT, back.latest, back.hops);
  }
  return { cycles: search.cycles, truncated: search.stopped };
}

/**
 * Every cycle with all its payments in [from, to], each once: a cycle is found from its first
 * payment only, which, with times strictly increasing, is its earliest.
 */
export function cyclesInWindow(
  g: MoneyGraph,
  options: CycleOptions & { from: number; to: number },
): CycleResult {
  const search = newSearch(g, options);
  const lowT = Math.max(options.from, search.lowT);
  const highT = Math.min(options.to, options.filter?.to ?? Number.POSITIVE_INFINITY);
  const lo = seekTime(g, null, 0, g.edgeCount, lowT);
  const hi = seekTime(g, null, lo, g.edgeCount, highT, true);
  for (let e = lo; e < hi && !search.stopped; e++) search.from(e, highT, null, null);
  return { cycles: search.cycles, truncated: search.stopped };
}

interface Search {
  accept: (edge: number) => boolean;
  lowT: number;
  maxLength: number;
  maxSpan: number;
  cycles: Cycle[];
  stopped: boolean;
  /**
   * Every cycle whose first payment is `first`, within `highT`; with `latest` and `hops` (from
   * `latestDeparture` to the first payment's payer), accounts that cannot close the cycle are skipped.
   */
  from(first: number, highT: number, latest: Float64Array | null, hops: Uint8Array | null): void;
}

function newSearch(g: MoneyGraph, options: CycleOptions): Search {
  const accept = edgeFilter(g, options.filter);
  const retention = options.minRetention ?? 0.8;
  const maxSpan = options.maxSpanMs ?? 60 * DAY;
  const maxLength = Math.max(2, Math.min(options.maxLength ?? 12, 255));
  const maxCycles = options.maxCycles ?? 1000;
  const maxExpansions = options.maxExpansions ?? 1_000_000;
  // The path being explored: path[d] is its d-th edge; at depth d its last account's out-edges
  // are scanned from cursor[d] to end[d]. Allocated once for all first payments.
  const path = new Int32Array(maxLength);
  const cursor = new Int32Array(maxLength);
  const end = new Int32Array(maxLength);
  const onPath = new Uint8Array(g.accounts.length);
  let looked = 0;
  let deadline = 0;
  /** Sets up the scan of the out-edges of the account reached by path[d - 1]: after it, to the deadline. */
  const open = (d: number) => {
    const e = path[d - 1] as number;
    const v = g.to[e] as number;
    const last = g.outStart[v + 1] as number;
    const lo = seekTime(g, g.outEdges, g.outStart[v] as number, last, g.time[e] as number, true);
    cursor[d] = lo;
    end[d] = seekTime(g, g.outEdges, lo, last, deadline, true);
  };

  const search: Search = {
    accept,
    lowT: options.filter?.from ?? Number.NEGATIVE_INFINITY,
    maxLength,
    maxSpan,
    cycles: [],
    stopped: false,
    from(first, highT, latest, hops) {
      if (looked++ >= maxExpansions) {
        search.stopped = true;
        return;
      }
      const s = g.from[first] as number;
      const v1 = g.to[first] as number;
      if (s < 0 || v1 < 0 || s === v1 || !((g.amountUsd[first] as number) > 0) || !accept(first)) return;
      const t0 = g.time[first] as number;
      if (latest !== null && hops !== null && !((hops[v1] as number) > 0 && (latest[v1] as number) > t0))
        return;
      deadline = Math.min(highT, t0 + maxSpan);
      path[0] = first;
      onPath[s] = 1;
      onPath[v1] = 1;
      let d = 1;
      open(1);
      while (d >= 1) {
        if ((cursor[d] as number) >= (end[d] as number)) {
          onPath[g.to[path[d - 1] as number] as number] = 0;
          d--;
          continue;
        }
        if (looked++ >= maxExpansions) {
          search.stopped = true;
          break;
        }
        const e = g.outEdges[cursor[d] as number] as number;
        cursor[d] = (cursor[d] as number) + 1;
        const amount = g.amountUsd[e] as number;
        if (!(amount > 0) || amount < retention * (g.amountUsd[path[d - 1] as number] as number)) continue;
        const w = g.to[e] as number;
        if (w < 0 || !accept(e)) continue;
        if (w === s) {
          if (search.cycles.length >= maxCycles) {
            search.stopped = true;
            break;
          }
          path[d] = e;
          search.cycles.push(cycleOf(g, path, d + 1));
          continue;
        }
        if (onPath[w] === 1 || d + 1 >= maxLength) continue;
        // w must get money back to s in under the hops left, by a payment later than this one.
        if (latest !== null && hops !== null) {
          const need = hops[w] as number;
          if (need === 0 || need > maxLength - d - 1 || (latest[w] as number) <= (g.time[e] as number))
            continue;
        }
        path[d] = e;
        onPath[w] = 1;
        d++;
        open(d);
      }
      // Stopped mid-search: clear the marks left on the path.
      for (let i = 0; i < d; i++) onPath[g.to[path[i] as number] as number] = 0;
      onPath[s] = 0;
    },
  };
  return search;
}

function cycleOf(g: MoneyGraph, path: Int32Array, length: number): Cycle {
  const edges = Array.from(path.subarray(0, length));
  let minRetention = Number.POSITIVE_INFINITY;
  for (let i = 1; i < length; i++) {
    minRetention = Math.min(
      minRetention,
      (g.amountUsd[edges[i] as number] as number) / (g.amountUsd[edges[i - 1] as number] as number),
    );
  }
  return {
    edges,
    accounts: edges.map((e) => g.from[e] as number),
    spanMs: (g.time[edges[length - 1] as number] as number) - (g.time[edges[0] as number] as number),
    minRetention,
  };
}
