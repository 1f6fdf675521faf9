/**
 * Working tables of a detection run (one number per account or per payment, dropped when the run
 * ends) in memory kept from one run to the next. On this kind of machine the first write to a
 * page of fresh memory costs 12-16 µs (a page fault), and a run after a delivery of 1% of 5M
 * payments made a dozen tables of 430,000 accounts afresh: 4,000 of its 16,000 faults. The
 * allocator gives a freed table's memory back to the system, so each run paid them again; a
 * table taken from here is its memory of the last run, written over with zeros.
 *
 * Only while a run is open (`during`): every table taken then is given back when the last open
 * run ends, so a table taken here must not outlive the run (nothing held for the next run, no
 * measure kept with the graph). Outside a run (a worker thread, a test, another command) `take`
 * is a plain allocation.
 */

export type ScratchArray = Int32Array | Uint32Array | Uint8Array | Float64Array;

interface ScratchType<T extends ScratchArray> {
  new (buffer: ArrayBuffer, offset: number, length: number): T;
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Room a new buffer gets over the bytes asked, for a later run's slightly larger graph. */
const ROOM = 1.05;
const ROOM_MIN_BYTES = 4096;

export class ScratchPool {
  /** Buffers not lent, smallest first. */
  private readonly free: ArrayBuffer[] = [];
  private readonly lent: ArrayBuffer[] = [];
  private open = 0;

  /** `run` with the pool open: the tables it takes come back when it (and any other open run) ends. */
  async during<R>(run: () => Promise<R>): Promise<R> {
    this.open++;
    try {
      return await run();
    } finally {
      if (--this.open === 0) {
        for (const b of this.lent) this.keep(b);
        this.lent.length = 0;
      }
    }
  }

  /**
   * A table of `length` values `fill` (zeros unless said): from a kept buffer during a run, else
   * allocated. Filled once, where a caller's own fill wrote a kept table a second time.
   */
  take<T extends ScratchArray>(Type: ScratchType<T>, length: number, fill = 0): T {
    let table: T;
    let reused = false;
    if (this.open === 0) table = new Type(length);
    else {
      const bytes = length * Type.BYTES_PER_ELEMENT;
      const at = this.free.findIndex((b) => b.byteLength >= bytes);
      reused = at >= 0;
      const buffer = reused ? (this.free.splice(at, 1)[0] as ArrayBuffer) : fresh(bytes);
      this.lent.push(buffer);
      table = new Type(buffer, 0, length);
    }
    // A fresh buffer is zeros already.
    if (reused || fill !== 0) table.fill(fill);
    return table;
  }

  /**
   * Keeps buffers to serve tables of these byte sizes all at once, written through: for a process
   * with time to spare before a run (`watch` after a look), whose first run then takes them
   * without a fault. Buffers already kept count.
   */
  reserve(sizes: readonly number[]): void {
    const used = new Set<ArrayBuffer>();
    for (const bytes of [...sizes].sort((x, y) => y - x)) {
      const fits = this.free.find((b) => b.byteLength >= bytes && !used.has(b));
      if (fits) {
        used.add(fits);
        continue;
      }
      const buffer = fresh(bytes);
      new Uint8Array(buffer).fill(0);
      used.add(buffer);
      this.keep(buffer);
    }
  }

  /** Bytes kept, lent or not (diagnostics and tests). */
  get bytes(): number {
    let n = 0;
    for (const b of [...this.free, ...this.lent]) n += b.byteLength;
    return n;
  }

  private keep(buffer: ArrayBuffer): void {
    let i = this.free.length;
    while (i > 0 && (this.free[i - 1] as ArrayBuffer).byteLength > buffer.byteLength) i--;
    this.free.splice(i, 0, buffer);
  }
}

/** A new buffer for `bytes`, with room. */
function fresh(bytes: number): ArrayBuffer {
  return new ArrayBuffer(Math.max(ROOM_MIN_BYTES, Math.ceil(bytes * ROOM)));
}

/** The process's pool (a worker thread has its own, never open). */
export const scratch = new ScratchPool();
