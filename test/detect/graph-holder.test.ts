import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectSnapshotDir } from "../../src/cli/detect.js";
import { detectHolding } from "../../src/cli/watch.js";
import { detect, type GraphHolder } from "../../src/detect/detect.js";
import { defaultPackPath, loadRulePack } from "../../src/detect/rule-pack.js";
import { readSnapshotManifest } from "../../src/graph/graph-snapshot.js";
import { tempDir, withStore } from "../helpers.js";
import { ingestDetailRows } from "./detail-csv.js";

/**
 * A process that runs detect again and again (`watch`) holds each run's graph for the next
 * (`GraphHolder`), and leaves the run's snapshot to be written and committed after its alerts are
 * stored: the run returns first, and the next run waits for it.
 */
const t = tempDir();
afterAll(t.cleanup);

const rows = (prefix: string, day: number) =>
  Array.from(
    { length: 6 },
    (_, i) =>
      `${prefix}${i},2022-09-${String(day).padStart(2, "0")} 1${i}:00,001,P${i},002,B,${1500 + i}.00,WIRE,,,,,,`,
  );

describe("a graph holder", () => {
  it("gets the run's snapshot committed and its graph held after the run returns; the next run waits for it", async () => {
    const ws = join(t.dir, "ws");
    const dir = detectSnapshotDir(ws);
    const pack = loadRulePack(defaultPackPath());
    const holder: GraphHolder = { graph: null };
    await ingestDetailRows(t.dir, ws, "h1.csv", rows("A", 1));
    const first = await withStore(ws, (store) => detect(store, pack, { snapshotDir: dir, holder }));
    // Returned with its alerts stored, the snapshot still to come: no snapshot phase in the run.
    expect(first.seconds.snapshot).toBeUndefined();
    expect(holder.pending).toBeInstanceOf(Promise);
    await holder.pending;
    expect(holder.graph).not.toBeNull();
    const memory = readSnapshotManifest<{ detectors: Record<string, string> }>(dir)?.meta;
    expect(Object.keys(memory?.detectors ?? {})).toContain("fan-in@2");
    await ingestDetailRows(t.dir, ws, "h2.csv", rows("B", 20));
    await ingestDetailRows(t.dir, ws, "h3.csv", rows("C", 25));
    await withStore(ws, async (store) => {
      const second = await detect(store, pack, { snapshotDir: dir, holder });
      expect([second.graphFrom, second.newTransactions]).toEqual(["memory", 12]);
      // Its snapshot still being written: no graph held yet.
      expect(holder.graph).toBeNull();
      expect(holder.pending).toBeInstanceOf(Promise);
      // The next run, started at once, waits for it and takes the held graph.
      const third = await detect(store, pack, { snapshotDir: dir, holder });
      expect([third.graphFrom, third.newTransactions]).toEqual(["memory", 0]);
    });
    await holder.pending;
    // The snapshot holds every file, as a run without a holder would leave it.
    const manifest = readSnapshotManifest<unknown>(dir);
    const files = [...(manifest?.files ?? []), ...(manifest?.deltas.flatMap((d) => d.files) ?? [])];
    expect(files.map(([no]) => no).sort()).toEqual([1, 2, 3]);
  });

  it("in watch, is done with the snapshot before the look lets the store go: another process may write it then", async () => {
    const ws = join(t.dir, "ws-watch");
    const dir = detectSnapshotDir(ws);
    const pack = loadRulePack(defaultPackPath());
    const holder: GraphHolder = { graph: null };
    await ingestDetailRows(t.dir, ws, "w1.csv", rows("A", 1));
    await withStore(ws, async (store) => {
      const summary = await detectHolding(store, pack, ws, holder);
      // Checked before anything else can run: the commit and the hold are done, not pending.
      const manifest = readSnapshotManifest<unknown>(dir);
      expect(manifest?.files.map(([no]) => no)).toEqual([1]);
      expect(holder.graph).not.toBeNull();
      expect(summary.seconds.snapshot).toBeGreaterThanOrEqual(0);
    });
  });
});
