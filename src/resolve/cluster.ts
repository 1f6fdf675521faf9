/**
 * Entities from scored candidate links: which records are one person or organisation. Plain
 * connected components over the links above the threshold (what Splink does) chain: one spurious
 * strong link, a shared address or a father and son with the same name, joins two families into
 * one entity, and every later link to either family makes it worse. So a link only joins two
 * clusters when the clusters, as wholes, look like one entity.
 *
 * The objective is correlation clustering's (Bansal, Blum & Chawla 2004) with every pair of
 * records weighted by p(i, j) − cohesion: a cluster is good when its members are, on the whole,
 * more likely the same than not by the `cohesion` bar. Two clusters A and B are worth merging
 * exactly when the weights across them sum to ≥ 0, i.e. when the mean probability over the cross
 * pairs A×B is ≥ cohesion: that is the cohesion check, and a sum is used rather than, say, the
 * share of strong cross pairs because a record that merely lacks fields (scored near the prior)
 * should not count as evidence against, while one that disagrees (scored near 0) should.
 *
 * Per connected component (over links ≥ threshold and must-links), in rounds:
 *   1. Units: records joined by must-links (analyst confirmations) start as one cluster each and
 *      are never taken apart; every other record starts alone.
 *   2. Merge pass: links ≥ threshold in descending probability (ties by the smaller record index,
 *      then the larger, so the order never depends on the input's order) merge their two
 *      clusters unless a cannot-link crosses them, the result would exceed `maxClusterSize`, or the
 *      mean cross-pair probability is below `cohesion`. Each refusal is kept with its reason.
 *   3. Move pass (weak bridges split): greedy merging commits early, so a record held in its
 *      cluster by one strong link (the bridge) while scoring low against everyone else stays
 *      there. Each unit in turn (in order of smallest record) moves to whichever neighbouring
 *      cluster (one it has a link ≥ threshold into) or to being alone gains the most weight, and
 *      stays unless a move gains strictly; cannot-links and the size cap bind here too.
 *   4. If anything moved, another merge pass (the pieces left behind may now merge where they
 *      belong), then another move pass, until a move pass moves nothing or `maxRounds` merge
 *      passes ran. The last step is always a merge pass, so every refused link's reason
 *      describes the final clusters.
 *   5. A cluster that the moves left without a path of links ≥ threshold or must-links between
 *      its members is split into its connected pieces, so that every entity can be explained by
 *      the links between its members.
 * Every merge and move only improves the objective (exactly, when the checks score every cross
 * pair), so rounds end; `maxRounds` bounds them when sampled checks disagree with each other.
 *
 * Cost: cross pairs that are themselves candidate links are read from the links (binary search
 * in a sorted adjacency); the others go to `pairProbability`, once per pair (cached). A check
 * scores every cross pair while there are at most `maxCrossPairs`, else the pairs between the
 * first members (the core) of each side: deterministic, so the same clusters always give the same
 * answer. So every merge check and every move check costs at most `maxCrossPairs` look-ups.
 *
 * Everything a component's result depends on (its links, its records' must- and cannot-links,
 * and the pair probabilities among its records) lies inside it, and the order of work inside it
 * depends only on its own links' probabilities and record indices: clustering each component on
 * its own gives the same partition as clustering all (see `componentsTouching`), provided record
 * indices keep their relative order.
 */

/** Pairs of record indices: pair k is (a[k], b[k]). */
export interface IndexPairs {
  readonly a: Int32Array;
  readonly b: Int32Array;
}

/** Candidate pairs with the model's match probability for each. */
export interface ScoredLinks extends IndexPairs {
  readonly probability: Float64Array;
}

