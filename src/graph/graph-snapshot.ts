import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { open, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EDGE_COLUMN_NAMES } from "../store/edge-columns.js";
import type { EdgeColumns } from "../store/store.js";
import { sharedArray, type Typed, type TypedType } from "../util/shared-array.js";
import { mergeEdgeColumns, mergeEdgeColumnsInto } from "./merge-edge-columns.js";

/**
 * A graph's columns saved in the workspace, so that a later run reads them back in a fraction of
 * a second instead of exporting millions of rows from the store again, and adds only the files
 * ingested since. A base (one file per column, raw typed-array bytes, and the account keys as
 * text), the deltas added since (the same layout, each the transactions of some files), arrays its
 * user worked out on the whole graph (per account or per edge: `measures`, rewritten whole on each
 * write, to a directory of their own), arrays of an earlier graph of the snapshot that its user
 * brings up to date rather than rewrites (`kept`, `KeptMeasures`), and a manifest naming what the
 * snapshot holds: per file number its digest and row count, so that a snapshot that no longer
 * matches the store is never used, and what its user keeps with it. Columns and measures are read
 * into shared memory (`src/util/shared-array.ts`), as the store's are exported.
 *
 * Adding a delta writes only the new transactions; a run that adds nothing rewrites only the
 * manifest. Every write of the manifest goes to a new file that then replaces the old one, and a
 * base is written to a fresh directory that then replaces the old snapshot, so a run stopped
 * half-way leaves the old snapshot or none, never a mixed one. The snapshot is a cache: deleting
 * it loses nothing, and one that cannot be read is ignored. A write goes in two steps
 * (`SnapshotWrite`): the files while its user does other work, then the manifest when its user
 * commits.
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
  /** Where the measures are (a directory named anew on each write) and what each is. */
  measures?: { dir: string; items: MeasureItem[] };
  /** Measures of an earlier graph of the snapshot, kept across writes until replaced (`KeptMeasures`). */
  kept?: { dir: string; items: MeasureItem[]; edges: number; files: SnapshotFile[] };
}

/** A measure's name, type and length (its file is its place in the list). */
interface MeasureItem {
  name: string;
  type: "int32" | "uint8";
  length: number;
}

/**
 * Arrays worked out on the snapshot's graph (whole, base and deltas merged) that its user carries
 * to the next graph: per account or per edge, by name.
 */
export type SnapshotMeasures = Record<string, Int32Array | Uint8Array>;

/**
 * Per-edge measures taken on an earlier graph of the snapshot (the `edges` edges of the files
 * `files`, in time order), kept as they are by the writes after (`"keep"`) until its user
 * replaces them: measures so large that rewriting them on every run costs more than bringing them
 * up to date from that graph (detect's details, hundreds of MB on millions of edges). Read with
 * room for the graph's edges since.
 */
export interface KeptMeasures {
  measures: SnapshotMeasures;
  edges: number;
  files: SnapshotFile[];
}

/** Kept measures to write anew, or those of the snapshot written on to keep ("keep"). */
export type KeptWrite = KeptMeasures | "keep";

/**
 * A snapshot being written: its files go out meanwhile (off the main thread), and `commit` waits
 * for them, then writes the manifest that makes them the snapshot. Its user commits once what the
 * snapshot says is true (detect: once the alerts of the run are stored); until then, and if it
 * never does, the old snapshot stands.
 */
export interface SnapshotWrite {
  commit(): Promise<void>;
}

function snapshotWrite(files: Promise<unknown>, commit: () => Promise<void> | void): SnapshotWrite {
  // A failure is thrown where the write is committed, not reported as unhandled meanwhile.
  files.catch(() => undefined);
  return {
    async commit() {
      await files;
      await commit();
    },
  };
}

/** An array's bytes written to a file, on the thread pool. */
async function writeArray(path: string, a: Typed): Promise<void> {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const file = await open(path, "w");
  try {
    for (let at = 0; at < bytes.length; ) at += (await file.write(bytes, at, bytes.length - at)).bytesWritten;
  } finally {
    await file.close();
  }
}

