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
