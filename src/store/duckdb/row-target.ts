import type { ReadPlan } from "../../ingest/plan.js";
import { columnsOf } from "../../model/columns.js";
import { DERIVED_ID_PREFIX_HEX } from "../../model/ids.js";
import { Party } from "../../model/party.js";
import { TRANSACTION_DETAILS, Transaction } from "../../model/transaction.js";
import { lit } from "../../util/sql.js";

/**
 * Where one file's records are written and how each stored column is filled from a row of
 * `transactionRowsSql` / `partyRowsSql`. The rows that pass their checks are first staged in a
 * temporary table (`staged` lists its columns); the accounts they name are registered from there,
 * and the stored rows are then written from the staged ones joined to their accounts.
 *
 * Transactions are stored in `transaction_rows` and read through the view `transactions`
 * (migrations 3 and 4): the stored row leaves out what the view can compute (a derived id, the
 * file's SHA-256) and refers to its accounts by number, because every text column written costs
 * DuckDB about a second per five million rows. Parties are stored as the model has them.
 */
export interface RowTarget {
  /** The table that gets one row per staged row. */
  table: string;
  /** A predicate on `table` that selects this file's rows. */
  ofFile: string;
  /** The ids already stored, as a relation with one column `id` (for de-duplication). */
  storedIds: string;
  /** The columns of the row SQL kept in the staging table. */
  staged: string[];
  /** Staged columns that hold account keys: each key is registered in `accounts`. */
  accountKeys: string[];
  /** The writes from the staged rows, `table`'s first. */
  writes: TableWrite[];
}

/** One INSERT from the staged rows `r`. */
export interface TableWrite {
  table: string;
  /** Each stored column with the SQL that fills it from `r` and `joins`. */
  columns: { name: string; value: string }[];
  /** Joins from `r` to what the stored row refers to (accounts by number). */
  joins: string;
  /** Which staged rows get a row here (all when null). */
  where: string | null;
}

const isDetail = (name: string) => (TRANSACTION_DETAILS as readonly string[]).includes(name);

/** The alias of the account joined for a staged key column. */
function accountAlias(keyColumn: string): string {
  return `acc_${keyColumn}`;
}

export function transactionTarget(plan: ReadPlan, fileNo: number): RowTarget {
  const staged = ["line"];
  const accountKeys = ["from_account", "to_account"];
  const columns: TableWrite["columns"] = [];
  for (const { name } of columnsOf(Transaction)) {
    if (isDetail(name)) continue;
    switch (name) {
      case "id":
        // Only a source's own id is stored; a derived one is `<sha prefix>:<line>`, computed.
        if (plan.columns.id) staged.push("id");
        columns.push({ name: "source_id", value: plan.columns.id ? "r.id" : "NULL" });
        break;
      case "from_account":
      case "to_account":
        staged.push(name);
        columns.push({
          name: name === "from_account" ? "from_acc" : "to_acc",
          value: `${accountAlias(name)}.acc_no`,
        });
        break;
      case "source_file":
        columns.push({ name: "file_no", value: String(fileNo) });
        break;
      case "source_line":
        columns.push({ name, value: "r.line" });
        break;
      default:
        staged.push(name);
        columns.push({ name, value: `r.${name}` });
    }
  }
  const writes: TableWrite[] = [
    {
      table: "transaction_rows",
      columns,
      joins: accountKeys
        .map((k) => `LEFT JOIN accounts ${accountAlias(k)} ON ${accountAlias(k)}.key = r.${k}`)
        .join("\n"),
      where: null,
    },
  ];
  const details = TRANSACTION_DETAILS.filter(
    (f) => plan.columns[f] !== undefined || plan.defaults[f] !== undefined,
  );
  if (details.length > 0) {
    staged.push(...details);
    writes.push({
      table: "transaction_details",
      columns: [
        { name: "file_no", value: String(fileNo) },
        { name: "source_line", value: "r.line" },
        ...details.map((f) => ({ name: f, value: `r.${f}` })),
      ],
      joins: "",
      where: details.map((f) => `r.${f} IS NOT NULL`).join(" OR "),
    });
  }
  return {
    table: "transaction_rows",
    ofFile: `file_no = ${fileNo}`,
    storedIds: `(SELECT coalesce(r.source_id, left(n.sha256, ${DERIVED_ID_PREFIX_HEX}) || ':' || r.source_line) AS id
  FROM transaction_rows r JOIN file_numbers n ON n.file_no = r.file_no)`,
    staged,
    accountKeys,
    writes,
  };
}

export function partyTarget(sha: string, sourceName: string): RowTarget {
  const staged = ["line"];
  const columns: TableWrite["columns"] = columnsOf(Party).map(({ name }) => {
    switch (name) {
      case "source_name":
        return { name, value: lit(sourceName) };
      case "source_file":
        return { name, value: lit(sha) };
      case "source_line":
        return { name, value: "r.line" };
      default:
        staged.push(name);
        return { name, value: `r.${name}` };
    }
  });
  return {
    table: "parties",
    ofFile: `source_file = ${lit(sha)}`,
    storedIds: "(SELECT id FROM parties)",
    staged,
    accountKeys: ["account"],
    writes: [{ table: "parties", columns, joins: "", where: null }],
  };
}
