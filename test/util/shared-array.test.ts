import { describe, expect, it } from "vitest";
import { moveWithin, sharedArray, type Typed, type TypedType } from "../../src/util/shared-array.js";

/** 0, 1, 2, ... in an array of `Type`, on shared or ordinary memory. */
function counting<T extends Typed>(Type: TypedType<T>, n: number, shared: boolean): T {
  const a = shared ? sharedArray(Type, n) : new Type(new ArrayBuffer(n * Type.BYTES_PER_ELEMENT), 0, n);
  for (let k = 0; k < n; k++) a[k] = k % 251;
  return a;
}

describe("moveWithin", () => {
  it("moves as copyWithin does: up and down, by odd and even places, short and long, overlapping, on shared and ordinary memory", () => {
    const n = 6_000;
    const moves: [number, number, number][] = [];
    // Short moves (value by value on shared memory) and long ones (past 8 KB: copyWithin), by
    // odd counts (words out of line for 4-byte values) and even ones, overlapping or not.
    for (const length of [0, 1, 7, 100, 2_047, 2_049, 3_000])
      for (const by of [1, 2, 3, 8, -1, -2, -5, 2_500]) {
        const start = by < 0 ? 2_600 : 100;
        if (start + by >= 0 && start + by + length <= n && start + length <= n)
          moves.push([start + by, start, start + length]);
      }
    let checked = 0;
    for (const Type of [Int32Array, Float64Array, Uint8Array] as TypedType<Typed>[])
      for (const shared of [true, false])
        for (const [target, start, end] of moves) {
          const moved = counting(Type, n, shared);
          const expected = counting(Type, n, shared);
          moveWithin(moved, target, start, end);
          expected.copyWithin(target, start, end);
          expect([...moved]).toEqual([...expected]);
          checked++;
        }
    expect(checked).toBe(6 * moves.length);
    expect(moves.length).toBeGreaterThan(40);
  });
});