/** Writes the measures to a directory of their own (the manifest then names it), or none. */
function writeMeasures(
  dir: string,
  measures: SnapshotMeasures | undefined,
  prefix = MEASURES,
): { written: SnapshotManifest<unknown>["measures"]; files: Promise<unknown> } {
  const names = Object.keys(measures ?? {});
  if (!measures || names.length === 0) return { written: undefined, files: Promise.resolve() };
  const sub = `${prefix}${Date.now().toString(36)}-${process.pid}`;
  mkdirSync(join(dir, sub), { recursive: true });
  const arrays = names.map((name) => measures[name] as Int32Array | Uint8Array);
  const items = names.map((name, i) => ({
    name,
    type: arrays[i] instanceof Int32Array ? ("int32" as const) : ("uint8" as const),
    length: (arrays[i] as Int32Array | Uint8Array).length,
  }));
  const files = Promise.all(arrays.map((a, i) => writeArray(join(dir, sub, `${i}.bin`), a)));
  return { written: { dir: sub, items }, files };
}

const MEASURES = "measures-";
const KEPT = "kept-";

/** The mark of a directory the snapshot no longer uses, until it is removed. */
const DROPPED = "dropped-";

/**
 * Removes, in the background, the entries of `parent` named `${prefix}${DROPPED}…`: directories a
 * write renamed out of the way, and any a process stopped before it removed. Removing 60 MB of
 * measures took 0.06 s, a whole snapshot of 230 MB 0.2 s, which a run need not wait for.
 */
function removeDropped(parent: string, prefix = ""): void {
  const dropped = readdirSync(parent).filter((name) => name.startsWith(`${prefix}${DROPPED}`));
  Promise.all(dropped.map((name) => rm(join(parent, name), { recursive: true, force: true }))).catch(
    () => undefined,
  );
}

/** Drops the measure directories the manifest no longer names (an earlier write's). */
function dropOldMeasures(dir: string, manifest: SnapshotManifest<unknown>): void {
  const named = new Set([manifest.measures?.dir, manifest.kept?.dir]);
  for (const name of readdirSync(dir))
    if ((name.startsWith(MEASURES) || name.startsWith(KEPT)) && !named.has(name))
      renameSync(join(dir, name), join(dir, `${DROPPED}${name}`));
  removeDropped(dir);
}

/**
 * The kept measures a write leaves: written anew (to a directory of their own), the snapshot's
 * own (`"keep"`), or none.
 */
function writeKept(
  dir: string,
  manifest: SnapshotManifest<unknown> | null,
  kept: KeptWrite | undefined,
): { written: SnapshotManifest<unknown>["kept"]; files: Promise<unknown> } {
  if (kept === "keep" || kept === undefined)
    return { written: kept === "keep" ? manifest?.kept : undefined, files: Promise.resolve() };
  const { written, files } = writeMeasures(dir, kept.measures, KEPT);
  return { written: written && { ...written, edges: kept.edges, files: kept.files }, files };
}

/**
 * The measures, those that grow with the edges read with room for `room` more, as the columns
 * are: by default those of `edges` values; `grows` names others (the adjacency lists, shorter
 * than the edges where cash has no account at one end).
 */
async function readMeasures(
  dir: string,
  m: { dir: string; items: MeasureItem[] } | undefined,
  edges: number,
  room: number,
  grows: (name: string, length: number) => boolean = () => false,
): Promise<SnapshotMeasures> {
  const out: SnapshotMeasures = {};
  if (!m) return out;
  await Promise.all(
    m.items.map(async (item, i) => {
      const path = join(dir, m.dir, `${i}.bin`);
      const extra = item.length === edges || grows(item.name, item.length) ? room : 0;
      const a = await (item.type === "int32"
        ? readColumn(path, Int32Array, item.length, extra)
        : readColumn(path, Uint8Array, item.length, extra)
      ).catch(() => null);
      if (a) out[item.name] = a;
    }),
  );
  return out;
}

