import { z } from "zod";
import { seekTime } from "../../graph/graph-view.js";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { subjectAccountsOf } from "../focus.js";
import { groupMask, listsOf, namesListedMerchant, type ReferenceLists } from "../reference-lists.js";
import { detailsOf, type TransactionDetails } from "../transaction-details.js";
import { CH, channelMask, daysBetween, edgesBetween, usd } from "./ht-shared.js";

/**
 * Trafficking controller (typologies.md §1.5 CONTROLLER FAN-IN; FIN-2020-A008 funnel accounts;
 * FATF–APG 2018 case features): one account that several others pay at a weekly cadence, week
 * after week — victims handing over their earnings.
 *
 * Fires when at least `min_victims` accounts each pay the account at least `min_payments` times,
 * every payment of each at the cadence: the mean gap within `period_tolerance` of `period_days`
 * and the gaps' coefficient of variation at most `max_cv`; their series overlapping in time.
 * Raises the score, and cites the transactions, when it also shows in the same period:
 * - cash deposited into it in at least `min_cash_cities` different cities (FATF–APG: cash
 *   deposits at many locations; the "many-city cash deposits" of the issue are reported here);
 * - at least `min_lodging_ads` payments of its own for lodging or online advertising (LODGING,
 *   ADVERTISING_HOSTING, ADULT_ESCORT MCC groups, or a listed classified-ad site);
 * - payers that show the victim pattern: little ordinary spending of their own (less than
 *   `victim_living_share` of their payments on SUSTENANCE and UTILITIES) — not required, since a
 *   victim may keep an ordinary-looking account.
 * What keeps it quiet on ordinary life: card purchases never count (a shop's regulars pay it
 * weekly); a cadence must hold for a month; each payer's amounts must be steady (a coefficient
 * of variation at most `max_amount_cv`: a business's clients paying weekly invoices pay what the
 * week's orders came to); a payer whose payments go out in batches (to at
 * least `batch_payees` accounts within 12 hours: an employer or payroll processor paying wages)
 * is not handing over earnings; an account that pays more than `max_payees`
 * distinct accounts in the period (a payroll processor funded weekly by its clients, paying their
 * staff) is a business, not a controller.
 */

export const HtControllerParams = z.object({
  min_victims: z.number().int().min(2).default(3),
  min_payments: z.number().int().min(3).default(4),
  period_days: z.number().positive().default(7),
  /** Proposal [U]: the mean gap within this share of the period. */
  period_tolerance: z.number().min(0).max(1).default(0.3),
  max_cv: z.number().min(0).default(0.3),
  /**
   * Proposal [U]: each payer's amounts vary at most this much (coefficient of variation): a
   * handover of earnings is a steady sum, week after week, where a client's weekly invoices are
   * whatever the week's orders came to (0: no such test).
   */
  max_amount_cv: z.number().min(0).default(0.5),
  channels: z.array(Channel).min(1).default(["p2p", "ach", "wire", "check", "cash", "msb"]),
  /** Proposal [U]. */
  max_payees: z.number().int().min(1).default(100),
  /** Proposal [U]: a payer paying this many accounts within 12 hours is paying wages. */
  batch_payees: z.number().int().min(2).default(3),
  /** Proposal [U] (FATF–APG 2018 gives no number). */
  min_cash_cities: z.number().int().min(2).default(3),
  /** Proposal [U]. */
  min_lodging_ads: z.number().int().min(1).default(3),
  /** FATF-10 (typologies.md §1.4): under 5% of debits on ordinary living. */
  victim_living_share: z.number().min(0).max(1).default(0.05),
});
export type HtControllerParams = z.infer<typeof HtControllerParams>;

/** A payer's run of payments to one account at the cadence. */
export interface CadenceRun {
  payer: number;
  edges: number[];
  from: number;
  to: number;
}

/**
 * The runs of payments to `hub` at the cadence, grouped into sets whose runs overlap in time, each
 * set with at least `min_victims` payers; the hub's payees in a set's period are at most
 * `max_payees`. Shared with ht-lodging-ads, which leaves such hubs to this detector.
 */
