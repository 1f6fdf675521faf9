import { seekTime } from "../graph/graph-view.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import { Channel } from "../model/channel.js";
import { DEGREES_KEY, type DistinctDegrees } from "./degrees.js";
import { DAY_MS } from "./detector.js";
import { memoised, memoOf } from "./graph-memo.js";

/**
 * What the cycle and random (peel chain) detectors share: who is a hub, which payments are
 * one-offs rather than a relationship, and peel chains: payments that each pass on, within a
 * few days, most of what their payer has just received (typologies.md §3.3, the random rule).
 * The cycle detector leaves a loop inside a peel chain to the random detector, and the random
 * detector leaves a chain that is only a stretch of a round trip to the cycle detector, so the
 * two share the chains as well.
 *
 * Incremental runs (src/detect/focus.ts): a peel chain can reach any number of hops away from
 * its new payment, further than the focus's radius 2, so the focus's distances cannot bound it.
 * Instead `peelChainsNear` finds the chain of one given payment by following the forwarding
 * links out from it, and works out, per payment it meets, exactly what the whole-graph pass
 * works out (the longest chain ending at and starting from it, whether it is recurring): the
 * chain it returns is the very chain `peelChains` returns with that payment. What it needs to
 * know about accounts (distinct counterparties, payments per pair) comes from
 * `relationsNear`, which measures one account at a time on the whole graph, the same numbers
 * as `relations` without a pass over every account.
 */

/** Transfers between one customer's own accounts (AMLworld's Reinvestment). */
export const INTERNAL = Channel.options.indexOf("internal");

/** What the data says about every account's and every pair's dealings. */
export interface Relations {
  /** Distinct counterparties of every account, payers and payees together (cash and itself not counted). */
  degree: Int32Array;
  /**
   * For every edge, how many payments its payer made to its payee in all the data (0 for cash):
   * a payee paid again and again (a landlord, an employee, a supplier, one's own other account)
   * is a relationship, not a link in a laundering pattern.
   */
  pairs: Int32Array;
}

// Both detectors ask for the same graph's relations in one run: they are a pure function of the
// graph, so they are worked out once per graph (graph-memo.ts).
export function relations(g: MoneyGraph): Relations {
  return memoised(g, RELATIONS_KEY, () => countRelations(g));
}

/** The memo key of `relations`. */
const RELATIONS_KEY = "relations";

/**
 * Memo key of each edge's flag "the only payment of its pair" (payer to payee, two accounts, that
 * direction; cash and payments to oneself 0): the test of a payment that may be on a cycle
 * (`RelationsLookup.onlyPayment`). Counted per pair on incremental runs (a map of answers grown by the thousand),
 * carried instead: it changes only for the payments of a pair with new ones. A full run derives
 * it from the pairs' counts (`relations`).
 */
export const SINGLE_PAIR_KEY = "single-pair";

/**
 * The flags `SINGLE_PAIR_KEY` names, as carried, or from the pairs' counts of a run that counted
 * them all (`relations`, a full run's); null when neither is at hand.
 */
export function singlePairEdges(g: MoneyGraph): Uint8Array | null {
  const carried = memoOf<Uint8Array>(g, SINGLE_PAIR_KEY);
  if (carried) return carried;
  const counted = memoOf<Relations>(g, RELATIONS_KEY);
  if (!counted) return null;
  return memoised(g, SINGLE_PAIR_KEY, () => {
    const flags = new Uint8Array(counted.pairs.length);
    for (let e = 0; e < flags.length; e++) flags[e] = betweenTwo(g, e) && counted.pairs[e] === 1 ? 1 : 0;
    return flags;
  });
}

function countRelations(g: MoneyGraph): Relations {
  const n = g.accounts.length;
  const degree = new Int32Array(n);
  const pairs = new Int32Array(g.edgeCount);
  const perPayee = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  // One account's payees, read once from the edge columns (which it visits out of order).
  let payees = new Int32Array(1024);
  for (let a = 0; a < n; a++) {
    let k = 0;
    const lo = g.outStart[a] as number;
    const hi = g.outStart[a + 1] as number;
    if (hi - lo > payees.length) payees = new Int32Array(hi - lo);
    for (let i = lo; i < hi; i++) {
      const c = g.to[g.outEdges[i] as number] as number;
      payees[i - lo] = c;
      if (c < 0) continue;
      if (stamp[c] !== a) {
        stamp[c] = a;
        perPayee[c] = 0;
        if (c !== a) k++;
      }
      perPayee[c] = (perPayee[c] as number) + 1;
    }
    for (let i = lo; i < hi; i++) {
      const c = payees[i - lo] as number;
      if (c >= 0) pairs[g.outEdges[i] as number] = perPayee[c] as number;
    }
    for (let i = g.inStart[a] as number; i < (g.inStart[a + 1] as number); i++) {
      const c = g.from[g.inEdges[i] as number] as number;
      if (c >= 0 && c !== a && stamp[c] !== a) {
        stamp[c] = a;
        k++;
      }
    }
    degree[a] = k;
  }
  return { degree, pairs };
}

