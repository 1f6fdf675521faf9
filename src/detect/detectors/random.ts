import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { type Chain, extent, PEEL_DEFAULTS, peelChains, peelChainsNear, peelRule } from "../chain.js";
import { DAY_MS, defineDetector, type Finding, type Subject } from "../detector.js";
import { type Focus, newEdgesOf } from "../focus.js";
import { usd } from "../motifs.js";
import { CycleParams, roundTrips, roundTripsNear } from "./cycle.js";

/**
 * Random forwarding and peel chains (typologies.md §3.3; AMLworld RANDOM, AMLSim random): money
 * passed from account to account along a directed path of at least `min_hops` (4) payments, each
 * receiver forwarding at least `min_retention` (0.7) of what it received within `window_days`
 * (7). The path may come back to an account (a random walk among its members) and may branch.
 * What keeps it quiet on ordinary spending chains (salary → rent → the landlord's mortgage …):
 * - forwarding passes on at most what came in (`max_retention` 1.0): a salary is not forwarded
 *   as a larger payment, and a rent is a fraction of a salary; [proposal]
 * - every payment on the chain must be a one-off between its payer and payee, apart from the
 *   chain's own repeats: rent, pay, a supplier's invoices recur, and a recurring payment is an
 *   obligation, not a forwarding; nor is a transfer to one's own other account (channel
 *   `internal`);
 * - no member may be a hub (more than `max_hub_degree` distinct counterparties): a payroll
 *   processor or a travel agency passes money on the same day as its business; [proposal]
 * - the chain must move a material sum (its largest payment at least `min_amount_usd`), and
 *   pocket money (payments under `min_hop_usd`) is not a link; [proposal]
 * - a chain that is only a stretch of a round trip the `cycle` detector reports (with its
 *   default rule), give or take fewer than `min_hops` payments from outside that fit as
 *   forwarded by chance, is left to it.
 * The search is src/detect/chain.ts: linear in the forwarding links, each payment's receipts
 * looked at within the window only.
 *
 * Incremental runs (src/detect/focus.ts): a chain with a new payment may run any number of hops
 * beyond it, further than the focus's radius 2, so the focus's distances cannot bound it. The
 * chains are found from the new payments instead, each by following its forwarding links
 * (chain.ts `peelChainsNear`: the very chain the full search finds with that payment), and a
 * chain is left to the cycle detector when each of its payments is on a round trip found from
 * that payment (cycle.ts `roundTripsNear`). Only payments that may be on a cycle (material
 * one-offs between non-hubs) start a search there, so most chains cost little.
 */

export const RandomParams = z.object({
  min_hops: z.number().int().min(2).default(PEEL_DEFAULTS.min_hops),
  window_days: z.number().positive().default(PEEL_DEFAULTS.window_days),
  min_retention: z.number().positive().max(1).default(PEEL_DEFAULTS.min_retention),
  max_retention: z.number().positive().default(PEEL_DEFAULTS.max_retention),
  min_amount_usd: z.number().min(0).default(PEEL_DEFAULTS.min_amount_usd),
  min_hop_usd: z.number().min(0).default(PEEL_DEFAULTS.min_hop_usd),
  max_hub_degree: z.number().int().min(1).default(PEEL_DEFAULTS.max_hub_degree),
});
export type RandomParams = z.infer<typeof RandomParams>;

const pct = (x: number) => `${Math.round(x * 100)}%`;

