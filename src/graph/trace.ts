import { type AccountBalance, newBalance, type TraceMethod } from "./allocation.js";
import { ledgerOf, type MoneyGraph } from "./money-graph.js";

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
  flows: Flow[];
  /** Accounts holding traced money at the end of the window (amounts above a cent). */
  holders: { account: number; amountUsd: number }[];
  dissipated: { kind: "cash-out"; amountUsd: number; edges: number[] }[];
  notes: string[];
}

/** Amounts under a cent are rounding, not traced money. */
const CENT = 0.01;
const EPSILON = 1e-6;

interface Active {
  depth: number;
  balance: AccountBalance;
}

export function traceForward(g: MoneyGraph, origin: TraceOrigin, options: TraceOptions): TraceResult {
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const inWindow = (e: number) => (g.time[e] as number) >= from && (g.time[e] as number) <= to;
  const active = new Map<number, Active>();
  /** Money that reached the last hop: it stays where it arrived. */
  const terminal = new Map<number, number>();
  const flows = new Map<string, Flow>();
  const cashOut: { amountUsd: number; edges: number[] } = { amountUsd: 0, edges: [] };

  // Seeds: edges whose whole amount is traced at hop 1.
  const seeds = new Set<number>();
  let originAccount = -1;
  if ("transaction" in origin) seeds.add(origin.transaction);
  else {
    originAccount = origin.account;
    for (let k = g.outStart[originAccount] as number; k < (g.outStart[originAccount + 1] as number); k++) {
      const e = g.outEdges[k] as number;
      if (inWindow(e)) seeds.add(e);
    }
  }
  let tracedUsd = 0;
  for (const e of seeds) tracedUsd += g.amountUsd[e] as number;

  const record = (hop: number, a: number, b: number, e: number, amount: number) => {
    const key = `${hop}|${a}|${b}`;
    const flow = flows.get(key) ?? { hop, from: a, to: b, amountUsd: 0, edges: [] };
    flow.amountUsd += amount;
    flow.edges.push(e);
    flows.set(key, flow);
  };

  /** The account's balance rebuilt from its ledger in the window, up to (not including) edge `before`. */
  const activate = (account: number, depth: number, before: number): Active => {
    const balance = newBalance(options.method);
    for (const { edge, credit } of ledgerOf(g, account)) {
      if (edge >= before) break;
      if (!inWindow(edge)) continue;
      const amount = g.amountUsd[edge] as number;
      if (credit) balance.credit(amount, 0);
      else balance.debit(amount);
    }
    const a = { depth, balance };
    active.set(account, a);
    return a;
  };

  /** Traced money arriving at `account` by edge `e` on hop `hop`. */
  const arrive = (account: number, e: number, hop: number, amount: number, traced: number) => {
    if (account === originAccount || hop >= options.hops) {
      terminal.set(account, (terminal.get(account) ?? 0) + traced);
      return;
    }
    const a = active.get(account) ?? activate(account, hop, e);
    a.balance.credit(amount, traced);
  };

  let first = Number.POSITIVE_INFINITY;
  for (const e of seeds) first = Math.min(first, e);
  for (let e = first; e < g.edgeCount; e++) {
    if (!inWindow(e)) {
      if ((g.time[e] as number) > to) break;
      continue;
    }
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    const amount = g.amountUsd[e] as number;
    if (seeds.has(e)) {
      // A seed's payer may also be in the trace (money that came back): the seed is all traced.
      active.get(a)?.balance.debit(amount);
      if (b >= 0) {
        record(1, a, b, e, amount);
        arrive(b, e, 1, amount, amount);
      } else {
        cashOut.amountUsd += amount;
        cashOut.edges.push(e);
      }
      continue;
    }
    const payer = a >= 0 ? active.get(a) : undefined;
    if (payer) {
      const traced = payer.balance.debit(amount);
      if (traced > EPSILON) {
        if (b >= 0) {
          record(payer.depth + 1, a, b, e, traced);
          arrive(b, e, payer.depth + 1, amount, traced);
        } else {
          cashOut.amountUsd += traced;
          cashOut.edges.push(e);
        }
        continue;
      }
    }
    // Untraced money into an account in the trace still changes its balance.
    const payee = b >= 0 ? active.get(b) : undefined;
    if (payee) payee.balance.credit(amount, 0);
  }

  const holdings = new Map<number, number>(terminal);
  let unfunded = 0;
  for (const [account, a] of active) {
    holdings.set(account, (holdings.get(account) ?? 0) + a.balance.traced);
    if (a.balance.unfunded > CENT) unfunded++;
  }
  const holders = [...holdings]
    .filter(([, amount]) => amount >= CENT)
    .map(([account, amountUsd]) => ({ account, amountUsd }))
    .sort((x, y) => y.amountUsd - x.amountUsd || x.account - y.account);
  const notes = [
    "opening balances before the window are unknown and taken as zero",
    "at the same instant, credits are applied before debits",
  ];
  if (unfunded > 0) {
    notes.push(
      `${unfunded} account(s) paid out more than they received in the window; the excess is taken as untraced money from before it`,
    );
  }
  if (terminal.size > 0)
    notes.push(
      `money reaching hop ${options.hops} is not followed further: it stays with the account it reached`,
    );
  return {
    method: options.method,
    tracedUsd,
    flows: [...flows.values()].sort((x, y) => x.hop - y.hop || y.amountUsd - x.amountUsd),
    holders,
    dissipated: cashOut.edges.length > 0 ? [{ kind: "cash-out", ...cashOut }] : [],
    notes,
  };
}
