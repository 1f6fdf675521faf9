import type { MoneyGraph } from "../graph/money-graph.js";
import { Channel } from "../model/channel.js";
import { firstAtOrAfter } from "../util/sorted-times.js";
import { businessDay } from "./business-day.js";
import type { Role } from "./detector.js";
import { usd } from "./motifs.js";

/**
 * Cash seen the way the currency transaction report sees it (31 CFR 1010.313): per account, cash
 * in and cash out apart, summed per business day. AMLworld's files name an account on both sides
 * of every row, so their cash deposits and withdrawals are self-transfers of unknown direction:
 * those are a third side.
 */

export const CASH = Channel.options.indexOf("cash");

export type CashSide = "in" | "out" | "self";
export const CASH_SIDES: readonly CashSide[] = ["in", "out", "self"];

/** The account's role on a side: it receives cash in, pays cash out, or both for all we know. */
export const SIDE_ROLE: Record<CashSide, Role> = { in: "beneficiary", out: "originator", self: "member" };

/** How a side's transactions are named in reasons. */
export const SIDE_WORDS: Record<CashSide, string> = {
  in: "cash deposits into",
  out: "cash withdrawals from",
  self: "cash transactions of",
};

/** The side a cash edge is on (no payer account: in; no payee account: out; one account: self), or null. */
export function sideOf(from: number, to: number): CashSide | null {
  if (from < 0) return to >= 0 ? "in" : null;
  if (to < 0) return "out";
  return from === to ? "self" : null;
}

/** Per side, each account's cash edges in time order: one pass over the graph. */
export function cashBySide(g: MoneyGraph): Record<CashSide, Map<number, number[]>> {
  const sides: Record<CashSide, Map<number, number[]>> = { in: new Map(), out: new Map(), self: new Map() };
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.channel[e] !== CASH) continue;
    const from = g.from[e] as number;
    const to = g.to[e] as number;
    const side = sideOf(from, to);
    if (!side) continue;
    const account = side === "in" ? to : from;
    const byAccount = sides[side];
    const list = byAccount.get(account);
    if (list) list.push(e);
    else byAccount.set(account, [e]);
  }
  return sides;
}

/**
 * `cashBySide` kept to the account-sides that have one of the given (new) edges: what an
 * incremental run needs, read from those accounts' own adjacency lists instead of a pass over
 * every edge, so proportional to the new cash and its accounts. The same lists in the same order
 * as `cashBySide`'s (accounts by their first cash edge on the side, as its pass meets them).
 */
export function cashBySideWith(
  g: MoneyGraph,
  edges: ArrayLike<number>,
): Record<CashSide, Map<number, number[]>> {
  const accounts: Record<CashSide, Set<number>> = { in: new Set(), out: new Set(), self: new Set() };
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i] as number;
    if (g.channel[e] !== CASH) continue;
    const from = g.from[e] as number;
    const to = g.to[e] as number;
    const side = sideOf(from, to);
    if (side) accounts[side].add(side === "in" ? to : from);
  }
  const listed = (side: CashSide, start: Int32Array, list: Int32Array): Map<number, number[]> => {
    const found: [number, number[]][] = [];
    for (const a of accounts[side]) {
      const cash: number[] = [];
      for (let k = start[a] as number; k < (start[a + 1] as number); k++) {
        const e = list[k] as number;
        if (g.channel[e] === CASH && sideOf(g.from[e] as number, g.to[e] as number) === side) cash.push(e);
      }
      found.push([a, cash]);
    }
    return new Map(found.sort((x, y) => (x[1][0] as number) - (y[1][0] as number)));
  };
  return {
    in: listed("in", g.inStart, g.inEdges),
    out: listed("out", g.outStart, g.outEdges),
    self: listed("self", g.outStart, g.outEdges),
  };
}

/** An account's cash on one side per business day (days ascending; 1010.313 aggregation). */
export interface CashDays {
  days: number[];
  totals: number[];
  edges: number[][];
}

export function cashDays(g: MoneyGraph, edges: readonly number[]): CashDays {
  const out: CashDays = { days: [], totals: [], edges: [] };
  for (const e of edges) {
    const day = businessDay(g.time[e] as number);
    // Edges come in time order, and business days never go back with time.
    if (out.days.at(-1) !== day) {
      out.days.push(day);
      out.totals.push(0);
      out.edges.push([]);
    }
    const k = out.days.length - 1;
    out.totals[k] = (out.totals[k] as number) + (g.amountUsd[e] as number);
    (out.edges[k] as number[]).push(e);
  }
  return out;
}

/** The account's usual daily cash outside an episode, and on how many days it is measured. */
export interface UsualDaily {
  /** Business days with cash outside the episode. */
  days: number;
  /** The median of their totals; null when there are fewer than the days asked for. */
  median: number | null;
}

/**
 * The account's usual daily cash: the median of its daily totals on the business days outside
 * [from, to] that have cash. None when it has fewer than `minDays` of them: too little history to
 * call anything usual, so that a pattern repeated a few times never hides itself.
 */
export function usualDaily(days: CashDays, from: number, to: number, minDays: number): UsualDaily {
  const others: number[] = [];
  days.days.forEach((d, k) => {
    if (d < from || d > to) others.push(days.totals[k] as number);
  });
  if (others.length === 0 || others.length < minDays) return { days: others.length, median: null };
  others.sort((x, y) => x - y);
  return { days: others.length, median: others[others.length >> 1] as number };
}

/**
 * `usualDaily` outside one day at a time, for every day of the account (day index k → its
 * usual): sorted once, so that asking it for each deposit stays cheap on long histories.
 */
export function usualDailyOutsideEach(days: CashDays, minDays: number): (k: number) => UsualDaily {
  const sorted = [...days.totals].sort((x, y) => x - y);
  return (k) => {
    const others = sorted.length - 1;
    if (others === 0 || others < minDays) return { days: others, median: null };
    // The median of the totals without one occurrence of day k's (the one at `skip`).
    const skip = firstAtOrAfter(sorted, days.totals[k] as number);
    const j = others >> 1;
    return { days: others, median: sorted[j < skip ? j : j + 1] as number };
  };
}

/** Whether a daily mean stands out from the usual: no usual to compare with, or at least `ratio` times it. */
export function standsOut(mean: number, usual: UsualDaily, ratio: number): boolean {
  return usual.median === null || usual.median <= 0 || mean >= ratio * usual.median;
}

/** The reason that says how a daily mean compares with the account's usual daily cash. */
export function usualDailyReason(mean: number, usual: UsualDaily, what = "a day"): string {
  if (usual.median === null || usual.median <= 0)
    return usual.days === 0
      ? "the account has no other days with cash on this side"
      : `the account has cash on only ${usual.days} other business day(s), too few for a usual daily amount`;
  return `they average ${usd(mean)} USD ${what}, ${(mean / usual.median).toFixed(1)} times the account's usual daily cash (${usd(usual.median)} USD over ${usual.days} other business days)`;
}

// Whole dollars as reasons show them: one formatter for every detector.
export { usd };
