import { describe, expect, it } from "vitest";
import {
  approximateBetweenness,
  degreeCentrality,
  pagerank,
  topAccounts,
} from "../../src/graph/centrality.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { weightedUndirected } from "../../src/graph/undirected.js";
import { DAY, graphOf, numberedGraph } from "./graph-of.js";

const graph = graphOf;

/** A graph over accounts 0..nodes-1 from `[from, to]` payments of 1, one day apart. */
const numbered = (nodes: number, pairs: [number, number][]): MoneyGraph =>
  numberedGraph(
    nodes,
    pairs.map(([a, b]) => [a, b, 1]),
  );

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);

describe("degree centrality", () => {
  // A: 0, B: 1, C: 2.
  const g = graph([
    ["A", "B", 0, 100],
    ["A", "B", 1, 50],
    ["A", "C", 2, 10],
    ["A", "A", 3, 5],
    ["A", "", 4, 20],
    ["", "B", 5, 30],
    ["C", "B", 6, 1],
    ["B", "A", 7, 7],
  ]);

  it("counts distinct counterparties and the USD exchanged with them, not cash or self-transfers", () => {
    const d = degreeCentrality(g);
    expect(Array.from(d.outDegree)).toEqual([2, 1, 1]);
    expect(Array.from(d.inDegree)).toEqual([1, 2, 1]);
    expect(Array.from(d.outUsd)).toEqual([160, 7, 1]);
    expect(Array.from(d.inUsd)).toEqual([7, 151, 10]);
  });

  it("keeps to the time window", () => {
    const d = degreeCentrality(g, { from: 1 * DAY, to: 6 * DAY });
    expect(Array.from(d.outDegree)).toEqual([2, 0, 1]);
    expect(Array.from(d.inDegree)).toEqual([0, 2, 1]);
    expect(Array.from(d.outUsd)).toEqual([60, 0, 1]);
  });
});

describe("pagerank", () => {
  it("gives each account of a cycle 1/3", () => {
    const r = pagerank(
      graph([
        ["A", "B", 0, 10],
        ["B", "C", 1, 500],
        ["C", "A", 2, 3],
      ]),
    );
    for (const x of r) expect(x).toBeCloseTo(1 / 3, 12);
  });

  it("ranks the centre of a star first, its dangling rank spread over all (by hand)", () => {
    // Three leaves pay the centre, which pays no one. With d = 0.85 and N = 4:
    // leaf = 0.15/4 + 0.85·centre/4, centre + 3·leaf = 1 ⇒ centre = 0.8875/1.6375.
    const r = pagerank(
      graph([
        ["L1", "C", 0, 1],
        ["L2", "C", 1, 1],
        ["L3", "C", 2, 1],
      ]),
    );
    // Names sort as C, L1, L2, L3.
    expect(topAccounts(r, 1)).toEqual([0]);
    expect(r[0]).toBeCloseTo(0.8875 / 1.6375, 10);
    for (const leaf of [1, 2, 3]) expect(r[leaf]).toBeCloseTo((1 - 0.8875 / 1.6375) / 3, 10);
    expect(sum(r)).toBeCloseTo(1, 12);
  });

  it("splits an account's rank by what it paid each payee, or by how often", () => {
    // A pays B 100 and C 300; B and C pay A back. rA = 0.05 + 0.85(1 − rA) ⇒ rA = 0.9/1.85;
    // by amount B gets 1/4 of A's share and C 3/4; by count, half each.
    const g = graph([
      ["A", "B", 0, 100],
      ["A", "C", 1, 300],
      ["B", "A", 2, 5],
      ["C", "A", 3, 5],
      ["", "B", 4, 1_000_000],
    ]);
    const rA = 0.9 / 1.85;
    // The graph is periodic (A, then B or C, then A), so the power iteration needs more than the
    // default 100 steps to reach 1e-10.
    const byAmount = pagerank(g, { iterations: 300 });
    expect(byAmount[0]).toBeCloseTo(rA, 10);
    expect(byAmount[1]).toBeCloseTo(0.05 + 0.2125 * rA, 10);
    expect(byAmount[2]).toBeCloseTo(0.05 + 0.6375 * rA, 10);
    const byCount = pagerank(g, { weight: "count", iterations: 300 });
    expect(byCount[1]).toBeCloseTo(0.05 + 0.425 * rA, 10);
    expect(byCount[2]).toBeCloseTo(0.05 + 0.425 * rA, 10);
  });

  it("sums to 1 with dangling accounts and a window, and uses the damping given", () => {
    const g = graph([
      ["A", "B", 0, 1],
      ["B", "C", 1, 1],
      ["D", "B", 2, 1],
      ["C", "D", 3, 1],
      ["E", "A", 4, 1],
    ]);
    expect(sum(pagerank(g))).toBeCloseTo(1, 12);
    // Days 0–1 only: A → B → C, with D and E idle.
    const early = pagerank(g, { window: { to: 1 * DAY } });
    expect(sum(early)).toBeCloseTo(1, 12);
    expect(early[3]).toBeCloseTo(early[4] as number, 12);
    expect(topAccounts(early, 1)).toEqual([2]);
    // Damping 0: no links followed, all equal.
    for (const x of pagerank(g, { damping: 0 })) expect(x).toBeCloseTo(0.2, 12);
  });
});

