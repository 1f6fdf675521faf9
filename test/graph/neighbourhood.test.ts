import { describe, expect, it } from "vitest";
import { edgeFilter, seekTime } from "../../src/graph/graph-view.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import {
  type Counterparty,
  type Direction,
  type Neighbourhood,
  type NeighbourhoodOptions,
  neighbourhood,
} from "../../src/graph/neighbourhood.js";
import { random } from "./columns-of.js";
import { DAY, graphOf } from "./graph-of.js";
import { randomGraph } from "./random-graph.js";

const graph = graphOf;

// Edge numbers in the comments: the row index.
const g = graph([
  ["", "A", 0, 500], // 0 cash deposit into A
  ["A", "B", 1, 100], // 1
  ["B", "C", 2, 50], // 2
  ["C", "D", 3, 20], // 3
  ["E", "A", 4, 30], // 4
  ["A", "B", 5, 200, 1], // 5 (channel 1)
  ["A", "", 6, 40], // 6 cash withdrawal from A
  ["F", "E", 7, 10], // 7
]);
const id = (name: string) => g.indexOf.get(name) as number;
const name = (i: number) => (i < 0 ? "cash" : g.accounts[i]);
const run = (options: Partial<NeighbourhoodOptions>) =>
  neighbourhood(g, id("A"), { hops: 1, direction: "out", ...options });
const accounts = (r: ReturnType<typeof run>) => r.accounts.map((a) => `${name(a.account)}${a.hop}`);

describe("neighbourhood", () => {
  it("lists accounts hop by hop out of the origin, the origin at hop 0", () => {
    expect(accounts(run({ hops: 1 }))).toEqual(["A0", "B1"]);
    const two = run({ hops: 2 });
    expect(accounts(two)).toEqual(["A0", "B1", "C2"]);
    expect(two.edges).toEqual([1, 5, 2]);
    expect(two.truncated).toBe(false);
    expect(accounts(run({ hops: 3 }))).toEqual(["A0", "B1", "C2", "D3"]);
    expect(accounts(run({ hops: 0 }))).toEqual(["A0"]);
    expect(run({ hops: 0 }).edges).toEqual([]);
  });

  it("follows payments in, or both ways with each edge listed once", () => {
    expect(accounts(run({ hops: 2, direction: "in" }))).toEqual(["A0", "E1", "F2"]);
    const both = run({ hops: 2, direction: "both" });
    // A's out-edges find B, its in-edges E; then B finds C, E finds F.
    expect(accounts(both)).toEqual(["A0", "B1", "E1", "C2", "F2"]);
    // C→D is not followed: C is at the last hop. A→B and E→A are met from both ends, listed once.
    expect([...both.edges].sort((x, y) => x - y)).toEqual([1, 2, 4, 5, 7]);
  });

  it("aggregates what passed between the origin and each counterparty, cash under -1", () => {
    expect(run({ direction: "both" }).counterparties).toEqual([
      { account: -1, direction: "in", count: 1, totalUsd: 500, first: 0, last: 0 },
      { account: id("B"), direction: "out", count: 2, totalUsd: 300, first: 1 * DAY, last: 5 * DAY },
      { account: -1, direction: "out", count: 1, totalUsd: 40, first: 6 * DAY, last: 6 * DAY },
      { account: id("E"), direction: "in", count: 1, totalUsd: 30, first: 4 * DAY, last: 4 * DAY },
    ]);
    // Counterparties only in the direction asked for, whatever the hops.
    expect(run({ hops: 0 }).counterparties.map((c) => name(c.account))).toEqual(["B", "cash"]);
  });

  it("keeps to the filter: time window, minimum amount, channels", () => {
    const early = run({ hops: 3, filter: { to: 1.5 * DAY } });
    expect(accounts(early)).toEqual(["A0", "B1"]);
    expect(early.counterparties).toEqual([
      { account: id("B"), direction: "out", count: 1, totalUsd: 100, first: DAY, last: DAY },
    ]);
    // From day 2 on, A→B on day 5 still leads to B, and B→C on day 2 to C: a neighbourhood is not a trace.
    expect(accounts(run({ hops: 2, filter: { from: 2 * DAY } }))).toEqual(["A0", "B1", "C2"]);
    const big = run({ hops: 2, filter: { minAmountUsd: 150 } });
    expect(accounts(big)).toEqual(["A0", "B1"]);
    expect(big.counterparties.map((c) => [name(c.account), c.totalUsd])).toEqual([["B", 200]]);
    const channel = run({ hops: 2, filter: { channels: new Set([1]) } });
    expect(channel.edges).toEqual([5]);
    expect(channel.counterparties.map((c) => [name(c.account), c.count])).toEqual([["B", 1]]);
  });

  it("stops at the caps and says so", () => {
    const nodes = run({ hops: 2, direction: "both", maxNodes: 2 });
    expect(accounts(nodes)).toEqual(["A0", "B1"]);
    expect(nodes.truncated).toBe(true);
    // One edge per account and direction: A's earliest payment only.
    const perNode = run({ hops: 2, maxEdgesPerNode: 1 });
    expect(perNode.edges).toEqual([1, 2]);
    expect(perNode.truncated).toBe(true);
    // The counterparties stay exact.
    expect(perNode.counterparties.find((c) => c.account === id("B"))?.count).toBe(2);
    const edges = run({ hops: 2, maxEdges: 2 });
    expect(edges.edges).toEqual([1, 5]);
    expect(edges.accounts.length).toBe(3);
    expect(edges.truncated).toBe(true);
  });

  it("stops walking once the account cap is reached, with the edges found until then", () => {
    // O pays hub H; H pays L1, L2, L3; the leaves pay each other. With room for three accounts
    // the walk lists O, H and L1, then stops: the leaves' own edges are never scanned.
    const star = graph([
      ["O", "H", 0, 10], // 0
      ["H", "L1", 1, 5], // 1
      ["H", "L2", 2, 5], // 2
      ["H", "L3", 3, 5], // 3
      ["L1", "L2", 4, 1], // 4
      ["L2", "L3", 5, 1], // 5
    ]);
    const r = neighbourhood(star, star.indexOf.get("O") as number, {
      hops: 3,
      direction: "out",
      maxNodes: 3,
    });
    expect(r.accounts.map((a) => star.accounts[a.account])).toEqual(["O", "H", "L1"]);
    expect(r.edges).toEqual([0, 1]);
    expect(r.truncated).toBe(true);
    const all = neighbourhood(star, star.indexOf.get("O") as number, { hops: 3, direction: "out" });
    expect(all.edges).toEqual([0, 1, 2, 3, 4, 5]);
    expect(all.truncated).toBe(false);
  });

  it("rejects an account not in the graph", () => {
    expect(() => neighbourhood(g, 99, { hops: 1, direction: "out" })).toThrow(/neighbourhood: no account 99/);
  });
});

