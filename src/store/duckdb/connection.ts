import { createRequire } from "node:module";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { WorkspaceBusyError } from "../errors.js";

// Required, not imported: DuckDB's client is CommonJS, and an ESM import of it makes node scan
// each of its 120-odd files for their exports first, about 0.1 s on every command that opens a
// workspace (twice what loading it costs).
const duckdb: typeof import("@duckdb/node-api") = createRequire(import.meta.url)("@duckdb/node-api");

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
    instance = await duckdb.DuckDBInstance.create(path, {
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
