import { DAY_MS } from "./detector.js";

/**
 * The business day a transaction counts on (31 CFR 1010.313: night, weekend and holiday deposits
 * count on the next business day): its UTC date, with Saturday and Sunday moved to Monday.
 * Numbered as days since the epoch. Holidays are not known here and count as business days.
 */
export function businessDay(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: day % 7 gives 0 Thu, 1 Fri, 2 Sat, 3 Sun.
  const weekday = ((day % 7) + 7) % 7;
  if (weekday === 2) return day + 2;
  if (weekday === 3) return day + 1;
  return day;
}

/** Business days from day a to day b (both business days, a ≤ b), a itself not counted. */
export function businessDaysBetween(a: number, b: number): number {
  let n = 0;
  for (let d = a + 1; d <= b; d++) {
    const w = ((d % 7) + 7) % 7;
    if (w !== 2 && w !== 3) n++;
  }
  return n;
}
