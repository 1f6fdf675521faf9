import { describe, expect, it } from "vitest";
import { IntSet } from "../../src/util/int-set.js";

describe("IntSet", () => {
  it("agrees with a Set on membership, size and order of first addition, at word edges and past its capacity", () => {
    const size = 5_000;
    const set = new IntSet(size, 2);
    const plain = new Set<number>();
    // Values around every 32-bit word's edges (0, 31, 32, 63, ...), added twice in places.
    const values = [0, 31, 32, 63, 64, size - 1, 31, 1_000, 0, 4_095, 4_096, 2_047, 2_048, 1_000];
    for (let k = 0; k < 3_000; k++) values.push((k * 7_919) % size);
    for (const v of values) expect(set.add(v)).toBe(!plain.has(v) && Boolean(plain.add(v)));
    expect(set.size).toBe(plain.size);
    expect([...set.values()]).toEqual([...plain]);
    for (let v = 0; v < size; v++) expect(set.has(v)).toBe(plain.has(v));
  });

  it("is empty at first", () => {
    const set = new IntSet(100);
    expect(set.size).toBe(0);
    expect(set.has(0)).toBe(false);
    expect(set.has(99)).toBe(false);
    expect(set.values()).toHaveLength(0);
  });
});
