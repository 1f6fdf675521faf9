import { describe, expect, it } from "vitest";
import { EdgeQueue } from "../../src/graph/edge-queue.js";

function drain(q: EdgeQueue): number[] {
  const out: number[] = [];
  for (let e = q.next(); e >= 0; e = q.next()) out.push(e);
  return out;
}

describe("EdgeQueue", () => {
  it("merges sorted runs into one increasing sequence, each edge once", () => {
    const q = new EdgeQueue();
    const list = Int32Array.from([9, 1, 4, 7, 12, 2, 4, 8, 30]);
    q.addRun(list, 1, 5, -1); // 1 4 7 12
    q.addRun(list, 5, 8, -1); // 2 4 8
    q.addRun(list, 0, 1, -1); // 9
    expect(drain(q)).toEqual([1, 2, 4, 7, 8, 9, 12]);
  });

  it("starts a run after the given edge, and takes runs added while it is being drained", () => {
    const q = new EdgeQueue();
    const a = Int32Array.from([3, 5, 10, 20]);
    const b = Int32Array.from([4, 6, 11, 15]);
    q.addRun(a, 0, a.length, 4); // 5 10 20
    const out: number[] = [];
    for (let e = q.next(); e >= 0; e = q.next()) {
      out.push(e);
      // Like a trace reaching an account at edge 10: its ledger joins from after that edge.
      if (e === 10) q.addRun(b, 0, b.length, e);
    }
    expect(out).toEqual([5, 10, 11, 15, 20]);
  });

  it("agrees with sorting on random runs", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const q = new EdgeQueue();
    const all = new Set<number>();
    for (let r = 0; r < 50; r++) {
      const run = Int32Array.from({ length: rand(40) }, () => rand(1000)).sort();
      const unique = Int32Array.from(new Set(run));
      for (const e of unique) all.add(e);
      q.addRun(unique, 0, unique.length, -1);
    }
    expect(drain(q)).toEqual([...all].sort((x, y) => x - y));
  });
});

describe("EdgeQueue, runs dropped and room grown", () => {
  it("never gives a dropped run's edges not yet taken, and grows past its first size", () => {
    const q = new EdgeQueue(1);
    const lists = Array.from({ length: 40 }, (_, r) =>
      Int32Array.from({ length: 10 }, (_, k) => 1000 * k + r),
    );
    const runs = lists.map((list) => q.addRun(list, 0, list.length, -1));
    const out: number[] = [];
    for (let e = q.next(); e >= 0; e = q.next()) {
      out.push(e);
      // At 3000 (run 0's), runs 0 to 9 stop: none of their later edges comes out.
      if (e === 3000) for (const run of runs.slice(0, 10)) q.drop(run);
    }
    const want = lists
      .flatMap((list, r) => [...list].filter((e) => r >= 10 || e <= 3000))
      .sort((x, y) => x - y);
    expect(out).toEqual(want);
    expect(q.addRun(Int32Array.of(1, 2), 0, 2, 5)).toBe(-1);
  });
});
