import { describe, expect, it } from "vitest";
import { buildMoneyGraph } from "../../src/graph/money-graph.js";
import { columnsOf } from "./columns-of.js";

describe("buildMoneyGraph", () => {
  const columns = () =>
    columnsOf([
      ["A", "B", 10, 1, 2],
      ["B", "C", 20, 1, 3],
      ["C", "A", 30, 1, 4],
      ["A", "C", 40, 1, 5],
    ]);

  it("refuses edges out of time order", () => {
    const c = columns();
    c.time[2] = 5;
    expect(() => buildMoneyGraph(c)).toThrow(/time order/);
  });

  it("checks the placed edges against their neighbours when told where the new ones went", () => {
    expect(buildMoneyGraph(columns(), undefined, Int32Array.from([1, 3])).edgeCount).toBe(4);
    // A placed edge before the one ahead of it, or after the one behind it: refused.
    for (const [edge, time] of [
      [1, 5],
      [1, 35],
      [3, 25],
    ] as const) {
      const c = columns();
      c.time[edge] = time;
      expect(() => buildMoneyGraph(c, undefined, Int32Array.from([edge]))).toThrow(/time order/);
    }
  });
});
