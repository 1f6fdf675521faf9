import type { MoneyGraph } from "../graph/money-graph.js";
import { businessDay, businessDaysBetween } from "./business-day.js";
import { type CashSide, SIDE_ROLE, SIDE_WORDS, usd } from "./cash-sides.js";
import { type StructuringHit, scoreOf } from "./structuring-hit.js";

/**
 * S1 and S5 of typologies.md §2: cash amounts kept just under the threshold T, on one account and
 * one side.
 * - S1: two or more cash transactions each in [band_low T, T], together more than T, within W
 *   business days;
 * - S5: three or more in [repeat_low T, T), or five or more in [band_low T, T], within 30 days.
 * The run must stand out from the account's own cash: its mean at least `min_above_usual` times
 * the median of the account's cash transactions outside the band (a shop whose takings are
 * usually near these amounts is banking its takings; measured outside the band, so that
 * structuring done again and again never becomes "usual").
 */

export interface AmountParams {
  band_low: number;
  window_business_days: number;
  repeat_low: number;
  repeat_count: number;
  repeat_wide_count: number;
  repeat_days: number;
  min_above_usual: number;
}

interface Run {
  edges: number[];
  total: number;
  rule: "S1" | "S5";
  words: string;
}

export function nearThreshold(
  g: MoneyGraph,
  account: number,
  side: CashSide,
  cash: readonly number[],
  p: AmountParams,
  T: number,
): StructuringHit[] {
  const amount = g.amountUsd;
  const band = cash.filter((e) => (amount[e] as number) >= p.band_low * T && (amount[e] as number) <= T);
  // Both rules need so many cash transactions in the band (S1 two, S5 `repeat_count` or
  // `repeat_wide_count`): most account-sides have fewer, and are spared the rest.
  if (band.length < Math.min(2, p.repeat_count, p.repeat_wide_count)) return [];
  const s1 = clustered(g, band, p, T);
  const s5 = repeated(g, band, p, T);
  // S5 is reported beside S1 when it sees more than S1's run: the same amounts over a month.
  const runs = [s1, s5 && (!s1 || s5.edges.some((e) => !s1.edges.includes(e))) ? s5 : null];
  const hits: StructuringHit[] = [];
  if (!s1 && !s5) return hits;
  const inBand = new Set(band);
  const others = cash.filter((e) => !inBand.has(e)).map((e) => amount[e] as number);
  others.sort((x, y) => x - y);
  const usual = others.length > 0 ? (others[others.length >> 1] as number) : 0;
  const key = g.accounts[account] as string;
  const what = SIDE_WORDS[side];
  const Tw = T.toLocaleString("en-US");
  for (const run of runs) {
    if (!run) continue;
    const mean = run.total / run.edges.length;
    if (usual > 0 && mean < p.min_above_usual * usual) continue;
    hits.push({
      rule: run.rule,
      subjects: [{ account, role: SIDE_ROLE[side] }],
      edges: run.edges,
      total: run.total,
      reasons: [
        run.rule === "S5"
          ? `${run.edges.length} ${what} ${key} just under ${Tw} USD, together ${usd(run.total)} USD: ${run.words}`
          : `${run.edges.length} ${what} ${key}, each at most ${Tw} USD and at least ${(p.band_low * T).toLocaleString("en-US")}, together ${usd(run.total)} USD, ${run.words}`,
        usual > 0
          ? `they average ${usd(mean)} USD, ${(mean / usual).toFixed(1)} times the account's usual cash transaction (${usd(usual)} USD)`
          : "the account has no other cash transactions",
      ],
      sarActivities: ["114"],
      score: scoreOf(run.rule === "S5" ? 0.65 : 0.55, 0.1, run.edges.length - 2),
    });
  }
  return hits;
}

/** S1: the largest run within W business days whose total is over T. */
function clustered(g: MoneyGraph, band: readonly number[], p: AmountParams, T: number): Run | null {
  const { time, amountUsd: amount } = g;
  let best: Run | null = null;
  let tail = 0;
  let total = 0;
  for (let k = 0; k < band.length; k++) {
    total += amount[band[k] as number] as number;
    const day = businessDay(time[band[k] as number] as number);
    while (
      businessDaysBetween(businessDay(time[band[tail] as number] as number), day) > p.window_business_days
    ) {
      total -= amount[band[tail] as number] as number;
      tail++;
    }
    const n = k - tail + 1;
    if (n >= 2 && total > T && (!best || n > best.edges.length)) {
      best = {
        edges: band.slice(tail, k + 1),
        total,
        rule: "S1",
        words: `within ${p.window_business_days} business day(s) (S1)`,
      };
    }
  }
  return best;
}

/** S5: amounts just under the threshold again and again over a month, or many in the band. */
function repeated(g: MoneyGraph, band: readonly number[], p: AmountParams, T: number): Run | null {
  const { time, amountUsd: amount } = g;
  const near = band.filter((e) => (amount[e] as number) >= p.repeat_low * T && (amount[e] as number) < T);
  // The words only for a run found: formatting a number for its locale costs microseconds, and
  // this is asked of every account's cash side with a transaction in the band.
  const Tw = () => T.toLocaleString("en-US");
  let best: Run | null = null;
  for (const [list, min, words] of [
    [near, p.repeat_count, () => `in [${(p.repeat_low * T).toLocaleString("en-US")}, ${Tw()})`],
    [band, p.repeat_wide_count, () => `in [${(p.band_low * T).toLocaleString("en-US")}, ${Tw()}]`],
  ] as const) {
    const run = longestWithin(time, list, p.repeat_days * 86_400_000);
    if (run.length >= min && (!best || run.length > best.edges.length)) {
      best = {
        edges: run,
        total: run.reduce((s, e) => s + (amount[e] as number), 0),
        rule: "S5",
        words: `${run.length} of them ${words()} within ${p.repeat_days} days (S5)`,
      };
    }
  }
  return best;
}

/** The longest stretch of `edges` (in time order) whose first and last are at most `span` ms apart. */
function longestWithin(time: Float64Array, edges: readonly number[], span: number): number[] {
  let best: [number, number] = [0, 0];
  let tail = 0;
  for (let k = 0; k < edges.length; k++) {
    while ((time[edges[k] as number] as number) - (time[edges[tail] as number] as number) > span) tail++;
    if (k + 1 - tail > best[1] - best[0]) best = [tail, k + 1];
  }
  return edges.slice(best[0], best[1]);
}
