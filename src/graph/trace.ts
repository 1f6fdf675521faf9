import type { TraceMethod } from "./allocation.js";
import { debitCompositions, type Part } from "./composition.js";
import { type Flow, FlowBook, MAX_HOPS } from "./flow-book.js";
import { CENT, EPSILON, type ForwardScratch, ForwardWalk, forwardScratch } from "./forward-walk.js";
import { seekTime } from "./graph-view.js";
import { firstAfter, type MoneyGraph } from "./money-graph.js";
import { withScratch } from "./scratch.js";

export { type Flow, MAX_HOPS };

/**
 * Follow-the-money, forward: from a transaction (its amount, where it arrived) or from an account
 * (everything it paid out), through every account the traced money reaches, hop by hop, with
 * each account's running balance deciding how much of each payment carries traced money (the
 * allocation method). Edges are visited once, in time order, so no flow ever goes back in time;
 * an account joins the trace when traced money first reaches it, its balance rebuilt from the
 * start of the window. Pure: a graph in, a result of edge indices and amounts out. (The walk
 * itself is in forward-walk.ts.)
 */

export type TraceOrigin = { account: number } | { transaction: number };

export interface TraceOptions {
  method: TraceMethod;
  /** Flows of hop `hops` are the last followed: money that arrives there stays with its holder. */
  hops: number;
  /** Window, milliseconds since the epoch (both ends included); the whole graph when absent. */
  from?: number;
  to?: number;
  /**
   * The materiality threshold: a traced amount smaller than this (USD) is not followed further but
   * counted as `below-threshold`, as an accountant stops at immaterial sums. 0 follows every cent.
   */
  minFlowUsd?: number;
  /** The same threshold as a share of the amount traced (0.0001 is one part in ten thousand). */
  minFlowShare?: number;
}

export interface TraceResult {
  method: TraceMethod;
  tracedUsd: number;
  /** The materiality threshold applied, in USD (0: every amount followed). */
  minFlowUsd: number;
  flows: Flow[];
  /** Accounts holding traced money at the end of the window (amounts above a cent). */
  holders: { account: number; amountUsd: number }[];
  /**
   * Forward: traced money that left as cash. Backward: money that came in as cash, and money
   * from before the window (an unknown opening balance; its edges are the payments it funded).
   */
  dissipated: {
    kind: "cash-out" | "cash-in" | "opening-balance" | "below-threshold";
    amountUsd: number;
    edges: number[];
  }[];
  notes: string[];
}

/**
 * The materiality threshold the CLI applies unless told otherwise: one part in ten thousand of
 * what is traced. From a hub, exhaustive tracing follows fractions of a cent to most of the graph.
 */
export const DEFAULT_MIN_FLOW_SHARE = 0.0001;

/** Traced money not followed because each piece was under the materiality threshold. */
export class BelowThreshold {
  amountUsd = 0;
  private readonly edges = new Set<number>();

  constructor(readonly minFlowUsd: number) {}

  add(edge: number, amount: number): void {
    this.amountUsd += amount;
    this.edges.add(edge);
  }

  dissipated(): TraceResult["dissipated"] {
    return this.edges.size > 0
      ? [{ kind: "below-threshold", amountUsd: this.amountUsd, edges: [...this.edges] }]
      : [];
  }

  notes(): string[] {
    return this.edges.size > 0
      ? [
          `traced amounts under ${this.minFlowUsd.toFixed(2)} USD are not followed (the materiality threshold): ${this.amountUsd.toFixed(2)} USD in ${this.edges.size} payment(s) is listed as below-threshold`,
        ]
      : [];
  }
}

/**
 * The window as a range of edges, [first, end): edges are in time order, so testing an edge
 * against it reads no time (on a trace, each read of a time far from the last is a cache miss).
 */
