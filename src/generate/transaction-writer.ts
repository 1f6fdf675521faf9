import type { Channel } from "../model/channel.js";
import type { Calendar } from "./calendar.js";
import { CITIES } from "./data/places.js";
import { MINUTES_PER_DAY, minorPerUnit, type TxEvent } from "./events.js";
import { csvField, FileSink } from "./file-sink.js";
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

/** `123.45` from minor units (8 decimals for bitcoin). */
export function formatAmount(minor: number, currency: string): string {
  const per = minorPerUnit(currency);
  const units = Math.floor(minor / per);
  const rest = minor - units * per;
  const digits = per === 100 ? 2 : 8;
  return `${units}.${String(rest).padStart(digits, "0")}`;
}

interface AccountFields {
  bankNumber: string;
  merchant: string;
  foreignCountry: string;
}

export interface WrittenCounts {
  rows: number;
  planted: number;
}

export class TransactionWriter {
  readonly amlworld: FileSink;
  readonly generic: FileSink;
  readonly truth: FileSink;
  private readonly dayAml: string[];
  private readonly dayIso: string[];
  private readonly hhmm: string[];
  private readonly accountFields: (AccountFields | undefined)[] = [];
  private readonly cityFields: string[];
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
    private readonly onRow: (e: TxEvent) => void,
  ) {
    this.amlworld = new FileSink(`${dir}/transactions.csv`);
    this.generic = new FileSink(`${dir}/transactions-generic.csv`);
    this.truth = new FileSink(`${dir}/truth/transactions.csv`);
    this.amlworld.line(AMLWORLD_HEADER);
    this.generic.line(GENERIC_HEADER);
    this.truth.line("line,id,typology,instance");
    this.dayAml = Array.from(
      { length: calendar.days + 1 },
      (_, d) => `${calendar.isoDate(d).replaceAll("-", "/")} `,
    );
    this.dayIso = Array.from({ length: calendar.days + 1 }, (_, d) => `${calendar.isoDate(d)} `);
    this.hhmm = Array.from(
      { length: MINUTES_PER_DAY },
      (_, m) => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`,
    );
    this.cityFields = CITIES.map((c) => `${csvField(c.name)},${c.region},${c.country}`);
    // Made up front, densely: a sparse array filled out of order turns into a slow dictionary.
    for (let a = 0; a < world.accounts.length; a++) this.fieldsOf(a);
  }

  /** The `bank,number` text of an account and what else the lines say of it, made once per account. */
  private fieldsOf(account: number): AccountFields {
    const known = this.accountFields[account];
    if (known) return known;
    const a = this.world.accounts[account] as Account;
    const bank =
      a.bank >= 0 ? (this.world.banks[a.bank] as { id: string }).id : (a.key.split(":")[0] as string);
    const merchant =
      a.holder.kind === "organisation" ? (this.world.orgs[a.holder.index] as Organisation).truth.name : "";
    const fields = {
      bankNumber: `${bank},${a.number}`,
      merchant: csvField(merchant),
      foreignCountry: a.bank < 0 ? a.country : "",
    };
    if (account === this.accountFields.length) this.accountFields.push(fields);
    return fields;
  }

  /** Writes one day's events, sorted by time (ties keep the order they were made in). */
  writeDay(events: TxEvent[]): void {
    events.sort((a, b) => a.t - b.t);
    for (const e of events) this.write(e);
  }

  private write(e: TxEvent): void {
    const day = Math.floor(e.t / MINUTES_PER_DAY);
    const minute = e.t - day * MINUTES_PER_DAY;
    // AMLworld names two accounts on every row: cash in and out appear as self-transfers.
    const from = this.fieldsOf(e.from >= 0 ? e.from : e.to);
    const to = this.fieldsOf(e.to >= 0 ? e.to : e.from);
    const paid = formatAmount(e.minor, e.currency);
    const cross = e.recvCurrency !== "" && e.recvCurrency !== e.currency;
    const recv = cross ? formatAmount(e.recvMinor, e.recvCurrency) : paid;
    const paidName = this.currencyName.get(e.currency) ?? e.currency;
    const recvName = cross ? (this.currencyName.get(e.recvCurrency) ?? e.recvCurrency) : paidName;
    const format = e.currency === "XBT" ? "Bitcoin" : AMLWORLD_FORMAT[e.channel];
    const time = this.hhmm[minute] as string;
    const amlLine = `${this.dayAml[day]}${time},${from.bankNumber},${to.bankNumber},${recv},${recvName},${paid},${paidName},${format},${e.instance >= 0 ? 1 : 0}`;
    this.amlworld.line(amlLine);
    this.seq++;
    const id = `TX${String(1_000_000_000 + this.seq).slice(1)}`;
    const payer = e.from >= 0 ? from.bankNumber : ",";
    const payee = e.to >= 0 ? to.bankNumber : ",";
    const merchant = e.channel === "card" && e.to >= 0 ? to.merchant : "";
    const place = e.city >= 0 ? (this.cityFields[e.city] as string) : ",,";
    const foreign = e.to >= 0 ? to.foreignCountry : "";
    const received = cross ? `${recv},${e.recvCurrency}` : ",";
    this.generic.line(
      `${id},${this.dayIso[day]}${time}:00,${payer},${payee},${paid},${e.currency},${received},${GENERIC_TYPE[e.channel]},${e.mcc ?? ""},${merchant},${place},${foreign},${e.branch ?? ""},${e.conductor ?? ""}`,
    );
    if (e.instance >= 0) {
      const instance = this.instances[e.instance] as Instance;
      this.truth.line(`${this.seq + 1},${id},${instance.typology},${instance.id}`);
      this.planted++;
      // Kept for patterns.txt: planted rows are about a thousandth of the world.
      const lines = this.patternLines.get(e.instance);
      if (lines) lines.push(amlLine);
      else this.patternLines.set(e.instance, [amlLine]);
    }
    this.onRow(e);
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
