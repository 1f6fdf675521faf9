import { z } from "zod";
import { cyclesInWindow } from "../../graph/cycles.js";
import { buildMoneyGraph, type MoneyGraph } from "../../graph/money-graph.js";
import { extent, INTERNAL, PEEL_DEFAULTS, peelChains, peelRule, relations } from "../chain.js";
import { DAY_MS, defineDetector, type Finding, type Subject } from "../detector.js";

/**
 * Round-tripping (typologies.md §3.3, the AMLSim and AMLworld CYCLE pattern): money that leaves
 * an account and comes back to it through other accounts, as a simple directed cycle of 2 to 12
 * payments at strictly increasing times, each at least `min_retention` (0.8) of the one before,
 * the whole within `max_span_days` (60). The time-respecting search is src/graph/cycles.ts.
 * What keeps it quiet on ordinary life:
 * - intermediaries keep a margin or pass on what they got, they do not add to it: no payment
 *   may exceed `max_retention` (1.0) times the one before (a salary coming back as rent and a
 *   supplier's invoice does not shrink along the way); [proposal]
 * - every payment must be material (`min_amount_usd`): friends paying each other back small
 *   sums are not round-tripping; [proposal]
 * - every payment must be the only one its payer made to its payee: two people who pay each other
 *   again and again (partners, a landlord) have a relationship, and a loan or a refund between
 *   them is part of it; for a 2-cycle this means the two accounts have no other dealings at all;
 * - no payment may be a transfer between one customer's own accounts (channel `internal`, AMLworld's
 *   Reinvestment): money moved to one's savings and back has gone nowhere;
 * - no member may be a hub (more than `max_hub_degree` distinct counterparties): a merchant's
 *   refund or a payroll processor closes countless cycles as its business; [proposal, as the fans]
 * - a cycle that is a loop inside a longer peel chain (src/detect/chain.ts with the random
 *   detector's default rule: the money came in, or goes on, by forwarding) is reported by the
 *   `random` detector, not as a round trip.
 */

export const CycleParams = z.object({
  min_length: z.number().int().min(2).max(12).default(2),
  max_length: z.number().int().min(2).max(12).default(12),
  min_retention: z.number().positive().max(1).default(0.8),
  max_retention: z.number().positive().default(1),
  max_span_days: z.number().positive().default(60),
  min_amount_usd: z.number().min(0).default(1000),
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
 * The graph of only the payments a cycle may use, with the way back to the full graph's edges:
 * material payments between two accounts, neither of them a hub nor both one customer's, each
 * the only one its payer made to its payee.
 */
function candidateGraph(g: MoneyGraph, p: CycleParams): { sub: MoneyGraph; original: Int32Array } {
  const { degree, pairs } = relations(g);
  const keep: number[] = [];
  for (let e = 0; e < g.edgeCount; e++) {
    const u = g.from[e] as number;
    const v = g.to[e] as number;
    if (u < 0 || v < 0 || u === v || pairs[e] !== 1 || g.channel[e] === INTERNAL) continue;
    if (!((g.amountUsd[e] as number) >= p.min_amount_usd)) continue;
    if ((degree[u] as number) > p.max_hub_degree || (degree[v] as number) > p.max_hub_degree) continue;
    keep.push(e);
  }
  const original = Int32Array.from(keep);
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(column: T, into: T): T => {
    for (let i = 0; i < original.length; i++) into[i] = column[original[i] as number] as number;
    return into;
  };
  const sub = buildMoneyGraph({
    accounts: g.accounts,
    from: pick(g.from, new Int32Array(keep.length)),
    to: pick(g.to, new Int32Array(keep.length)),
    time: pick(g.time, new Float64Array(keep.length)),
    amountUsd: pick(g.amountUsd, new Float64Array(keep.length)),
    channel: pick(g.channel, new Uint8Array(keep.length)),
    fileNo: pick(g.fileNo, new Int32Array(keep.length)),
    line: pick(g.line, new Int32Array(keep.length)),
    files: g.files,
  });
  return { sub, original };
}

// The random detector asks for the round trips of the same graph that this detector found in
// the same run: worked out once per graph and parameters (and dropped with the graph).
const known = new WeakMap<MoneyGraph, Map<string, RoundTrip[]>>();

/**
 * Every round trip the cycle rule reports, in order of its first payment. The random detector
 * uses it too, to leave these to this detector.
 */
export function roundTrips(g: MoneyGraph, p: CycleParams): RoundTrip[] {
  const byParams = known.get(g) ?? new Map<string, RoundTrip[]>();
  known.set(g, byParams);
  const key = JSON.stringify(p);
  let trips = byParams.get(key);
  if (!trips) {
    trips = searchRoundTrips(g, p);
    byParams.set(key, trips);
  }
  return trips;
}

function searchRoundTrips(g: MoneyGraph, p: CycleParams): RoundTrip[] {
  const { sub, original } = candidateGraph(g, p);
  const found = cyclesInWindow(sub, {
    from: Number.NEGATIVE_INFINITY,
    to: Number.POSITIVE_INFINITY,
    minRetention: p.min_retention,
    maxSpanMs: p.max_span_days * DAY_MS,
    maxLength: p.max_length,
    maxCycles: MAX_CYCLES,
    maxExpansions: MAX_EXPANSIONS,
  });
  // Peel chains by edge: a loop inside a chain that goes beyond it is the chain's (random's).
  const chainOf = new Map<number, Set<number>>();
  for (const c of peelChains(g, peelRule(PEEL_DEFAULTS))) {
    const members = new Set(c.edges);
    for (const e of c.edges) chainOf.set(e, members);
  }
  const trips: RoundTrip[] = [];
  for (const c of found.cycles) {
    if (c.edges.length < p.min_length) continue;
    const edges = c.edges.map((e) => original[e] as number);
    let maxRetention = 0;
    for (let i = 1; i < edges.length; i++) {
      const r = (g.amountUsd[edges[i] as number] as number) / (g.amountUsd[edges[i - 1] as number] as number);
      maxRetention = Math.max(maxRetention, r);
    }
    if (maxRetention > p.max_retention) continue;
    const onCycle = new Set(edges);
    const inLongerChain = edges.some((e) => {
      const chain = chainOf.get(e);
      return chain !== undefined && [...chain].some((x) => !onCycle.has(x));
    });
    if (inLongerChain) continue;
    trips.push({
      edges,
      minRetention: c.minRetention,
      maxRetention,
    });
  }
  return trips.sort((x, y) => (x.edges[0] as number) - (y.edges[0] as number));
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

const usd = (x: number) => Math.round(x).toLocaleString("en-US");
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
      `every payment is material (${usd(least)} to ${usd(most)} USD, min_amount_usd ${usd(p.min_amount_usd)}) and the only one its payer made to its payee; no member has more than ${p.max_hub_degree} counterparties`,
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
  run: (data, p) => groups(roundTrips(data.graph, p)).map((group) => findingOf(data.graph, group, p)),
});
