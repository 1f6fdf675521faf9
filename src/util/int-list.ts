/**
 * A list of 32-bit integers pushed to one by one, in an Int32Array that doubles when full: for
 * lists of tens of thousands of numbers on an incremental run's path (accounts, edges). A JS
 * array of more than about 16,000 numbers grows in V8's large-object space, each growth a fresh
 * mapping whose every page costs its first touch, and on this project's bench VM a first touch
 * costs about 16 µs a page: 50,000 pushes took 4–8 ms, the same into an Int32Array 0.1–1 ms
 * (typed arrays' memory comes from malloc, which hands back what the process freed).
 */
export class IntList {
  private data: Int32Array;
  length = 0;

  /** `capacity`: the values expected, where known (it grows past them all the same). */
  constructor(capacity = 256) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const more = new Int32Array(this.data.length * 2);
      more.set(this.data);
      this.data = more;
    }
    this.data[this.length++] = value;
  }

  /** The value at `index` (below `length`). */
  get(index: number): number {
    return this.data[index] as number;
  }

  /** The values, as a view of the list's memory (no copy): pushes after it are not in it. */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
