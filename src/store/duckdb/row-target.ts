import type { ReadPlan } from "../../ingest/plan.js";
import { columnsOf } from "../../model/columns.js";
import { Party } from "../../model/party.js";
import { Transaction } from "../../model/transaction.js";
import { lit } from "../../util/sql.js";

/**
 * Where one file's records are written and how each stored column is filled from a row of
 * `transactionRowsSql` / `partyRowsSql`. Transactions are stored in `transaction_rows` and read
 * through the view `transactions` (migration 3): the stored row leaves out what the view can
 * compute (a derived id, the file's SHA-256), because every text column written costs a second
 * per five million rows. Parties are stored as the model has them.
 */
export interface RowTarget {
  /** The table the rows are inserted into. */
  table: string;
  /** The table or view that shows them as the model has them (ids for de-duplication live here). */
  canonical: string;
  /** Each stored column with the SQL that fills it. */
  columns: { name: string; value: string }[];
  /** A predicate on `table` that selects this file's rows. */
  ofFile: string;
}

export function transactionTarget(plan: ReadPlan, fileNo: number): RowTarget {
  const columns = columnsOf(Transaction).map(({ name }) => {
    switch (name) {
      case "id":
        // Only a source's own id is stored; a derived one is `<sha prefix>:<line>`, computed.
        return { name: "source_id", value: plan.columns.id ? "id" : "NULL" };
      case "source_file":
        return { name: "file_no", value: String(fileNo) };
      case "source_line":
        return { name, value: "line" };
      default:
        return { name, value: name };
    }
  });
  return { table: "transaction_rows", canonical: "transactions", columns, ofFile: `file_no = ${fileNo}` };
}

export function partyTarget(sha: string, sourceName: string): RowTarget {
  const columns = columnsOf(Party).map(({ name }) => {
    switch (name) {
      case "source_name":
        return { name, value: lit(sourceName) };
      case "source_file":
        return { name, value: lit(sha) };
      case "source_line":
        return { name, value: "line" };
      default:
        return { name, value: name };
    }
  });
  return { table: "parties", canonical: "parties", columns, ofFile: `source_file = ${lit(sha)}` };
}
