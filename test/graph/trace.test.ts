import { describe, expect, it } from "vitest";
import { TRACE_METHODS } from "../../src/graph/allocation.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { type TraceOptions, type TraceOrigin, traceBackward, traceForward } from "../../src/graph/trace.js";
import { random } from "./columns-of.js";
import { referenceTraceForward } from "./forward-reference.js";
import { DAY, graphOf } from "./graph-of.js";
import { randomGraph } from "./random-graph.js";

const graph = graphOf;

// V (victim) pays M 1,000 on day 1; M already held 500 of its own (from X); M pays A 1,200 on
// day 2, takes 300 cash on day 3; A pays B 600 on day 4. Both directions are worked by hand below.
const LEDGER = graph([
  ["X", "M", 0, 500],
  ["V", "M", 1, 1000],
  ["M", "A", 2, 1200],
  ["M", "", 3, 300],
  ["A", "B", 4, 600],
]);

describe("forward trace", () => {
  const g = LEDGER;
  const name = (i: number) => g.accounts[i];

  it("FIFO: follows 700 to A (500 of M's own went first), 300 out in cash, 350 on to B", () => {
    // A's one credit of 1,200 carries 700 traced: a payment out of that one lot carries its share.
    const r = traceForward(g, { transaction: 1 }, { method: "fifo", hops: 6 });
    expect(r.tracedUsd).toBe(1000);
    const flows = r.flows.map((f) => [f.hop, name(f.from), name(f.to), Math.round(f.amountUsd * 100) / 100]);
    expect(flows).toEqual([
      [1, "V", "M", 1000],
      [2, "M", "A", 700],
      [3, "A", "B", 350],
    ]);
    expect(r.dissipated).toEqual([{ kind: "cash-out", amountUsd: 300, edges: [3] }]);
    expect(r.holders.map((h) => [name(h.account), Math.round(h.amountUsd)])).toEqual([
      ["A", 350],
      ["B", 350],
    ]);
  });

  it("LIBR: M keeps the traced 300 its balance fell to, A passes on only what exceeds its own money", () => {
    const r = traceForward(g, { transaction: 1 }, { method: "libr", hops: 6 });
    const amounts = Object.fromEntries(
      r.flows.map((f) => [`${name(f.from)}>${name(f.to)}`, Math.round(f.amountUsd)]),
    );
    // M: 1,500 → 300 after paying A: 700 traced to A; then the 300 cash takes the last 300.
    expect(amounts).toEqual({ "V>M": 1000, "M>A": 700, "A>B": 100 });
    expect(r.dissipated[0]?.amountUsd).toBeCloseTo(300, 6);
    // A: 1,200 (700 traced) → 600 after paying B: 600 traced stay, 100 went to B.
    expect(r.holders.map((h) => [name(h.account), Math.round(h.amountUsd)])).toEqual([
      ["A", 600],
      ["B", 100],
    ]);
  });

  it("conserves the traced money: held plus dissipated equals what was traced, for every method", () => {
    for (const method of TRACE_METHODS) {
      const r = traceForward(g, { transaction: 1 }, { method, hops: 6 });
      const held = r.holders.reduce((s, h) => s + h.amountUsd, 0);
      const gone = r.dissipated.reduce((s, d) => s + d.amountUsd, 0);
      expect(held + gone, method).toBeCloseTo(r.tracedUsd, 6);
    }
  });

  it("never goes back in time: money reaching an account flows on only by later transactions", () => {
    // B pays C on day 0, before any traced money reaches B (day 2): that payment is not traced.
    const h = graph([
      ["B", "C", 0, 50],
      ["A", "B", 1, 100],
      ["B", "D", 2, 40],
    ]);
    const r = traceForward(h, { transaction: 1 }, { method: "fifo", hops: 6 });
    for (const f of r.flows) {
      for (const e of f.edges) expect(h.time[e]).toBeGreaterThanOrEqual(h.time[1] as number);
    }
    expect(r.flows.some((f) => h.accounts[f.to] === "C")).toBe(false);
  });

  it("stops at the hop limit and says so; traces everything an account paid out", () => {
    const r = traceForward(g, { account: g.indexOf.get("M") as number }, { method: "fifo", hops: 1 });
    expect(r.tracedUsd).toBe(1500);
    expect(r.flows.map((f) => [name(f.from), name(f.to), f.amountUsd])).toEqual([["M", "A", 1200]]);
    expect(r.holders.map((h) => name(h.account))).toEqual(["A"]);
    expect(r.notes.join(" ")).toMatch(/hop 1 is not followed further/);
  });

  it("keeps to the time window", () => {
    const r = traceForward(g, { transaction: 1 }, { method: "fifo", hops: 6, to: 3.5 * DAY });
    expect(r.flows.map((f) => name(f.to))).toEqual(["M", "A"]);
  });
});

