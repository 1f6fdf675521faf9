import { type AccountBalance, LotArrays, newBalance } from "./allocation.js";
import { EdgeQueue } from "./edge-queue.js";
import { FlowBook } from "./flow-book.js";
import { firstAfter, type MoneyGraph } from "./money-graph.js";
import { AccountAmounts, AccountInts } from "./scratch.js";
import type { BelowThreshold, TraceOptions, TraceResult } from "./trace.js";

/**
 * The walk of a forward trace (see `traceForward`): edges in time order out of a queue of the
 * ledgers of the accounts the traced money reaches, each account's balance deciding what of each
 * payment is traced. A class, not closures in a function: V8 optimises a closure for the one
 * function object it saw, so closures made anew by every trace undo the optimised loop each time.
 */

/** Traced amounts under this are rounding. */
export const EPSILON = 1e-6;
/** Amounts under a cent are rounding, not traced money. */
export const CENT = 0.01;
/** Credits whose amounts are read in one loop: a buffer that stays in the nearest cache. */
const CHUNK = 512;

interface Active {
  depth: number;
  balance: AccountBalance;
  /** The run of its debits in the edge queue while it is followed. */
  run: number;
  /**
   * Its first credit not yet applied to its balance (a position in `inEdges`, below
   * `creditsEnd`): untraced credits wait until its balance is next needed (see `catchUp`).
   */
  credits: number;
  creditsEnd: number;
  /** While paused (it holds no traced money), the last edge applied to its balance; else -1. */
  pausedAt: number;
}

/**
 * What a forward trace keeps per account, kept with the graph between traces (see scratch.ts):
 * a trace from a hub reaches thousands of accounts of hundreds of thousands.
 */
export interface ForwardScratch {
  readonly size: number;
  /** The account's place in the trace's states (-1: not in the trace). */
  slot: AccountInts;
  /** Traced money that stays where it arrived, then with what the accounts followed hold. */
  held: AccountAmounts;
  /** FIFO and LIFO lots, given back when a trace ends. */
  lots: LotArrays;
}

export function forwardScratch(size: number): ForwardScratch {
  return { size, slot: new AccountInts(size, -1), held: new AccountAmounts(size), lots: new LotArrays() };
}

export class ForwardWalk {
  readonly flows = new FlowBook(true);
  readonly cashOut: { amountUsd: number; edges: number[] } = { amountUsd: 0, edges: [] };
  /** Payments of the origin under the threshold, shown at hop 1 and not followed. */
  unfollowedSeeds = 0;
  reachedLastHop = false;
  /** The accounts in the trace: states by the slot `scratch.slot` gives each. */
  private readonly states: Active[] = [];
  private readonly activeList: number[] = [];
  /** The edges to visit: the seeds, then the debits of the accounts the trace follows. */
  private readonly queue = new EdgeQueue();
  private readonly gathered = new Float64Array(CHUNK);
  private readonly slot: AccountInts;
  /** Money that stays where it arrived (the last hop, the origin, immaterial payments), by account. */
  private readonly held: AccountAmounts;

  /**
   * `first` and `end`: the window as a range of edges (edges are in time order, so testing an
   * edge against it reads no time). `originAccount`: -1 when tracing from a transaction.
   */
  constructor(
    private readonly g: MoneyGraph,
    private readonly options: TraceOptions,
    private readonly scratch: ForwardScratch,
    private readonly first: number,
    private readonly end: number,
    private readonly originAccount: number,
    private readonly originTransaction: number,
    private readonly below: BelowThreshold,
  ) {
    this.slot = scratch.slot;
    this.held = scratch.held;
    this.slot.clear();
    this.held.clear();
  }