export function controllerGroups(
  g: MoneyGraph,
  hub: number,
  p: HtControllerParams,
  scratch: Int32Array = new Int32Array(g.accounts.length),
): CadenceRun[][] {
  const lo = g.inStart[hub] as number;
  const hi = g.inStart[hub + 1] as number;
  if (hi - lo < p.min_victims * p.min_payments) return [];
  const mask = channelMask(p.channels);
  // First, with nothing allocated: are there min_victims payers with min_payments payments each?
  // (`scratch` counts payments per payer, all zero before and after.)
  let payers = 0;
  for (let k = lo; k < hi; k++) {
    const e = g.inEdges[k] as number;
    const from = g.from[e] as number;
    if (from < 0 || from === hub || !(mask & (1 << (g.channel[e] as number)))) continue;
    scratch[from] = (scratch[from] as number) + 1;
    if (scratch[from] === p.min_payments) payers++;
  }
  for (let k = lo; k < hi; k++) scratch[Math.max(0, g.from[g.inEdges[k] as number] as number)] = 0;
  if (payers < p.min_victims) return [];
  const byPayer = new Map<number, number[]>();
  for (let k = lo; k < hi; k++) {
    const e = g.inEdges[k] as number;
    const from = g.from[e] as number;
    if (from < 0 || from === hub || !(mask & (1 << (g.channel[e] as number)))) continue;
    const list = byPayer.get(from);
    if (list) list.push(e);
    else byPayer.set(from, [e]);
  }
  const runs: CadenceRun[] = [];
  const lowGap = p.period_days * (1 - p.period_tolerance) * DAY_MS;
  const highGap = p.period_days * (1 + p.period_tolerance) * DAY_MS;
  // Every payment of the payer to the hub is part of its cadence: a handover is the whole of the
  // relationship, and a few gaps that happen to line up within a random series are not a cadence.
  for (const [payer, edges] of byPayer) {
    if (edges.length < p.min_payments) continue;
    const { mean, cv } = gapStats(g.time, edges);
    if (mean < lowGap || mean > highGap || cv > p.max_cv) continue;
    if (p.max_amount_cv > 0 && amountCv(g.amountUsd, edges) > p.max_amount_cv) continue;
    if (paysInBatches(g, payer, edges, p.batch_payees)) continue;
    runs.push({
      payer,
      edges,
      from: g.time[edges[0] as number] as number,
      to: g.time[edges.at(-1) as number] as number,
    });
  }
  if (runs.length < p.min_victims) return [];
  runs.sort((a, b) => a.from - b.from || a.payer - b.payer);
  const groups: CadenceRun[][] = [];
  let group: CadenceRun[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const run of runs) {
    if (run.from > end && group.length > 0) {
      groups.push(group);
      group = [];
    }
    group.push(run);
    end = Math.max(end, run.to);
  }
  groups.push(group);
  return groups.filter((set) => {
    if (set.length < p.min_victims) return false;
    const from = Math.min(...set.map((r) => r.from));
    const to = Math.max(...set.map((r) => r.to));
    const payees = new Set<number>();
    for (const e of edgesBetween(g, hub, "out", from, to)) {
      const to = g.to[e] as number;
      if (to >= 0) payees.add(to);
      if (payees.size > p.max_payees) return false;
    }
    return true;
  });
}

/**
 * Whether most of these payments of `payer` went out in a batch: with payments by the same channel
 * to at least `batch` distinct accounts within 12 hours of each. That is how employers and payroll
 * processors pay wages, and a wage is not a handover.
 */
function paysInBatches(g: MoneyGraph, payer: number, edges: readonly number[], batch: number): boolean {
  let batched = 0;
  const hi = g.outStart[payer + 1] as number;
  for (const e of edges) {
    const t = g.time[e] as number;
    const payees = new Set<number>();
    // Stops as soon as the batch is seen: a payroll processor pays thousands in those hours.
    for (let k = seekTime(g, g.outEdges, g.outStart[payer] as number, hi, t - 43_200_000); k < hi; k++) {
      const x = g.outEdges[k] as number;
      if ((g.time[x] as number) > t + 43_200_000 || payees.size >= batch) break;
      if (g.channel[x] === g.channel[e]) payees.add(g.to[x] as number);
    }
    if (payees.size >= batch) batched++;
  }
  return batched * 2 > edges.length;
}

