/**
 * Edges in increasing index (time) order, merged from sorted runs: slices of the CSR lists of the
 * accounts a trace has reached. A trace then visits only the edges of those accounts, not every
 * edge after its start. An edge in two runs (both its ends reached) comes out once.
 */
export class EdgeQueue {
  /** A binary heap of runs by their head edge. */
  private readonly heap: number[] = [];
  private readonly lists: Int32Array[] = [];
  private readonly positions: number[] = [];
  private readonly ends: number[] = [];
  private last = -1;

  /** Runs dropped before they were spent: skipped when they come to the top. */
  private readonly dropped: boolean[] = [];

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
    const run = this.lists.length;
    this.lists.push(list);
    this.positions.push(lo);
    this.ends.push(end);
    this.dropped.push(false);
    this.heap.push(run);
    this.up(this.heap.length - 1);
    return run;
  }

  /** Stops a run: its edges not yet taken never come out. */
  drop(run: number): void {
    if (run >= 0) this.dropped[run] = true;
  }

  /** The next edge, or -1 when every run is spent. */
  next(): number {
    while (this.heap.length > 0) {
      const run = this.heap[0] as number;
      if (this.dropped[run]) {
        this.removeTop();
        continue;
      }
      const edge = this.head(run);
      const position = (this.positions[run] as number) + 1;
      this.positions[run] = position;
      if (position >= (this.ends[run] as number)) this.removeTop();
      else this.down(0);
      if (edge !== this.last) {
        this.last = edge;
        return edge;
      }
    }
    return -1;
  }

  private removeTop(): void {
    const tail = this.heap.pop() as number;
    if (this.heap.length > 0) {
      this.heap[0] = tail;
      this.down(0);
    }
  }

  private head(run: number): number {
    return (this.lists[run] as Int32Array)[this.positions[run] as number] as number;
  }

  private up(i: number): void {
    const heap = this.heap;
    const run = heap[i] as number;
    const key = this.head(run);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.head(heap[parent] as number) <= key) break;
      heap[i] = heap[parent] as number;
      i = parent;
    }
    heap[i] = run;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const run = heap[i] as number;
    const key = this.head(run);
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.head(heap[child + 1] as number) < this.head(heap[child] as number)) child++;
      if (this.head(heap[child] as number) >= key) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    heap[i] = run;
  }
}
