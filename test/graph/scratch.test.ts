import { describe, expect, it } from "vitest";
import { AccountAmounts, AccountInts, withScratch } from "../../src/graph/scratch.js";

describe("per-graph scratch", () => {
  it("forgets every value when cleared, without touching the rest", () => {
    const ints = new AccountInts(10, -1);
    ints.clear();
    ints.set(3, 7);
    expect([ints.get(3), ints.get(4)]).toEqual([7, -1]);
    ints.clear();
    expect(ints.get(3)).toBe(-1);
    const amounts = new AccountAmounts(10);
    amounts.clear();
    amounts.add(2, 1.5);
    amounts.add(9, 0);
    amounts.add(2, 2);
    expect([amounts.get(2), amounts.get(9), amounts.accounts]).toEqual([3.5, 0, [2, 9]]);
    amounts.clear();
    amounts.add(9, 1);
    expect([amounts.get(2), amounts.get(9), amounts.accounts]).toEqual([0, 1, [9]]);
  });

  it("keeps one scratch per graph and kind; one asked for while in use is a new one", () => {
    const g = { accounts: ["a", "b", "c"] };
    const make = (size: number) => ({ size, id: Math.random() });
    const first = withScratch(g, "k", make, (s) => s);
    expect(withScratch(g, "k", make, (s) => s)).toBe(first);
    expect(withScratch(g, "other", make, (s) => s)).not.toBe(first);
    expect(withScratch({ accounts: ["a"] }, "k", make, (s) => s)).not.toBe(first);
    const inner = withScratch(g, "k", make, (outer) => withScratch(g, "k", make, (s) => [outer, s]));
    expect(inner[0]).toBe(first);
    expect(inner[1]).not.toBe(first);
    // A failed query gives its scratch back too.
    expect(() =>
      withScratch(g, "k", make, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(withScratch(g, "k", make, (s) => s)).toBe(first);
  });
});
