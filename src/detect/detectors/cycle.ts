import { z } from "zod";
import { cyclesInWindow } from "../../graph/cycles.js";
import { forEachInTime } from "../../graph/graph-view.js";
import { buildMoneyGraph, type MoneyGraph } from "../../graph/money-graph.js";
import { IntSet } from "../../util/int-set.js";
import {
  type Chain,
  extent,
  INTERNAL,
  PEEL_DEFAULTS,
  peelChains,
  peelChainsNear,
  peelRule,
  type RelationsLookup,
  relations,
  relationsLookup,
  relationsNear,
} from "../chain.js";
import { DAY_MS, defineDetector, type Finding, type Subject } from "../detector.js";
import { type Focus, newEdgesOf } from "../focus.js";
import { memoised } from "../graph-memo.js";
import { usd } from "../motifs.js";

/**
 * Round-tripping (typologies.md §3.3, the AMLSim and AMLworld CYCLE pattern): money that leaves
 * an account and comes back to it through other accounts, as a simple directed cycle of 2 to 12
 * payments at strictly increasing times, each at least `min_retention` (0.8) of the one before,
 * the whole within `max_span_days` (60). The time-respecting search is src/graph/cycles.ts.
 * What keeps it quiet on ordinary life:
 * - intermediaries keep a margin or pass on what they got, they do not add to it: no payment
 *   may exceed `max_retention` (1.0) times the one before (a salary coming back as rent and a
 *   supplier's invoice does not shrink along the way); [proposal]
 * - every payment must be at least `min_amount_usd` (50: AMLSim's cycles move 100 to 200 and
 *   lose a tenth a hop), and a 2-cycle's at least `min_two_cycle_usd` (1,000): friends paying
 *   each other back small sums are the everyday 2-cycle, while a longer ring of strangers
 *   passing a sum on in time order at a steady margin is not everyday at any amount; [proposal]
 * - every payment must be the only one its payer made to its payee: two people who pay each other
 *   again and again (partners, a landlord) have a relationship, and a loan or a refund between
 *   them is part of it; for a 2-cycle this means the two accounts have no other dealings at all;
 * - no payment may be a transfer between one customer's own accounts (channel `internal`, AMLworld's
 *   Reinvestment): money moved to one's savings and back has gone nowhere;
 * - no member may be a hub (more than `max_hub_degree` distinct counterparties): a merchant's
 *   refund or a payroll processor closes countless cycles as its business; [proposal, as the fans]
 * - a cycle that is a loop inside a longer peel chain (src/detect/chain.ts with the random
 *   detector's default rule: the money came into its first payment, or goes on from its last,
 *   by forwarding) is reported by the `random` detector, not as a round trip; a payment from
 *   outside that merely fits as forwarded by one of its intermediaries does not make it one.
 *
 * Incremental runs (src/detect/focus.ts): a cycle of up to 12 payments reaches up to 6 accounts
 * from a new payment on it, beyond the focus's radius 2, so the focus's distances cannot bound
 * the search. It is seeded from the new payments themselves instead (`RoundTripsNear`): the
 * cycle search runs on the payments that can lie on a cycle through a new payment (those on a
 * walk back to its payer within the length and the span, in a cycle's order of time), and then
 * on those through every other payment of a round trip grouped with it, until the groups with a
 * new payment are whole: the same round trips and groups as the full search, so the same
 * findings. Whether a payment may be on a cycle is measured account by account on the whole
 * graph (chain.ts `relationsNear`), and the peel chains that take loops away from this detector
 * are found from the cycle's payments (chain.ts `peelChainsNear`). What the incremental search
 * finds is kept apart from the full search's memo (`roundTrips`), which a full run alone fills
 * and reads; an incremental run turns to the full search only when opening its new payments
 * would cost more (a dense graph, a large delivery), and takes from it the groups with a new
 * payment, the same groups by construction.
 */

export const CycleParams = z.object({
  min_length: z.number().int().min(2).max(12).default(2),
  max_length: z.number().int().min(2).max(12).default(12),
  min_retention: z.number().positive().max(1).default(0.8),
  max_retention: z.number().positive().default(1),
  max_span_days: z.number().positive().default(60),
  min_amount_usd: z.number().min(0).default(50),
  min_two_cycle_usd: z.number().min(0).default(1000),
  max_hub_degree: z.number().int().min(1).default(100),
});
export type CycleParams = z.infer<typeof CycleParams>;