export interface ClusterInput {
  /** Records are 0..n-1. */
  n: number;
  links: ScoredLinks;
  /** A link joins its records when its probability is ≥ this (and the checks pass). */
  threshold: number;
  /** Lowest mean pair probability across two clusters that may merge. */
  cohesion: number;
  /**
   * The model's probability for any two records; called only for pairs that are not links, at
   * most once per pair, always with i < j. Must agree with the links' probabilities.
   */
  pairProbability: (i: number, j: number) => number;
  /** Pairs that are one entity whatever the model says (confirmed by an analyst). */
  mustLink?: IndexPairs;
  /** Pairs that are never one entity (forbidden by an analyst, or split apart). */
  cannotLink?: IndexPairs;
  /** Largest cluster links may build (must-links may exceed it). */
  maxClusterSize?: number;
  /** Most cross pairs one check scores before it samples; default 64. */
  maxCrossPairs?: number;
  /** Most merge passes per component; default 8. */
  maxRounds?: number;
}

/** A link ≥ threshold whose records ended in different clusters, and why. */
export interface RejectedLink {
  link: number;
  /** `cannot-link`, `size cap`, or `not cohesive: mean 0.31 over 6 cross pairs`. */
  reason: string;
  /** For `cannot-link`: the index of the cannot-link pair that crossed the two clusters. */
  cannotLink?: number;
}

export interface ClusterStats {
  /** Components with two records or more. */
  components: number;
  /** Calls to `pairProbability` (pairs that were not links). */
  pairCalls: number;
  /** Units moved by move passes. */
  moves: number;
  /** Most merge passes any component needed. */
  rounds: number;
}

export interface ClusterResult {
  /** Cluster per record, 0..count-1, numbered in order of each cluster's smallest record. */
  label: Int32Array;
  count: number;
  /** Links ≥ threshold whose records ended in one cluster, ascending. */
  accepted: Int32Array;
  /** Links ≥ threshold whose records ended apart, ascending by link. */
  rejected: RejectedLink[];
  /** Cannot-link pairs (indices) that must-links had already joined: the must-links win. */
  ignoredCannotLinks: Int32Array;
  stats: ClusterStats;
}

const DEFAULT_MAX_CROSS_PAIRS = 64;
const DEFAULT_MAX_ROUNDS = 8;
/** A move must gain more than this: rounding must not make units swap back and forth. */
const GAIN_EPSILON = 1e-9;
const NO_PAIRS: IndexPairs = { a: new Int32Array(0), b: new Int32Array(0) };

function fail(message: string): never {
  throw new Error(`cluster: ${message}`);
}

function checkPairs(pairs: IndexPairs, n: number, what: string): void {
  if (pairs.a.length !== pairs.b.length) fail(`${what}: a and b differ in length`);
  for (let k = 0; k < pairs.a.length; k++) {
    const x = pairs.a[k] as number;
    const y = pairs.b[k] as number;
    if (!(x >= 0 && x < n && y >= 0 && y < n))
      fail(`${what} ${k} (${x}, ${y}) is outside records 0..${n - 1}`);
    if (x === y) fail(`${what} ${k} joins record ${x} to itself`);
  }
}

function checkProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) fail(`${what} is ${p}, not a probability`);
}

function find(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root] as number;
  while (parent[i] !== root) {
    const next = parent[i] as number;
    parent[i] = root;
    i = next;
  }
  return root;
}

function union(parent: Int32Array, rank: Uint8Array, x: number, y: number): void {
  let rx = find(parent, x);
  let ry = find(parent, y);
  if (rx === ry) return;
  if ((rank[rx] as number) < (rank[ry] as number)) [rx, ry] = [ry, rx];
  parent[ry] = rx;
  if (rank[rx] === rank[ry]) rank[rx] = (rank[rx] as number) + 1;
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Names each union-find set by its smallest record, or numbers the sets 0.. in order of their
 * smallest record (`dense`).
 */
function setIds(parent: Int32Array, dense: boolean): { id: Int32Array; count: number } {
  const n = parent.length;
  const byRoot = new Int32Array(n).fill(-1);
  const id = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = find(parent, i);
    if (byRoot[r] === -1) byRoot[r] = dense ? count++ : i;
    id[i] = byRoot[r] as number;
  }
  return { id, count };
}

