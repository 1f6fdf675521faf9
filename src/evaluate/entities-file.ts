import { RowError, readHeadedCsv } from "./csv-file.js";
import type { RecordEntity } from "./resolution.js";

/** The header of `entities --format csv` (DESIGN §4), exactly. */
export const ENTITIES_HEADER = ["source", "record_id", "entity_id"] as const;

/**
 * Reads predicted entities: CSV with the header `source,record_id,entity_id`, one row per party
 * record. A missing file, another header or an empty record or entity id raises UnusableInputError
 * naming the file (and the line).
 */
export async function readEntitiesFile(path: string): Promise<RecordEntity[]> {
  const rows: RecordEntity[] = [];
  await readHeadedCsv(path, "entities file", ENTITIES_HEADER, ([source, record_id, entity_id]) => {
    if (!record_id) throw new RowError("record_id is empty");
    if (!entity_id) throw new RowError("entity_id is empty");
    rows.push({ source: source as string, record_id, entity_id });
  });
  return rows;
}