/** The same relations, asked one account or payment at a time. */
export interface RelationsLookup {
  /** Whether account `a` has more than `most` distinct counterparties (`Relations.degree`). */
  isHub(a: number, most: number): boolean;
  /** Payments from edge `e`'s payer to its payee in all the data (as `Relations.pairs`). */
  pairsOf(e: number): number;
  /** Whether edge `e` is between two accounts and the only payment its payer made to its payee. */
  onlyPayment(e: number): boolean;
}

/** The lookup over the whole-graph arrays. */
export function relationsLookup(g: MoneyGraph, { degree, pairs }: Relations): RelationsLookup {
  return {
    isHub: (a, most) => (degree[a] as number) > most,
    pairsOf: (e) => pairs[e] as number,
    onlyPayment: (e) => betweenTwo(g, e) && pairs[e] === 1,
  };
}

// Asked account by account on incremental runs; every answer is the whole graph's (an account's
// own payments are all there is to count), so the answers can be kept with the graph and shared
// by every run on it, focused or not (graph-memo.ts).

/**
 * `relations` worked out only for what is asked about, each answer the whole graph's: an
 * account's counterparties are counted from its own edge lists, and stop being counted once
 * there are more than the hub test asks about (a merchant's thousands of customers are not all
 * counted to tell that it is a hub); the payments between a pair are counted on the shorter of
 * the payer's payments and the payee's receipts. Costs what is asked about, not a pass over the
 * graph; the answers are kept in maps, not in arrays the size of the graph, whose first touch of
 * each page would cost more than the few thousand answers an incremental run asks for.
 */
export function relationsNear(g: MoneyGraph): RelationsLookup {
  return memoised(g, "relations-near", () => lookupRelations(g));
}

function lookupRelations(g: MoneyGraph): RelationsLookup {
  // Per account, its distinct counterparties when all counted, or how many at least.
  const degree = new Map<number, number>();
  const atLeast = new Map<number, number>();
  const pairs = new Map<number, number>();
  // Distinct payers and payees apart, when the graph has them already (carried from the last
  // run's graph, `carried-measures.ts`): together they bound the distinct counterparties (at
  // least the larger, at most their sum), which mostly settles the hub test without counting.
  const apart = memoOf<DistinctDegrees>(g, DEGREES_KEY);
  const single = singlePairEdges(g);
  /** Whether account `a` has more than `most` distinct counterparties, counting no further. */
  const more = (a: number, most: number): boolean => {
    const known = degree.get(a);
    if (known !== undefined) return known > most;
    if ((atLeast.get(a) ?? 0) > most) return true;
    if (apart) {
      const payers = apart.payers[a] as number;
      const payees = apart.payees[a] as number;
      if (Math.max(payers, payees) > most) return true;
      if (payers + payees <= most) return false;
    }
    const others = new Set<number>();
    const see = (c: number) => {
      if (c >= 0 && c !== a) others.add(c);
      return others.size > most;
    };
    for (let i = g.outStart[a] as number; i < (g.outStart[a + 1] as number); i++) {
      if (see(g.to[g.outEdges[i] as number] as number)) {
        atLeast.set(a, others.size);
        return true;
      }
    }
    for (let i = g.inStart[a] as number; i < (g.inStart[a + 1] as number); i++) {
      if (see(g.from[g.inEdges[i] as number] as number)) {
        atLeast.set(a, others.size);
        return true;
      }
    }
    degree.set(a, others.size);
    return false;
  };
  const lookup: RelationsLookup = {
    isHub: more,
    pairsOf(e) {
      const u = g.from[e] as number;
      const v = g.to[e] as number;
      if (u < 0 || v < 0) return 0;
      const known = pairs.get(e);
      if (known !== undefined) return known;
      let k = 0;
      const outs = (g.outStart[u + 1] as number) - (g.outStart[u] as number);
      const ins = (g.inStart[v + 1] as number) - (g.inStart[v] as number);
      if (outs <= ins) {
        for (let i = g.outStart[u] as number; i < (g.outStart[u + 1] as number); i++)
          if (g.to[g.outEdges[i] as number] === v) k++;
      } else {
        for (let i = g.inStart[v] as number; i < (g.inStart[v + 1] as number); i++)
          if (g.from[g.inEdges[i] as number] === u) k++;
      }
      pairs.set(e, k);
      return k;
    },
    // The carried flags where the run has them (an incremental run's graph grown from the last):
    // else counted, pair by pair.
    onlyPayment: (e) => (single ? single[e] === 1 : betweenTwo(g, e) && lookup.pairsOf(e) === 1),
  };
  return lookup;
}