describe("accounts the traced money left and reached again", () => {
  // M passes all 100 traced on to A, so the trace stops visiting M; M then takes 50 of its own
  // from X and pays 30 to Y. A sends 40 traced back to M: M's balance catches up on X and Y
  // (20 of its own left, first in line), so of the 45 M pays Z, 25 is traced.
  const h = graph([
    ["V", "M", 1, 100],
    ["M", "A", 2, 100],
    ["X", "M", 3, 50],
    ["M", "Y", 4, 30],
    ["A", "M", 5, 40],
    ["M", "Z", 6, 45],
  ]);
  const name = (i: number) => h.accounts[i];

  it("picks up where it left off, with the balance the account has by then", () => {
    const r = traceForward(h, { transaction: 0 }, { method: "fifo", hops: 6 });
    expect(r.flows.map((f) => [f.hop, name(f.from), name(f.to), f.amountUsd])).toEqual([
      [1, "V", "M", 100],
      [2, "M", "A", 100],
      [2, "M", "Z", 25],
      [3, "A", "M", 40],
    ]);
    expect(r.holders.map((x) => [name(x.account), x.amountUsd])).toEqual([
      ["A", 60],
      ["Z", 25],
      ["M", 15],
    ]);
    expect(r.dissipated).toEqual([]);
  });
});

describe("materiality threshold", () => {
  // M receives 1,000 traced (from V) on top of 9,000 of its own; pro-rata, its payment of 50 to S
  // carries 5 traced, its payment of 5,000 to A carries 500, and A passes 100 (10 traced) to B.
  const h = graph([
    ["X", "M", 0, 9000],
    ["V", "M", 1, 1000],
    ["M", "S", 2, 50],
    ["M", "A", 3, 5000],
    ["A", "B", 4, 100],
  ]);
  const name = (i: number) => h.accounts[i];

  it("does not follow traced amounts under the threshold, and lists them as below-threshold", () => {
    const r = traceForward(h, { transaction: 1 }, { method: "pro-rata", hops: 6, minFlowUsd: 20 });
    expect(r.minFlowUsd).toBe(20);
    expect(r.flows.map((f) => [name(f.from), name(f.to), Math.round(f.amountUsd)])).toEqual([
      ["V", "M", 1000],
      ["M", "A", 500],
    ]);
    expect(r.dissipated.map((d) => [d.kind, Math.round(d.amountUsd), d.edges])).toEqual([
      ["below-threshold", 15, [2, 4]],
    ]);
    expect(r.notes.some((n) => /under 20\.00 USD are not followed/.test(n))).toBe(true);
    const held = r.holders.reduce((s, x) => s + x.amountUsd, 0);
    expect(held + 15).toBeCloseTo(1000, 6);
  });

  it("takes a share of the traced amount as the threshold; 0 follows every cent", () => {
    const share = traceForward(h, { transaction: 1 }, { method: "pro-rata", hops: 6, minFlowShare: 0.01 });
    expect(share.minFlowUsd).toBe(10);
    // 5 to S is under 10; the 10 that reaches B is not.
    expect(share.flows.map((f) => name(f.to))).toEqual(["M", "A", "B"]);
    const all = traceForward(h, { transaction: 1 }, { method: "pro-rata", hops: 6 });
    expect(all.minFlowUsd).toBe(0);
    expect(all.flows.map((f) => name(f.to)).sort()).toEqual(["A", "B", "M", "S"]);
    expect(all.dissipated).toEqual([]);
  });

  it("applies backward too: payments that funded less than the threshold are not followed", () => {
    // Backward from A's payment to B (100): pro-rata, M's 5,000 to A paid all of it; M's money
    // was 90% X's and 10% V's, so V's part (10) is under 20 and stops there.
    const r = traceBackward(h, { transaction: 4 }, { method: "pro-rata", hops: 6, minFlowUsd: 20 });
    expect(r.flows.map((f) => [name(f.from), name(f.to), Math.round(f.amountUsd)])).toEqual([
      ["A", "B", 100],
      ["M", "A", 100],
      ["X", "M", 90],
    ]);
    expect(r.dissipated.find((d) => d.kind === "below-threshold")?.edges).toEqual([1]);
  });
});

