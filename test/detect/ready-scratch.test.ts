import { afterAll, describe, expect, it } from "vitest";
import { readyScratch } from "../../src/detect/detect.js";
import { scratch } from "../../src/util/scratch-pool.js";
import { tempDir, withStore } from "../helpers.js";
import { ingestDetailRows, wireRows as rows } from "./detail-csv.js";
import { holdingWorkspace } from "./holding-workspace.js";

/**
 * A process that holds the graph (`watch`) readies the working tables of the next run after each
 * (`readyScratch`): the incremental run then takes every table from them, none from fresh memory.
 * Its own file: the pool is the process's, and other files' runs would leave tables in it.
 */
const t = tempDir();
afterAll(t.cleanup);

describe("readyScratch", () => {
  it("keeps the tables an incremental run on the held graph takes: the run adds none", async () => {
    const { ws, holder, run } = holdingWorkspace(t.dir, "ws");
    await ingestDetailRows(t.dir, ws, "r1.csv", rows("A", 1, "P"));
    await withStore(ws, (store) => run(store));
    readyScratch(holder);
    const ready = scratch.bytes;
    expect(ready).toBeGreaterThan(0);
    // New payments, between old accounts and from new ones (the merge's and the lists' maps of accounts).
    await ingestDetailRows(t.dir, ws, "r2.csv", [...rows("B", 20, "P"), ...rows("C", 21, "N")]);
    const second = await withStore(ws, (store) => run(store));
    expect([second.graphFrom, second.newTransactions]).toEqual(["memory", 12]);
    expect(second.detectors.some((d) => d.run === "incremental")).toBe(true);
    expect(scratch.bytes).toBe(ready);
  });
});
