import { describe, expect, it } from "vitest";
import { louvain, modularity } from "../../src/graph/communities.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { type UndirectedGraph, weightedUndirected } from "../../src/graph/undirected.js";
import { DAY, graphOf, numberedGraph } from "./graph-of.js";

const graph = graphOf;

const numbered = numberedGraph;

/** Edges of u as `a-b:w` strings (a < b), and its self-loops, for readable assertions. */
function edges(u: UndirectedGraph): string[] {
  const out: string[] = [];
  for (let a = 0; a < u.nodes; a++) {
    for (let p = u.start[a] as number; p < (u.start[a + 1] as number); p++) {
      const b = u.neighbours[p] as number;
      if (a < b) out.push(`${a}-${b}:${u.weights[p]}`);
    }
    if ((u.selfLoops[a] as number) > 0) out.push(`${a}-${a}:${u.selfLoops[a]}`);
  }
  return out;
}

/**
 * `rings` rings of `size` accounts, each account paying the next two round its ring 100 (three
 * times), ring r joined to ring r+1 by one payment of 1; returns the graph and the planted rings.
 */
function plantedRings(rings: number, size: number): { g: MoneyGraph; planted: Int32Array } {
  const rows: [number, number, number][] = [];
  for (let r = 0; r < rings; r++) {
    for (let i = 0; i < size; i++) {
      for (let times = 0; times < 3; times++) {
        rows.push([r * size + i, r * size + ((i + 1) % size), 100]);
        rows.push([r * size + i, r * size + ((i + 2) % size), 100]);
      }
    }
  }
  for (let r = 0; r + 1 < rings; r++) rows.push([r * size, (r + 1) * size + 3, 1]);
  const planted = Int32Array.from({ length: rings * size }, (_, i) => Math.floor(i / size));
  return { g: numbered(rings * size, rows), planted };
}

/**
 * Zachary's karate club (Zachary 1977; the adjacency as networkx ships it): 34 members, 78 ties.
 * Its best partition is known: modularity 0.4198, four communities (Brandes et al. 2008).
 */
const KARATE =
  "0-1 0-2 0-3 0-4 0-5 0-6 0-7 0-8 0-10 0-11 0-12 0-13 0-17 0-19 0-21 0-31 1-2 1-3 1-7 1-13 1-17 " +
  "1-19 1-21 1-30 2-3 2-7 2-8 2-9 2-13 2-27 2-28 2-32 3-7 3-12 3-13 4-6 4-10 5-6 5-10 5-16 6-16 " +
  "8-30 8-32 8-33 9-33 13-33 14-32 14-33 15-32 15-33 18-32 18-33 19-33 20-32 20-33 22-32 22-33 " +
  "23-25 23-27 23-29 23-32 23-33 24-25 24-27 24-31 25-31 26-29 26-33 27-33 28-31 28-33 29-32 " +
  "29-33 30-32 30-33 31-32 31-33 32-33";

function karate(): MoneyGraph {
  const ties = KARATE.split(" ").map((t) => t.split("-").map(Number) as [number, number]);
  return numbered(
    34,
    ties.map(([a, b]) => [a, b, 1]),
  );
}

