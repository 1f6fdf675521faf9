import { describe, expect, it } from "vitest";
import { type Cycle, cyclesInWindow, cyclesThrough } from "../../src/graph/cycles.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { DAY, graphOf } from "./graph-of.js";

const graph = graphOf;

const WHOLE = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
const names = (g: MoneyGraph, c: Cycle) => c.accounts.map((a) => g.accounts[a]).join("");

describe("cycles", () => {
  it("finds a planted ring of four at increasing times, once, from the account it starts at", () => {
    const g = graph([
      ["X", "A", 0, 1000], // 0: noise
      ["A", "B", 1, 100], // 1
      ["B", "C", 2, 95], // 2
      ["C", "D", 3, 90], // 3
      ["D", "A", 4, 85], // 4
      ["D", "", 5, 10], // 5: cash out
    ]);
    const r = cyclesThrough(g, g.indexOf.get("A") as number);
    expect(r.truncated).toBe(false);
    expect(r.cycles.map((c) => [c.edges, names(g, c), c.spanMs, c.minRetention])).toEqual([
      [[1, 2, 3, 4], "ABCD", 3 * DAY, 85 / 90],
    ]);
    expect(cyclesInWindow(g, WHOLE).cycles.map((c) => c.edges)).toEqual([[1, 2, 3, 4]]);
    // Money leaving B on day 2 does not come back to B: the ring starts at A.
    expect(cyclesThrough(g, g.indexOf.get("B") as number).cycles).toEqual([]);
  });

  it("does not find the ring when one payment is earlier than the one before it", () => {
    const g = graph([
      ["A", "B", 1, 100], // 0
      ["B", "C", 2, 95], // 1
      ["D", "A", 3, 85], // 2: before C pays D
      ["C", "D", 4, 90], // 3
    ]);
    expect(cyclesInWindow(g, WHOLE).cycles).toEqual([]);
    for (let a = 0; a < 4; a++) expect(cyclesThrough(g, a).cycles).toEqual([]);
  });

  it("needs strictly increasing times", () => {
    const g = graph([
      ["A", "B", 1, 100],
      ["B", "A", 1, 100],
    ]);
    expect(cyclesInWindow(g, WHOLE).cycles).toEqual([]);
  });

  it("does not find the ring when an amount drops below the retention, nor beyond the span", () => {
    const g = graph([
      ["A", "B", 1, 100], // 0
      ["B", "C", 2, 95], // 1
      ["C", "D", 3, 50], // 2: 50 < 0.8 × 95
      ["D", "A", 4, 48], // 3
    ]);
    const a = g.indexOf.get("A") as number;
    expect(cyclesThrough(g, a).cycles).toEqual([]);
    const loose = cyclesThrough(g, a, { minRetention: 0.5 }).cycles;
    expect(loose.map((c) => [c.edges, c.minRetention])).toEqual([[[0, 1, 2, 3], 50 / 95]]);
    expect(cyclesThrough(g, a, { minRetention: 0.5, maxSpanMs: 3 * DAY - 1 }).cycles).toEqual([]);
    expect(cyclesThrough(g, a, { minRetention: 0.5, maxSpanMs: 3 * DAY }).cycles.length).toBe(1);
    expect(cyclesThrough(g, a, { minRetention: 0.5, maxLength: 3 }).cycles).toEqual([]);
  });

  describe("overlapping rings", () => {
    // Four cycles, each with its own first payment: ABC from 0, AB from 0 via 4, BCA from 1, AB from 3.
    const g = graph([
      ["A", "B", 1, 100], // 0
      ["B", "C", 2, 100], // 1
      ["C", "A", 3, 100], // 2
      ["A", "B", 4, 100], // 3
      ["B", "A", 5, 100], // 4
    ]);
    const all = [
      [0, 1, 2],
      [0, 4],
      [1, 2, 3],
      [3, 4],
    ];

    it("reports every cycle in the window once, from its earliest payment", () => {
      const r = cyclesInWindow(g, WHOLE);
      expect(r.cycles.map((c) => c.edges)).toEqual(all);
      expect(r.cycles.map((c) => names(g, c))).toEqual(["ABC", "AB", "BCA", "AB"]);
      expect(r.truncated).toBe(false);
      // Each cycle starts at exactly one account: the cycles through each account add up to them.
      const through = [0, 1, 2].flatMap((a) => cyclesThrough(g, a).cycles.map((c) => c.edges));
      expect(through.sort()).toEqual([...all].sort());
    });

    it("keeps to the window, the filter and the length", () => {
      expect(cyclesInWindow(g, { from: 2 * DAY, to: 5 * DAY }).cycles.map((c) => c.edges)).toEqual([
        [1, 2, 3],
        [3, 4],
      ]);
      expect(cyclesInWindow(g, { from: DAY, to: 3 * DAY }).cycles.map((c) => c.edges)).toEqual([[0, 1, 2]]);
      expect(cyclesInWindow(g, { ...WHOLE, filter: { to: 3 * DAY } }).cycles.map((c) => c.edges)).toEqual([
        [0, 1, 2],
      ]);
      expect(cyclesInWindow(g, { ...WHOLE, maxLength: 2 }).cycles.map((c) => c.edges)).toEqual([
        [0, 4],
        [3, 4],
      ]);
    });

    it("stops at the caps and says so", () => {
      const two = cyclesInWindow(g, { ...WHOLE, maxCycles: 2 });
      expect(two.cycles.map((c) => c.edges)).toEqual(all.slice(0, 2));
      expect(two.truncated).toBe(true);
      expect(cyclesInWindow(g, { ...WHOLE, maxCycles: 4 }).truncated).toBe(false);
      const short = cyclesInWindow(g, { ...WHOLE, maxExpansions: 3 });
      expect(short.truncated).toBe(true);
      expect(short.cycles.length).toBeLessThan(4);
      const through = cyclesThrough(g, 0, { maxCycles: 1 });
      expect(through.cycles.map((c) => c.edges)).toEqual([[0, 1, 2]]);
      expect(through.truncated).toBe(true);
    });
  });

  it("leaves cash and self-transfers out", () => {
    const g = graph([
      ["A", "A", 1, 100],
      ["A", "", 2, 100],
      ["", "A", 3, 100],
    ]);
    expect(cyclesInWindow(g, WHOLE).cycles).toEqual([]);
    expect(cyclesThrough(g, 0).cycles).toEqual([]);
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
function randomGraph(seed: number, n: number, m: number, days: number): MoneyGraph {
  const rand = lcg(seed);
  const rows: [string, string, number, number][] = [];
  const account = () => `a${String(Math.floor(rand() * n)).padStart(2, "0")}`;
  for (let i = 0; i < m; i++) {
    const cash = rand();
    rows.push([
      cash < 0.05 ? "" : account(),
      cash > 0.95 ? "" : account(),
      Math.floor(rand() * days),
      50 + Math.floor(rand() * 100),
    ]);
  }
  rows.sort((x, y) => x[2] - y[2]);
  return graph(rows);
}

/** Every cycle by the rule, by brute force over all edges: the reference the search must agree with. */
function allCycles(g: MoneyGraph, maxLength: number, maxSpan: number, retention: number): string[] {
  const found: string[] = [];
  const walk = (path: number[], seen: number[]) => {
    const last = path[path.length - 1] as number;
    for (let e = 0; e < g.edgeCount; e++) {
      const w = g.to[e] as number;
      if (g.from[e] !== g.to[last] || w < 0) continue;
      if ((g.time[e] as number) <= (g.time[last] as number)) continue;
      if ((g.time[e] as number) - (g.time[path[0] as number] as number) > maxSpan) continue;
      if ((g.amountUsd[e] as number) < retention * (g.amountUsd[last] as number)) continue;
      if (w === seen[0]) found.push([...path, e].join(","));
      else if (!seen.includes(w) && path.length + 1 < maxLength) walk([...path, e], [...seen, w]);
    }
  };
  for (let e = 0; e < g.edgeCount; e++) {
    const [a, b] = [g.from[e] as number, g.to[e] as number];
    if (a >= 0 && b >= 0 && a !== b) walk([e], [a, b]);
  }
  return found.sort();
}

function expectRule(g: MoneyGraph, c: Cycle, maxLength: number, maxSpan: number, retention: number): void {
  const L = c.edges.length;
  expect(L).toBeGreaterThanOrEqual(2);
  expect(L).toBeLessThanOrEqual(maxLength);
  expect(new Set(c.accounts).size).toBe(L);
  for (let i = 0; i < L; i++) {
    const e = c.edges[i] as number;
    expect(g.from[e]).toBe(c.accounts[i]);
    expect(g.to[e]).toBe(c.accounts[(i + 1) % L]);
    if (i > 0) {
      const before = c.edges[i - 1] as number;
      expect(g.time[e]).toBeGreaterThan(g.time[before] as number);
      expect(g.amountUsd[e]).toBeGreaterThanOrEqual(retention * (g.amountUsd[before] as number));
    }
  }
  expect(c.spanMs).toBe(
    (g.time[c.edges[L - 1] as number] as number) - (g.time[c.edges[0] as number] as number),
  );
  expect(c.spanMs).toBeLessThanOrEqual(maxSpan);
}

describe("cycles on a random graph", () => {
  const g = randomGraph(11, 8, 120, 40);
  const rule = { maxLength: 5, maxSpanMs: 20 * DAY, minRetention: 0.8 };

  it("finds exactly the cycles brute force finds, each simple, temporally ordered and within the rule", () => {
    const expected = allCycles(g, rule.maxLength, rule.maxSpanMs, rule.minRetention);
    expect(expected.length).toBeGreaterThan(20);
    const r = cyclesInWindow(g, { ...WHOLE, ...rule, maxCycles: 100_000 });
    expect(r.truncated).toBe(false);
    for (const c of r.cycles) expectRule(g, c, rule.maxLength, rule.maxSpanMs, rule.minRetention);
    expect(r.cycles.map((c) => c.edges.join(",")).sort()).toEqual(expected);
    const through = g.accounts.flatMap((_, a) => cyclesThrough(g, a, { ...rule, maxCycles: 100_000 }).cycles);
    for (const c of through) expectRule(g, c, rule.maxLength, rule.maxSpanMs, rule.minRetention);
    expect(through.map((c) => c.edges.join(",")).sort()).toEqual(expected);
  });

  it("stays within the rule when capped", () => {
    const r = cyclesInWindow(g, { ...WHOLE, ...rule, maxCycles: 5 });
    expect(r.truncated).toBe(true);
    expect(r.cycles.length).toBe(5);
    for (const c of r.cycles) expectRule(g, c, rule.maxLength, rule.maxSpanMs, rule.minRetention);
  });
});