/** The files of `columns`, each with its digest and stored rows: what a snapshot of them holds. */
export function filesOf(
  columns: EdgeColumns,
  rowsPerFile: ReadonlyMap<number, { rows: number }>,
): SnapshotFile[] {
  return [...columns.files].map(([no, sha]) => [no, sha, rowsPerFile.get(no)?.rows ?? 0]);
}

/** The file of the store's numbers for the accounts (`EdgeColumns.accountNos`), where the columns have them. */
const ACCOUNT_NOS = "account-nos.bin";

function writeColumns(dir: string, columns: EdgeColumns): Promise<unknown> {
  mkdirSync(dir, { recursive: true });
  return Promise.all([
    ...EDGE_COLUMN_NAMES.map((c) => writeArray(join(dir, `${c}.bin`), columns[c])),
    writeFile(join(dir, "accounts.txt"), columns.accounts.join("\n")),
    ...(columns.accountNos ? [writeArray(join(dir, ACCOUNT_NOS), columns.accountNos)] : []),
  ]);
}

function writeManifest<M>(dir: string, manifest: SnapshotManifest<M>): void {
  writeFileSync(join(dir, "manifest.json.new"), JSON.stringify(manifest));
  renameSync(join(dir, "manifest.json.new"), join(dir, "manifest.json"));
}

/**
 * Makes `manifest`, with the measures and kept measures written now (or none), the snapshot's,
 * then drops the measure directories it no longer names.
 */
function commitManifest<M>(
  dir: string,
  manifest: SnapshotManifest<M>,
  measures: SnapshotManifest<M>["measures"],
  kept: SnapshotManifest<M>["kept"],
): void {
  const { measures: _measures, kept: _kept, ...rest } = manifest;
  const now: SnapshotManifest<M> = { ...rest, ...(measures ? { measures } : {}), ...(kept ? { kept } : {}) };
  writeManifest(dir, now);
  dropOldMeasures(dir, now);
}

/** A new snapshot of these columns alone (a base, no deltas), to replace any old one. */
export function writeGraphSnapshot<M>(
  dir: string,
  columns: EdgeColumns,
  rowsPerFile: ReadonlyMap<number, { rows: number }>,
  meta: M,
  measures?: SnapshotMeasures,
  /** Kept measures to write, or to keep those of the snapshot `from` (the one this replaces). */
  kept?: { write: KeptWrite; from?: SnapshotManifest<M> },
): SnapshotWrite {
  const fresh = `${dir}.new`;
  rmSync(fresh, { recursive: true, force: true });
  const columnFiles = writeColumns(fresh, columns);
  const { written, files } = writeMeasures(fresh, measures);
  const keeping = kept?.write === "keep" ? kept.from?.kept : undefined;
  const keptWrite = kept?.write === "keep" ? undefined : writeKept(fresh, null, kept?.write);
  return snapshotWrite(Promise.all([columnFiles, files, keptWrite?.files]), () => {
    // The kept measures of the old snapshot move into the new one, as they are (if still there:
    // the snapshot is a cache, and a write that cannot keep them leaves them out).
    const moved = keeping && existsSync(join(dir, keeping.dir)) ? keeping : undefined;
    if (moved) renameSync(join(dir, moved.dir), join(fresh, moved.dir));
    const keptNow = moved ?? keptWrite?.written;
    writeManifest(fresh, {
      version: VERSION,
      edges: columns.time.length,
      accounts: columns.accounts.length,
      files: filesOf(columns, rowsPerFile),
      deltas: [],
      meta,
      ...(written ? { measures: written } : {}),
      ...(keptNow ? { kept: keptNow } : {}),
    });
    const parent = dirname(dir);
    const prefix = `${basename(dir)}.`;
    if (existsSync(dir))
      renameSync(dir, join(parent, `${prefix}${DROPPED}${Date.now().toString(36)}-${process.pid}`));
    renameSync(fresh, dir);
    removeDropped(parent, prefix);
  });
}

