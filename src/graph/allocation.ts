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

export interface AccountBalance {
  /** Adds a credit of `amount`, of which `traced` (≤ amount) is traced money. */
  credit(amount: number, traced: number): void;
  /** Takes a debit of `amount`; returns the traced part of it. */
  debit(amount: number): number;
  /** Money in the account (never below zero: an unknown opening balance is taken as zero). */
  readonly balance: number;
  readonly traced: number;
  /** Money debited beyond the balance, i.e. funded from before the window or unrecorded sources. */
  readonly unfunded: number;
}

/** FIFO and LIFO: the balance as lots, each with its traced share, taken from one end. */
class LotBalance implements AccountBalance {
  private amounts: number[] = [];
  private traces: number[] = [];
  private head = 0;
  balance = 0;
  traced = 0;
  unfunded = 0;

  constructor(private readonly lastIn: boolean) {}

  credit(amount: number, traced: number): void {
    if (amount <= 0) return;
    this.amounts.push(amount);
    this.traces.push(Math.min(traced, amount));
    this.balance += amount;
    this.traced += Math.min(traced, amount);
  }

  debit(amount: number): number {
    let need = amount;
    let taken = 0;
    while (need > EPSILON && this.amounts.length > this.head) {
      const k = this.lastIn ? this.amounts.length - 1 : this.head;
      const lot = this.amounts[k] as number;
      const lotTraced = this.traces[k] as number;
      const take = Math.min(lot, need);
      const tracedPart = lot > 0 ? (lotTraced * take) / lot : 0;
      taken += tracedPart;
      need -= take;
      if (take >= lot - EPSILON) {
        if (this.lastIn) {
          this.amounts.pop();
          this.traces.pop();
        } else this.head++;
      } else {
        this.amounts[k] = lot - take;
        this.traces[k] = lotTraced - tracedPart;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.amounts.length) {
      this.amounts = this.amounts.slice(this.head);
      this.traces = this.traces.slice(this.head);
      this.head = 0;
    }
    this.settle(amount, need, taken);
    return taken;
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

  credit(amount: number, traced: number): void {
    if (amount <= 0) return;
    this.balance += amount;
    this.traced += Math.min(traced, amount);
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

export function newBalance(method: TraceMethod): AccountBalance {
  switch (method) {
    case "fifo":
      return new LotBalance(false);
    case "lifo":
      return new LotBalance(true);
    case "pro-rata":
      return new ProRataBalance();
    case "libr":
      return new LibrBalance();
  }
}
