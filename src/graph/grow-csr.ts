import { scratch } from "../util/scratch-pool.js";
import { moveWithin, sharedArray, widened } from "../util/shared-array.js";

/**
 * A graph's adjacency lists (CSR, `money-graph.ts`) grown from those of the graph it was merged
 * from (`merge-edge-columns.ts`), instead of built afresh: the old lists are copied in order with
 * their edges renumbered, and each account's new edges merged in. Every old edge moves up by the
 * number of new edges before it, so within a list the renumbering is a walk along the new edges'
 * places, and the copy is sequential, where building the lists afresh writes every edge to a
 * scattered place (seconds on millions of edges). The result is exactly the fresh build's. The
 * lists are grown within the old ones' memory when it has room (as the snapshot reads them).
 */

// Blocks of 64 old edges: with new edges spread over the whole time (1% of them, a later delivery
// about some accounts) a block of 256 held a few and the count within it mispredicted; 64 (a
// 300 KB table on 5M edges) took a side's renumbering from 135-150 ms to 90-100 ms, and 16 no less.
const BLOCK_BITS = 6;

export interface Csr {
  start: Int32Array;
  edges: Int32Array;
}

/**
 * One side's lists of the merged graph: `ends` (the merged graph's payers, for the out-lists; its
 * payees, for the in-lists), the old graph's lists on that side, each old account's new number
 * (null: the same numbers), and the merged graph's new edges in ascending order.
 */