/** The coefficient of variation of the edges' amounts. */
function amountCv(amountUsd: Float64Array, edges: readonly number[]): number {
  const amounts = edges.map((e) => amountUsd[e] as number);
  const mean = amounts.reduce((s, x) => s + x, 0) / amounts.length;
  if (mean <= 0) return Number.POSITIVE_INFINITY;
  const variance = amounts.reduce((s, x) => s + (x - mean) ** 2, 0) / amounts.length;
  return Math.sqrt(variance) / mean;
}

/** Mean and coefficient of variation of the gaps between consecutive edges (two or more). */
function gapStats(time: Float64Array, edges: readonly number[]): { mean: number; cv: number } {
  const gaps: number[] = [];
  for (let k = 1; k < edges.length; k++)
    gaps.push((time[edges[k] as number] as number) - (time[edges[k - 1] as number] as number));
  const mean = gaps.reduce((s, x) => s + x, 0) / gaps.length;
  if (mean <= 0) return { mean, cv: Number.POSITIVE_INFINITY };
  const variance = gaps.reduce((s, x) => s + (x - mean) ** 2, 0) / gaps.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

/** Whether an edge is a payment for lodging or online advertising (by MCC group or listed site). */
export function lodgingOrAdTest(
  details: TransactionDetails,
  lists: ReferenceLists,
): {
  lodging: (e: number) => boolean;
  ad: (e: number) => boolean;
  versions: string;
} {
  const groups = lists.mccGroups;
  const lodgingMask = groupMask(groups, "LODGING");
  const adMask = groupMask(groups, "ADVERTISING_HOSTING", "ADULT_ESCORT");
  const listed = lists.classifiedAdMerchants.names;
  const merchantListed = new Map<number, boolean>();
  const mccMask = (e: number) => {
    const m = details.mcc[e] as number;
    return m >= 0 ? (groups.maskOf[m] as number) : 0;
  };
  return {
    lodging: (e) => (mccMask(e) & lodgingMask) !== 0,
    ad: (e) => {
      if ((mccMask(e) & adMask) !== 0) return true;
      const m = details.merchant[e] as number;
      if (m < 0) return false;
      let hit = merchantListed.get(m);
      if (hit === undefined) {
        hit = namesListedMerchant(details.strings[m] as string, listed);
        merchantListed.set(m, hit);
      }
      return hit;
    },
    versions: `mcc-groups ${groups.version}, classified-ad-merchants ${lists.classifiedAdMerchants.version}`,
  };
}

export const htController = defineDetector({
  id: "ht-controller",
  version: 1,
  typology: "ht-controller",
  title: "Several accounts paying one account week after week (trafficking controller)",
  basis:
    "typologies.md §1.5 CONTROLLER FAN-IN; FinCEN FIN-2020-A008 (funnel accounts, F12); FATF–APG Financial Flows from Human Trafficking 2018 (FATF-1 to FATF-5)",
  params: HtControllerParams,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account", "mcc", "merchant", "city"],
  // A cadence of `min_payments` payments spans that many periods less one (three weeks for four
  // weekly payments): on less data no payer can show one.
  minDays: (p) => (p.min_payments - 1) * p.period_days,
  lists: ["mccGroups", "classifiedAdMerchants"],
  run(data, p) {
    const g = data.graph;
    const details = detailsOf(data);
    const lists = listsOf(data);
    const livingMask = groupMask(lists.mccGroups, "SUSTENANCE", "UTILITIES");
    const spend = lodgingOrAdTest(details, lists);
    const findings: Finding[] = [];
    const scratch = new Int32Array(g.accounts.length);
    // Its findings cite a hub's payments in by the channels, cash deposited into it, and its own
    // lodging and advertising payments.
    const mask = channelMask(p.channels);
    const hubs = subjectAccountsOf(g, data.focus, (e, add) => {
      if (mask & (1 << (g.channel[e] as number)) || g.channel[e] === CH.cash) add(g.to[e] as number);
      if (spend.lodging(e) || spend.ad(e)) add(g.from[e] as number);
    });
    for (const hub of hubs) {
      for (const set of controllerGroups(g, hub, p, scratch)) {
        const from = Math.min(...set.map((r) => r.from));
        const to = Math.max(...set.map((r) => r.to));
        const paid = set.flatMap((r) => r.edges);
        const reasons: string[] = [];
        const key = g.accounts[hub] as string;
        const weeks = Math.max(...set.map((r) => r.edges.length));
        const paidUsd = paid.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
        reasons.push(
          `${set.length} accounts paid ${key} at a steady ${p.period_days}-day cadence for ${daysBetween(from, to)} days: ${paid.length} payments, ${usd(paidUsd)} USD (each run at least ${p.min_payments} payments, gaps' variation at most ${p.max_cv})`,
        );
        let score =
          0.5 + 0.05 * Math.min(3, set.length - p.min_victims) + 0.025 * Math.min(4, weeks - p.min_payments);
        const evidence = [...paid];
        // Cash deposited into it in many cities over the same period.
        const cash = edgesBetween(g, hub, "in", from, to).filter(
          (e) => g.channel[e] === CH.cash && (g.from[e] as number) < 0 && (details.city[e] as number) >= 0,
        );
        const cities = new Set(cash.map((e) => details.city[e] as number));
        if (cities.size >= p.min_cash_cities) {
          evidence.push(...cash);
          score += 0.1;
          const names = [...cities].map((c) => details.strings[c] as string).sort();
          reasons.push(
            `${cash.length} cash deposits into it in ${cities.size} different cities (${names.join(", ")}), ${usd(cash.reduce((s, e) => s + (g.amountUsd[e] as number), 0))} USD`,
          );
        }
        // Its own lodging and advertising payments over the same period.
        const own = edgesBetween(g, hub, "out", from, to);
        const lodging = own.filter(spend.lodging);
        const ads = own.filter((e) => !spend.lodging(e) && spend.ad(e));
        if (lodging.length + ads.length >= p.min_lodging_ads) {
          evidence.push(...lodging, ...ads);
          score += 0.15;
          reasons.push(
            `it paid for lodging ${lodging.length} time(s) and online advertising ${ads.length} time(s) in the period, ${usd([...lodging, ...ads].reduce((s, e) => s + (g.amountUsd[e] as number), 0))} USD (${spend.versions})`,
          );
        }
        // Payers with little ordinary spending of their own.
        const bare = set.filter((r) => {
          let total = 0;
          let living = 0;
          for (const e of edgesBetween(g, r.payer, "out", from, to)) {
            total += g.amountUsd[e] as number;
            const m = details.mcc[e] as number;
            if (m >= 0 && ((lists.mccGroups.maskOf[m] as number) & livingMask) !== 0)
              living += g.amountUsd[e] as number;
          }
          return total > 0 && living < p.victim_living_share * total;
        });
        if (bare.length > 0) {
          score += 0.1;
          reasons.push(
            `${bare.length} of the payers spend less than ${Math.round(p.victim_living_share * 100)}% of their payments on ordinary living (groceries, meals, pharmacy, clothing, utilities): ${bare.map((r) => g.accounts[r.payer]).join(", ")}`,
          );
        }
        evidence.sort((a, b) => a - b);
        findings.push({
          typology: "ht-controller",
          subjects: [
            { account: hub, role: "hub" },
            ...set
              .map((r) => r.payer)
              .sort((a, b) => a - b)
              .map((account) => ({ account, role: "originator" as const })),
          ],
          edges: evidence,
          window: {
            from: g.time[evidence[0] as number] as number,
            to: g.time[evidence.at(-1) as number] as number,
          },
          amountUsd: evidence.reduce((s, e) => s + (g.amountUsd[e] as number), 0),
          reasons,
          score: Math.min(1, score),
          sarActivities: ["927"],
        });
      }
    }
    return findings;
  },
});
