import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { defineDetector, type Finding } from "../detector.js";
import { FanParams, fanReadings, sameHubOverlapping } from "../fan.js";
import { dueParams, paidAsDues } from "../month-start.js";
import { usd } from "../motifs.js";

/**
 * Fan-in (typologies.md §3.3): the fan rule of `fan.ts`, and a second reading for fans too small
 * or too light for it. AMLworld's fans are 2–16 wide and AMLSim's move 100–200 a payment, so
 * `min_counterparties` (5) and `min_total_usd` alone miss many; what still tells a few senders
 * apart from ordinary life is that they pay the same sum: near-identical amounts (within
 * `alike_ratio`, the share of one sum split among payers) from at least `alike_min_counterparties`
 * one-off senders, with every other test of the fan rule (one-off, no hubs, no purchases, a burst
 * against the account's own usual senders, more than a batch's time) and a smaller material sum
 * (`alike_min_total_usd`). Friends splitting a bill pay alike sums too, but small ones; a shop's
 * customers pay unlike ones. A fan the rule finds is reported as it finds it; the second reading
 * only adds fans at times the rule has none about that account.
 *
 * Either way, a fan whose payments fall (at least `due_share` of them) on the first `due_days`
 * days of a month is rent or dues collected, and no fan: a landlord's tenants pay alike sums on
 * the 1st to the 5th, each once in a month of data, where the fan rule's relationship and burst
 * tests need a longer history to see them as the landlord's life.
 */

const Params = FanParams.extend({
  /** Proposal [U]: one-off senders of near-identical amounts that make a fan (0: no such reading). */
  alike_min_counterparties: z.number().int().min(0).default(3),
  /** Proposal [U]: near-identical: every amount within this ratio of the others. */
  alike_ratio: z.number().gt(1).default(1.1),
  /** Proposal [U]: the material sum such a fan must move. */
  alike_min_total_usd: z.number().min(0).default(1000),
  // A fan mostly paid on the first days of a month is rent or dues collected (month-start.ts).
  ...dueParams,
});

export const fanIn = defineDetector({
  id: "fan-in",
  version: 2,
  typology: "fan-in",
  title: "Many senders to one account, in a burst",
  basis: "AMLSim and AMLworld fan-in (typologies.md §3); FIN-2020-A008 funnel accounts",
  params: Params,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, params) => {
    // Rent and dues collected on the first days of the month are no fan (month-start.ts).
    const collected = (f: Finding) => paidAsDues(data.graph.time, f.edges, params);
    // The near-identical reading is found in the rule's own pass over the accounts.
    const alikeParams = {
      ...params,
      min_counterparties: params.alike_min_counterparties,
      amount_ratio: params.alike_ratio,
      min_total_usd: params.alike_min_total_usd,
    };
    const reading = fanReadings(
      data.graph,
      "in",
      params,
      "fan-in",
      data.focus,
      data.details,
      params.alike_min_counterparties < 2 ? [] : [alikeParams],
    );
    const found = reading.fans.filter((f) => !collected(f));
    const [alike] = reading.also;
    if (!alike) return found;
    // The rule's fans by hub: a near-identical fan over the same time is one of them, seen again.
    const byHub = new Map<number, Finding[]>();
    for (const f of found) {
      const hub = f.subjects[0]?.account as number;
      byHub.set(hub, [...(byHub.get(hub) ?? []), f]);
    }
    for (const f of alike) {
      const rule = byHub.get(f.subjects[0]?.account as number) ?? [];
      if (rule.some((r) => sameHubOverlapping(r, f))) continue;
      const kept = wholeShares(data.graph, f, params);
      if (kept && !collected(kept)) found.push(asAlike(kept, params));
    }
    return found;
  },
});

/**
 * The fan with only the senders whose every payment to the hub is one of its near-identical
 * ones (a share of one sum is paid once, or in alike parts), or null when too few are left or
 * too little money. A customer paying a business 850, 4,400, 9,900 and 1,900 within a week has
 * one payment that happens to match others' and is no member.
 */
function wholeShares(g: MoneyGraph, f: Finding, params: z.infer<typeof Params>): Finding | null {
  const hub = f.subjects[0]?.account as number;
  const inFan = new Set(f.edges);
  const members = new Set(f.edges.map((e) => g.from[e] as number));
  const stray = new Set<number>();
  for (let k = g.inStart[hub] as number; k < (g.inStart[hub + 1] as number); k++) {
    const e = g.inEdges[k] as number;
    const from = g.from[e] as number;
    if (!inFan.has(e) && members.has(from)) stray.add(from);
  }
  if (stray.size === 0) return f;
  const edges = f.edges.filter((e) => !stray.has(g.from[e] as number));
  const senders = new Set(edges.map((e) => g.from[e] as number));
  const amountUsd = edges.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
  if (senders.size < params.alike_min_counterparties || amountUsd < params.alike_min_total_usd) return null;
  const times = edges.map((e) => g.time[e] as number);
  return {
    ...f,
    subjects: f.subjects.filter((s, i) => i === 0 || senders.has(s.account)),
    edges,
    window: { from: Math.min(...times), to: Math.max(...times) },
    amountUsd,
    reasons: [
      ...f.reasons,
      `${stray.size} account(s) also paid ${g.accounts[hub]} other sums and are not counted: ${senders.size} remain, ${usd(amountUsd)} USD`,
    ],
  };
}

/** A fan of near-identical amounts, saying why fewer senders or less money sufficed; it scores lower. */
function asAlike(f: Finding, params: z.infer<typeof Params>): Finding {
  const senders = f.subjects.length - 1;
  const why =
    senders < params.min_counterparties
      ? `${senders} senders, fewer than ${params.min_counterparties}`
      : `${usd(f.amountUsd)} USD, under ${params.min_total_usd.toLocaleString("en-US")}`;
  return {
    ...f,
    reasons: [
      ...f.reasons,
      `${why}: a fan because the amounts are near-identical (within a ratio of ${params.alike_ratio}), one sum shared among its payers`,
    ],
    score: 0.8 * f.score,
  };
}
