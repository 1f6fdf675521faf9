import { IntList } from "./int-list.js";

/**
 * A set of integers in [0, size) (edges, accounts), as one bit each, with its members in the
 * order they were added: for sets of tens of thousands on an incremental run's path. A `Set` of
 * numbers hashes each one and grows its table in V8's large-object space, a fresh mapping whose
 * every page costs its first touch (`IntList`); the bits of 5M edges are 625 KB, of which only
 * the pages of members are written.
 */
export class IntSet {
  private readonly bits: Uint32Array;
  private readonly members: IntList;

  constructor(size: number, capacity = 256) {
    this.bits = new Uint32Array((size >>> 5) + 1);
    this.members = new IntList(capacity);
  }

  has(value: number): boolean {
    return ((this.bits[value >>> 5] as number) & (1 << (value & 31))) !== 0;
  }

  /** Adds `value`; false when it was in already. */
  add(value: number): boolean {
    const word = value >>> 5;
    const bit = 1 << (value & 31);
    const held = this.bits[word] as number;
    if ((held & bit) !== 0) return false;
    this.bits[word] = held | bit;
    this.members.push(value);
    return true;
  }

  get size(): number {
    return this.members.length;
  }

  /** The members in the order they were added, as a view (no copy): adds after it are not in it. */
  values(): Int32Array {
    return this.members.view();
  }
}