  /** Follows the seeds, edges whose whole amount is traced at hop 1 (in time order). */
  run(seeds: Int32Array): void {
    const { g, first, end, queue, below } = this;
    queue.addRun(seeds, 0, seeds.length, -1);
    const { from: payers, to: payees, amountUsd: amounts } = g;
    // Every debit of an account in the trace, once, in time order; edges no traced money can
    // touch are never visited.
    for (let e = queue.next(); e >= 0; e = queue.next()) {
      if (e < first) continue;
      if (e >= end) break;
      const a = payers[e] as number;
      const b = payees[e] as number;
      const amount = amounts[e] as number;
      if (this.isSeed(e, a)) {
        // A seed's payer may also be in the trace (money that came back): the seed is all traced.
        const seedPayer = a >= 0 ? this.followed(a) : undefined;
        if (seedPayer) {
          this.catchUp(seedPayer, e);
          seedPayer.balance.debit(amount);
        }
        if (b >= 0) {
          this.flows.add(1, a, b, e, amount);
          this.arrive(b, e, 1, amount, amount);
        } else {
          this.cashOut.amountUsd += amount;
          this.cashOut.edges.push(e);
        }
        continue;
      }
      const payer = a >= 0 ? this.followed(a) : undefined;
      if (payer) {
        this.catchUp(payer, e);
        const traced = payer.balance.debit(amount);
        if (payer.balance.traced < EPSILON) this.pause(payer, e);
        if (traced > EPSILON) {
          if (b < 0) {
            this.cashOut.amountUsd += traced;
            this.cashOut.edges.push(e);
            continue;
          }
          if (traced >= below.minFlowUsd) {
            this.flows.add(payer.depth + 1, a, b, e, traced);
            this.arrive(b, e, payer.depth + 1, amount, traced);
            continue;
          }
          // Immaterial: counted, and the payee gets it as untraced money.
          below.add(e, traced);
        }
      }
      // Untraced money into an account followed is applied by `catchUp`, from its in-list.
    }
  }

  /**
   * The accounts holding traced money at the end (above a cent, largest first), and how many
   * accounts followed paid out more than they received. Ends the walk: its lots go back.
   */
  finish(): { holders: TraceResult["holders"]; unfunded: number } {
    let unfunded = 0;
    for (const account of this.activeList) {
      const a = this.stateOf(account) as Active;
      this.held.add(account, a.balance.traced);
      if (a.balance.unfunded > CENT) unfunded++;
      a.balance.release();
    }
    const holders: TraceResult["holders"] = [];
    for (const account of this.held.accounts) {
      const amountUsd = this.held.get(account);
      if (amountUsd >= CENT) holders.push({ account, amountUsd });
    }
    holders.sort((x, y) => y.amountUsd - x.amountUsd || x.account - y.account);
    return { holders, unfunded };
  }

  /** Every seed is an edge paid by the origin account, or is the origin transaction. */
  private isSeed(e: number, payer: number): boolean {
    return this.originAccount >= 0 ? payer === this.originAccount : e === this.originTransaction;
  }

  private stateOf(account: number): Active | undefined {
    const k = this.slot.get(account);
    return k < 0 ? undefined : this.states[k];
  }

  /** The account's state while it is followed (not paused). */
  private followed(account: number): Active | undefined {
    const a = this.stateOf(account);
    return a !== undefined && a.pausedAt < 0 ? a : undefined;
  }

  /** Traced money arriving at `account` by edge `e` on hop `hop`. */
  private arrive(account: number, e: number, hop: number, amount: number, traced: number): void {
    // A payment of the origin under the threshold is shown, and stays with its payee unless the
    // payee is already in the trace.
    const immaterial = this.slot.get(account) === -1 && traced < this.below.minFlowUsd;
    if (hop >= this.options.hops) this.reachedLastHop = true;
    if (account === this.originAccount || hop >= this.options.hops || immaterial) {
      if (immaterial && hop === 1) this.unfollowedSeeds++;
      this.held.add(account, traced);
      // Money that stays where it arrived never enters a followed account's balance.
      const payee = this.followed(account);
      if (payee !== undefined) this.skipCredit(payee, e);
      return;
    }
    const known = this.stateOf(account);
    if (known === undefined) {
      this.activate(account, hop, e).balance.credit(amount, traced);
      return;
    }
    if (known.pausedAt >= 0) this.resume(account, known, e);
    // Followed: the credits before this one first; this one is applied here, not again later.
    else this.skipCredit(known, e);
    known.balance.credit(amount, traced);
  }

  /** The account's balance rebuilt from its ledger in the window, up to (not including) edge `before`. */
  private activate(account: number, depth: number, before: number): Active {
    const balance = newBalance(this.options.method, this.scratch.lots);
    const a: Active = { depth, balance, run: -1, credits: 0, creditsEnd: 0, pausedAt: -1 };
    this.replay(a, account, -1, before, false);
    this.slot.set(account, this.states.length);
    this.states.push(a);
    this.activeList.push(account);
    this.follow(account, a, before);
    return a;
  }

  /**
   * Its ledger from after edge `before` on is followed: its debits come out of the queue, its
   * credits wait in its in-list.
   */
  private follow(account: number, a: Active, before: number): void {
    const g = this.g;
    a.run = this.queue.addRun(
      g.outEdges,
      g.outStart[account] as number,
      g.outStart[account + 1] as number,
      before,
    );
    a.credits = firstAfter(g.inEdges, g.inStart[account] as number, g.inStart[account + 1] as number, before);
    a.creditsEnd = g.inStart[account + 1] as number;
    a.pausedAt = -1;
  }

