import { type AccountBalance, newBalance } from "../../src/graph/allocation.js";
import { EdgeQueue } from "../../src/graph/edge-queue.js";
import { forEachLedgerEntry, type MoneyGraph } from "../../src/graph/money-graph.js";
import {
  BelowThreshold,
  type Flow,
  MAX_HOPS,
  type TraceOptions,
  type TraceOrigin,
  type TraceResult,
} from "../../src/graph/trace.js";

/**
 * The forward trace as it was first written, kept as the oracle for `traceForward`: plain maps,
 * every edge of an account followed visited (credits as they come), balances rebuilt edge by
 * edge. The fast trace must give exactly its result, to the last bit of every amount.
 */

const CENT = 0.01;
const EPSILON = 1e-6;

interface Active {
  depth: number;
  balance: AccountBalance;
  runs: [number, number];
  pausedAt: number;
}

/** Flows by payer and hop, then payee, listed in the order first met before sorting. */
class MapFlowBook {
  private readonly flows = new Map<number, Map<number, Flow>>();

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
    flow.edges.push(edge);
  }

  list(): Flow[] {
    const all: Flow[] = [];
    for (const byPayee of this.flows.values()) for (const flow of byPayee.values()) all.push(flow);
    return all.sort((x, y) => x.hop - y.hop || y.amountUsd - x.amountUsd);
  }
}

export function referenceTraceForward(
  g: MoneyGraph,
  origin: TraceOrigin,
  options: TraceOptions,
): TraceResult {
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const inWindow = (e: number) => (g.time[e] as number) >= from && (g.time[e] as number) <= to;
  const states = new Map<number, Active>();
  const queue = new EdgeQueue();
  const terminal = new Map<number, number>();
  const flows = new MapFlowBook();
  const cashOut: { amountUsd: number; edges: number[] } = { amountUsd: 0, edges: [] };

  let originAccount = -1;
  let seedList: number[];
  if ("transaction" in origin) seedList = [origin.transaction];
  else {
    originAccount = origin.account;
    seedList = [];
    for (let k = g.outStart[originAccount] as number; k < (g.outStart[originAccount + 1] as number); k++) {
      if (inWindow(g.outEdges[k] as number)) seedList.push(g.outEdges[k] as number);
    }
  }
  const isSeed = (e: number, payer: number) =>
    originAccount >= 0 ? payer === originAccount : "transaction" in origin && e === origin.transaction;
  let tracedUsd = 0;
  for (const e of seedList) tracedUsd += g.amountUsd[e] as number;
  const below = new BelowThreshold(
    Math.max(options.minFlowUsd ?? 0, (options.minFlowShare ?? 0) * tracedUsd),
  );

  const follow = (account: number, a: Active, before: number) => {
    a.runs = [
      queue.addRun(g.inEdges, g.inStart[account] as number, g.inStart[account + 1] as number, before),
      queue.addRun(g.outEdges, g.outStart[account] as number, g.outStart[account + 1] as number, before),
    ];
    a.pausedAt = -1;
  };
  const activate = (account: number, depth: number, before: number): Active => {
    const balance = newBalance(options.method);
    forEachLedgerEntry(g, account, before, (edge, credit) => {
      if (!inWindow(edge)) return;
      if (credit) balance.credit(g.amountUsd[edge] as number, 0);
      else balance.debit(g.amountUsd[edge] as number);
    });
    const a: Active = { depth, balance, runs: [-1, -1], pausedAt: -1 };
    states.set(account, a);
    follow(account, a, before);
    return a;
  };
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
  let unfollowedSeeds = 0;
  let reachedLastHop = false;
  const arrive = (account: number, e: number, hop: number, amount: number, traced: number) => {
    const immaterial = !states.has(account) && traced < below.minFlowUsd;
    if (hop >= options.hops) reachedLastHop = true;
    if (account === originAccount || hop >= options.hops || immaterial) {
      if (immaterial && hop === 1) unfollowedSeeds++;
      terminal.set(account, (terminal.get(account) ?? 0) + traced);
      return;
    }
    const known = states.get(account);
    if (known && known.pausedAt >= 0) resume(account, known, e);
    (known ?? activate(account, hop, e)).balance.credit(amount, traced);
  };
  const followed = (account: number): Active | undefined => {
    const a = states.get(account);
    return a && a.pausedAt < 0 ? a : undefined;
  };

  queue.addRun(Int32Array.from(seedList), 0, seedList.length, -1);
  for (let e = queue.next(); e >= 0; e = queue.next()) {
    const at = g.time[e] as number;
    if (at < from) continue;
    if (at > to) break;
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    const amount = g.amountUsd[e] as number;
    if (isSeed(e, a)) {
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
      if (payer.balance.traced < EPSILON) {
        queue.drop(payer.runs[0]);
        queue.drop(payer.runs[1]);
        payer.pausedAt = e;
      }
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
        below.add(e, traced);
      }
    }
    const payee = b >= 0 ? followed(b) : undefined;
    if (payee) payee.balance.credit(amount, 0);
  }

  const holdings = new Map(terminal);
  let unfunded = 0;
  for (const [account, a] of states) {
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
