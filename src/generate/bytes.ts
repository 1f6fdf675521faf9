/**
 * Writing into a byte buffer by hand, for the lines of tens of millions of transactions: plain
 * functions over (buffer, position) that V8 inlines, where method calls on a sink cost three
 * times as much. Each returns the position after what it wrote; the caller keeps room for it.
 * Every buffer passed here is a plain Uint8Array (never a Buffer): one kind of array keeps these
 * functions monomorphic.
 */

export function putBytes(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 0; k < n; k++) buf[pos + k] = bytes[k] as number;
  return pos + n;
}

/** `length` bytes of `from` starting at `start` (a slice of a byte pool, without a subarray). */
export function putSlice(
  buf: Uint8Array,
  pos: number,
  from: Uint8Array,
  start: number,
  length: number,
): number {
  for (let k = 0; k < length; k++) buf[pos + k] = from[start + k] as number;
  return pos + length;
}

/** "00" to "99", two ASCII digits each: numbers are written two digits per division. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
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

/** A non-negative integer in decimal, as short as it goes (the common case of `putDigits`). */
export function putUint(buf: Uint8Array, pos: number, n: number): number {
  // Beyond 1e15, powers of ten are no longer exact doubles: the slow way.
  if (n >= 1e15) return putDigits(buf, pos, n);
  let len = 1;
  for (let limit = 10; n >= limit; limit *= 10) len++;
  let at = pos + len;
  let x = n;
  while (x >= 100) {
    const q = Math.floor(x / 100);
    const pair = (x - q * 100) * 2;
    buf[--at] = PAIRS[pair + 1] as number;
    buf[--at] = PAIRS[pair] as number;
    x = q;
  }
  if (x >= 10) {
    buf[--at] = PAIRS[x * 2 + 1] as number;
    buf[--at] = PAIRS[x * 2] as number;
  } else buf[--at] = 48 + x;
  return pos + len;
}

/** An amount in minor units as `units.cents`: two decimals, or eight for bitcoin (`per` 1e8). */
export function putAmount(buf: Uint8Array, pos: number, minor: number, per: number): number {
  const units = Math.floor(minor / per);
  const at = putUint(buf, pos, units);
  buf[at] = 46;
  if (per !== 100) return putDigits(buf, at + 1, minor - units * per, 8);
  const pair = (minor - units * 100) * 2;
  buf[at + 1] = PAIRS[pair] as number;
  buf[at + 2] = PAIRS[pair + 1] as number;
  return at + 3;
}
