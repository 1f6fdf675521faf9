import { firstAtOrAfter } from "../util/sorted-times.js";
import type { MoneyGraph } from "./money-graph.js";

/**
 * Who deals with whom, regardless of direction and of how many times: the money-flow graph folded
 * into a compact undirected weighted graph over accounts, the input of community detection and
 * betweenness. All parallel transactions between two accounts, either way, become one edge whose
 * weight is their total (USD or count); cash in and out have no counterparty account and drop
 * out; a self-transfer stays as its account's self-loop weight, which modularity counts.
 */

export interface UndirectedGraph {
  nodes: number;
  /** Neighbours of node a: neighbours[start[a] .. start[a+1]), ascending, each edge listed at both ends. */
  start: Int32Array;
  neighbours: Int32Array;
  weights: Float64Array;
  /** Self-loop weight per node (kept out of `neighbours`). */
  selfLoops: Float64Array;
  /** Sum of edge weights, each edge counted once, self-loops included (modularity's m). */
  totalWeight: number;
}

/** Window, milliseconds since the epoch (both ends included); the whole graph when absent. */
export interface TimeWindow {
  from?: number;
  to?: number;
}

export interface UndirectedOptions extends TimeWindow {
  /** Edge weight: total USD (of each amount's size, so never negative) or number of transactions. */
  weight: "amount" | "count";
}

/**
 * The edges of a window as an index range [lo, hi): edges are in time order, so a window is one
 * contiguous run, found by binary search instead of a time test per edge.
 */
export function windowEdges(g: MoneyGraph, window: TimeWindow = {}): { lo: number; hi: number } {
  const lo = window.from === undefined ? 0 : firstAtOrAfter(g.time, window.from, false);
  const hi = window.to === undefined ? g.edgeCount : firstAtOrAfter(g.time, window.to, true);
  return { lo, hi: Math.max(lo, hi) };
}

export function weightedUndirected(g: MoneyGraph, options: UndirectedOptions): UndirectedGraph {
  const nodes = g.accounts.length;
  const byCount = options.weight === "count";
  const { lo, hi } = windowEdges(g, options);
  const selfLoops = new Float64Array(nodes);
  let totalWeight = 0;

  // 1. Every transaction between two accounts, as a half-edge at each end, bucketed by account.
  const bucket = new Int32Array(nodes + 1);
  for (let e = lo; e < hi; e++) {
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    if (a < 0 || b < 0 || a === b) continue;
    bucket[a + 1] = (bucket[a + 1] as number) + 1;
    bucket[b + 1] = (bucket[b + 1] as number) + 1;
  }
  for (let n = 0; n < nodes; n++) bucket[n + 1] = (bucket[n + 1] as number) + (bucket[n] as number);
  const halves = bucket[nodes] as number;
  const other = new Int32Array(halves);
  const weight = new Float64Array(halves);
  const fill = bucket.slice(0, nodes);
  for (let e = lo; e < hi; e++) {
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    if (a < 0 || b < 0) continue;
    // A reversal (a negative amount) is still money moved between the two: its size counts.
    const w = byCount ? 1 : Math.abs(g.amountUsd[e] as number);
    totalWeight += w;
    if (a === b) {
      selfLoops[a] = (selfLoops[a] as number) + w;
      continue;
    }
    let k = fill[a] as number;
    other[k] = b;
    weight[k] = w;
    fill[a] = k + 1;
    k = fill[b] as number;
    other[k] = a;
    weight[k] = w;
    fill[b] = k + 1;
  }

  // 2. Parallel transactions merged, in place: `slot[b]` is where a's bucket keeps counterparty b,
  // valid while `owner[b] === a`. Both ends add the same transactions in the same (time) order, so
  // a merged edge gets bit-identical weights at its two ends.
  const owner = new Int32Array(nodes).fill(-1);
  const slot = new Int32Array(nodes);
  const merged = new Int32Array(nodes + 1);
  let write = 0;
  for (let a = 0; a < nodes; a++) {
    for (let k = bucket[a] as number; k < (bucket[a + 1] as number); k++) {
      const b = other[k] as number;
      if (owner[b] === a) {
        const s = slot[b] as number;
        weight[s] = (weight[s] as number) + (weight[k] as number);
      } else {
        owner[b] = a;
        slot[b] = write;
        other[write] = b;
        weight[write] = weight[k] as number;
        write++;
      }
    }
    merged[a + 1] = write;
  }

  // 3. Neighbour lists sorted by transposing: walking accounts b in ascending order and appending b
  // to each neighbour's list leaves every list ascending (the graph is symmetric, so the lists keep
  // their lengths). A counting sort, linear, in place of a comparison sort of (min, max) pairs.
  const start = merged;
  const neighbours = new Int32Array(write);
  const weights = new Float64Array(write);
  const put = start.slice(0, nodes);
  for (let b = 0; b < nodes; b++) {
    for (let k = start[b] as number; k < (start[b + 1] as number); k++) {
      const a = other[k] as number;
      const p = put[a] as number;
      neighbours[p] = b;
      weights[p] = weight[k] as number;
      put[a] = p + 1;
    }
  }
  return { nodes, start, neighbours, weights, selfLoops, totalWeight };
}

/** Weighted degree per node: incident edge weights, self-loops counted twice (as modularity has it). */
export function weightedDegrees(u: UndirectedGraph): Float64Array {
  const k = new Float64Array(u.nodes);
  for (let a = 0; a < u.nodes; a++) {
    let s = 2 * (u.selfLoops[a] as number);
    for (let p = u.start[a] as number; p < (u.start[a + 1] as number); p++) s += u.weights[p] as number;
    k[a] = s;
  }
  return k;
}
