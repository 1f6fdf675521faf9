import type { MoneyGraph } from "../graph/money-graph.js";
import { IntList } from "../util/int-list.js";
import { scratch } from "../util/scratch-pool.js";
import { distinctDegrees } from "./degrees.js";
import { memoOf } from "./graph-memo.js";
import { ONE_OFF_KEY } from "./one-off.js";

/**
 * Money that comes into an account and soon leaves it again (typologies.md §1.5 funnel accounts;
 * the issue's pass-through: "in, then out within 48 h keeping ≥ 80%"): which credits an account
 * passed on, within how long, and by which debits. Shared by the pass-through and funnel-account
 * detectors, which differ in the credits and debits they consider.
 *
 * Every credit a detector considers waits, for `windowMs`, for the debits that pass it on. First,
 * a debit is matched to one waiting credit when it alone passes most of it on (at least `minKept`
 * of it, and no more than it): money relayed leaves in about the amount it came in, and when
 * several credits wait, the one the debit fits most closely is the one it relays. Then the debits
 * that matched none draw on what is left of the waiting credits, newest first (money just received
 * is what a relay sends on), so that one credit sent on in parts, or several sent on together, are
 * seen too; a debit draws only if waiting credits make at least `minKept` of it (else it is mostly
 * the account's own money). Matching singly first keeps a bill paid between a credit and its relay
 * from taking the relay's place. A debit is never matched to a credit from the account it pays:
 * money sent back is a refund.
 *
 * The search goes account by account over its own credits and debits (all it keeps is per account
 * and small), and only over accounts with enough credits considered to make a finding: on 5M
 * transactions it reads a fraction of them.
 *
 * Incremental detection (focus.ts): an account's relays depend on its own credits and debits
 * alone, with what the rules measure on the whole graph (distinct payers, one-off payers). So a
 * detector may ask for the relays of some accounts only (`only`; `accountsOfNew` gives those whose
 * relays can hold a new transaction): they are found exactly as on the whole graph, and the other
 * accounts' credits are not even read (each wanted account's credits are taken from its in-edges
 * instead of a pass over every edge).
 */

export interface RelayRules {
  /** How long after a credit a debit may pass it on, in ms. */
  windowMs: number;
  /** A debit on its own relays a credit when it is at least this share of it. */
  minKept: number;
  /** Credits that may be relayed. */
  credit(e: number): boolean;
  /** Debits that count as money leaving (not spending). */
  debit(e: number): boolean;
  /** Accounts with fewer credits considered are not searched (they cannot make a finding). */
  minCredits?: number;
  /** Nor accounts whose credits considered come to less than this. */
  minTotalUsd?: number;
  /** Accounts worth searching (say, not a hub); asked of accounts with enough credits. */
  account?(a: number): boolean;
  /**
   * Self-transfers whose direction is unknown (AMLworld writes cash deposits and withdrawals as
   * transfers from an account to itself): one that matches a waiting credit on its own is taken
   * as its withdrawal; otherwise it is a credit if `credit` accepts it.
   */
  unknown?(e: number): boolean;
  /**
   * The accounts whose relays are wanted (an incremental run's focus), in increasing order; the
   * others get no slots, as if they had no credit considered. All, when absent.
   */
  only?: readonly number[] | Int32Array;
}

/**
 * The credits considered, per account in time order (as the graph's CSR lists), with what of each
 * left within the window. Typed arrays: a detector asks this of every transaction.
 */
export interface Relays {
  /** The accounts with any, in increasing order (an incremental run's are few). */
  accounts: Int32Array;
  /** The credits of `accounts[i]` are the slots start[i] .. start[i + 1]. */
  start: Int32Array;
  /** Per slot: its credit edge, and the credit's amount. */
  credit: Int32Array;
  amount: Float64Array;
  /** Per slot: the debit that passed it on alone, or -1. */
  single: Int32Array;
  /** Per slot: all that left of it, the single debit and the other debits' draws. */
  forwarded: Float64Array;
  /** Per slot: 1 when it was no credit but a withdrawal (a self-transfer of unknown direction). */
  withdrawal: Uint8Array;
  /** The other debits that drew on a slot, in time order, with how much each drew. */
  draws(slot: number): { debits: number[]; drawn: number[] };
}

const EPS = 1e-6;
/** Credits of an account searched at once: a bound on the search (the most recent are kept). */
const MAX_WAITING = 256;

