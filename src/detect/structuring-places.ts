import type { MoneyGraph } from "../graph/money-graph.js";
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
import type { TransactionDetails } from "./transaction-details.js";

/**
 * S2 of typologies.md §2, multi-branch the same business day: one account's cash (one side) at two
 * or more distinct branches or cities on one business day, each transaction at most T, together
 * more than T; or at `places_many` or more locations, together at least `places_low` T. The
 * bank aggregates across all its branches (31 CFR 1010.313(a)), which is what splitting between
 * them hopes it will not. A day with a transaction over T is reported anyway and does not count.
 * Locations are branches where the data names them, else cities (the larger of the two counts).
 * Against ordinary life: the day must stand out from the account's usual daily cash (as S7), so
 * that a business banking its shops' takings at their branches every day stays quiet; a
 * travelling salesperson's cash in several cities does not reach T in a day.
 */

export interface PlacesParams {
  places_low: number;
  places_many: number;
  min_above_usual: number;
  usual_min_days: number;
}

export function multiPlace(
  g: MoneyGraph,
  details: TransactionDetails,
  useBranch: boolean,
  useCity: boolean,
  account: number,
  side: CashSide,
  days: CashDays,
  p: PlacesParams,
  T: number,
): StructuringHit | null {
  let best: { k: number; places: number; branches: number; cities: number } | null = null;
  for (let k = 0; k < days.days.length; k++) {
    const edges = days.edges[k] as number[];
    const total = days.totals[k] as number;
    if (edges.length < 2 || edges.some((e) => (g.amountUsd[e] as number) > T)) continue;
    const branches = useBranch ? distinct(details.branch, edges) : 0;
    const cities = useCity ? distinct(details.city, edges) : 0;
    const places = Math.max(branches, cities);
    const fires = (places >= 2 && total > T) || (places >= p.places_many && total >= p.places_low * T);
    if (!fires) continue;
    if (!best || places > best.places || (places === best.places && total > (days.totals[best.k] as number)))
      best = { k, places, branches, cities };
  }
  if (!best) return null;
  const day = days.days[best.k] as number;
  const total = days.totals[best.k] as number;
  const usual = usualDaily(days, day, day, p.usual_min_days);
  if (!standsOut(total, usual, p.min_above_usual)) return null;
  const edges = days.edges[best.k] as number[];
  const where = [
    best.branches > 0 ? `${best.branches} branch(es)` : "",
    best.cities > 0 ? `${best.cities} cit${best.cities === 1 ? "y" : "ies"}` : "",
  ]
    .filter((x) => x)
    .join(" in ");
  const Tw = usd(T);
  return {
    rule: "S2",
    subjects: [{ account, role: SIDE_ROLE[side] }],
    edges,
    total,
    reasons: [
      `${edges.length} ${SIDE_WORDS[side]} ${g.accounts[account]} on one business day at ${where} (${names(details, edges, best.branches >= best.cities ? details.branch : details.city)}), each at most ${Tw} USD, together ${usd(total)} USD${total > T ? `, more than ${Tw}` : `, at least ${usd(p.places_low * T)} at ${best.places} locations`} (S2)`,
      usualDailyReason(total, usual, "that day"),
    ],
    // 910: suspicious use of multiple locations (typologies.md §5).
    sarActivities: ["114", "910"],
    score: scoreOf(0.6, 0.1, best.places - 2),
  };
}

function distinct(column: Int32Array, edges: readonly number[]): number {
  const seen = new Set<number>();
  for (const e of edges) if ((column[e] as number) >= 0) seen.add(column[e] as number);
  return seen.size;
}

function names(details: TransactionDetails, edges: readonly number[], column: Int32Array): string {
  const seen = new Set<string>();
  for (const e of edges)
    if ((column[e] as number) >= 0) seen.add(details.strings[column[e] as number] as string);
  return [...seen].join(", ");
}
