import { Channel } from "../model/channel.js";
import { MINUTES_PER_DAY, type TxEvent } from "./events.js";

/**
 * One day's transactions as columns of typed arrays. A day of a large world holds hundreds of
 * thousands of transactions: as objects they cost more to allocate and collect than to write.
 * Strings (currency, channel, MCC) are kept as indices into small interned tables.
 */

export const CHANNELS: readonly Channel[] = Channel.options;
/** Each channel's index in a batch's `channel` column: normal life adds millions of rows by index. */
export const CH = Object.fromEntries(CHANNELS.map((c, i) => [c, i])) as Record<Channel, number>;

/** A growing table of distinct strings, so that a column can hold small indices. */
export class Interned {
  readonly values: string[] = [""];
  private readonly index = new Map<string, number>([["", 0]]);

  of(value: string | null): number {
    if (value === null || value === "") return 0;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/** Currencies and MCCs seen in a world (index 0 is "none"). */
export const currencies = new Interned();
export const mccs = new Interned();
export const USD = currencies.of("USD");

/** The columns of a batch and the typed array each is kept in: the one list the batch is made from. */
const COLUMN_TYPES = {
  t: Int32Array,
  from: Int32Array,
  to: Int32Array,
  minor: Float64Array,
  currency: Uint8Array,
  recvMinor: Float64Array,
  recvCurrency: Uint8Array,
  channel: Uint8Array,
  mcc: Uint16Array,
  city: Int16Array,
  /** 1 when the transaction was made at a branch of the account's bank in `city`. */
  branch: Uint8Array,
  /** Account whose holder conducted a cash transaction (their party record), or -1. */
  conductor: Int32Array,
  instance: Int32Array,
} as const;
type ColumnName = keyof typeof COLUMN_TYPES;
const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as ColumnName[];
type Columns = { [K in ColumnName]: InstanceType<(typeof COLUMN_TYPES)[K]> };

/** A batch's columns, as handed to a worker thread. */
export type EventColumns = Columns & { length: number };

export class EventBatch implements Columns {
  length = 0;
  t = new Int32Array(0);
  from = new Int32Array(0);
  to = new Int32Array(0);
  minor = new Float64Array(0);
  currency = new Uint8Array(0);
  recvMinor = new Float64Array(0);
  recvCurrency = new Uint8Array(0);
  channel = new Uint8Array(0);
  mcc = new Uint16Array(0);
  city = new Int16Array(0);
  branch = new Uint8Array(0);
  conductor = new Int32Array(0);
  instance = new Int32Array(0);

  constructor(capacity = 1024) {
    this.grow(capacity);
  }

  private grow(capacity: number): void {
    const self = this as unknown as Record<
      ColumnName,
      Int32Array | Float64Array | Uint8Array | Uint16Array | Int16Array
    >;
    for (const name of COLUMN_NAMES) {
      const bigger = new COLUMN_TYPES[name](capacity);
      bigger.set(self[name].subarray(0, this.length) as never);
      self[name] = bigger;
    }
  }

  clear(): void {
    this.length = 0;
  }

  /** The columns, to hand to a worker thread (transferred: this batch is unusable afterwards). */
  columns(): EventColumns {
    const out = { length: this.length } as Record<string, unknown>;
    for (const name of COLUMN_NAMES) out[name] = this[name];
    return out as EventColumns;
  }

  static fromColumns(c: EventColumns): EventBatch {
    const batch = new EventBatch(0);
    Object.assign(batch, c);
    return batch;
  }

  /** The buffers behind the columns, for `postMessage`'s transfer list. */
  static buffers(c: EventColumns): ArrayBuffer[] {
    return COLUMN_NAMES.map((name) => c[name].buffer as ArrayBuffer);
  }

  /**
   * Adds a domestic dollar transfer (the common case, positional for speed); `channel` is its
   * index (`CH`); `mcc` and `city` for card and cash transactions.
   */
  add(t: number, from: number, to: number, cents: number, channel: number, mcc = 0, city = -1): void {
    if (this.length === this.t.length) this.grow(Math.max(16, this.t.length * 2));
    const i = this.length++;
    this.t[i] = t;
    this.from[i] = from;
    this.to[i] = to;
    this.minor[i] = cents < 1 ? 1 : Math.round(cents);
    this.currency[i] = USD;
    this.recvMinor[i] = 0;
    this.recvCurrency[i] = 0;
    this.channel[i] = channel;
    this.mcc[i] = mcc;
    this.city[i] = city;
    this.branch[i] = 0;
    this.conductor[i] = -1;
    this.instance[i] = -1;
  }

  /** Adds any transaction given as an event object (planted ones, cross-currency ones). */
  addEvent(e: TxEvent): void {
    this.add(e.t, e.from, e.to, e.minor, CH[e.channel], mccs.of(e.mcc), e.city);
    const i = this.length - 1;
    this.minor[i] = e.minor;
    this.currency[i] = currencies.of(e.currency);
    this.recvMinor[i] = e.recvMinor;
    this.recvCurrency[i] = currencies.of(e.recvCurrency);
    this.branch[i] = e.branch ? 1 : 0;
    this.conductor[i] = e.conductor;
    this.instance[i] = e.instance;
  }

  /** Row indices in time order; rows with the same minute keep the order they were added in. */
  timeOrder(): Uint32Array {
    // A counting sort by minute of the day: linear, and stable.
    const counts = new Uint32Array(MINUTES_PER_DAY + 1);
    const n = this.length;
    const base = n > 0 ? Math.floor((this.t[0] as number) / MINUTES_PER_DAY) * MINUTES_PER_DAY : 0;
    for (let i = 0; i < n; i++)
      counts[(this.t[i] as number) - base + 1] = (counts[(this.t[i] as number) - base + 1] as number) + 1;
    for (let m = 1; m <= MINUTES_PER_DAY; m++) counts[m] = (counts[m] as number) + (counts[m - 1] as number);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const slot = (this.t[i] as number) - base;
      order[counts[slot] as number] = i;
      counts[slot] = (counts[slot] as number) + 1;
    }
    return order;
  }
}
