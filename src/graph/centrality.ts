import { Rng } from "../generate/random.js";
import type { MoneyGraph } from "./money-graph.js";
import { type TimeWindow, type UndirectedGraph, weightedUndirected, windowEdges } from "./undirected.js";

/**
 * Which accounts matter in a flow network: the ones with many counterparties (degree), the ones
 * money keeps flowing towards (PageRank) and the ones standing between groups that otherwise do
 * not deal with each other (betweenness: brokers, cut-outs). Scores are per account index; cash
 * in and out have no counterparty account and count nowhere, and neither do self-transfers, which
 * tie an account to no one.
 */

export interface DegreeCentrality {
  /** Distinct accounts that paid this account / that it paid. */
  inDegree: Int32Array;
  outDegree: Int32Array;
  /** USD received from / paid to other accounts, summed as recorded (reversals subtract). */
  inUsd: Float64Array;
  outUsd: Float64Array;
}

export function degreeCentrality(g: MoneyGraph, window?: TimeWindow): DegreeCentrality {
  const nodes = g.accounts.length;
  const { lo, hi } = windowEdges(g, window);
  const inDegree = new Int32Array(nodes);
  const outDegree = new Int32Array(nodes);
  const inUsd = new Float64Array(nodes);
  const outUsd = new Float64Array(nodes);
  // Edge indices are in time order, so the window is an index range: one integer test per edge.
  // `lastSeen[b] === a` marks b as already counted for a.
  const lastSeen = new Int32Array(nodes).fill(-1);
  for (let a = 0; a < nodes; a++) {
    for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
      const e = g.outEdges[k] as number;
      const b = g.to[e] as number;
      if (e < lo || e >= hi || b < 0 || b === a) continue;
      outUsd[a] = (outUsd[a] as number) + (g.amountUsd[e] as number);
      if (lastSeen[b] !== a) {
        lastSeen[b] = a;
        outDegree[a] = (outDegree[a] as number) + 1;
      }
    }
  }
  lastSeen.fill(-1);
  for (let b = 0; b < nodes; b++) {
    for (let k = g.inStart[b] as number; k < (g.inStart[b + 1] as number); k++) {
      const e = g.inEdges[k] as number;
      const a = g.from[e] as number;
      if (e < lo || e >= hi || a < 0 || a === b) continue;
      inUsd[b] = (inUsd[b] as number) + (g.amountUsd[e] as number);
      if (lastSeen[a] !== b) {
        lastSeen[a] = b;
        inDegree[b] = (inDegree[b] as number) + 1;
      }
    }
  }
  return { inDegree, outDegree, inUsd, outUsd };
}

export interface PageRankOptions {
  /** Probability of following a payment rather than jumping to a random account. */
  damping?: number;
  /** Most power iterations. */
  iterations?: number;
  /** Stops when the L1 change of an iteration falls below this. */
  tolerance?: number;
  weight?: "amount" | "count";
  window?: TimeWindow;
}

/**
 * PageRank on the directed weighted account graph: rank flows along payments, split in
 * proportion to what each account paid each payee (a reversal's size counts, as a share cannot be
 * negative). An account that paid no one (dangling) hands
 * its rank to all accounts equally, so the scores always sum to 1.
 */
export function pagerank(g: MoneyGraph, options: PageRankOptions = {}): Float64Array {
  const damping = options.damping ?? 0.85;
  const iterations = options.iterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const byCount = options.weight === "count";
  const nodes = g.accounts.length;
  if (nodes === 0) return new Float64Array(0);
  const { lo, hi } = windowEdges(g, options.window);

  // The window's payments as an in-CSR (payer, share of the payer's outflow) per payee, built once
  // so that each iteration is one pass over flat arrays. Parallel payments are not merged: the
  // sum over them is the same.
  const start = new Int32Array(nodes + 1);
  const outWeight = new Float64Array(nodes);
  for (let e = lo; e < hi; e++) {
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    if (a < 0 || b < 0 || a === b) continue;
    start[b + 1] = (start[b + 1] as number) + 1;
    outWeight[a] = (outWeight[a] as number) + (byCount ? 1 : Math.abs(g.amountUsd[e] as number));
  }
  for (let n = 0; n < nodes; n++) start[n + 1] = (start[n + 1] as number) + (start[n] as number);
  const payer = new Int32Array(start[nodes] as number);
  const share = new Float64Array(start[nodes] as number);
  const put = start.slice(0, nodes);
  for (let e = lo; e < hi; e++) {
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    if (a < 0 || b < 0 || a === b) continue;
    const w = byCount ? 1 : Math.abs(g.amountUsd[e] as number);
    const p = put[b] as number;
    payer[p] = a;
    // An account whose payments total 0 USD passes on nothing along them: it counts as dangling.
    share[p] = (outWeight[a] as number) > 0 ? w / (outWeight[a] as number) : 0;
    put[b] = p + 1;
  }

  let rank = new Float64Array(nodes).fill(1 / nodes);
  let next = new Float64Array(nodes);
  for (let it = 0; it < iterations; it++) {
    let dangling = 0;
    for (let a = 0; a < nodes; a++) if (!((outWeight[a] as number) > 0)) dangling += rank[a] as number;
    const base = (1 - damping) / nodes + (damping * dangling) / nodes;
    let change = 0;
    for (let b = 0; b < nodes; b++) {
      let s = 0;
      for (let p = start[b] as number; p < (start[b + 1] as number); p++)
        s += (share[p] as number) * (rank[payer[p] as number] as number);
      const r = base + damping * s;
      change += Math.abs(r - (rank[b] as number));
      next[b] = r;
    }
    [rank, next] = [next, rank];
    if (change < tolerance) break;
  }
  // Renormalise away the rounding drift of many iterations.
  let sum = 0;
  for (let a = 0; a < nodes; a++) sum += rank[a] as number;
  for (let a = 0; a < nodes; a++) rank[a] = (rank[a] as number) / sum;
  return rank;
}

