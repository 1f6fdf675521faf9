import { describe, expect, it } from "vitest";
import { accountNodes, collapseToEntities, nodeNamed } from "../../src/graph/entity-view.js";
import { neighbourhood } from "../../src/graph/neighbourhood.js";
import { traceForward } from "../../src/graph/trace.js";
import { graphOf } from "./graph-of.js";

// A1 and A2 are one person's accounts at two banks: X pays A1, A1 moves it to A2, A2 pays Y.
const rows = [
  ["X", "A1", 1, 100],
  ["A1", "A2", 2, 100],
  ["A2", "Y", 3, 60],
  ["J", "Y", 4, 10],
  ["A2", "A2", 5, 5],
] as const;
const holders = [
  { account: "A1", entity_id: "E0000001" },
  { account: "A2", entity_id: "E0000001" },
  { account: "J", entity_id: "E0000001" },
  { account: "J", entity_id: "E0000002" },
  { account: "Y", entity_id: "E0000003" },
];

describe("the graph collapsed to resolved entities", () => {
  const g = graphOf(rows.map((r) => [...r]));
  const view = collapseToEntities(g, holders);
  const v = view.graph;
  const node = (key: string) => nodeNamed(view, key) as number;

  it("makes one node of an entity's accounts, keeps joint and unresolved accounts apart", () => {
    expect(v.accounts).toEqual(["E0000001", "E0000003", "J", "X"]);
    expect(view.members).toEqual([["A1", "A2"], ["Y"], ["J"], ["X"]]);
    expect([...view.isEntity]).toEqual([1, 1, 0, 0]);
    expect(view.joint).toEqual(["J"]);
    expect(node("A2")).toBe(node("E0000001"));
    expect(accountNodes(view).get("Y")).toBe(node("E0000003"));
    expect(nodeNamed(view, "nobody")).toBeUndefined();
  });

  it("leaves transfers between an entity's own accounts out, and keeps every other edge's evidence", () => {
    expect(view.internal).toEqual({ transfers: 1, amountUsd: 100 });
    expect(v.edgeCount).toBe(4);
    // Lines of the kept rows (row i is on line i + 2): the A1 → A2 transfer (line 3) is gone.
    expect([...v.line]).toEqual([2, 4, 5, 6]);
    expect([...v.from].map((n) => v.accounts[n])).toEqual(["X", "E0000001", "J", "E0000001"]);
    expect([...v.to].map((n) => v.accounts[n])).toEqual(["E0000001", "E0000003", "E0000003", "E0000001"]);
    // An account paying itself is kept, as in the account view.
    expect(v.outEdges.subarray(v.outStart[node("E0000001")], v.outStart[node("E0000001") + 1])).toEqual(
      Int32Array.of(1, 3),
    );
  });

  it("traces money through an entity as one pool: one hop fewer than by account", () => {
    const byAccount = traceForward(g, { account: g.indexOf.get("X") as number }, { method: "fifo", hops: 6 });
    const byEntity = traceForward(v, { account: node("X") }, { method: "fifo", hops: 6 });
    expect(Math.max(...byAccount.flows.map((f) => f.hop))).toBe(3);
    expect(Math.max(...byEntity.flows.map((f) => f.hop))).toBe(2);
    const holds = new Map(byEntity.holders.map((h) => [v.accounts[h.account], h.amountUsd]));
    expect(holds.get("E0000003")).toBeCloseTo(60);
    expect(holds.get("E0000001")).toBeCloseTo(40);
  });

  it("aggregates an entity's counterparties over all its accounts", () => {
    const n = neighbourhood(v, node("E0000001"), { hops: 1, direction: "both" });
    const counterparties = n.counterparties
      .filter((c) => c.account !== node("E0000001"))
      .map((c) => [v.accounts[c.account], c.direction, c.totalUsd]);
    expect(counterparties).toEqual(
      expect.arrayContaining([
        ["X", "in", 100],
        ["E0000003", "out", 60],
      ]),
    );
  });

  it("refuses an account key that reads like an entity id rather than merge two nodes", () => {
    const clash = graphOf([["E0000001", "A1", 1, 5]]);
    expect(() => collapseToEntities(clash, [{ account: "A1", entity_id: "E0000001" }])).toThrow(/same key/);
  });
});