describe("undirected graph", () => {
  // A: 0, B: 1, C: 2, D: 3.
  const g = graph([
    ["A", "B", 0, 100],
    ["B", "A", 1, 50],
    ["A", "B", 2, 25],
    ["A", "A", 3, 10],
    ["", "C", 4, 500],
    ["C", "", 5, 200],
    ["B", "C", 6, 7],
    ["D", "C", 7, 3],
  ]);

  it("merges parallel transactions either way into one edge, keeps self-transfers as self-loops, skips cash", () => {
    const u = weightedUndirected(g, { weight: "amount" });
    expect(u.nodes).toBe(4);
    expect(edges(u)).toEqual(["0-1:175", "0-0:10", "1-2:7", "2-3:3"]);
    expect(u.totalWeight).toBe(195);
    const count = weightedUndirected(g, { weight: "count" });
    expect(edges(count)).toEqual(["0-1:3", "0-0:1", "1-2:1", "2-3:1"]);
    expect(count.totalWeight).toBe(6);
  });

  it("weighs a reversal (a negative amount) by its size", () => {
    const u = weightedUndirected(
      graph([
        ["A", "B", 0, 100],
        ["A", "B", 1, -40],
      ]),
      { weight: "amount" },
    );
    expect(edges(u)).toEqual(["0-1:140"]);
  });

  it("lists each edge at both ends, neighbours ascending", () => {
    const u = weightedUndirected(g, { weight: "count" });
    expect(Array.from(u.start)).toEqual([0, 1, 3, 5, 6]);
    expect(Array.from(u.neighbours)).toEqual([1, 0, 2, 1, 3, 2]);
    expect(Array.from(u.weights)).toEqual([3, 3, 1, 1, 1, 1]);
  });

  it("keeps to the time window, both ends included", () => {
    const u = weightedUndirected(g, { weight: "amount", from: 1 * DAY, to: 6 * DAY });
    expect(edges(u)).toEqual(["0-1:75", "0-0:10", "1-2:7"]);
    expect(weightedUndirected(g, { weight: "amount", from: 8 * DAY }).totalWeight).toBe(0);
  });
});

describe("modularity", () => {
  // Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3: m = 7.
  const triangles = numbered(6, [
    [0, 1, 1],
    [1, 2, 1],
    [2, 0, 1],
    [3, 4, 1],
    [4, 5, 1],
    [5, 3, 1],
    [2, 3, 1],
  ]);
  const u = weightedUndirected(triangles, { weight: "count" });

  it("of the two triangles, by hand: 2 × (3/7 − (7/14)²) = 5/14", () => {
    expect(modularity(u, Int32Array.from([0, 0, 0, 1, 1, 1]))).toBeCloseTo(5 / 14, 12);
  });

  it("of everything in one community is 0; of singletons, −Σ(k/2m)²", () => {
    expect(modularity(u, new Int32Array(6))).toBeCloseTo(0, 12);
    // Degrees 2, 2, 3, 3, 2, 2 over 2m = 14.
    expect(modularity(u, Int32Array.from([0, 1, 2, 3, 4, 5]))).toBeCloseTo(-34 / 196, 12);
  });

  it("counts a self-loop inside its node's community, and the resolution scales the penalty", () => {
    // Edge 0-1 (weight 1) and a self-loop of 2 on node 0: m = 3, degrees 5 and 1.
    const h = weightedUndirected(
      numbered(2, [
        [0, 1, 1],
        [0, 0, 2],
      ]),
      { weight: "amount" },
    );
    // Apart: 2·2/6 − (5/6)² − (1/6)²; together: 6/6 − 1.
    expect(modularity(h, Int32Array.from([0, 1]))).toBeCloseTo(4 / 6 - 26 / 36, 12);
    expect(modularity(h, Int32Array.from([0, 0]))).toBeCloseTo(0, 12);
    expect(modularity(h, Int32Array.from([0, 1]), 2)).toBeCloseTo(4 / 6 - 52 / 36, 12);
  });
});

