import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  adoptMeasures,
  carryMeasures,
  type Measures,
  measuresOf,
} from "../../src/detect/carried-measures.js";
import { relations, SINGLE_PAIR_KEY, singlePairEdges } from "../../src/detect/chain.js";
import { DEGREES_KEY, distinctDegrees } from "../../src/detect/degrees.js";
import { loadDetectionGraph } from "../../src/detect/detection-graph.js";
import { memoOf, seedMemo } from "../../src/detect/graph-memo.js";
import { type LayerParams, layerEdgeFlags } from "../../src/detect/layers.js";
import { motifEdges, shopperTransfers } from "../../src/detect/motifs.js";
import { oneOffEdges } from "../../src/detect/one-off.js";
import type { TransactionDetails } from "../../src/detect/transaction-details.js";
import { transferHubs } from "../../src/detect/transfer-hubs.js";
import { growCsr } from "../../src/graph/grow-csr.js";
import { mergeEdgeColumns } from "../../src/graph/merge-edge-columns.js";
import { buildMoneyGraph, type EdgeColumns, type MoneyGraph } from "../../src/graph/money-graph.js";
import type { Store } from "../../src/store/store.js";
import { withRoom } from "../../src/util/shared-array.js";
import { mulberry32 as random } from "../graph/columns-of.js";
import { tempDir } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

/**
 * Measures carried from the last run's graph (`carried-measures.ts`) must be exactly what a fresh
 * pass over the grown graph gives: checked on random graphs grown by a later file that brings new
 * accounts, new pairs, more payments of old pairs (some making a one-off a relationship), cash and
 * payments to oneself.
 */

const DAY = 86_400_000;
const RELATIONSHIP = 7 * DAY;

type Row = [from: string, to: string, time: number];

/** Columns of one file from rows in time order ("" for cash), accounts in key order. */
function columnsOf(rows: Row[], fileNo: number): EdgeColumns {
  const accounts = [...new Set(rows.flatMap((r) => [r[0], r[1]]).filter((x) => x !== ""))].sort();
  const index = new Map(accounts.map((a, i) => [a, i]));
  const at = (x: string) => (x === "" ? -1 : (index.get(x) as number));
  return {
    accounts,
    from: Int32Array.from(rows.map((r) => at(r[0]))),
    to: Int32Array.from(rows.map((r) => at(r[1]))),
    time: Float64Array.from(rows.map((r) => r[2])),
    // Sums from 100 to 1,000: some layer payments (500 or more), some not.
    amountUsd: Float64Array.from(rows, (_, i) => 100 + ((i * 37) % 901)),
    channel: new Uint8Array(rows.length),
    fileNo: new Int32Array(rows.length).fill(fileNo),
    line: Int32Array.from(rows.map((_, i) => i + 2)),
    files: new Map([[fileNo, String(fileNo).repeat(64)]]),
  };
}

/** Old payments over days 0–60, later ones over days `laterFrom`–70 (0: spread among the old). */
function world(
  seed: number,
  oldAccounts: number,
  newAccounts: number,
  laterFrom = 0,
): { old: Row[]; later: Row[] } {
  const next = random(seed);
  // New accounts' keys fall between old ones: the merge renumbers the old accounts.
  const name = (k: number) =>
    k < oldAccounts ? `acc${String(k).padStart(4, "0")}` : `acc${String(k - oldAccounts).padStart(4, "0")}n`;
  const pick = (n: number) => Math.floor(next() * n);
  const row = (accounts: number, t: number): Row => {
    const r = next();
    const a = r < 0.05 ? "" : name(pick(accounts));
    const b = r > 0.95 ? "" : r > 0.9 ? a : name(pick(accounts));
    return [a, b === "" && a === "" ? name(0) : b, t];
  };
  const old: Row[] = [];
  const later: Row[] = [];
  // Few accounts, many payments over 60 days: pairs repeat, within a week and beyond it.
  for (let i = 0; i < 3000; i++) old.push(row(oldAccounts, next() * 60 * DAY));
  for (let i = 0; i < 300; i++)
    later.push(row(oldAccounts + newAccounts, (laterFrom + next() * (70 - laterFrom)) * DAY));
  const byTime = (x: Row, y: Row) => x[2] - y[2];
  return { old: old.sort(byTime), later: later.sort(byTime) };
}

