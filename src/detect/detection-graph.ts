import {
  appendGraphSnapshot,
  filesOf,
  type KeptMeasures,
  type KeptWrite,
  readGraphSnapshot,
  readSnapshotManifest,
  rememberInSnapshot,
  type Snapshot,
  type SnapshotManifest,
  type SnapshotMeasures,
  type SnapshotWrite,
  snapshotFiles,
  storedWhole,
  writeGraphSnapshot,
} from "../graph/graph-snapshot.js";
import { type Csr, growCsr } from "../graph/grow-csr.js";
import { addedFlags, mergeEdgeColumnsInto } from "../graph/merge-edge-columns.js";
import { buildMoneyGraph, type MoneyGraph } from "../graph/money-graph.js";
import { EDGE_COLUMN_NAMES } from "../store/edge-columns.js";
import type { EdgeColumns, Store } from "../store/store.js";
import { withRoom } from "../util/shared-array.js";
import { carryMeasures, type GraphGrowth, measuresOf } from "./carried-measures.js";
import { detailMeasures, detailsFromColumns, detailsGrown } from "./load-details.js";
import type { TransactionDetails } from "./transaction-details.js";

/**
 * The graph `detect` runs on, and what is new in it since the last run. The last run leaves a
 * snapshot of its graph in the workspace (`graph-snapshot.ts`) with the detectors that saw it;
 * this run reads it back and adds the transactions of the files ingested since, which are the new
 * edges. Without a snapshot that matches the store (none yet, deleted, or files changed under
 * it), the whole graph comes from the store and every edge counts as unseen. The snapshot also
 * carries measures of the last graph that are costly to work out afresh (`carried-measures.ts`).
 */

/** What a snapshot remembers of the run that wrote it: per detector, the parameters it ran with. */
export interface DetectMemory {
  detectors: Record<string, string>;
}

export interface DetectionGraph {
  graph: MoneyGraph;
  /**
   * Per edge, 1 if the last run's detectors have not seen it; null when there was no last run to
   * go by. Made when read (a table of every edge): a run reads `addedAt`.
   */
  readonly added: Uint8Array | null;
  /** Those edges, ascending (null with `added`). */
  addedAt: Int32Array | null;
  /**
   * Where the graph came from: the last run's kept in this process's memory, the snapshot's files
   * (with the store's rows since), or the store alone.
   */
  from: "memory" | "snapshot" | "store";
  /** The last run's memory, when its snapshot matched the store. */
  previous: DetectMemory | null;
  /**
   * The transactions' details (`load-details.ts`): an earlier run's, carried in the snapshot, with
   * the rows of the files ingested since, or else all from the store. Once loaded, the snapshot
   * this run leaves carries them too (`MAX_DETAIL_LAG`).
   */
  details(): Promise<TransactionDetails>;
  /**
   * Starts leaving this graph's snapshot for the next run, with what this run's detectors were:
   * committed when what it says is true (the run's alerts stored). `later`: its measures are left
   * to `writeHeldMeasures` (a process that holds the graph, and writes them when idle): the
   * snapshot then names none of an earlier graph's, and a run that reads it works them out.
   */
  remember(memory: DetectMemory, later?: boolean): SnapshotWrite;
  /**
   * This graph as the next run in the same process takes it in place of the snapshot's files
   * (`HeldGraph`), once the snapshot `remember` wrote is committed; null without a snapshot.
   */
  held(): HeldGraph | null;
}

/**
 * A run's graph kept in memory by a process that runs `detect` again (`watch`): what reading the
 * snapshot back would give, without reading it (a third of an incremental run on 5M edges), nor
 * starting a process. Its manifest is the snapshot's as committed, which the next run writes on
 * from; its kept details are this run's, whole. Used only while every file it holds is still
 * stored whole, as the snapshot is; the next run consumes it (its arrays may be reused).
 */
export type HeldGraph = Snapshot<DetectMemory>;

/** The snapshot's names for the graph's adjacency lists, kept with the measures. */
const LISTS = {
  outStart: "lists:out-start",
  outEdges: "lists:out-edges",
  inStart: "lists:in-start",
  inEdges: "lists:in-edges",
};

/**
 * Whether a measure is a side's list of edges, which grows in place with room as the columns do
 * (`growCsr`): fewer than the edges where cash has no account at one end, so the edges' count
 * does not tell it (on data with cash, both sides' lists were written afresh on every run: 20 MB
 * each on 5M edges, 0.2–0.3 s of an incremental run).
 */
const isListOfEdges = (name: string) => name === LISTS.outEdges || name === LISTS.inEdges;

/**
 * The last graph's lists on one side, if the snapshot has them whole for a graph of `accounts`
 * accounts, grown to the new graph's (or as they are, when nothing was added).
 */