/** Every credit the rules consider, with the debits that passed it on. */
export function findRelays(g: MoneyGraph, rules: RelayRules): Relays {
  const { only } = rules;
  const { start, credit, amount, time, sender } = only ? slotsOf(g, rules, only) : allSlots(g, rules);
  const relays = new RelayBook(credit, amount);
  const search = new AccountSearch(g, rules, relays, time, sender);
  const accounts = new IntList(only ? only.length : 1024);
  const starts = new IntList(only ? only.length + 1 : 1024);
  // The i-th account searched (`only`'s, or every account).
  const searched = only ? only.length : g.accounts.length;
  for (let i = 0; i < searched; i++) {
    const a = only ? (only[i] as number) : i;
    const lo = start[i] as number;
    const hi = start[i + 1] as number;
    if (hi === lo) continue;
    accounts.push(a);
    starts.push(lo);
    if (hi - lo < (rules.minCredits ?? 1)) continue;
    let total = 0;
    for (let k = lo; k < hi; k++) total += amount[k] as number;
    if (total < (rules.minTotalUsd ?? 0) || !(rules.account?.(a) ?? true)) continue;
    search.run(a, lo, hi);
  }
  // Accounts' slots are adjacent, in the accounts' order: each range ends where the next begins.
  starts.push(credit.length);
  return {
    accounts: accounts.view(),
    start: starts.view(),
    credit,
    amount,
    single: relays.single,
    forwarded: relays.forwarded,
    withdrawal: relays.withdrawal,
    draws: (s) => relays.draws(s),
  };
}

/** Whether the rules take edge e into account `to` as a credit (a slot). */
function isCredit(g: MoneyGraph, rules: RelayRules, e: number, to: number): boolean {
  return g.from[e] === to ? rules.unknown?.(e) === true && rules.credit(e) : rules.credit(e);
}

/**
 * The slots, per account in edge (time) order, with what the search reads of each, laid out by
 * slot (an account's slots are adjacent): the slots of the i-th account searched (every account,
 * or those asked for) are start[i] .. start[i + 1].
 */
interface Slots {
  start: Int32Array;
  credit: Int32Array;
  amount: Float64Array;
  time: Float64Array;
  sender: Int32Array;
}

/** Slots for `slots` credits, laid out per account by `start`. */
function emptySlots(start: Int32Array, slots: number): Slots {
  return {
    start,
    credit: new Int32Array(slots),
    amount: new Float64Array(slots),
    time: new Float64Array(slots),
    sender: new Int32Array(slots),
  };
}

/** Slot k is edge e. */
function place(g: MoneyGraph, s: Slots, k: number, e: number): void {
  s.credit[k] = e;
  s.amount[k] = g.amountUsd[e] as number;
  s.time[k] = g.time[e] as number;
  s.sender[k] = g.from[e] as number;
}

/** The slots of every account: one pass over every edge in order, then each put in its place. */
function allSlots(g: MoneyGraph, rules: RelayRules): Slots {
  const n = g.accounts.length;
  const E = g.edgeCount;
  const isSlot = new Uint8Array(E);
  const count = new Int32Array(n + 1);
  for (let e = 0; e < E; e++) {
    const to = g.to[e] as number;
    if (to >= 0 && isCredit(g, rules, e, to)) {
      isSlot[e] = 1;
      count[to + 1] = (count[to + 1] as number) + 1;
    }
  }
  for (let a = 0; a < n; a++) count[a + 1] = (count[a + 1] as number) + (count[a] as number);
  const s = emptySlots(count.slice(), count[n] as number);
  // Read in edge order (the columns from start to end), written where each slot belongs.
  const fill = count.subarray(0, n);
  for (let e = 0; e < E; e++) {
    if (isSlot[e] === 0) continue;
    const to = g.to[e] as number;
    place(g, s, fill[to] as number, e);
    fill[to] = (fill[to] as number) + 1;
  }
  return s;
}

/**
 * The slots of the wanted accounts only, from their in-edges: accounts in order and each one's
 * in-edges in edge order, so each slot lands where the pass over every edge puts it. Their starts
 * are the wanted accounts' only: a table of every account's, filled on every incremental run by
 * two detectors, cost its fresh memory's first touch.
 */
