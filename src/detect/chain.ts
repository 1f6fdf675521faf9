import { seekTime } from "../graph/graph-view.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import { Channel } from "../model/channel.js";
import { DAY_MS } from "./detector.js";

/**
 * What the cycle and random (peel chain) detectors share: who is a hub, which payments are
 * one-offs rather than a relationship, and peel chains: payments that each pass on, within a
 * few days, most of what their payer has just received (typologies.md §3.3, the random rule).
 * The cycle detector leaves a loop inside a peel chain to the random detector, and the random
 * detector leaves a chain that is only a stretch of a round trip to the cycle detector, so the
 * two share the chains as well.
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
// graph, so they are worked out once per graph (and dropped with it).
const knownRelations = new WeakMap<MoneyGraph, Relations>();

export function relations(g: MoneyGraph): Relations {
  const cached = knownRelations.get(g);
  if (cached) return cached;
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
  const result = { degree, pairs };
  knownRelations.set(g, result);
  return result;
}

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
  maxScan = 64,
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
function recurring(g: MoneyGraph, chain: Chain, pairs: Int32Array): number[] {
  const within = new Map<string, number>();
  const key = (e: number) => `${g.from[e]}>${g.to[e]}`;
  for (const e of chain.edges) within.set(key(e), (within.get(key(e)) ?? 0) + 1);
  return chain.edges.filter((e) => (pairs[e] as number) > (within.get(key(e)) as number));
}

// The cycle detector asks for the peel chains that the random detector finds in the same run.
const knownChains = new WeakMap<MoneyGraph, Map<string, Chain[]>>();

/**
 * Every peel chain of the rule: forwarding chains of payments between accounts that are not
 * hubs, none of them a transfer between one's own accounts, a recurring payment or pocket money,
 * that move a material sum. Worked out once per graph and rule.
 */
export function peelChains(g: MoneyGraph, rule: PeelRule): Chain[] {
  const byRule = knownChains.get(g) ?? new Map<string, Chain[]>();
  knownChains.set(g, byRule);
  const key = JSON.stringify(rule);
  let chains = byRule.get(key);
  if (!chains) {
    chains = findPeelChains(g, rule);
    byRule.set(key, chains);
  }
  return chains;
}

function findPeelChains(g: MoneyGraph, rule: PeelRule): Chain[] {
  const { degree, pairs } = relations(g);
  const eligible = new Uint8Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) {
    const u = g.from[e] as number;
    const v = g.to[e] as number;
    if (u < 0 || v < 0 || u === v || g.channel[e] === INTERNAL) continue;
    if (!((g.amountUsd[e] as number) >= rule.minHopUsd)) continue;
    if ((degree[u] as number) > rule.maxHubDegree || (degree[v] as number) > rule.maxHubDegree) continue;
    eligible[e] = 1;
  }
  // Recurring payments are known only once the chain they sit on is (a walk may pay the same
  // account twice): drop them, then find the chains again among what is left.
  const kept = new Uint8Array(g.edgeCount);
  for (const chain of forwardingChains(g, eligible, rule, rule.minHops)) {
    for (const e of chain.edges) kept[e] = 1;
    for (const e of recurring(g, chain, pairs)) kept[e] = 0;
  }
  return forwardingChains(g, kept, rule, rule.minHops).filter((c) =>
    c.edges.some((e) => (g.amountUsd[e] as number) >= rule.minAmountUsd),
  );
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