/** Adds the transactions of some files (`delta`, as the store exports them) to the snapshot. */
export function appendGraphSnapshot<M>(
  dir: string,
  manifest: SnapshotManifest<M>,
  delta: EdgeColumns,
  rowsPerFile: ReadonlyMap<number, { rows: number }>,
  meta: M,
  measures?: SnapshotMeasures,
  kept?: KeptWrite,
): SnapshotWrite {
  const name = `delta-${manifest.deltas.length + 1}`;
  rmSync(join(dir, name), { recursive: true, force: true });
  const columnFiles = writeColumns(join(dir, name), delta);
  const entry = {
    dir: name,
    edges: delta.time.length,
    accounts: delta.accounts.length,
    files: filesOf(delta, rowsPerFile),
  };
  const { written, files } = writeMeasures(dir, measures);
  const keptWrite = writeKept(dir, manifest, kept);
  return snapshotWrite(Promise.all([columnFiles, files, keptWrite.files]), () =>
    commitManifest(
      dir,
      { ...manifest, deltas: [...manifest.deltas, entry], meta },
      written,
      keptWrite.written,
    ),
  );
}

/**
 * The snapshot's manifest with new user data, its columns as they are; its measures replaced
 * when given (else kept: the graph is the same), its kept measures as `kept` says (written anew,
 * kept, or, when undefined, dropped).
 */
export function rememberInSnapshot<M>(
  dir: string,
  manifest: SnapshotManifest<M>,
  meta: M,
  measures?: SnapshotMeasures,
  kept?: KeptWrite,
): SnapshotWrite {
  const fresh = measures ? writeMeasures(dir, measures) : { written: manifest.measures, files: null };
  const keptWrite = writeKept(dir, manifest, kept);
  return snapshotWrite(Promise.all([fresh.files, keptWrite.files]), () =>
    commitManifest(dir, { ...manifest, meta }, fresh.written, keptWrite.written),
  );
}

/**
 * A column file read into an array of its `n` values whose buffer holds `room` more: the new
 * transactions are then merged into it in place (`mergeEdgeColumnsInto`), where merging into a
 * fresh array would allocate and fill one the size of the graph again. Null if the file is not
 * `n` values long.
 */
async function readColumn<T extends Typed>(
  path: string,
  Type: TypedType<T>,
  n: number,
  room: number,
): Promise<T | null> {
  const bytes = n * Type.BYTES_PER_ELEMENT;
  // Shared memory, as the store's columns are (`newEdgeColumns`): a detection worker reads it where it is.
  const column = sharedArray(Type, n, room);
  const target = new Uint8Array(column.buffer, 0, bytes);
  const file = await open(path, "r");
  try {
    if ((await file.stat()).size !== bytes) return null;
    for (let at = 0; at < bytes; ) {
      const { bytesRead } = await file.read(target, at, bytes - at, at);
      if (bytesRead === 0) return null;
      at += bytesRead;
    }
  } finally {
    await file.close();
  }
  return column;
}

/**
 * A directory's columns, the files read side by side (off the main thread, while it does other
 * work), each with room for `room` more edges.
 */
