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
