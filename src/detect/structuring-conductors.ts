import type { MoneyGraph } from "../graph/money-graph.js";
import { businessDay } from "./business-day.js";
import {
  CASH,
  cashDays,
  sideOf,
  standsOut,
  usd,
  usualDaily,
  usualDailyOutsideEach,
  usualDailyReason,
} from "./cash-sides.js";
import { DAY_MS, type Subject } from "./detector.js";
import { type StructuringHit, scoreOf } from "./structuring-hit.js";
import { conductorAccountOf, type TransactionDetails } from "./transaction-details.js";

/**
 * S3 and S4 of typologies.md §2: cash deposits and the people who made them (the conductor, as the
 * deposit slip names them), within `conductor_days` days, each at most T, together more than T:
 * - S3, smurfing: `min_conductors` or more distinct conductors deposit into one account;
 * - S4, conductor fan-out: one conductor deposits into `min_accounts` or more distinct accounts.
 * Conductors are told apart by the name or record id the data gives (no entity resolution yet).
 * Against ordinary life: the deposits must stand out from the receiving account's usual daily
 * cash deposits (as S7): a shop whose staff take turns banking the takings, or a cash-in-transit
 * courier banking a client's takings, bring what the account usually gets. The conductors are
 * named in the reasons, not as subjects: their own accounts take no part in the deposits.
 */

export interface ConductorParams {
  conductor_days: number;
  min_conductors: number;
  min_accounts: number;
  min_above_usual: number;
  usual_min_days: number;
}

/** S3: deposits into one account (its cash deposits, in time order) by several conductors. */
export function smurfing(
  g: MoneyGraph,
  details: TransactionDetails,
  account: number,
  deposits: readonly number[],
  p: ConductorParams,
  T: number,
): StructuringHit | null {
  const conductor = details.conductor;
  const edges = deposits.filter((e) => (conductor[e] as number) >= 0 && (g.amountUsd[e] as number) <= T);
  const w = bestWindow(
    g,
    edges,
    p.conductor_days * DAY_MS,
    (e) => conductor[e] as number,
    p.min_conductors,
    T,
  );
  if (!w) return null;
  const days = cashDays(g, deposits);
  const from = businessDay(g.time[w.edges[0] as number] as number);
  const to = businessDay(g.time[w.edges.at(-1) as number] as number);
  const active = new Set(w.edges.map((e) => businessDay(g.time[e] as number))).size;
  const usual = usualDaily(days, from, to, p.usual_min_days);
  const mean = w.total / active;
  if (!standsOut(mean, usual, p.min_above_usual)) return null;
  const who = [...new Set(w.edges.map((e) => details.strings[conductor[e] as number] as string))];
  return {
    rule: "S3",
    subjects: [{ account, role: "beneficiary" }],
    edges: w.edges,
    total: w.total,
    reasons: [
      `${who.length} different people made ${w.edges.length} cash deposits into ${g.accounts[account]} within ${p.conductor_days} days (${who.join(", ")}), each at most ${usd(T)} USD, together ${usd(w.total)} USD (S3, smurfing)`,
      usualDailyReason(mean, usual, "a day"),
    ],
    // 911: two or more individuals working together (typologies.md §5).
    sarActivities: ["114", "911"],
    score: scoreOf(0.6, 0.05, who.length - p.min_conductors),
  };
}

/**
 * Every cash deposit (new or old) by a conductor of one of the given deposits: on an incremental
 * run, what S4 groups, as a conductor's hit with a new deposit holds only deposits of theirs.
 * One pass over the conductor column, without the deposits' accounts' lists.
 */
export function depositsOfConductors(
  g: MoneyGraph,
  details: TransactionDetails,
  edges: Iterable<number>,
): number[] {
  const { conductor } = details;
  const wanted = new Uint8Array(details.strings.length);
  let any = false;
  for (const e of edges) {
    const c = conductor[e] as number;
    if (c >= 0 && g.channel[e] === CASH && sideOf(g.from[e] as number, g.to[e] as number) === "in") {
      wanted[c] = 1;
      any = true;
    }
  }
  const found: number[] = [];
  if (!any) return found;
  for (let e = 0; e < conductor.length; e++) {
    const c = conductor[e] as number;
    if (c >= 0 && wanted[c] === 1) found.push(e);
  }
  return found;
}

