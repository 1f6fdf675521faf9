import { type AccountBalance, newBalance, type TraceMethod } from "./allocation.js";
import { debitCompositions, type Part } from "./composition.js";
import { EdgeQueue } from "./edge-queue.js";
import { forEachLedgerEntry, type MoneyGraph } from "./money-graph.js";

/**
 * Follow-the-money, forward: from a transaction (its amount, where it arrived) or from an account
 * (everything it paid out), through every account the traced money reaches, hop by hop, with
 * each account's running balance deciding how much of each payment carries traced money (the
 * allocation method). Edges are visited once, in time order, so no flow ever goes back in time;
 * an account joins the trace when traced money first reaches it, its balance rebuilt from the
 * start of the window. Pure: a graph in, a result of edge indices and amounts out.
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

export interface Flow {
  hop: number;
  from: number;
  to: number;
  amountUsd: number;
  edges: number[];
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

/** Amounts under a cent are rounding, not traced money. */
const CENT = 0.01;
const EPSILON = 1e-6;
/** Hops a trace can follow (a bound for flow keys; the CLI allows far fewer). */
export const MAX_HOPS = 64;
/**
 * The materiality threshold the CLI applies unless told otherwise: one part in ten thousand of
 * what is traced. From a hub, exhaustive tracing follows fractions of a cent to most of the graph.
 */
export const DEFAULT_MIN_FLOW_SHARE = 0.0001;

interface Active {
  depth: number;
  balance: AccountBalance;
  /** Its two runs in the edge queue while it is followed. */
  runs: [number, number];
  /** While paused (it holds no traced money), the last edge applied to its balance; else -1. */
  pausedAt: number;
}

/**
 * Traced amounts per hop and pair of accounts, with the edges that carried them (each edge once
 * per flow, however many paths reached it): the flows of a trace, forward or backward. Keys are
 * numbers, not strings: a trace adds to its book once per edge it follows.
 */
class FlowBook {
  /** By payer and hop (`from * MAX_HOPS + hop`, cash as -1), then by payee: small-integer keys. */
  private readonly flows = new Map<number, Map<number, Flow>>();
  /** (edge, hop) pairs listed: an edge belongs to one pair of accounts, so this names the flow too. */
  private readonly listed = new Set<number>();

  /** `once`: each edge comes once (forward: edges are visited once), so none is checked. */
  constructor(private readonly once: boolean) {}

  add(hop: number, from: number, to: number, edge: number, amount: number): void {
    const outer = (from + 1) * MAX_HOPS + hop;
    let byPayee = this.flows.get(outer);
    if (!byPayee) {
      byPayee = new Map();
      this.flows.set(outer, byPayee);
    }
    let flow = byPayee.get(to);
    if (!flow) {
      flow = { hop, from, to, amountUsd: 0, edges: [] };
      byPayee.set(to, flow);
    }
    flow.amountUsd += amount;
    if (this.once) {
      flow.edges.push(edge);
      return;
    }
    const pair = edge * MAX_HOPS + hop;
    if (!this.listed.has(pair)) {
      this.listed.add(pair);
      flow.edges.push(edge);
    }
  }

  /** By hop, then largest first. */
  list(): Flow[] {
    const all: Flow[] = [];
    for (const byPayee of this.flows.values()) for (const flow of byPayee.values()) all.push(flow);
    return all.sort((x, y) => x.hop - y.hop || y.amountUsd - x.amountUsd);
  }
}

/** Traced money not followed because each piece was under the materiality threshold. */
class BelowThreshold {
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
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const inWindow = (e: number) => (g.time[e] as number) >= from && (g.time[e] as number) <= to;
  // The accounts in the trace: a typed array of slots, not a Map or a sparse array (which V8
  // keeps as a dictionary at this size): the main loop looks both ends of every edge up.
  const slot = new Int32Array(g.accounts.length).fill(-1);
  const states: Active[] = [];
  const activeList: number[] = [];
  const stateOf = (account: number): Active | undefined => {
    const k = slot[account] as number;
    return k < 0 ? undefined : states[k];
  };
  /** The edges to visit: the seeds, then the ledgers of the accounts the trace reaches. */
  const queue = new EdgeQueue();
  /** Money that stays where it arrived (the last hop, the origin, immaterial payments), by account. */
  const terminal = new Float64Array(g.accounts.length);
  const terminalList: number[] = [];
  const flows = new FlowBook(true);
  const cashOut: { amountUsd: number; edges: number[] } = { amountUsd: 0, edges: [] };

  // Seeds: edges whose whole amount is traced at hop 1: the transaction, or the account's
  // payments in the window (a run of its out-list, already in time order).
  let originAccount = -1;
  let seedList: Int32Array;
  if ("transaction" in origin) seedList = Int32Array.of(origin.transaction);
  else {
    originAccount = origin.account;
    const start = g.outStart[originAccount] as number;
    const end = g.outStart[originAccount + 1] as number;
    let lo = start;
    while (lo < end && !inWindow(g.outEdges[lo] as number)) lo++;
    let hi = lo;
    while (hi < end && inWindow(g.outEdges[hi] as number)) hi++;
    seedList = g.outEdges.subarray(lo, hi);
  }
  /** Every seed is an edge paid by the origin account, or is the origin transaction. */
  const originTransaction = "transaction" in origin ? origin.transaction : -1;
  const isSeed = (e: number, payer: number) =>
    originAccount >= 0 ? payer === originAccount : e === originTransaction;
  let tracedUsd = 0;
  for (const e of seedList) tracedUsd += g.amountUsd[e] as number;
  const below = materiality(options, tracedUsd);

