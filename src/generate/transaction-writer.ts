import type { Channel } from "../model/channel.js";
import { type AccountBytes, accountBytes, RECORD_HEADER } from "./account-bytes.js";
import { putAmount, putBytes, putDigits, putSlice } from "./bytes.js";
import { Calendar } from "./calendar.js";
import { CITIES } from "./data/places.js";
import { CHANNELS, type EventBatch } from "./event-batch.js";
import { MINUTES_PER_DAY, minorPerUnit } from "./events.js";
import { csvField, FileSink, utf8 } from "./file-sink.js";
import { RECORD_ID_DIGITS, RECORD_ID_PREFIX } from "./normal-life.js";

import type { Instance } from "./planter.js";
import type { World } from "./world.js";

/**
 * Writes each transaction twice, on the same line of two files: AMLworld's CSV (read by
 * position, as IBM publishes it) and a bank-style generic CSV read through a mapping. Truth lines
 * go to truth/transactions.csv as they are written. Formatting is table-driven: this runs for
 * every one of up to tens of millions of transactions.
 */

export const AMLWORLD_HEADER =
  "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

export const GENERIC_HEADER =
  "txn_id,booked_at,payer_bank,payer_account,payee_bank,payee_account,amount,currency,amount_received,currency_received,type,mcc,merchant,city,state,country,counterparty_country,branch,conductor";

/** AMLworld has seven payment formats; channels it lacks fold into the nearest one. */
const AMLWORLD_FORMAT: Record<Channel, string> = {
  ach: "ACH",
  check: "Cheque",
  cash: "Cash",
  card: "Credit Card",
  wire: "Wire",
  internal: "Reinvestment",
  crypto: "Bitcoin",
  p2p: "ACH",
  msb: "Wire",
  prepaid: "Credit Card",
  money_order: "Cheque",
  exchange: "Cash",
  other: "ACH",
};

/** The generic file's own words for channels, mapped back by its mapping file's `values.channel`. */
export const GENERIC_TYPE: Record<Channel, string> = {
  ach: "ACH",
  check: "CHEQUE",
  cash: "CASH",
  card: "CARD",
  wire: "WIRE TRANSFER",
  internal: "INTERNAL",
  crypto: "CRYPTO",
  p2p: "P2P",
  msb: "MONEY TRANSFER",
  prepaid: "PREPAID LOAD",
  money_order: "MONEY ORDER",
  exchange: "FX EXCHANGE",
  other: "OTHER",
};

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const COMMA = 44;
const NEWLINE = 10;
const CARD = CHANNELS.indexOf("card");
/** `YYYY/MM/DD HH:MM` (AMLworld) and `YYYY-MM-DD HH:MM:SS` (generic): fixed widths. */
const AML_STAMP = 16;
const ISO_STAMP = 19;
/** The generic file's ids: `TX` and the row's number in nine digits. */
const ID_DIGITS = 9;

/** Per-channel words, pre-encoded. */
const AMLWORLD_FORMAT_BYTES = CHANNELS.map((c) => utf8(AMLWORLD_FORMAT[c]));
const GENERIC_TYPE_BYTES = CHANNELS.map((c) => utf8(GENERIC_TYPE[c]));
const BITCOIN = utf8("Bitcoin");
const RECORD_PREFIX = utf8(RECORD_ID_PREFIX);

/**
 * What the writer needs to know of the world, as plain data: it can cross into a worker thread
 * (the account bytes are transferred, not copied: see `setupTransfers`). Accounts are complete
 * when writing starts (planting opens its accounts first).
 */
export interface WriterSetup {
  dir: string;
  start: string;
  days: number;
  accounts: AccountBytes;
  instances: { typology: string; id: string }[];
  currencyNames: [string, string][];
}

export function writerSetup(
  dir: string,
  world: World,
  calendar: Calendar,
  instances: readonly Instance[],
  currencyNames: Map<string, string>,
): WriterSetup {
  return {
    dir,
    start: calendar.isoDate(0),
    days: calendar.days,
    accounts: accountBytes(world),
    instances: instances.map((i) => ({ typology: i.typology, id: i.id })),
    currencyNames: [...currencyNames],
  };
}