/**
 * S4: per conductor, deposits into several accounts. `deposits` are every account's cash
 * deposits, in time order each.
 */
export function conductorFanOut(
  g: MoneyGraph,
  details: TransactionDetails,
  deposits: ReadonlyMap<number, readonly number[]>,
  p: ConductorParams,
  T: number,
): StructuringHit[] {
  const conductor = details.conductor;
  // A deposit counts when it stands out from what its account usually gets on a day.
  const byConductor = new Map<number, number[]>();
  for (const edges of deposits.values()) {
    const mine = edges.filter((e) => (conductor[e] as number) >= 0 && (g.amountUsd[e] as number) <= T);
    if (mine.length === 0) continue;
    const days = cashDays(g, edges);
    const usualOutside = usualDailyOutsideEach(days, p.usual_min_days);
    const dayIndex = new Map(days.days.map((d, k) => [d, k]));
    for (const e of mine) {
      const k = dayIndex.get(businessDay(g.time[e] as number)) as number;
      if (!standsOut(days.totals[k] as number, usualOutside(k), p.min_above_usual)) continue;
      const c = conductor[e] as number;
      const list = byConductor.get(c);
      if (list) list.push(e);
      else byConductor.set(c, [e]);
    }
  }
  const hits: StructuringHit[] = [];
  for (const [c, list] of byConductor) {
    list.sort((a, b) => a - b);
    const w = bestWindow(g, list, p.conductor_days * DAY_MS, (e) => g.to[e] as number, p.min_accounts, T);
    if (!w) continue;
    const subjects: Subject[] = [];
    for (const e of w.edges) {
      const account = g.to[e] as number;
      if (!subjects.some((s) => s.account === account)) subjects.push({ account, role: "beneficiary" });
    }
    const name = details.strings[c] as string;
    const linked = conductorAccountOf(details, w.edges[0] as number);
    hits.push({
      rule: "S4",
      subjects,
      edges: w.edges,
      total: w.total,
      reasons: [
        `one person (${name}${linked >= 0 ? `, holder of ${g.accounts[linked]}` : ""}) made ${w.edges.length} cash deposits into ${subjects.length} different accounts within ${p.conductor_days} days (${subjects.map((s) => g.accounts[s.account]).join(", ")}), each at most ${usd(T)} USD, together ${usd(w.total)} USD (S4, conductor fan-out)`,
        "each deposit stands out from what its account usually gets in cash on a day",
      ],
      sarActivities: ["114", "911"],
      score: scoreOf(0.6, 0.05, subjects.length - p.min_accounts),
    });
  }
  return hits;
}

/**
 * The window of at most `span` ms over `edges` (in time order) with the most distinct keys (at
 * least `min`) and a total over T; the larger total breaks ties.
 */
function bestWindow(
  g: MoneyGraph,
  edges: readonly number[],
  span: number,
  keyOf: (e: number) => number,
  min: number,
  T: number,
): { edges: number[]; total: number; keys: number } | null {
  const counts = new Map<number, number>();
  let best: { edges: number[]; total: number; keys: number } | null = null;
  let tail = 0;
  let total = 0;
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k] as number;
    total += g.amountUsd[e] as number;
    counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
    while ((g.time[e] as number) - (g.time[edges[tail] as number] as number) > span) {
      const old = edges[tail] as number;
      total -= g.amountUsd[old] as number;
      const n = (counts.get(keyOf(old)) as number) - 1;
      if (n === 0) counts.delete(keyOf(old));
      else counts.set(keyOf(old), n);
      tail++;
    }
    const keys = counts.size;
    if (keys >= min && total > T && (!best || keys > best.keys || (keys === best.keys && total > best.total)))
      best = { edges: edges.slice(tail, k + 1), total, keys };
  }
  return best;
}
