import { type EdgeFilter, edgeFilter, seekTime } from "./graph-view.js";
import type { MoneyGraph } from "./money-graph.js";

/**
 * Paths money could have taken from one account to another: chains of payments in which each
 * payment is no earlier than the one before it (t1 ≤ t2 ≤ …), so that the money received could
 * have funded the next payment. Payments at the same instant may chain, since timestamps are often
 * only to the day or the minute. Cash edges have no account at one end and are never on a path.
 */

export interface ShortestPathOptions {
  filter?: EdgeFilter;
  maxHops?: number;
}

/**
 * The path with the fewest hops from `a` to `b`, and among those the one that arrives earliest;
 * null when there is none within `maxHops`. A time-respecting breadth-first search (earliest
 * arrival, relaxed hop by hop as in Bellman–Ford; cf. Wu et al., "Path problems in temporal
 * graphs", VLDB 2014): at each hop, only the accounts whose earliest arrival improved at the hop
 * before are expanded, each by its payments no earlier than that arrival. Work is at most
 * `maxHops` passes over the edges. The path found is simple: a loop in it could be cut out,
 * giving fewer hops.
 */
export function shortestTemporalPath(
  g: MoneyGraph,
  a: number,
  b: number,
  options: ShortestPathOptions = {},
): { edges: number[] } | null {
  checkAccount(g, a, "shortestTemporalPath");
  checkAccount(g, b, "shortestTemporalPath");
  if (a === b) return { edges: [] };
  const maxHops = options.maxHops ?? 6;
  const accept = edgeFilter(g, options.filter);
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  // Earliest arrival found so far, with at most the current number of hops.
  const arrival = new Float64Array(g.accounts.length).fill(Number.POSITIVE_INFINITY);
  arrival[a] = Number.NEGATIVE_INFINITY;
  // layers[h]: the accounts whose arrival improved at hop h+1, with the edge that improved it.
  const layers: Map<number, number>[] = [];
  let frontier = [a];
  let times = [lowT];
  for (let h = 0; h < maxHops; h++) {
    const layer = new Map<number, number>();
    for (let i = 0; i < frontier.length; i++) {
      const v = frontier[i] as number;
      // The arrival at v as of the hop before: relaxing from a value improved in this same hop
      // would give a path one hop longer than counted.
      const t = times[i] as number;
      const lo = seekTime(g, g.outEdges, g.outStart[v] as number, g.outStart[v + 1] as number, t);
      const hi = seekTime(g, g.outEdges, lo, g.outStart[v + 1] as number, highT, true);
      for (let k = lo; k < hi; k++) {
        const e = g.outEdges[k] as number;
        const w = g.to[e] as number;
        if (w < 0 || (g.time[e] as number) >= (arrival[w] as number) || !accept(e)) continue;
        arrival[w] = g.time[e] as number;
        layer.set(w, e);
      }
    }
    layers.push(layer);
    const last = layer.get(b);
    if (last !== undefined) {
      // Each account on the path was reached at exactly the hop before the one it leads to.
      const edges = [last];
      for (let j = h - 1; j >= 0; j--) {
        const v = g.from[edges[edges.length - 1] as number] as number;
        edges.push((layers[j] as Map<number, number>).get(v) as number);
      }
      return { edges: edges.reverse() };
    }
    if (layer.size === 0) return null;
    frontier = [...layer.keys()];
    times = frontier.map((w) => arrival[w] as number);
  }
  return null;
}

export interface TopPathsOptions {
  k?: number;
  maxHops?: number;
  filter?: EdgeFilter;
  /** Edges looked at before the search stops. */
  maxExpansions?: number;
}

export interface AmountPath {
  edges: number[];
  /** The bottleneck: the smallest payment on the path, which bounds what can have gone all the way. */
  amountUsd: number;
}

/**
 * The `k` simple, time-respecting paths from `a` to `b` that could have carried the most money,
 * by their bottleneck amount, then by fewest hops. Paths are routes (sequences of accounts): of the
 * payments between the same accounts, each route is reported once, with its best choice. A path
 * has at least one payment, so there is none from an account to itself.
 *
 * Best-first search over partial paths, the widest first: extending a path never widens it nor
 * shortens it, so paths reach `b` in the order wanted and the first `k` routes are the answer (the
 * widest-path variant of Dijkstra, kept per path since paths must stay simple). Accounts that
 * cannot reach `b` in time within the hops left are pruned with `latestDeparture`. The search
 * stops after `maxExpansions` edges; the paths found by then are still the best ones, only fewer.
 */
