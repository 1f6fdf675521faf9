import { describe, expect, it } from "vitest";
import { FlowBook } from "../../src/graph/flow-book.js";
import { random } from "./columns-of.js";

describe("FlowBook", () => {
  it("sums each (hop, payer, payee) in the order added, and lists by hop, then largest first", () => {
    const book = new FlowBook(true);
    book.add(2, 5, 6, 10, 0.1);
    book.add(1, -1, 5, 3, 40);
    book.add(2, 5, 6, 12, 0.2);
    book.add(1, 7, 5, 4, 50);
    expect(book.list()).toEqual([
      { hop: 1, from: 7, to: 5, amountUsd: 50, edges: [4] },
      { hop: 1, from: -1, to: 5, amountUsd: 40, edges: [3] },
      { hop: 2, from: 5, to: 6, amountUsd: 0.1 + 0.2, edges: [10, 12] },
    ]);
  });

  it("lists an edge once per flow when edges can come again (backward), the amount every time", () => {
    const book = new FlowBook(false);
    book.add(3, 1, 2, 9, 5);
    book.add(3, 1, 2, 9, 7);
    book.add(4, 1, 2, 9, 1);
    expect(book.list()).toEqual([
      { hop: 3, from: 1, to: 2, amountUsd: 12, edges: [9] },
      { hop: 4, from: 1, to: 2, amountUsd: 1, edges: [9] },
    ]);
  });

  it("orders ties as a map by payer and hop, then by payee, would (thousands of flows, rehashed)", () => {
    const rand = random(4);
    const book = new FlowBook(true);
    const byPayer = new Map<
      number,
      Map<number, { hop: number; from: number; to: number; amountUsd: number; edges: number[] }>
    >();
    for (let e = 0; e < 20_000; e++) {
      const hop = 1 + Math.floor(rand() * 3);
      const from = Math.floor(rand() * 50) - 1;
      const to = Math.floor(rand() * 400);
      // Few distinct amounts: many ties.
      const amount = Math.floor(rand() * 4);
      book.add(hop, from, to, e, amount);
      const key = (from + 1) * 64 + hop;
      const inner = byPayer.get(key) ?? new Map();
      byPayer.set(key, inner);
      const flow = inner.get(to) ?? { hop, from, to, amountUsd: 0, edges: [] };
      inner.set(to, flow);
      flow.amountUsd += amount;
      flow.edges.push(e);
    }
    const want = [...byPayer.values()]
      .flatMap((inner) => [...inner.values()])
      .sort((x, y) => x.hop - y.hop || y.amountUsd - x.amountUsd);
    expect(book.list()).toEqual(want);
  });
});
