import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEGREES_KEY, distinctDegrees } from "../../src/detect/degrees.js";
import { type HeldGraph, loadDetectionGraph } from "../../src/detect/detection-graph.js";
import { memoOf } from "../../src/detect/graph-memo.js";
import { detailsFromColumns, mergeDictionaries } from "../../src/detect/load-details.js";
import { conductorAccountOf } from "../../src/detect/transaction-details.js";
import { readSnapshotManifest } from "../../src/graph/graph-snapshot.js";
import { buildMoneyGraph } from "../../src/graph/money-graph.js";
import type { Store } from "../../src/store/store.js";
import { tempDir, withStore } from "../helpers.js";
import { DETAIL_MAPPING, ingestDetailRows, ingestPartyRows } from "./detail-csv.js";

/**
 * An incremental run's details (`load-details.ts`): the last run's carried in the graph snapshot,
 * with only the new files' rows read from the store, must be exactly what a full load gives, to
 * the string codes (detectors break ties by them) and the conductors' accounts (which change with
 * party records, not with transaction files).
 */
const t = tempDir();
afterAll(t.cleanup);

const ingest = (ws: string, name: string, rows: string[], mapping?: string) =>
  ingestDetailRows(t.dir, ws, name, rows, mapping);

/** A store that tells `seen` what each call of its method `method` was asked (its options). */
function recording<K extends "detailColumns" | "edgeColumns">(
  store: Store,
  method: K,
  seen: (options: Parameters<Store[K]>[0]) => void,
): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === method)
        return (o: Parameters<Store[K]>[0]) => {
          seen(o);
          return (target[method] as (o: Parameters<Store[K]>[0]) => unknown).call(target, o);
        };
      const value = Reflect.get(target, name, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A store that records which files' details it was asked for. */
const watched = (store: Store, asked: (readonly number[] | undefined)[]): Store =>
  recording(store, "detailColumns", (o) => asked.push(o?.files));

describe("details carried across runs", () => {
  it("are those of a full load after a file with new texts between the old ones, and new party records", async () => {
    const ws = join(t.dir, "ws");
    const dir = join(ws, "cache", "detect-graph");
    await ingest(ws, "first.csv", [
      "T1,2022-09-01 10:00,001,A,002,M1,25.00,CARD,5812,Bravo Diner,Houston,TX,,",
      "T2,2022-09-01 11:00,001,B,002,M1,31.50,CARD,5812,Bravo Diner,Houston,TX,,",
      "T3,2022-09-02 09:00,,,001,A,9000,CASH,,,Dallas,TX,BR-7,C-77",
      "T4,2022-09-03 09:00,001,A,003,Z,4000,WIRE,,,,,,",
      "T5,2022-09-04 09:00,001,B,002,M2,12.00,CARD,7011,Delta Motel,Laredo,TX,,",
    ]);
    const first = await withStore(ws, async (store) => {
      const asked: (readonly number[] | undefined)[] = [];
      const loaded = await loadDetectionGraph(watched(store, asked), dir);
      const details = await loaded.details();
      await loaded.remember({ detectors: {} }).commit();
      return { asked, details, strings: [...details.strings] };
    });
    // No snapshot yet: every row read.
    expect(first.asked).toEqual([undefined]);
    expect(first.strings.slice(0, 3)).toEqual(["BR-7", "Bravo Diner", "C-77"]);
    // A later file: texts before, between and after the old ones, and old ones again; a record
    // naming conductor C-77 (an old edge's) as the holder of account 001:B; a home city.
    await ingest(ws, "second.csv", [
      "T6,2022-09-05 10:00,001,A,002,M3,40.00,CARD,5411,Alpha Grocer,Austin,TX,,",
      "T7,2022-09-05 12:00,,,001,B,8000,CASH,,,Houston,TX,BR-1,C-77",
      "T8,2022-09-06 09:00,001,B,002,M1,19.00,CARD,5812,Bravo Diner,Houston,TX,,",
      "T9,2022-09-06 10:00,001,A,002,M4,60.00,CARD,7311,Charlie Ads,Zapata,TX,,",
    ]);
    const r = await ingestPartyRows(t.dir, ws, "parties.csv", ["C-77,001,B,Ann Lee,El Paso,TX"]);
    expect(r.code, r.stderr).toBe(0);
    await withStore(ws, async (store) => {
      const asked: (readonly number[] | undefined)[] = [];
      const loaded = await loadDetectionGraph(watched(store, asked), dir);
      const carried = await loaded.details();
      // Only the new file's rows were read.
      expect(asked).toHaveLength(1);
      expect(asked[0]).toHaveLength(1);
      const full = detailsFromColumns(loaded.graph, await store.detailColumns());
      expect(carried).toEqual(full);
      const g = loaded.graph;
      const b = g.indexOf.get("001:B") as number;
      // Both cash deposits by C-77, the old one too, now name 001:B as their conductor's account.
      const byC77 = [...carried.conductor.keys()].filter(
        (e) => carried.strings[carried.conductor[e] as number] === "C-77",
      );
      expect(byC77).toHaveLength(2);
      for (const e of byC77) expect(conductorAccountOf(carried, e)).toBe(b);
      expect(carried.strings[carried.homeCity[b] as number]).toBe("El Paso");
      expect(carried.strings.slice(0, 4)).toEqual(["Alpha Grocer", "Austin", "BR-1", "BR-7"]);
      await loaded.remember({ detectors: {} }).commit();
    });
    // Nothing new: carried as they are, no row read.
    await withStore(ws, async (store) => {
      const asked: (readonly number[] | undefined)[] = [];
      const loaded = await loadDetectionGraph(watched(store, asked), dir);
      const carried = await loaded.details();
      expect(asked).toEqual([[]]);
      expect(carried).toEqual(detailsFromColumns(loaded.graph, await store.detailColumns()));
    });
  });
});

describe("texts past U+FFFF", () => {
  it("take the store's order in an incremental load, where UTF-16 order puts them before U+E000–U+FFFF", async () => {
    // A name decoded wrongly ("Caf" and U+FFFD) and one with an emoji ("Caf" and U+1F600), as
    // merchants and as account numbers: the store sorts the first before the second (code
    // points), JavaScript's `<` the other way round (the emoji's surrogates, U+D83D…, come first).
    const ws = join(t.dir, "ws-astral");
    const dir = join(ws, "cache", "detect-graph");
    await ingest(ws, "astral-1.csv", [
      "A1,2022-09-01 10:00,001,Caf\uFFFD,002,M1,25.00,CARD,5812,Caf\uFFFD,Houston,TX,,",
      "A2,2022-09-02 10:00,001,B,002,M1,31.50,CARD,5812,Bravo Diner,Houston,TX,,",
    ]);
    await withStore(ws, async (store) => {
      const loaded = await loadDetectionGraph(store, dir);
      await loaded.details();
      await loaded.remember({ detectors: {} }).commit();
    });
    await ingest(ws, "astral-2.csv", [
      "A3,2022-09-03 10:00,001,Caf\u{1F600},002,M1,40.00,CARD,5812,Caf\u{1F600},Houston,TX,,",
    ]);
    await withStore(ws, async (store) => {
      const loaded = await loadDetectionGraph(store, dir);
      expect(loaded.from).toBe("snapshot");
      const fresh = await store.edgeColumns();
      expect(loaded.graph.accounts).toEqual(fresh.accounts);
      expect(loaded.graph.accounts.slice(0, 2)).toEqual(["001:B", "001:Caf\uFFFD"]);
      const carried = await loaded.details();
      expect(carried).toEqual(detailsFromColumns(loaded.graph, await store.detailColumns()));
      expect(carried.strings.indexOf("Caf\uFFFD")).toBeLessThan(carried.strings.indexOf("Caf\u{1F600}"));
    });
  });
});

describe("times finer than a millisecond", () => {
  it("order an incremental load's edges as a full export does, by the millisecond the graph holds", async () => {
    // The graph's times are milliseconds; the store keeps microseconds. Two payments in one
    // millisecond, the later file's first by microseconds: both loads must put them in one order.
    const ws = join(t.dir, "ws-micros");
    const dir = join(ws, "cache", "detect-graph");
    const micros = DETAIL_MAPPING.replace(
      'timestamp: "yyyy-MM-dd HH:mm"',
      'timestamp: "yyyy-MM-dd HH:mm:ss.SSSSSS"',
    );
    await ingest(
      ws,
      "micros-1.csv",
      [
        "U1,2022-09-01 10:00:00.000900,001,A,002,B,25.00,WIRE,,,,,,",
        "U2,2022-09-02 10:00:00.000000,001,A,002,C,30.00,WIRE,,,,,,",
      ],
      micros,
    );
    await withStore(ws, async (store) => {
      await (await loadDetectionGraph(store, dir)).remember({ detectors: {} }).commit();
    });
    await ingest(ws, "micros-2.csv", ["U3,2022-09-01 10:00:00.000100,001,C,002,B,40.00,WIRE,,,,,,"], micros);
    await withStore(ws, async (store) => {
      const loaded = await loadDetectionGraph(store, dir);
      expect(loaded.from).toBe("snapshot");
      const fresh = buildMoneyGraph(await store.edgeColumns());
      for (const c of ["from", "to", "time", "amountUsd", "fileNo", "line"] as const)
        expect([...loaded.graph[c]], c).toEqual([...fresh[c]]);
      // Within the millisecond, by file and line: the first file's payment first.
      expect([...fresh.amountUsd.subarray(0, 2)]).toEqual([25, 40]);
    });
  });
});

describe("a held graph's next export", () => {
  it("reads only the keys of accounts the graph does not hold, and gives what a full export gives", async () => {
    // New accounts before, between and after the old ones, one past U+FFFF after one at U+FFFD.
    const ws = join(t.dir, "ws-known");
    const dir = join(ws, "cache", "detect-graph");
    await ingest(ws, "n1.csv", [
      "N1,2022-09-01 10:00,001,B,002,M1,25.00,WIRE,,,,,,",
      "N2,2022-09-01 11:00,001,Caf\uFFFD,002,M1,31.50,WIRE,,,,,,",
      "N3,2022-09-02 09:00,001,D,001,B,40.00,WIRE,,,,,,",
    ]);
    const held = await withStore(ws, async (store) => {
      const loaded = await loadDetectionGraph(store, dir);
      const full = await store.edgeColumns();
      // The store's numbers for the accounts come with them, in the snapshot too.
      expect(full.accountNos?.length).toBe(full.accounts.length);
      expect(new Set(full.accountNos).size).toBe(full.accounts.length);
      expect(loaded.graph.accountNos).toEqual(full.accountNos);
      await loaded.remember({ detectors: {} }).commit();
      return loaded.held() as HeldGraph;
    });
    await ingest(ws, "n2.csv", [
      "N4,2022-09-03 10:00,001,A,001,B,10.00,WIRE,,,,,,",
      "N5,2022-09-03 11:00,001,Caf\u{1F600},001,C,20.00,WIRE,,,,,,",
      "N6,2022-09-03 12:00,,,003,Z,30.00,CASH,,,,,,",
      "N7,2022-09-03 13:00,001,D,002,M1,50.00,WIRE,,,,,,",
    ]);
    // What the graph held names, before the run merges the next file into its arrays.
    const known = {
      accounts: held.columns.accounts,
      accountNos: (held.columns.accountNos as Int32Array).slice(),
    };
    await withStore(ws, async (store) => {
      const exports: Parameters<Store["edgeColumns"]>[0][] = [];
      const loaded = await loadDetectionGraph(
        recording(store, "edgeColumns", (o) => exports.push(o)),
        dir,
        held,
      );
      expect(loaded.from).toBe("memory");
      expect(exports.map((o) => [o?.files, o?.known?.accounts.length])).toEqual([[[2], 4]]);
      const full = await store.edgeColumns();
      const g = loaded.graph;
      expect([g.accounts, g.accountNos, g.from, g.to, g.time, g.line]).toEqual([
        full.accounts,
        full.accountNos,
        full.from,
        full.to,
        full.time,
        full.line,
      ]);
      expect(full.accounts).toEqual([
        "001:A",
        "001:B",
        "001:C",
        "001:Caf\uFFFD",
        "001:Caf\u{1F600}",
        "001:D",
        "002:M1",
        "003:Z",
      ]);
      // The file's export for the graph is the one without it, and says where the graph holds
      // each of its accounts (-1: a new one).
      const { known: places, ...columns } = await store.edgeColumns({ files: [2], known });
      expect(columns).toEqual(await store.edgeColumns({ files: [2] }));
      expect(places?.accounts).toBe(known.accounts);
      expect([...(places?.at ?? [])]).toEqual(columns.accounts.map((k) => known.accounts.indexOf(k)));
      expect(places?.at).toContain(-1);
    });
  });
});

/** `n` card payments from day `day` on, at merchants named by `tag` (new texts in each delivery). */
function cardRows(prefix: string, n: number, day: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = String(day + Math.floor(i / 24)).padStart(2, "0");
    const h = String(i % 24).padStart(2, "0");
    return `${prefix}${i},2022-10-${d} ${h}:00,001,P${i % 7},002,M${i % 5},${10 + i}.00,CARD,5812,${tag} ${i % 3},City ${tag},TX,,`;
  });
}

