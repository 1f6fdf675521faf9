/**
 * The first index of an ascending array of times whose time is not below `t` (`strict`: above
 * `t`): a window of time-ordered items is one contiguous run, found by binary search. Any
 * ascending numbers will do (edges, amounts).
 */
export function firstAtOrAfter(time: ArrayLike<number>, t: number, strict = false): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = time[mid] as number;
    if (x < t || (strict && x === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