/** Items 0..length-1 grouped by key (0..keys-1), ascending within a group: a counting sort. */
function groupBy(
  key: (item: number) => number,
  length: number,
  keys: number,
): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < length; i++) {
    const k = key(i) + 1;
    start[k] = (start[k] as number) + 1;
  }
  for (let k = 0; k < keys; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const put = start.slice(0, keys);
  const items = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const k = key(i);
    items[put[k] as number] = i;
    put[k] = (put[k] as number) + 1;
  }
  return { start, items };
}

/**
 * Both directions of the links inside components, each record's neighbours ascending, a pair
 * linked twice kept once at its higher probability.
 */
interface Adjacency {
  start: Int32Array;
  neighbour: Int32Array;
  probability: Float64Array;
}

function adjacency(links: ScoredLinks, n: number, compOf: Int32Array): Adjacency {
  const { a, b, probability } = links;
  // Entry 2l is a[l] → b[l], entry 2l+1 is b[l] → a[l]; links across components never matter.
  let inside = 0;
  for (let l = 0; l < a.length; l++) if (compOf[a[l] as number] === compOf[b[l] as number]) inside++;
  const entries = new Int32Array(2 * inside);
  let put = 0;
  for (let l = 0; l < a.length; l++) {
    if (compOf[a[l] as number] !== compOf[b[l] as number]) continue;
    entries[put++] = 2 * l;
    entries[put++] = 2 * l + 1;
  }
  const from = (e: number): number => ((e & 1) === 0 ? a[e >> 1] : b[e >> 1]) as number;
  const to = (e: number): number => ((e & 1) === 0 ? b[e >> 1] : a[e >> 1]) as number;
  // Two stable counting sorts: by neighbour, then by record, leave each record's list sorted.
  const byTo = groupBy((i) => to(entries[i] as number), entries.length, n).items;
  const byFrom = groupBy((i) => from(entries[byTo[i] as number] as number), entries.length, n).items;
  const start = new Int32Array(n + 1);
  const neighbour = new Int32Array(entries.length);
  const prob = new Float64Array(entries.length);
  let w = 0;
  let current = -1;
  for (let i = 0; i < byFrom.length; i++) {
    const e = entries[byTo[byFrom[i] as number] as number] as number;
    const x = from(e);
    const y = to(e);
    const p = probability[e >> 1] as number;
    while (current < x) start[++current] = w;
    if (w > (start[x] as number) && neighbour[w - 1] === y) {
      if (p > (prob[w - 1] as number)) prob[w - 1] = p;
    } else {
      neighbour[w] = y;
      prob[w] = p;
      w++;
    }
  }
  while (current < n) start[++current] = w;
  return { start, neighbour: neighbour.subarray(0, w), probability: prob.subarray(0, w) };
}

/** Everything the passes over one component share. */
interface Work {
  n: number;
  links: ScoredLinks;
  threshold: number;
  cohesion: number;
  cap: number;
  budget: number;
  pairProbability: (i: number, j: number) => number;
  cache: Map<number, number>;
  adj: Adjacency;
  unitOf: Int32Array;
  unitStart: Int32Array;
  unitMembers: Int32Array;
  compOf: Int32Array;
  cannotStart: Int32Array;
  cannotPartner: Int32Array;
  cannotPair: Int32Array;
  /** Cluster (an index into `clusters`) per record of the component being worked on. */
  clusterOf: Int32Array;
  clusters: number[][];
  reasons: Map<number, RejectedLink>;
  pairCalls: number;
  moves: number;
}

function probabilityOf(w: Work, i: number, j: number): number {
  const x = Math.min(i, j);
  const y = Math.max(i, j);
  const { start, neighbour, probability } = w.adj;
  let lo = start[x] as number;
  let hi = start[x + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = neighbour[mid] as number;
    if (v === y) return probability[mid] as number;
    if (v < y) lo = mid + 1;
    else hi = mid;
  }
  const key = x * w.n + y;
  let p = w.cache.get(key);
  if (p === undefined) {
    p = w.pairProbability(x, y);
    checkProbability(p, `pairProbability(${x}, ${y})`);
    w.cache.set(key, p);
    w.pairCalls++;
  }
  return p;
}

