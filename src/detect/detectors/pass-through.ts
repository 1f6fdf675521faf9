import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";
import { atLeast, DAY_MS, defineDetector, type Finding, type Role } from "../detector.js";
import {
  accountsOfNew,
  counterparties,
  findRelays,
  flowBetween,
  mayPassOn,
  oneOffCredits,
  passedOn,
  type RelayRules,
  relayedBy,
} from "../flows.js";
import { newEdgesOf } from "../focus.js";
import { MONTH_DAYS, recurrenceUnseenIn, unseenDueParams, unseenDues } from "../month-start.js";
import { usd } from "../motifs.js";

/**
 * Pass-through (the issue's "in, then out within 48 h keeping ≥ 80%"; the intermediary of
 * AMLSim's and AMLworld's layering patterns, FinCEN's money mule): an account whose incoming money
 * leaves again within `hours`, at least `min_kept` of it, again and again, while it has little
 * life of its own. What keeps it quiet on ordinary life:
 * - only money from one-off senders counts: a sender that pays the account over more than
 *   `relationship_days` (an employer, a client, a tenant) is a relationship, and its money is the
 *   account's own income; what the account does with it (paying rent from a salary) is its life;
 * - card payments in are sales, and card payments out are spending: neither is relayed money;
 *   payments to hubs (more than `max_counterparty_degree` distinct payers: an airline, a utility)
 *   are purchases, and money from hubs (a payroll, a marketplace) is income;
 * - an account that pays more than `max_hub_degree` distinct accounts (a payroll processor, a
 *   marketplace) passes money on as its trade, and is left out;
 * - it must happen at least `min_episodes` times within `window_days` (once is a favour), with
 *   money from at least `min_senders` senders, each relay at least `min_episode_usd` and together
 *   at least `min_total_usd`;
 * - money passed on goes to one-off payees (`one_off_payees`: all the account's payments to them
 *   within `relationship_days`) or out in cash: a business that pays its standing suppliers and
 *   staff from the day's takings (a travel agency paying the airline) is trading, while a relay
 *   forwards a stranger's money to another stranger;
 * - where the data is too short to see a sender pay again (less than a month of it both before
 *   and after the credits, month-start.ts), every client of a business passes for a one-off
 *   sender, and the money must leave about as it came: at least `min_whole_share` of the relays
 *   passed the credit on in one payment of between `min_kept` and all of it (AMLSim's
 *   intermediaries forward 90% in one payment). A business paying its suppliers from the week's
 *   takings passes credits on only as parts of larger payments or in pieces among its bills;
 * - little life of its own: the relayed money must be at least `min_share` of all money in and
 *   out of the account over the period (at least `window_days` from the first relay). A business
 *   that passes money on the same day as its trade (a travel agency paying the airline, a payroll
 *   processor) does so with its standing relationships, among much other business;
 * - where the data is too short to show a monthly payer paying again (month-start.ts), relayed
 *   credits from at least `due_payers` senders, mostly (`due_share`) paid on the first
 *   `due_days` days of the month, are dues: tenants' rent a managing agent passes to the owner.
 *   On a month of data each tenant pays once.
 * Cash in is left to the funnel-account detector: a cash deposit has no sender to follow.
 *
 * Incremental runs (focus.ts): every transaction of a finding is a credit or a debit of its
 * intermediary, so a finding with a new transaction has its intermediary at distance 0 from one
 * (radius 0), and the new transaction is one of its relayed credits (a credit the rules consider,
 * passed on, from a one-off sender that is no hub) or a debit that can pass money on (flows.ts,
 * `accountsOfNew`). Only those accounts' relays are sought; the senders' one-off test and everyone's
 * distinct payers and payees are still measured on the whole graph, and an account's relays and
 * its life over the period on its whole ledger, so each such finding is the full run's. When a
 * large share of the transactions is new, every account is searched (it costs less).
 */

const CASH = Channel.options.indexOf("cash");
const CARD = Channel.options.indexOf("card");

