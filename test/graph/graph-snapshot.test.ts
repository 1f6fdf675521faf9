import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  appendGraphSnapshot,
  type KeptMeasures,
  type KeptWrite,
  readGraphSnapshot,
  rememberInSnapshot,
  type SnapshotMeasures,
  type SnapshotWrite,
  writeGraphSnapshot,
} from "../../src/graph/graph-snapshot.js";
import { tempDir } from "../helpers.js";
import { columnsOf, type Tx } from "./columns-of.js";

const t = tempDir();
afterAll(t.cleanup);

const base: Tx[] = [
  ["a", "b", 1, 1, 2],
  ["b", "", 3, 1, 3],
  ["c", "a", 5, 1, 4],
];
const later: Tx[] = [
  ["d", "a", 2, 2, 2],
  ["a", "e", 6, 2, 3],
];
const last: Tx[] = [["e", "b", 4, 3, 2]];
/** The snapshot in dir, which the test has just written. */
async function read(dir: string) {
  const s = await readGraphSnapshot<{ run: number }>(dir);
  if (!s) throw new Error(`no snapshot in ${dir}`);
  return s;
}
const rows = (txs: Tx[]) =>
  new Map([...new Set(txs.map((x) => x[3]))].map((f) => [f, { rows: txs.filter((x) => x[3] === f).length }]));
/**
 * A write to the snapshot in dir, started once its manifest is read: `txs` added as a delta, or
 * (`remember`) new user data, the columns as they are. Committed by its user, or left pending.
 */
function started(write: () => Promise<SnapshotWrite>): SnapshotWrite {
  const writing = write();
  writing.catch(() => undefined);
  return { commit: async () => (await writing).commit() };
}
const append = (dir: string, txs: Tx[], meta: { run: number }, ...rest: [SnapshotMeasures?, KeptWrite?]) =>
  started(async () =>
    appendGraphSnapshot(dir, (await read(dir)).manifest, columnsOf(txs), rows(txs), meta, ...rest),
  );
const remember = (dir: string, meta: { run: number }, ...rest: [SnapshotMeasures?, KeptWrite?]) =>
  started(async () => rememberInSnapshot(dir, (await read(dir)).manifest, meta, ...rest));