/** What the snapshot's manifest says of its kept measures (the carried details). */
function keptOf(dir: string): { dir: string; edges: number; files: number[] } | undefined {
  const m = readSnapshotManifest<unknown>(dir);
  return m?.kept && { dir: m.kept.dir, edges: m.kept.edges, files: m.kept.files.map(([no]) => no) };
}

describe("details kept in the snapshot across runs", () => {
  it("are written again only once the files since hold more than a twentieth of the edges, and are right meanwhile", async () => {
    const ws = join(t.dir, "ws-kept");
    const dir = join(ws, "cache", "detect-graph");
    const run = async (loadDetails = true) =>
      withStore(ws, async (store) => {
        const asked: (readonly number[] | undefined)[] = [];
        const loaded = await loadDetectionGraph(watched(store, asked), dir);
        if (loadDetails) {
          const carried = await loaded.details();
          expect(carried).toEqual(detailsFromColumns(loaded.graph, await store.detailColumns()));
        }
        await loaded.remember({ detectors: {} }).commit();
        return asked;
      });
    await ingest(ws, "k1.csv", cardRows("A", 100, 1, "Bravo"));
    expect(await run()).toEqual([undefined]);
    const first = keptOf(dir);
    expect(first).toMatchObject({ edges: 100, files: [1] });
    // Two small deliveries (2 and 4 edges of 102 and 104): the kept details stand, and each run
    // reads the rows of every file since them, texts between the old ones included.
    await ingest(ws, "k2.csv", cardRows("B", 2, 10, "Alpha"));
    expect(await run()).toEqual([[2]]);
    expect(keptOf(dir)).toEqual(first);
    await ingest(ws, "k3.csv", cardRows("C", 2, 11, "Charlie"));
    expect(await run()).toEqual([[2, 3]]);
    expect(keptOf(dir)).toEqual(first);
    // A run that loads no details leaves them for the next.
    await ingest(ws, "k4.csv", cardRows("D", 1, 12, "Delta"));
    expect(await run(false)).toEqual([]);
    expect(keptOf(dir)).toEqual(first);
    // Past a twentieth (10 of 115 edges): written again, of the graph as it is now.
    await ingest(ws, "k5.csv", cardRows("E", 10, 13, "Echo"));
    expect(await run()).toEqual([[2, 3, 4, 5]]);
    const again = keptOf(dir);
    expect(again).toMatchObject({ edges: 115, files: [1, 2, 3, 4, 5] });
    expect(again?.dir).not.toBe(first?.dir);
    // The earlier directory is gone; the next run reads from the new one alone.
    expect(existsSync(join(dir, first?.dir as string))).toBe(false);
    expect(await run()).toEqual([[]]);
    // Deltas past a fifth of the base (21 of 100 edges): the snapshot is written whole again, and
    // the kept details (6 edges behind, of 121) move into it as they are.
    await ingest(ws, "k6.csv", cardRows("F", 6, 14, "Foxtrot"));
    expect(await run()).toEqual([[6]]);
    expect(readSnapshotManifest<unknown>(dir)?.deltas).toEqual([]);
    expect(keptOf(dir)).toEqual(again);
    expect(await run()).toEqual([[6]]);
  });
});

