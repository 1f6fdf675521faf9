import { z } from "zod";
import type { MoneyGraph } from "../graph/money-graph.js";

/**
 * Payments due at the start of a month. Rent, dues, tuition and instalments are due on the
 * first days of the month: many payers paying one account alike sums on those days are meeting
 * obligations, not gathering money for someone. A data set of a month or less shows each tenant
 * paying once (a one-off by every test that looks at dealings over time), so the calendar is the
 * evidence left.
 */

/** Whether a time (ms since the epoch, UTC) falls on the first `dueDays` days of its month. */
export function onMonthStart(timeMs: number, dueDays: number): boolean {
  return new Date(timeMs).getUTCDate() <= dueDays;
}

/** The share of the edges paid on the first `dueDays` days of their month (0 for no edges). */
export function monthStartShare(time: Float64Array, edges: readonly number[], dueDays: number): number {
  if (edges.length === 0 || dueDays <= 0) return 0;
  let due = 0;
  for (const e of edges) if (onMonthStart(time[e] as number, dueDays)) due++;
  return due / edges.length;
}

/** A month's payer pays again within this many days (the longest month). */
export const MONTH_DAYS = 31;

/**
 * Whether the data is too short around [from, to] (ms) to show a monthly payer paying again:
 * less than `MONTH_DAYS` of it both before `from` and after `to` (`first` and `last`: the data's
 * first and last transaction times). There a tenant, a member or a client paying once a month
 * deals once, a one-off to every test over time, and only the calendar tells dues apart; where
 * the data is long enough, those tests see the relationship and the calendar need not be asked
 * (a planted motif on the first days of a month is no due).
 */
export function recurrenceUnseen(first: number, last: number, from: number, to: number): boolean {
  const month = MONTH_DAYS * 86_400_000;
  return from - first < month && last - to < month;
}

/** `recurrenceUnseen` over the graph's own data: whether it is too short around [from, to] (ms). */
export function recurrenceUnseenIn(g: MoneyGraph, from: number, to: number): boolean {
  return recurrenceUnseen(g.time[0] as number, g.time[g.edgeCount - 1] as number, from, to);
}

/**
 * Proposal [U]: at least `due_share` of the payments on the first `due_days` days of a month
 * are rent or dues (0 days: no such test). The parameters of every detector that asks it.
 */
export const dueParams = {
  due_days: z.number().int().min(0).max(28).default(5),
  due_share: z.number().gt(0).max(1).default(0.6),
};

/** Whether `edges` are dues by the calendar: at least `due_share` on the first `due_days` days. */
export function paidAsDues(
  time: Float64Array,
  edges: readonly number[],
  p: { due_days: number; due_share: number },
): boolean {
  return p.due_days > 0 && monthStartShare(time, edges, p.due_days) >= p.due_share;
}

/**
 * For the detectors that ask it only where the data is too short to see payers pay again: also
 * the fewest payers (fan-in's least fan, `min_counterparties`); two or three on those days are as
 * likely the pattern beginning there.
 */
export const unseenDueParams = {
  ...dueParams,
  due_payers: z.number().int().min(1).default(5),
};

/**
 * Whether `edges` (payments in, in time order, from `payers` distinct accounts) look like dues
 * the data is too short to see recur: enough payers, mostly on the first days of a month, and
 * less than a month of data both before and after them.
 */
export function unseenDues(
  g: MoneyGraph,
  edges: readonly number[],
  payers: number,
  p: { due_days: number; due_share: number; due_payers: number },
): boolean {
  if (payers < p.due_payers || edges.length === 0) return false;
  const from = g.time[edges[0] as number] as number;
  const to = g.time[edges.at(-1) as number] as number;
  return recurrenceUnseenIn(g, from, to) && paidAsDues(g.time, edges, p);
}
