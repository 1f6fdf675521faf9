import { splitCsvLine } from "../ingest/csv-line.js";
import { UnusableInputError } from "../ingest/errors.js";
import { forEachLine } from "./read-lines.js";

/**
 * Reads a comma-separated file whose first line must be exactly `header`, calling `onRow` with the
 * fields of each data row and its 1-based line. Blank lines are skipped. Every fault (missing file,
 * wrong header, wrong field count, unclosed quote) raises UnusableInputError naming the file, and the
 * line when there is one. `onRow` may throw `new RowError(message)` to reject a value the same way.
 * Returns the number of data rows.
 */
export async function readHeadedCsv(
  path: string,
  what: string,
  header: readonly string[],
  onRow: (fields: string[], line: number) => void,
): Promise<number> {
  let sawHeader = false;
  let rows = 0;
  await forEachLine(path, what, (raw, line) => {
    // A byte-order mark is how some spreadsheet programs start a UTF-8 file; it is not part of the header.
    const text = line === 1 && raw.startsWith("\uFEFF") ? raw.slice(1) : raw;
    if (!sawHeader) {
      sawHeader = true;
      if (text !== header.join(",")) {
        throw new UnusableInputError(
          `${what} ${path}: the header must be exactly "${header.join(",")}" (found "${text.slice(0, 200)}")`,
        );
      }
      return;
    }
    if (text.trim() === "") return;
    const fields = splitCsvLine(text, ",", '"');
    if (fields === null)
      throw new UnusableInputError(`${what} ${path}:${line}: a quote opens and never closes`);
    if (fields.length !== header.length) {
      throw new UnusableInputError(
        `${what} ${path}:${line}: expected ${header.length} fields (${header.join(",")}), found ${fields.length}`,
      );
    }
    try {
      onRow(fields, line);
    } catch (error) {
      if (error instanceof RowError)
        throw new UnusableInputError(`${what} ${path}:${line}: ${error.message}`);
      throw error;
    }
    rows += 1;
  });
  if (!sawHeader) throw new UnusableInputError(`${what} ${path}: the file is empty (no header)`);
  return rows;
}

/** A value in a row that cannot be used; readHeadedCsv adds the file and line to the message. */
export class RowError extends Error {
  override readonly name = "RowError";
}
