import { z } from "zod";
import { Channel } from "../../model/channel.js";
import { businessDay, businessDaysBetween } from "../business-day.js";
import { defineDetector, type Finding } from "../detector.js";

/**
 * Structuring (typologies.md §2): cash kept under the CTR threshold of 31 CFR 1010.311, which
 * applies to more than $10,000 (exactly $10,000 does not trigger it). Cash in and cash out are
 * checked apart, per account, on business days (1010.313):
 * - S1: two or more cash transactions each in [0.8 T, T], together more than T, within W business days;
 * - S5: three or more in [0.9 T, T) within 30 days.
 * Either must stand out from the account's own cash: their mean at least `min_above_usual` times
 * the median of its cash transactions outside the band (a shop banking its takings is not
 * structuring; a structurer repeating the pattern does not make it usual).
 * Sub-rules that need the branch or the conductor (S2–S4) are not part of this detector.
 * AMLworld's files name an account on both sides of every row, so its cash deposits and
 * withdrawals are self-transfers: those are checked as a third side, cash of unknown direction.
 */

const CASH = Channel.options.indexOf("cash");

export const structuring = defineDetector({
  id: "structuring",
  version: 1,
  typology: "structuring",
  title: "Cash kept just under the CTR threshold",
  basis: "31 CFR 1010.311, 1010.313, 1010.314; typologies.md §2 S1 and S5",
  params: z.object({
    threshold_usd: z.number().positive().default(10_000),
    band_low: z.number().min(0).max(1).default(0.8),
    window_business_days: z.number().int().min(0).default(3),
    repeat_low: z.number().min(0).max(1).default(0.9),
    repeat_count: z.number().int().min(2).default(3),
    repeat_days: z.number().int().min(1).default(30),
    min_above_usual: z.number().min(0).default(1.5),
  }),
  needs: ["ts", "amount_usd", "channel"],
  run(data, p) {
    const g = data.graph;
    const T = p.threshold_usd;
    const findings: Finding[] = [];
    for (const side of ["in", "out", "self"] as const) {
      // Per account, its cash transactions in the band, in time order.
      const byAccount = new Map<number, number[]>();
      for (let e = 0; e < g.edgeCount; e++) {
        if (g.channel[e] !== CASH) continue;
        const from = g.from[e] as number;
        const to = g.to[e] as number;
        // Cash in: no payer account; cash out: no payee account; self: the same on both sides.
        if (
          side === "self"
            ? from < 0 || from !== to
            : side === "in"
              ? to < 0 || from >= 0
              : from < 0 || to >= 0
        )
          continue;
        const account = side === "in" ? to : from;
        const list = byAccount.get(account) ?? [];
        if (list.length === 0) byAccount.set(account, list);
        list.push(e);
      }
      for (const [account, cash] of byAccount) {
        const band = cash.filter(
          (e) => (g.amountUsd[e] as number) >= p.band_low * T && (g.amountUsd[e] as number) <= T,
        );
        const f = structuredRun(g.time, g.amountUsd, band, p, T);
        if (!f) continue;
        // Against the account's own cash: a shop whose takings are usually near these amounts is
        // banking its takings, not keeping under the threshold. Its usual is measured on cash
        // outside the band, so that structuring done again and again never becomes "usual".
        const inBand = new Set(band);
        const others = cash.filter((e) => !inBand.has(e)).map((e) => g.amountUsd[e] as number);
        others.sort((x, y) => x - y);
        const usual = others.length > 0 ? (others[others.length >> 1] as number) : 0;
        const mean = f.total / f.edges.length;
        if (usual > 0 && mean < p.min_above_usual * usual) continue;
        const key = g.accounts[account] as string;
        const what =
          side === "in"
            ? "cash deposits into"
            : side === "out"
              ? "cash withdrawals from"
              : "cash transactions of";
        findings.push({
          typology: "structuring",
          subjects: [
            { account, role: side === "in" ? "beneficiary" : side === "out" ? "originator" : "member" },
          ],
          edges: f.edges,
          window: {
            from: g.time[f.edges[0] as number] as number,
            to: g.time[f.edges.at(-1) as number] as number,
          },
          amountUsd: f.total,
          reasons: [
            f.rule.endsWith("(S5)")
              ? `${f.edges.length} ${what} ${key} just under ${T.toLocaleString("en-US")} USD, together ${Math.round(f.total).toLocaleString("en-US")} USD: ${f.rule}`
              : `${f.edges.length} ${what} ${key}, each at most ${T.toLocaleString("en-US")} USD and at least ${(p.band_low * T).toLocaleString("en-US")}, together ${Math.round(f.total).toLocaleString("en-US")} USD, ${f.rule}`,
            usual > 0
              ? `they average ${Math.round(mean).toLocaleString("en-US")} USD, ${(mean / usual).toFixed(1)} times the account's usual cash transaction (${Math.round(usual).toLocaleString("en-US")} USD)`
              : "the account has no other cash transactions",
            `the currency transaction report is due for cash of more than ${T.toLocaleString("en-US")} USD in one business day (31 CFR 1010.311, 1010.313)`,
          ],
          score: Math.min(1, 0.55 + 0.1 * (f.edges.length - 2) + (f.rule.startsWith("S5") ? 0.1 : 0)),
          sarActivities: ["114"],
        });
      }
    }
    return findings;
  },
});

/** The largest S1 run (within W business days, total > T), else an S5 run (repeats in [0.9T, T)). */
function structuredRun(
  time: Float64Array,
  amount: Float64Array,
  edges: number[],
  p: {
    band_low: number;
    window_business_days: number;
    repeat_low: number;
    repeat_count: number;
    repeat_days: number;
  },
  T: number,
): { edges: number[]; total: number; rule: string } | null {
  let best: { edges: number[]; total: number; rule: string } | null = null;
  let tail = 0;
  let total = 0;
  for (let k = 0; k < edges.length; k++) {
    total += amount[edges[k] as number] as number;
    const day = businessDay(time[edges[k] as number] as number);
    while (
      businessDaysBetween(businessDay(time[edges[tail] as number] as number), day) > p.window_business_days
    ) {
      total -= amount[edges[tail] as number] as number;
      tail++;
    }
    const n = k - tail + 1;
    if (n >= 2 && total > T && (!best || n > best.edges.length)) {
      best = {
        edges: edges.slice(tail, k + 1),
        total,
        rule: `within ${p.window_business_days} business day(s) (S1)`,
      };
    }
  }
  if (best) return best;
  // S5: repeated amounts just under the threshold over a month.
  const near = edges.filter((e) => (amount[e] as number) >= p.repeat_low * T && (amount[e] as number) < T);
  tail = 0;
  for (let k = 0; k < near.length; k++) {
    while (
      (time[near[k] as number] as number) - (time[near[tail] as number] as number) >
      p.repeat_days * 86_400_000
    )
      tail++;
    if (k - tail + 1 >= p.repeat_count) {
      const run = near.slice(tail, k + 1);
      if (!best || run.length > best.edges.length) {
        best = {
          edges: run,
          total: run.reduce((s, e) => s + (amount[e] as number), 0),
          rule: `${run.length} of them in [${(p.repeat_low * T).toLocaleString("en-US")}, ${T.toLocaleString("en-US")}) within ${p.repeat_days} days (S5)`,
        };
      }
    }
  }
  return best;
}