/** Whether edge `e` is between two accounts, not cash and not a payment to oneself. */
function betweenTwo(g: MoneyGraph, e: number): boolean {
  const u = g.from[e] as number;
  const v = g.to[e] as number;
  return u >= 0 && v >= 0 && u !== v;
}

/** Receipts looked at, latest first, for what a payment may pass on. */
export const FORWARD_SCAN = 64;

/** The forwarding rule: what counts as passing money on. */
export interface Forwarding {
  /** The onward payment follows the receipt by more than 0 and at most this many ms. */
  windowMs: number;
  /** Onward amount over received amount, both ends included. */
  minRetention: number;
  maxRetention: number;
}

/** A forwarding chain: its payments in time order and the forwarding links between them. */
export interface Chain {
  edges: number[];
  /** [receipt, onward payment] pairs, each link on a chain of at least the minimum hops. */
  links: [number, number][];
  /** Payments in the longest chain through it. */
  hops: number;
}

/**
 * Every set of payments joined by forwarding into chains of at least `minHops` payments, among
 * the `eligible` payments (mask by edge). A chain may branch (a receipt passed on to two payees)
 * and may come back to an account (a random walk among its members does). The
 * longest chain ending at and starting from each payment are counted in one pass each way over
 * the links, which come in time order; the links that lie on a long enough chain are then
 * joined into connected sets. Linear in the links; `maxScan` bounds the receipts looked at per
 * payment, so a busy account costs no more than a quiet one.
 */
