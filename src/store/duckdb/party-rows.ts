import type { DuckDBConnection } from "@duckdb/node-api";
import { columnsOf } from "../../model/columns.js";
import { Party, type PartyKind } from "../../model/party.js";
import { ident } from "../../util/sql.js";
import { readTextRows } from "./text-rows.js";

/**
 * Every party at once, fast (text-rows.ts): what `resolve` reads, a million of them. The parties
 * come out in the store's order (source file, line, id), like `Store.parties()`, and are the same
 * objects it returns, less its schema check per row (every row was checked at ingest).
 */

/** The stored columns in the order the rows below are rebuilt from. */
const COLUMNS = [
  "id",
  "source_record_id",
  "source_name",
  "kind",
  "name",
  "given_name",
  "middle_name",
  "surname",
  "birth_date",
  "birth_date_raw",
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
  "source_file",
  "source_line",
] as const;

// A field added to the model must be added here too: fail loudly rather than read rows askew.
const declared = columnsOf(Party).map((c) => c.name);
if (declared.join(",") !== COLUMNS.join(",")) {
  throw new Error(
    `party-rows: the Party model's columns (${declared.join(", ")}) are not the ones read here`,
  );
}

/** All parties, or null when a value holds a separator (read them as row objects then). */
export function readAllParties(db: DuckDBConnection): Promise<Party[] | null> {
  return readPartiesFrom(db, "parties");
}

/**
 * The parties of `from` (the parties table or a subquery over it, with an alias), in the store's
 * order; null when a value holds a separator. What an incremental `resolve` reads: the new
 * parties and their neighbourhood only.
 */
export async function readPartiesFrom(db: DuckDBConnection, from: string): Promise<Party[] | null> {
  const rows = await readTextRows(db, COLUMNS.map(ident), from, "source_file, source_line, id");
  if (rows === null) return null;
  const parties = new Array<Party>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const f = rows[r] as (string | null)[];
    parties[r] = {
      id: f[0] as Party["id"],
      source_record_id: f[1] as string | null,
      source_name: f[2] as string,
      kind: f[3] as PartyKind,
      name: f[4] as string | null,
      given_name: f[5] as string | null,
      middle_name: f[6] as string | null,
      surname: f[7] as string | null,
      birth_date: f[8] as string | null,
      birth_date_raw: f[9] as string | null,
      address: f[10] as string | null,
      city: f[11] as string | null,
      postcode: f[12] as string | null,
      region: f[13] as string | null,
      country: f[14] as string | null,
      phone: f[15] as string | null,
      email: f[16] as string | null,
      national_id: f[17] as string | null,
      tax_id: f[18] as string | null,
      passport: f[19] as string | null,
      account: f[20] as Party["account"],
      source: { file: f[21] as Party["source"]["file"], line: Number(f[22]) },
    };
  }
  return parties;
}