function slotsOf(g: MoneyGraph, rules: RelayRules, only: readonly number[] | Int32Array): Slots {
  const start = new Int32Array(only.length + 1);
  // An Int32Array's (`IntList`): an incremental run's slots are tens of thousands.
  const credit = new IntList(only.length);
  for (let i = 0; i < only.length; i++) {
    const a = only[i] as number;
    for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++) {
      const e = g.inEdges[k] as number;
      if (isCredit(g, rules, e, a)) credit.push(e);
    }
    start[i + 1] = credit.length;
  }
  const s = emptySlots(start, credit.length);
  for (let k = 0; k < credit.length; k++) place(g, s, k, credit.get(k));
  return s;
}

/**
 * When looking near the new transactions costs more than looking everywhere: past this share of
 * the graph's transactions new (and this many). Each new transaction is read where it lies, and
 * its accounts' ledgers with it; a full search reads every transaction once, in order. On the 5M
 * bench graph the two cost about the same with 8–10% of its transactions new.
 */
export const LOOK_EVERYWHERE: Readonly<{ share: number; edges: number }> = { share: 0.08, edges: 10_000 };

/**
 * The accounts whose relays can put a new transaction (`fresh`, ascending: an incremental run's
 * `newEdgesOf(focus)`) in a finding, in increasing order; undefined when so many transactions are
 * new that searching every account costs less (`everywhere`). A finding of the pass-through and
 * funnel-account detectors is an account's credits passed on and the debits that passed them on,
 * all the account's own transactions: so the account is at distance 0 from a new transaction,
 * and more, the new transaction is
 * - one of its credits the rules consider, which `usable` (the detector's own test of a finding's
 *   credits) accepts;
 * - or one of its debits that can pass money on (a debit the rules count as money leaving, or a
 *   self-transfer of unknown direction) with such a credit waiting for it: paid in before it,
 *   within `windowMs`, by another than its payee. A debit with none passes nothing on.
 * Accounts the rules do not search (`account`) are left out. A new card payment to a merchant, or
 * a bill paid from an account that received nothing the days before, leaves its accounts out.
 */
export function accountsOfNew(
  g: MoneyGraph,
  rules: RelayRules,
  fresh: Int32Array,
  usable: (credit: number) => boolean = () => true,
  everywhere = LOOK_EVERYWHERE,
): Int32Array | undefined {
  if (fresh.length > Math.max(everywhere.edges, everywhere.share * g.edgeCount)) return undefined;
  const marked = scratch.take(Uint8Array, g.accounts.length);
  const wanted = new IntList(fresh.length);
  const want = (a: number) => {
    marked[a] = 1;
    wanted.push(a);
  };
  const searched = (a: number) => a >= 0 && marked[a] === 0 && (rules.account?.(a) ?? true);
  const waiting = (c: number, a: number) => isCredit(g, rules, c, a) && usable(c);
  for (let i = 0; i < fresh.length; i++) {
    const e = fresh[i] as number;
    const from = g.from[e] as number;
    const to = g.to[e] as number;
    if (searched(to) && waiting(e, to)) want(to);
    if (
      searched(from) &&
      (from === to ? rules.unknown?.(e) === true : rules.debit(e)) &&
      creditWaits(g, rules.windowMs, from, e, waiting)
    )
      want(from);
  }
  return wanted.view().sort();
}

/**
 * Whether a credit of account a that `waiting` accepts waits for its debit e, as the search sees
 * one: before e, at most `windowMs` before it, and not from e's payee (money sent back is a refund).
 */
function creditWaits(
  g: MoneyGraph,
  windowMs: number,
  a: number,
  e: number,
  waiting: (c: number, a: number) => boolean,
): boolean {
  const payee = g.to[e] === a ? -1 : (g.to[e] as number);
  const since = (g.time[e] as number) - windowMs;
  // The account's first credit at or after `since` (its in-edges are in time order).
  let lo = g.inStart[a] as number;
  let hi = g.inStart[a + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((g.time[g.inEdges[mid] as number] as number) < since) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < (g.inStart[a + 1] as number); k++) {
    const c = g.inEdges[k] as number;
    if (c >= e) return false;
    if ((payee < 0 || g.from[c] !== payee) && waiting(c, a)) return true;
  }
  return false;
}

/**
 * Whether credit c may be passed on (`passedOn` with the rules' `minKept`): the debits of its
 * account that can pass money on within `windowMs` after it (to another than its payer) come to
 * at least that share of it. What a debit passes on, to c or to others, is never more than it, so
 * a credit with less is never passed on: a cheap test, for an incremental run, before the costlier
 * ones (whether the payer is one-off).
 */
