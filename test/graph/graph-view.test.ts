import { describe, expect, it } from "vitest";
import { edgeFilter, seekTime } from "../../src/graph/graph-view.js";
import { DAY, graphOf } from "./graph-of.js";

const graph = graphOf;

describe("edge filter", () => {
  const g = graph([
    ["A", "B", 1, 100, 0],
    ["B", "C", 2, 50, 1],
    ["C", "", 3, 20, 2],
    ["A", "C", 4, 500, 1],
  ]);
  const kept = (f: Parameters<typeof edgeFilter>[1]) => [0, 1, 2, 3].filter(edgeFilter(g, f));

  it("keeps every edge when no field is given", () => {
    expect(kept({})).toEqual([0, 1, 2, 3]);
    expect(kept(undefined)).toEqual([0, 1, 2, 3]);
  });

  it("keeps a time window with both ends included", () => {
    expect(kept({ from: 2 * DAY, to: 3 * DAY })).toEqual([1, 2]);
    expect(kept({ from: 2 * DAY + 1 })).toEqual([2, 3]);
    expect(kept({ to: 2 * DAY - 1 })).toEqual([0]);
  });

  it("keeps channels, a minimum amount, and all fields together", () => {
    expect(kept({ channels: new Set([1]) })).toEqual([1, 3]);
    expect(kept({ channels: new Set() })).toEqual([]);
    expect(kept({ minAmountUsd: 50 })).toEqual([0, 1, 3]);
    expect(kept({ channels: new Set([1, 2]), minAmountUsd: 30, to: 3 * DAY })).toEqual([1]);
  });
});

describe("seeking a time in an edge list", () => {
  const g = graph([
    ["A", "B", 1, 1, 0],
    ["A", "B", 2, 1, 0],
    ["A", "B", 2, 1, 0],
    ["A", "B", 3, 1, 0],
  ]);

  it("finds the first edge at or after a time, or strictly after it", () => {
    const list = g.outEdges; // A's out-edges: 0, 1, 2, 3
    expect(seekTime(g, list, 0, 4, 2 * DAY)).toBe(1);
    expect(seekTime(g, list, 0, 4, 2 * DAY, true)).toBe(3);
    expect(seekTime(g, list, 0, 4, 0)).toBe(0);
    expect(seekTime(g, list, 0, 4, 9 * DAY)).toBe(4);
    expect(seekTime(g, list, 2, 4, 0)).toBe(2);
  });

  it("seeks over the edges themselves when there is no list", () => {
    expect(seekTime(g, null, 0, g.edgeCount, 2 * DAY)).toBe(1);
    expect(seekTime(g, null, 0, g.edgeCount, 3 * DAY, true)).toBe(4);
  });
});
