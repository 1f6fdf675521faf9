import { describe, expect, it } from "vitest";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { shortestTemporalPath, topPathsByAmount } from "../../src/graph/paths.js";
import { DAY, graphOf } from "./graph-of.js";

const graph = graphOf;

/** The accounts a path visits, by name. */
const route = (g: MoneyGraph, edges: number[]) =>
  [g.from[edges[0] as number], ...edges.map((e) => g.to[e])].map((i) => g.accounts[i as number]).join("");

describe("shortest temporal path", () => {
  // A→B→D is two hops, but B paid D on day 1, before A paid B on day 5: it cannot be A's money.
  const g = graph([
    ["B", "D", 1, 10], // 0
    ["A", "C", 2, 10], // 1
    ["C", "E", 3, 10], // 2
    ["E", "D", 4, 10], // 3
    ["A", "B", 5, 10], // 4
    ["A", "F", 6, 10], // 5
    ["F", "G", 7, 10], // 6
    ["G", "D", 8, 10], // 7
  ]);
  const id = (n: string) => g.indexOf.get(n) as number;

  it("takes the longer path that respects time over the shorter one that goes back in time", () => {
    // Two three-hop paths respect time; the one through C arrives on day 4, the one through F on day 8.
    expect(shortestTemporalPath(g, id("A"), id("D"))).toEqual({ edges: [1, 2, 3] });
    expect(shortestTemporalPath(g, id("A"), id("D"), { maxHops: 2 })).toBeNull();
    expect(shortestTemporalPath(g, id("D"), id("A"))).toBeNull();
    expect(shortestTemporalPath(g, id("A"), id("A"))).toEqual({ edges: [] });
  });

  it("keeps to the filter", () => {
    // Without day 3, the path through C is cut: the one through F is next.
    const r = shortestTemporalPath(g, id("A"), id("D"), { filter: { from: 3.5 * DAY } });
    expect(r).toEqual({ edges: [5, 6, 7] });
    expect(shortestTemporalPath(g, id("A"), id("D"), { filter: { to: 7 * DAY } })).toEqual({
      edges: [1, 2, 3],
    });
    expect(shortestTemporalPath(g, id("A"), id("D"), { filter: { minAmountUsd: 11 } })).toBeNull();
  });

  it("prefers fewer hops to an earlier arrival, and lets payments at the same instant chain", () => {
    const h = graph([
      ["A", "B", 1, 10], // 0
      ["B", "C", 1, 10], // 1: same day as A→B
      ["C", "D", 2, 10], // 2: arrives day 2 in 3 hops
      ["A", "E", 3, 10], // 3
      ["E", "D", 9, 10], // 4: arrives day 9 in 2 hops
    ]);
    const hid = (n: string) => h.indexOf.get(n) as number;
    expect(shortestTemporalPath(h, hid("A"), hid("D"))).toEqual({ edges: [3, 4] });
    expect(shortestTemporalPath(h, hid("A"), hid("C"))).toEqual({ edges: [0, 1] });
  });

  it("expands an account again when a longer path reaches it earlier", () => {
    // C is reached in one hop on day 3, but in two hops on day 2, in time for C→D on day 2.5.
    const h = graph([
      ["A", "B", 1, 10], // 0
      ["B", "C", 2, 10], // 1
      ["C", "D", 2.5, 10], // 2
      ["A", "C", 3, 10], // 3
    ]);
    const hid = (n: string) => h.indexOf.get(n) as number;
    expect(shortestTemporalPath(h, hid("A"), hid("D"))).toEqual({ edges: [0, 1, 2] });
  });
});

describe("top paths by amount", () => {
  const g = graph([
    ["B", "D", 0, 1000], // 0: before A pays B: never on a path from A
    ["A", "B", 1, 100], // 1
    ["A", "C", 1, 500], // 2
    ["A", "B", 1.5, 20], // 3: a second, smaller payment on the same route
    ["B", "D", 2, 90], // 4
    ["C", "E", 2, 300], // 5
    ["C", "D", 3, 40], // 6
    ["E", "D", 4, 250], // 7
    ["A", "D", 5, 90], // 8
    ["D", "A", 6, 5000], // 9: leads back to A: no path may use it
  ]);
  const id = (n: string) => g.indexOf.get(n) as number;
  const top = (options: Parameters<typeof topPathsByAmount>[3] = {}) =>
    topPathsByAmount(g, id("A"), id("D"), options);

  it("ranks by bottleneck, then by fewer hops; each route once, with its best payments", () => {
    const r = top();
    expect(r.paths.map((p) => [route(g, p.edges), p.amountUsd])).toEqual([
      ["ACED", 250],
      ["AD", 90],
      ["ABD", 90],
      ["ACD", 40],
    ]);
    expect(r.paths[2]?.edges).toEqual([1, 4]);
    expect(r.truncated).toBe(false);
  });

  it("keeps to k, the hop limit and the filter", () => {
    expect(top({ k: 2 }).paths.map((p) => route(g, p.edges))).toEqual(["ACED", "AD"]);
    expect(top({ maxHops: 2 }).paths.map((p) => route(g, p.edges))).toEqual(["AD", "ABD", "ACD"]);
    expect(top({ maxHops: 1 }).paths.map((p) => route(g, p.edges))).toEqual(["AD"]);
    // Without day 1's payments, A→B is the payment of 20 on day 1.5.
    expect(top({ filter: { from: 1.2 * DAY } }).paths.map((p) => [route(g, p.edges), p.amountUsd])).toEqual([
      ["AD", 90],
      ["ABD", 20],
    ]);
    // From 95 up, A→B (100) and B→D (90) cannot both be used.
    expect(top({ filter: { minAmountUsd: 95 } }).paths.map((p) => [route(g, p.edges), p.amountUsd])).toEqual([
      ["ACED", 250],
    ]);
    expect(topPathsByAmount(g, id("D"), id("C")).paths).toEqual([]);
  });

  it("stops after maxExpansions edges and says so, keeping the best found", () => {
    const r = top({ maxExpansions: 1 });
    expect(r.truncated).toBe(true);
    expect(r.paths).toEqual([]);
    // A's four payments, C's two, E's one: ACED is complete; B's payment is the eighth edge.
    const some = top({ maxExpansions: 7 });
    expect(some.truncated).toBe(true);
    expect(some.paths.map((p) => route(g, p.edges))).toEqual(["ACED"]);
    // B's payment, then B's again for the A→B of 20 (k = 5 asks for more): nine edges in all.
    expect(top({ maxExpansions: 8 }).truncated).toBe(true);
    expect(top({ maxExpansions: 9 })).toEqual(top());
  });
});