export function mayPassOn(g: MoneyGraph, rules: RelayRules, c: number): boolean {
  const a = g.to[c] as number;
  if (a < 0) return false;
  const payer = g.from[c] as number;
  const t = g.time[c] as number;
  // An EPS below `passedOn`'s bound: sums added in another order may differ in the last bits.
  const need = rules.minKept * (g.amountUsd[c] as number) - 2 * EPS;
  // The account's first debit after c (its out-edges are in edge order).
  let lo = g.outStart[a] as number;
  let hi = g.outStart[a + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((g.outEdges[mid] as number) <= c) lo = mid + 1;
    else hi = mid;
  }
  let out = 0;
  for (let k = lo; k < (g.outStart[a + 1] as number) && out < need; k++) {
    const e = g.outEdges[k] as number;
    // As the search puts it: c waits for e unless t < e's time - windowMs.
    if (t < (g.time[e] as number) - rules.windowMs) break;
    const to = g.to[e] as number;
    if (to === a ? rules.unknown?.(e) === true : (to < 0 || to !== payer) && rules.debit(e))
      out += g.amountUsd[e] as number;
  }
  return out >= need;
}

/** What is known of every slot: its single debit, what left of it, and the other debits' draws. */
class RelayBook {
  readonly single: Int32Array;
  readonly forwarded: Float64Array;
  readonly withdrawal: Uint8Array;
  private readonly firstDraw: Int32Array;
  private readonly lastDraw: Int32Array;
  private readonly nextDraw: number[] = [];
  private readonly drawDebit: number[] = [];
  private readonly drawAmount: number[] = [];
  constructor(
    readonly credit: Int32Array,
    readonly amount: Float64Array,
  ) {
    const slots = credit.length;
    this.single = new Int32Array(slots).fill(-1);
    this.forwarded = new Float64Array(slots);
    this.withdrawal = new Uint8Array(slots);
    this.firstDraw = new Int32Array(slots).fill(-1);
    this.lastDraw = new Int32Array(slots).fill(-1);
  }
  draw(slot: number, debit: number, amount: number): void {
    const d = this.drawDebit.length;
    this.drawDebit.push(debit);
    this.drawAmount.push(amount);
    this.nextDraw.push(-1);
    const last = this.lastDraw[slot] as number;
    if (last >= 0) this.nextDraw[last] = d;
    else this.firstDraw[slot] = d;
    this.lastDraw[slot] = d;
    this.forwarded[slot] = (this.forwarded[slot] as number) + amount;
  }
  draws(slot: number): { debits: number[]; drawn: number[] } {
    const debits: number[] = [];
    const drawn: number[] = [];
    for (let d = this.firstDraw[slot] as number; d >= 0; d = this.nextDraw[d] as number) {
      debits.push(this.drawDebit[d] as number);
      drawn.push(this.drawAmount[d] as number);
    }
    return { debits, drawn };
  }
}

/**
 * The search over one account's ledger: its slots and its debits (its out-edges), merged in edge
 * (time) order, in two passes (see the module's comment).
 */
class AccountSearch {
  /** What is left of each slot of the account being searched (indexed from its first slot). */
  private left = new Float64Array(64);
  private readonly pending: number[] = [];
  private readonly amounts: number[] = [];
  constructor(
    private readonly g: MoneyGraph,
    private readonly rules: RelayRules,
    private readonly book: RelayBook,
    private readonly time: Float64Array,
    private readonly sender: Int32Array,
  ) {}

