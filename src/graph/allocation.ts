/**
 * How a commingled account's debits are attributed to the money in it, by the methods forensic
 * accountants use: FIFO (first in, first out), LIFO (last in, first out), pro-rata (each debit
 * takes traced and other money in proportion), and LIBR (the lowest intermediate balance rule:
 * other money is spent first, and the traced money left is never more than the lowest balance
 * since it arrived; later deposits of other money do not restore it). Pure: one account's
 * running balance, credit by credit and debit by debit.
 */

export const TRACE_METHODS = ["fifo", "lifo", "pro-rata", "libr"] as const;
export type TraceMethod = (typeof TRACE_METHODS)[number];

/** Amounts below a hundredth of a cent are rounding, not money. */
const EPSILON = 1e-4;
const EMPTY = new Float64Array(0);

export interface AccountBalance {
  /** Adds a credit of `amount`, of which `traced` (≤ amount) is traced money. */
  credit(amount: number, traced: number): void;
  /** Adds credits of amounts[0..count), none of it traced: `credit(amount, 0)` for each, in order. */
  creditUntraced(amounts: Float64Array, count: number): void;
  /** Takes a debit of `amount`; returns the traced part of it. */
  debit(amount: number): number;
  /** Money in the account (never below zero: an unknown opening balance is taken as zero). */
  readonly balance: number;
  readonly traced: number;
  /** Money debited beyond the balance, i.e. funded from before the window or unrecorded sources. */
  readonly unfunded: number;
  /** Gives its storage back to the pool it came from (if any); the balance is not used after. */
  release(): void;
}

/**
 * Arrays for lots, by power-of-two size, kept between traces. A trace from a hub reaches accounts
 * with a hundred thousand credits, and new arrays that size count as external memory for V8: a
 * few of them per trace set off a full collection, every trace.
 */
export class LotArrays {
  private readonly free: Float64Array[][] = [];

  /** An array of at least `size` (its contents are left over: lots are written before read). */
  take(size: number): Float64Array {
    const c = Math.max(3, Math.ceil(Math.log2(size)));
    return this.free[c]?.pop() ?? new Float64Array(2 ** c);
  }

  /** Keeps the array for a later `take` (only arrays `take` made: a power of two long). */
  give(a: Float64Array): void {
    if (a.length < 8 || (a.length & (a.length - 1)) !== 0) return;
    const c = Math.log2(a.length);
    let list = this.free[c];
    if (list === undefined) {
      list = [];
      this.free[c] = list;
    }
    list.push(a);
  }
}

/**
 * FIFO and LIFO: the balance as lots, each with its traced share, taken from one end. The lots
 * are typed arrays: a hub reached by a trace brings its whole history of credits as lots.
 */
class LotBalance implements AccountBalance {
  /** The lots are [head, tail) of both: amounts and their traced parts. */
  private amounts: Float64Array;
  private traces: Float64Array;
  private head = 0;
  private tail = 0;
  balance = 0;
  traced = 0;
  unfunded = 0;

  constructor(
    private readonly lastIn: boolean,
    private readonly arrays: LotArrays | undefined,
  ) {
    this.amounts = this.take(8);
    this.traces = this.take(8);
  }

  release(): void {
    this.arrays?.give(this.amounts);
    this.arrays?.give(this.traces);
    this.amounts = this.traces = EMPTY;
    this.head = this.tail = 0;
  }

  private take(size: number): Float64Array {
    return this.arrays?.take(size) ?? new Float64Array(size);
  }

  credit(amount: number, traced: number): void {
    if (amount <= 0) return;
    const part = Math.min(traced, amount);
    this.reserve(1);
    this.amounts[this.tail] = amount;
    this.traces[this.tail] = part;
    this.tail++;
    this.balance += amount;
    this.traced += part;
  }

  creditUntraced(amounts: Float64Array, count: number): void {
    this.reserve(count);
    const lots = this.amounts;
    const traces = this.traces;
    let tail = this.tail;
    for (let k = 0; k < count; k++) {
      const amount = amounts[k] as number;
      if (amount <= 0) continue;
      lots[tail] = amount;
      traces[tail] = 0;
      tail++;
      // (No traced part: `traced` stays as it is.)
      this.balance += amount;
    }
    this.tail = tail;
  }