describe("betweenness", () => {
  it("is exact on a path: the middle carries the most shortest paths", () => {
    // 0 - 1 - 2 - 3 - 4: node 1 is between 0 and {2, 3, 4}: 3 pairs; node 2 between {0,1} and {3,4}: 4.
    const g = numbered(5, [
      [0, 1],
      [2, 1],
      [2, 3],
      [3, 4],
      [3, 4],
    ]);
    expect(Array.from(approximateBetweenness(g))).toEqual([0, 3, 4, 3, 0]);
    expect(topAccounts(approximateBetweenness(g), 1)).toEqual([2]);
    // Days 1–3 only: 1 - 2 - 3 - 4, node 0 not yet linked.
    expect(Array.from(approximateBetweenness(g, { window: { from: 1 * DAY, to: 3 * DAY } }))).toEqual([
      0, 0, 2, 2, 0,
    ]);
  });

  it("is exact on a star and shares pairs among equal shortest paths on a cycle", () => {
    // The centre lies between each of the C(4, 2) = 6 pairs of leaves.
    const star = numbered(5, [
      [1, 0],
      [0, 2],
      [3, 0],
      [0, 4],
    ]);
    expect(Array.from(approximateBetweenness(star, { samples: 5 }))).toEqual([6, 0, 0, 0, 0]);
    // A 4-cycle: each opposite pair has two shortest paths, one through each other node.
    const cycle = numbered(4, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
    ]);
    expect(Array.from(approximateBetweenness(weightedUndirected(cycle, { weight: "amount" })))).toEqual([
      0.5, 0.5, 0.5, 0.5,
    ]);
  });

  it("matches networkx on the karate club (its normalised values × C(33, 2) = 528 pairs)", () => {
    const ties =
      "0-1 0-2 0-3 0-4 0-5 0-6 0-7 0-8 0-10 0-11 0-12 0-13 0-17 0-19 0-21 0-31 1-2 1-3 1-7 1-13 1-17 " +
      "1-19 1-21 1-30 2-3 2-7 2-8 2-9 2-13 2-27 2-28 2-32 3-7 3-12 3-13 4-6 4-10 5-6 5-10 5-16 6-16 " +
      "8-30 8-32 8-33 9-33 13-33 14-32 14-33 15-32 15-33 18-32 18-33 19-33 20-32 20-33 22-32 22-33 " +
      "23-25 23-27 23-29 23-32 23-33 24-25 24-27 24-31 25-31 26-29 26-33 27-33 28-31 28-33 29-32 " +
      "29-33 30-32 30-33 31-32 31-33 32-33";
    const g = numbered(
      34,
      ties.split(" ").map((t) => t.split("-").map(Number) as [number, number]),
    );
    const b = approximateBetweenness(g, { samples: 34 });
    // nx.betweenness_centrality(nx.karate_club_graph()): 0.43763528, 0.30407497, 0.14524711, ...
    expect((b[0] as number) / 528).toBeCloseTo(0.43763528, 7);
    expect((b[33] as number) / 528).toBeCloseTo(0.30407497, 7);
    expect((b[32] as number) / 528).toBeCloseTo(0.14524711, 7);
    expect((b[2] as number) / 528).toBeCloseTo(0.1436568, 7);
    expect(topAccounts(b, 5)).toEqual([0, 33, 32, 2, 31]);
  });

  it("estimates from a sample of sources within a tolerance of the exact values", () => {
    // 200 accounts: a random tree (brokers appear) plus 60 random extra links; a seeded LCG.
    let x = 2024;
    const next = () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x / 2 ** 32;
    };
    const pairs: [number, number][] = [];
    for (let i = 1; i < 200; i++) pairs.push([i, Math.floor(next() * i)]);
    for (let e = 0; e < 60; e++) pairs.push([Math.floor(next() * 200), Math.floor(next() * 200)]);
    const u = weightedUndirected(numbered(200, pairs), { weight: "count" });
    const exact = approximateBetweenness(u, { samples: 200 });
    const top = topAccounts(exact, 5);
    for (const seed of [1, 2, 3, 4]) {
      const estimate = approximateBetweenness(u, { samples: 100, seed });
      expect(approximateBetweenness(u, { samples: 100, seed })).toEqual(estimate);
      let error = 0;
      for (let v = 0; v < 200; v++) error += Math.abs((estimate[v] as number) - (exact[v] as number));
      expect(error / sum(exact), `seed ${seed}`).toBeLessThan(0.2);
      // The brokers that matter most are found, each within 25%.
      for (const v of top) {
        const relative = Math.abs((estimate[v] as number) - (exact[v] as number)) / (exact[v] as number);
        expect(relative, `seed ${seed}, account ${v}`).toBeLessThan(0.25);
      }
      expect(topAccounts(estimate, 3).sort()).toEqual(top.slice(0, 3).sort());
    }
  });
});

describe("top accounts", () => {
  it("returns the k highest, ties by lower index, NaN last", () => {
    const scores = Float64Array.from([1, 3, 3, Number.NaN, 2, -1]);
    expect(topAccounts(scores, 3)).toEqual([1, 2, 4]);
    expect(topAccounts(scores, 10)).toEqual([1, 2, 4, 0, 5, 3]);
    expect(topAccounts(scores, 0)).toEqual([]);
    expect(topAccounts([5, 5, 5, 5], 2)).toEqual([0, 1]);
  });
});