/** A round trip as found: its payments in time order, from the originator back to it. */
export interface RoundTrip {
  edges: number[];
  /** Smallest and largest ratio of a payment to the one before it. */
  minRetention: number;
  maxRetention: number;
}

// Caps on the search (src/graph/cycles.ts): edges looked at and cycles kept. Reached only on
// graphs far denser in material one-off payments than any we have seen; findings are then partial.
const MAX_EXPANSIONS = 20_000_000;
const MAX_CYCLES = 100_000;

/**
 * Whether payment `e` may be on a cycle: a material payment between two accounts, neither of
 * them a hub nor both one customer's, the only one its payer made to its payee.
 */
function mayCycle(g: MoneyGraph, p: CycleParams, e: number, rel: RelationsLookup): boolean {
  const u = g.from[e] as number;
  const v = g.to[e] as number;
  if (u < 0 || v < 0 || u === v || g.channel[e] === INTERNAL) return false;
  if (!((g.amountUsd[e] as number) >= p.min_amount_usd)) return false;
  if (rel.isHub(u, p.max_hub_degree) || rel.isHub(v, p.max_hub_degree)) return false;
  return rel.onlyPayment(e);
}

/**
 * The graph of only the payments `original` (in edge order; none of them cash). With `compact`,
 * over only their accounts, renumbered: an incremental run's few payments then cost no lists
 * the size of the whole graph. Either way each account's payments keep their order, so the
 * cycle search visits them in the same order.
 */
function subgraph(g: MoneyGraph, original: Int32Array, compact: boolean): MoneyGraph {
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(column: T, into: T): T => {
    for (let i = 0; i < original.length; i++) into[i] = column[original[i] as number] as number;
    return into;
  };
  const n = original.length;
  const from = pick(g.from, new Int32Array(n));
  const to = pick(g.to, new Int32Array(n));
  let accounts = g.accounts;
  if (compact) {
    const index = new Map<number, number>();
    const renumber = (ends: Int32Array) => {
      for (let i = 0; i < n; i++) {
        const a = ends[i] as number;
        let k = index.get(a);
        if (k === undefined) {
          k = index.size;
          index.set(a, k);
        }
        ends[i] = k;
      }
    };
    renumber(from);
    renumber(to);
    accounts = [...index.keys()].map((a) => g.accounts[a] as string);
  }
  return buildMoneyGraph({
    accounts,
    from,
    to,
    time: pick(g.time, new Float64Array(n)),
    amountUsd: pick(g.amountUsd, new Float64Array(n)),
    channel: pick(g.channel, new Uint8Array(n)),
    fileNo: pick(g.fileNo, new Int32Array(n)),
    line: pick(g.line, new Int32Array(n)),
    files: g.files,
  });
}

// The random detector asks for the round trips of the same graph that this detector found in
// the same run: worked out once per graph and parameters (graph-memo.ts).

/**
 * Every round trip the cycle rule reports, in order of its first payment. The random detector
 * uses it too, to leave these to this detector. A full run's search over the whole graph.
 */
export function roundTrips(g: MoneyGraph, p: CycleParams): RoundTrip[] {
  return memoised(g, `round-trips:${JSON.stringify(p)}`, () => searchRoundTrips(g, p));
}

function searchRoundTrips(g: MoneyGraph, p: CycleParams): RoundTrip[] {
  const rel = relationsLookup(g, relations(g));
  const keep: number[] = [];
  for (let e = 0; e < g.edgeCount; e++) if (mayCycle(g, p, e, rel)) keep.push(e);
  // Peel chains by edge: a loop inside a chain that goes beyond it is the chain's (random's).
  const chainOf = new Map<number, Chain>();
  for (const c of peelChains(g, peelRule(PEEL_DEFAULTS))) for (const e of c.edges) chainOf.set(e, c);
  return tripsAmong(g, p, Int32Array.from(keep), false, (e) => chainOf.get(e) ?? null);
}

/**
 * The round trips among payments `original` (in edge order, each one that may be on a cycle),
 * in order of their first payment, with `chainAt` the peel chain (default rule) of a payment
 * (`compact`: see `subgraph`).
 */