function listsOf(
  saved: Record<string, Int32Array | Uint8Array>,
  side: "out" | "in",
  columns: EdgeColumns,
  growth: GraphGrowth,
): Csr | null {
  const start = saved[side === "out" ? LISTS.outStart : LISTS.inStart];
  const edges = saved[side === "out" ? LISTS.outEdges : LISTS.inEdges];
  const oldAccounts = growth.baseAccount ? growth.baseAccount.length : columns.accounts.length;
  if (!(start instanceof Int32Array) || !(edges instanceof Int32Array)) return null;
  if (start.length !== oldAccounts + 1 || start[oldAccounts] !== edges.length) return null;
  if (growth.addedAt.length === 0 && !growth.baseAccount) return { start, edges };
  const ends = side === "out" ? columns.from : columns.to;
  return growCsr(ends, columns.accounts.length, { start, edges }, growth.baseAccount, growth.addedAt);
}

/**
 * Room a held graph's arrays keep for the deliveries after it: a share of its edges, and at least
 * so many (a small graph).
 */
const HELD_ROOM = 0.05;
const HELD_ROOM_MIN = 10_000;

/** Deltas a snapshot may gather before it is written whole again, and their share of its edges. */
const MAX_DELTAS = 8;
const MAX_DELTA_SHARE = 0.2;

/**
 * The details are carried as the snapshot's kept measures (`KeptMeasures`): those of the graph of
 * some run, brought up to date on each later run from the rows of the files since, and written
 * again only once those files hold more than this share of the edges. Written on every run (8
 * columns of 5M edges, 160 MB), they took 0.1-0.3 s of the run's alerts phase, whose store
 * queries they slowed. Kept, the run after a write saves that, and the runs after it pay instead
 * for the rows of every file since (about even after a second delivery of 0.5% of the edges).
 */
const MAX_DETAIL_LAG = 0.05;

/**
 * The edges of the files `files` does not name, ascending: the added edges when it names the
 * snapshot's files (`known`), else found by file number.
 */
function edgesNotOf(
  g: MoneyGraph,
  files: ReadonlySet<number>,
  known: ReadonlySet<number>,
  addedAt: Int32Array,
): Int32Array {
  if (files.size === known.size && [...files].every((no) => known.has(no))) return addedAt;
  // File numbers are small: a table, where a set's lookup per edge took 0.1 s on 5M edges.
  let top = 0;
  for (const no of files) top = Math.max(top, no);
  const named = new Uint8Array(top + 1);
  for (const no of files) named[no] = 1;
  const notNamed = (e: number) => {
    const no = g.fileNo[e] as number;
    return no > top || named[no] === 0;
  };
  let n = 0;
  for (let e = 0; e < g.edgeCount; e++) if (notNamed(e)) n++;
  const out = new Int32Array(n);
  for (let e = 0, k = 0; e < g.edgeCount; e++) if (notNamed(e)) out[k++] = e;
  return out;
}

