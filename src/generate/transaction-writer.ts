import type { Channel } from "../model/channel.js";
import type { Calendar } from "./calendar.js";
import { CITIES } from "./data/places.js";
import { putAmount, putBytes, putDigits } from "./bytes.js";
import { CHANNELS, currencies, type EventBatch, mccs } from "./event-batch.js";
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

export class TransactionWriter {
  readonly amlworld: FileSink;
  readonly generic: FileSink;
  readonly truth: FileSink;
  private readonly dayAml: Uint8Array[];
  private readonly dayIso: Uint8Array[];
  private readonly hhmm: Uint8Array[];
  private readonly accountBytes: AccountBytes[] = [];
  private readonly cityBytes: Uint8Array[];
  private readonly mccBytes: Uint8Array[] = [];
  private readonly currencyBytes: { code: Uint8Array; name: Uint8Array; per: number }[] = [];
  private seq = 0;
  planted = 0;
  /** AMLworld rows of each planted instance, for patterns.txt. */
  readonly patternLines = new Map<number, string[]>();

  constructor(
    dir: string,
    private readonly world: World,
    calendar: Calendar,
    private readonly instances: Instance[],
    private readonly currencyName: Map<string, string>,
  ) {
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
    for (let a = 0; a < world.accounts.length; a++) this.bytesOf(a);
  }

  /** An account's encoded fields, made once (accounts opened during the world are added as met). */
  private bytesOf(account: number): AccountBytes {
    const known = this.accountBytes[account];
    if (known) return known;
    for (let a = this.accountBytes.length; a <= account; a++) {
      const acc = this.world.accounts[a] as Account;
      const bank =
        acc.bank >= 0 ? (this.world.banks[acc.bank] as { id: string }).id : (acc.key.split(":")[0] as string);
      const merchant =
        acc.holder.kind === "organisation"
          ? (this.world.orgs[acc.holder.index] as Organisation).truth.name
          : "";
      this.accountBytes.push({
        bankNumber: utf8(`${bank},${acc.number}`),
        bank: utf8(bank),
        merchant: utf8(csvField(merchant)),
        foreignCountry: acc.bank < 0 ? utf8(acc.country) : EMPTY,
      });
    }
    return this.accountBytes[account] as AccountBytes;
  }

  private mcc(index: number): Uint8Array {
    let bytes = this.mccBytes[index];
    if (!bytes) {
      bytes = utf8(mccs.values[index] ?? "");
      this.mccBytes[index] = bytes;
    }
    return bytes;
  }

  private currency(index: number): { code: Uint8Array; name: Uint8Array; per: number } {
    let c = this.currencyBytes[index];
    if (!c) {
      const code = currencies.values[index] ?? "";
      c = { code: utf8(code), name: utf8(this.currencyName.get(code) ?? code), per: minorPerUnit(code) };
      this.currencyBytes[index] = c;
    }
    return c;
  }

  /** Writes one day's transactions in time order; `onRow` sees each as it is written. */
  writeDay(batch: EventBatch, onRow: (batch: EventBatch, i: number) => void): void {
    const order = batch.timeOrder();
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      this.write(batch, i);
      onRow(batch, i);
    }
  }

  private write(b: EventBatch, i: number): void {
    const t = b.t[i] as number;
    const day = Math.floor(t / MINUTES_PER_DAY);
    const time = this.hhmm[t - day * MINUTES_PER_DAY] as Uint8Array;
    const fromIx = b.from[i] as number;
    const toIx = b.to[i] as number;
    // AMLworld names two accounts on every row: cash in and out appear as self-transfers.
    const from = this.bytesOf(fromIx >= 0 ? fromIx : toIx);
    const to = this.bytesOf(toIx >= 0 ? toIx : fromIx);
    const paid = this.currency(b.currency[i] as number);
    const minor = b.minor[i] as number;
    const recvIx = b.recvCurrency[i] as number;
    const cross = recvIx !== 0 && recvIx !== b.currency[i];
    const recv = cross ? this.currency(recvIx) : paid;
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
    p = putBytes(buf, p, this.mcc(b.mcc[i] as number));
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
      const inst = this.instances[instance] as Instance;
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

  get rows(): number {
    return this.seq;
  }

  finish(): { amlworld: string; generic: string } {
    this.truth.finish();
    return { amlworld: this.amlworld.finish(), generic: this.generic.finish() };
  }

  abandon(): void {
    this.amlworld.abandon();
    this.generic.abandon();
    this.truth.abandon();
  }
}