export function forwardingChains(
  g: MoneyGraph,
  eligible: Uint8Array,
  rule: Forwarding,
  minHops: number,
  maxScan = FORWARD_SCAN,
): Chain[] {
  let pred = new Int32Array(1024);
  let succ = new Int32Array(1024);
  let count = 0;
  // Longest chain (in payments, up to 255) ending at and starting from each payment.
  const back = new Uint8Array(g.edgeCount);
  const ahead = new Uint8Array(g.edgeCount);
  const { from, time, amountUsd, inStart, inEdges } = g;
  for (let e = 0; e < g.edgeCount; e++) {
    if (eligible[e] !== 1) continue;
    back[e] = 1;
    ahead[e] = 1;
    const u = from[e] as number;
    const t = time[e] as number;
    const lo = inStart[u] as number;
    // Receipts strictly before the payment (money must arrive before it leaves), latest first.
    let k = seekTime(g, inEdges, lo, inStart[u + 1] as number, t) - 1;
    for (let scanned = 0; k >= lo && scanned < maxScan; k--, scanned++) {
      const p = inEdges[k] as number;
      if ((time[p] as number) < t - rule.windowMs) break;
      if (eligible[p] !== 1) continue;
      const r = (amountUsd[e] as number) / (amountUsd[p] as number);
      if (r < rule.minRetention || r > rule.maxRetention) continue;
      if (count === pred.length) {
        pred = grow(pred);
        succ = grow(succ);
      }
      pred[count] = p;
      succ[count] = e;
      count++;
      back[e] = Math.max(back[e] as number, Math.min(255, (back[p] as number) + 1));
    }
  }
  // Links out of a payment come later in the list than links into it.
  for (let i = count - 1; i >= 0; i--) {
    const p = pred[i] as number;
    ahead[p] = Math.max(ahead[p] as number, Math.min(255, (ahead[succ[i] as number] as number) + 1));
  }
  // Links on a chain of at least minHops payments, joined into sets (union-find over edges).
  const parent = new Map<number, number>();
  const root = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as number;
    while (x !== r) {
      const next = parent.get(x) as number;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = pred[i] as number;
    const e = succ[i] as number;
    if ((back[p] as number) + (ahead[e] as number) < minHops) continue;
    kept.push(i);
    if (!parent.has(p)) parent.set(p, p);
    if (!parent.has(e)) parent.set(e, e);
    const a = root(p);
    const b = root(e);
    if (a !== b) parent.set(a, b);
  }
  const chains = new Map<number, Chain>();
  for (const i of kept) {
    const p = pred[i] as number;
    const e = succ[i] as number;
    const r = root(p);
    let c = chains.get(r);
    if (!c) {
      c = { edges: [], links: [], hops: 0 };
      chains.set(r, c);
    }
    c.links.push([p, e]);
    c.hops = Math.max(c.hops, (back[p] as number) + (ahead[e] as number));
  }
  for (const c of chains.values()) {
    c.edges = [...new Set(c.links.flat())].sort((x, y) => x - y);
  }
  // In order of their first payment, so that the output does not depend on map order.
  return [...chains.values()].sort((x, y) => (x.edges[0] as number) - (y.edges[0] as number));
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The peel-chain rule (the random detector's parameters, in graph units). */
export interface PeelRule extends Forwarding {
  minHops: number;
  /** The chain's largest payment must be at least this. */
  minAmountUsd: number;
  /** Smaller payments are not links. */
  minHopUsd: number;
  maxHubDegree: number;
}

/** The random detector's parameters, as a pack gives them. */
export interface PeelParams {
  min_hops: number;
  window_days: number;
  min_retention: number;
  max_retention: number;
  min_amount_usd: number;
  min_hop_usd: number;
  max_hub_degree: number;
}

/** typologies.md §3.3's random rule (4 hops, 0.7, 7 days) and our proposals for the rest. */
export const PEEL_DEFAULTS: Readonly<PeelParams> = {
  min_hops: 4,
  window_days: 7,
  min_retention: 0.7,
  max_retention: 1,
  min_amount_usd: 1000,
  min_hop_usd: 100,
  max_hub_degree: 100,
};

/** The rule in graph units. */
export function peelRule(p: PeelParams): PeelRule {
  return {
    minHops: p.min_hops,
    windowMs: p.window_days * DAY_MS,
    minRetention: p.min_retention,
    maxRetention: p.max_retention,
    minAmountUsd: p.min_amount_usd,
    minHopUsd: p.min_hop_usd,
    maxHubDegree: p.max_hub_degree,
  };
}

/** Payments on a chain whose payer also paid the same payee off the chain: a relationship. */
function recurring(g: MoneyGraph, chain: Chain, pairsOf: (e: number) => number): number[] {
  const within = new Map<string, number>();
  const key = (e: number) => `${g.from[e]}>${g.to[e]}`;
  for (const e of chain.edges) within.set(key(e), (within.get(key(e)) ?? 0) + 1);
  return chain.edges.filter((e) => pairsOf(e) > (within.get(key(e)) as number));
}

// The cycle detector asks for the peel chains that the random detector finds in the same run.

/**
 * Every peel chain of the rule: forwarding chains of payments between accounts that are not
 * hubs, none of them a transfer between one's own accounts, a recurring payment or pocket money,
 * that move a material sum. Worked out once per graph and rule.
 */
export function peelChains(g: MoneyGraph, rule: PeelRule): Chain[] {
  return memoised(g, `peel-chains:${JSON.stringify(rule)}`, () => findPeelChains(g, rule));
}

/**
 * Whether payment `e` may be a link of a peel chain: between two accounts, neither of them a hub,
 * not between one's own accounts, not pocket money. (Whether it recurs is known only with its chain.)
 */
function mayLink(g: MoneyGraph, rule: PeelRule, e: number, rel: RelationsLookup): boolean {
  const u = g.from[e] as number;
  const v = g.to[e] as number;
  if (u < 0 || v < 0 || u === v || g.channel[e] === INTERNAL) return false;
  if (!((g.amountUsd[e] as number) >= rule.minHopUsd)) return false;
  return !rel.isHub(u, rule.maxHubDegree) && !rel.isHub(v, rule.maxHubDegree);
}

function findPeelChains(g: MoneyGraph, rule: PeelRule): Chain[] {
  const rel = relationsLookup(g, relations(g));
  const eligible = new Uint8Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) if (mayLink(g, rule, e, rel)) eligible[e] = 1;
  // Recurring payments are known only once the chain they sit on is (a walk may pay the same
  // account twice): drop them, then find the chains again among what is left.
  const kept = new Uint8Array(g.edgeCount);
  for (const chain of forwardingChains(g, eligible, rule, rule.minHops)) {
    for (const e of chain.edges) kept[e] = 1;
    for (const e of recurring(g, chain, rel.pairsOf)) kept[e] = 0;
  }
  return forwardingChains(g, kept, rule, rule.minHops).filter((c) =>
    c.edges.some((e) => (g.amountUsd[e] as number) >= rule.minAmountUsd),
  );
}

/** The peel chain of one payment, and its parts, worked out from that payment outwards. */
export interface PeelChainsNear {
  /** The peel chain (as `peelChains` gives it) that payment `e` is on, or null. */
  chainAt(e: number): Chain | null;
}

// Per graph and rule; every answer is the whole graph's (see `peelChainsNear`), so it is kept
// with the graph and shared by every incremental run on it. A full run never reads it.

/**
 * Peel chains found one payment at a time, for incremental runs: the same two passes as
 * `findPeelChains`, each worked out only where a chain asked about reaches. In a pass, the links
 * into a payment are the receipts its own scan accepts (the same `FORWARD_SCAN` latest
 * receipts), the links out of it are the later payments whose scans accept it, the longest
 * chains ending at and starting from it follow the links back and forth (memoised), and its chain
 * is the set joined to it by links on a chain of `minHops`. The first pass runs over the payments
 * that may link; the second over those left on a first-pass chain once its recurring payments
 * are dropped, which needs the first-pass chain of every payment the second pass meets. A
 * second-pass chain lies inside one first-pass chain (its links are first-pass links on chains
 * at least as long), but its longest chains may run through links to other first-pass chains,
 * which is why both passes follow links rather than stay inside one chain.
 */
export function peelChainsNear(g: MoneyGraph, rule: PeelRule): PeelChainsNear {
  return memoised(g, `peel-chains-near:${JSON.stringify(rule)}`, () => chainsNear(g, rule));
}

/** One pass of `forwardingChains`, asked payment by payment. */
interface Pass {
  /** Whether the pass looks at payment `e` at all (its `eligible` mask). */
  takes(e: number): boolean;
  /** The forwarding chain through payment `e`, or null; the same object for all its payments. */
  chainAt(e: number): Chain | null;
}

function chainsNear(g: MoneyGraph, rule: PeelRule): PeelChainsNear {
  const rel = relationsNear(g);
  const first = forwardingPass(g, rule, (e) => mayLink(g, rule, e, rel));
  // Kept for the second pass: on a first-pass chain and not recurring on it.
  const keptOn = new Map<Chain, Set<number>>();
  const second = forwardingPass(g, rule, (e) => {
    const chain = first.takes(e) ? first.chainAt(e) : null;
    if (!chain) return false;
    let kept = keptOn.get(chain);
    if (!kept) {
      kept = new Set(chain.edges);
      for (const x of recurring(g, chain, rel.pairsOf)) kept.delete(x);
      keptOn.set(chain, kept);
    }
    return kept.has(e);
  });
  return {
    chainAt(e) {
      if (!second.takes(e)) return null;
      const chain = second.chainAt(e);
      return chain?.edges.some((x) => (g.amountUsd[x] as number) >= rule.minAmountUsd) ? chain : null;
    },
  };
}

/**
 * `forwardingChains(g, eligible, rule, rule.minHops)` answered around one payment at a time, with
 * `takes` standing for `eligible`. The same links (the same scan of receipts), the same longest
 * chains (capped at 255 the same way) and the same test for a link on a long enough chain, so
 * the chain through a payment is the one the whole pass joins. (Maps rather than arrays the size
 * of the graph, as in `relationsNear`.)
 */
function forwardingPass(g: MoneyGraph, rule: PeelRule, takes: (e: number) => boolean): Pass {
  const { from, to, time, amountUsd, inStart, inEdges, outStart, outEdges } = g;
  // Lists of links by payment; most payments have none, and those are worked out again when
  // asked again (a scan of at most FORWARD_SCAN receipts) rather than kept.
  const into = new Map<number, number[]>();
  const outOf = new Map<number, number[]>();
  const back = new Map<number, number>();
  const ahead = new Map<number, number>();
  const chains = new Map<number, Chain | null>();
  /** Receipts that taken payment `e` forwards, as `forwardingChains` scans them (latest first). */
  const predecessors = (e: number): number[] => {
    let list = into.get(e);
    if (list) return list;
    list = [];
    const u = from[e] as number;
    const t = time[e] as number;
    const lo = inStart[u] as number;
    let k = seekTime(g, inEdges, lo, inStart[u + 1] as number, t) - 1;
    for (let scanned = 0; k >= lo && scanned < FORWARD_SCAN; k--, scanned++) {
      const p = inEdges[k] as number;
      if ((time[p] as number) < t - rule.windowMs) break;
      // The amounts first: they rule out most receipts without asking about accounts.
      const r = (amountUsd[e] as number) / (amountUsd[p] as number);
      if (r < rule.minRetention || r > rule.maxRetention) continue;
      if (takes(p)) list.push(p);
    }
    if (list.length > 0) into.set(e, list);
    return list;
  };
  /** Taken payments forwarding taken payment `p`: its payee's payments within the window whose scan accepts it. */
  const successors = (p: number): number[] => {
    let list = outOf.get(p);
    if (list) return list;
    list = [];
    const v = to[p] as number;
    const t = time[p] as number;
    const hi = outStart[v + 1] as number;
    for (let k = seekTime(g, outEdges, outStart[v] as number, hi, t, true); k < hi; k++) {
      const e = outEdges[k] as number;
      if ((time[e] as number) > t + rule.windowMs) break;
      // The amounts first, as in `predecessors`: most payments are no forwarding of this one.
      const r = (amountUsd[e] as number) / (amountUsd[p] as number);
      if (r < rule.minRetention || r > rule.maxRetention) continue;
      if (takes(e) && predecessors(e).includes(p)) list.push(e);
    }
    if (list.length > 0) outOf.set(p, list);
    return list;
  };
  /** Payments in the longest chain ending (or starting) at `e0`, up to 255; links go forward in time, so no loops. */
  const longest = (memo: Map<number, number>, next: (e: number) => number[], e0: number): number => {
    const known = memo.get(e0);
    if (known !== undefined) return known;
    const stack = [e0];
    while (stack.length > 0) {
      const e = stack[stack.length - 1] as number;
      if (memo.has(e)) {
        stack.pop();
        continue;
      }
      let most = 0;
      let ready = true;
      for (const x of next(e)) {
        const m = memo.get(x);
        if (m === undefined) {
          ready = false;
          stack.push(x);
        } else if (m > most) most = m;
      }
      if (ready) {
        memo.set(e, Math.min(255, most + 1));
        stack.pop();
      }
    }
    return memo.get(e0) as number;
  };
  const backOf = (e: number) => longest(back, predecessors, e);
  const aheadOf = (e: number) => longest(ahead, successors, e);
  return {
    takes,
    chainAt(e0) {
      const known = chains.get(e0);
      if (known !== undefined) return known;
      // Most payments forward nothing and are forwarded by nothing: no chain, nothing to keep.
      if (predecessors(e0).length === 0 && successors(e0).length === 0) return null;
      // The payments joined to e0 by links on a long enough chain; each link is listed from its
      // onward payment, so once.
      const members = new Set([e0]);
      const queue = [e0];
      const links: [number, number][] = [];
      let hops = 0;
      while (queue.length > 0) {
        const x = queue.pop() as number;
        for (const p of predecessors(x)) {
          const length = backOf(p) + aheadOf(x);
          if (length < rule.minHops) continue;
          links.push([p, x]);
          hops = Math.max(hops, length);
          if (!members.has(p)) {
            members.add(p);
            queue.push(p);
          }
        }
        for (const s of successors(x)) {
          if (backOf(x) + aheadOf(s) < rule.minHops || members.has(s)) continue;
          members.add(s);
          queue.push(s);
        }
      }
      if (links.length === 0) {
        chains.set(e0, null);
        return null;
      }
      // In the order forwardingChains lists them: by onward payment, then latest receipt first.
      links.sort((x, y) => x[1] - y[1] || y[0] - x[0]);
      const chain: Chain = { edges: [...members].sort((x, y) => x - y), links, hops };
      for (const x of members) chains.set(x, chain);
      return chain;
    },
  };
}

/** The smallest and largest of some numbers (without spreading them onto the stack). */
export function extent(values: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