/**
 * Mean probability over the cross pairs A×B, leaving out B's members of unit `skipUnit` (a unit
 * weighed against its own cluster): all pairs while there are at most `budget`, else the pairs
 * between the first members of each side. Members are listed in the order they joined, and the
 * strongest links join first, so the first members are the cluster's core; and as a cluster grows
 * its first members stay the same, so later checks find most of their pairs in the cache.
 */
function crossMean(
  w: Work,
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  skipUnit = -1,
): { mean: number; pairs: number } {
  const la = A.length;
  const lb = B.length;
  const skipped =
    skipUnit === -1 ? 0 : (w.unitStart[skipUnit + 1] as number) - (w.unitStart[skipUnit] as number);
  const others = lb - skipped;
  let ka = la;
  let kb = others;
  if (la * others > w.budget) {
    const side = Math.max(1, Math.floor(Math.sqrt(w.budget)));
    if (la <= side) kb = Math.max(1, Math.floor(w.budget / la));
    else if (others <= side) ka = Math.max(1, Math.floor(w.budget / others));
    else {
      ka = side;
      kb = side;
    }
    ka = Math.min(ka, la);
    kb = Math.min(kb, others);
  }
  let sum = 0;
  let taken = 0;
  for (let j = 0; j < lb && taken < kb; j++) {
    const y = B[j] as number;
    if (skipped > 0 && w.unitOf[y] === skipUnit) continue;
    taken++;
    for (let s = 0; s < ka; s++) sum += probabilityOf(w, A[s] as number, y);
  }
  const pairs = ka * taken;
  return { mean: pairs === 0 ? 0 : sum / pairs, pairs };
}

/**
 * Correlation-clustering weight between unit members A and cluster B (less A's unit, when B is
 * A's own cluster): Σ (p − cohesion) over the cross pairs, estimated from the checked ones.
 */
function support(w: Work, A: ArrayLike<number>, B: ArrayLike<number>, skipUnit = -1): number {
  const others = B.length - (skipUnit === -1 ? 0 : A.length);
  if (A.length === 0 || others <= 0) return 0;
  return (crossMean(w, A, B, skipUnit).mean - w.cohesion) * A.length * others;
}

/** A cannot-link between a member of `members` and a member of cluster `other` in component `comp`, else -1. */
function crossingCannotLink(w: Work, comp: number, members: ArrayLike<number>, other: number): number {
  for (let s = 0; s < members.length; s++) {
    const m = members[s] as number;
    for (let p = w.cannotStart[m] as number; p < (w.cannotStart[m + 1] as number); p++) {
      const q = w.cannotPartner[p] as number;
      if (w.compOf[q] === comp && w.clusterOf[q] === other) return w.cannotPair[p] as number;
    }
  }
  return -1;
}

function formatMean(mean: number): string {
  return mean.toFixed(2);
}

/** Step 2: the component's links ≥ threshold, in order, merge their clusters when the checks pass. */
function mergePass(w: Work, comp: number, order: Int32Array, hasCannot: boolean): void {
  const { a, b } = w.links;
  const { clusterOf, clusters } = w;
  for (let q = 0; q < order.length; q++) {
    const l = order[q] as number;
    let cx = clusterOf[a[l] as number] as number;
    let cy = clusterOf[b[l] as number] as number;
    if (cx === cy) {
      w.reasons.delete(l);
      continue;
    }
    let A = clusters[cx] as number[];
    let B = clusters[cy] as number[];
    if (A.length < B.length) {
      [A, B] = [B, A];
      [cx, cy] = [cy, cx];
    }
    const crossing = hasCannot ? crossingCannotLink(w, comp, B, cx) : -1;
    if (crossing >= 0) {
      w.reasons.set(l, { link: l, reason: "cannot-link", cannotLink: crossing });
      continue;
    }
    if (A.length + B.length > w.cap) {
      w.reasons.set(l, { link: l, reason: "size cap" });
      continue;
    }
    const { mean, pairs } = crossMean(w, A, B);
    if (mean < w.cohesion) {
      w.reasons.set(l, {
        link: l,
        reason: `not cohesive: mean ${formatMean(mean)} over ${pairs} cross pairs`,
      });
      continue;
    }
    w.reasons.delete(l);
    for (const m of B) {
      A.push(m);
      clusterOf[m] = cx;
    }
    clusters[cy] = [];
  }
}

