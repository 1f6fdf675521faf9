import type { Channel } from "../model/channel.js";

/**
 * One generated transaction, before it is written. Compact on purpose: a world of 50M
 * transactions passes through here day by day, and only one day's events are held at a time.
 */
export interface TxEvent {
  /** Minutes since the world's start (day × 1440 + minute of day). */
  t: number;
  /** Account index, or -1 for cash in (no paying account). */
  from: number;
  /** Account index, or -1 for cash out (no receiving account). */
  to: number;
  /** Amount paid, in hundredths of the paid currency (satoshis for XBT). */
  minor: number;
  /** Paid currency, an ISO code of the shipped FX table. */
  currency: string;
  /** Received amount and currency where they differ from what was paid (cross-currency). */
  recvMinor: number;
  recvCurrency: string;
  channel: Channel;
  mcc: string | null;
  /** City index where the transaction took place (card, cash, branch), or -1. */
  city: number;
  /** Made at a branch of the account's bank in `city` (cash over the counter). */
  branch: boolean;
  /** Account of the person who physically conducted a cash transaction (their party record), or -1. */
  conductor: number;
  /** Planted instance index, or -1 for ordinary activity. */
  instance: number;
}

export const MINUTES_PER_DAY = 1440;

/** Minor units per unit: satoshis for bitcoin, hundredths for every other currency. */
export function minorPerUnit(currency: string): number {
  return currency === "XBT" ? 100_000_000 : 100;
}

/** Events bucketed by day, so that the writer can emit each day in time order and forget it. */
export class DayBuckets {
  private readonly days: TxEvent[][];

  constructor(readonly dayCount: number) {
    this.days = Array.from({ length: dayCount }, () => []);
  }

  /** Adds an event; events outside the world's days are dropped (a pattern may run past its end). */
  add(event: TxEvent): boolean {
    const day = Math.floor(event.t / MINUTES_PER_DAY);
    if (day < 0 || day >= this.dayCount) return false;
    (this.days[day] as TxEvent[]).push(event);
    return true;
  }

  /** Takes a day's events out (the bucket is emptied: memory follows the writer). */
  take(day: number): TxEvent[] {
    const events = this.days[day] as TxEvent[];
    this.days[day] = [];
    return events;
  }

  count(): number {
    return this.days.reduce((n, d) => n + d.length, 0);
  }
}
