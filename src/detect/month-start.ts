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
