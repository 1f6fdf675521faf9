import { z } from "zod";
import { Channel } from "./channel.js";
import { AccountKey, PartyId, TransactionId } from "./ids.js";
import { SourceRef } from "./source.js";
import { sql } from "./sql-meta.js";

/** An exact decimal as written in the source: evidence is never rounded through a float. */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, "an exact decimal such as 1234.50");

/** ISO 4217 code (plus XBT for bitcoin, as AMLworld needs it). */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");

export const Transaction = z.object({
  id: TransactionId,
  /** UTC instant. */
  ts: sql(z.iso.datetime(), "TIMESTAMP"),
  from_account: AccountKey.nullable(),
  to_account: AccountKey.nullable(),
  /** As paid: exact decimal and currency. */
  amount: DecimalString,
  currency: CurrencyCode,
  /** As received, where it differs from what was paid (cross-currency payments). */
  amount_received: DecimalString.nullable(),
  currency_received: CurrencyCode.nullable(),
  /** Analytics value: float64 USD at `fx_rate` (USD per unit) published for `fx_date`. */
  amount_usd: z.number(),
  fx_rate: z.number(),
  fx_date: sql(z.iso.date(), "DATE"),
  channel: Channel,
  mcc: z.string().nullable(),
  merchant: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string().nullable(),
  counterparty_country: z.string().nullable(),
  branch: z.string().nullable(),
  conductor: PartyId.nullable(),
  memo: z.string().nullable(),
  source: SourceRef,
});
export type Transaction = z.infer<typeof Transaction>;

/** The details detectors read as texts (all but the MCC, a number, and the memo, free text). */
export const DETAIL_TEXTS = [
  "merchant",
  "city",
  "region",
  "country",
  "counterparty_country",
  "branch",
  "conductor",
] as const satisfies readonly (keyof Transaction)[];

/**
 * A transaction's optional details: what a source may say beyond who paid whom how much, when and
 * how. Stored apart, for the transactions that have any (docs/storage.md).
 */
export const TRANSACTION_DETAILS = [
  "mcc",
  ...DETAIL_TEXTS,
  "memo",
] as const satisfies readonly (keyof Transaction)[];

/**
 * Ground-truth labels shipped with a data set (AMLworld's `Is Laundering`). Stored apart from
 * transactions so that no detector can read them; only `evaluate` may.
 */
export const TruthLabel = z.object({
  transaction: TransactionId,
  label: z.string(),
  source: SourceRef,
});
export type TruthLabel = z.infer<typeof TruthLabel>;