/**
 * The walk as first written, with a set of the edges taken: the oracle for the walk that tells
 * an edge met twice from where the scans ran (see `neighbourhood`).
 */
function referenceNeighbourhood(h: MoneyGraph, origin: number, options: NeighbourhoodOptions): Neighbourhood {
  const maxNodes = Math.max(1, options.maxNodes ?? 10_000);
  const maxEdgesPerNode = options.maxEdgesPerNode ?? 10_000;
  const maxEdges = options.maxEdges ?? 100_000;
  const accept = edgeFilter(h, options.filter);
  const lowT = options.filter?.from ?? Number.NEGATIVE_INFINITY;
  const highT = options.filter?.to ?? Number.POSITIVE_INFINITY;
  const followOut = options.direction !== "in";
  const followIn = options.direction !== "out";
  const hop = new Map<number, number>([[origin, 0]]);
  const queue = [origin];
  const cap = Math.min(maxNodes, h.accounts.length);
  const edges: number[] = [];
  const taken = new Set<number>();
  let truncated = false;
  const scan = (u: number, list: Int32Array, start: Int32Array, ends: Int32Array) => {
    const lo = seekTime(h, list, start[u] as number, start[u + 1] as number, lowT);
    const hi = seekTime(h, list, lo, start[u + 1] as number, highT, true);
    const stop = Math.min(hi, lo + maxEdgesPerNode);
    if (stop < hi) truncated = true;
    for (let k = lo; k < stop; k++) {
      const e = list[k] as number;
      const v = ends[e] as number;
      if (v < 0 || !accept(e)) continue;
      if (!hop.has(v)) {
        if (queue.length >= cap) {
          truncated = true;
          continue;
        }
        hop.set(v, (hop.get(u) as number) + 1);
        queue.push(v);
      }
      if (followOut && followIn) {
        if (taken.has(e)) continue;
        taken.add(e);
      }
      if (edges.length < maxEdges) edges.push(e);
      else truncated = true;
    }
  };
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as number;
    if ((hop.get(u) as number) >= options.hops) break;
    if (queue.length >= maxNodes) {
      truncated = true;
      break;
    }
    if (followOut) scan(u, h.outEdges, h.outStart, h.to);
    if (followIn) scan(u, h.inEdges, h.inStart, h.from);
  }
  const counterparties: Counterparty[] = [];
  for (const [direction, list, start, ends] of [
    ["out", h.outEdges, h.outStart, h.to],
    ["in", h.inEdges, h.inStart, h.from],
  ] as const) {
    if ((direction === "out" && !followOut) || (direction === "in" && !followIn)) continue;
    const byAccount = new Map<number, Counterparty>();
    for (let k = start[origin] as number; k < (start[origin + 1] as number); k++) {
      const e = list[k] as number;
      if (!accept(e)) continue;
      const other = ends[e] as number;
      const t = h.time[e] as number;
      let c = byAccount.get(other);
      if (c === undefined) {
        c = { account: other, direction, count: 0, totalUsd: 0, first: t, last: t };
        byAccount.set(other, c);
        counterparties.push(c);
      }
      c.count++;
      c.totalUsd += h.amountUsd[e] as number;
      c.last = t;
    }
  }
  counterparties.sort(
    (x, y) =>
      y.totalUsd - x.totalUsd ||
      x.account - y.account ||
      (x.direction === y.direction ? 0 : x.direction === "out" ? -1 : 1),
  );
  return {
    accounts: queue.map((a) => ({ account: a, hop: hop.get(a) as number })),
    counterparties,
    edges,
    truncated,
  };
}