/** Step 3: each unit moves to the neighbouring cluster, or to being alone, that gains it the most. */
function movePass(w: Work, comp: number, records: Int32Array, hasCannot: boolean): boolean {
  const { clusterOf, clusters, unitOf, unitStart, unitMembers, adj } = w;
  const seen = new Set<number>();
  let moved = false;
  for (let r = 0; r < records.length; r++) {
    const u = records[r] as number;
    if (unitOf[u] !== u) continue;
    const U = unitMembers.subarray(unitStart[u] as number, unitStart[u + 1] as number);
    const home = clusterOf[u] as number;
    const homeMembers = clusters[home] as number[];
    const alone = homeMembers.length === U.length;
    let best = support(w, U, homeMembers, u);
    let dest = home;
    if (!alone && 0 > best + GAIN_EPSILON) {
      best = 0;
      dest = -1;
    }
    seen.clear();
    for (let s = 0; s < U.length; s++) {
      const x = U[s] as number;
      for (let e = adj.start[x] as number; e < (adj.start[x + 1] as number); e++) {
        if ((adj.probability[e] as number) < w.threshold) continue;
        const d = clusterOf[adj.neighbour[e] as number] as number;
        if (d === home || seen.has(d)) continue;
        seen.add(d);
        const D = clusters[d] as number[];
        if (D.length + U.length > w.cap) continue;
        if (hasCannot && crossingCannotLink(w, comp, U, d) >= 0) continue;
        const gain = support(w, U, D);
        if (gain > best + GAIN_EPSILON) {
          best = gain;
          dest = d;
        }
      }
    }
    if (dest === home) continue;
    clusters[home] = homeMembers.filter((m) => unitOf[m] !== u);
    if (dest === -1) {
      dest = clusters.length;
      clusters.push([]);
    }
    const D = clusters[dest] as number[];
    for (let s = 0; s < U.length; s++) {
      const m = U[s] as number;
      D.push(m);
      clusterOf[m] = dest;
    }
    w.moves++;
    moved = true;
  }
  return moved;
}

/**
 * Step 5: final clusters are the connected pieces of each cluster over its links ≥ threshold and
 * must-links; each record's piece is named by the piece's smallest record.
 */
function pieces(w: Work, records: Int32Array, piece: Int32Array): void {
  const { clusterOf, adj, unitOf, unitStart, unitMembers } = w;
  const stack: number[] = [];
  for (let r = 0; r < records.length; r++) {
    const root = records[r] as number;
    if (piece[root] !== -1) continue;
    piece[root] = root;
    stack.push(root);
    while (stack.length > 0) {
      const x = stack.pop() as number;
      const c = clusterOf[x];
      const u = unitOf[x] as number;
      for (let p = unitStart[u] as number; p < (unitStart[u + 1] as number); p++) {
        const m = unitMembers[p] as number;
        if (piece[m] === -1) {
          piece[m] = root;
          stack.push(m);
        }
      }
      for (let e = adj.start[x] as number; e < (adj.start[x + 1] as number); e++) {
        const y = adj.neighbour[e] as number;
        if (piece[y] === -1 && (adj.probability[e] as number) >= w.threshold && clusterOf[y] === c) {
          piece[y] = root;
          stack.push(y);
        }
      }
    }
  }
}

