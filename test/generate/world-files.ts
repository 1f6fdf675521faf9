import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GENERIC_TYPE } from "../../src/generate/transaction-writer.js";
import { splitCsvLine } from "../../src/ingest/csv-line.js";

/** A generated world read back from its files, as an independent check of what they claim. */

export interface Row {
  line: number;
  id: string;
  /** Milliseconds since the epoch. */
  t: number;
  day: string;
  from: string | null;
  to: string | null;
  amount: number;
  currency: string;
  /** The received currency where it differs from the paid one (cross-currency), else "". */
  received: string;
  channel: string;
  mcc: string;
  city: string;
  state: string;
  branch: string;
  conductor: string;
  counterpartyCountry: string;
}

export interface World {
  rows: Row[];
  byInstance: Map<string, Row[]>;
  instances: { instance: string; typology: string; variant: string }[];
  members: Map<string, Map<string, string>>;
  hardNegatives: { account: string; kind: string; resembles: string[] }[];
  manifest: { files: { name: string; sha256: string; rows: number }[]; counts: Record<string, number> };
}

const CHANNEL_OF = new Map(Object.entries(GENERIC_TYPE).map(([channel, word]) => [word, channel]));

export function csvRecords(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  const names = splitCsvLine(header as string, ",", '"') as string[];
  return lines.map((l) => {
    const f = splitCsvLine(l, ",", '"') as string[];
    return Object.fromEntries(names.map((n, i) => [n, f[i] ?? ""]));
  });
}

export function readWorld(dir: string): World {
  const rows = csvRecords(join(dir, "transactions-generic.csv")).map(
    (r, i): Row => ({
      line: i + 2,
      id: r.txn_id as string,
      t: Date.parse(`${(r.booked_at as string).replace(" ", "T")}Z`),
      day: (r.booked_at as string).slice(0, 10),
      from: r.payer_account ? `${r.payer_bank}:${r.payer_account}` : null,
      to: r.payee_account ? `${r.payee_bank}:${r.payee_account}` : null,
      amount: Number(r.amount),
      currency: r.currency as string,
      received: r.currency_received as string,
      channel: CHANNEL_OF.get(r.type as string) ?? "?",
      mcc: r.mcc as string,
      city: r.city as string,
      state: r.state as string,
      branch: r.branch as string,
      conductor: r.conductor as string,
      counterpartyCountry: r.counterparty_country as string,
    }),
  );
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const byInstance = new Map<string, Row[]>();
  for (const t of csvRecords(join(dir, "truth", "transactions.csv"))) {
    const row = byLine.get(Number(t.line));
    if (!row || row.id !== t.id) throw new Error(`truth line ${t.line} does not match the file`);
    byInstance.set(t.instance as string, [...(byInstance.get(t.instance as string) ?? []), row]);
  }
  const members = new Map<string, Map<string, string>>();
  for (const a of csvRecords(join(dir, "truth", "accounts.csv"))) {
    const m = members.get(a.instance as string) ?? new Map<string, string>();
    m.set(a.account as string, a.role as string);
    members.set(a.instance as string, m);
  }
  return {
    rows,
    byInstance,
    instances: csvRecords(join(dir, "truth", "instances.csv")).map((i) => ({
      instance: i.instance as string,
      typology: i.typology as string,
      variant: i.variant as string,
    })),
    members,
    hardNegatives: csvRecords(join(dir, "truth", "hard-negatives.csv")).map((h) => ({
      account: h.account as string,
      kind: h.kind as string,
      resembles: (h.resembles as string).split(";"),
    })),
    manifest: JSON.parse(readFileSync(join(dir, "truth", "manifest.json"), "utf8")),
  };
}

/** USD value of a row (the generated world's amounts are mostly dollars; others count as they stand). */
export function usd(row: Row): number {
  return row.currency === "USD" ? row.amount : Number.NaN;
}
