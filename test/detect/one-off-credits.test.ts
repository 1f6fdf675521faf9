import { describe, expect, it } from "vitest";
import { oneOffCredits } from "../../src/detect/flows.js";
import { oneOffEdges } from "../../src/detect/one-off.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";

/**
 * `oneOffCredits` reads the graph's one-off flags when it has them (carried from the last run's
 * graph, or asked for by another detector) and works them out itself otherwise: the answers are
 * the same, payments to oneself (which the flags never mark) included.
 */
function rows(): Row[] {
  let s = 7;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const out: Row[] = [];
  for (let i = 0; i < 3000; i++) {
    const a = `a${Math.floor(next() * 60)}`;
    const b = `a${Math.floor(next() * 60)}`;
    const r = next();
    // Days over two months: pairs that repeat within a week and beyond it; some cash, some to oneself.
    out.push([r < 0.05 ? "" : a, r > 0.95 ? "" : r > 0.9 ? a : b, Math.floor(i / 50), 100]);
  }
  return out;
}

describe("oneOffCredits", () => {
  it("answers as the one-off flags do, with or without them at hand, payments to oneself too", () => {
    const relationship = 7 * DAY;
    const own = graphOf(rows());
    const withFlags = graphOf(rows());
    oneOffEdges(withFlags, relationship);
    const computed = oneOffCredits(own, relationship);
    const read = oneOffCredits(withFlags, relationship);
    let yes = 0;
    let self = 0;
    for (let e = 0; e < own.edgeCount; e++) {
      const answer = computed(e);
      expect(read(e)).toBe(answer);
      if (answer) yes++;
      if (answer && own.from[e] === own.to[e]) self++;
    }
    // Both answers, and payments to oneself among the one-offs.
    expect(yes).toBeGreaterThan(0);
    expect(yes).toBeLessThan(own.edgeCount);
    expect(self).toBeGreaterThan(0);
  });
});
