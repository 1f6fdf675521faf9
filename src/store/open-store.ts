import { join } from "node:path";
import { UnusableInputError } from "../ingest/errors.js";
import type { Store } from "./store.js";
import { DATABASE_FILE, prepareWorkspace } from "./workspace.js";

export interface OpenStoreOptions {
  workspaceDir: string;
  /** `--store URL` or `$MONEYTRAIL_STORE`; absent means the embedded DuckDB in the workspace. */
  storeUrl?: string | undefined;
}

/**
 * The files of the embedded store the options select (the database and its write-ahead log):
 * what another process changes when it writes to the store. None for a server's store.
 */
export function storeFiles(options: OpenStoreOptions): string[] {
  const database = databaseOf(options);
  return database ? [database, `${database}.wal`] : [];
}

/** The embedded database's file the options select (`duckdb:PATH`, else the workspace's), or null. */
function databaseOf(options: OpenStoreOptions): string | null {
  const url = options.storeUrl ?? process.env.MONEYTRAIL_STORE;
  if (url && !url.startsWith("duckdb:")) return null;
  return url ? url.slice("duckdb:".length) : join(options.workspaceDir, DATABASE_FILE);
}

/** Opens the store that the options select (DESIGN §3). */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.storeUrl ?? process.env.MONEYTRAIL_STORE;
  if (url && !url.startsWith("duckdb:")) {
    if (/^postgres(ql)?:\/\//.test(url)) {
      throw new UnusableInputError(
        "--store postgres://…: the PostgreSQL store is not in this version yet; omit --store to use the embedded DuckDB workspace",
      );
    }
    throw new UnusableInputError(`--store ${url}: unknown store URL (expected postgres://… or duckdb:PATH)`);
  }
  const workspace = prepareWorkspace(options.workspaceDir);
  const database = databaseOf(options) as string;
  // Loaded on demand: DuckDB's native module takes a third of a second to load, which commands
  // can overlap with other work (ingest hashes the file meanwhile).
  const { DuckDbStore } = await import("./duckdb/duckdb-store.js");
  return DuckDbStore.open(database, {
    tempDirectory: workspace.tempDirectory,
    memoryLimit: process.env.MONEYTRAIL_MEMORY_LIMIT ?? "1.5GB",
  });
}
