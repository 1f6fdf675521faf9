import { beforeFor } from "./code-point-order.js";

/**
 * Sorted union of two lists sorted in the store's order (code points, `code-point-order.ts`), and
 * each list's index map into it. `b` is the shorter list (the texts of the files since), which
 * alone is read to tell whether `<` gives that order here. Each of b's keys is sought among a's
 * from the last one's place, in steps that double until past it, then halving: a few comparisons
 * per key of b, and a's keys between them copied without one, where comparing at every step of
 * a's 430,000 took 35–50 ms however few keys came. `fromA` is the table for a's map (a caller
 * that knows its lifetime may give one of the run's working tables, `scratch-pool.ts`).
 */
export function mergeKeys(a: readonly string[], b: readonly string[], fromA = new Int32Array(a.length)) {
  const before = beforeFor(b);
  // Sized once and cut to length after: pushing 470,000 keys one by one (the array grown and
  // copied again and again) took twice as long.
  const keys = new Array<string>(a.length + b.length);
  let n = 0;
  const fromB = new Int32Array(b.length);
  let i = 0;
  for (let j = 0; j < b.length; j++) {
    const y = b[j] as string;
    // The first of a's keys from i on that is not before y.
    let lo = i;
    let hi = i;
    for (let step = 1; hi < a.length && before(a[hi] as string, y); step *= 2) {
      lo = hi + 1;
      hi += step;
    }
    hi = Math.min(hi, a.length);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(a[mid] as string, y)) lo = mid + 1;
      else hi = mid;
    }
    for (; i < lo; i++) {
      fromA[i] = n;
      keys[n++] = a[i] as string;
    }
    if (a[i] === y) fromA[i++] = n;
    fromB[j] = n;
    keys[n++] = y;
  }
  for (; i < a.length; i++) {
    fromA[i] = n;
    keys[n++] = a[i] as string;
  }
  keys.length = n;
  return { keys, fromA, fromB };
}
