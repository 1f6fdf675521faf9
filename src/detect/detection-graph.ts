import {
  appendGraphSnapshot,
  readGraphSnapshot,
  rememberInSnapshot,
  writeGraphSnapshot,
} from "../graph/graph-snapshot.js";
import { mergeEdgeColumns } from "../graph/merge-edge-columns.js";
import { buildMoneyGraph, type MoneyGraph } from "../graph/money-graph.js";
import type { EdgeColumns, Store } from "../store/store.js";

/**
 * The graph `detect` runs on, and what is new in it since the last run. The last run leaves a
 * snapshot of its graph in the workspace (`graph-snapshot.ts`) with the detectors that saw it;
 * this run reads it back and adds the transactions of the files ingested since, which are the new
 * edges. Without a snapshot that matches the store (none yet, deleted, or files changed under
 * it), the whole graph comes from the store and every edge counts as unseen.
 */

/** What a snapshot remembers of the run that wrote it: per detector, the parameters it ran with. */
export interface DetectMemory {
  detectors: Record<string, string>;
}

export interface DetectionGraph {
  graph: MoneyGraph;
  /** Per edge, 1 if the last run's detectors have not seen it; null when there was no last run to go by. */
  added: Uint8Array | null;
  /** The last run's memory, when its snapshot matched the store. */
  previous: DetectMemory | null;
  /** Leaves this graph's snapshot for the next run, with what this run's detectors were. */
  remember(memory: DetectMemory): void;
}

/** Deltas a snapshot may gather before it is written whole again, and their share of its edges. */
const MAX_DELTAS = 8;
const MAX_DELTA_SHARE = 0.2;

export async function loadDetectionGraph(store: Store, snapshotDir?: string): Promise<DetectionGraph> {
  const stored = await store.fileRowCounts();
  const snapshot = snapshotDir ? readGraphSnapshot<DetectMemory>(snapshotDir) : null;
  // Usable only if every file it holds is still stored whole, with the same digest.
  const usable =
    snapshot?.files.every(([no, sha, rows]) => {
      const now = stored.get(no);
      return now !== undefined && now.sha256 === sha && now.rows === rows;
    }) ?? false;
  let columns: EdgeColumns;
  let added: Uint8Array | null = null;
  let delta: EdgeColumns | null = null;
  if (snapshot && usable) {
    const known = new Set(snapshot.files.map(([no]) => no));
    const fresh = [...stored.keys()].filter((no) => !known.has(no)).sort((a, b) => a - b);
    if (fresh.length === 0) {
      columns = snapshot.columns;
      added = new Uint8Array(columns.time.length);
    } else {
      delta = await store.edgeColumns({ files: fresh });
      const merged = mergeEdgeColumns(snapshot.columns, delta);
      columns = merged.columns;
      added = merged.added;
    }
  } else columns = await store.edgeColumns();
  return {
    graph: buildMoneyGraph(columns),
    added,
    previous: snapshot && usable ? snapshot.manifest.meta : null,
    remember(memory) {
      if (!snapshotDir) return;
      if (!snapshot || !usable) return writeGraphSnapshot(snapshotDir, columns, stored, memory);
      if (!delta) return rememberInSnapshot(snapshotDir, snapshot.manifest, memory);
      const m = snapshot.manifest;
      const deltaEdges = m.deltas.reduce((n, d) => n + d.edges, 0) + delta.time.length;
      // Many or large deltas cost a merge on every read: then the whole graph becomes the base.
      if (m.deltas.length + 1 > MAX_DELTAS || deltaEdges > MAX_DELTA_SHARE * m.edges)
        return writeGraphSnapshot(snapshotDir, columns, stored, memory);
      appendGraphSnapshot(snapshotDir, m, delta, stored, memory);
    },
  };
}
