import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EDGE_COLUMN_NAMES } from "../store/edge-columns.js";
import type { EdgeColumns } from "../store/store.js";
import { mergeEdgeColumns } from "./merge-edge-columns.js";

/**
 * A graph's columns saved in the workspace, so that a later run reads them back in a fraction of
 * a second instead of exporting millions of rows from the store again, and adds only the files
 * ingested since. A base (one file per column, raw typed-array bytes, and the account keys as
 * text), the deltas added since (the same layout, each the transactions of some files), and a
 * manifest naming what the snapshot holds: per file number its digest and row count, so that a
 * snapshot that no longer matches the store is never used, and what its user keeps with it.
 *
 * Adding a delta writes only the new transactions; a run that adds nothing rewrites only the
 * manifest. Every write of the manifest goes to a new file that then replaces the old one, and a
 * base is written to a fresh directory that then replaces the old snapshot, so a run stopped
 * half-way leaves the old snapshot or none, never a mixed one. The snapshot is a cache: deleting
 * it loses nothing, and one that cannot be read is ignored.
 */

const VERSION = 2;

/** File number, SHA-256, stored transactions of that file. */
export type SnapshotFile = [number, string, number];

export interface SnapshotManifest<M> {
  version: number;
  /** The base: its edges, accounts and files. */
  edges: number;
  accounts: number;
  files: SnapshotFile[];
  /** Deltas in the order they were added: directory name, edges, accounts, files. */
  deltas: { dir: string; edges: number; accounts: number; files: SnapshotFile[] }[];
  /** What the snapshot's user keeps with it (detect: which detectors saw these edges). */
  meta: M;
}

function filesOf(columns: EdgeColumns, rowsPerFile: ReadonlyMap<number, { rows: number }>): SnapshotFile[] {
  return [...columns.files].map(([no, sha]) => [no, sha, rowsPerFile.get(no)?.rows ?? 0]);
}

function writeColumns(dir: string, columns: EdgeColumns): void {
  mkdirSync(dir, { recursive: true });
  for (const c of EDGE_COLUMN_NAMES) {
    const a = columns[c];
    writeFileSync(join(dir, `${c}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  writeFileSync(join(dir, "accounts.txt"), columns.accounts.join("\n"));
}

function writeManifest<M>(dir: string, manifest: SnapshotManifest<M>): void {
  writeFileSync(join(dir, "manifest.json.new"), JSON.stringify(manifest));
  renameSync(join(dir, "manifest.json.new"), join(dir, "manifest.json"));
}

/** A new snapshot of these columns alone (a base, no deltas), replacing any old one. */
export function writeGraphSnapshot<M>(
  dir: string,
  columns: EdgeColumns,
  rowsPerFile: ReadonlyMap<number, { rows: number }>,
  meta: M,
): void {
  const fresh = `${dir}.new`;
  rmSync(fresh, { recursive: true, force: true });
  writeColumns(fresh, columns);
  writeManifest(fresh, {
    version: VERSION,
    edges: columns.time.length,
    accounts: columns.accounts.length,
    files: filesOf(columns, rowsPerFile),
    deltas: [],
    meta,
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(fresh, dir);
}

/** Adds the transactions of some files (`delta`, as the store exports them) to the snapshot. */
export function appendGraphSnapshot<M>(
  dir: string,
  manifest: SnapshotManifest<M>,
  delta: EdgeColumns,
  rowsPerFile: ReadonlyMap<number, { rows: number }>,
  meta: M,
): void {
  const name = `delta-${manifest.deltas.length + 1}`;
  rmSync(join(dir, name), { recursive: true, force: true });
  writeColumns(join(dir, name), delta);
  const entry = {
    dir: name,
    edges: delta.time.length,
    accounts: delta.accounts.length,
    files: filesOf(delta, rowsPerFile),
  };
  writeManifest(dir, { ...manifest, deltas: [...manifest.deltas, entry], meta });
}

/** The snapshot's manifest with new user data, its columns as they are. */
export function rememberInSnapshot<M>(dir: string, manifest: SnapshotManifest<M>, meta: M): void {
  writeManifest(dir, { ...manifest, meta });
}

/** A column's bytes as its typed array (copied when the buffer is not aligned for it). */
function view<T extends Int32Array | Float64Array | Uint8Array>(
  bytes: Buffer,
  Type: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
): T {
  const size = Type.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % size !== 0) bytes = Buffer.from(bytes);
  return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
}

function readColumns(
  dir: string,
  files: SnapshotFile[],
  edges: number,
  accounts: number,
): EdgeColumns | null {
  const text = readFileSync(join(dir, "accounts.txt"), "utf8");
  const read = (c: string) => readFileSync(join(dir, `${c}.bin`));
  const columns: EdgeColumns = {
    accounts: text === "" ? [] : text.split("\n"),
    from: view(read("from"), Int32Array),
    to: view(read("to"), Int32Array),
    time: view(read("time"), Float64Array),
    amountUsd: view(read("amountUsd"), Float64Array),
    channel: view(read("channel"), Uint8Array),
    fileNo: view(read("fileNo"), Int32Array),
    line: view(read("line"), Int32Array),
    files: new Map(files.map(([no, sha]) => [no, sha])),
  };
  const whole =
    columns.accounts.length === accounts && EDGE_COLUMN_NAMES.every((c) => columns[c].length === edges);
  return whole ? columns : null;
}

export interface Snapshot<M> {
  /** The base and every delta, merged. */
  columns: EdgeColumns;
  manifest: SnapshotManifest<M>;
  /** Every file the snapshot holds, base and deltas. */
  files: SnapshotFile[];
}

/** The snapshot in `dir`, or null when there is none or it cannot be read whole. */
export function readGraphSnapshot<M>(dir: string): Snapshot<M> | null {
  if (!existsSync(join(dir, "manifest.json"))) return null;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as SnapshotManifest<M>;
    if (manifest.version !== VERSION) return null;
    const base = readColumns(dir, manifest.files, manifest.edges, manifest.accounts);
    if (!base) return null;
    // The deltas together first (small), then into the base: one pass over the bulk.
    let added: EdgeColumns | null = null;
    for (const d of manifest.deltas) {
      const delta = readColumns(join(dir, d.dir), d.files, d.edges, d.accounts);
      if (!delta) return null;
      added = added ? mergeEdgeColumns(added, delta).columns : delta;
    }
    return {
      columns: added ? mergeEdgeColumns(base, added).columns : base,
      manifest,
      files: [...manifest.files, ...manifest.deltas.flatMap((d) => d.files)],
    };
  } catch {
    return null;
  }
}
