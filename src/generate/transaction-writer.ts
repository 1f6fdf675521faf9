import type { Channel } from "../model/channel.js";
import { putAmount, putBytes, putDigits } from "./bytes.js";
import { Calendar } from "./calendar.js";
import { CITIES } from "./data/places.js";
import { CHANNELS, type EventBatch } from "./event-batch.js";
import { MINUTES_PER_DAY, minorPerUnit } from "./events.js";
import { csvField, FileSink, utf8 } from "./file-sink.js";
import { RECORD_ID_DIGITS, RECORD_ID_PREFIX } from "./normal-life.js";

import type { Instance } from "./planter.js";
import type { Account, Organisation, World } from "./world.js";

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
const COLON = 58;
const NEWLINE = 10;
const CARD = CHANNELS.indexOf("card");

/** What the lines say of an account, encoded once. */
interface AccountBytes {
  /** `bank,number` */
  bankNumber: Uint8Array;
  /** The bank id, for branch ids. */
  bank: Uint8Array;
  /** The holder's name as a card merchant (CSV-quoted where needed), or empty. */
  merchant: Uint8Array;
  /** The country of a foreign account, else empty. */
  foreignCountry: Uint8Array;
}

/** Per-channel words, pre-encoded. */
const AMLWORLD_FORMAT_BYTES = CHANNELS.map((c) => utf8(AMLWORLD_FORMAT[c]));
const GENERIC_TYPE_BYTES = CHANNELS.map((c) => utf8(GENERIC_TYPE[c]));
const BITCOIN = utf8("Bitcoin");
const RECORD_PREFIX = utf8(RECORD_ID_PREFIX);
const EMPTY = new Uint8Array(0);

/**
 * What the writer needs to know of the world, as plain data: it can cross into a worker thread.
 * Accounts are complete when writing starts (planting opens its accounts first).
 */
export interface WriterSetup {
  dir: string;
  start: string;
  days: number;
  /** Per account index: bank id, number, the holder's name if a business, the country if foreign. */
  accounts: { bank: string; number: string; merchant: string; country: string }[];
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
    accounts: world.accounts.map((a: Account) => ({
      bank: a.bank >= 0 ? (world.banks[a.bank] as { id: string }).id : (a.key.split(":")[0] as string),
      number: a.number,
      merchant:
        a.holder.kind === "organisation" ? (world.orgs[a.holder.index] as Organisation).truth.name : "",
      country: a.bank < 0 ? a.country : "",
    })),
    instances: instances.map((i) => ({ typology: i.typology, id: i.id })),
    currencyNames: [...currencyNames],
  };
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