function tripsAmong(
  g: MoneyGraph,
  p: CycleParams,
  original: Int32Array,
  compact: boolean,
  chainAt: (e: number) => Chain | null,
): RoundTrip[] {
  const found = cyclesInWindow(subgraph(g, original, compact), {
    from: Number.NEGATIVE_INFINITY,
    to: Number.POSITIVE_INFINITY,
    minRetention: p.min_retention,
    maxSpanMs: p.max_span_days * DAY_MS,
    maxLength: p.max_length,
    maxCycles: MAX_CYCLES,
    maxExpansions: MAX_EXPANSIONS,
  });
  const trips: RoundTrip[] = [];
  for (const c of found.cycles) {
    if (c.edges.length < p.min_length) continue;
    const edges = c.edges.map((e) => original[e] as number);
    if (edges.length === 2 && edges.some((e) => !((g.amountUsd[e] as number) >= p.min_two_cycle_usd)))
      continue;
    let maxRetention = 0;
    for (let i = 1; i < edges.length; i++) {
      const r = (g.amountUsd[edges[i] as number] as number) / (g.amountUsd[edges[i - 1] as number] as number);
      maxRetention = Math.max(maxRetention, r);
    }
    if (maxRetention > p.max_retention) continue;
    if (loopOfLongerChain(edges, chainAt)) continue;
    trips.push({
      edges,
      minRetention: c.minRetention,
      maxRetention,
    });
  }
  return trips.sort((x, y) => (x.edges[0] as number) - (y.edges[0] as number));
}

/**
 * Whether round trip `edges` (in time order) is a loop inside a longer peel chain: the chain
 * forwards money into its first payment (the money came in, then went round) or forwards its
 * last payment on (it came back, then went on), as a random walk that passes an account twice
 * does. A payment from outside into one of its intermediaries that the chain takes as forwarded
 * (a salary that happens to fit) is no such continuation: the money still went round.
 */
function loopOfLongerChain(edges: readonly number[], chainAt: (e: number) => Chain | null): boolean {
  const first = edges[0] as number;
  const last = edges.at(-1) as number;
  const onCycle = new Set(edges);
  const chains = new Set<Chain>();
  for (const e of edges) {
    const chain = chainAt(e);
    if (chain) chains.add(chain);
  }
  for (const chain of chains)
    for (const [receipt, onward] of chain.links) {
      if (onward === first && !onCycle.has(receipt)) return true;
      if (receipt === last && !onCycle.has(onward)) return true;
    }
  return false;
}

/** A state's label in `walkLabels`: the fewest payments to it, and the loosest time bound. */
interface WalkLabel {
  depth: number;
  bound: number;
}

/**
 * Walks from `origin` (in the part `startLate` of the walk, with time bound `t0`) through states
 * (account × part, keyed `account * 2 + late`), each labelled with the fewest payments to it and
 * the loosest time bound any walk to it had (`looser`), walked again when its label improves, up
 * to `maxDepth` payments. `expand` calls `step` for each payment onward. The labels of one state
 * taken from different walks make a superset of the walks: right for a search that must not
 * miss one.
 */
function walkLabels(
  origin: number,
  startLate: boolean,
  t0: number,
  maxDepth: number,
  expand: (
    account: number,
    late: boolean,
    bound: number,
    step: (account: number, late: boolean, time: number) => void,
    depth: number,
  ) => void,
  looser: (x: number, y: number) => boolean,
): Map<number, WalkLabel> {
  const first = origin * 2 + (startLate ? 1 : 0);
  const labels = new Map<number, WalkLabel>([[first, { depth: 0, bound: t0 }]]);
  let queue = [first];
  while (queue.length > 0) {
    const next: number[] = [];
    for (const state of queue) {
      const label = labels.get(state) as WalkLabel;
      if (label.depth >= maxDepth) continue;
      const depth = label.depth;
      expand(
        state >> 1,
        (state & 1) === 1,
        label.bound,
        (account, late, time) => {
          const key = account * 2 + (late ? 1 : 0);
          const old = labels.get(key);
          if (!old) {
            labels.set(key, { depth: depth + 1, bound: time });
            next.push(key);
          } else if (depth + 1 < old.depth || looser(time, old.bound)) {
            old.depth = Math.min(old.depth, depth + 1);
            if (looser(time, old.bound)) old.bound = time;
            next.push(key);
          }
        },
        depth,
      );
    }
    queue = [...new Set(next)];
  }
  return labels;
}

