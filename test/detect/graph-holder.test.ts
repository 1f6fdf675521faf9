import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectSnapshotDir } from "../../src/cli/detect.js";
import { detect, type GraphHolder } from "../../src/detect/detect.js";
import { defaultPackPath, loadRulePack } from "../../src/detect/rule-pack.js";
import { readSnapshotManifest, snapshotFiles } from "../../src/graph/graph-snapshot.js";
import { tempDir, withStore } from "../helpers.js";
import { ingestDetailRows } from "./detail-csv.js";

/**
 * A process that runs detect again and again (`watch`) holds each run's graph for the next
 * (`GraphHolder`), and writes the run's snapshot once its alerts are stored; the run returns with
 * the snapshot committed, before the process lets the store go (another process's detect may
 * write the snapshot then), and its graph held.
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
  it("has the run's graph, its snapshot committed, when the run returns; the next run takes the graph", async () => {
    const ws = join(t.dir, "ws");
    const dir = detectSnapshotDir(ws);
    const pack = loadRulePack(defaultPackPath());
    const holder: GraphHolder = { graph: null };
    const files = () => {
      const manifest = readSnapshotManifest<{ detectors: Record<string, string> }>(dir);
      return manifest ? snapshotFiles(manifest).map(([no]) => no) : [];
    };
    await ingestDetailRows(t.dir, ws, "h1.csv", rows("A", 1));
    await withStore(ws, async (store) => {
      const first = await detect(store, pack, { snapshotDir: dir, holder });
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
      const second = await detect(store, pack, { snapshotDir: dir, holder });
      expect([second.graphFrom, second.newTransactions]).toEqual(["memory", 6]);
      expect(files()).toEqual([1, 2]);
    });
  });
});
