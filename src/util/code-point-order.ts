/**
 * The store's order of texts: DuckDB sorts text by its UTF-8 bytes, which is code point order.
 * JavaScript's `<` compares UTF-16 units, and the two part where a character past U+FFFF (two
 * surrogate units, U+D800–U+DFFF) meets one in U+E000–U+FFFF (U+FFFD, the replacement character
 * of a mis-decoded name; U+FE0F, the emoji variation selector; private use): `<` puts the first
 * before the second, the store the other way round.
 */

/** `x` before `y` in code point order. */
export function codePointBefore(x: string, y: string): boolean {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x.charCodeAt(i);
    const q = y.charCodeAt(i);
    if (p === q) continue;
    // Past the common prefix: a surrogate (of a code point past U+FFFF) outranks U+E000–U+FFFF;
    // below U+D800 on either side, units and code points agree.
    if (p >= 0xd800 && q >= 0xd800) {
      const ps = p < 0xe000;
      const qs = q < 0xe000;
      if (ps !== qs) return qs;
    }
    return p < q;
  }
  return x.length < y.length;
}

const PAST_D7FF = /[\uD800-\uFFFF]/;

/**
 * How to compare texts of `a` with texts of `b` in code point order: `<` when no text of `b` has
 * a unit past U+D7FF (then every comparison with one of them is decided where `<` and code point
 * order agree), else `codePointBefore`. The test reads only `b`, so pass the shorter list there.
 */
export function beforeFor(b: readonly string[]): (x: string, y: string) => boolean {
  return b.some((t) => PAST_D7FF.test(t)) ? codePointBefore : (x, y) => x < y;
}