/** Round trips found from given payments outwards, for incremental runs. */
export interface RoundTripsNear {
  /** Every group of round trips (as the full run groups them) with one of the `seeds`, whole. */
  groupsWith(seeds: ArrayLike<number>, isSeed: (e: number) => boolean): RoundTrip[][];
  /** The payments among `edges` that are on a round trip. */
  onTrips(edges: readonly number[]): Set<number>;
}

// Per graph and parameters; each answer is the whole graph's (see `roundTripsNear`), so it is
// kept with the graph for every incremental run on it. A full run never reads it.

/**
 * Round trips through given payments, without the search over the whole graph. A payment is
 * "opened" by adding to the searched set every payment that may be on a cycle with it: those on
 * a walk of at most `max_length - 1` payments from its payee back to its payer, all within
 * `max_span_days` of it (a cycle's payments all lie within the span after its first). The cycle
 * search then runs on the searched set; a cycle found there is a cycle of the full search (the
 * search keeps every simple cycle from each first payment, with nothing pruned by other paths),
 * and every cycle through an opened payment is found, from the same first payment, in the same
 * order (the payments keep their edge order). The caps on the search are the full run's; they
 * are met only on graphs far denser than any seen, and then the two may differ.
 */
export function roundTripsNear(g: MoneyGraph, p: CycleParams): RoundTripsNear {
  return memoised(g, `round-trips-near:${JSON.stringify(p)}`, () => tripsNear(g, p));
}