export class TransactionWriter {
  readonly amlworld: FileSink;
  readonly generic: FileSink;
  readonly truth: FileSink;
  private readonly dayAml: Uint8Array[];
  private readonly dayIso: Uint8Array[];
  private readonly hhmm: Uint8Array[];
  private readonly accountBytes: AccountBytes[];
  private readonly cityBytes: Uint8Array[];
  private readonly mccBytes = new Map<string, Uint8Array>();
  private readonly currencyBytes = new Map<string, { code: Uint8Array; name: Uint8Array; per: number }>();
  private readonly currencyName: Map<string, string>;
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
    this.accountBytes = setup.accounts.map((a) => ({
      bankNumber: utf8(`${a.bank},${a.number}`),
      bank: utf8(a.bank),
      merchant: a.merchant ? utf8(csvField(a.merchant)) : EMPTY,
      foreignCountry: a.country ? utf8(a.country) : EMPTY,
    }));
  }

  private bytesOf(account: number): AccountBytes {
    const bytes = this.accountBytes[account];
    if (!bytes) throw new Error(`account ${account} is not in the writer's setup`);
    return bytes;
  }

  private mcc(code: string): Uint8Array {
    let bytes = this.mccBytes.get(code);
    if (!bytes) {
      bytes = utf8(code);
      this.mccBytes.set(code, bytes);
    }
    return bytes;
  }

  private currency(code: string): { code: Uint8Array; name: Uint8Array; per: number } {
    let c = this.currencyBytes.get(code);
    if (!c) {
      c = { code: utf8(code), name: utf8(this.currencyName.get(code) ?? code), per: minorPerUnit(code) };
      this.currencyBytes.set(code, c);
    }
    return c;
  }

  /** Writes one day's transactions in time order; `onRow` sees each as it is written. */
  writeDay(batch: EventBatch, tables: BatchTables): void {
    const order = batch.timeOrder();
    // Per batch, its interned indices resolved once to encoded bytes.
    const currencies = tables.currencies.map((c) => this.currency(c || "USD"));
    const mccs = tables.mccs.map((m) => this.mcc(m));
    for (let k = 0; k < order.length; k++) this.write(batch, order[k] as number, currencies, mccs);
  }

  private write(
    b: EventBatch,
    i: number,
    currencies: { code: Uint8Array; name: Uint8Array; per: number }[],
    mccs: Uint8Array[],
  ): void {
    const t = b.t[i] as number;
    const day = Math.floor(t / MINUTES_PER_DAY);
    const time = this.hhmm[t - day * MINUTES_PER_DAY] as Uint8Array;
    const fromIx = b.from[i] as number;
    const toIx = b.to[i] as number;
    // AMLworld names two accounts on every row: cash in and out appear as self-transfers.
    const from = this.bytesOf(fromIx >= 0 ? fromIx : toIx);
    const to = this.bytesOf(toIx >= 0 ? toIx : fromIx);
    const paid = currencies[b.currency[i] as number] as { code: Uint8Array; name: Uint8Array; per: number };
    const minor = b.minor[i] as number;
    const recvIx = b.recvCurrency[i] as number;
    const cross = recvIx !== 0 && recvIx !== b.currency[i];
    const recv = cross ? (currencies[recvIx] as typeof paid) : paid;
    const recvMinor = cross ? (b.recvMinor[i] as number) : minor;
    const channel = b.channel[i] as number;
    const instance = b.instance[i] as number;

    // Both lines are written straight into their files' buffers (bytes.ts).
    const a = this.amlworld;
    let buf = a.room(512);
    const lineStart = a.position;
    let p = putBytes(buf, lineStart, this.dayAml[day] as Uint8Array);
    p = putBytes(buf, p, time);
    buf[p++] = COMMA;
    p = putBytes(buf, p, from.bankNumber);
    buf[p++] = COMMA;
    p = putBytes(buf, p, to.bankNumber);
    buf[p++] = COMMA;
    p = putAmount(buf, p, recvMinor, recv.per);
    buf[p++] = COMMA;
    p = putBytes(buf, p, recv.name);
    buf[p++] = COMMA;
    p = putAmount(buf, p, minor, paid.per);
    buf[p++] = COMMA;
    p = putBytes(buf, p, paid.name);
    buf[p++] = COMMA;
    p = putBytes(buf, p, paid.per === 100 ? (AMLWORLD_FORMAT_BYTES[channel] as Uint8Array) : BITCOIN);
    buf[p++] = COMMA;
    buf[p++] = instance >= 0 ? 49 : 48;
    buf[p++] = NEWLINE;
    a.advance(p);

    this.seq++;
    const g = this.generic;
    buf = g.room(1024);
    p = g.position;
    buf[p++] = 84; // T
    buf[p++] = 88; // X
    p = putDigits(buf, p, this.seq, 9);
    buf[p++] = COMMA;
    p = putBytes(buf, p, this.dayIso[day] as Uint8Array);
    p = putBytes(buf, p, time);
    buf[p++] = COLON;
    buf[p++] = 48;
    buf[p++] = 48;
    buf[p++] = COMMA;
    if (fromIx >= 0) p = putBytes(buf, p, from.bankNumber);
    else buf[p++] = COMMA;
    buf[p++] = COMMA;
    if (toIx >= 0) p = putBytes(buf, p, to.bankNumber);
    else buf[p++] = COMMA;
    buf[p++] = COMMA;
    p = putAmount(buf, p, minor, paid.per);
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
    if (channel === CARD && toIx >= 0) p = putBytes(buf, p, to.merchant);
    buf[p++] = COMMA;
    const city = b.city[i] as number;
    if (city >= 0) p = putBytes(buf, p, this.cityBytes[city] as Uint8Array);
    else {
      buf[p++] = COMMA;
      buf[p++] = COMMA;
    }
    buf[p++] = COMMA;
    if (toIx >= 0) p = putBytes(buf, p, to.foreignCountry);
    buf[p++] = COMMA;
    // A branch of the account's bank in that city: `<bank>-B<city>`, as a deposit slip records it.
    if (b.branch[i] === 1 && city >= 0) {
      p = putBytes(buf, p, this.bytesOf(toIx >= 0 ? toIx : fromIx).bank);
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
