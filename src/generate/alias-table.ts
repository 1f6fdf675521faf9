import type { Rng } from "./random.js";

/**
 * Walker's alias method (Vose's construction): weighted draws in O(1). Card spending picks a
 * merchant for every one of millions of purchases, by weights with a heavy tail.
 */
export class AliasTable {
  /**
   * Per slot, its probability and its alias side by side: a draw reads one cache line, not one in
   * each of two arrays (the spenders' table is drawn from for every purchase and spans megabytes).
   */
  private readonly slots: Float64Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error("an alias table needs at least one weight");
    this.slots = new Float64Array(2 * n);
    let total = 0;
    for (const w of weights) total += w;
    const scaled = weights.map((w) => (total > 0 ? (w * n) / total : 1));
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => {
      (p < 1 ? small : large).push(i);
    });
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.slots[2 * s] = scaled[s] as number;
      this.slots[2 * s + 1] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.slots[2 * i] = 1;
      this.slots[2 * i + 1] = i;
    }
  }

  get size(): number {
    return this.slots.length / 2;
  }

  draw(rng: Rng): number {
    const i = rng.int(this.slots.length / 2);
    return rng.next() < (this.slots[2 * i] as number) ? i : (this.slots[2 * i + 1] as number);
  }
}