function tripsNear(g: MoneyGraph, p: CycleParams): RoundTripsNear {
  const rel = relationsNear(g);
  const chains = peelChainsNear(g, peelRule(PEEL_DEFAULTS));
  // No table of the test per payment (see chain.ts `relationsNear`): the payments asked about are
  // tested again when asked again (the costly part, payments per pair, is memoised).
  const candidate = (e: number): boolean => mayCycle(g, p, e, rel);
  // Bits per payment (`IntSet`): a delivery of 1% opens tens of thousands, and the region holds
  // more, where sets of numbers hashed each and grew in fresh memory.
  const opened = new IntSet(g.edgeCount);
  const region = new IntSet(g.edgeCount);
  let trips: RoundTrip[] | null = [];
  const add = (e: number) => {
    if (region.add(e)) trips = null;
  };
  // Payments looked at while opening, and in the searches. Opening costs each new payment its
  // neighbourhood, which on a dense graph with many new payments comes to more than the full
  // search; past this budget (an eighth of the graph's payments) the full search is cheaper,
  // and its round trips are the same, so the answers come from it instead.
  let work = 0;
  const budget = Math.max(100_000, g.edgeCount / 8);
  let whole: RoundTrip[] | null = null;
  const maxSpan = p.max_span_days * DAY_MS;
  const most = p.max_length - 1;
  /**
   * Each payment of one account's list `list[start, end)` with a time in [from, to], counted as
   * work, until `visit` returns true.
   */
  const within = (
    list: Int32Array,
    start: number,
    end: number,
    from: number,
    to: number,
    visit: (e: number, t: number) => unknown,
  ) => {
    work += forEachInTime(g, list, start, end, from, to, visit);
  };
  /** Whether one of `list[start, end)` within [from, to] is a payment that may be on a cycle. */
  const anyCandidate = (list: Int32Array, start: number, end: number, from: number, to: number) => {
    let found = false;
    within(list, start, end, from, to, (e) => {
      found = candidate(e);
      return found;
    });
    return found;
  };
  /**
   * Adds the payments that may be on a cycle through candidate payment `y` (from a to b): those on
   * a walk of at most `most` payments from b back to a that keeps a cycle's order of time. Read
   * from y, a cycle's payments go on later and later until its last, then jump back to its first
   * and go on later again up to y: the walk's payments at or after y's time come first, in
   * increasing time, then those at or before it, in increasing time (either part may be empty).
   * So both walks below go one way in time in each part, where a walk within the span either side
   * of y at every step would, on a delivery of the latest days, go back through most of the graph.
   * Equal times pass (the search wants them strictly increasing): the walks find a superset.
   */
  const openOne = (y: number) => {
    const a = g.from[y] as number;
    const b = g.to[y] as number;
    const ty = g.time[y] as number;
    const lo = ty - maxSpan;
    const hi = ty + maxSpan;
    // A cycle through y pays a and is paid by b within the span: most new payments have no such
    // payment at one end, and are settled here without the walks.
    if (
      !anyCandidate(g.inEdges, g.inStart[a] as number, g.inStart[a + 1] as number, lo, hi) ||
      !anyCandidate(g.outEdges, g.outStart[b] as number, g.outStart[b + 1] as number, lo, hi)
    ) {
      add(y);
      return;
    }
    // Back from a: fewest payments from each account to a (up to `most - 1`), along walks in time
    // order. A state is an account in a part of the walk ("late": the payments at or after y's
    // time; "early": those at or before it), with the fewest payments to a seen and the latest
    // time of the payment leaving it: each account's best of both, so the states stand for a
    // superset of the walks, and a state whose label improves is walked from again.
    const back = walkLabels(
      a,
      false,
      ty,
      most - 1,
      (w, late, bound, step) => {
        const s = g.inStart[w] as number;
        const t = g.inStart[w + 1] as number;
        const through = (e: number, time: number, lateToo: boolean) => {
          const u = g.from[e] as number;
          if (u >= 0 && candidate(e)) step(u, lateToo, time);
        };
        if (late) within(g.inEdges, s, t, ty, bound, (e, time) => through(e, time, true));
        else {
          within(g.inEdges, s, t, lo, bound, (e, time) => through(e, time, false));
          // The jump: before the early part's first payment comes the late part's last.
          within(g.inEdges, s, t, ty, hi, (e, time) => through(e, time, true));
        }
      },
      (t1, t2) => t1 > t2,
    );
    const toPayer = new Map<number, number>();
    for (const [state, label] of back) {
      const w = state >> 1;
      toPayer.set(w, Math.min(toPayer.get(w) ?? most, label.depth));
    }
    // From b forwards, through accounts that can still reach a in the payments left: every
    // account of a cycle through y can, so the walk stays among them, and keeps each payment
    // that can close such a walk.
    walkLabels(
      b,
      true,
      ty,
      most,
      (u, late, bound, step, depth) => {
        if (u === a) return;
        const s = g.outStart[u] as number;
        const t = g.outStart[u + 1] as number;
        const through = (e: number, time: number, lateToo: boolean) => {
          const w = g.to[e] as number;
          const rest = w >= 0 ? toPayer.get(w) : undefined;
          if (rest === undefined || depth + 1 + rest > most || !candidate(e)) return;
          add(e);
          step(w, lateToo, time);
        };
        if (!late) within(g.outEdges, s, t, bound, ty, (e, time) => through(e, time, false));
        else {
          within(g.outEdges, s, t, bound, hi, (e, time) => through(e, time, true));
          // The jump: after the late part's last payment comes the early part's first.
          within(g.outEdges, s, t, lo, ty, (e, time) => through(e, time, false));
        }
      },
      (t1, t2) => t1 < t2,
    );
    add(y);
  };
  /** Opens payments `edges`, unless the budget has run out (the full search then answers). */
  const open = (edges: ArrayLike<number>) => {
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i] as number;
      if (whole) return;
      if (opened.has(e) || !candidate(e)) continue;
      opened.add(e);
      openOne(e);
      if (work > budget) whole = roundTrips(g, p);
    }
  };
  const current = (): RoundTrip[] => {
    if (whole) return whole;
    if (trips === null) {
      const original = region.values().slice().sort();
      work += original.length;
      trips = tripsAmong(g, p, original, true, (e) => chains.chainAt(e));
    }
    return trips;
  };
  return {
    groupsWith(seeds, isSeed) {
      open(seeds);
      for (;;) {
        const touched = groups(current()).filter((group) => group.some((t) => t.edges.some(isSeed)));
        // A group is whole once every payment of it is opened: any other round trip sharing a
        // payment with it goes through an opened payment, so it has been found.
        if (whole) return touched;
        const unopened = touched
          .flatMap((group) => group.flatMap((t) => t.edges))
          .filter((e) => !opened.has(e));
        if (unopened.length === 0) return touched;
        open(unopened);
      }
    },
    onTrips(edges) {
      open(edges);
      const on = new Set<number>();
      const asked = new Set(edges);
      for (const t of current()) for (const e of t.edges) if (asked.has(e)) on.add(e);
      return on;
    },
  };
}

