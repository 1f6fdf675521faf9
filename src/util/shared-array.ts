/**
 * Typed arrays over shared memory. A worker thread handed one reads the same memory, where
 * `postMessage` copies an ordinary array: the graph's columns and lists are made so for the
 * detection worker (`src/detect/parallel-detectors.ts`), which otherwise waited about a second
 * on the bench for a copy of 5M edges before it could start. They read and write as ordinary
 * typed arrays.
 */
type Typed = Int32Array | Float64Array | Uint8Array;

export function sharedArray<T extends Typed>(
  Type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}

/**
 * `a`, or a copy of it, in shared memory with room for at least `least` more values after it
 * (a copy has `room`): an array kept to grow in place, as a snapshot is read with room for the
 * transactions since (`merge-edge-columns.ts`, `grow-csr.ts`). Fresh memory of the graph's size
 * costs its first touch on every merge; this costs it once per `room` edges.
 */
export function withRoom<T extends Typed>(a: T, room: number, least = Math.ceil(room / 2)): T {
  const Type = a.constructor as {
    new (buffer: SharedArrayBuffer, offset: number, length: number): T;
    BYTES_PER_ELEMENT: number;
  };
  const size = Type.BYTES_PER_ELEMENT;
  if (
    a.buffer instanceof SharedArrayBuffer &&
    a.byteOffset + (a.length + least) * size <= a.buffer.byteLength
  )
    return a;
  const out = new Type(new SharedArrayBuffer((a.length + room) * size), 0, a.length);
  out.set(a);
  return out;
}
