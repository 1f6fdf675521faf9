import { describe, expect, it } from "vitest";
import { type NeighbourhoodOptions, neighbourhood } from "../../src/graph/neighbourhood.js";
import { DAY, graphOf } from "./graph-of.js";

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
