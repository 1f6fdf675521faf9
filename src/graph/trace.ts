import { type AccountBalance, newBalance, type TraceMethod } from "./allocation.js";
import { debitCompositions, type Part } from "./composition.js";
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
  /**
   * Forward: traced money that left as cash. Backward: money that came in as cash, and money
   * from before the window (an unknown opening balance; its edges are the payments it funded).
   */
  dissipated: { kind: "cash-out" | "cash-in" | "opening-balance"; amountUsd: number; edges: number[] }[];
  notes: string[];
}

/** Amounts under a cent are rounding, not traced money. */
const CENT = 0.01;
const EPSILON = 1e-6;

interface Active {
  depth: number;
  balance: AccountBalance;
}

/**
 * Traced amounts per hop and pair of accounts, with the edges that carried them (each edge once
 * per flow, however many paths reached it): the flows of a trace, forward or backward.
 */
class FlowBook {
  private readonly flows = new Map<string, Flow>();
  private readonly listed = new Set<string>();

  add(hop: number, from: number, to: number, edge: number, amount: number): void {
    const key = `${hop}|${from}|${to}`;
    let flow = this.flows.get(key);
    if (!flow) {
      flow = { hop, from, to, amountUsd: 0, edges: [] };
      this.flows.set(key, flow);
    }
    flow.amountUsd += amount;
    if (!this.listed.has(`${key}|${edge}`)) {
      this.listed.add(`${key}|${edge}`);
      flow.edges.push(edge);
    }
  }

  /** By hop, then largest first. */
  list(): Flow[] {
    return [...this.flows.values()].sort((x, y) => x.hop - y.hop || y.amountUsd - x.amountUsd);
  }
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
  // Indexed by account, not a Map: the main loop looks both ends of every edge up.
  const active: (Active | undefined)[] = new Array(g.accounts.length);
  const activeList: number[] = [];
  /** Money that reached the last hop: it stays where it arrived. */
  const terminal = new Map<number, number>();
  const flows = new FlowBook();
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
  const isSeed = new Uint8Array(g.edgeCount);
  for (const e of seeds) {
    tracedUsd += g.amountUsd[e] as number;
    isSeed[e] = 1;
  }

  /** The account's balance rebuilt from its ledger in the window, up to (not including) edge `before`. */
  const activate = (account: number, depth: number, before: number): Active => {
    const balance = newBalance(options.method);
    forEachLedgerEntry(g, account, before, (edge, credit) => {
      if (!inWindow(edge)) return;
      const amount = g.amountUsd[edge] as number;
      if (credit) balance.credit(amount, 0);
      else balance.debit(amount);
    });
    const a = { depth, balance };
    active[account] = a;
    activeList.push(account);
    return a;
  };

  /** Traced money arriving at `account` by edge `e` on hop `hop`. */
  const arrive = (account: number, e: number, hop: number, amount: number, traced: number) => {
    if (account === originAccount || hop >= options.hops) {
      terminal.set(account, (terminal.get(account) ?? 0) + traced);
      return;
    }
    const a = active[account] ?? activate(account, hop, e);
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
    if (isSeed[e] === 1) {
      // A seed's payer may also be in the trace (money that came back): the seed is all traced.
      if (a >= 0) active[a]?.balance.debit(amount);
      if (b >= 0) {
        flows.add(1, a, b, e, amount);
        arrive(b, e, 1, amount, amount);
      } else {
        cashOut.amountUsd += amount;
        cashOut.edges.push(e);
      }
      continue;
    }
    const payer = a >= 0 ? active[a] : undefined;
    if (payer) {
      const traced = payer.balance.debit(amount);
      if (traced > EPSILON) {
        if (b >= 0) {
          flows.add(payer.depth + 1, a, b, e, traced);
          arrive(b, e, payer.depth + 1, amount, traced);
        } else {
          cashOut.amountUsd += traced;
          cashOut.edges.push(e);
        }
        continue;
      }
    }
    // Untraced money into an account in the trace still changes its balance.
    const payee = b >= 0 ? active[b] : undefined;
    if (payee) payee.balance.credit(amount, 0);
  }

  const holdings = new Map<number, number>(terminal);
  let unfunded = 0;
  for (const account of activeList) {
    const a = active[account] as Active;
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
    flows: flows.list(),
    holders,
    dissipated: cashOut.edges.length > 0 ? [{ kind: "cash-out", ...cashOut }] : [],
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
  const flows = new FlowBook();
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
      } else reach(part.edge, share, hop + 1);
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
  return {
    method: options.method,
    tracedUsd,
    flows: flowList,
    holders: holdersOf(sources),
    dissipated: [
      ...(cashIn.edges.length > 0 ? [{ kind: "cash-in" as const, ...cashIn }] : []),
      ...(opening.amountUsd >= CENT ? [{ kind: "opening-balance" as const, ...opening }] : []),
    ],
    notes,
  };
}