  run(a: number, lo: number, hi: number): void {
    const { g, rules, book } = this;
    if (this.left.length < hi - lo) this.left = new Float64Array(2 * (hi - lo));
    const left = this.left;
    for (let k = lo; k < hi; k++) left[k - lo] = book.amount[k] as number;
    const outLo = g.outStart[a] as number;
    const outHi = g.outStart[a + 1] as number;
    const singled: number[] = [];
    // Pass 1: debits that pass one waiting credit on alone, the closest fit.
    let first = lo;
    let next = lo;
    for (let j = outLo; j < outHi; j++) {
      const e = g.outEdges[j] as number;
      while (next < hi && (book.credit[next] as number) < e) next++;
      // Nothing waiting: the debit is not read at all (most debits of most accounts).
      while (first < next && (left[first - lo] as number) <= EPS) first++;
      if (first === next) continue;
      const self = g.to[e] === a;
      if (self && rules.unknown?.(e) !== true) continue;
      const t = g.time[e] as number;
      while (first < next && (this.time[first] as number) < t - rules.windowMs) first++;
      const x = g.amountUsd[e] as number;
      const payee = self ? -1 : (g.to[e] as number);
      let best = -1;
      for (let k = Math.max(first, next - MAX_WAITING); k < next; k++) {
        const room = left[k - lo] as number;
        if (room <= EPS || (payee >= 0 && this.sender[k] === payee)) continue;
        if (x > room + EPS || x < rules.minKept * room) continue;
        if (best < 0 || room < (left[best - lo] as number)) best = k;
      }
      // The rule on debits is asked last: it may be the costliest question.
      if (best >= 0 && (self || rules.debit(e))) {
        book.single[best] = e;
        book.forwarded[best] = x;
        left[best - lo] = 0;
        singled.push(e);
        // A self-transfer taken as a withdrawal is no deposit: its slot never waits.
        if (self && next < hi && book.credit[next] === e) {
          book.withdrawal[next] = 1;
          left[next - lo] = 0;
          next++;
        }
      }
    }
    // Pass 2: the other debits draw on what is left, newest credit first.
    for (let k = lo; k < hi; k++)
      left[k - lo] =
        book.withdrawal[k] === 1 ? 0 : (book.amount[k] as number) - (book.forwarded[k] as number);
    first = lo;
    next = lo;
    let s = 0;
    for (let j = outLo; j < outHi; j++) {
      const e = g.outEdges[j] as number;
      while (next < hi && (book.credit[next] as number) < e) next++;
      if (s < singled.length && singled[s] === e) {
        s++;
        continue;
      }
      while (first < next && (left[first - lo] as number) <= EPS) first++;
      if (first === next || g.to[e] === a) continue;
      const t = g.time[e] as number;
      while (first < next && (this.time[first] as number) < t - rules.windowMs) first++;
      if (first === next) continue;
      const x = g.amountUsd[e] as number;
      const payee = g.to[e] as number;
      let need = x;
      this.pending.length = 0;
      this.amounts.length = 0;
      for (let k = next - 1; k >= Math.max(first, next - MAX_WAITING) && need > EPS; k--) {
        const room = left[k - lo] as number;
        if (room <= EPS || (payee >= 0 && this.sender[k] === payee)) continue;
        const y = Math.min(need, room);
        need -= y;
        this.pending.push(k);
        this.amounts.push(y);
      }
      // A debit mostly of other money (the account's own funds) relays nothing.
      if (x - need < rules.minKept * x - EPS || !rules.debit(e)) continue;
      for (let i = 0; i < this.pending.length; i++) {
        const k = this.pending[i] as number;
        const y = this.amounts[i] as number;
        book.draw(k, e, y);
        left[k - lo] = (left[k - lo] as number) - y;
      }
    }
  }
}

/**
 * What of a slot passed on `share` of its credit: its single debit, then the others in time order
 * up to the one that reached the share (later ones spent what the account kept).
 */
export function relayedBy(
  g: MoneyGraph,
  relays: Relays,
  slot: number,
  share: number,
): { debits: number[]; out: number } {
  const target = share * (relays.amount[slot] as number) - EPS;
  const first = relays.single[slot] as number;
  let out = first >= 0 ? (g.amountUsd[first] as number) : 0;
  const debits = first >= 0 ? [first] : [];
  const { debits: others, drawn } = relays.draws(slot);
  for (let k = 0; k < others.length && out < target; k++) {
    out += drawn[k] as number;
    debits.push(others[k] as number);
  }
  return { debits: debits.sort((a, b) => a - b), out };
}

/** Whether a slot's credit was passed on: at least `share` of it left. */
export function passedOn(relays: Relays, slot: number, share: number): boolean {
  return (
    relays.withdrawal[slot] === 0 &&
    (relays.forwarded[slot] as number) >= share * (relays.amount[slot] as number) - EPS
  );
}

/**
 * Whether a credit is one-off: its payer's payments to this payee all fall within `relationshipMs`
 * of each other. A payer that pays again and again (an employer, a tenant, a client) is a
 * relationship, and its money is the account's own income. Worked out for a payee's credits when
 * one of them is first asked about (most accounts are never asked); or, while that costs less, for
 * the one credit asked, from its payer's payments (an incremental run asks of a few credits of
 * accounts paid by thousands).
 */
