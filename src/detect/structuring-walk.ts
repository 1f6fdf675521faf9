import type { MoneyGraph } from "../graph/money-graph.js";
import { businessDay, businessDaysBetween } from "./business-day.js";
import {
  type CashDays,
  type CashSide,
  SIDE_ROLE,
  SIDE_WORDS,
  standsOut,
  usd,
  usualDaily,
  usualDailyReason,
} from "./cash-sides.js";
import { type StructuringHit, scoreOf } from "./structuring-hit.js";

/**
 * S7 of typologies.md §2, cross-day "walking": an account's daily cash totals (one side, per
 * business day) each in [walk_low T, T] on at least `walk_days` of `walk_span` consecutive
 * business days, together more than `walk_total` T. No day of the stretch may be over T: an
 * account whose cash crosses the threshold that week is reported anyway, not kept under it.
 * Against ordinary life: the stretch's mean daily cash must stand out from the account's usual
 * daily cash outside it (`min_above_usual` times its median over at least `usual_min_days`
 * business days with cash): a shop banking its takings every day walks like this all year.
 * A short data set (AMLworld's smaller files cover about 18 days) has fewer than
 * `usual_min_days` business days outside any stretch: there the usual is measured on what the data
 * can show, at least half of the business days it holds outside the stretch (and never fewer than
 * `SHORT_HISTORY_MIN_DAYS`), so that a shop seen banking on every one of its 13 business days is
 * still a shop. A walk repeated over most of a short data set is then its usual, and hides: the
 * price of not reporting every cash business in a month of data.
 */

/** The fewest business days with cash that make a usual daily amount in a short data set. */
export const SHORT_HISTORY_MIN_DAYS = 3;

/** The business days with cash a usual needs: `usual_min_days`, fewer only where the data is short. */
export function usualDaysNeeded(
  usualMinDays: number,
  observedBusinessDays: number,
  stretchDays: number,
): number {
  const outside = observedBusinessDays - stretchDays;
  return Math.min(usualMinDays, Math.max(SHORT_HISTORY_MIN_DAYS, Math.floor(outside / 2)));
}

/** The business days the graph's data covers, first to last transaction (0 for no transactions). */
export function observedBusinessDays(g: MoneyGraph): number {
  if (g.edgeCount === 0) return 0;
  const first = businessDay(g.time[0] as number);
  const last = businessDay(g.time[g.edgeCount - 1] as number);
  return businessDaysBetween(first, last) + 1;
}

export interface WalkParams {
  walk_low: number;
  walk_days: number;
  walk_span_business_days: number;
  walk_total: number;
  min_above_usual: number;
  usual_min_days: number;
}

export function walk(
  g: MoneyGraph,
  account: number,
  side: CashSide,
  days: CashDays,
  p: WalkParams,
  T: number,
  /** The business days the data covers (`observedBusinessDays`); none: as long as need be. */
  observed = Number.POSITIVE_INFINITY,
): StructuringHit | null {
  const low = p.walk_low * T;
  let best: { from: number; to: number; inBand: number[]; total: number } | null = null;
  for (let i = 0; i < days.days.length; i++) {
    const first = days.days[i] as number;
    const inBand: number[] = [];
    let total = 0;
    let over = false;
    let j = i;
    for (; j < days.days.length; j++) {
      if (businessDaysBetween(first, days.days[j] as number) >= p.walk_span_business_days) break;
      const t = days.totals[j] as number;
      if (t > T) over = true;
      else if (t >= low) {
        inBand.push(j);
        total += t;
      }
    }
    if (over || inBand.length < p.walk_days || total <= p.walk_total * T) continue;
    if (
      !best ||
      inBand.length > best.inBand.length ||
      (inBand.length === best.inBand.length && total > best.total)
    )
      best = { from: first, to: days.days[j - 1] as number, inBand, total };
  }
  if (!best) return null;
  const mean = best.total / best.inBand.length;
  const stretch = businessDaysBetween(best.from, best.to) + 1;
  const usual = usualDaily(days, best.from, best.to, usualDaysNeeded(p.usual_min_days, observed, stretch));
  if (!standsOut(mean, usual, p.min_above_usual)) return null;
  const edges = best.inBand.flatMap((k) => days.edges[k] as number[]);
  const key = g.accounts[account] as string;
  return {
    rule: "S7",
    subjects: [{ account, role: SIDE_ROLE[side] }],
    edges,
    total: best.total,
    reasons: [
      `${SIDE_WORDS[side]} ${key} of ${usd(low)} to ${usd(T)} USD a day on ${best.inBand.length} of ${p.walk_span_business_days} consecutive business days, together ${usd(best.total)} USD, more than ${usd(p.walk_total * T)} (S7)`,
      usualDailyReason(mean, usual),
    ],
    sarActivities: ["114"],
    score: scoreOf(0.55, 0.1, best.inBand.length - p.walk_days),
  };
}
