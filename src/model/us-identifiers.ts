/**
 * US identifier facts that both the synthetic generator (which writes plausible ids) and entity
 * resolution (which rejects implausible ones) rely on: one table, so the two cannot drift apart.
 */

/** The two-digit prefixes the IRS assigns EINs under, as inclusive ranges. */
export const EIN_PREFIX_RANGES: readonly (readonly [number, number])[] = [
  [1, 6],
  [10, 16],
  [20, 27],
  [30, 48],
  [50, 68],
  [71, 77],
  [80, 88],
  [90, 95],
  [98, 99],
];

/** Every valid EIN prefix, ascending. */
export const EIN_PREFIXES: readonly number[] = EIN_PREFIX_RANGES.flatMap(([lo, hi]) =>
  Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
);