/**
 * The old graph grown by the later file: with the old graph's measures carried (`grown`), and
 * built afresh (`fresh`), for the two to be compared.
 */
function grownGraphs(old: Row[], later: Row[], measures: Measures) {
  const merged = mergeEdgeColumns(columnsOf(old, 1), columnsOf(later, 2));
  const grown = buildMoneyGraph(merged.columns);
  carryMeasures(grown, measures, {
    addedAt: merged.addedAt,
    baseAccount: merged.baseAccount,
  });
  return { merged, grown, fresh: buildMoneyGraph(merged.columns) };
}

describe("carried measures", () => {
  for (const [seed, oldAccounts, newAccounts, laterFrom] of [
    [1, 200, 0, 0],
    [2, 200, 30, 0],
    [3, 60, 10, 0],
    [10, 60, 10, 61],
  ] as const) {
    it(`equal a fresh pass over the grown graph (seed ${seed}, ${newAccounts} new accounts${laterFrom ? ", after the old payments" : ""})`, () => {
      const { old, later } = world(seed, oldAccounts, newAccounts, laterFrom);
      const before = buildMoneyGraph(columnsOf(old, 1));
      distinctDegrees(before);
      oneOffEdges(before, RELATIONSHIP);
      const measures = measuresOf(before);
      expect(Object.keys(measures).sort()).toEqual([`one-off:${RELATIONSHIP}`, "payees", "payers"]);

      const { merged, grown, fresh } = grownGraphs(old, later, measures);
      expect(distinctDegrees(grown)).toEqual(distinctDegrees(fresh));
      expect(oneOffEdges(grown, RELATIONSHIP)).toEqual(oneOffEdges(fresh, RELATIONSHIP));
      // The later file changed some of them: the carried values were updated, not just kept.
      const { payers } = distinctDegrees(fresh);
      const kept = new Int32Array(grown.accounts.length);
      merged.baseAccount.forEach((to, from) => {
        kept[to] = measures.payers?.[from] as number;
      });
      expect(payers.some((n, a) => n !== kept[a])).toBe(true);
    });
  }

  for (const [seed, oldAccounts, newAccounts, laterFrom] of [
    [4, 60, 0, 0],
    [5, 200, 30, 0],
    [10, 60, 10, 61],
  ] as const) {
    it(`each payment's "only one of its pair" flag carried equals the count of a fresh graph (seed ${seed})`, () => {
      const { old, later } = world(seed, oldAccounts, newAccounts, laterFrom);
      const before = buildMoneyGraph(columnsOf(old, 1));
      relations(before);
      const measures = measuresOf(before);
      expect(measures[SINGLE_PAIR_KEY]).toBeDefined();
      const { merged, grown, fresh } = grownGraphs(old, later, measures);
      relations(fresh);
      const carried = singlePairEdges(grown);
      expect(carried).toEqual(singlePairEdges(fresh));
      // Some old payment was the only one of its pair and is no longer: the flags were updated.
      const was = measures[SINGLE_PAIR_KEY] as Uint8Array;
      let oldEdge = 0;
      const lost = [...(carried as Uint8Array)].some((flag, e) => {
        if (merged.added[e] === 1) return false;
        return (was[oldEdge++] as number) === 1 && flag === 0;
      });
      expect(lost).toBe(true);
    });
  }

  it("are laid onto the grown graph within their own memory when it has room (a held graph's), as in a copy", () => {
    const { old, later } = world(2, 200, 30, 0);
    const before = buildMoneyGraph(columnsOf(old, 1));
    distinctDegrees(before);
    oneOffEdges(before, RELATIONSHIP);
    motifEdges(before, 16, RELATIONSHIP);
    const roomy = Object.fromEntries(
      Object.entries(measuresOf(before)).map(([name, a]) => [name, withRoom(a, 500)]),
    ) as Measures;
    const copies = Object.fromEntries(
      Object.entries(roomy).map(([name, a]) => [name, a.slice()]),
    ) as Measures;

    const { merged, grown, fresh } = grownGraphs(old, later, roomy);
    // New accounts fell among the old: every old one that moved was moved within the memory.
    expect(merged.baseAccount.some((to, from) => to !== from)).toBe(true);
    const degrees = distinctDegrees(grown);
    expect(degrees).toEqual(distinctDegrees(fresh));
    expect(degrees.payers.buffer).toBe(roomy.payers?.buffer);
    expect(oneOffEdges(grown, RELATIONSHIP)).toEqual(oneOffEdges(fresh, RELATIONSHIP));
    const motifs = motifEdges(grown, 16, RELATIONSHIP);
    expect(motifs).toEqual(motifEdges(fresh, 16, RELATIONSHIP));
    expect(motifs.inCount.buffer).toBe(roomy[`motif:16:${RELATIONSHIP}#in`]?.buffer);
    // The same graph grown from copies without room: the same measures.
    const again = grownGraphs(old, later, copies).grown;
    expect(distinctDegrees(again)).toEqual(degrees);
    expect(motifEdges(again, 16, RELATIONSHIP)).toEqual(motifs);
  });

  for (const [seed, oldAccounts, newAccounts, hubDegree] of [
    [8, 200, 0, 16],
    [9, 200, 30, 14],
    [10, 60, 10, 30],
  ] as const) {
    it(`motif and layer edges carried equal a fresh pass (seed ${seed}, hubs over ${hubDegree})`, () => {
      const { old, later } = world(seed, oldAccounts, newAccounts);
      const layer: LayerParams = {
        min_side: 2,
        min_density: 0.8,
        window_days: 30,
        relationship_days: 7,
        max_hub_degree: hubDegree,
        min_total_usd: 0,
        min_edge_usd: 500,
        min_above_usual: 0,
      };
      const before = buildMoneyGraph(columnsOf(old, 1));
      const oldMotif = motifEdges(before, hubDegree, RELATIONSHIP);
      layerEdgeFlags(before, layer);
      const measures = measuresOf(before);
      expect(Object.keys(measures).filter((k) => k.includes("#")).length).toBe(5);

      const { merged, grown, fresh } = grownGraphs(old, later, measures);
      const motif = motifEdges(grown, hubDegree, RELATIONSHIP);
      expect(motif).toEqual(motifEdges(fresh, hubDegree, RELATIONSHIP));
      expect(layerEdgeFlags(grown, layer)).toEqual(layerEdgeFlags(fresh, layer));
      // Some old flags changed: accounts became hubs, pairs stopped being one-offs.
      const addedAt = [...merged.added.keys()].filter((e) => merged.added[e] === 1);
      let changed = 0;
      for (let e = 0, old = 0, j = 0; e < grown.edgeCount; e++) {
        if (addedAt[j] === e) {
          j++;
          continue;
        }
        if (oldMotif.edge[old++] !== motif.edge[e]) changed++;
      }
      expect(changed).toBeGreaterThan(0);
      const { payers, payees } = distinctDegrees(fresh);
      const wasHub = (k: number) =>
        (measures.payers?.[k] as number) > hubDegree || (measures.payees?.[k] as number) > hubDegree;
      const flips = [...merged.baseAccount].filter(
        (a, k) => wasHub(k) !== ((payers[a] as number) > hubDegree || (payees[a] as number) > hubDegree),
      );
      expect(flips.length).toBeGreaterThan(0);
    });
  }

  for (const [seed, oldAccounts, newAccounts, hubDegree] of [
    [11, 200, 0, 12],
    [12, 200, 30, 10],
  ] as const) {
    it(`transfer hubs carried give the shopper transfers a fresh pass gives (seed ${seed}, hubs over ${hubDegree})`, () => {
      const { old, later } = world(seed, oldAccounts, newAccounts);
      // A merchant code on a third of the payments (by file and line: the same edge keeps it).
      const detailsOf = (g: MoneyGraph) =>
        ({
          mcc: Int32Array.from({ length: g.edgeCount }, (_, e) =>
            ((g.line[e] as number) + (g.fileNo[e] as number)) % 3 === 0 ? 5411 : -1,
          ),
        }) as TransactionDetails;
      const key = `transfer-hubs:${hubDegree}`;
      const before = buildMoneyGraph(columnsOf(old, 1));
      shopperTransfers(before, hubDegree, RELATIONSHIP, detailsOf(before));
      const measures = measuresOf(before);
      expect(measures[key]).toBeInstanceOf(Uint8Array);

      const { merged, grown, fresh } = grownGraphs(old, later, measures);
      const carried = shopperTransfers(grown, hubDegree, RELATIONSHIP, detailsOf(grown));
      const afresh = shopperTransfers(fresh, hubDegree, RELATIONSHIP, detailsOf(fresh));
      expect(carried?.inCount).toEqual(afresh?.inCount);
      expect(carried?.outCount).toEqual(afresh?.outCount);
      const edges = Array.from({ length: fresh.edgeCount }, (_, e) => e);
      expect(edges.filter((e) => carried?.edge(e))).toEqual(edges.filter((e) => afresh?.edge(e)));
      // As the fans ask it, of every account on either side.
      const hubsOf = (g: MoneyGraph, side: "in" | "out") => {
        const hubs = transferHubs(g, hubDegree, detailsOf(g).mcc);
        return Array.from({ length: g.accounts.length }, (_, a) => hubs.over(a, side));
      };
      for (const side of ["in", "out"] as const) expect(hubsOf(grown, side)).toEqual(hubsOf(fresh, side));
      // Some account counted as no hub of transfers on a side before is one now: the count was redone.
      const now = memoOf<Uint8Array>(fresh, key) as Uint8Array;
      const side = (v: number | undefined, shift: number) => ((v ?? 0) >> shift) & 3;
      const redone = [...merged.baseAccount].filter((a, k) =>
        [0, 2].some((shift) => side(measures[key]?.[k], shift) === 2 && side(now[a], shift) === 1),
      );
      expect(redone.length).toBeGreaterThan(0);
    });
  }

  for (const [seed, oldAccounts, newAccounts, laterFrom] of [
    [5, 200, 0, 0],
    [6, 80, 40, 0],
    [8, 200, 0, 61],
    [9, 80, 40, 61],
  ] as const) {
    it(`adjacency lists grown from the old graph's equal a fresh build (seed ${seed}, ${laterFrom ? "new payments after the old" : "new payments among the old"})`, () => {
      const { old, later } = world(seed, oldAccounts, newAccounts, laterFrom);
      const before = buildMoneyGraph(columnsOf(old, 1));
      const merged = mergeEdgeColumns(columnsOf(old, 1), columnsOf(later, 2));
      const fresh = buildMoneyGraph(merged.columns);
      const addedAt = Int32Array.from([...merged.added.keys()].filter((e) => merged.added[e] === 1));
      const identity = merged.baseAccount.every((a, k) => a === k);
      expect(identity).toBe(newAccounts === 0);
      const base = identity ? null : merged.baseAccount;
      const { columns } = merged;
      // Into fresh arrays, and in place, in old lists and starts read with room for the new edges
      // and accounts (as a held graph's are; the snapshot's lists too).
      const roomy = (old: Int32Array, more: number) => {
        const a = new Int32Array(new SharedArrayBuffer((old.length + more) * 4), 0, old.length);
        a.set(old);
        return a;
      };
      const sides = [
        [columns.from, before.outStart, before.outEdges, fresh.outStart, fresh.outEdges],
        [columns.to, before.inStart, before.inEdges, fresh.inStart, fresh.inEdges],
      ] as const;
      for (const [ends, start, edges, wantStart, wantEdges] of sides) {
        const olds = [
          { start: start.slice(), edges: edges.slice() },
          { start: start.slice(), edges: roomy(edges, addedAt.length) },
          { start: roomy(start, newAccounts), edges: roomy(edges, addedAt.length) },
        ];
        for (const [i, old] of olds.entries()) {
          const grown = growCsr(ends, columns.accounts.length, old, base, addedAt);
          expect([grown.start, grown.edges]).toEqual([wantStart, wantEdges]);
          expect([grown.start.buffer === old.start.buffer, grown.edges.buffer === old.edges.buffer]).toEqual([
            i === 2,
            i > 0,
          ]);
        }
      }
    });
  }

  it("takes in the transfer hubs a worker counted, beside those counted here: what either knows", () => {
    const g = buildMoneyGraph(columnsOf(world(13, 3, 0).old, 1));
    // Per account, two bits a side (out the low): 0 not counted, 1 over the bar, 2 not.
    const mine = Uint8Array.from([0b0001, 0b0000, 0b1000]);
    seedMemo(g, "transfer-hubs:5", mine);
    adoptMeasures(g, { "transfer-hubs:5": Uint8Array.from([0b0110, 0b1001, 0b0001]) });
    expect([...mine]).toEqual([0b0101, 0b1001, 0b1001]);
    // None here yet: the worker's as they are.
    adoptMeasures(g, { "transfer-hubs:7": Uint8Array.from([0b0110, 0, 0]) });
    expect([...(memoOf<Uint8Array>(g, "transfer-hubs:7") ?? [])]).toEqual([0b0110, 0, 0]);
  });

  it("leaves out a measure that does not fit the old graph: it is worked out afresh", () => {
    const { old, later } = world(4, 50, 5);
    const merged = mergeEdgeColumns(columnsOf(old, 1), columnsOf(later, 2));
    const grown = buildMoneyGraph(merged.columns);
    const wrong = {
      payers: new Int32Array(3),
      payees: new Int32Array(3),
      [`one-off:${RELATIONSHIP}`]: new Uint8Array(2),
    };
    carryMeasures(grown, wrong, {
      addedAt: merged.addedAt,
      baseAccount: merged.baseAccount,
    });
    expect(measuresOf(grown)).toEqual({});
    const fresh = buildMoneyGraph(merged.columns);
    expect(distinctDegrees(grown)).toEqual(distinctDegrees(fresh));
  });

  it("detect's graph: a snapshot carries lists and measures across runs, exactly as built afresh", async () => {
    const { old, later } = world(7, 120, 20);
    const files = [columnsOf(old, 1), columnsOf(later, 2)];
    // A store holding the first file, then both (what detect asks of it to load its graph).
    const storeOf = (held: EdgeColumns[]) =>
      ({
        fileRowCounts: async () =>
          new Map(
            held.map((c) => [
              c.fileNo[0] as number,
              { sha256: c.files.get(c.fileNo[0] as number) as string, rows: c.time.length },
            ]),
          ),
        edgeColumns: async (o: { files?: readonly number[] } = {}) => {
          const chosen = held.filter((c) => !o.files || o.files.includes(c.fileNo[0] as number));
          return chosen.reduce((a, b) => mergeEdgeColumns(a, b).columns);
        },
      }) as unknown as Store;
    const dir = join(t.dir, "detect-graph");
    const same = (g: MoneyGraph, fresh: MoneyGraph) => {
      expect([g.outStart, g.outEdges, g.inStart, g.inEdges]).toEqual([
        fresh.outStart,
        fresh.outEdges,
        fresh.inStart,
        fresh.inEdges,
      ]);
      expect(distinctDegrees(g)).toEqual(distinctDegrees(fresh));
      expect(oneOffEdges(g, RELATIONSHIP)).toEqual(oneOffEdges(fresh, RELATIONSHIP));
    };
    const first = await loadDetectionGraph(storeOf(files.slice(0, 1)), dir);
    expect(first.added).toBeNull();
    distinctDegrees(first.graph);
    oneOffEdges(first.graph, RELATIONSHIP);
    await first.remember({ detectors: {} }).commit();
    // The later file: the graph grows from the snapshot, its measures seeded before anyone asks.
    const second = await loadDetectionGraph(storeOf(files), dir);
    expect(second.added?.some((x) => x === 1)).toBe(true);
    expect(memoOf(second.graph, DEGREES_KEY)).toBeDefined();
    expect(memoOf(second.graph, `one-off:${RELATIONSHIP}`)).toBeDefined();
    same(
      second.graph,
      buildMoneyGraph(mergeEdgeColumns(files[0] as EdgeColumns, files[1] as EdgeColumns).columns),
    );
    await second.remember({ detectors: {} }).commit();
    // Nothing new: the same graph and measures again, from the base and its delta; one set of measures kept.
    const third = await loadDetectionGraph(storeOf(files), dir);
    expect(third.added?.every((x) => x === 0)).toBe(true);
    expect(memoOf(third.graph, DEGREES_KEY)).toBeDefined();
    same(third.graph, second.graph);
    expect(readdirSync(dir).filter((f) => f.startsWith("measures-"))).toHaveLength(1);
    // Motif and layer flags too, then one more file: the base and its delta merged with room for
    // it, and it merged in place into them.
    motifEdges(third.graph, 12, RELATIONSHIP);
    await third.remember({ detectors: {} }).commit();
    const more = world(17, 140, 10).later.map(([a, b, time]): Row => [a, b, time + 3 * DAY]);
    const all = [...files, columnsOf(more, 3)];
    const fourth = await loadDetectionGraph(storeOf(all), dir);
    expect(fourth.added?.filter((x) => x === 1)).toHaveLength(more.length);
    const fresh = buildMoneyGraph(all.reduce((a, b) => mergeEdgeColumns(a, b).columns));
    same(fourth.graph, fresh);
    expect(fourth.graph.time).toEqual(fresh.time);
    expect(fourth.graph.line).toEqual(fresh.line);
    expect(fourth.graph.accounts).toEqual(fresh.accounts);
    expect(memoOf(fourth.graph, "carried:motif:12:604800000")).toBeDefined();
    expect(motifEdges(fourth.graph, 12, RELATIONSHIP)).toEqual(motifEdges(fresh, 12, RELATIONSHIP));
    await fourth.remember({ detectors: {} }).commit();
    // Nothing new, and no detector asks for the motif flags: they are still among the measures a
    // run leaves (to a held graph, or a snapshot written anew), as they were.
    const fifth = await loadDetectionGraph(storeOf(all), dir);
    const left = measuresOf(fifth.graph);
    const want = motifEdges(fresh, 12, RELATIONSHIP);
    expect(left["motif:12:604800000#edge"]).toEqual(want.edge);
    expect(left["motif:12:604800000#in"]).toEqual(want.inCount);
    expect(left["motif:12:604800000#out"]).toEqual(want.outCount);
    // With new pairs since, flags no one brought up to date are left out, not left wrong.
    const newer = world(23, 140, 10).later.map(([a, b, time]): Row => [a, b, time + 6 * DAY]);
    const sixth = await loadDetectionGraph(storeOf([...all, columnsOf(newer, 4)]), dir);
    expect(measuresOf(sixth.graph)["motif:12:604800000#edge"]).toBeUndefined();
  });
});