function checkInput(input: ClusterInput): void {
  const { n, links } = input;
  if (!Number.isInteger(n) || n < 0) fail(`n is ${n}, not a record count`);
  checkPairs(links, n, "link");
  if (links.probability.length !== links.a.length) fail("links: probability and a differ in length");
  for (let l = 0; l < links.probability.length; l++)
    checkProbability(links.probability[l] as number, `link ${l}`);
  checkProbability(input.threshold, "threshold");
  checkProbability(input.cohesion, "cohesion");
  if (input.mustLink) checkPairs(input.mustLink, n, "must-link");
  if (input.cannotLink) checkPairs(input.cannotLink, n, "cannot-link");
  if (input.maxClusterSize !== undefined && !(input.maxClusterSize >= 1))
    fail(`maxClusterSize is ${input.maxClusterSize}`);
  if (
    input.maxCrossPairs !== undefined &&
    !(Number.isInteger(input.maxCrossPairs) && input.maxCrossPairs >= 1)
  )
    fail(`maxCrossPairs is ${input.maxCrossPairs}`);
  if (input.maxRounds !== undefined && !(Number.isInteger(input.maxRounds) && input.maxRounds >= 1))
    fail(`maxRounds is ${input.maxRounds}`);
}

/** Links ≥ threshold by component, each component's in processing order (probability desc, then record indices). */
function strongLinksByComponent(
  links: ScoredLinks,
  threshold: number,
  compOf: Int32Array,
  components: number,
): { start: Int32Array; order: Int32Array } {
  const { a, b, probability } = links;
  const strong: number[] = [];
  for (let l = 0; l < a.length; l++) if ((probability[l] as number) >= threshold) strong.push(l);
  const { start, items } = groupBy(
    (i) => compOf[a[strong[i] as number] as number] as number,
    strong.length,
    components,
  );
  const order = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) order[i] = strong[items[i] as number] as number;
  const lo = (l: number): number => Math.min(a[l] as number, b[l] as number);
  const hi = (l: number): number => Math.max(a[l] as number, b[l] as number);
  const byPriority = (x: number, y: number): number =>
    (probability[y] as number) - (probability[x] as number) || lo(x) - lo(y) || hi(x) - hi(y) || x - y;
  for (let c = 0; c < components; c++) {
    const from = start[c] as number;
    const to = start[c + 1] as number;
    if (to - from > 1) order.subarray(from, to).sort(byPriority);
  }
  return { start, order };
}