function findingOf(g: MoneyGraph, chain: Chain, p: RandomParams): Finding {
  const { edges, links } = chain;
  const receivesIn = new Set(edges.map((e) => g.to[e] as number));
  const paysIn = new Set(edges.map((e) => g.from[e] as number));
  const forwarding = new Set(links.map(([, e]) => e));
  // Roles: the payer of the first payment is the originator (so the primary subject), and so is
  // any other payer that received nothing on the chain (a branch's source); accounts that receive
  // and pass on are intermediaries; accounts that only receive are where the money ended:
  // beneficiaries.
  const origin = g.from[edges[0] as number] as number;
  const subjects: Subject[] = [{ account: origin, role: "originator" }];
  const listed = new Set([origin]);
  const add = (account: number, role: Subject["role"]) => {
    if (listed.has(account)) return;
    listed.add(account);
    subjects.push({ account, role });
  };
  for (const e of edges) {
    const a = g.from[e] as number;
    add(a, receivesIn.has(a) ? "intermediary" : "originator");
  }
  for (const e of edges) {
    const b = g.to[e] as number;
    if (!paysIn.has(b)) add(b, "beneficiary");
  }
  const from = g.time[edges[0] as number] as number;
  const to = g.time[edges.at(-1) as number] as number;
  const days = Math.max(1, Math.ceil((to - from) / DAY_MS));
  // The money put in: payments on the chain that forward nothing received on it.
  let amountUsd = 0;
  for (const e of edges) if (!forwarding.has(e)) amountUsd += g.amountUsd[e] as number;
  const [leastKept, mostKept] = extent(
    links.map(([r, e]) => (g.amountUsd[e] as number) / (g.amountUsd[r] as number)),
  );
  const [soonest, latest] = extent(
    links.map(([r, e]) => ((g.time[e] as number) - (g.time[r] as number)) / DAY_MS),
  );
  const [least, most] = extent(edges.map((e) => g.amountUsd[e] as number));
  const accounts = new Set([...paysIn, ...receivesIn]);
  return {
    typology: "random",
    subjects,
    edges,
    window: { from, to },
    amountUsd,
    reasons: [
      `money was passed on along a chain of ${chain.hops} payments through ${accounts.size} accounts within ${days} day(s), starting at ${g.accounts[origin]}: ${edges.length} payments of ${usd(least)} to ${usd(most)} USD`,
      `each receiver passed on ${pct(leastKept)} to ${pct(mostKept)} of what it received, after ${soonest.toFixed(1)} to ${latest.toFixed(1)} day(s) (min_hops ${p.min_hops}, min_retention ${p.min_retention}, max_retention ${p.max_retention}, window_days ${p.window_days})`,
      `every payment is the only one its payer made to its payee apart from the chain's own, none between one's own accounts; no member has more than ${p.max_hub_degree} counterparties`,
    ],
    // Longer chains put more distance between the money and its source.
    score: Math.min(0.95, (3 + chain.hops) / 10),
  };
}

export const random = defineDetector({
  id: "random",
  version: 1,
  typology: "random",
  title: "Money forwarded along a chain of accounts, each passing most of it on within days",
  basis:
    "AMLworld RANDOM and AMLSim random patterns; peel chains (typologies.md §3.3: 4 hops, 0.7 retention, 7 days)",
  params: RandomParams,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account"],
  run(data, p) {
    const g = data.graph;
    if (data.focus) return chainsWithNew(g, p, data.focus).map((c) => findingOf(g, c, p));
    const roundTrip = new Set(roundTrips(g, CycleParams.parse({})).flatMap((t) => t.edges));
    return peelChains(g, peelRule(p))
      .filter((c) => !leftToCycle(c, (e) => roundTrip.has(e), p))
      .map((c) => findingOf(g, c, p));
  },
});

/** On an incremental run, the chains with a new payment that are not only a round trip's stretch. */
function chainsWithNew(g: MoneyGraph, p: RandomParams, focus: Focus): Chain[] {
  const near = peelChainsNear(g, peelRule(p));
  const chains = new Set<Chain>();
  const added = newEdgesOf(focus);
  for (let i = 0; i < added.length; i++) {
    const chain = near.chainAt(added[i] as number);
    if (chain) chains.add(chain);
  }
  const all = [...chains].sort((x, y) => (x.edges[0] as number) - (y.edges[0] as number));
  // One search for every chain's payments together (the round trips found serve them all).
  const onTrips = roundTripsNear(g, CycleParams.parse({})).onTrips(all.flatMap((c) => c.edges));
  return all.filter((c) => !leftToCycle(c, (e) => onTrips.has(e), p));
}

/**
 * Whether a chain is the cycle detector's: its payments off the round trips that detector
 * reports are too few to make a chain of `min_hops` on their own. A round trip that a payment
 * from outside joins by chance (a salary into one of its accounts that fits as forwarded) is
 * still a round trip, not a walk.
 */
function leftToCycle(c: Chain, onTrip: (e: number) => boolean, p: RandomParams): boolean {
  if (!c.edges.some(onTrip)) return false;
  let off = 0;
  for (const e of c.edges) if (!onTrip(e)) off++;
  return off < p.min_hops;
}