/** The buffers a setup can hand over to a worker thread instead of copying. */
export function setupTransfers(setup: WriterSetup): ArrayBuffer[] {
  const { records, merchants, merchantStart } = setup.accounts;
  return [records.buffer, merchants.buffer, merchantStart.buffer] as ArrayBuffer[];
}

/** The interned strings a batch's indices refer to (event-batch.ts), sent along with it. */
export interface BatchTables {
  currencies: readonly string[];
  mccs: readonly string[];
}

/** What writing produced: the files' digests, and what patterns.txt and the counts need. */
export interface WrittenFiles {
  amlworld: string;
  generic: string;
  rows: number;
  planted: number;
  /** AMLworld rows of each planted instance (by instance index), for patterns.txt. */
  patternLines: [number, string[]][];
}

interface CurrencyBytes {
  code: Uint8Array;
  name: Uint8Array;
  per: number;
}

export class TransactionWriter {
  readonly amlworld: FileSink;
  readonly generic: FileSink;
  readonly truth: FileSink;
  private readonly dayAml: Uint8Array[];
  private readonly dayIso: Uint8Array[];
  private readonly hhmm: Uint8Array[];
  private readonly records: Uint8Array;
  private readonly recordBytes: number;
  private readonly merchants: Uint8Array;
  private readonly merchantStart: Int32Array;
  private readonly accountCount: number;
  private readonly cityBytes: Uint8Array[];
  private readonly mccBytes = new Map<string, Uint8Array>();
  private readonly currencyBytes = new Map<string, CurrencyBytes>();
  private readonly currencyName: Map<string, string>;
  /** Every minute's timestamp of one day, in both files' formats: a row copies its own. */
  private stampDay = -1;
  private readonly amlStamps = new Uint8Array(MINUTES_PER_DAY * AML_STAMP);
  private readonly isoStamps = new Uint8Array(MINUTES_PER_DAY * ISO_STAMP);
  /** The current row's number as the digits of its id, counted up in place. */
  private readonly idDigits = new Uint8Array(ID_DIGITS).fill(48);
  private seq = 0;
  planted = 0;
  private readonly patternLines = new Map<number, string[]>();

  constructor(private readonly setup: WriterSetup) {
    const { dir } = setup;
    const calendar = new Calendar(setup.start, setup.days);
    this.currencyName = new Map(setup.currencyNames);
    this.amlworld = new FileSink(`${dir}/transactions.csv`);
    this.generic = new FileSink(`${dir}/transactions-generic.csv`);
    this.truth = new FileSink(`${dir}/truth/transactions.csv`);
    this.amlworld.line(AMLWORLD_HEADER);
    this.generic.line(GENERIC_HEADER);
    this.truth.line("line,id,typology,instance");
    this.dayAml = Array.from({ length: calendar.days + 1 }, (_, d) =>
      utf8(`${calendar.isoDate(d).replaceAll("-", "/")} `),
    );
    this.dayIso = Array.from({ length: calendar.days + 1 }, (_, d) => utf8(`${calendar.isoDate(d)} `));
    this.hhmm = Array.from({ length: MINUTES_PER_DAY }, (_, m) =>
      utf8(`${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`),
    );
    this.cityBytes = CITIES.map((c) => utf8(`${csvField(c.name)},${c.region},${c.country}`));
    ({
      records: this.records,
      recordBytes: this.recordBytes,
      merchants: this.merchants,
      merchantStart: this.merchantStart,
    } = setup.accounts);
    this.accountCount = this.records.length / this.recordBytes;
  }

  private mcc(code: string): Uint8Array {
    let bytes = this.mccBytes.get(code);
    if (!bytes) {
      bytes = utf8(code);
      this.mccBytes.set(code, bytes);
    }
    return bytes;
  }

  private currency(code: string): CurrencyBytes {
    let c = this.currencyBytes.get(code);
    if (!c) {
      c = { code: utf8(code), name: utf8(this.currencyName.get(code) ?? code), per: minorPerUnit(code) };
      this.currencyBytes.set(code, c);
    }
    return c;
  }

