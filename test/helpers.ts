import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CapturedRun, runCaptured } from "../src/cli/main.js";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";

export const BIN = join(import.meta.dirname, "..", "bin", "moneytrail.js");

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = "mt-test-"): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export type CliResult = CapturedRun;

/** Runs the CLI in-process, capturing its output. */
export function cli(args: string[]): Promise<CliResult> {
  return runCaptured(args);
}

/** Ingests a parties file through a mapping, in-process; the run's result (code 0 expected). */
export function ingestParties(
  workspace: string,
  file: string,
  mapping: string,
  source?: string,
): Promise<CliResult> {
  return cli([
    "--workspace",
    workspace,
    "--json",
    "ingest",
    file,
    "--format",
    "parties",
    "--mapping",
    mapping,
    ...(source ? ["--source", source] : []),
  ]);
}

/** Runs the installed `moneytrail` bin in a child process (needs `npm run build`). */
export function cliProcess(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function withStore<T>(workspaceDir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ workspaceDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const AMLWORLD_HEADER =
  "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

/** Runs a query straight on a workspace's database (closed by then), for what no Store method shows. */
export async function queryWorkspace(workspaceDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(join(workspaceDir, "moneytrail.duckdb"));
  const c = await instance.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Reads the ground-truth label rows straight from the database, as stored (`labelledTransactions` joins them to their transactions). */
export function labelRows(workspaceDir: string): Promise<Record<string, unknown>[]> {
  return queryWorkspace(workspaceDir, "SELECT * FROM truth_labels ORDER BY source_line");
}

/**
 * A small generated world (3,000 accounts, 40,000 transactions over 40 days) in `dir/world`, its
 * AMLworld-format file ingested into the workspace `dir/ws`: the published format's reading.
 */
export async function smallAmlworldWorkspace(
  dir: string,
  seed: number,
): Promise<{ world: string; ws: string }> {
  const world = join(dir, "world");
  const ws = join(dir, "ws");
  const args = ["--out", world, "--accounts", "3000", "--transactions", "40000", "--days", "40"];
  const generated = await cli(["generate", ...args, "--seed", String(seed)]);
  if (generated.code !== 0) throw new Error(`generate failed: ${generated.stderr}`);
  const ingested = await cli([
    "--workspace",
    ws,
    "ingest",
    join(world, "transactions.csv"),
    "--format",
    "amlworld",
  ]);
  if (ingested.code !== 0) throw new Error(`ingest failed: ${ingested.stderr}`);
  return { world, ws };
}