/** Round trips that share a payment, as one group (the same money seen going round two ways). */
function groups(trips: readonly RoundTrip[]): RoundTrip[][] {
  const byEdge = new Map<number, number>();
  const parent = trips.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] as number;
    return i;
  };
  trips.forEach((t, i) => {
    for (const e of t.edges) {
      const j = byEdge.get(e);
      if (j === undefined) byEdge.set(e, i);
      else parent[root(i)] = root(j);
    }
  });
  const out = new Map<number, RoundTrip[]>();
  trips.forEach((t, i) => {
    const r = root(i);
    const list = out.get(r) ?? [];
    if (list.length === 0) out.set(r, list);
    list.push(t);
  });
  return [...out.values()];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function findingOf(g: MoneyGraph, group: readonly RoundTrip[], p: CycleParams): Finding {
  const edges = [...new Set(group.flatMap((t) => t.edges))].sort((x, y) => x - y);
  const first = edges[0] as number;
  const last = edges.at(-1) as number;
  // Roles: the account the money leaves first and comes back to is the originator (and the
  // beneficiary) of the round trip; the others pass it on, so they are intermediaries. "hub"
  // would say that the money centres on one account, which a cycle's does not.
  const origin = g.from[first] as number;
  const subjects: Subject[] = [{ account: origin, role: "originator" }];
  const seen = new Set([origin]);
  for (const e of edges) {
    const a = g.from[e] as number;
    if (!seen.has(a)) {
      seen.add(a);
      subjects.push({ account: a, role: "intermediary" });
    }
  }
  const longest = group.reduce((x, y) => (y.edges.length > x.edges.length ? y : x));
  const firsts = new Set(group.map((t) => t.edges[0] as number));
  const amountUsd = [...firsts].reduce((s, e) => s + (g.amountUsd[e] as number), 0);
  const from = g.time[first] as number;
  const to = g.time[last] as number;
  const days = Math.max(1, Math.ceil((to - from) / DAY_MS));
  const [minR] = extent(group.map((t) => t.minRetention));
  const [, maxR] = extent(group.map((t) => t.maxRetention));
  const [least, most] = extent(edges.map((e) => g.amountUsd[e] as number));
  const L = longest.edges.length;
  const key = g.accounts[g.from[longest.edges[0] as number] as number] as string;
  return {
    typology: "cycle",
    subjects,
    edges,
    window: { from, to },
    amountUsd,
    reasons: [
      `money left ${key} and came back to it through ${L - 1} other account(s) within ${days} day(s): a cycle of ${L} payments at increasing times${group.length > 1 ? ` (${group.length} cycles sharing payments)` : ""}, ${usd(g.amountUsd[longest.edges[0] as number] as number)} USD out, ${usd(g.amountUsd[longest.edges.at(-1) as number] as number)} USD back`,
      `each payment is ${pct(minR)} to ${pct(maxR)} of the one before (from min_retention ${p.min_retention} to max_retention ${p.max_retention}), within max_span_days ${p.max_span_days}`,
      `every payment is material (${usd(least)} to ${usd(most)} USD, min_amount_usd ${usd(p.min_amount_usd)}${L === 2 ? `, min_two_cycle_usd ${usd(p.min_two_cycle_usd)}` : ""}) and the only one its payer made to its payee; no member has more than ${p.max_hub_degree} counterparties`,
    ],
    // Longer cycles hide the origin of the money better; a 2-cycle is the weakest sign.
    score: Math.min(0.95, (4 + L) / 10),
  };
}

export const cycle = defineDetector({
  id: "cycle",
  version: 1,
  typology: "cycle",
  title: "Money sent round a cycle of accounts back to where it started",
  basis:
    "AMLSim and AMLworld CYCLE (typologies.md §3.1–§3.3: temporally ordered simple cycle, retention 0.8, span 60 days)",
  params: CycleParams,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account"],
  run: (data, p) => {
    const g = data.graph;
    const found = data.focus ? groupsWithNew(g, p, data.focus) : groups(roundTrips(g, p));
    return found.map((group) => findingOf(g, group, p));
  },
});

/**
 * On an incremental run, the groups of round trips with a new payment, whole: a round trip with
 * no new payment matters only through a group it shares a payment with.
 */
function groupsWithNew(g: MoneyGraph, p: CycleParams, focus: Focus): RoundTrip[][] {
  return roundTripsNear(g, p).groupsWith(newEdgesOf(focus), (e) => focus.newEdge[e] === 1);
}
