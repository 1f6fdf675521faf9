import type { Rng } from "./random.js";

/**
 * Walker's alias method (Vose's construction): weighted draws in O(1). Card spending picks a
 * merchant for every one of millions of purchases, by weights with a heavy tail.
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error("an alias table needs at least one weight");
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
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
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      ((scaled[l] as number) < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  get size(): number {
    return this.prob.length;
  }

  draw(rng: Rng): number {
    const i = rng.int(this.prob.length);
    return rng.next() < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}