describe("backward trace", () => {
  const g = LEDGER;
  const name = (i: number) => (i < 0 ? "cash" : g.accounts[i]);
  const flows = (method: "fifo" | "lifo" | "pro-rata") =>
    traceBackward(g, { transaction: 4 }, { method, hops: 6 }).flows.map((f) => [
      f.hop,
      name(f.from),
      name(f.to),
      Math.round(f.amountUsd * 100) / 100,
    ]);

  it("FIFO: the 600 A paid B came from M's payment, which M made of X's 500 then V's 700", () => {
    // M's 1,200 = 500 (X) + 700 (V); half of it reached B: 250 from X, 350 from V.
    expect(flows("fifo")).toEqual([
      [1, "A", "B", 600],
      [2, "M", "A", 600],
      [3, "V", "M", 350],
      [3, "X", "M", 250],
    ]);
  });

  it("LIFO and pro-rata attribute the same payment differently", () => {
    // LIFO: 1,200 = 1,000 (V) + 200 (X) → halves 500 and 100. Pro-rata: 1,200/1,500 of each → 400 and 200.
    expect(flows("lifo").slice(2)).toEqual([
      [3, "V", "M", 500],
      [3, "X", "M", 100],
    ]);
    expect(flows("pro-rata").slice(2)).toEqual([
      [3, "V", "M", 400],
      [3, "X", "M", 200],
    ]);
  });

  it("ends at money from before the window, and at the hop limit with the accounts reached", () => {
    const r = traceBackward(g, { transaction: 4 }, { method: "fifo", hops: 6 });
    // X and V had nothing in the window before paying M: what they paid came from before it.
    expect(r.dissipated).toEqual([{ kind: "opening-balance", amountUsd: 600, edges: [0, 1] }]);
    expect(r.holders).toEqual([]);
    const short = traceBackward(g, { transaction: 4 }, { method: "fifo", hops: 2 });
    expect(short.holders.map((h) => [name(h.account), h.amountUsd])).toEqual([["M", 600]]);
  });

  it("always steps back in time", () => {
    const r = traceBackward(g, { account: g.indexOf.get("B") as number }, { method: "pro-rata", hops: 6 });
    const byHop = new Map<number, number[]>();
    for (const f of r.flows)
      byHop.set(f.hop, [...(byHop.get(f.hop) ?? []), ...f.edges.map((e) => g.time[e] as number)]);
    for (let hop = 2; byHop.has(hop); hop++) {
      expect(Math.max(...(byHop.get(hop) as number[]))).toBeLessThan(
        Math.max(...(byHop.get(hop - 1) as number[])),
      );
    }
  });
});

describe("forward trace on random graphs", () => {
  // Hubs, sinks, cash, self-transfers and payments at the same instant: every path of the trace
  // (accounts paused and resumed, credits applied late, money left at the last hop) is taken.
  const cases = (h: MoneyGraph, seed: number): [TraceOrigin, TraceOptions][] => {
    const rand = random(seed);
    const pick = (n: number) => Math.floor(rand() * n);
    const span = (h.time[h.edgeCount - 1] as number) - (h.time[0] as number);
    const out: [TraceOrigin, TraceOptions][] = [];
    for (const method of TRACE_METHODS) {
      for (let k = 0; k < 12; k++) {
        const origin: TraceOrigin =
          k % 3 === 0
            ? { account: pick(3) }
            : k % 3 === 1
              ? { account: pick(h.accounts.length) }
              : { transaction: pick(h.edgeCount) };
        const options: TraceOptions = { method, hops: 1 + pick(6) };
        if (k % 4 === 1) options.minFlowShare = [0.0001, 0.01, 0.1][pick(3)] as number;
        if (k % 4 === 2) options.minFlowUsd = 10 * pick(100);
        if (k % 5 === 3) {
          options.from = (h.time[0] as number) + span * rand() * 0.5;
          options.to = (options.from as number) + span * rand();
        }
        out.push([origin, options]);
      }
    }
    return out;
  };

  it("gives exactly the result of the plain trace (every edge visited, credits as they come)", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const h = randomGraph(seed, 30 + 15 * seed, 800 * seed);
      for (const [origin, options] of cases(h, seed)) {
        const label = `seed ${seed}: ${JSON.stringify(origin)} ${JSON.stringify(options)}`;
        expect(traceForward(h, origin, options), label).toEqual(referenceTraceForward(h, origin, options));
      }
    }
  });

  it("gives the same answer twice in a row, and after other traces, as on a graph never traced", () => {
    const h = randomGraph(3, 70, 3000);
    for (const method of TRACE_METHODS) {
      const options: TraceOptions = { method, hops: 6, minFlowShare: 0.001 };
      const first = traceForward(h, { account: 1 }, options);
      expect(traceForward(h, { account: 1 }, options)).toEqual(first);
      traceForward(h, { account: 0 }, { method, hops: 4 });
      traceForward(h, { transaction: 17 }, { method: "fifo", hops: 6 });
      expect(traceForward(h, { account: 1 }, options)).toEqual(first);
      expect(traceForward(randomGraph(3, 70, 3000), { account: 1 }, options)).toEqual(first);
    }
  });
});
