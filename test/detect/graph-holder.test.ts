import { afterAll, describe, expect, it } from "vitest";
import { measuresPending, writeHeldMeasures } from "../../src/detect/detection-graph.js";
import { readGraphSnapshot, readSnapshotManifest, snapshotFiles } from "../../src/graph/graph-snapshot.js";
import { tempDir, withStore } from "../helpers.js";
import { ingestDetailRows, wireRows as rows } from "./detail-csv.js";
import { holdingWorkspace } from "./holding-workspace.js";

/**
 * A process that runs detect again and again (`watch`) holds each run's graph for the next
 * (`GraphHolder`), and writes the run's snapshot once its alerts are stored; the run returns with
 * the snapshot committed, before the process lets the store go (another process's detect may
 * write the snapshot then), and its graph held. The graph's measures it writes when idle
 * (`writeHeldMeasures`): until then the snapshot names none, never an earlier graph's.
 */
const t = tempDir();
afterAll(t.cleanup);

describe("a graph holder", () => {
  it("has the run's graph, its snapshot committed, when the run returns; the next run takes the graph", async () => {
    const { ws, dir, holder, run } = holdingWorkspace(t.dir, "ws");
    const files = () => {
      const manifest = readSnapshotManifest<{ detectors: Record<string, string> }>(dir);
      return manifest ? snapshotFiles(manifest).map(([no]) => no) : [];
    };
    await ingestDetailRows(t.dir, ws, "h1.csv", rows("A", 1));
    await withStore(ws, async (store) => {
      const first = await run(store);
      // Read before anything else can run: the commit and the hold are done, not pending.
      expect(files()).toEqual([1]);
      expect(holder.graph).not.toBeNull();
      expect(Object.keys(first.seconds)).toEqual(
        expect.arrayContaining(["load", "detectors", "alerts", "snapshot", "hold"]),
      );
      expect(Object.keys(readSnapshotManifest<{ detectors: object }>(dir)?.meta.detectors ?? {})).toContain(
        "fan-in@2",
      );
    });
    await ingestDetailRows(t.dir, ws, "h2.csv", rows("B", 20));
    await withStore(ws, async (store) => {
      const second = await run(store);
      expect([second.graphFrom, second.newTransactions]).toEqual(["memory", 6]);
      expect(files()).toEqual([1, 2]);
    });
  });

  it("writes the held graph's measures when asked, not in the run: the snapshot names none of an earlier graph's", async () => {
    const w = holdingWorkspace(t.dir, "ws-measures");
    const { ws, dir, holder } = w;
    // With the holder, as watch runs it; else a command's run.
    const run = (held = false) => withStore(ws, (store) => w.run(store, held));
    // A command's run: the snapshot with its measures.
    await ingestDetailRows(t.dir, ws, "m1.csv", rows("A", 1));
    await run();
    expect(readSnapshotManifest(dir)?.measures?.items.length).toBeGreaterThan(0);
    // A held run on a new file: those measures are of the graph before it, and are dropped.
    await ingestDetailRows(t.dir, ws, "m2.csv", rows("B", 20));
    expect((await run(true)).graphFrom).toBe("snapshot");
    expect(readSnapshotManifest(dir)?.measures).toBeUndefined();
    const held = holder.graph;
    if (!held) throw new Error("no graph held");
    expect(measuresPending(held)).toBe(true);
    // Written (the store held, as watch does): the snapshot reads back the held graph's measures.
    holder.graph = await withStore(ws, () => writeHeldMeasures(dir, held));
    const now = holder.graph;
    if (!now) throw new Error("the held graph was let go");
    expect(measuresPending(now)).toBe(false);
    const back = await readGraphSnapshot(dir);
    expect(Object.keys(back?.measures ?? {}).sort()).toEqual(Object.keys(held.measures).sort());
    for (const [name, a] of Object.entries(held.measures)) expect(back?.measures[name], name).toEqual(a);
    expect(back?.measures["lists:out-start"]).toHaveLength((back?.columns.accounts.length ?? 0) + 1);
    // The graph is still the snapshot's: the next run takes it from memory.
    await ingestDetailRows(t.dir, ws, "m3.csv", rows("C", 25));
    expect((await run(true)).graphFrom).toBe("memory");
    // Another process's run writes the snapshot: the graph held before it is let go, nothing written.
    const before = holder.graph;
    if (!before) throw new Error("no graph held");
    await ingestDetailRows(t.dir, ws, "m4.csv", rows("D", 28));
    await run();
    const theirs = readSnapshotManifest(dir);
    expect(await withStore(ws, () => writeHeldMeasures(dir, before))).toBeNull();
    expect(readSnapshotManifest(dir)).toEqual(theirs);
  });
});
