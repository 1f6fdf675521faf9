import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/generate/random.js";
import { louvain } from "../../src/graph/communities.js";
import { cyclesThrough } from "../../src/graph/cycles.js";
import { buildMoneyGraph } from "../../src/graph/money-graph.js";
import { weightedUndirected } from "../../src/graph/undirected.js";
import { generatedWorkspace } from "../generated-workspace.js";
import { tempDir, withStore } from "../helpers.js";

/**
 * The graph's analyses on a generated world, against its truth: Louvain, weighted by amount,
 * keeps the members of planted rings together (their money is large against everyday spending)
 * where accounts drawn at random are scattered; cycle search finds every planted cycle whole.
 */
const t = tempDir();
afterAll(t.cleanup);

/** The share of a set of accounts in its most common community. */
function cohesion(community: Int32Array, accounts: number[]): number {
  const counts = new Map<number, number>();
  for (const a of accounts) counts.set(community[a] as number, (counts.get(community[a] as number) ?? 0) + 1);
  return Math.max(...counts.values()) / accounts.length;
}

describe("the graph of a generated world", () => {
  it("groups planted rings into communities (not random account sets), and finds every planted cycle", async () => {
    const { world, ws } = await generatedWorkspace(t.dir, 3);
    const g = buildMoneyGraph(await withStore(ws, (s) => s.edgeColumns()));
    const { community, count } = louvain(weightedUndirected(g, { weight: "amount" }), { seed: 1 });
    expect(count).toBeGreaterThan(10);

    const rings = new Map<string, number[]>();
    for (const line of readFileSync(join(world, "truth", "accounts.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)) {
      const [account, typology, instance] = line.split(",") as [string, string, string];
      if (!["cycle", "bipartite", "stack", "scatter-gather"].includes(typology)) continue;
      const index = g.indexOf.get(account);
      if (index !== undefined) rings.set(instance, [...(rings.get(instance) ?? []), index]);
    }
    expect(rings.size).toBeGreaterThanOrEqual(16);
    const planted = [...rings.values()].map((members) => cohesion(community, members));
    const rng = new Rng(9);
    const random = [...rings.values()].map((members) =>
      cohesion(
        community,
        Array.from({ length: members.length }, () => rng.int(g.accounts.length)),
      ),
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(planted)).toBeGreaterThanOrEqual(0.85);
    expect(mean(random)).toBeLessThan(0.5);

    // Every planted cycle is found, whole, among the temporally ordered cycles through its first payer.
    const cycleLines = new Map<string, number[]>();
    for (const line of readFileSync(join(world, "truth", "transactions.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)) {
      const [at, , typology, instance] = line.split(",") as [string, string, string, string];
      if (typology === "cycle") cycleLines.set(instance, [...(cycleLines.get(instance) ?? []), Number(at)]);
    }
    const edgeAt = new Map<number, number>();
    for (let e = 0; e < g.edgeCount; e++) edgeAt.set(g.line[e] as number, e);
    expect(cycleLines.size).toBeGreaterThanOrEqual(4);
    for (const [instance, lines] of cycleLines) {
      const edges = lines.map((l) => edgeAt.get(l) as number).sort((a, b) => a - b);
      const start = g.from[edges[0] as number] as number;
      const found = cyclesThrough(g, start, { maxLength: 12 }).cycles.map((c) =>
        [...c.edges].sort((a, b) => a - b).join(","),
      );
      expect(found, instance).toContain(edges.join(","));
    }
  }, 60_000);
});