  /** Fills the timestamp tables with day `day`'s minutes. */
  private stampsFor(day: number): void {
    const aml = this.dayAml[day];
    const iso = this.dayIso[day];
    if (!aml || !iso) throw new Error(`day ${day} is outside the world`);
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      const time = this.hhmm[m] as Uint8Array;
      putBytes(this.amlStamps, putBytes(this.amlStamps, m * AML_STAMP, aml), time);
      const p = putBytes(this.isoStamps, putBytes(this.isoStamps, m * ISO_STAMP, iso), time);
      this.isoStamps[p] = 58; // :
      this.isoStamps[p + 1] = 48;
      this.isoStamps[p + 2] = 48;
    }
    this.stampDay = day;
  }

  /** The next row's number, counted up in the id's digits. */
  private nextId(): void {
    this.seq++;
    const digits = this.idDigits;
    for (let k = ID_DIGITS - 1; k >= 0; k--) {
      if (digits[k] !== 57) {
        digits[k] = (digits[k] as number) + 1;
        return;
      }
      digits[k] = 48;
    }
  }

  private checkAccount(account: number): void {
    if (!(account >= 0 && account < this.accountCount))
      throw new Error(`account ${account} is not in the writer's setup`);
  }

  /** Writes one day's transactions in time order. */
  writeDay(batch: EventBatch, tables: BatchTables): void {
    const order = batch.timeOrder();
    // Per batch, its interned indices resolved once to encoded bytes.
    const currencies = tables.currencies.map((c) => this.currency(c || "USD"));
    const mccs = tables.mccs.map((m) => this.mcc(m));
    for (let k = 0; k < order.length; k++) this.write(batch, order[k] as number, currencies, mccs);
  }

  private write(b: EventBatch, i: number, currencies: CurrencyBytes[], mccs: Uint8Array[]): void {
    const t = b.t[i] as number;
    const day = Math.floor(t / MINUTES_PER_DAY);
    if (day !== this.stampDay) this.stampsFor(day);
    const minute = t - day * MINUTES_PER_DAY;
    const fromIx = b.from[i] as number;
    const toIx = b.to[i] as number;
    // AMLworld names two accounts on every row: cash in and out appear as self-transfers.
    const fromAccount = fromIx >= 0 ? fromIx : toIx;
    const toAccount = toIx >= 0 ? toIx : fromIx;
    this.checkAccount(fromAccount);
    this.checkAccount(toAccount);
    const records = this.records;
    const fromRecord = fromAccount * this.recordBytes;
    const fromLength = records[fromRecord] as number;
    const toRecord = toAccount * this.recordBytes;
    const toLength = records[toRecord] as number;
    const paid = currencies[b.currency[i] as number] as CurrencyBytes;
    const minor = b.minor[i] as number;
    const recvIx = b.recvCurrency[i] as number;
    const cross = recvIx !== 0 && recvIx !== b.currency[i];
    const recv = cross ? (currencies[recvIx] as CurrencyBytes) : paid;
    const recvMinor = cross ? (b.recvMinor[i] as number) : minor;
    const channel = b.channel[i] as number;
    const instance = b.instance[i] as number;

    // Both lines are written straight into their files' buffers (bytes.ts).
    const a = this.amlworld;
    let buf = a.room(512);
    const lineStart = a.position;
    let p = putSlice(buf, lineStart, this.amlStamps, minute * AML_STAMP, AML_STAMP);
    buf[p++] = COMMA;
    p = putSlice(buf, p, records, fromRecord + RECORD_HEADER, fromLength);
    buf[p++] = COMMA;
    p = putSlice(buf, p, records, toRecord + RECORD_HEADER, toLength);
    buf[p++] = COMMA;
    p = putAmount(buf, p, recvMinor, recv.per);
    buf[p++] = COMMA;
    p = putBytes(buf, p, recv.name);
    buf[p++] = COMMA;
    // The amount paid, kept where it is to be copied into the generic line.
    const amountAt = p;
    p = putAmount(buf, p, minor, paid.per);
    const amountEnd = p;
    buf[p++] = COMMA;
    p = putBytes(buf, p, paid.name);
    buf[p++] = COMMA;
    p = putBytes(buf, p, paid.per === 100 ? (AMLWORLD_FORMAT_BYTES[channel] as Uint8Array) : BITCOIN);
    buf[p++] = COMMA;
    buf[p++] = instance >= 0 ? 49 : 48;
    buf[p++] = NEWLINE;
    a.advance(p);
    const aml = buf;

    this.nextId();
    const g = this.generic;
    buf = g.room(1024);
    p = g.position;
    buf[p++] = 84; // T
    buf[p++] = 88; // X
    p = this.seq < 10 ** ID_DIGITS ? putBytes(buf, p, this.idDigits) : putDigits(buf, p, this.seq, ID_DIGITS);
    buf[p++] = COMMA;
    p = putSlice(buf, p, this.isoStamps, minute * ISO_STAMP, ISO_STAMP);
    buf[p++] = COMMA;
    if (fromIx >= 0) p = putSlice(buf, p, records, fromRecord + RECORD_HEADER, fromLength);
    else buf[p++] = COMMA;
    buf[p++] = COMMA;
    if (toIx >= 0) p = putSlice(buf, p, records, toRecord + RECORD_HEADER, toLength);
    else buf[p++] = COMMA;
    buf[p++] = COMMA;
    p = putSlice(buf, p, aml, amountAt, amountEnd - amountAt);
    buf[p++] = COMMA;
    p = putBytes(buf, p, paid.code);
    buf[p++] = COMMA;
    if (cross) p = putAmount(buf, p, recvMinor, recv.per);
    buf[p++] = COMMA;
    if (cross) p = putBytes(buf, p, recv.code);
    buf[p++] = COMMA;
    p = putBytes(buf, p, GENERIC_TYPE_BYTES[channel] as Uint8Array);
    buf[p++] = COMMA;
    p = putBytes(buf, p, mccs[b.mcc[i] as number] as Uint8Array);
    buf[p++] = COMMA;
    if (channel === CARD && toIx >= 0) {
      const start = this.merchantStart[toIx] as number;
      p = putSlice(buf, p, this.merchants, start, (this.merchantStart[toIx + 1] as number) - start);
    }
    buf[p++] = COMMA;
    const city = b.city[i] as number;
    if (city >= 0) p = putBytes(buf, p, this.cityBytes[city] as Uint8Array);
    else {
      buf[p++] = COMMA;
      buf[p++] = COMMA;
    }
    buf[p++] = COMMA;
    if (toIx >= 0)
      p = putSlice(buf, p, records, toRecord + RECORD_HEADER + toLength, records[toRecord + 2] as number);
    buf[p++] = COMMA;
    // A branch of the account's bank in that city: `<bank>-B<city>`, as a deposit slip records it.
    if (b.branch[i] === 1 && city >= 0) {
      const bankRecord = toIx >= 0 ? toRecord : fromRecord;
      p = putSlice(buf, p, records, bankRecord + RECORD_HEADER, records[bankRecord + 1] as number);
      buf[p++] = 45; // -
      buf[p++] = 66; // B
      p = putDigits(buf, p, city, 3);
    }
    buf[p++] = COMMA;
    const conductor = b.conductor[i] as number;
    if (conductor >= 0) {
      // The conductor's party record id, as recordIdOf writes it.
      p = putBytes(buf, p, RECORD_PREFIX);
      p = putDigits(buf, p, conductor, RECORD_ID_DIGITS);
    }
    buf[p++] = NEWLINE;
    g.advance(p);

    if (instance >= 0) {
      const inst = this.setup.instances[instance] as { typology: string; id: string };
      this.truth.line(
        `${this.seq + 1},TX${String(1_000_000_000 + this.seq).slice(1)},${inst.typology},${inst.id}`,
      );
      this.planted++;
      // Kept for patterns.txt: planted rows are about a thousandth of the world.
      const amlLine = a.textSince(lineStart);
      const lines = this.patternLines.get(instance);
      if (lines) lines.push(amlLine);
      else this.patternLines.set(instance, [amlLine]);
    }
  }

  finish(): WrittenFiles {
    this.truth.finish();
    return {
      amlworld: this.amlworld.finish(),
      generic: this.generic.finish(),
      rows: this.seq,
      planted: this.planted,
      patternLines: [...this.patternLines],
    };
  }

  abandon(): void {
    this.amlworld.abandon();
    this.generic.abandon();
    this.truth.abandon();
  }
}
