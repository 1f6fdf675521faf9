/**
 * Scratch arrays sized to a graph's accounts, kept per graph between queries. A query from one
 * account touches a few thousand of the graph's hundreds of thousands of accounts, and on the
 * bench world allocating and clearing an array per account costs more than a median query
 * itself. So each array is stamped instead: a slot holds a value only while its stamp is the
 * current epoch, and starting a query clears nothing, it moves to the next epoch.
 */

/** Largest epoch before the stamps are cleared and counting starts again. */
const LAST_EPOCH = 0x7fff_ffff;

/** A whole number per account (`fallback` where none is set), cleared in O(1). */
export class AccountInts {
  /** Stamp and value side by side: one cache line for both on a random access. */
  private readonly cells: Int32Array;
  private epoch = 0;
  /** What `prefetch` last read, summed: kept, so that the compiler cannot drop the reads as unused. */
  prefetched = 0;

  constructor(
    readonly size: number,
    private readonly fallback: number,
  ) {
    this.cells = touched(new Int32Array(2 * size));
  }

  /** Every account back to the fallback. */
  clear(): void {
    if (++this.epoch === LAST_EPOCH) {
      this.cells.fill(0);
      this.epoch = 1;
    }
  }

  get(account: number): number {
    const k = 2 * account;
    return this.cells[k] === this.epoch ? (this.cells[k + 1] as number) : this.fallback;
  }

  set(account: number, value: number): void {
    const k = 2 * account;
    this.cells[k] = this.epoch;
    this.cells[k + 1] = value;
  }

  /**
   * Reads the cells of accounts[0..count) (negative ones skipped) and nothing else: brings them
   * into cache in one loop of independent reads, ahead of a loop that needs them one by one.
   */
  prefetch(accounts: Int32Array, count: number): void {
    let sum = 0;
    for (let j = 0; j < count; j++) {
      const a = accounts[j] as number;
      if (a >= 0) sum += this.cells[2 * a] as number;
    }
    this.prefetched = sum;
  }
}

/** An amount per account (0 where none is added), with the accounts that have one, cleared in O(1). */
export class AccountAmounts {
  /** Stamp and amount side by side, as for AccountInts. */
  private readonly cells: Float64Array;
  private epoch = 0;
  /** The accounts added to since the last clear, each once, in the order first added. */
  readonly accounts: number[] = [];

  constructor(readonly size: number) {
    this.cells = touched(new Float64Array(2 * size));
  }

  clear(): void {
    if (++this.epoch === LAST_EPOCH) {
      this.cells.fill(0);
      this.epoch = 1;
    }
    this.accounts.length = 0;
  }

  get(account: number): number {
    const k = 2 * account;
    return this.cells[k] === this.epoch ? (this.cells[k + 1] as number) : 0;
  }

  add(account: number, amount: number): void {
    const k = 2 * account;
    if (this.cells[k] !== this.epoch) {
      this.cells[k] = this.epoch;
      this.cells[k + 1] = 0;
      this.accounts.push(account);
    }
    this.cells[k + 1] = (this.cells[k + 1] as number) + amount;
  }
}

/**
 * The array, every page of it written once. A new array's pages are mapped on first write, and
 * a query scattering over a few megabytes of them pays a page fault each: ten milliseconds and
 * more, once per graph, best paid when the scratch is made.
 */
function touched<T extends Int32Array | Float64Array>(a: T): T {
  a.fill(0);
  return a;
}

interface Held {
  value: unknown;
  busy: boolean;
}

const held = new WeakMap<object, Map<string, Held>>();

/**
 * Runs `use` with the graph's scratch of this kind, made by `make` on first use (or again when
 * the graph's size no longer matches). Queries are synchronous, so one scratch per graph and
 * kind serves them all; a query that starts inside another (a caller's callback) gets its own.
 */
export function withScratch<T extends { readonly size: number }, R>(
  graph: { readonly accounts: readonly string[] },
  kind: string,
  make: (size: number) => T,
  use: (scratch: T) => R,
): R {
  const size = graph.accounts.length;
  let kinds = held.get(graph);
  if (kinds === undefined) {
    kinds = new Map();
    held.set(graph, kinds);
  }
  let h = kinds.get(kind);
  if (h === undefined || (h.value as T).size !== size) {
    h = { value: make(size), busy: false };
    kinds.set(kind, h);
  }
  if (h.busy) return use(make(size));
  h.busy = true;
  try {
    return use(h.value as T);
  } finally {
    h.busy = false;
  }
}