export async function loadDetectionGraph(
  store: Store,
  snapshotDir?: string,
  /** The last run's graph, kept in memory by this process: taken instead of the snapshot's files. */
  heldBefore?: HeldGraph | null,
): Promise<DetectionGraph> {
  // The snapshot's columns are read (off the main thread) while the store exports the new files'
  // transactions, with room for them: they are merged in place.
  const stored = await store.fileRowCounts();
  const manifest = snapshotDir ? readSnapshotManifest<DetectMemory>(snapshotDir) : null;
  // A held graph only while the snapshot is the one it was held with (no other process wrote one
  // since) and every file it holds is still stored whole.
  const inMemory =
    heldBefore && heldWith(heldBefore, manifest) && storedWhole(heldBefore.files, stored) ? heldBefore : null;
  // Usable only if every file it holds is still stored whole, with the same digest.
  const holds = manifest ? snapshotFiles(manifest) : [];
  const matches = manifest !== null && storedWhole(holds, stored);
  const known = new Set(holds.map(([no]) => no));
  const fresh = [...stored.keys()].filter((no) => !known.has(no)).sort((a, b) => a - b);
  const room = fresh.reduce((n, no) => n + (stored.get(no)?.rows ?? 0), 0);
  const reading = inMemory
    ? Promise.resolve(inMemory)
    : snapshotDir && manifest && matches
      ? readGraphSnapshot<DetectMemory>(snapshotDir, manifest, room, isListOfEdges)
      : null;
  // A held graph names the accounts it holds by the store's numbers: the export reads only the
  // keys of new ones.
  const heldColumns = inMemory?.columns;
  const heldAccounts = heldColumns?.accountNos
    ? { accounts: heldColumns.accounts, accountNos: heldColumns.accountNos }
    : null;
  const exporting =
    matches && fresh.length > 0
      ? store.edgeColumns({ files: fresh, ...(heldAccounts ? { known: heldAccounts } : {}) })
      : null;
  // Its failure is thrown where it is awaited, not reported as unhandled meanwhile.
  exporting?.catch(() => undefined);
  const snapshot = reading ? await reading : null;
  const usable = matches && snapshot !== null;
  let columns: EdgeColumns;
  let delta: EdgeColumns | null = null;
  let growth: GraphGrowth | null = null;
  if (snapshot && usable) {
    if (!exporting) {
      columns = snapshot.columns;
      growth = { addedAt: new Int32Array(0), baseAccount: null };
    } else {
      delta = await exporting;
      // Into the snapshot's own arrays (read with room for the delta): it is not used afterwards.
      const merged = mergeEdgeColumnsInto(snapshot.columns, delta);
      columns = merged.columns;
      growth = { addedAt: merged.addedAt, baseAccount: merged.baseAccount };
    }
  } else {
    // One export at a time: the new files' (if started, for a snapshot that then could not be read) first.
    await exporting;
    columns = await store.edgeColumns();
  }
  let graph: MoneyGraph;
  if (snapshot && growth) {
    // The lists grown from the last graph's: a sequential copy, where building them is not.
    const out = listsOf(snapshot.measures, "out", columns, growth);
    const inn = listsOf(snapshot.measures, "in", columns, growth);
    // The last graph's edges in order, the merge placed the new ones: those are checked.
    graph = buildMoneyGraph(columns, out && inn ? { out, in: inn } : undefined, growth.addedAt);
    carryMeasures(graph, snapshot.measures, growth);
  } else graph = buildMoneyGraph(columns);
  let details: { details: TransactionDetails; dictionary: number } | null = null;
  // Whether the details came from the snapshot's kept ones with few enough edges since to keep them.
  let keepDetails = false;
  // The measures the last `remember` wrote (with the lists): what a held graph carries.
  let remembered: SnapshotMeasures | null = null;
  // Room a held graph's arrays keep for the next deliveries.
  const heldRoom = Math.max(HELD_ROOM_MIN, Math.ceil(HELD_ROOM * graph.edgeCount));
  // The details as kept measures of this graph, made once for the snapshot and the held graph
  // both (which gives them room).
  let keptNow: KeptMeasures | null = null;
  const detailsKept = (d: { details: TransactionDetails; dictionary: number }): KeptMeasures => {
    keptNow ??= {
      measures: detailMeasures(d.details, d.dictionary),
      edges: graph.edgeCount,
      files: filesOf(columns, stored),
    };
    return keptNow;
  };
  let added: Uint8Array | null = null;
  return {
    graph,
    get added() {
      if (growth) added ??= addedFlags(growth.addedAt, graph.edgeCount);
      return added;
    },
    addedAt: growth?.addedAt ?? null,
    from: !(snapshot && usable) ? "store" : snapshot === inMemory ? "memory" : "snapshot",
    previous: snapshot && usable ? snapshot.manifest.meta : null,
    async details() {
      // Those kept of a graph of files all still stored whole, as the snapshot's are.
      const kept = snapshot && usable ? snapshot.kept : null;
      if (!details && kept && storedWhole(kept.files, stored)) {
        const keptFiles = new Set(kept.files.map(([no]) => no));
        const since = edgesNotOf(graph, keptFiles, known, growth?.addedAt ?? new Int32Array(0));
        details = await detailsGrown(graph, kept.measures, kept.edges, since, () =>
          store.detailColumns({
            files: [...stored.keys()].filter((no) => !keptFiles.has(no)).sort((a, b) => a - b),
          }),
        );
        // Counted from the graph of the details the snapshot's files keep (a held graph's are newer).
        const written = snapshot?.manifest.kept?.edges;
        keepDetails =
          details !== null &&
          written !== undefined &&
          graph.edgeCount - written <= MAX_DETAIL_LAG * graph.edgeCount;
      }
      if (!details) {
        const all = await store.detailColumns();
        details = { details: detailsFromColumns(graph, all), dictionary: all.strings.length };
      }
      return details.details;
    },
    remember(memory, later = false) {
      if (!snapshotDir) return { commit: async () => undefined };
      remembered = {
        ...measuresOf(graph),
        [LISTS.outStart]: graph.outStart,
        [LISTS.outEdges]: graph.outEdges,
        [LISTS.inStart]: graph.inStart,
        [LISTS.inEdges]: graph.inEdges,
      };
      const measures = later ? undefined : remembered;
      // The details as this run has them, else those the snapshot keeps (a run that loads none
      // leaves them for the next), else none.
      const kept: KeptWrite | undefined =
        details && !keepDetails
          ? detailsKept(details)
          : snapshot && usable && snapshot.kept
            ? "keep"
            : undefined;
      if (!snapshot || !usable)
        return writeGraphSnapshot(snapshotDir, columns, stored, memory, measures, kept && { write: kept });
      if (!delta) {
        // The same graph: its measures are the snapshot's, unless this run worked out others
        // (and writes them now).
        const same =
          !measures ||
          Object.entries(measures).every(([name, a]) => snapshot.measures[name]?.length === a.length);
        return rememberInSnapshot(snapshotDir, snapshot.manifest, memory, same ? undefined : measures, kept);
      }
      const m = snapshot.manifest;
      const deltaEdges = m.deltas.reduce((n, d) => n + d.edges, 0) + delta.time.length;
      // Many or large deltas cost a merge on every read: then the whole graph becomes the base.
      if (m.deltas.length + 1 > MAX_DELTAS || deltaEdges > MAX_DELTA_SHARE * m.edges)
        return writeGraphSnapshot(
          snapshotDir,
          columns,
          stored,
          memory,
          measures,
          kept && { write: kept, from: m },
        );
      return appendGraphSnapshot(snapshotDir, m, delta, stored, memory, measures, kept);
    },
    held() {
      if (!snapshotDir || !remembered) return null;
      // The snapshot as committed, which must hold this graph's files and no others.
      const committed = readSnapshotManifest<DetectMemory>(snapshotDir);
      const files = committed ? snapshotFiles(committed) : [];
      if (!committed || files.length !== columns.files.size || !files.every(([no]) => columns.files.has(no)))
        return null;
      // Each array with room for the next deliveries, to grow in place as a snapshot read does:
      // of the measures, the per-edge ones, the lists of edges, and the per-account ones
      // (degrees, counts, transfer hubs: `carryMeasures` lays them onto the next graph within
      // their room, where fresh tables cost the first touch of their memory; as many new accounts
      // as new edges fit), and the lists' starts (one more than the accounts), which `growCsr`
      // writes in place too.
      const roomy = (m: SnapshotMeasures, grows = (_: string, _a: SnapshotMeasures[string]) => true) =>
        Object.fromEntries(
          Object.entries(m).map(([name, a]) => [name, grows(name, a) ? withRoom(a, heldRoom) : a]),
        ) as SnapshotMeasures;
      const grows = (name: string, a: SnapshotMeasures[string]) =>
        a.length === graph.edgeCount ||
        a.length === graph.accounts.length ||
        isListOfEdges(name) ||
        name === LISTS.outStart ||
        name === LISTS.inStart;
      const kept = details ? detailsKept(details) : snapshot && usable ? snapshot.kept : null;
      return {
        columns: {
          ...columns,
          ...Object.fromEntries(EDGE_COLUMN_NAMES.map((c) => [c, withRoom(columns[c], heldRoom)])),
          // The store's numbers for the accounts too: the merge moves them up in place.
          ...(columns.accountNos ? { accountNos: withRoom(columns.accountNos, heldRoom) } : {}),
        },
        manifest: committed,
        files,
        measures: roomy(remembered, grows),
        kept: kept && { ...kept, measures: roomy(kept.measures) },
      };
    },
  };
}

