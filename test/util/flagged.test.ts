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

  it("agrees with a plain scan where flags are dense in places and sparse in others, gaps around the read-on reach", () => {
    const flags = new Uint8Array(20_000);
    // Gaps of every size from 1 to 70 (around the 32 entries read on after a flag), then runs.
    let i = 3;
    for (let gap = 1; gap <= 70; gap++, i += gap) flags[i] = 1;
    for (let k = 5_000; k < 5_300; k++) flags[k] = 1;
    for (let k = 9_000; k < 20_000; k += 1 + (k % 97)) flags[k] = 1;
    flags[flags.length - 1] = 1;
    const plain: number[] = [];
    for (let k = 0; k < flags.length; k++) if (flags[k] === 1) plain.push(k);
    expect([...flaggedPositions(flags)]).toEqual(plain);
  });

  it("grows past its first capacity (more than 1,024 positions)", () => {
    const flags = new Uint8Array(50_000);
    for (let k = 0; k < flags.length; k += 3) flags[k] = 1;
    const found = flaggedPositions(flags);
    expect(found).toHaveLength(Math.ceil(50_000 / 3));
    expect(found[found.length - 1]).toBe(49_998);
  });
});