export const PassThroughParams = z.object({
  hours: z.number().positive().default(48),
  min_kept: z.number().gt(0).max(1).default(0.8),
  // Proposals (typologies.md gives none): twice is "repeatedly"; 30 days as the graph patterns' W.
  min_episodes: z.number().int().min(1).default(2),
  // Proposal: from at least two senders. One sender paying twice in a week, the account paying a
  // bill after each, is one dealing, not the account moving third parties' money.
  min_senders: z.number().int().min(1).default(2),
  window_days: z.number().positive().default(30),
  // Proposals: below these, relaying money is everyday (a shared bill, a collection for a gift).
  min_episode_usd: z.number().min(0).default(1000),
  min_total_usd: z.number().min(0).default(10_000),
  // As the fan detectors'.
  relationship_days: z.number().min(0).default(7),
  max_counterparty_degree: z.number().int().min(1).default(50),
  // Proposal: relayed money is at least 20% of the money through the account. Before relays had
  // to go to one-off payees, accounts relaying by chance among their trade reached 32% on
  // generated worlds and a 40% bar left out busy businesses used as relays (24–34%); with one-off
  // payees no account relayed by chance on the standard worlds (seeds 20221101 and 7) at any share.
  min_share: z.number().min(0).max(1).default(0.2),
  // Proposal: only payments to one-off payees (all the account's payments to them within
  // `relationship_days`) pass money on; false: to any payee.
  one_off_payees: z.boolean().default(true),
  // Proposal, as the fan detectors': an account paying more than this many distinct accounts (a
  // payroll processor, a marketplace) passes money on as its trade.
  max_hub_degree: z.number().int().min(1).default(100),
  // Proposal, asked only on data too short to see senders pay again: at least this share of the
  // relays is one payment of about the credit (between `min_kept` and all of it). On the 18-day
  // generated world, 114 of 117 alerts without it were businesses trading (58 had no such relay
  // at all, 21 one in two); every planted relay of the standard and 18-day worlds passes every
  // credit on so.
  min_whole_share: z.number().min(0).max(1).default(0.75),
  // As fan-in's: dues are paid on the first days of the month; asked only where the data cannot
  // show the senders paying again (month-start.ts).
  ...unseenDueParams,
});
export type PassThroughParams = z.infer<typeof PassThroughParams>;

interface Episode {
  /** The credit passed on, and the debits that passed it on. */
  credit: number;
  debits: number[];
  out: number;
  /** Whether one debit passed it on whole (between `min_kept` and all of it). */
  whole: boolean;
}

export const passThrough = defineDetector({
  id: "pass-through",
  version: 2,
  typology: "pass-through",
  title: "Money in and out again within 48 hours, again and again",
  basis:
    "moneytrail issue 5 (in, then out within 48 h keeping ≥ 80%, the relay typologies.md measures in FATF-5 and HT14-1); AMLSim intermediaries forwarding 90% (typologies.md §3.1)",
  params: PassThroughParams,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account"],
  run(data, p) {
    const g = data.graph;
    const count = counterparties(g);
    const oneOff = oneOffCredits(g, p.relationship_days * DAY_MS);
    const rules: RelayRules = {
      windowMs: p.hours * 3_600_000,
      minKept: p.min_kept,
      minCredits: p.min_episodes,
      minTotalUsd: p.min_total_usd,
      account: (a) => count.payees(a) <= p.max_hub_degree,
      // Whether the sender is one-off and no hub is asked of the credits passed on only.
      credit: (e) =>
        (g.amountUsd[e] as number) >= p.min_episode_usd &&
        g.channel[e] !== CASH &&
        g.channel[e] !== CARD &&
        (g.from[e] as number) >= 0,
      // Money passed on goes to a one-off payee (or out in cash): paying a standing supplier or
      // an employee again and again is the account's own business, whatever came in before.
      debit: (e) =>
        g.channel[e] !== CARD &&
        ((g.to[e] as number) < 0 ||
          (count.payers(g.to[e] as number) <= p.max_counterparty_degree && (!p.one_off_payees || oneOff(e)))),
    };
    // An episode's credit, as the loop below tests it.
    const episode = (e: number) =>
      oneOff(e) && count.payees(g.from[e] as number) <= p.max_counterparty_degree;
    // Incremental: only the intermediaries a new transaction can be part of (the module's comment).
    // A new credit is one only if it is an episode's: passed on, from a one-off sender that is no
    // hub; asked cheapest first (the one-off test reads the account's or the sender's payments).
    const focus = data.focus;
    const relayed = (e: number) =>
      count.payees(g.from[e] as number) <= p.max_counterparty_degree && mayPassOn(g, rules, e) && oneOff(e);
    const relays = findRelays(g, {
      ...rules,
      only: focus && accountsOfNew(g, rules, newEdgesOf(focus), relayed),
    });
    const findings: Finding[] = [];
    for (let i = 0; i < relays.accounts.length; i++) {
      const account = relays.accounts[i] as number;
      const lo = relays.start[i] as number;
      const hi = relays.start[i + 1] as number;
      if (hi - lo < p.min_episodes) continue;
      const episodes: Episode[] = [];
      for (let s = lo; s < hi; s++) {
        const credit = relays.credit[s] as number;
        if (!passedOn(relays, s, p.min_kept) || !episode(credit)) continue;
        episodes.push({
          credit,
          ...relayedBy(g, relays, s, p.min_kept),
          whole: (relays.single[s] as number) >= 0,
        });
      }
      if (episodes.length < p.min_episodes || count.payees(account) > p.max_hub_degree) continue;
      for (const group of windows(g, episodes, p.window_days * DAY_MS)) {
        const f = finding(g, account, group, p);
        if (f) findings.push(f);
      }
    }
    return findings;
  },
});

