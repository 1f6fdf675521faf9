/**
 * Writing into a byte buffer by hand, for the lines of tens of millions of transactions: plain
 * functions over (buffer, position) that V8 inlines, where method calls on a sink cost three
 * times as much. Each returns the position after what it wrote; the caller keeps room for it.
 */

export function putBytes(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 0; k < n; k++) buf[pos + k] = bytes[k] as number;
  return pos + n;
}

/** A non-negative integer in decimal, at least `width` digits (zero-padded). */
export function putDigits(buf: Uint8Array, pos: number, n: number, width = 1): number {
  let len = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
  const end = pos + Math.max(len, width);
  let at = end;
  let x = n;
  while (at > pos) {
    const q = Math.floor(x / 10);
    buf[--at] = 48 + (x - q * 10);
    x = q;
  }
  return end;
}

/** An amount in minor units as `units.cents`: two decimals, or eight for bitcoin (`per` 1e8). */
export function putAmount(buf: Uint8Array, pos: number, minor: number, per: number): number {
  const units = Math.floor(minor / per);
  const at = putDigits(buf, pos, units);
  buf[at] = 46;
  return putDigits(buf, at + 1, minor - units * per, per === 100 ? 2 : 8);
}