export function topPathsByAmount(
  g: MoneyGraph,
  a: number,
  b: number,
  options: TopPathsOptions = {},
): { paths: AmountPath[]; truncated: boolean } {
  checkAccount(g, a, "topPathsByAmount");
  checkAccount(g, b, "topPathsByAmount");
  const k = options.k ?? 5;
  const maxHops = Math.min(options.maxHops ?? 4, 255);
  const maxExpansions = options.maxExpansions ?? 200_000;
  if (a === b || k <= 0 || maxHops <= 0) return { paths: [], truncated: false };
  const accept = edgeFilter(g, options.filter);
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  // No path can use a payment earlier than a's first.
  const firstOut = seekTime(g, g.outEdges, g.outStart[a] as number, g.outStart[a + 1] as number, lowT);
  if (firstOut === g.outStart[a + 1]) return { paths: [], truncated: false };
  const { latest, hops: hopsToB } = latestDeparture(g, b, {
    maxHops,
    accept,
    strict: false,
    from: g.time[g.outEdges[firstOut] as number] as number,
    to: options.filter?.to ?? Number.POSITIVE_INFINITY,
  });
  if ((hopsToB[a] as number) === 0) return { paths: [], truncated: false };

  // Partial paths as parallel arrays: state s ends with edge[s], after parent[s] (-1: a).
  let capacity = Math.min(maxExpansions + 1, 4096);
  let edgeOf = new Int32Array(capacity);
  let parent = new Int32Array(capacity);
  let width = new Float64Array(capacity);
  let length = new Uint8Array(capacity);
  let heap = new Int32Array(capacity);
  let states = 0;
  let size = 0;
  /** Wider first, then shorter, then older: a total order, so results do not depend on the heap. */
  const before = (x: number, y: number) =>
    (width[x] as number) > (width[y] as number) ||
    (width[x] === width[y] &&
      ((length[x] as number) < (length[y] as number) || (length[x] === length[y] && x < y)));
  const grow = () => {
    capacity *= 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    edgeOf = widen(edgeOf, new Int32Array(capacity));
    parent = widen(parent, new Int32Array(capacity));
    width = widen(width, new Float64Array(capacity));
    length = widen(length, new Uint8Array(capacity));
    heap = widen(heap, new Int32Array(capacity));
  };
  const push = (e: number, from: number) => {
    if (states === capacity) grow();
    const s = states++;
    edgeOf[s] = e;
    parent[s] = from;
    width[s] =
      from < 0 ? (g.amountUsd[e] as number) : Math.min(width[from] as number, g.amountUsd[e] as number);
    length[s] = from < 0 ? 1 : (length[from] as number) + 1;
    let i = size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(s, heap[up] as number)) break;
      heap[i] = heap[up] as number;
      i = up;
    }
    heap[i] = s;
  };
  const pop = (): number => {
    const top = heap[0] as number;
    const s = heap[--size] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && before(heap[child + 1] as number, heap[child] as number)) child++;
      if (!before(heap[child] as number, s)) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    heap[i] = s;
    return top;
  };
  const onPath = (s: number, w: number) => {
    for (let p = s; p >= 0; p = parent[p] as number) if (g.to[edgeOf[p] as number] === w) return true;
    return false;
  };

  const paths: AmountPath[] = [];
  const routes = new Set<string>();
  let looked = 0;
  let truncated = false;
  /** Extends state s (or a, when -1) by each payment that can still lead to b in time. */
  const expand = (s: number): boolean => {
    const v = s < 0 ? a : (g.to[edgeOf[s] as number] as number);
    const t = s < 0 ? lowT : (g.time[edgeOf[s] as number] as number);
    const hops = s < 0 ? 0 : (length[s] as number);
    const left = maxHops - hops - 1;
    const start = g.outStart[v] as number;
    const lo = seekTime(g, g.outEdges, start, g.outStart[v + 1] as number, t);
    // Nothing later than v's latest departure can still reach b.
    const hi = seekTime(g, g.outEdges, lo, g.outStart[v + 1] as number, latest[v] as number, true);
    for (let i = lo; i < hi; i++) {
      if (looked++ >= maxExpansions) return false;
      const e = g.outEdges[i] as number;
      const w = g.to[e] as number;
      if (w < 0 || w === a || !accept(e)) continue;
      if (w !== b) {
        const need = hopsToB[w] as number;
        if (need === 0 || need > left || (g.time[e] as number) > (latest[w] as number) || onPath(s, w))
          continue;
      }
      push(e, s);
    }
    return true;
  };

  if (!expand(-1)) truncated = true;
  while (!truncated && size > 0 && paths.length < k) {
    const s = pop();
    if (g.to[edgeOf[s] as number] === b) {
      const edges: number[] = [];
      for (let p = s; p >= 0; p = parent[p] as number) edges.push(edgeOf[p] as number);
      edges.reverse();
      const route = edges.map((e) => g.to[e]).join(",");
      if (!routes.has(route)) {
        routes.add(route);
        paths.push({ edges, amountUsd: width[s] as number });
      }
      continue;
    }
    if (!expand(s)) truncated = true;
  }
  return { paths, truncated };
}