describe("neighbourhood on random graphs", () => {
  it("lists the same accounts, edges and counterparties as the walk with a set of edges taken", () => {
    const rand = random(11);
    const pick = (n: number) => Math.floor(rand() * n);
    for (let seed = 1; seed <= 6; seed++) {
      const h = randomGraph(seed, 40 + 20 * seed, 600 * seed);
      const span = (h.time[h.edgeCount - 1] as number) - (h.time[0] as number);
      for (let k = 0; k < 60; k++) {
        const options: NeighbourhoodOptions = {
          hops: pick(5),
          direction: (["out", "in", "both", "both"] as const)[pick(4)] as Direction,
        };
        if (rand() < 0.5) options.maxNodes = 1 + pick(h.accounts.length);
        if (rand() < 0.5) options.maxEdgesPerNode = 1 + pick(40);
        if (rand() < 0.3) options.maxEdges = pick(200);
        const f = pick(5);
        if (f === 1)
          options.filter = { from: (h.time[0] as number) + span * rand(), to: (h.time[0] as number) + span };
        if (f === 2) options.filter = { minAmountUsd: 100 * pick(20) };
        if (f === 3)
          options.filter = { channels: new Set([pick(4), pick(4)]), to: (h.time[0] as number) + span / 2 };
        const origin = pick(h.accounts.length);
        const want = referenceNeighbourhood(h, origin, options);
        expect(neighbourhood(h, origin, options), `seed ${seed}, case ${k}`).toEqual(want);
      }
    }
  });

  it("gives the same answer twice in a row, and after other queries, as on a graph never queried", () => {
    const h = randomGraph(5, 80, 2000);
    const options: NeighbourhoodOptions = { hops: 3, direction: "both", maxEdgesPerNode: 25 };
    const first = neighbourhood(h, 4, options);
    expect(neighbourhood(h, 4, options)).toEqual(first);
    neighbourhood(h, 7, { hops: 4, direction: "in" });
    neighbourhood(h, 0, { hops: 2, direction: "both", maxNodes: 5000 });
    expect(neighbourhood(h, 4, options)).toEqual(first);
    expect(neighbourhood(randomGraph(5, 80, 2000), 4, options)).toEqual(first);
  });
});
