/**
 * Traced amounts per hop and pair of accounts, with the edges that carried them (each edge once
 * per flow, however many paths reached it): the flows of a trace, forward or backward.
 *
 * A trace from a hub adds to its book once per edge it follows, tens of thousands of times, so
 * the book is typed arrays: an open-addressing table from (payer, hop, payee) to a flow number,
 * per flow its totals, and per addition its edge, chained to the flow's previous one. The Flow
 * objects are made once, by `list`.
 */

export interface Flow {
  hop: number;
  from: number;
  to: number;
  amountUsd: number;
  edges: number[];
}

/** Hops a trace can follow (a bound for flow keys; the CLI allows far fewer). */
export const MAX_HOPS = 64;

export class FlowBook {
  /** Flow number + 1 by hashed key (0: empty); a power of two, at most half full. */
  private table = new Int32Array(1024);
  private flows = 0;
  private hops = new Int32Array(256);
  private payers = new Int32Array(256);
  private payees = new Int32Array(256);
  private amounts = new Float64Array(256);
  /** Per flow, its first and last entry (edges in the order added). */
  private firsts = new Int32Array(256);
  private lasts = new Int32Array(256);
  private entries = 0;
  private edges = new Int32Array(1024);
  /** Per entry, the flow's next entry (-1: none). */
  private nexts = new Int32Array(1024);
  /** (edge, hop) pairs listed: an edge belongs to one pair of accounts, so this names the flow too. */
  private readonly listed: Set<number> | null;

  /** `once`: each edge comes once (forward: edges are visited once), so none is checked. */
  constructor(once: boolean) {
    this.listed = once ? null : new Set();
  }

  add(hop: number, from: number, to: number, edge: number, amount: number): void {
    const f = this.flowOf(hop, from, to);
    this.amounts[f] = (this.amounts[f] as number) + amount;
    if (this.listed !== null) {
      const pair = edge * MAX_HOPS + hop;
      if (this.listed.has(pair)) return;
      this.listed.add(pair);
    }
    if (this.entries === this.edges.length) {
      this.edges = grown(this.edges);
      this.nexts = grown(this.nexts);
    }
    const k = this.entries++;
    this.edges[k] = edge;
    this.nexts[k] = -1;
    if (this.firsts[f] === -1) this.firsts[f] = k;
    else this.nexts[this.lasts[f] as number] = k;
    this.lasts[f] = k;
  }

  /**
   * By hop, then largest first; equal ones in the order of their payer and hop's first flow, then
   * their own (the order a map of maps, by payer and hop then payee, listed them in).
   */
  list(): Flow[] {
    const n = this.flows;
    // Each flow's group (payer and hop) ranked by its first flow.
    const rank = new Int32Array(n);
    const groups = new Map<number, number>();
    for (let f = 0; f < n; f++) {
      const group = ((this.payers[f] as number) + 1) * MAX_HOPS + (this.hops[f] as number);
      let r = groups.get(group);
      if (r === undefined) {
        r = groups.size;
        groups.set(group, r);
      }
      rank[f] = r;
    }
    const order = Array.from({ length: n }, (_, f) => f);
    order.sort(
      (x, y) =>
        (this.hops[x] as number) - (this.hops[y] as number) ||
        (this.amounts[y] as number) - (this.amounts[x] as number) ||
        (rank[x] as number) - (rank[y] as number) ||
        x - y,
    );
    return order.map((f) => {
      const edges: number[] = [];
      for (let k = this.firsts[f] as number; k >= 0; k = this.nexts[k] as number)
        edges.push(this.edges[k] as number);
      return {
        hop: this.hops[f] as number,
        from: this.payers[f] as number,
        to: this.payees[f] as number,
        amountUsd: this.amounts[f] as number,
        edges,
      };
    });
  }

  /** The flow of (hop, from, to), made when new. */
  private flowOf(hop: number, from: number, to: number): number {
    const mask = this.table.length - 1;
    let slot = hash(hop, from, to) & mask;
    for (;;) {
      const f = (this.table[slot] as number) - 1;
      if (f < 0) break;
      if (this.payees[f] === to && this.payers[f] === from && this.hops[f] === hop) return f;
      slot = (slot + 1) & mask;
    }
    const f = this.flows++;
    if (f === this.hops.length) {
      this.hops = grown(this.hops);
      this.payers = grown(this.payers);
      this.payees = grown(this.payees);
      this.amounts = grown(this.amounts);
      this.firsts = grown(this.firsts);
      this.lasts = grown(this.lasts);
    }
    this.hops[f] = hop;
    this.payers[f] = from;
    this.payees[f] = to;
    this.amounts[f] = 0;
    this.firsts[f] = -1;
    this.table[slot] = f + 1;
    if (2 * this.flows > this.table.length) this.rehash();
    return f;
  }

  private rehash(): void {
    const table = new Int32Array(2 * this.table.length);
    const mask = table.length - 1;
    for (let f = 0; f < this.flows; f++) {
      let slot = hash(this.hops[f] as number, this.payers[f] as number, this.payees[f] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = f + 1;
    }
    this.table = table;
  }
}

/** Mixes the three parts of a flow's key (payers from -1 up) into 32 bits. */
function hash(hop: number, from: number, to: number): number {
  let h = Math.imul(from + 1, 0x9e3779b1) ^ Math.imul(to, 0x85ebca77) ^ hop;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

function grown<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(2 * a.length);
  b.set(a);
  return b;
}