async function readColumns(
  dir: string,
  files: SnapshotFile[],
  edges: number,
  accounts: number,
  room = 0,
): Promise<EdgeColumns | null> {
  const column = <T extends Typed>(name: string, Type: TypedType<T>) =>
    readColumn(join(dir, `${name}.bin`), Type, edges, room);
  // A snapshot written before the columns had them has no account numbers: read without.
  const nosFile = join(dir, ACCOUNT_NOS);
  const [text, from, to, time, amountUsd, channel, fileNo, line, accountNos] = await Promise.all([
    readFile(join(dir, "accounts.txt"), "utf8"),
    column("from", Int32Array),
    column("to", Int32Array),
    column("time", Float64Array),
    column("amountUsd", Float64Array),
    column("channel", Uint8Array),
    column("fileNo", Int32Array),
    column("line", Int32Array),
    existsSync(nosFile) ? readColumn(nosFile, Int32Array, accounts, 0) : null,
  ]);
  if (!from || !to || !time || !amountUsd || !channel || !fileNo || !line) return null;
  const columns: EdgeColumns = {
    accounts: text === "" ? [] : text.split("\n"),
    from,
    to,
    time,
    amountUsd,
    channel,
    fileNo,
    line,
    files: new Map(files.map(([no, sha]) => [no, sha])),
    ...(accountNos ? { accountNos } : {}),
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
  /** The measures written with it that could be read whole (by name). */
  measures: SnapshotMeasures;
  /** Its kept measures (each read whole, with room for the edges since), if it has some. */
  kept: KeptMeasures | null;
}

/** The snapshot in `dir`, or null when there is none or it cannot be read whole. */
/** The snapshot's manifest alone (what it holds, to decide what else to read), or null. */
export function readSnapshotManifest<M>(dir: string): SnapshotManifest<M> | null {
  if (!existsSync(join(dir, "manifest.json"))) return null;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as SnapshotManifest<M>;
    return manifest.version === VERSION ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * Whether every file of `files` is still stored whole (the same digest, as many rows): what makes
 * a snapshot, or measures kept in it, usable.
 */
export function storedWhole(
  files: readonly SnapshotFile[],
  stored: ReadonlyMap<number, { sha256: string; rows: number }>,
): boolean {
  return files.every(([no, sha, rows]) => {
    const now = stored.get(no);
    return now !== undefined && now.sha256 === sha && now.rows === rows;
  });
}

/** Every file a manifest holds, base and deltas. */
export function snapshotFiles(manifest: SnapshotManifest<unknown>): SnapshotFile[] {
  return [...manifest.files, ...manifest.deltas.flatMap((d) => d.files)];
}

/**
 * The snapshot in `dir` (its manifest already read, or read now), or null when there is none or
 * it cannot be read whole. Its columns have room for `room` more edges (the caller's new
 * transactions, to merge in place) besides its deltas', and so have the measures of as many
 * values as the edges and those `grows` names.
 */
export async function readGraphSnapshot<M>(
  dir: string,
  known?: SnapshotManifest<M>,
  room = 0,
  grows?: (name: string, length: number) => boolean,
): Promise<Snapshot<M> | null> {
  const manifest = known ?? readSnapshotManifest<M>(dir);
  if (!manifest) return null;
  const deltaEdges = manifest.deltas.reduce((n, d) => n + d.edges, 0);
  try {
    const edges = manifest.edges + deltaEdges;
    const k = manifest.kept;
    const [base, deltas, measures, keptMeasures] = await Promise.all([
      readColumns(dir, manifest.files, manifest.edges, manifest.accounts, room + deltaEdges),
      Promise.all(manifest.deltas.map((d) => readColumns(join(dir, d.dir), d.files, d.edges, d.accounts))),
      readMeasures(dir, manifest.measures, edges, room, grows),
      k && k.edges <= edges ? readMeasures(dir, k, k.edges, edges + room - k.edges) : null,
    ]);
    if (!base) return null;
    // The deltas together first (small), then into the base: one pass over the bulk.
    let added: EdgeColumns | null = null;
    for (const delta of deltas) {
      if (!delta) return null;
      added = added ? mergeEdgeColumns(added, delta).columns : delta;
    }
    return {
      columns: added ? mergeEdgeColumnsInto(base, added).columns : base,
      manifest,
      files: snapshotFiles(manifest as SnapshotManifest<unknown>),
      measures,
      // Kept measures only when every one of them could be read whole.
      kept:
        k && keptMeasures && Object.keys(keptMeasures).length === k.items.length
          ? { measures: keptMeasures, edges: k.edges, files: k.files }
          : null,
    };
  } catch {
    return null;
  }
}
