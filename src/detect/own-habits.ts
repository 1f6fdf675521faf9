import { z } from "zod";
import type { MoneyGraph } from "../graph/money-graph.js";
import { activeTime } from "./active-time.js";
import { DAY_MS } from "./detector.js";

/** The median of some amounts (of an even count, the mean of the two middle ones). */
export function medianOf(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * An account's usual payment one way (`"out"`: what it pays, `"in"`: what it receives): the
 * median amount of its payments that way other than those `skip` names, or null when it has
 * none besides. What a pattern's payment is measured against to see whether it stands out.
 */
export function usualPayment(
  g: MoneyGraph,
  a: number,
  way: "out" | "in",
  skip: (e: number) => boolean,
): number | null {
  const [start, list] = way === "out" ? [g.outStart, g.outEdges] : [g.inStart, g.inEdges];
  const others: number[] = [];
  for (let k = start[a] as number; k < (start[a + 1] as number); k++) {
    const e = list[k] as number;
    if (!skip(e)) others.push(g.amountUsd[e] as number);
  }
  return others.length === 0 ? null : medianOf(others);
}

/**
 * How many of a pattern's members (each the counterparty, `counterparty(e)`, of one or more of
 * its payments `edges`, all one way) paid at least `ratio` times the median of their other
 * payments that way (senders: their payments out; recipients: their receipts), or made no
 * other: whose payment stands out from its own habits.
 */
export function membersStandingOut(
  g: MoneyGraph,
  edges: readonly number[],
  counterparty: (e: number) => number,
  ratio: number,
): number {
  // Each member's own payments in the pattern.
  const ownOf = new Map<number, number[]>();
  for (const e of edges) {
    const c = counterparty(e);
    const own = ownOf.get(c);
    if (own) own.push(e);
    else ownOf.set(c, [e]);
  }
  // Senders' usual is what they pay; recipients', what they receive.
  const way = g.from[edges[0] as number] === counterparty(edges[0] as number) ? "out" : "in";
  let count = 0;
  for (const [c, own] of ownOf) {
    const usual = usualPayment(g, c, way, (e) => own.includes(e));
    if (usual === null || own.some((e) => (g.amountUsd[e] as number) >= ratio * usual)) count++;
  }
  return count;
}

/**
 * The parameters of the test on short history (fans, gather-scatter): a pattern whose hub was seen
 * fewer than `short_history_days` besides the pattern's own has no usual to burst against
 * (AMLworld's HI-Small spans 18 days), so at least `standout_share` of its members (0: no such
 * test) must have paid at least `standout_ratio` times the median of their other payments, or
 * made none besides. A business's customers pay it what they pay others; a mule's payment is not
 * its everyday. Proposals [U].
 */
export const shortHistoryParams = {
  short_history_days: z.number().min(0).default(20),
  standout_ratio: z.number().min(1).default(10),
  standout_share: z.number().min(0).max(1).default(0.4),
};

type ShortHistoryParams = { short_history_days: number; standout_ratio: number; standout_share: number };

/** On short history, the time the hub was seen besides the pattern and its members standing out. */
export interface ShortHistory {
  history: number;
  standingOut: number;
  members: number;
}

/**
 * The short-history test of a pattern about `hub` over `span`, its members paying (or paid by) it
 * in `edges`: "long" when the hub was seen `short_history_days` besides (the burst test has its
 * usual) or the test is off, what the reason cites when short and enough members stand out, or
 * null when too few do.
 */
export function shortHistory(
  g: MoneyGraph,
  hub: number,
  span: { from: number; to: number },
  edges: readonly number[],
  counterparty: (e: number) => number,
  p: ShortHistoryParams,
): ShortHistory | "long" | null {
  const history = activeTime(g, hub) - (span.to - span.from);
  if (p.standout_share <= 0 || history >= p.short_history_days * DAY_MS) return "long";
  const members = new Set(edges.map(counterparty)).size;
  const standingOut = membersStandingOut(g, edges, counterparty, p.standout_ratio);
  return standingOut >= p.standout_share * members ? { history, standingOut, members } : null;
}

/**
 * The reason a pattern (`pattern`: "the fan") on short history gives: `who` names its members and
 * what they did, `usual` what of theirs it is measured against.
 */
export function shortHistoryReason(
  key: string,
  s: ShortHistory,
  p: ShortHistoryParams,
  pattern: string,
  who: string,
  usual: string,
): string {
  return `${key} was seen only ${(s.history / DAY_MS).toFixed(1)} day(s) besides ${pattern}, too few to know its usual (short_history_days ${p.short_history_days}): ${s.standingOut} of the ${s.members} ${who} at least ${p.standout_ratio} times the median of their other ${usual}, or had none`;
}