export interface DepartureOptions {
  maxHops: number;
  accept: (edge: number) => boolean;
  /** Strictly increasing times (cycles), rather than non-decreasing (paths). */
  strict: boolean;
  /** Only payments in [from, to] can be on the paths (ms; both ends included). */
  from?: number;
  to?: number;
}

/**
 * What prunes path and cycle searches: for every account, the latest time it can make a payment
 * that still gets money to `target` within `maxHops` time-respecting hops (-Infinity: it cannot),
 * and the fewest hops that takes (0: it cannot; the target itself is left at 0). Paths through
 * `target` are not followed. An account is worth entering at time t only if it can leave after t
 * and has the hops left.
 *
 * One pass over the edges in the window, latest first (the one-pass latest-departure algorithm of
 * Wu et al., "Path problems in temporal graphs", VLDB 2014): when a payment is looked at, every
 * later one has been, so its payee's values are known. Both are bounds, not exact: the latest
 * departure may need more hops than the fewest, and at one instant the strict order is not
 * enforced on the hops. Bounds are enough to prune: they never cut a path that exists.
 */
export function latestDeparture(
  g: MoneyGraph,
  target: number,
  options: DepartureOptions,
): { latest: Float64Array; hops: Uint8Array } {
  const { accept, strict } = options;
  const maxHops = Math.min(options.maxHops, 255);
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const latest = new Float64Array(g.accounts.length).fill(Number.NEGATIVE_INFINITY);
  const hops = new Uint8Array(g.accounts.length);
  const first = seekTime(g, null, 0, g.edgeCount, from);
  let end = seekTime(g, null, first, g.edgeCount, to, true);
  while (end > first) {
    // Payments at one instant are a group. Without `strict` they chain within it, in any order,
    // so the group is passed over again while it changes; a chain longer than maxHops is of no use.
    const t = g.time[end - 1] as number;
    let start = end - 1;
    while (start > first && g.time[start - 1] === t) start--;
    for (let pass = 0; pass <= (strict ? 0 : maxHops); pass++) {
      let changed = false;
      for (let e = start; e < end; e++) {
        const u = g.from[e] as number;
        const w = g.to[e] as number;
        if (u < 0 || w < 0 || u === target) continue;
        let h = 1;
        if (w !== target) {
          const hw = hops[w] as number;
          const lw = latest[w] as number;
          if (hw === 0 || hw >= maxHops || t > lw || (strict && t === lw)) continue;
          h = hw + 1;
        }
        if (!accept(e)) continue;
        if (t > (latest[u] as number)) {
          latest[u] = t;
          changed = true;
        }
        if (hops[u] === 0 || h < (hops[u] as number)) {
          hops[u] = h;
          changed = true;
        }
      }
      if (!changed) break;
    }
    end = start;
  }
  return { latest, hops };
}

function checkAccount(g: MoneyGraph, account: number, fn: string): void {
  if (!(Number.isInteger(account) && account >= 0 && account < g.accounts.length))
    throw new Error(`${fn}: no account ${account}`);
}
