import { z } from "zod";
import { forEachInTime, seekTime } from "../../graph/graph-view.js";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";
import { defineDetector, type Finding } from "../detector.js";
import { newEdgesOf } from "../focus.js";
import { detailsOf } from "../transaction-details.js";
import { channelMask, daysBetween, MAX_PAYMENTS_SCANNED, usd } from "./ht-shared.js";

/**
 * Wage skimming (FATF–APG 2018, typologies.md §1.4 FATF-5; FIN-2014-A008 HT14-1 proxy): an
 * employer-like account pays wages to several workers, and each wage is passed on, mostly, to one
 * and the same third account shortly after it lands — a controller taking the victims' pay.
 *
 * A skim: a wage (a credit by `wage_channels` from the payer, paid in a payroll run: the payer paid
 * at least `min_workers` accounts by that channel within 12 hours) of which at least `min_share` leaves
 * the worker to one account (not the payer) within `within_hours`. Fires when at least
 * `min_workers` workers of one payer are skimmed by the same account, each at least `min_skims`
 * times, and at least `min_skimmed_share` of each worker's wages from that payer over the period
 * of its skims were skimmed ("after each pay").
 * What keeps it quiet on ordinary life: a worker paying rent or a card bill after payday does so
 * once a month, not after each pay; one person forwarding their own pay to their other bank is
 * one worker, not several workers of one employer to one account.
 * - a payment with a merchant category code is a purchase from a merchant, not a handover: it
 *   never counts as passed on (this is why the detector needs `mcc`, and is NOT_EVALUABLE on data
 *   without it, such as AMLworld's files).
 */

const Params = z.object({
  min_workers: z.number().int().min(2).default(3),
  min_share: z.number().gt(0).max(1).default(0.8),
  within_hours: z.number().positive().default(48),
  /** Proposal [U]: "each" pay, seen at least twice. */
  min_skims: z.number().int().min(1).default(2),
  /** Proposal [U]. */
  min_skimmed_share: z.number().min(0).max(1).default(0.75),
  wage_channels: z.array(Channel).min(1).default(["ach"]),
});

/**
 * Whether wage `e` was paid in a payroll run: the payer paid at least `workers` distinct accounts
 * by the same channel within 12 hours of it. Skimming is about several workers of one employer,
 * paid together; a single invoice settled by ACH is no wage. The run last found per payer is
 * remembered (`runs`): a payroll processor's thousands of wages of one run are checked once.
 */
function inPayroll(
  g: MoneyGraph,
  payer: number,
  e: number,
  workers: number,
  runs: { from: Float64Array; to: Float64Array; channel: Int16Array },
): boolean {
  const t = g.time[e] as number;
  const half = 43_200_000;
  // The remembered run's payments all lie within 12 hours of t: the same accounts count for e.
  if (
    runs.channel[payer] === g.channel[e] &&
    (runs.to[payer] as number) - half <= t &&
    t <= (runs.from[payer] as number) + half
  )
    return true;
  const hi = g.outStart[payer + 1] as number;
  const seen: number[] = [];
  let first = t;
  let last = t;
  for (let k = seekTime(g, g.outEdges, g.outStart[payer] as number, hi, t - half); k < hi; k++) {
    const x = g.outEdges[k] as number;
    const tx = g.time[x] as number;
    if (tx > t + half) break;
    const to = g.to[x] as number;
    if (g.channel[x] !== g.channel[e] || seen.includes(to)) continue;
    seen.push(to);
    first = Math.min(first, tx);
    last = Math.max(last, tx);
    if (seen.length >= workers) {
      runs.from[payer] = first;
      runs.to[payer] = last;
      runs.channel[payer] = g.channel[e] as number;
      return true;
    }
  }
  return false;
}

interface Skim {
  wage: number;
  taken: number[];
  amount: number;
}

