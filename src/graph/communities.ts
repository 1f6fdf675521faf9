import { Rng } from "../generate/random.js";
import { type UndirectedGraph, weightedDegrees } from "./undirected.js";

/**
 * Communities of accounts that deal mostly with each other (a ring, a mule network, a group of
 * companies paying round), by Louvain modularity optimisation (Blondel, Guillaume, Lambiotte &
 * Lefebvre 2008). Each pass moves single nodes to the neighbouring community that gains the most
 * modularity until no move helps, then folds every community into one node and starts again on
 * the smaller graph. Everything lives in typed arrays: the first pass over the full graph is
 * where the time goes, and after its first sweep it revisits only nodes whose neighbourhood
 * changed (see `moveNodes`). Edge weights must not be negative (`weightedUndirected` sees to it).
 *
 * Modularity, with m the total edge weight, k_i the weighted degree (self-loops twice), A_ii twice
 * the self-loop weight and γ the resolution:
 *   Q = 1/(2m) Σ_ij [A_ij − γ k_i k_j / (2m)] δ(c_i, c_j)
 * Above 1, γ favours smaller communities; below 1, larger ones.
 */

export interface LouvainOptions {
  resolution?: number;
  /** Most aggregation passes. */
  maxPasses?: number;
  /** A round of moves (a sweep), or a pass, that gains less modularity than this ends its phase. */
  minGain?: number;
  /** Seeds the node order of the local moving phase: the same seed, the same partition. */
  seed?: number;
}

export interface LouvainResult {
  /** Community per node, dense ids 0..count-1 numbered in order of each community's lowest node. */
  community: Int32Array;
  count: number;
  modularity: number;
  /** Passes (local moving, then aggregation) that moved at least one node. */
  passes: number;
}

/** Modularity of a partition given as a community id (0 or more) per node; 0 for a graph with no edges. */
export function modularity(u: UndirectedGraph, community: Int32Array, resolution = 1): number {
  const m = u.totalWeight;
  if (m <= 0) return 0;
  let count = 0;
  for (let i = 0; i < u.nodes; i++) count = Math.max(count, (community[i] as number) + 1);
  const inner = new Float64Array(count);
  const total = new Float64Array(count);
  for (let i = 0; i < u.nodes; i++) {
    const c = community[i] as number;
    const self = u.selfLoops[i] as number;
    let k = 2 * self;
    let within = 2 * self;
    for (let p = u.start[i] as number; p < (u.start[i + 1] as number); p++) {
      const w = u.weights[p] as number;
      k += w;
      if (community[u.neighbours[p] as number] === c) within += w;
    }
    inner[c] = (inner[c] as number) + within;
    total[c] = (total[c] as number) + k;
  }
  let q = 0;
  for (let c = 0; c < count; c++) {
    const t = (total[c] as number) / (2 * m);
    q += (inner[c] as number) / (2 * m) - resolution * t * t;
  }
  return q;
}

/**
 * The local moving phase on one level: each node, in `order`, joins the neighbouring community
 * with the best modularity gain (staying put unless another is strictly better). Then, instead of
 * sweeping every node again, only the neighbours of nodes that moved are revisited (Ozaki, Tezuka
 * & Inaba 2016, "A simple acceleration method for the Louvain algorithm"): a node whose
 * neighbourhood did not change rarely has a better move, and late sweeps over millions of nodes
 * that move a few hundred were most of the time. The queue is first in, first out, so it works in
 * rounds like sweeps; a round that gains less than `minGain` ends the phase. Changes `comm` in
 * place and returns the modularity gained.
 */