  /** Its ledger from after edge `before` on comes out of the queue. */
  const follow = (account: number, a: Active, before: number) => {
    a.runs = [
      queue.addRun(g.inEdges, g.inStart[account] as number, g.inStart[account + 1] as number, before),
      queue.addRun(g.outEdges, g.outStart[account] as number, g.outStart[account + 1] as number, before),
    ];
    a.pausedAt = -1;
  };

  /** The account's balance rebuilt from its ledger in the window, up to (not including) edge `before`. */
  const activate = (account: number, depth: number, before: number): Active => {
    const balance = newBalance(options.method);
    forEachLedgerEntry(g, account, before, (edge, credit) => {
      if (!inWindow(edge)) return;
      const amount = g.amountUsd[edge] as number;
      if (credit) balance.credit(amount, 0);
      else balance.debit(amount);
    });
    const a: Active = { depth, balance, runs: [-1, -1], pausedAt: -1 };
    slot[account] = states.length;
    states.push(a);
    activeList.push(account);
    follow(account, a, before);
    return a;
  };

  /**
   * An account left with no traced money (rounding aside) is paused: its later transactions are
   * not visited, which on a trace from a hub is most of the work, unless traced money reaches it
   * again. Nothing it did meanwhile could have moved traced money, so the result is the same.
   */
  const pause = (a: Active, e: number) => {
    queue.drop(a.runs[0]);
    queue.drop(a.runs[1]);
    a.pausedAt = e;
  };

  /**
   * Traced money reaches a paused account again at edge `e`: its balance catches up on the
   * transactions since the pause (rounding crumbs of traced money they carried are set aside as
   * they would have been: under the threshold, or as cash out), and it is followed again.
   */
  const resume = (account: number, a: Active, e: number) => {
    forEachLedgerEntry(
      g,
      account,
      e,
      (edge, credit) => {
        if (!inWindow(edge)) return;
        const amount = g.amountUsd[edge] as number;
        if (credit) {
          a.balance.credit(amount, 0);
          return;
        }
        const traced = a.balance.debit(amount);
        if (traced <= EPSILON) return;
        if ((g.to[edge] as number) < 0) {
          cashOut.amountUsd += traced;
          cashOut.edges.push(edge);
        } else below.add(edge, traced);
      },
      a.pausedAt,
    );
    follow(account, a, e);
  };

  /** Traced money arriving at `account` by edge `e` on hop `hop`. */
  let unfollowedSeeds = 0;
  let reachedLastHop = false;
  const arrive = (account: number, e: number, hop: number, amount: number, traced: number) => {
    // A payment of the origin under the threshold is shown, and stays with its payee unless the
    // payee is already in the trace.
    const immaterial = slot[account] === -1 && traced < below.minFlowUsd;
    if (hop >= options.hops) reachedLastHop = true;
    if (account === originAccount || hop >= options.hops || immaterial) {
      if (immaterial && hop === 1) unfollowedSeeds++;
      if (terminal[account] === 0) terminalList.push(account);
      terminal[account] = (terminal[account] as number) + traced;
      return;
    }
    const known = stateOf(account);
    if (known && known.pausedAt >= 0) resume(account, known, e);
    const a = known ?? activate(account, hop, e);
    a.balance.credit(amount, traced);
  };
  /** The account's state while it is followed (not paused). */
  const followed = (account: number): Active | undefined => {
    const a = stateOf(account);
    return a && a.pausedAt < 0 ? a : undefined;
  };

  queue.addRun(seedList, 0, seedList.length, -1);
  const { from: payers, to: payees, time, amountUsd: amounts } = g;
  // Every edge of an account in the trace, once, in time order; edges no traced money can touch
  // are never visited.
  for (let e = queue.next(); e >= 0; e = queue.next()) {
    const at = time[e] as number;
    if (at < from) continue;
    if (at > to) break;
    const a = payers[e] as number;
    const b = payees[e] as number;
    const amount = amounts[e] as number;
    if (isSeed(e, a)) {
      // A seed's payer may also be in the trace (money that came back): the seed is all traced.
      if (a >= 0) followed(a)?.balance.debit(amount);
      if (b >= 0) {
        flows.add(1, a, b, e, amount);
        arrive(b, e, 1, amount, amount);
      } else {
        cashOut.amountUsd += amount;
        cashOut.edges.push(e);
      }
      continue;
    }
    const payer = a >= 0 ? followed(a) : undefined;
    if (payer) {
      const traced = payer.balance.debit(amount);
      if (payer.balance.traced < EPSILON) pause(payer, e);
      if (traced > EPSILON) {
        if (b < 0) {
          cashOut.amountUsd += traced;
          cashOut.edges.push(e);
          continue;
        }
        if (traced >= below.minFlowUsd) {
          flows.add(payer.depth + 1, a, b, e, traced);
          arrive(b, e, payer.depth + 1, amount, traced);
          continue;
        }
        // Immaterial: counted, and the payee gets it as untraced money.
        below.add(e, traced);
      }
    }
    // Untraced money into an account in the trace still changes its balance.
    const payee = b >= 0 ? followed(b) : undefined;
    if (payee) payee.balance.credit(amount, 0);
  }

  const holdings = new Map<number, number>(terminalList.map((a) => [a, terminal[a] as number]));
  let unfunded = 0;
  for (const account of activeList) {
    const a = stateOf(account) as Active;
    holdings.set(account, (holdings.get(account) ?? 0) + a.balance.traced);
    if (a.balance.unfunded > CENT) unfunded++;
  }
  const holders = holdersOf(holdings);
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
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const inWindow = (e: number) => (g.time[e] as number) >= from && (g.time[e] as number) <= to;
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
