/**
 * Typed arrays over shared memory. A worker thread handed one reads the same memory, where
 * `postMessage` copies an ordinary array: the graph's columns and lists are made so for the
 * detection worker (`src/detect/parallel-detectors.ts`), which otherwise waited about a second
 * on the bench for a copy of 5M edges before it could start. They read and write as ordinary
 * typed arrays.
 *
 * An array may have room: its buffer holds more values than it shows, so that it can grow in
 * place (`widened`), as a snapshot's columns are read with room for the transactions since and
 * merged into (`merge-edge-columns.ts`, `grow-csr.ts`): a fresh array of the graph's size costs
 * the first touch of its memory on every merge.
 */
export type Typed = Int32Array | Float64Array | Uint8Array;

export type TypedType<T extends Typed> = {
  new (buffer: ArrayBufferLike, offset: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

/** A shared array of `length` values (zeros), its buffer with room for `room` more. */
export function sharedArray<T extends Typed>(Type: TypedType<T>, length: number, room = 0): T {
  return new Type(new SharedArrayBuffer((length + room) * Type.BYTES_PER_ELEMENT), 0, length);
}

/** The same array over `n` values, if its buffer holds them (an array made with room), else null. */
export function widened<T extends Typed>(a: T, n: number): T | null {
  const Type = a.constructor as TypedType<T>;
  if (a.buffer.byteLength - a.byteOffset < n * Type.BYTES_PER_ELEMENT) return null;
  return new Type(a.buffer, a.byteOffset, n);
}

/**
 * `a`, or a copy of it, in shared memory with room for at least `least` more values after it
 * (a copy has `room`): an array kept to grow in place. Fresh memory of the graph's size costs its
 * first touch on every merge; this costs it once per `room` edges.
 */
export function withRoom<T extends Typed>(a: T, room: number, least = Math.ceil(room / 2)): T {
  if (a.buffer instanceof SharedArrayBuffer && widened(a, a.length + least)) return a;
  const out = sharedArray(a.constructor as TypedType<T>, a.length, room);
  out.set(a);
  return out;
}

/** Below this, a move on shared memory goes value by value (`moveWithin`). */
const SHORT_MOVE_BYTES = 8192;

/**
 * `a.copyWithin(target, start, end)`, without V8's slow copies of shared memory. V8 moves a shared
 * buffer's values with relaxed atomic copies: by 8-byte words where source and target lie alike
 * on them, else byte by byte, and slowly in short moves either way. Measured here on shared
 * memory: an Int32Array moved by an odd number of places took 1.2–5 ns a value by `copyWithin`,
 * and a Float64Array in moves of 125 values 3 ns a value, against 0.8–1.7 ns by a loop (0.14 ns
 * in moves of a million aligned values, and 0.2–0.5 ns on ordinary memory). An incremental run's
 * merge moves each column of 5M edges up by the new edges before each run of old ones: 12–14 ms a
 * column where those are spread over the whole time. So on shared memory a move whose words would
 * not line up, or a short one, goes value by value; bytes (a loop is no faster) and the rest stay
 * with `copyWithin`.
 */
export function moveWithin(a: Typed, target: number, start: number, end: number): void {
  const bytes = a.BYTES_PER_ELEMENT;
  const by = target - start;
  const slow =
    bytes > 1 &&
    a.buffer instanceof SharedArrayBuffer &&
    ((by * bytes) % 8 !== 0 || (end - start) * bytes < SHORT_MOVE_BYTES);
  if (!slow) a.copyWithin(target, start, end);
  else if (by > 0) for (let k = end - 1; k >= start; k--) a[k + by] = a[k] as number;
  else for (let k = start; k < end; k++) a[k + by] = a[k] as number;
}
