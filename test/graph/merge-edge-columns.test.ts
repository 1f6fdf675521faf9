import { describe, expect, it } from "vitest";
import { laidOnMerged, mergeEdgeColumns, mergeEdgeColumnsInto } from "../../src/graph/merge-edge-columns.js";
import { EDGE_COLUMN_NAMES } from "../../src/store/edge-columns.js";
import type { EdgeColumns } from "../../src/store/store.js";
import { columnsOf, random, type Tx } from "./columns-of.js";

describe("mergeEdgeColumns", () => {
  it("gives exactly what the store would export for both sets together, and marks the added edges", () => {
    const r = random(7);
    const key = () => (r() < 0.1 ? "" : `k${Math.floor(r() * 40)}`);
    // File 1 is the base; files 2 and 3 are added later, with times in and around the base's
    // (equal times too, ordered by file then line).
    const base: Tx[] = Array.from({ length: 300 }, (_, i) => [key(), key(), Math.floor(r() * 100), 1, i + 2]);
    const later: Tx[] = Array.from({ length: 60 }, (_, i) => [
      key(),
      `n${i % 9}`,
      Math.floor(r() * 120) - 10,
      i < 30 ? 2 : 3,
      i + 2,
    ]);
    const { columns, added } = mergeEdgeColumns(columnsOf(base), columnsOf(later));
    expect(columns).toEqual(columnsOf([...base, ...later]));
    // The added mask points at exactly the later files' edges.
    const marked = [...added.keys()].filter((e) => added[e] === 1);
    expect(marked.every((e) => (columns.fileNo[e] as number) >= 2)).toBe(true);
    expect(marked).toHaveLength(later.length);
  });

  it("keeps the base as it is when nothing is added", () => {
    const base: Tx[] = [
      ["a", "b", 1, 1, 2],
      ["b", "", 2, 1, 3],
    ];
    const { columns, added } = mergeEdgeColumns(columnsOf(base), columnsOf([]));
    expect(columns).toEqual(columnsOf(base));
    expect([...added]).toEqual([0, 0]);
  });

  it("merges into the base's own arrays when they have room, with the same result", () => {
    const r = random(11);
    const key = () => (r() < 0.1 ? "" : `k${Math.floor(r() * 30)}`);
    const base: Tx[] = Array.from({ length: 400 }, (_, i) => [key(), key(), Math.floor(r() * 100), 1, i + 2]);
    // New accounts between old keys (the base's ends are renumbered), and added edges in runs.
    const later: Tx[] = Array.from({ length: 80 }, (_, i) => [
      i % 3 ? key() : `k${i % 7}x`,
      key(),
      Math.floor(r() * 110) - 5,
      2,
      i + 2,
    ]);
    /** The columns copied into buffers with room for `room` more values each. */
    const withRoom = (c: EdgeColumns, room: number): EdgeColumns => {
      const out = { ...c };
      for (const name of EDGE_COLUMN_NAMES) {
        const a = c[name];
        const Type = a.constructor as new (b: ArrayBuffer, o: number, n: number) => typeof a;
        const wide = new Type(new ArrayBuffer((a.length + room) * a.BYTES_PER_ELEMENT), 0, a.length);
        wide.set(a as never);
        Object.assign(out, { [name]: wide });
      }
      return out;
    };
    const expected = mergeEdgeColumns(columnsOf(base), columnsOf(later));
    const roomy = withRoom(columnsOf(base), later.length);
    const inPlace = mergeEdgeColumnsInto(roomy, columnsOf(later));
    expect(inPlace).toEqual(expected);
    // The base's buffers were used, not copied.
    expect(inPlace.columns.time.buffer).toBe(roomy.time.buffer);
    expect(inPlace.columns.from.buffer).toBe(roomy.from.buffer);
    // Without room: a copy, as mergeEdgeColumns makes.
    const tight = columnsOf(base);
    const copied = mergeEdgeColumnsInto(tight, columnsOf(later));
    expect(copied).toEqual(expected);
    expect(copied.columns.time.buffer).not.toBe(tight.time.buffer);
  });
});

