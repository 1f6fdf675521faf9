import type { MoneyGraph } from "../graph/money-graph.js";
import { Channel } from "../model/channel.js";
import { usd } from "./cash-sides.js";
import { DAY_MS, type Subject } from "./detector.js";
import { type StructuringHit, scoreOf } from "./structuring-hit.js";

/**
 * S6 of typologies.md §2: money transfers (channel `msb`) and money orders kept under the $3,000
 * recordkeeping threshold (31 CFR 1010.410(e)/(f), 1010.415): `instrument_count` or more in
 * [instrument_low_usd, instrument_threshold_usd) by one account within `instrument_days` days.
 * A family sending money home every month sends one a month, however close to $3,000; three in
 * a week is splitting. The recipients of money transfers are subjects (beneficiaries); the
 * payee of a money order is its seller, not the person who will cash it, so it is not.
 */

const MSB = Channel.options.indexOf("msb");
const MONEY_ORDER = Channel.options.indexOf("money_order");

export interface InstrumentParams {
  instrument_low_usd: number;
  instrument_threshold_usd: number;
  instrument_count: number;
  instrument_days: number;
}

/**
 * The S6 hits; `added` (an incremental run's new payments) limits them to the senders of new
 * transfers and orders S6 counts, as a hit's payments are all its sender's: their own payments are
 * read from their lists, where a pass over every edge took 75–90 ms of every run on 5M
 * transactions with details.
 */
export function instrumentSplitting(
  g: MoneyGraph,
  p: InstrumentParams,
  added?: ArrayLike<number>,
): StructuringHit[] {
  const counted = (e: number) => {
    const ch = g.channel[e] as number;
    const amount = g.amountUsd[e] as number;
    return (
      (ch === MSB || ch === MONEY_ORDER) &&
      (g.from[e] as number) >= 0 &&
      amount >= p.instrument_low_usd &&
      amount < p.instrument_threshold_usd
    );
  };
  const bySender = new Map<number, number[]>();
  if (added) {
    const senders = new Set<number>();
    for (let i = 0; i < added.length; i++) {
      const e = added[i] as number;
      if (counted(e)) senders.add(g.from[e] as number);
    }
    // Each sender's in edge order (its list's), the senders as a pass over every edge meets them.
    const found: [number, number[]][] = [];
    for (const a of senders) {
      const edges: number[] = [];
      for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++)
        if (counted(g.outEdges[k] as number)) edges.push(g.outEdges[k] as number);
      if (edges.length > 0) found.push([a, edges]);
    }
    found.sort((x, y) => (x[1][0] as number) - (y[1][0] as number));
    for (const [a, edges] of found) bySender.set(a, edges);
  } else
    for (let e = 0; e < g.edgeCount; e++) {
      if (!counted(e)) continue;
      const from = g.from[e] as number;
      const list = bySender.get(from);
      if (list) list.push(e);
      else bySender.set(from, [e]);
    }
  const span = p.instrument_days * DAY_MS;
  const hits: StructuringHit[] = [];
  for (const [sender, edges] of bySender) {
    if (edges.length < p.instrument_count) continue;
    let best: [number, number] = [0, 0];
    let tail = 0;
    for (let k = 0; k < edges.length; k++) {
      while ((g.time[edges[k] as number] as number) - (g.time[edges[tail] as number] as number) > span)
        tail++;
      if (k + 1 - tail > best[1] - best[0]) best = [tail, k + 1];
    }
    const run = edges.slice(best[0], best[1]);
    if (run.length < p.instrument_count) continue;
    const subjects: Subject[] = [{ account: sender, role: "originator" }];
    for (const e of run) {
      const to = g.to[e] as number;
      if (g.channel[e] === MSB && to >= 0 && to !== sender && !subjects.some((s) => s.account === to))
        subjects.push({ account: to, role: "beneficiary" });
    }
    const transfers = run.filter((e) => g.channel[e] === MSB).length;
    const total = run.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
    hits.push({
      rule: "S6",
      subjects,
      edges: run,
      total,
      reasons: [
        `${g.accounts[sender]} bought ${transfers} money transfer(s) and ${run.length - transfers} money order(s) within ${p.instrument_days} days, each from ${usd(p.instrument_low_usd)} to under ${usd(p.instrument_threshold_usd)} USD, together ${usd(total)} USD (S6)`,
        `records must be kept of funds transfers and monetary instruments of ${usd(p.instrument_threshold_usd)} USD or more (31 CFR 1010.410(e), 1010.415)`,
      ],
      // 113: transaction(s) below the BSA recordkeeping threshold (typologies.md §5).
      sarActivities: ["113"],
      score: scoreOf(0.55, 0.1, run.length - p.instrument_count),
    });
  }
  return hits;
}
