import { describe, expect, it } from "vitest";
import { AliasTable } from "../../src/generate/alias-table.js";
import { putAmount, putDigits, putSlice, putUint } from "../../src/generate/bytes.js";
import { Rng } from "../../src/generate/random.js";

/** The byte writers behind every transaction line write what the obvious string code would. */
describe("byte writers", () => {
  const buf = new Uint8Array(64);
  const text = (end: number, start = 0) => Buffer.from(buf.subarray(start, end)).toString("latin1");

  it("writes integers as String does, at every length", () => {
    const rng = new Rng(7);
    const samples = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65_535, 2 ** 31, 2 ** 32 + 5, 999_999_999_999_999];
    for (let k = 0; k < 2000; k++) samples.push(Math.floor(rng.next() * 10 ** rng.int(16)));
    for (const n of samples) {
      const end = putUint(buf, 3, n);
      expect(text(end, 3)).toBe(String(n));
      expect(text(putDigits(buf, 0, n, 9))).toBe(String(n).padStart(9, "0"));
    }
    expect(text(putUint(buf, 0, 1e15))).toBe("1000000000000000");
  });

  it("writes amounts in minor units as toFixed does: cents, and satoshis for bitcoin", () => {
    const rng = new Rng(8);
    for (let k = 0; k < 5000; k++) {
      const minor = Math.floor(rng.next() * 10 ** rng.int(12));
      expect(text(putAmount(buf, 0, minor, 100))).toBe(
        `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`,
      );
      expect(text(putAmount(buf, 0, minor, 1e8))).toBe(
        `${Math.floor(minor / 1e8)}.${String(minor % 1e8).padStart(8, "0")}`,
      );
    }
    expect(text(putAmount(buf, 0, 5, 100))).toBe("0.05");
  });

  it("copies a slice of a pool", () => {
    const pool = Buffer.from("xxhello,worldyy", "latin1");
    expect(text(putSlice(buf, 0, new Uint8Array(pool), 2, 11))).toBe("hello,world");
  });
});

describe("alias table", () => {
  it("draws each index about as often as its weight says", () => {
    const weights = [5, 0, 1, 3, 1];
    const table = new AliasTable(weights);
    const rng = new Rng(9);
    const counts = new Array(weights.length).fill(0);
    const draws = 100_000;
    for (let k = 0; k < draws; k++) counts[table.draw(rng)]++;
    expect(table.size).toBe(5);
    expect(counts[1]).toBe(0);
    for (const [i, w] of weights.entries()) expect(Math.abs(counts[i] / draws - w / 10)).toBeLessThan(0.01);
  });
});