  debit(amount: number): number {
    const lots = this.amounts;
    const traces = this.traces;
    let need = amount;
    let taken = 0;
    while (need > EPSILON && this.tail > this.head) {
      const k = this.lastIn ? this.tail - 1 : this.head;
      const lot = lots[k] as number;
      const lotTraced = traces[k] as number;
      const take = Math.min(lot, need);
      const tracedPart = lot > 0 ? (lotTraced * take) / lot : 0;
      taken += tracedPart;
      need -= take;
      if (take >= lot - EPSILON) {
        if (this.lastIn) this.tail--;
        else this.head++;
      } else {
        lots[k] = lot - take;
        traces[k] = lotTraced - tracedPart;
      }
    }
    if (this.head === this.tail) this.head = this.tail = 0;
    this.settle(amount, need, taken);
    return taken;
  }

  /** Room for `count` more lots at the tail: the lots moved to the front, or to larger arrays. */
  private reserve(count: number): void {
    if (this.tail + count <= this.amounts.length) return;
    const live = this.tail - this.head;
    let lots = this.amounts;
    let traces = this.traces;
    if (2 * (live + count) > lots.length) {
      const size = Math.max(2 * lots.length, 2 * (live + count));
      lots = this.take(size);
      traces = this.take(size);
    }
    lots.set(this.amounts.subarray(this.head, this.tail));
    traces.set(this.traces.subarray(this.head, this.tail));
    if (lots !== this.amounts) {
      this.arrays?.give(this.amounts);
      this.arrays?.give(this.traces);
    }
    this.amounts = lots;
    this.traces = traces;
    this.head = 0;
    this.tail = live;
  }

  private settle(amount: number, unmet: number, taken: number): void {
    this.unfunded += Math.max(0, unmet);
    this.balance = Math.max(0, this.balance - (amount - Math.max(0, unmet)));
    this.traced = Math.max(0, this.traced - taken);
    if (this.balance <= EPSILON) {
      this.balance = 0;
      this.traced = 0;
    }
  }
}

/** A balance kept as two totals, the account's money and the traced part of it. */
abstract class TotalsBalance implements AccountBalance {
  balance = 0;
  traced = 0;
  unfunded = 0;

  release(): void {}

  credit(amount: number, traced: number): void {
    if (amount <= 0) return;
    this.balance += amount;
    this.traced += Math.min(traced, amount);
  }

  creditUntraced(amounts: Float64Array, count: number): void {
    for (let k = 0; k < count; k++) {
      const amount = amounts[k] as number;
      if (amount > 0) this.balance += amount;
    }
  }

  /** Pays `amount` out of the balance (an unknown opening balance funds any excess); returns what the balance paid. */
  protected pay(amount: number): number {
    const funded = Math.min(amount, this.balance);
    this.unfunded += amount - funded;
    return funded;
  }

  /** An emptied account holds no traced money, whatever rounding left. */
  protected settle(): void {
    if (this.balance <= EPSILON) {
      this.balance = 0;
      this.traced = 0;
    }
  }

  abstract debit(amount: number): number;
}

/** Pro-rata: every debit carries the account's current traced share. */
class ProRataBalance extends TotalsBalance {
  debit(amount: number): number {
    const before = this.balance;
    const funded = this.pay(amount);
    const taken = before > 0 ? (this.traced * funded) / before : 0;
    this.balance -= funded;
    this.traced -= taken;
    this.settle();
    return taken;
  }
}

/** LIBR: other money goes first; traced money is cut to the balance when the balance falls below it. */
class LibrBalance extends TotalsBalance {
  debit(amount: number): number {
    this.balance -= this.pay(amount);
    const before = this.traced;
    this.traced = Math.min(this.traced, this.balance);
    this.settle();
    return before - this.traced;
  }
}

/** A balance by the method; FIFO and LIFO take their lots' arrays from `arrays` when given. */
export function newBalance(method: TraceMethod, arrays?: LotArrays): AccountBalance {
  switch (method) {
    case "fifo":
      return new LotBalance(false, arrays);
    case "lifo":
      return new LotBalance(true, arrays);
    case "pro-rata":
      return new ProRataBalance();
    case "libr":
      return new LibrBalance();
  }
}
