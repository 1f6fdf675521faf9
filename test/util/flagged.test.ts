import { describe, expect, it } from "vitest";
import { flaggedPositions } from "../../src/util/flagged.js";

describe("flaggedPositions", () => {
  it("gives the positions of the entries set to 1, ascending, first and last included", () => {
    expect([...flaggedPositions(Uint8Array.from([1, 0, 0, 1, 1, 0, 1]))]).toEqual([0, 3, 4, 6]);
  });

  it("gives none for clear flags or none at all, and every position when all are set", () => {
    expect(flaggedPositions(new Uint8Array(1000))).toHaveLength(0);
    expect(flaggedPositions(new Uint8Array(0))).toHaveLength(0);
    expect([...flaggedPositions(new Uint8Array(5).fill(1))]).toEqual([0, 1, 2, 3, 4]);
  });

  it("agrees with a plain scan on a long sparse array", () => {
    const flags = new Uint8Array(100_000);
    for (let i = 7; i < flags.length; i += 997) flags[i] = 1;
    const plain: number[] = [];
    for (let i = 0; i < flags.length; i++) if (flags[i] === 1) plain.push(i);
    expect([...flaggedPositions(flags)]).toEqual(plain);
  });
});
