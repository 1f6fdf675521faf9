/**
 * Edges in increasing index (time) order, merged from sorted runs: slices of the CSR lists of the
 * accounts a trace has reached. A trace then visits only the edges of those accounts, not every
 * edge after its start. An edge in two runs (both its ends reached) comes out once.
 *
 * A trace from a hub takes hundreds of thousands of edges out of a heap of a thousand runs, so
 * the heap is two typed arrays, each entry a run and its head edge side by side: sifting compares
 * keys in place instead of chasing each run's list and position.
 */
export class EdgeQueue {
  /** The heap: heapKeys[i] is the head edge of run heapRuns[i]; the least key on top. */
  private heapKeys: Int32Array;
  private heapRuns: Int32Array;
  private size = 0;
  /** Per run: its list, next position and end. */
  private readonly lists: Int32Array[] = [];
  private positions: Int32Array;
  private ends: Int32Array;
  /** Runs dropped before they were spent: skipped when they come to the top. */
  private dropped: Uint8Array;
  private runs = 0;
  private last = -1;

  constructor(capacity = 256) {
    const n = Math.max(1, capacity);
    this.heapKeys = new Int32Array(n);
    this.heapRuns = new Int32Array(n);
    this.positions = new Int32Array(n);
    this.ends = new Int32Array(n);
    this.dropped = new Uint8Array(n);
  }

  /**
   * Adds list[start..end) (sorted), from its first edge after `after`; returns the run's number
   * (for `drop`), or -1 when nothing is left of it.
   */
  addRun(list: Int32Array, start: number, end: number, after: number): number {
    let lo = start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as number) <= after) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= end) return -1;
    const run = this.runs++;
    // Runs and heap entries grow together: a run is in the heap at most once.
    if (run >= this.positions.length) this.grow();
    this.lists[run] = list;
    this.positions[run] = lo;
    this.ends[run] = end;
    this.dropped[run] = 0;
    this.up(this.size++, list[lo] as number, run);
    return run;
  }

  /** Stops a run: its edges not yet taken never come out. */
  drop(run: number): void {
    if (run >= 0) this.dropped[run] = 1;
  }

  /** The next edge, or -1 when every run is spent. */
  next(): number {
    const keys = this.heapKeys;
    const runs = this.heapRuns;
    while (this.size > 0) {
      const run = runs[0] as number;
      if (this.dropped[run] === 1) {
        this.removeTop();
        continue;
      }
      const edge = keys[0] as number;
      const position = (this.positions[run] as number) + 1;
      if (position >= (this.ends[run] as number)) this.removeTop();
      else {
        this.positions[run] = position;
        this.down(0, (this.lists[run] as Int32Array)[position] as number, run);
      }
      if (edge !== this.last) {
        this.last = edge;
        return edge;
      }
    }
    return -1;
  }

  private removeTop(): void {
    const n = --this.size;
    if (n > 0) this.down(0, this.heapKeys[n] as number, this.heapRuns[n] as number);
  }

  private grow(): void {
    this.heapKeys = doubled(this.heapKeys);
    this.heapRuns = doubled(this.heapRuns);
    this.positions = doubled(this.positions);
    this.ends = doubled(this.ends);
    this.dropped = doubled(this.dropped);
  }

  /** Puts (key, run) at slot i, or above it while its parent's key is greater. */
  private up(i: number, key: number, run: number): void {
    const keys = this.heapKeys;
    const runs = this.heapRuns;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const k = keys[parent] as number;
      if (k <= key) break;
      keys[i] = k;
      runs[i] = runs[parent] as number;
      i = parent;
    }
    keys[i] = key;
    runs[i] = run;
  }

  /** Puts (key, run) at slot i, or below it while a child's key is less. */
  private down(i: number, key: number, run: number): void {
    const keys = this.heapKeys;
    const runs = this.heapRuns;
    const n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let k = keys[child] as number;
      if (child + 1 < n) {
        const right = keys[child + 1] as number;
        if (right < k) {
          child++;
          k = right;
        }
      }
      if (k >= key) break;
      keys[i] = k;
      runs[i] = runs[child] as number;
      i = child;
    }
    keys[i] = key;
    runs[i] = run;
  }
}

function doubled<T extends Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(2 * a.length);
  b.set(a);
  return b;
}