export const htWageSkim = defineDetector({
  id: "ht-wage-skim",
  version: 1,
  typology: "ht-wage-skim",
  title: "Several workers' wages passed on to one account after each pay (wage skimming)",
  basis:
    "FATF–APG Financial Flows from Human Trafficking 2018 (FATF-5, FATF-6); FinCEN FIN-2014-A008 (HT14-1); typologies.md §1.2, §1.4",
  params: Params,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account", "mcc"],
  run(data, p) {
    const g = data.graph;
    const details = detailsOf(data);
    const mask = channelMask(p.wage_channels);
    const within = p.within_hours * 3_600_000;
    const n = g.accounts.length;
    const runs = {
      from: new Float64Array(n),
      to: new Float64Array(n),
      channel: new Int16Array(n).fill(-1),
    };
    // The skims of wage e, into `into` (for the pairs `pairs` lets in). Its answer depends on e
    // alone: `runs` only remembers a payroll run found, which any wage it covers would find again.
    const skimsOf = (e: number, into: Map<number, Map<number, Skim[]>>, pairs?: Set<number>) => {
      if (!(mask & (1 << (g.channel[e] as number)))) return;
      const payer = g.from[e] as number;
      const worker = g.to[e] as number;
      if (payer < 0 || worker < 0 || payer === worker) return;
      const t = g.time[e] as number;
      const wage = g.amountUsd[e] as number;
      if (!(wage > 0) || !inPayroll(g, payer, e, p.min_workers, runs)) return;
      // The worker's payments in the next `within_hours` that could be handovers.
      const hi = g.outStart[worker + 1] as number;
      const lo = seekTime(g, g.outEdges, g.outStart[worker] as number, hi, t);
      if (hi - lo > MAX_PAYMENTS_SCANNED) {
        const beyond = g.outEdges[lo + MAX_PAYMENTS_SCANNED] as number;
        if ((g.time[beyond] as number) <= t + within) return;
      }
      // Most wages are spent bit by bit: their sum alone rules them out, with nothing allocated.
      // A handover goes to an account other than the payer and the worker, and is no purchase.
      let total = 0;
      let end = lo;
      for (; end < hi && (g.time[g.outEdges[end] as number] as number) <= t + within; end++) {
        const x = g.outEdges[end] as number;
        const to = g.to[x] as number;
        if (to >= 0 && to !== payer && to !== worker && x > e && (details.mcc[x] as number) < 0)
          total += g.amountUsd[x] as number;
      }
      if (total < p.min_share * wage) return;
      const byPayee = new Map<number, number[]>();
      for (let k = lo; k < end; k++) {
        const x = g.outEdges[k] as number;
        const to = g.to[x] as number;
        if (to < 0 || to === payer || to === worker || x <= e || (details.mcc[x] as number) >= 0) continue;
        const list = byPayee.get(to);
        if (list) list.push(x);
        else byPayee.set(to, [x]);
      }
      for (const [taker, taken] of byPayee) {
        const amount = taken.reduce((s, x) => s + (g.amountUsd[x] as number), 0);
        if (amount < p.min_share * wage) continue;
        const key = payer * n + taker;
        if (pairs && !pairs.has(key)) continue;
        let byWorker = into.get(key);
        if (!byWorker) {
          byWorker = new Map();
          into.set(key, byWorker);
        }
        const list = byWorker.get(worker);
        if (list) list.push({ wage: e, taken, amount });
        else byWorker.set(worker, [{ wage: e, taken, amount }]);
      }
    };
    // (payer, taker) → worker → skims; the pair as one number (payer × accounts + taker).
    const skims = new Map<number, Map<number, Skim[]>>();
    if (data.focus) {
      // A skim with a new payment has a new wage, or a new payment its worker made within
      // `within_hours` after the wage. The pairs of such skims are the ones to report, each with
      // every skim of its payer's wages, taken in edge order as a full run takes them (so the
      // pairs come in its order).
      const near = new Map<number, Map<number, Skim[]>>();
      const probed = new Set<number>();
      const probe = (e: number) => {
        if (!probed.has(e)) skimsOf(e, near);
        probed.add(e);
      };
      for (const x of newEdgesOf(data.focus)) {
        probe(x);
        const w = g.from[x] as number;
        if (w < 0) continue;
        const t = g.time[x] as number;
        forEachInTime(g, g.inEdges, g.inStart[w] as number, g.inStart[w + 1] as number, t - within, t, probe);
      }
      const pairs = new Set(near.keys());
      // A pair's skims are of the payer's wages to workers who pay the taker: per payer, those
      // workers, then those wages (a payroll processor pays thousands of others).
      const workers = new Map<number, Set<number>>();
      for (const key of pairs) {
        const payer = Math.floor(key / n);
        const taker = key % n;
        const of = workers.get(payer) ?? new Set<number>();
        workers.set(payer, of);
        for (let k = g.inStart[taker] as number; k < (g.inStart[taker + 1] as number); k++)
          of.add(g.from[g.inEdges[k] as number] as number);
      }
      const wages: number[] = [];
      for (const [payer, of] of workers)
        for (let k = g.outStart[payer] as number; k < (g.outStart[payer + 1] as number); k++) {
          const e = g.outEdges[k] as number;
          if (of.has(g.to[e] as number)) wages.push(e);
        }
      for (const e of wages.sort((a, b) => a - b)) skimsOf(e, skims, pairs);
    } else for (let e = 0; e < g.edgeCount; e++) skimsOf(e, skims);
    const findings: Finding[] = [];
    for (const [key, byWorker] of skims) {
      if (byWorker.size < p.min_workers) continue;
      const payer = Math.floor(key / n);
      const taker = key % n;
      const workers: { worker: number; skims: Skim[]; wages: number }[] = [];
      for (const [worker, list] of byWorker) {
        if (list.length < p.min_skims) continue;
        // Every wage from the payer over the period of its skims: were most of them skimmed?
        const from = g.time[(list[0] as Skim).wage] as number;
        const to = g.time[(list.at(-1) as Skim).wage] as number;
        let wages = 0;
        for (let k = g.inStart[worker] as number; k < (g.inStart[worker + 1] as number); k++) {
          const e = g.inEdges[k] as number;
          const t = g.time[e] as number;
          if (g.from[e] === payer && mask & (1 << (g.channel[e] as number)) && t >= from && t <= to) wages++;
        }
        if (list.length >= p.min_skimmed_share * wages) workers.push({ worker, skims: list, wages });
      }
      if (workers.length < p.min_workers) continue;
      workers.sort((a, b) => a.worker - b.worker);
      const edges = [...new Set(workers.flatMap((w) => w.skims.flatMap((s) => [s.wage, ...s.taken])))].sort(
        (a, b) => a - b,
      );
      const all = workers.flatMap((w) => w.skims);
      const paid = all.reduce((s, x) => s + (g.amountUsd[x.wage] as number), 0);
      const taken = all.reduce((s, x) => s + x.amount, 0);
      const share = taken / paid;
      const first = g.time[edges[0] as number] as number;
      const last = g.time[edges.at(-1) as number] as number;
      const payerKey = g.accounts[payer] as string;
      const takerKey = g.accounts[taker] as string;
      findings.push({
        typology: "ht-wage-skim",
        subjects: [
          { account: taker, role: "beneficiary" },
          { account: payer, role: "originator" },
          ...workers.map((w) => ({ account: w.worker, role: "intermediary" as const })),
        ],
        edges,
        window: { from: first, to: last },
        amountUsd: paid + taken,
        reasons: [
          `${workers.length} workers paid by ${payerKey} passed their pay on to ${takerKey} within ${p.within_hours} hours, ${all.length} times over ${daysBetween(first, last)} days`,
          `${usd(taken)} USD of ${usd(paid)} USD in wages (${Math.round(share * 100)}%) went to ${takerKey}; each time at least ${Math.round(p.min_share * 100)}% of the pay`,
          `each worker: ${workers.map((w) => `${g.accounts[w.worker]} ${w.skims.length} of ${w.wages} pays`).join(", ")} (at least ${p.min_skims} and ${Math.round(p.min_skimmed_share * 100)}% of its pays)`,
        ],
        score: Math.min(
          1,
          0.55 +
            0.05 * Math.min(4, workers.length - p.min_workers) +
            0.2 * Math.min(1, (share - p.min_share) / 0.15),
        ),
        sarActivities: ["927"],
      });
    }
    return findings;
  },
});
