import { seekTime } from "../../graph/graph-view.js";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";

/**
 * Small helpers shared by the human-trafficking (ht-*) and human-smuggling (hs-*) detectors: the
 * channel indices they test, amounts in words, and searches in an account's time-ordered edges.
 */

export const CH = {
  cash: Channel.options.indexOf("cash"),
  ach: Channel.options.indexOf("ach"),
  wire: Channel.options.indexOf("wire"),
  check: Channel.options.indexOf("check"),
  card: Channel.options.indexOf("card"),
  p2p: Channel.options.indexOf("p2p"),
  msb: Channel.options.indexOf("msb"),
  internal: Channel.options.indexOf("internal"),
} as const;

/** A bit set of channel indices, for `mask & (1 << channel)` tests in hot loops. */
export function channelMask(channels: readonly Channel[]): number {
  return channels.reduce((m, c) => m | (1 << Channel.options.indexOf(c)), 0);
}

/**
 * A worker makes a handful of payments in two days; an account making more than this many is a
 * business passing money on (a payroll processor funded by an employer). The wage detectors skip
 * such accounts rather than scan them for every credit.
 */
export const MAX_PAYMENTS_SCANNED = 100;

/** USD in words: whole dollars with thousands separators. */
export { usd } from "../motifs.js";

/** Days between two times, to one decimal. */
export const daysBetween = (from: number, to: number): string => ((to - from) / 86_400_000).toFixed(1);

/** The account's edges in one list (its payments or its receipts) within [from, to], in time order. */
export function edgesBetween(
  g: MoneyGraph,
  account: number,
  side: "in" | "out",
  from: number,
  to: number,
): number[] {
  const start = side === "in" ? g.inStart : g.outStart;
  const list = side === "in" ? g.inEdges : g.outEdges;
  const hi = start[account + 1] as number;
  const out: number[] = [];
  for (let k = seekTime(g, list, start[account] as number, hi, from); k < hi; k++) {
    const e = list[k] as number;
    if ((g.time[e] as number) > to) break;
    out.push(e);
  }
  return out;
}