/** Clusters records into entities; see the module comment for the algorithm. */
export function clusterRecords(input: ClusterInput): ClusterResult {
  checkInput(input);
  const { n, links, threshold } = input;
  const must = input.mustLink ?? NO_PAIRS;
  const cannot = input.cannotLink ?? NO_PAIRS;

  // Units: must-link groups, each named by its smallest record.
  const parent = identity(n);
  const rank = new Uint8Array(n);
  for (let k = 0; k < must.a.length; k++) union(parent, rank, must.a[k] as number, must.b[k] as number);
  const unitOf = setIds(parent, false).id;
  const units = groupBy((i) => unitOf[i] as number, n, n);

  // Components: units joined by links ≥ threshold.
  for (let l = 0; l < links.a.length; l++) {
    if ((links.probability[l] as number) >= threshold)
      union(parent, rank, links.a[l] as number, links.b[l] as number);
  }
  const { id: compOf, count: components } = setIds(parent, true);
  const compRecords = groupBy((i) => compOf[i] as number, n, components);
  const strong = strongLinksByComponent(links, threshold, compOf, components);

  // Cannot-links per record (both ends); a pair inside one must-link group is overruled by it.
  const ignored: number[] = [];
  const ends: [record: number, partner: number, pair: number][] = [];
  for (let k = 0; k < cannot.a.length; k++) {
    const x = cannot.a[k] as number;
    const y = cannot.b[k] as number;
    if (unitOf[x] === unitOf[y]) ignored.push(k);
    else ends.push([x, y, k], [y, x, k]);
  }
  const byEnd = groupBy((i) => (ends[i] as [number, number, number])[0], ends.length, n);
  const cannotPartner = new Int32Array(ends.length);
  const cannotPair = new Int32Array(ends.length);
  for (let p = 0; p < ends.length; p++) {
    const [, partner, pair] = ends[byEnd.items[p] as number] as [number, number, number];
    cannotPartner[p] = partner;
    cannotPair[p] = pair;
  }

  const w: Work = {
    n,
    links,
    threshold,
    cohesion: input.cohesion,
    cap: input.maxClusterSize ?? Number.POSITIVE_INFINITY,
    budget: input.maxCrossPairs ?? DEFAULT_MAX_CROSS_PAIRS,
    pairProbability: input.pairProbability,
    cache: new Map(),
    adj: adjacency(links, n, compOf),
    unitOf,
    unitStart: units.start,
    unitMembers: units.items,
    compOf,
    cannotStart: byEnd.start,
    cannotPartner,
    cannotPair,
    clusterOf: new Int32Array(n),
    clusters: [],
    reasons: new Map(),
    pairCalls: 0,
    moves: 0,
  };
  const maxRounds = input.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const piece = new Int32Array(n).fill(-1);
  let multi = 0;
  let rounds = 0;
  for (let c = 0; c < components; c++) {
    const records = compRecords.items.subarray(
      compRecords.start[c] as number,
      compRecords.start[c + 1] as number,
    );
    if (records.length === 1) {
      piece[records[0] as number] = records[0] as number;
      continue;
    }
    multi++;
    w.clusters = [];
    // Pairs never span components: the cache only ever needs the current one.
    w.cache.clear();
    let unitCount = 0;
    let hasCannot = false;
    for (let r = 0; r < records.length; r++) {
      const x = records[r] as number;
      const u = unitOf[x] as number;
      // A unit is named by its smallest record, met (and given its cluster) before its others.
      if (u === x) {
        unitCount++;
        w.clusters.push([]);
      }
      const cluster = u === x ? w.clusters.length - 1 : (w.clusterOf[u] as number);
      (w.clusters[cluster] as number[]).push(x);
      w.clusterOf[x] = cluster;
      if ((byEnd.start[x + 1] as number) > (byEnd.start[x] as number)) hasCannot = true;
    }
    const order = strong.order.subarray(strong.start[c] as number, strong.start[c + 1] as number);
    let round = 0;
    for (;;) {
      round++;
      mergePass(w, c, order, hasCannot);
      if (unitCount < 2 || records.length < 3 || round >= maxRounds) break;
      if (!movePass(w, c, records, hasCannot)) break;
    }
    rounds = Math.max(rounds, round);
    pieces(w, records, piece);
  }

  const label = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) label[i] = piece[i] === i ? count++ : (label[piece[i] as number] as number);

  const accepted: number[] = [];
  const rejected: RejectedLink[] = [];
  for (let l = 0; l < links.a.length; l++) {
    if ((links.probability[l] as number) < threshold) continue;
    if (label[links.a[l] as number] === label[links.b[l] as number]) accepted.push(l);
    else {
      const why = w.reasons.get(l);
      if (!why) fail(`internal: link ${l} ended apart without a reason`);
      rejected.push(why);
    }
  }
  return {
    label,
    count,
    accepted: Int32Array.from(accepted),
    rejected,
    ignoredCannotLinks: Int32Array.from(ignored),
    stats: { components: multi, pairCalls: w.pairCalls, moves: w.moves, rounds },
  };
}

export interface TouchInput {
  n: number;
  links: ScoredLinks;
  threshold: number;
  mustLink?: IndexPairs;
  cannotLink?: IndexPairs;
  /** Records that are new or whose links changed. */
  changed: ArrayLike<number>;
}

/** The part of a clustering problem an incremental run must redo. */
export interface Touched {
  /** Records of the components (over links ≥ threshold and must-links) holding a changed record, ascending. */
  records: Int32Array;
  /** Links (any probability) with both records among `records`, ascending. */
  links: Int32Array;
  /** Must-link and cannot-link pairs with both records among `records`, ascending. */
  mustLinks: Int32Array;
  cannotLinks: Int32Array;
}