function windowOf(g: MoneyGraph, options: TraceOptions): { first: number; end: number } {
  const first = seekTime(g, null, 0, g.edgeCount, options.from ?? Number.NEGATIVE_INFINITY);
  const end = seekTime(g, null, first, g.edgeCount, options.to ?? Number.POSITIVE_INFINITY, true);
  return { first, end };
}

/** The threshold in USD: the larger of the absolute one and the share of what is traced. */
function materiality(options: TraceOptions, tracedUsd: number): BelowThreshold {
  return new BelowThreshold(Math.max(options.minFlowUsd ?? 0, (options.minFlowShare ?? 0) * tracedUsd));
}

/** Accounts and the traced money each holds, above a cent, largest first. */
function holdersOf(amounts: Map<number, number>): TraceResult["holders"] {
  return [...amounts]
    .filter(([, amount]) => amount >= CENT)
    .map(([account, amountUsd]) => ({ account, amountUsd }))
    .sort((x, y) => y.amountUsd - x.amountUsd || x.account - y.account);
}

export function traceForward(g: MoneyGraph, origin: TraceOrigin, options: TraceOptions): TraceResult {
  return withScratch(g, "trace-forward", forwardScratch, (scratch) => forward(g, origin, options, scratch));
}

function forward(
  g: MoneyGraph,
  origin: TraceOrigin,
  options: TraceOptions,
  scratch: ForwardScratch,
): TraceResult {
  const { first, end } = windowOf(g, options);
  // Seeds: edges whose whole amount is traced at hop 1: the transaction, or the account's
  // payments in the window (a run of its out-list, already in time order).
  let originAccount = -1;
  let seeds: Int32Array;
  if ("transaction" in origin) seeds = Int32Array.of(origin.transaction);
  else {
    originAccount = origin.account;
    const lo = firstAfter(
      g.outEdges,
      g.outStart[originAccount] as number,
      g.outStart[originAccount + 1] as number,
      first - 1,
    );
    const hi = firstAfter(g.outEdges, lo, g.outStart[originAccount + 1] as number, end - 1);
    seeds = g.outEdges.subarray(lo, hi);
  }
  const originTransaction = "transaction" in origin ? origin.transaction : -1;
  let tracedUsd = 0;
  for (const e of seeds) tracedUsd += g.amountUsd[e] as number;
  const below = materiality(options, tracedUsd);
  const walk = new ForwardWalk(g, options, scratch, first, end, originAccount, originTransaction, below);
  walk.run(seeds);
  const { holders, unfunded } = walk.finish();
  const { flows, cashOut, reachedLastHop, unfollowedSeeds } = walk;
  const notes = [
    "opening balances before the window are unknown and taken as zero",
    "at the same instant, credits are applied before debits",
  ];
  if (unfunded > 0) {
    notes.push(
      `${unfunded} account(s) paid out more than they received in the window (while the trace followed them); the excess is taken as untraced money from before it`,
    );
  }
  if (reachedLastHop)
    notes.push(
      `money reaching hop ${options.hops} is not followed further: it stays with the account it reached`,
    );
  notes.push(...below.notes());
  if (unfollowedSeeds > 0)
    notes.push(
      `${unfollowedSeeds} traced payment(s) under the materiality threshold are shown at hop 1 and not followed further`,
    );
  return {
    method: options.method,
    tracedUsd,
    minFlowUsd: below.minFlowUsd,
    flows: flows.list(),
    holders,
    dissipated: [
      ...(cashOut.edges.length > 0 ? [{ kind: "cash-out" as const, ...cashOut }] : []),
      ...below.dissipated(),
    ],
    notes,
  };
}

/** Work items a backward trace may expand before it stops and says so. */
const BACKWARD_LIMIT = 200_000;

/**
 * Follow-the-money, backward: which receipts paid for a transaction (or for everything an account
 * received), and which receipts paid for those, hop by hop, each payment's make-up decided by the
 * allocation method over the payer's running balance. Every step goes to an earlier credit, so
 * the trace moves back in time and ends. `holders` are the accounts the money is found at when
 * the hops run out; cash deposits and money from before the window are listed apart.
 */
