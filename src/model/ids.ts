import { z } from "zod";

/**
 * Branded identifiers keep account keys, transaction ids, party ids and file digests from being
 * mixed up at compile time (the Excalidraw habit): a string only becomes one through these schemas
 * or constructors.
 */
export const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "a SHA-256 digest is 64 lowercase hex characters")
  .brand<"Sha256">();
export type Sha256 = z.infer<typeof Sha256>;

export const AccountKey = z.string().min(1).brand<"AccountKey">();
export type AccountKey = z.infer<typeof AccountKey>;

export const TransactionId = z.string().min(1).brand<"TransactionId">();
export type TransactionId = z.infer<typeof TransactionId>;

export const PartyId = z.string().min(1).brand<"PartyId">();
export type PartyId = z.infer<typeof PartyId>;

export const EntityId = z.string().min(1).brand<"EntityId">();
export type EntityId = z.infer<typeof EntityId>;

/** DESIGN §2: `<bank>:<number>` when the bank is known, else `<number>`. */
export function accountKey(bank: string | null | undefined, number: string): AccountKey {
  return (bank ? `${bank}:${number}` : number) as AccountKey;
}

/** Length of the file-digest prefix in derived record ids (DESIGN §2). */
export const DERIVED_ID_PREFIX_HEX = 12;

/** DESIGN §2: the source's id when it has one, else `<first 12 hex of file sha256>:<line>`. */
export function derivedRecordId(file: Sha256, line: number): string {
  return `${file.slice(0, DERIVED_ID_PREFIX_HEX)}:${line}`;
}