export interface BetweennessOptions {
  /** Source nodes sampled; all nodes (exact betweenness) when at least the node count. */
  samples?: number;
  seed?: number;
  /** For a money-flow graph: the window its undirected graph is taken over. */
  window?: TimeWindow;
}

/**
 * Betweenness on the unweighted undirected graph: for each node, the number of shortest paths
 * between other pairs that pass through it, each pair counted once and shared among its shortest
 * paths. Brandes' algorithm (2001) from a seeded sample of sources, without replacement, scaled
 * by nodes/samples so that the estimate is unbiased; O(samples × edges) time. Weights are ignored
 * on purpose: a hop is a hop, however much money it carried.
 */
export function approximateBetweenness(
  graph: UndirectedGraph | MoneyGraph,
  options: BetweennessOptions = {},
): Float64Array {
  const u = "neighbours" in graph ? graph : weightedUndirected(graph, { ...options.window, weight: "count" });
  const n = u.nodes;
  const { start, neighbours } = u;
  const score = new Float64Array(n);
  if (n === 0) return score;
  const samples = Math.min(n, Math.max(1, Math.floor(options.samples ?? 256)));

  // Sources: a seeded partial Fisher–Yates shuffle (all nodes, in order, when exact).
  const sources = new Int32Array(n);
  for (let i = 0; i < n; i++) sources[i] = i;
  if (samples < n) {
    const rng = new Rng(options.seed ?? 1);
    for (let i = 0; i < samples; i++) {
      const j = i + rng.int(n - i);
      const t = sources[i] as number;
      sources[i] = sources[j] as number;
      sources[j] = t;
    }
  }

  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  // BFS order doubles as Brandes' stack: walked backwards, it visits nodes farthest first.
  const queue = new Int32Array(n);
  for (let x = 0; x < samples; x++) {
    const s = sources[x] as number;
    dist[s] = 0;
    sigma[s] = 1;
    queue[0] = s;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = queue[head++] as number;
      const dv = dist[v] as number;
      for (let p = start[v] as number; p < (start[v + 1] as number); p++) {
        const w = neighbours[p] as number;
        if (dist[w] === -1) {
          dist[w] = dv + 1;
          queue[tail++] = w;
        }
        if (dist[w] === dv + 1) sigma[w] = (sigma[w] as number) + (sigma[v] as number);
      }
    }
    // Dependencies, farthest first; predecessors are not stored: the successors of v on shortest
    // paths are its neighbours one step farther, found again from the adjacency.
    for (let q = tail - 1; q >= 0; q--) {
      const v = queue[q] as number;
      const dv = dist[v] as number;
      let d = 0;
      for (let p = start[v] as number; p < (start[v + 1] as number); p++) {
        const w = neighbours[p] as number;
        if (dist[w] === dv + 1) d += (1 + (delta[w] as number)) / (sigma[w] as number);
      }
      d *= sigma[v] as number;
      delta[v] = d;
      if (v !== s) score[v] = (score[v] as number) + d;
    }
    for (let q = 0; q < tail; q++) {
      const v = queue[q] as number;
      dist[v] = -1;
      sigma[v] = 0;
      delta[v] = 0;
    }
  }
  // Each pair was met from both of its ends when every node is a source: halve, as for any
  // undirected graph; sampling scales the sum up to all sources.
  const factor = n / samples / 2;
  for (let v = 0; v < n; v++) score[v] = (score[v] as number) * factor;
  return score;
}

/**
 * Indices of the k highest scores, highest first, ties by lower index; NaN ranks last. A bounded
 * heap, O(n log k), so that the top few of millions need no full sort.
 */
export function topAccounts(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  const size = Math.max(0, Math.min(k, n));
  if (size === 0) return [];
  const value = (i: number) => {
    const x = scores[i] as number;
    return Number.isNaN(x) ? Number.NEGATIVE_INFINITY : x;
  };
  // i ranks above j.
  const above = (i: number, j: number) => {
    const a = value(i);
    const b = value(j);
    return a > b || (a === b && i < j);
  };
  // A min-heap of the best `size` seen so far: its root is the weakest of them.
  const heap = new Int32Array(size);
  let len = 0;
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < len && above(heap[w] as number, heap[l] as number)) w = l;
      if (r < len && above(heap[w] as number, heap[r] as number)) w = r;
      if (w === i) return;
      const t = heap[i] as number;
      heap[i] = heap[w] as number;
      heap[w] = t;
      i = w;
    }
  };
  for (let x = 0; x < n; x++) {
    if (len < size) {
      let i = len++;
      heap[i] = x;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!above(heap[parent] as number, heap[i] as number)) break;
        const t = heap[i] as number;
        heap[i] = heap[parent] as number;
        heap[parent] = t;
        i = parent;
      }
    } else if (above(x, heap[0] as number)) {
      heap[0] = x;
      siftDown(0);
    }
  }
  return Array.from(heap).sort((i, j) => (above(i, j) ? -1 : 1));
}