/** Whether `manifest` is still the snapshot the graph was held with: no other process wrote one since. */
function heldWith(held: HeldGraph, manifest: SnapshotManifest<DetectMemory> | null): boolean {
  return JSON.stringify(manifest) === JSON.stringify(held.manifest);
}

/** Whether some of a held graph's measures are not in the snapshot it was held with (`remember`'s `later`). */
export function measuresPending(held: HeldGraph): boolean {
  const written = new Set(held.manifest.measures?.items.map((item) => item.name));
  return Object.keys(held.measures).some((name) => !written.has(name));
}

/**
 * Writes a held graph's measures into the snapshot it was held with, for a run in another process
 * (or after this one stops) to carry rather than work out; its caller holds the store, as a run
 * does. Returns the graph held with the snapshot as now committed, which the next run in this
 * process then still takes; or null, when another process has written the snapshot since (the
 * next run would set the graph aside).
 */
export async function writeHeldMeasures(snapshotDir: string, held: HeldGraph): Promise<HeldGraph | null> {
  const committed = readSnapshotManifest<DetectMemory>(snapshotDir);
  if (!heldWith(held, committed)) return null;
  await rememberInSnapshot(snapshotDir, held.manifest, held.manifest.meta, held.measures, "keep").commit();
  const now = readSnapshotManifest<DetectMemory>(snapshotDir);
  return now && { ...held, manifest: now };
}
