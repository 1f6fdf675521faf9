import { describe, expect, it } from "vitest";
import { edgeFilter, forEachInTime, seekTime } from "../../src/graph/graph-view.js";
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

describe("walking an edge list within a time window", () => {
  // A's payments on days 1, 2, 2, 4, 7.
  const g = graph([
    ["A", "B", 1, 10],
    ["A", "C", 2, 20],
    ["A", "D", 2, 30],
    ["B", "A", 3, 40],
    ["A", "B", 4, 50],
    ["A", "C", 7, 60],
  ]);
  const a = g.accounts.indexOf("A");
  const lo = g.outStart[a] as number;
  const hi = g.outStart[a + 1] as number;
  const walk = (from: number, to: number, stopAt = -1) => {
    const seen: number[] = [];
    const count = forEachInTime(g, g.outEdges, lo, hi, from * DAY, to * DAY, (e, t) => {
      expect(t).toBe(g.time[e]);
      seen.push(e);
      return e === stopAt;
    });
    return { seen, count };
  };

  it("visits the edges in the window, both ends included, in time order, and counts them", () => {
    expect(walk(2, 4)).toEqual({ seen: [1, 2, 4], count: 3 });
    expect(walk(0, 100)).toEqual({ seen: [0, 1, 2, 4, 5], count: 5 });
    expect(walk(5, 6)).toEqual({ seen: [], count: 0 });
    expect(walk(8, 9)).toEqual({ seen: [], count: 0 });
  });

  it("stops once the visitor returns true, counting the edge it stopped at", () => {
    expect(walk(1, 7, 2)).toEqual({ seen: [0, 1, 2], count: 3 });
  });
});
