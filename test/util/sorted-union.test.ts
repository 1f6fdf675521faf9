import { describe, expect, it } from "vitest";
import { mergeKeys } from "../../src/util/sorted-union.js";
import { random } from "../graph/columns-of.js";

describe("mergeKeys", () => {
  // The store's order: UTF-8 bytes.
  const byBytes = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));
  it("gives the sorted union and each list's places in it, however many keys come and wherever they fall", () => {
    const r = random(11);
    // Keys that differ first at a character past U+FFFF or in U+E000–U+FFFF, where UTF-16's
    // order is not the store's.
    const pool = Array.from(
      { length: 400 },
      (_, i) => `acc${Math.floor(i / 3)}${["a", "\uFFFD", "😀"][i % 3]}${i}`,
    );
    const sample = (n: number) =>
      [...new Set(Array.from({ length: n }, () => pool[Math.floor(r() * pool.length)] as string))].sort(
        byBytes,
      );
    // Few new keys among many, as many as the old, none, all before, all after, all shared.
    const cases: [string[], string[]][] = [
      [sample(300), sample(3)],
      [sample(300), sample(200)],
      [sample(300), []],
      [[], sample(20)],
      [pool.slice(100).sort(byBytes), pool.slice(0, 10).sort(byBytes)],
      [pool.slice(0, 300).sort(byBytes), pool.slice(390).sort(byBytes)],
      [pool.slice(0, 50).sort(byBytes), pool.slice(10, 20).sort(byBytes)],
    ];
    for (const [a, b] of cases) {
      const { keys, fromA, fromB } = mergeKeys(a, b);
      expect(keys).toEqual([...new Set([...a, ...b])].sort(byBytes));
      expect([...fromA].map((k) => keys[k])).toEqual(a);
      expect([...fromB].map((k) => keys[k])).toEqual(b);
    }
  });
});