/** A small linear congruential generator: seeded, so the "random" graph is always the same one. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random graph: `n` accounts, `m` payments on whole days (ties are common), a few in or out in cash. */
function randomGraph(seed: number, n: number, m: number): MoneyGraph {
  const rand = lcg(seed);
  const rows: [string, string, number, number][] = [];
  const account = () => `a${String(Math.floor(rand() * n)).padStart(2, "0")}`;
  for (let i = 0; i < m; i++) {
    const cash = rand();
    rows.push([
      cash < 0.05 ? "" : account(),
      cash > 0.95 ? "" : account(),
      Math.floor(rand() * 30),
      50 + Math.floor(rand() * 100),
    ]);
  }
  rows.sort((x, y) => x[2] - y[2]);
  return graph(rows);
}

/** Every simple, time-respecting path from a to b of 1..maxHops edges, by brute force over all edges. */
function allPaths(g: MoneyGraph, a: number, b: number, maxHops: number): number[][] {
  const found: number[][] = [];
  const walk = (at: number, t: number, path: number[], seen: number[]) => {
    if (at === b && path.length > 0) {
      found.push([...path]);
      return;
    }
    if (path.length === maxHops) return;
    for (let e = 0; e < g.edgeCount; e++) {
      const w = g.to[e] as number;
      if (g.from[e] !== at || w < 0 || (g.time[e] as number) < t || seen.includes(w)) continue;
      walk(w, g.time[e] as number, [...path, e], [...seen, w]);
    }
  };
  walk(a, Number.NEGATIVE_INFINITY, [], [a]);
  return found;
}

function expectTemporalSimplePath(g: MoneyGraph, edges: number[], a: number, b: number): void {
  expect(g.from[edges[0] as number]).toBe(a);
  expect(g.to[edges[edges.length - 1] as number]).toBe(b);
  const visited = [a];
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i] as number;
    if (i > 0) {
      const before = edges[i - 1] as number;
      expect(g.from[e]).toBe(g.to[before]);
      expect(g.time[e]).toBeGreaterThanOrEqual(g.time[before] as number);
    }
    visited.push(g.to[e] as number);
  }
  expect(new Set(visited).size).toBe(visited.length);
}

describe("paths on a random graph", () => {
  const g = randomGraph(7, 12, 160);
  const n = g.accounts.length;
  const arrival = (g: MoneyGraph, edges: number[]) => g.time[edges[edges.length - 1] as number] as number;

  it("shortest temporal paths are simple, time-respecting, and as short and early as brute force finds", () => {
    let found = 0;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const r = shortestTemporalPath(g, a, b, { maxHops: 4 });
        const all = allPaths(g, a, b, 4);
        if (all.length === 0) {
          expect(r).toBeNull();
          continue;
        }
        expect(r).not.toBeNull();
        const edges = (r as { edges: number[] }).edges;
        expectTemporalSimplePath(g, edges, a, b);
        const fewest = Math.min(...all.map((p) => p.length));
        expect(edges.length).toBe(fewest);
        expect(arrival(g, edges)).toBe(
          Math.min(...all.filter((p) => p.length === fewest).map((p) => arrival(g, p))),
        );
        found++;
      }
    }
    expect(found).toBeGreaterThan(50);
  });

  it("top paths are simple, time-respecting, and the best routes brute force finds", () => {
    let found = 0;
    for (let a = 0; a < n; a += 2) {
      for (let b = 1; b < n; b += 3) {
        if (a === b) continue;
        const r = topPathsByAmount(g, a, b, { k: 4, maxHops: 3 });
        expect(r.truncated).toBe(false);
        const best = new Map<string, { amountUsd: number; hops: number }>();
        for (const p of allPaths(g, a, b, 3)) {
          const amountUsd = Math.min(...p.map((e) => g.amountUsd[e] as number));
          const key = route(g, p);
          const seen = best.get(key);
          if (!seen || amountUsd > seen.amountUsd) best.set(key, { amountUsd, hops: p.length });
        }
        const expected = [...best.values()]
          .sort((x, y) => y.amountUsd - x.amountUsd || x.hops - y.hops)
          .slice(0, 4)
          .map((p) => [p.amountUsd, p.hops]);
        for (const p of r.paths) {
          expectTemporalSimplePath(g, p.edges, a, b);
          expect(p.amountUsd).toBe(Math.min(...p.edges.map((e) => g.amountUsd[e] as number)));
        }
        expect(new Set(r.paths.map((p) => route(g, p.edges))).size).toBe(r.paths.length);
        expect(r.paths.map((p) => [p.amountUsd, p.edges.length])).toEqual(expected);
        found += r.paths.length;
      }
    }
    expect(found).toBeGreaterThan(40);
  });
});
