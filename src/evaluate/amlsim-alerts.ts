import { splitCsvLine } from "../ingest/csv-line.js";
import { UnusableInputError } from "../ingest/errors.js";
import type { PatternBlock } from "./amlworld-patterns.js";

/**
 * AMLSim's `alert_transactions.csv` (IBM/AMLSim, `schema.json` `alert_tx`): per row an alert
 * (`alert_id`), its pattern (`alert_type`: fan_in, cycle, gather_scatter…) and a transaction
 * (`tran_id`), among other columns whose names vary between versions. Read into the same blocks as
 * an AMLworld patterns file, one per alert, the typology in our spelling (`fan_in` is `fan-in`), each
 * row keyed by the transaction's id: AMLSim's `transactions.csv` gives its ids, and a mapping that
 * maps `id: tran_id` keeps them (data/mappings/amlsim-transactions.yaml).
 */

/** The key of a transaction known by its source's id. */
export function idKey(id: string): string {
  return `id|${id}`;
}

/** Whether a file's first line is the header of an AMLSim alert-transactions file. */
export function isAmlsimAlertHeader(line: string): boolean {
  const fields = splitCsvLine(line.replace(/^\uFEFF/, ""), ",", '"') ?? [];
  return ["alert_id", "alert_type", "tran_id"].every((c) => fields.includes(c));
}

export function parseAmlsimAlertTransactions(text: string, name: string): PatternBlock[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "", ",", '"') ?? [];
  const column = (c: string) => {
    const i = header.indexOf(c);
    if (i < 0)
      throw new UnusableInputError(
        `${name}: line 1: no ${c} column (an AMLSim alert_transactions.csv has alert_id, alert_type and tran_id)`,
      );
    return i;
  };
  const [alert, type, tran] = [column("alert_id"), column("alert_type"), column("tran_id")];
  const blocks = new Map<string, PatternBlock>();
  lines.slice(1).forEach((raw, i) => {
    const n = i + 2;
    if (raw.trim() === "") return;
    const f = splitCsvLine(raw, ",", '"');
    if (f === null || f.length !== header.length)
      throw new UnusableInputError(`${name}: line ${n}: expected ${header.length} fields like the header`);
    const id = (f[alert] ?? "").trim();
    const typology = (f[type] ?? "").trim().toLowerCase().replaceAll("_", "-");
    let block = blocks.get(id);
    if (!block) {
      block = { typology, qualifier: "", line: n, rows: [] };
      blocks.set(id, block);
    } else if (block.typology !== typology)
      throw new UnusableInputError(
        `${name}: line ${n}: alert ${id} is ${block.typology} on line ${block.line}, ${typology} here`,
      );
    block.rows.push({ line: n, key: idKey((f[tran] ?? "").trim()) });
  });
  return [...blocks.values()];
}
