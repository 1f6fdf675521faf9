import { z } from "zod";
import { AccountKey, PartyId } from "./ids.js";
import { SourceRef } from "./source.js";
import { sql } from "./sql-meta.js";

export const PartyKind = z.enum(["person", "organisation", "unknown"]);
export type PartyKind = z.infer<typeof PartyKind>;

/** A person or organisation as one source describes it; entity resolution links parties to entities. */
export const Party = z.object({
  id: PartyId,
  /** The source's own record id, when it has one. */
  source_record_id: z.string().nullable(),
  /** The source's name (`--source NAME`, else the file name): with the record id, what `entities` prints. */
  source_name: z.string(),
  kind: PartyKind,
  name: z.string().nullable(),
  given_name: z.string().nullable(),
  middle_name: z.string().nullable(),
  surname: z.string().nullable(),
  birth_date: sql(z.iso.date(), "DATE").nullable(),
  /** As written; normalisation belongs to entity resolution. */
  birth_date_raw: z.string().nullable(),
  address: z.string().nullable(),
  city: z.string().nullable(),
  postcode: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  national_id: z.string().nullable(),
  tax_id: z.string().nullable(),
  passport: z.string().nullable(),
  /** Account held, as an account key. */
  account: AccountKey.nullable(),
  source: SourceRef,
});
export type Party = z.infer<typeof Party>;

/** Canonical party fields a mapping file may name (DESIGN §4). */
export const PARTY_MAPPING_FIELDS = [
  "id",
  "name",
  "given_name",
  "middle_name",
  "surname",
  "birth_date",
  "address",
  "city",
  "postcode",
  "region",
  "country",
  "phone",
  "email",
  "national_id",
  "tax_id",
  "passport",
  "account",
  "bank",
  "kind",
] as const;
export type PartyMappingField = (typeof PARTY_MAPPING_FIELDS)[number];