  /**
   * An account left with no traced money (rounding aside) is paused: its later transactions are
   * not visited, which on a trace from a hub is most of the work, unless traced money reaches it
   * again. Nothing it did meanwhile could have moved traced money, so the result is the same.
   */
  private pause(a: Active, e: number): void {
    this.queue.drop(a.run);
    a.pausedAt = e;
  }

  /**
   * Traced money reaches a paused account again at edge `e`: its balance catches up on the
   * transactions since the pause (rounding crumbs of traced money they carried are set aside as
   * they would have been: under the threshold, or as cash out), and it is followed again.
   */
  private resume(account: number, a: Active, e: number): void {
    this.replay(a, account, a.pausedAt, e, true);
    this.follow(account, a, e);
  }

  /**
   * Applies the account's credits before edge `e`. Untraced money coming in moves no traced
   * money, so it is applied only when the balance is needed: before a debit, and before traced
   * money comes in (which must find the lots before it). An account that mostly receives (a
   * merchant, a sink) then costs nothing per payment into it; on a trace from a hub, most of the
   * edges visited were such payments. Applied in edge order, the balance goes through the same
   * steps as if each credit were applied as it came.
   */
  private catchUp(a: Active, e: number): void {
    // All in the window: they come after the edge it was followed from, and before `e`.
    const inEdges = this.g.inEdges;
    let hi = a.credits;
    while (hi < a.creditsEnd && (inEdges[hi] as number) < e) hi++;
    if (hi > a.credits) this.creditRun(a.balance, a.credits, hi);
    a.credits = hi;
  }

  /** Applies the account's credits before edge `e`, and passes over `e`, which it takes otherwise. */
  private skipCredit(a: Active, e: number): void {
    this.catchUp(a, e);
    if (a.credits < a.creditsEnd && this.g.inEdges[a.credits] === e) a.credits++;
  }

  /**
   * Untraced credits, the in-list's [lo, hi): their amounts are read a chunk at a time in a tight
   * loop, where the reads of edges scattered over the graph overlap instead of waiting on each
   * other (on a hub's ledger, most of the time of a replay).
   */
  private creditRun(balance: AccountBalance, lo: number, hi: number): void {
    const { inEdges, amountUsd } = this.g;
    const gathered = this.gathered;
    for (let k = lo; k < hi; k += CHUNK) {
      const n = Math.min(CHUNK, hi - k);
      for (let j = 0; j < n; j++) gathered[j] = amountUsd[inEdges[k + j] as number] as number;
      balance.creditUntraced(gathered, n);
    }
  }

  /**
   * Replays the account's ledger in the window, after edge `after` and before edge `before`,
   * in the order of `forEachLedgerEntry` (at the same instant, credits first): credits in runs,
   * debits one by one. `resumed`: traced crumbs its debits carry are set aside (see `resume`).
   */
  private replay(a: Active, account: number, after: number, before: number, resumed: boolean): void {
    const { g, below, cashOut } = this;
    const { inEdges, outEdges, time, amountUsd } = g;
    // The window is a range of edges: the walk is clipped to it, and tests none.
    const from = Math.max(after, this.first - 1);
    const to = Math.min(before, this.end) - 1;
    let i = firstAfter(inEdges, g.inStart[account] as number, g.inStart[account + 1] as number, from);
    const inEnd = firstAfter(inEdges, i, g.inStart[account + 1] as number, to);
    let o = firstAfter(outEdges, g.outStart[account] as number, g.outStart[account + 1] as number, from);
    const outEnd = firstAfter(outEdges, o, g.outStart[account + 1] as number, to);
    for (; o < outEnd; o++) {
      const eo = outEdges[o] as number;
      // The credits before this debit: earlier edges (a self-transfer's own credit included),
      // then those at the same instant.
      let hi = i;
      while (hi < inEnd && (inEdges[hi] as number) <= eo) hi++;
      const t = time[eo] as number;
      while (hi < inEnd && (time[inEdges[hi] as number] as number) <= t) hi++;
      if (hi > i) this.creditRun(a.balance, i, hi);
      i = hi;
      const traced = a.balance.debit(amountUsd[eo] as number);
      if (!resumed || traced <= EPSILON) continue;
      if ((g.to[eo] as number) < 0) {
        cashOut.amountUsd += traced;
        cashOut.edges.push(eo);
      } else below.add(eo, traced);
    }
    if (i < inEnd) this.creditRun(a.balance, i, inEnd);
  }
}