function moveNodes(
  u: UndirectedGraph,
  comm: Int32Array,
  order: Int32Array,
  m: number,
  resolution: number,
  minGain: number,
): { moved: boolean; gain: number } {
  const n = u.nodes;
  const { start, neighbours, weights } = u;
  const k = weightedDegrees(u);
  const tot = Float64Array.from(k);
  // Weight from the current node to each neighbouring community, -1 for the communities it does
  // not touch (weights are never negative), reset after each node; `touched` lists the ones it
  // touches in the order first met.
  const toComm = new Float64Array(n).fill(-1);
  const touched = new Int32Array(n);
  // A ring buffer of the nodes to visit; each node is in it at most once.
  const queue = Int32Array.from(order);
  const queued = new Uint8Array(n).fill(1);
  let head = 0;
  let size = n;
  const scale = resolution / (2 * m);
  let moved = false;
  let gain = 0;
  let roundLeft = n;
  let roundGain = 0;
  while (size > 0) {
    const i = queue[head] as number;
    head = head + 1 === n ? 0 : head + 1;
    size--;
    queued[i] = 0;
    const first = start[i] as number;
    const last = start[i + 1] as number;
    let nt = 0;
    for (let p = first; p < last; p++) {
      const c = comm[neighbours[p] as number] as number;
      const w = toComm[c] as number;
      if (w < 0) {
        toComm[c] = weights[p] as number;
        touched[nt++] = c;
      } else toComm[c] = w + (weights[p] as number);
    }
    const ki = k[i] as number;
    const own = comm[i] as number;
    tot[own] = (tot[own] as number) - ki;
    // Gain of joining c, up to the common factor 1/m: k_i,c − γ tot_c k_i / (2m).
    const stay = Math.max(0, toComm[own] as number) - (tot[own] as number) * ki * scale;
    let best = own;
    let bestScore = stay;
    for (let t = 0; t < nt; t++) {
      const c = touched[t] as number;
      const score = (toComm[c] as number) - (tot[c] as number) * ki * scale;
      toComm[c] = -1;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    tot[best] = (tot[best] as number) + ki;
    if (best !== own) {
      comm[i] = best;
      moved = true;
      roundGain += (bestScore - stay) / m;
      // The neighbours outside the community joined now see a different neighbourhood.
      for (let p = first; p < last; p++) {
        const j = neighbours[p] as number;
        if (queued[j] === 0 && comm[j] !== best) {
          queued[j] = 1;
          let tail = head + size;
          if (tail >= n) tail -= n;
          queue[tail] = j;
          size++;
        }
      }
    }
    if (--roundLeft === 0) {
      gain += roundGain;
      if (roundGain < minGain || size === 0) break;
      roundGain = 0;
      roundLeft = size;
    }
  }
  return { moved, gain };
}

/** Renumbers community ids densely, in order of first appearance; returns how many there are. */
function renumber(comm: Int32Array): number {
  const id = new Int32Array(comm.length).fill(-1);
  let count = 0;
  for (let i = 0; i < comm.length; i++) {
    const c = comm[i] as number;
    if (id[c] === -1) id[c] = count++;
    comm[i] = id[c] as number;
  }
  return count;
}

/**
 * One node per community: edges between communities summed, edges inside a community (and its
 * members' self-loops) become its self-loop, so that degrees, m and modularity carry over.
 */
function aggregate(u: UndirectedGraph, comm: Int32Array, count: number): UndirectedGraph {
  const n = u.nodes;
  const memberStart = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const c = comm[i] as number;
    memberStart[c + 1] = (memberStart[c + 1] as number) + 1;
  }
  for (let c = 0; c < count; c++)
    memberStart[c + 1] = (memberStart[c + 1] as number) + (memberStart[c] as number);
  const members = new Int32Array(n);
  const put = memberStart.slice(0, count);
  for (let i = 0; i < n; i++) {
    const c = comm[i] as number;
    members[put[c] as number] = i;
    put[c] = (put[c] as number) + 1;
  }

  const start = new Int32Array(count + 1);
  const neighbours = new Int32Array(u.neighbours.length);
  const weights = new Float64Array(u.neighbours.length);
  const selfLoops = new Float64Array(count);
  // `slot[d]` is where community c's list keeps community d, valid while `owner[d] === c`.
  const owner = new Int32Array(count).fill(-1);
  const slot = new Int32Array(count);
  let write = 0;
  for (let c = 0; c < count; c++) {
    let self = 0;
    let inside = 0;
    for (let x = memberStart[c] as number; x < (memberStart[c + 1] as number); x++) {
      const i = members[x] as number;
      self += u.selfLoops[i] as number;
      for (let p = u.start[i] as number; p < (u.start[i + 1] as number); p++) {
        const d = comm[u.neighbours[p] as number] as number;
        const w = u.weights[p] as number;
        if (d === c) inside += w;
        else if (owner[d] === c) {
          const s = slot[d] as number;
          weights[s] = (weights[s] as number) + w;
        } else {
          owner[d] = c;
          slot[d] = write;
          neighbours[write] = d;
          weights[write] = w;
          write++;
        }
      }
    }
    // Each inside edge was met from both of its ends.
    selfLoops[c] = self + inside / 2;
    start[c + 1] = write;
  }
  return {
    nodes: count,
    start,
    neighbours: neighbours.slice(0, write),
    weights: weights.slice(0, write),
    selfLoops,
    totalWeight: u.totalWeight,
  };
}

/** 0..n-1 in a seeded random order (Fisher–Yates). */
function shuffled(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

export function louvain(u: UndirectedGraph, options: LouvainOptions = {}): LouvainResult {
  const resolution = options.resolution ?? 1;
  const maxPasses = options.maxPasses ?? 10;
  const minGain = options.minGain ?? 1e-7;
  const rng = new Rng(options.seed ?? 1);
  const m = u.totalWeight;
  const community = new Int32Array(u.nodes);
  for (let i = 0; i < u.nodes; i++) community[i] = i;
  // No edges: every node is its own community, and modularity is 0 by convention.
  if (!(m > 0)) return { community, count: u.nodes, modularity: 0, passes: 0 };

  let level = u;
  let passes = 0;
  while (passes < maxPasses) {
    const comm = new Int32Array(level.nodes);
    for (let i = 0; i < level.nodes; i++) comm[i] = i;
    const { moved, gain } = moveNodes(level, comm, shuffled(level.nodes, rng), m, resolution, minGain);
    if (!moved) break;
    const count = renumber(comm);
    for (let i = 0; i < u.nodes; i++) community[i] = comm[community[i] as number] as number;
    passes++;
    // Moves that swapped nodes between communities without emptying one leave nothing to fold.
    if (gain < minGain || count === level.nodes) break;
    level = aggregate(level, comm, count);
  }
  const count = renumber(community);
  return { community, count, modularity: modularity(u, community, resolution), passes };
}