describe("mergeEdgeColumns with the store's numbers for the accounts", () => {
  const r = random(5);
  const key = () => (r() < 0.1 ? "" : `k${Math.floor(r() * 40)}`);
  const base: Tx[] = Array.from({ length: 200 }, (_, i) => [key(), key(), Math.floor(r() * 100), 1, i + 2]);
  const later: Tx[] = Array.from({ length: 50 }, (_, i) => [
    i % 2 ? `k${i % 9}y` : key(),
    key(),
    Math.floor(r() * 100),
    2,
    i + 2,
  ]);
  /** A number per key, as the store gives them (in no order of the keys). */
  const no = (k: string) => 7 + [...k].reduce((h, ch) => (h * 131 + ch.charCodeAt(0)) % 100_003, 17);
  const numbered = (c: EdgeColumns, room = 0): EdgeColumns => {
    const nos = new Int32Array(new ArrayBuffer((c.accounts.length + room) * 4), 0, c.accounts.length);
    nos.set(c.accounts.map(no));
    return { ...c, accountNos: nos };
  };

  it("gives each merged account its number, moved up within the base's array when it has room", () => {
    const expected = numbered(columnsOf([...base, ...later])).accountNos;
    expect(new Set(expected).size).toBe(expected?.length);
    const roomy = numbered(columnsOf(base), 60);
    const into = mergeEdgeColumnsInto(roomy, numbered(columnsOf(later)));
    expect(into.columns.accountNos).toEqual(expected);
    expect(into.columns.accountNos?.buffer).toBe(roomy.accountNos?.buffer);
    // Without room, or not into the base: a new array, the base's as it was.
    const tight = numbered(columnsOf(base));
    const before = [...(tight.accountNos ?? [])];
    for (const merged of [
      mergeEdgeColumnsInto(tight, numbered(columnsOf(later))),
      mergeEdgeColumns(numbered(columnsOf(base), 60), numbered(columnsOf(later))),
    ]) {
      expect(merged.columns.accountNos).toEqual(expected);
    }
    expect([...(tight.accountNos ?? [])]).toEqual(before);
  });
});

describe("mergeEdgeColumns of an export for the base graph (`EdgeColumns.known`)", () => {
  const r = random(23);
  const key = () => (r() < 0.1 ? "" : `k${Math.floor(r() * 50)}`);
  const base: Tx[] = Array.from({ length: 300 }, (_, i) => [key(), key(), Math.floor(r() * 100), 1, i + 2]);
  // Held accounts and new ones, some keyed before every held one, some between, some after.
  const later: Tx[] = Array.from({ length: 90 }, (_, i) => [
    i % 4 === 0 ? `${["a", "k2", "k4x", "z"][i % 3]}${i}` : key(),
    key(),
    Math.floor(r() * 110) - 5,
    2,
    i + 2,
  ]);
  /** The later columns as an export for `graph` gives them: each account's place in it, -1 if none. */
  const exportFor = (graph: EdgeColumns, at = (k: string) => graph.accounts.indexOf(k)): EdgeColumns => {
    const c = columnsOf(later);
    return { ...c, known: { accounts: graph.accounts, at: Int32Array.from(c.accounts.map(at)) } };
  };

  it("takes the held accounts' places from the export and gives what merging by key gives", () => {
    const held = columnsOf(base);
    const added = exportFor(held);
    expect([...(added.known?.at ?? [])].filter((k) => k < 0).length).toBeGreaterThan(5);
    const merged = mergeEdgeColumns(held, added);
    const byKey = mergeEdgeColumns(columnsOf(base), columnsOf(later));
    expect([merged.columns, merged.baseAccount, merged.addedAt]).toEqual([
      columnsOf([...base, ...later]),
      byKey.baseAccount,
      byKey.addedAt,
    ]);
  });

  it("merges by key when the export was for another graph", () => {
    // Places in a graph whose accounts are another array (equal keys, but not the base's own).
    const other = columnsOf(base);
    const wrong = exportFor(other, () => 0);
    const merged = mergeEdgeColumns(columnsOf(base), wrong);
    expect(merged.columns).toEqual(columnsOf([...base, ...later]));
  });
});

describe("laidOnMerged", () => {
  // Old edges 0..4 with values 10..14; the merged graph has new edges at 0, 3 and 7.
  const addedAt = Int32Array.from([0, 3, 7]);
  const expected = [-1, 10, 11, -1, 12, 13, 14, -1];

  it("moves an old per-edge array's runs up around the new edges, which get the fill", () => {
    const old = Int32Array.from([10, 11, 12, 13, 14]);
    const out = laidOnMerged(old, addedAt, 8, -1);
    expect([...out]).toEqual(expected);
    // No room in its buffer: a copy, the old array left as it was.
    expect([...old]).toEqual([10, 11, 12, 13, 14]);
  });

  it("works within the old array's own buffer when it has room, as a snapshot read with room gives", () => {
    const old = new Int32Array(new ArrayBuffer(8 * 4), 0, 5);
    old.set([10, 11, 12, 13, 14]);
    const out = laidOnMerged(old, addedAt, 8, -1);
    expect([...out]).toEqual(expected);
    expect(out.buffer).toBe(old.buffer);
    const flags = new Uint8Array(new ArrayBuffer(8), 0, 5).fill(1);
    expect([...laidOnMerged(flags, addedAt, 8, 0)]).toEqual([0, 1, 1, 0, 1, 1, 1, 0]);
  });
});