/** Union-find parents of the components joined by must-links and links at or above `threshold`. */
function linkedComponents(
  n: number,
  links: TouchInput["links"],
  threshold: number,
  must: NonNullable<TouchInput["mustLink"]>,
): Int32Array {
  const parent = identity(n);
  const rank = new Uint8Array(n);
  for (let k = 0; k < must.a.length; k++) union(parent, rank, must.a[k] as number, must.b[k] as number);
  for (let l = 0; l < links.a.length; l++) {
    if ((links.probability[l] as number) >= threshold)
      union(parent, rank, links.a[l] as number, links.b[l] as number);
  }
  return parent;
}

/**
 * The components that contain a changed record: clustering is a function of each component
 * alone, so re-clustering these (`restrictTo`) and keeping every other record's cluster gives the
 * partition a full run would.
 */
export function componentsTouching(input: TouchInput): Touched {
  const { n, links, threshold } = input;
  if (!Number.isInteger(n) || n < 0) fail(`n is ${n}, not a record count`);
  checkPairs(links, n, "link");
  const must = input.mustLink ?? NO_PAIRS;
  const cannot = input.cannotLink ?? NO_PAIRS;
  checkPairs(must, n, "must-link");
  checkPairs(cannot, n, "cannot-link");
  const parent = linkedComponents(n, links, threshold, must);
  const touchedRoot = new Uint8Array(n);
  for (let k = 0; k < input.changed.length; k++) {
    const x = input.changed[k] as number;
    if (!(x >= 0 && x < n)) fail(`changed record ${x} is outside records 0..${n - 1}`);
    touchedRoot[find(parent, x)] = 1;
  }
  const inside = new Uint8Array(n);
  const records: number[] = [];
  for (let i = 0; i < n; i++) {
    if (touchedRoot[find(parent, i)] === 1) {
      inside[i] = 1;
      records.push(i);
    }
  }
  const within = (pairs: IndexPairs): Int32Array => {
    const out: number[] = [];
    for (let k = 0; k < pairs.a.length; k++) {
      if (inside[pairs.a[k] as number] === 1 && inside[pairs.b[k] as number] === 1) out.push(k);
    }
    return Int32Array.from(out);
  };
  return {
    records: Int32Array.from(records),
    links: within(links),
    mustLinks: within(must),
    cannotLinks: within(cannot),
  };
}

function pick<T extends Int32Array | Float64Array>(values: T, at: Int32Array): T {
  const out = new (values.constructor as new (length: number) => T)(at.length);
  for (let k = 0; k < at.length; k++) out[k] = values[at[k] as number] as number;
  return out;
}

/**
 * `input` cut down to the touched components: the same records and indices (so ties break the
 * same way), only the links and constraints inside them. Labels of records outside `records`
 * mean nothing in the result; renumbering records instead is fine if it keeps their order.
 */
export function restrictTo(input: ClusterInput, touched: Touched): ClusterInput {
  const pairs = (p: IndexPairs | undefined, at: Int32Array): IndexPairs | undefined =>
    p === undefined ? undefined : { a: pick(p.a, at), b: pick(p.b, at) };
  return {
    ...input,
    links: {
      a: pick(input.links.a, touched.links),
      b: pick(input.links.b, touched.links),
      probability: pick(input.links.probability, touched.links),
    },
    mustLink: pairs(input.mustLink, touched.mustLinks),
    cannotLink: pairs(input.cannotLink, touched.cannotLinks),
  };
}

/**
 * Each record's component (over links ≥ threshold and must-links, as `componentsTouching` makes
 * them) named by its smallest record. A run stores it per party, so that a later incremental run
 * reads only the components its new parties touch rather than every link.
 */
export function componentLeast(input: Omit<TouchInput, "changed" | "cannotLink">): Int32Array {
  const { n, links, threshold } = input;
  const must = input.mustLink ?? NO_PAIRS;
  const parent = linkedComponents(n, links, threshold, must);
  const least = new Int32Array(n).fill(-1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(parent, i);
    // Records in ascending order: the first met of each component is its smallest.
    if ((least[root] as number) < 0) least[root] = i;
    out[i] = least[root] as number;
  }
  return out;
}
