import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { WorkspaceBusyError } from "../errors.js";

export interface DuckDbOptions {
  /** Where DuckDB spills when a load outgrows memory. */
  tempDirectory: string;
  /** DuckDB's memory limit, e.g. "1.5GB"; spilling keeps big loads inside it. */
  memoryLimit: string;
}

/**
 * Opens the database file. DuckDB takes an exclusive file lock: a second process gets a clear
 * "in use" error instead of a second writer that could corrupt the file.
 */
export async function openDuckDb(
  path: string,
  options: DuckDbOptions,
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      temp_directory: options.tempDirectory,
      memory_limit: options.memoryLimit,
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/Could not set lock on file|Conflicting lock/.test(message)) {
      const pid = /PID (\d+)/.exec(message)?.[1];
      throw new WorkspaceBusyError(
        `the workspace database ${path} is in use by another moneytrail process${pid ? ` (pid ${pid})` : ""}; wait for it to finish and try again`,
      );
    }
    throw error;
  }
  const connection = await instance.connect();
  // Timestamps without an offset are read as UTC, whatever the machine's zone.
  await connection.run("SET TimeZone = 'UTC'");
  return { instance, connection };
}