describe("a graph held in memory by a process that runs detect again (watch)", () => {
  it("is what reading the snapshot back gives, grown in place, and set aside when the store no longer matches it", async () => {
    const ws = join(t.dir, "ws-held");
    // Two snapshots of the same store: one a held graph takes the place of, one read back each time.
    const heldDir = join(ws, "cache", "held");
    const readDir = join(ws, "cache", "read");
    let held: HeldGraph | null = null;
    const run = (n: number) =>
      withStore(ws, async (store) => {
        const asked: (readonly number[] | undefined)[] = [];
        const before = held;
        const a = await loadDetectionGraph(watched(store, asked), heldDir, held);
        const b = await loadDetectionGraph(store, readDir);
        const fresh = buildMoneyGraph(await store.edgeColumns());
        for (const loaded of [a, b]) {
          const g = loaded.graph;
          expect([g.time, g.from, g.to, g.line, g.accounts]).toEqual([
            fresh.time,
            fresh.from,
            fresh.to,
            fresh.line,
            fresh.accounts,
          ]);
          expect([g.outStart, g.outEdges, g.inStart, g.inEdges]).toEqual([
            fresh.outStart,
            fresh.outEdges,
            fresh.inStart,
            fresh.inEdges,
          ]);
          expect(await loaded.details()).toEqual(detailsFromColumns(fresh, await store.detailColumns()));
        }
        expect([...(a.addedAt ?? [])]).toEqual([...(b.addedAt ?? [])]);
        expect(a.previous).toEqual(b.previous);
        if (before && n > 1) {
          // The degrees carried from the held graph, not worked out again.
          expect(memoOf(a.graph, DEGREES_KEY)).toBeDefined();
          // Only the rows of the file since were read, not those of the files the held details had.
          expect(asked).toEqual([[n]]);
        }
        expect(distinctDegrees(a.graph)).toEqual(distinctDegrees(fresh));
        await a.remember({ detectors: { run: String(n) } }).commit();
        await b.remember({ detectors: { run: String(n) } }).commit();
        held = a.held();
        return { graph: a.graph, read: b.graph, before };
      });
    // A cash deposit in each: the out-lists are shorter than the edges (cash has no payer account).
    await ingest(ws, "h1.csv", [
      ...cardRows("A", 60, 1, "Bravo"),
      "Q1,2022-10-01 05:30,,,001,P1,500.00,CASH,,,,,,",
    ]);
    await run(1);
    expect(held).not.toBeNull();
    const first = held as unknown as HeldGraph;
    // The held arrays have room for later deliveries.
    expect(first.columns.time.buffer.byteLength).toBeGreaterThan(first.columns.time.byteLength);
    await ingest(ws, "h2.csv", [
      ...cardRows("B", 3, 10, "Alpha"),
      "Q2,2022-10-10 05:30,,,001,P2,700.00,CASH,,,,,,",
    ]);
    const second = await run(2);
    // Grown in place: the held graph's memory is the new graph's, the lists' too.
    expect(second.graph.time.buffer).toBe(first.columns.time.buffer);
    expect(second.graph.outEdges.length).toBeLessThan(second.graph.edgeCount);
    expect(second.graph.outEdges.buffer).toBe(first.measures["lists:out-edges"]?.buffer);
    expect(second.graph.inEdges.buffer).toBe(first.measures["lists:in-edges"]?.buffer);
    // The snapshot's lists were read with room, as its columns are, and grown within it.
    expect(second.read.outEdges.buffer.byteLength).toBeGreaterThan(second.read.outEdges.byteLength);
    await ingest(ws, "h3.csv", cardRows("C", 4, 11, "Charlie"));
    await run(3);
    // Each delta of the snapshot names its own file only (the store exports a file's rows with its digest alone).
    expect(readSnapshotManifest<unknown>(readDir)?.deltas.map((d) => d.files.map(([no]) => no))).toEqual([
      [2],
      [3],
    ]);
    // A held graph of files the store no longer has whole (here: a digest it does not know) is
    // set aside: the snapshot is read instead, and the graph is still the store's.
    const stale = held as unknown as HeldGraph;
    held = { ...stale, files: stale.files.map(([no, , rows]) => [no, "0".repeat(64), rows]) };
    await ingest(ws, "h4.csv", cardRows("D", 2, 12, "Delta"));
    const fourth = await run(4);
    expect(fourth.graph.time.buffer).not.toBe(stale.columns.time.buffer);
    // Another process's run wrote the snapshot since the graph was held: set aside for it.
    const last = held as unknown as HeldGraph;
    await withStore(ws, async (store) => {
      await (await loadDetectionGraph(store, heldDir)).remember({ detectors: { other: "run" } }).commit();
      const loaded = await loadDetectionGraph(store, heldDir, last);
      expect(loaded.previous).toEqual({ detectors: { other: "run" } });
      expect(loaded.graph.time.buffer).not.toBe(last.columns.time.buffer);
    });
  });
});

describe("mergeDictionaries", () => {
  it("merges two sorted dictionaries in code point order, each with its codes in the merge", () => {
    const m = mergeDictionaries(["b", "d", "f"], ["a", "d", "e", "g"]);
    expect(m.dictionary).toEqual(["a", "b", "d", "e", "f", "g"]);
    expect([...(m.oldCode ?? [])]).toEqual([1, 2, 4]);
    expect([...m.newCode]).toEqual([0, 2, 3, 5]);
  });

  it("leaves the old codes alone when every new text sorts after them or is already there", () => {
    const m = mergeDictionaries(["a", "b"], ["b", "c"]);
    expect(m.oldCode).toBeNull();
    expect([...m.newCode]).toEqual([1, 2]);
    expect(mergeDictionaries([], []).dictionary).toEqual([]);
  });
});
