import { AMLWORLD_PAYMENT_FORMATS } from "../model/channel.js";
import type { IngestFormat } from "../model/source.js";
import { parseTimeFormat, type TimeFormat } from "./date-pattern.js";
import { UnusableInputError } from "./errors.js";
import type { MappingFile } from "./mapping.js";
import type { Dialect } from "./sniff.js";

/**
 * How to read one file, independent of the storage engine: which source columns (0-based, joined
 * with a space when several) feed which canonical field, with constant defaults, value maps and
 * formats. The store compiles it to its own bulk-load SQL.
 */
export interface ReadPlan {
  kind: "transactions" | "parties";
  format: IngestFormat;
  dialect: Dialect;
  /** Every data line must split into exactly this many fields. */
  columnCount: number;
  columns: Record<string, number[]>;
  defaults: Record<string, string>;
  values: Record<string, Record<string, string>>;
  timeFormat: TimeFormat;
  /** IANA zone of timestamps written without an offset. */
  timezone: string;
  /** Formats tried for birth dates, in order (parties). */
  dateFormats: TimeFormat[];
  /** Whether the amount may use a decimal comma (`1.234,56`). */
  decimalComma: boolean;
  /** AMLworld names both accounts on every row; a generic file may leave one side empty (cash). */
  requireBothAccounts: boolean;
}

export const AMLWORLD_HEADER = [
  "Timestamp",
  "From Bank",
  "Account",
  "To Bank",
  "Account",
  "Amount Received",
  "Receiving Currency",
  "Amount Paid",
  "Payment Currency",
  "Payment Format",
  "Is Laundering",
] as const;

const DEFAULT_BIRTH_DATE_FORMATS = ["iso", "yyyy/MM/dd", "yyyyMMdd", "dd.MM.yyyy", "MM/dd/yyyy"];

/**
 * AMLworld's transactions CSV, read by position: its header repeats `Account`. `Is Laundering` is
 * read as the ground-truth label, stored apart from the transaction.
 */
export function amlworldPlan(dialect: Dialect, name: string): ReadPlan {
  const header = dialect.header;
  const expected = AMLWORLD_HEADER.slice(0, 10);
  const matches =
    (header.length === 10 || header.length === 11) &&
    expected.every((h, i) => header[i]?.toLowerCase() === h.toLowerCase()) &&
    (header.length === 10 || header[10]?.toLowerCase() === "is laundering");
  if (!matches || dialect.delimiter !== ",") {
    throw new UnusableInputError(
      `${name}: not an AMLworld transactions file: header is "${header.join(",")}", expected "${AMLWORLD_HEADER.join(",")}"`,
    );
  }
  const columns: Record<string, number[]> = {
    timestamp: [0],
    from_bank: [1],
    from_account: [2],
    to_bank: [3],
    to_account: [4],
    amount_received: [5],
    currency_received: [6],
    amount: [7],
    currency: [8],
    channel: [9],
  };
  if (header.length === 11) columns.label = [10];
  return {
    kind: "transactions",
    format: "amlworld",
    dialect,
    columnCount: header.length,
    columns,
    defaults: {},
    values: { channel: { ...AMLWORLD_PAYMENT_FORMATS } },
    timeFormat: parseTimeFormat("yyyy/MM/dd HH:mm"),
    timezone: "UTC",
    dateFormats: [],
    decimalComma: false,
    requireBothAccounts: true,
  };
}

/** A mapped CSV (transactions or parties): resolves the mapping's column names against the header. */
export function mappedPlan(
  mapping: MappingFile,
  dialect: Dialect,
  format: IngestFormat,
  name: string,
): ReadPlan {
  const expectedKind = format === "parties" ? "parties" : "transactions";
  if (mapping.kind !== expectedKind) {
    throw new UnusableInputError(
      `${name}: --format ${format} needs a mapping of kind ${expectedKind}, got ${mapping.kind}`,
    );
  }
  const index = new Map<string, number>();
  dialect.header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const columns: Record<string, number[]> = {};
  for (const [field, ref] of Object.entries(mapping.columns)) {
    const names = Array.isArray(ref) ? ref : [ref];
    columns[field] = names.map((n) => {
      const i = index.get(n.trim());
      if (i === undefined) {
        throw new UnusableInputError(
          `${name}: the mapping names column "${n.trim()}" (for ${field}), which the file lacks; its columns are: ${dialect.header.join(", ")}`,
        );
      }
      return i;
    });
  }
  const defaults = Object.fromEntries(Object.entries(mapping.defaults).filter(([k]) => k !== "timezone"));
  const required = expectedKind === "transactions" ? ["timestamp", "amount", "currency"] : [];
  for (const field of required) {
    if (!columns[field] && defaults[field] === undefined) {
      throw new UnusableInputError(`${name}: the mapping gives neither a column nor a default for ${field}`);
    }
  }
  if (expectedKind === "transactions" && !columns.from_account && !columns.to_account) {
    throw new UnusableInputError(`${name}: the mapping names no account column (from_account or to_account)`);
  }
  if (expectedKind === "parties" && !columns.name && !columns.given_name && !columns.surname) {
    throw new UnusableInputError(`${name}: the mapping names no name column (name, given_name or surname)`);
  }
  const amountFormat = mapping.formats.amount;
  if (amountFormat && !["decimal-point", "decimal-comma"].includes(amountFormat)) {
    throw new UnusableInputError(
      `${name}: formats.amount must be decimal-point or decimal-comma, got "${amountFormat}"`,
    );
  }
  return {
    kind: expectedKind,
    format,
    dialect,
    columnCount: dialect.header.length,
    columns,
    defaults,
    values: mapping.values,
    timeFormat: parseTimeFormat(mapping.formats.timestamp ?? "iso"),
    timezone: mapping.defaults.timezone ?? "UTC",
    dateFormats: (mapping.formats.birth_date ? [mapping.formats.birth_date] : DEFAULT_BIRTH_DATE_FORMATS).map(
      parseTimeFormat,
    ),
    decimalComma: amountFormat === "decimal-comma",
    requireBothAccounts: false,
  };
}