export function growCsr(
  ends: Int32Array,
  accounts: number,
  old: Csr,
  baseAccount: Int32Array | null,
  addedAt: Int32Array,
): Csr {
  const oldAccounts = old.start.length - 1;
  const account = (k: number) => (baseAccount ? (baseAccount[k] as number) : k);
  // The new edges of each account, in order (a list per account, as a small CSR of their own):
  // of tables the size of the accounts, the only one besides the result, and one of the run's
  // working tables (`scratch-pool.ts`), where fresh memory cost its first touch, about 5 ms a
  // table on 430,000 accounts here, however few the new edges.
  const newStart = scratch.take(Int32Array, accounts + 1);
  // Indexed loops, as everywhere on an incremental run's path: its code runs cold, and `for...of`
  // makes an iterator result per value until the loop is optimized.
  for (let i = 0; i < addedAt.length; i++) {
    const a = ends[addedAt[i] as number] as number;
    if (a >= 0) newStart[a + 1] = (newStart[a + 1] as number) + 1;
  }
  for (let a = 0; a < accounts; a++) newStart[a + 1] = (newStart[a + 1] as number) + (newStart[a] as number);
  const newEdges = new Int32Array(newStart[accounts] as number);
  // Each account's start serves as its cursor, which ends at the next one's start: shifted back after.
  for (let i = 0; i < addedAt.length; i++) {
    const e = addedAt[i] as number;
    const a = ends[e] as number;
    if (a >= 0) newEdges[(newStart[a] as number)++] = e;
  }
  for (let a = accounts; a > 0; a--) newStart[a] = newStart[a - 1] as number;
  newStart[0] = 0;
  // Each account's list starts after the old accounts' lists before it and the new edges of the
  // accounts before it: account a, old account k, starts at oldStart[k] + newStart[a], and a new
  // account where the next old account's list does. Written in the old starts' own buffer when it
  // has room (a held graph's), as the lists are below: a fresh table of 430,000 accounts per side
  // cost its first touch. Shared, as a fresh build's lists are (money-graph.ts).
  const { start: oldStart, edges: oldList } = old;
  const start =
    (oldStart.buffer instanceof SharedArrayBuffer ? widened(oldStart, accounts + 1) : null) ??
    sharedArray(Int32Array, accounts + 1);
  const total = (oldStart[oldAccounts] as number) + (newStart[accounts] as number);
  // In place where the old list's buffer has room (the snapshot reads it so): every element
  // moves up or stays, so a merge from the end never overwrites one not yet read. A fresh array
  // of 5M edges per side cost its first touch (page faults) besides the copy.
  const edges =
    (oldList.buffer instanceof SharedArrayBuffer ? widened(oldList, total) : null) ??
    sharedArray(Int32Array, total);
  const places = addedAt.length;
  const oldEdges = ends.length - places;
  // New edges all after the old (a feed's next days): no old edge is renumbered.
  const appended = places === 0 || (addedAt[0] as number) >= oldEdges;
  const renumbered = appended ? (i: number) => i : renumbering(addedAt, oldEdges);
  // Accounts last to first, each list from its end: an element is written at or above where it
  // is read, and so is each start (account a is old account k <= a), so in place none is
  // overwritten before it is read. `k` is the old account that is account `a` now, if any (-1: a
  // new account); `above` is the old start of the old account after a (old starts at or above a
  // may be overwritten by now).
  let above = oldStart[oldAccounts] as number;
  start[accounts] = total;
  for (let a = accounts - 1, next = oldAccounts - 1; a >= 0; a--) {
    const k = next >= 0 && account(next) === a ? next-- : -1;
    if (appended && k >= 0 && newStart[a + 1] === newStart[a]) {
      // Old accounts without new edges down to the next one with some (or a new account): their
      // lists all move up by the same count, as one block (a memmove), where moving them value by
      // value cost 50-70 ms a side on 5M edges, however few the new edges; so do their starts
      // (by the block's new edges before it), and their places (by the new accounts before it).
      let b = a;
      let kb = k;
      while (kb > 0 && account(kb - 1) === b - 1 && newStart[b] === newStart[b - 1]) {
        b--;
        kb--;
      }
      const from = oldStart[kb] as number;
      const shift = newStart[b] as number;
      if (edges.buffer === oldList.buffer) moveWithin(edges, from + shift, from, above);
      else edges.set(oldList.subarray(from, above), from + shift);
      const moved = b - kb;
      if (shift !== 0 || moved !== 0 || start.buffer !== oldStart.buffer)
        for (let x = a; x >= b; x--) start[x] = (oldStart[x - moved] as number) + shift;
      above = from;
      a = b;
      next = kb - 1;
      continue;
    }
    const lo = k >= 0 ? (oldStart[k] as number) : above;
    let out = start[a + 1] as number;
    const nLo = newStart[a] as number;
    let n = (newStart[a + 1] as number) - 1;
    start[a] = lo + nLo;
    if (k >= 0) {
      if (n < nLo || appended) {
        // No new edge among the old ones: those after them first, then the old list moved (and renumbered).
        while (n >= nLo) edges[--out] = newEdges[n--] as number;
        for (let p = above - 1; p >= lo; p--) edges[--out] = renumbered(oldList[p] as number);
      } else {
        for (let p = above - 1; p >= lo; p--) {
          const e = renumbered(oldList[p] as number);
          while (n >= nLo && (newEdges[n] as number) > e) edges[--out] = newEdges[n--] as number;
          edges[--out] = e;
        }
      }
    }
    while (n >= nLo) edges[--out] = newEdges[n--] as number;
    above = lo;
  }
  return { start, edges };
}

/**
 * Old edge i's number among the merged edges: i, plus the new edges whose place among the old
 * edges (`addedAt[j] - j`: old edges before it) is at most i. Counted per block of old edges first
 * (a table small enough to stay in cache), then within the block: a new edge is rare among old
 * ones. A last place past every old edge ends each count without a bound test.
 */
function renumbering(addedAt: Int32Array, oldEdges: number): (i: number) => number {
  const places = addedAt.length;
  const place = new Int32Array(places + 1);
  for (let j = 0; j < places; j++) place[j] = (addedAt[j] as number) - j;
  place[places] = 0x7fffffff;
  const blocks = new Int32Array((oldEdges >>> BLOCK_BITS) + 1);
  for (let b = 0, j = 0; b < blocks.length; b++) {
    while ((place[j] as number) < b << BLOCK_BITS) j++;
    blocks[b] = j;
  }
  return (i: number): number => {
    let j = blocks[i >>> BLOCK_BITS] as number;
    while ((place[j] as number) <= i) j++;
    return i + j;
  };
}