export function traceBackward(
  g: MoneyGraph,
  origin: TraceOrigin,
  options: TraceOptions & { method: Exclude<TraceMethod, "libr"> },
): TraceResult {
  const { first, end } = windowOf(g, options);
  const inWindow = (e: number) => e >= first && e < end;
  const flows = new FlowBook(false);
  const sources = new Map<number, number>();
  const cashIn = { amountUsd: 0, edges: [] as number[] };
  const opening = { amountUsd: 0, edges: [] as number[] };
  const compositions = new Map<number, Map<number, Part[]>>();
  const work: { account: number; edge: number; amount: number; hop: number }[] = [];
  /** Money paid by edge `e` at hop `hop`: where it came from next. */
  const reach = (e: number, amount: number, hop: number) => {
    const payer = g.from[e] as number;
    flows.add(hop, payer, g.to[e] as number, e, amount);
    if (payer < 0) {
      cashIn.amountUsd += amount;
      cashIn.edges.push(e);
    } else if (hop >= options.hops) sources.set(payer, (sources.get(payer) ?? 0) + amount);
    else work.push({ account: payer, edge: e, amount, hop });
  };

  let tracedUsd = 0;
  if ("transaction" in origin) {
    tracedUsd = g.amountUsd[origin.transaction] as number;
    reach(origin.transaction, tracedUsd, 1);
  } else {
    const a = origin.account;
    for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++) {
      const e = g.inEdges[k] as number;
      if (!inWindow(e)) continue;
      tracedUsd += g.amountUsd[e] as number;
      reach(e, g.amountUsd[e] as number, 1);
    }
  }
  const below = materiality(options, tracedUsd);
  let next = 0;
  while (next < work.length && next < BACKWARD_LIMIT) {
    const { account, edge, amount, hop } = work[next++] as (typeof work)[number];
    let byDebit = compositions.get(account);
    if (!byDebit) {
      byDebit = debitCompositions(g, account, options.method, inWindow);
      compositions.set(account, byDebit);
    }
    const scale = amount / (g.amountUsd[edge] as number);
    for (const part of byDebit.get(edge) ?? [{ edge: -1, amount: g.amountUsd[edge] as number }]) {
      const share = part.amount * scale;
      if (share < EPSILON) continue;
      if (part.edge < 0) {
        opening.amountUsd += share;
        if (!opening.edges.includes(edge)) opening.edges.push(edge);
      } else if (share < below.minFlowUsd) below.add(part.edge, share);
      else reach(part.edge, share, hop + 1);
    }
  }
  // Unexpanded work (the limit was reached) stays where it was found.
  const left = work.slice(next);
  for (const w of left) sources.set(w.account, (sources.get(w.account) ?? 0) + w.amount);

  const notes = [
    "opening balances before the window are unknown and taken as zero: what they paid is listed as opening-balance",
    "at the same instant, credits are applied before debits",
  ];
  if (left.length > 0)
    notes.push(
      `stopped after expanding ${BACKWARD_LIMIT} payments: the rest stays with the accounts reached`,
    );
  const flowList = flows.list();
  if (flowList.some((f) => f.hop === options.hops)) {
    notes.push(
      `money traced back ${options.hops} hops is not followed further: it is shown with the account it came from`,
    );
  }
  notes.push(...below.notes());
  return {
    method: options.method,
    tracedUsd,
    minFlowUsd: below.minFlowUsd,
    flows: flowList,
    holders: holdersOf(sources),
    dissipated: [
      ...(cashIn.edges.length > 0 ? [{ kind: "cash-in" as const, ...cashIn }] : []),
      ...(opening.amountUsd >= CENT ? [{ kind: "opening-balance" as const, ...opening }] : []),
      ...below.dissipated(),
    ],
    notes,
  };
}
