import { describe, expect, it } from "vitest";
import { mergeEdgeColumns } from "../../src/graph/merge-edge-columns.js";
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
});