describe("graph snapshot", () => {
  it("reads back what was written, with the files it holds and what its user kept", async () => {
    const dir = join(t.dir, "one");
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 1 }).commit();
    const s = await readGraphSnapshot<{ run: number }>(dir);
    expect(s?.columns).toEqual(columnsOf(base));
    expect(s?.files).toEqual([[1, "sha1", 3]]);
    expect(s?.manifest.meta).toEqual({ run: 1 });
  });

  it("adds deltas and reads base and deltas merged, as one export of everything would be", async () => {
    const dir = join(t.dir, "deltas");
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 1 }).commit();
    await append(dir, later, { run: 2 }).commit();
    await append(dir, last, { run: 3 }).commit();
    const s = await read(dir);
    expect(s?.columns).toEqual(columnsOf([...base, ...later, ...last]));
    expect(s?.files.map((f) => f[0])).toEqual([1, 2, 3]);
    expect(s?.manifest.deltas.map((d) => d.dir)).toEqual(["delta-1", "delta-2"]);
    expect(s?.manifest.meta).toEqual({ run: 3 });
    // A run that adds nothing rewrites only what its user keeps.
    await rememberInSnapshot(dir, s.manifest, { run: 4 }).commit();
    const again = await readGraphSnapshot<{ run: number }>(dir);
    expect(again?.columns).toEqual(s?.columns);
    expect(again?.manifest.meta).toEqual({ run: 4 });
  });

  it("changes only when a write is committed: until then the old snapshot stands", async () => {
    const dir = join(t.dir, "pending");
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 1 }).commit();
    const pending = append(dir, later, { run: 2 });
    await new Promise((r) => setTimeout(r, 50));
    const before = await read(dir);
    expect(before.manifest.meta).toEqual({ run: 1 });
    expect(before.columns).toEqual(columnsOf(base));
    const replacing = writeGraphSnapshot(dir, columnsOf([...base, ...later]), rows([...base, ...later]), {
      run: 3,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await read(dir)).manifest.meta).toEqual({ run: 1 });
    await pending.commit();
    expect((await read(dir)).manifest.meta).toEqual({ run: 2 });
    // One a stopped process left, replaced but not yet removed.
    mkdirSync(`${dir}.dropped-left`);
    await replacing.commit();
    const after = await read(dir);
    expect(after.manifest.meta).toEqual({ run: 3 });
    expect(after.columns).toEqual(columnsOf([...base, ...later]));
    // The snapshot it replaced was moved out of the way, and is removed soon after.
    const dropped = () => readdirSync(t.dir).filter((f) => f.startsWith("pending.dropped-"));
    await vi.waitFor(() => expect(dropped()).toEqual([]));
  });

  it("is ignored when it cannot be read whole: a column cut short, another version, nothing there", async () => {
    const dir = join(t.dir, "broken");
    expect(await readGraphSnapshot(dir)).toBeNull();
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), {}).commit();
    writeFileSync(join(dir, "time.bin"), new Uint8Array(8));
    expect(await readGraphSnapshot(dir)).toBeNull();
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), {}).commit();
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...manifest, version: 1 }));
    expect(await readGraphSnapshot(dir)).toBeNull();
  });

  it("keeps its user's measures with it, one set at a time, and drops one cut short", async () => {
    const dir = join(t.dir, "measures");
    const measures = { degrees: Int32Array.from([3, 1, 2]), flags: Uint8Array.from([1, 0, 1]) };
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 1 }, measures).commit();
    expect((await read(dir)).measures).toEqual(measures);
    const next = { degrees: Int32Array.from([3, 2, 2, 1, 1]) };
    // One a stopped process left, dropped but not yet removed.
    mkdirSync(join(dir, "dropped-measures-left"));
    await append(dir, later, { run: 2 }, next).commit();
    expect((await read(dir)).measures).toEqual(next);
    // The replaced set is out of the way when the write is committed, and removed soon after.
    expect(readdirSync(dir).filter((f) => f.startsWith("measures-"))).toHaveLength(1);
    await vi.waitFor(() => expect(readdirSync(dir).filter((f) => f.startsWith("dropped-"))).toEqual([]));
    // Without new measures, a run that adds nothing keeps the ones there.
    await remember(dir, { run: 5 }).commit();
    expect((await read(dir)).measures).toEqual(next);
    const m = (await read(dir)).manifest.measures;
    writeFileSync(join(dir, m?.dir as string, "0.bin"), new Uint8Array(4));
    expect((await read(dir)).measures).toEqual({});
  });

  it("keeps its kept measures across writes until they are replaced, read with room for the edges since", async () => {
    const dir = join(t.dir, "kept");
    const kept: KeptMeasures = {
      measures: { codes: Int32Array.from([7, 8, 9]) },
      edges: 3,
      files: [[1, "sha1", 3]],
    };
    const keptOf = async () => (await read(dir)).kept;
    const files = () => readdirSync(dir).filter((f) => f.startsWith("kept-"));
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 1 }, undefined, {
      write: kept,
    }).commit();
    expect(await keptOf()).toEqual(kept);
    const first = files();
    expect(first).toHaveLength(1);
    // A delta that keeps them: the same directory, read with room for the delta's 2 edges.
    await append(dir, later, { run: 2 }, undefined, "keep").commit();
    const after = await keptOf();
    expect(after?.measures.codes).toEqual(Int32Array.from([7, 8, 9]));
    expect(after?.measures.codes?.buffer.byteLength).toBe(5 * 4);
    expect(files()).toEqual(first);
    // A write not committed leaves them; a run that adds nothing keeps them.
    append(dir, last, { run: 3 }, undefined, {
      measures: { codes: Int32Array.from([1, 2, 3, 4, 5, 6]) },
      edges: 6,
      files: [],
    });
    await new Promise((r) => setTimeout(r, 50));
    await remember(dir, { run: 4 }, undefined, "keep").commit();
    expect((await keptOf())?.edges).toBe(3);
    expect(files()).toEqual(first);
    // A base written anew takes them over as they are.
    await writeGraphSnapshot(
      dir,
      columnsOf([...base, ...later]),
      rows([...base, ...later]),
      { run: 5 },
      undefined,
      {
        write: "keep",
        from: (await read(dir)).manifest,
      },
    ).commit();
    expect((await keptOf())?.measures.codes).toEqual(Int32Array.from([7, 8, 9]));
    expect(files()).toEqual(first);
    // Replaced: the new ones alone remain.
    const next = { measures: { codes: Int32Array.from([1, 2, 3, 4, 5]) }, edges: 5, files: [] };
    await remember(dir, { run: 6 }, undefined, next).commit();
    expect((await keptOf())?.measures.codes).toEqual(next.measures.codes);
    expect(files()).toHaveLength(1);
    expect(files()).not.toEqual(first);
    // Left out of a write: dropped.
    await remember(dir, { run: 7 }).commit();
    expect(await keptOf()).toBeNull();
    expect(files()).toEqual([]);
  });

  it("has no kept measures when they cannot be read whole, and a base written anew then goes without them", async () => {
    const dir = join(t.dir, "kept-lost");
    const kept: KeptMeasures = { measures: { codes: Int32Array.from([7, 8, 9]) }, edges: 3, files: [] };
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 1 }, undefined, {
      write: kept,
    }).commit();
    const manifest = (await read(dir)).manifest;
    rmSync(join(dir, manifest.kept?.dir as string), { recursive: true });
    expect((await read(dir)).kept).toBeNull();
    await writeGraphSnapshot(dir, columnsOf(base), rows(base), { run: 2 }, undefined, {
      write: "keep",
      from: manifest,
    }).commit();
    const after = await read(dir);
    expect(after.manifest.meta).toEqual({ run: 2 });
    expect(after.manifest.kept).toBeUndefined();
  });
});