/** Episodes in groups, each within `span` of its first. */
function windows(g: MoneyGraph, episodes: Episode[], span: number): Episode[][] {
  const groups: Episode[][] = [];
  for (const e of episodes) {
    const group = groups.at(-1);
    const first = group?.[0];
    if (group && first && (g.time[e.credit] as number) - (g.time[first.credit] as number) <= span)
      group.push(e);
    else groups.push([e]);
  }
  return groups;
}

function finding(g: MoneyGraph, account: number, group: Episode[], p: PassThroughParams): Finding | null {
  if (group.length < p.min_episodes) return null;
  const credits = group.map((e) => e.credit);
  const debits = [...new Set(group.flatMap((e) => e.debits))].sort((a, b) => a - b);
  const inUsd = credits.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
  const outUsd = group.reduce((s, e) => s + e.out, 0);
  const senders = [...new Set(credits.map((e) => g.from[e] as number))];
  if (inUsd < p.min_total_usd || senders.length < p.min_senders) return null;
  const first = g.time[credits[0] as number] as number;
  // On data too short to see a sender pay again (month-start.ts), the shape must say it.
  const whole = group.filter((e) => e.whole).length;
  const lastCredit = g.time[credits.at(-1) as number] as number;
  const short = recurrenceUnseenIn(g, first, lastCredit);
  if (short && whole < atLeast(p.min_whole_share, group.length)) return null;
  // Dues the data is too short to see recur (month-start.ts).
  if (unseenDues(g, credits, senders.length, p)) return null;
  const last = Math.max(
    ...debits.map((e) => g.time[e] as number),
    ...credits.map((e) => g.time[e] as number),
  );
  // Its life over the period: everything in and out, at least `window_days` from the first relay.
  const until = Math.max(last, first + p.window_days * DAY_MS);
  const all = flowBetween(g, account, "in", first, until) + flowBetween(g, account, "out", first, until);
  const share = all > 0 ? (inUsd + outUsd) / all : 1;
  if (share < p.min_share) return null;
  const payees = [...new Set(debits.map((e) => g.to[e] as number).filter((a) => a >= 0 && a !== account))];
  const subjects: { account: number; role: Role }[] = [{ account, role: "intermediary" }];
  for (const a of senders.sort((x, y) => x - y)) subjects.push({ account: a, role: "originator" });
  for (const a of payees.sort((x, y) => x - y))
    if (!subjects.some((s) => s.account === a)) subjects.push({ account: a, role: "beneficiary" });
  const ratios = group.map((e) => e.out / (g.amountUsd[e.credit] as number));
  const delays = group.map(
    (e) => ((g.time[e.debits.at(-1) as number] as number) - (g.time[e.credit] as number)) / 3_600_000,
  );
  const key = g.accounts[account] as string;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const days = Math.max(1, Math.ceil((last - first) / DAY_MS));
  return {
    typology: "pass-through",
    subjects,
    edges: [...credits, ...debits].sort((a, b) => a - b),
    window: { from: first, to: last },
    amountUsd: inUsd + outUsd,
    reasons: [
      `${key} passed money on ${group.length} times within ${days} day(s): ${usd(inUsd)} USD came in from ${senders.length} sender(s) and ${usd(outUsd)} USD of it left to ${payees.length} recipient(s)${debits.some((e) => (g.to[e] as number) < 0) ? " and in cash" : ""}`,
      `each time at least ${pct(p.min_kept)} left within ${p.hours} h: ${pct(Math.min(...ratios))} to ${pct(Math.max(...ratios))} of the credit, after ${Math.min(...delays).toFixed(1)} to ${Math.max(...delays).toFixed(1)} hours`,
      `the senders paid ${key} only this once (all their payments within ${p.relationship_days} days): not wages or a client's regular payments`,
      ...(short
        ? [
            `the data holds less than ${MONTH_DAYS} days before and after these credits, too short to see a sender pay again: ${whole} of the ${group.length} credits left in one payment of ${pct(p.min_kept)} to 100% of their amount (at least ${pct(p.min_whole_share)} required)`,
          ]
        : []),
      `little life of its own: the relayed money is ${pct(share)} of all money in and out of ${key} from ${day(first)} to ${day(until)} (at least ${pct(p.min_share)} required)`,
    ],
    // More relays, and less life of its own, score higher.
    score: Math.min(
      1,
      0.5 +
        0.1 * Math.min(3, group.length - p.min_episodes) +
        0.2 * (p.min_share < 1 ? (share - p.min_share) / (1 - p.min_share) : 1),
    ),
  };
}