describe("louvain", () => {
  const sameGroups = (a: Int32Array, b: Int32Array) => {
    // Equal as partitions: the same pairs of nodes together.
    for (let i = 0; i < a.length; i++)
      for (let j = 0; j < a.length; j++) if ((a[i] === a[j]) !== (b[i] === b[j])) return false;
    return true;
  };

  it("recovers two dense rings joined by one weak payment", () => {
    const { g, planted } = plantedRings(2, 8);
    const u = weightedUndirected(g, { weight: "amount" });
    const r = louvain(u);
    expect(r.count).toBe(2);
    expect(sameGroups(r.community, planted)).toBe(true);
    expect(r.modularity).toBeGreaterThanOrEqual(modularity(u, planted) - 1e-9);
    expect(r.modularity).toBeCloseTo(modularity(u, r.community), 12);
    expect(r.passes).toBeGreaterThanOrEqual(1);
  });

  it("recovers three rings, for every seed, at least as modular as the planted partition", () => {
    const { g, planted } = plantedRings(3, 10);
    const u = weightedUndirected(g, { weight: "count" });
    for (const seed of [1, 2, 3, 42, 1234]) {
      const r = louvain(u, { seed });
      expect(r.count, `seed ${seed}`).toBe(3);
      expect(sameGroups(r.community, planted), `seed ${seed}`).toBe(true);
      expect(r.modularity).toBeGreaterThanOrEqual(modularity(u, planted) - 1e-9);
    }
  });

  it("numbers communities densely, in order of their lowest node", () => {
    const { g } = plantedRings(3, 10);
    const r = louvain(weightedUndirected(g, { weight: "count" }), { seed: 7 });
    expect(Array.from(r.community.slice(0, 30).filter((_, i) => i % 10 === 0))).toEqual([0, 1, 2]);
  });

  it("is deterministic for a seed", () => {
    // A noisy graph where the order of moves matters: 120 nodes, random payments, seeded.
    let x = 12345;
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x / 2 ** 32;
    };
    const rows: [number, number, number][] = [];
    for (let e = 0; e < 600; e++) {
      const a = Math.floor(next() * 120);
      // Mostly within blocks of 20, sometimes anywhere.
      const b = next() < 0.8 ? a - (a % 20) + Math.floor(next() * 20) : Math.floor(next() * 120);
      rows.push([a, b, 1 + Math.floor(next() * 1000)]);
    }
    const u = weightedUndirected(numbered(120, rows), { weight: "amount" });
    const first = louvain(u, { seed: 5 });
    const again = louvain(u, { seed: 5 });
    expect(Array.from(again.community)).toEqual(Array.from(first.community));
    expect(again.modularity).toBe(first.modularity);
    expect(first.modularity).toBeGreaterThan(0.3);
    expect(first.count).toBeLessThan(30);
  });

  it("finds the karate club's communities: the best known partition for some seeds, close for all", () => {
    const u = weightedUndirected(karate(), { weight: "count" });
    let best = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = louvain(u, { seed });
      // Louvain is a heuristic: on this graph its results range over 0.39–0.42.
      expect(r.modularity, `seed ${seed}`).toBeGreaterThan(0.39);
      expect(r.count).toBeGreaterThanOrEqual(3);
      expect(r.count).toBeLessThanOrEqual(5);
      // One pass leaves communities of communities to merge: a second always follows here.
      expect(r.passes).toBeGreaterThanOrEqual(2);
      best = Math.max(best, r.modularity);
    }
    expect(best).toBeCloseTo(0.4198, 4);
  });

  it("stops after maxPasses", () => {
    const u = weightedUndirected(karate(), { weight: "count" });
    const one = louvain(u, { maxPasses: 1 });
    expect(one.passes).toBe(1);
    expect(one.count).toBeGreaterThan(louvain(u).count);
    expect(one.modularity).toBeLessThan(louvain(u).modularity);
  });

  it("with a high resolution, splits the rings further; with none, all in one", () => {
    const { g } = plantedRings(2, 8);
    const u = weightedUndirected(g, { weight: "amount" });
    expect(louvain(u, { resolution: 5 }).count).toBeGreaterThan(2);
    expect(louvain(u, { resolution: 0 }).count).toBe(1);
  });

  it("leaves isolated accounts and a graph with no edges as singletons", () => {
    const g = numbered(4, [
      [0, 1, 5],
      [2, -1, 5],
    ]);
    const r = louvain(weightedUndirected(g, { weight: "amount" }));
    expect(Array.from(r.community)).toEqual([0, 0, 1, 2]);
    expect(r.count).toBe(3);
    const empty = louvain(weightedUndirected(numbered(3, [[0, -1, 5]]), { weight: "amount" }));
    expect(empty).toEqual({ community: Int32Array.from([0, 1, 2]), count: 3, modularity: 0, passes: 0 });
  });
});