export function oneOffCredits(g: MoneyGraph, relationshipMs: number): (e: number) => boolean {
  // The whole graph's one-off flags, when it has them already (other detectors ask for them, and
  // an incremental run carries them from the last run's graph): the same test, pair by pair, but
  // for payments to oneself, which they never flag and this does.
  const flags = memoOf<Uint8Array>(g, `${ONE_OFF_KEY}${relationshipMs}`);
  // The tables for working a payee's credits out, made when first needed: with the flags, only a
  // payment to oneself needs them, and six tables of the graph's size (16 MB on 5M edges, in each
  // of two detectors) cost an incremental run the first touch of their memory.
  let t: ReturnType<typeof payeeTables> | null = null;
  return (e) => {
    const a = g.to[e] as number;
    const payer = g.from[e] as number;
    if (a < 0 || payer < 0) return false;
    if (flags && a !== payer) return flags[e] === 1;
    t ??= payeeTables(g);
    const { first, last, stamp, done, spent, oneOff } = t;
    if (done[a] === 1) return oneOff[e] === 1;
    const lo = g.inStart[a] as number;
    const hi = g.inStart[a + 1] as number;
    const cost = (g.outStart[payer + 1] as number) - (g.outStart[payer] as number);
    if ((spent[a] as number) + cost < hi - lo) {
      spent[a] = (spent[a] as number) + cost;
      return oneOffFromPayer(g, e, relationshipMs);
    }
    done[a] = 1;
    for (let k = lo; k < hi; k++) {
      const x = g.inEdges[k] as number;
      const c = g.from[x] as number;
      if (c < 0) continue;
      const time = g.time[x] as number;
      if (stamp[c] !== a) {
        stamp[c] = a;
        first[c] = time;
      }
      last[c] = time;
    }
    for (let k = lo; k < hi; k++) {
      const x = g.inEdges[k] as number;
      const c = g.from[x] as number;
      if (c >= 0 && (last[c] as number) - (first[c] as number) <= relationshipMs) oneOff[x] = 1;
    }
    return oneOff[e] === 1;
  };
}

/** What `oneOffCredits` keeps while working payees' credits out. */
function payeeTables(g: MoneyGraph) {
  const n = g.accounts.length;
  return {
    first: new Float64Array(n),
    last: new Float64Array(n),
    stamp: new Int32Array(n).fill(-1),
    done: new Uint8Array(n),
    // Per payee, what its credits asked one at a time have cost, in edges read: once that would
    // come to its credits' count, they are all worked out at once (a full run asks of many).
    spent: new Int32Array(n),
    oneOff: new Uint8Array(g.edgeCount),
  };
}

/** Whether credit e is one-off, from its payer's payments (in time order) to its payee. */
function oneOffFromPayer(g: MoneyGraph, e: number, relationshipMs: number): boolean {
  const payer = g.from[e] as number;
  const payee = g.to[e] as number;
  let first = -1;
  let last = -1;
  for (let k = g.outStart[payer] as number; k < (g.outStart[payer + 1] as number); k++) {
    const x = g.outEdges[k] as number;
    if (g.to[x] !== payee) continue;
    if (first < 0) first = x;
    last = x;
  }
  return (g.time[last] as number) - (g.time[first] as number) <= relationshipMs;
}

/** Distinct counterparties of an account, its payers or its payees (itself and cash left out). */
export function counterparties(g: MoneyGraph): { payers(a: number): number; payees(a: number): number } {
  const { payers, payees } = distinctDegrees(g);
  return { payers: (a) => payers[a] as number, payees: (a) => payees[a] as number };
}

/** The sum of an account's credits (or debits) with time in [from, to], self-transfers left out. */
export function flowBetween(g: MoneyGraph, account: number, side: "in" | "out", from: number, to: number) {
  const start = side === "in" ? g.inStart : g.outStart;
  const list = side === "in" ? g.inEdges : g.outEdges;
  let lo = start[account] as number;
  let hi = start[account + 1] as number;
  // Each list is in time order: find the first edge at or after `from`.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((g.time[list[mid] as number] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  let sum = 0;
  for (let k = lo; k < (start[account + 1] as number); k++) {
    const e = list[k] as number;
    if ((g.time[e] as number) > to) break;
    if (g.from[e] !== g.to[e]) sum += g.amountUsd[e] as number;
  }
  return sum;
}
