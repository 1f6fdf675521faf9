import { EDGE_COLUMN_NAMES, newEdgeColumns } from "../store/edge-columns.js";
import type { EdgeColumns } from "../store/store.js";
import { scratch } from "../util/scratch-pool.js";
import { moveWithin, widened } from "../util/shared-array.js";
import { mergeKeys } from "../util/sorted-union.js";

/**
 * Two sets of graph columns as one, exactly as the store would export them together: accounts in
 * key order, edges in time order, then by file number and line. Both inputs are in that order
 * already (a cached graph and the transactions of files ingested since), so this is a merge, linear
 * in the edges, where a fresh export and a sort would cost seconds on millions.
 */

export interface MergedColumns {
  columns: EdgeColumns;
  /** Per merged edge, 1 if it came from `added` (made when read: `addedAt` is the same, as a list). */
  readonly added: Uint8Array;
  /** The merged edges that came from `added`, ascending. */
  addedAt: Int32Array;
  /** Per account of `base`, its number in the merged columns. */
  baseAccount: Int32Array;
}

/** Whether edge i of p comes before edge j of q: time, then file number, then line. */
function before(p: EdgeColumns, i: number, q: EdgeColumns, j: number): boolean {
  const dt = (p.time[i] as number) - (q.time[j] as number);
  if (dt !== 0) return dt < 0;
  const df = (p.fileNo[i] as number) - (q.fileNo[j] as number);
  if (df !== 0) return df < 0;
  return (p.line[i] as number) < (q.line[j] as number);
}

type Column = Int32Array | Float64Array | Uint8Array;

/** One column merged: base values in order, with the added ones at their positions. */
function interleave(out: Column, base: Column, added: Column, at: Int32Array): void {
  // The runs of base values between added ones: long runs as block copies, short ones (many
  // added edges close together) value by value, where a copy call would cost more than the run.
  let i = 0;
  let e = 0;
  const run = (stop: number) => {
    const n = stop - e;
    if (n > 32) out.set(base.subarray(i, i + n), e);
    else for (let k = 0; k < n; k++) out[e + k] = base[i + k] as number;
    i += n;
    e = stop;
  };
  for (let j = 0; j < at.length; j++) {
    run(at[j] as number);
    out[e++] = added[j] as number;
  }
  run(out.length);
}

/** Account ends through an index map (cash, -1, stays). */
function remap(ends: Int32Array, map: Int32Array): Int32Array {
  const out = new Int32Array(ends.length);
  for (let k = 0; k < ends.length; k++) {
    const a = ends[k] as number;
    out[k] = a < 0 ? a : (map[a] as number);
  }
  return out;
}

/**
 * One column merged in place: `out` is the base's own array widened to the merged length (its
 * first values the base's), and each run of base values moves up, last first, by the number of
 * added values before it (a memmove each), the added values set between: no second array of the
 * column's size to allocate and fill.
 */
export function interleaveInPlace(out: Column, added: Column, at: Int32Array): void {
  let end = out.length;
  for (let j = at.length - 1; j >= 0; j--) {
    const place = at[j] as number;
    // The base values between added j and j + 1 are base values place - j … end - j - 2.
    moveWithin(out, place + 1, place - j, end - j - 1);
    out[place] = added[j] as number;
    end = place;
  }
}

/**
 * A per-edge array of the graph before a merge laid onto the merged graph's `edges` edges: its runs
 * between the new edges (`addedAt`) moved up, as the merge moves the columns, the new edges set
 * to `fill`. In place within its own buffer when that was read with room for them (a fresh copy of
 * millions of values costs the new memory's first touch); else in a copy.
 */
export function laidOnMerged<T extends Column>(old: T, addedAt: Int32Array, edges: number, fill: number): T {
  const Type = old.constructor as new (n: number) => T;
  let out = widened(old, edges);
  if (!out) {
    out = new Type(edges);
    out.set(old);
  }
  interleaveInPlace(out, new Type(addedAt.length).fill(fill), addedAt);
  return out;
}

/** Account ends through an index map, in place. */
function remapInPlace(ends: Int32Array, map: Int32Array): void {
  for (let k = 0; k < ends.length; k++) {
    const a = ends[k] as number;
    if (a >= 0) ends[k] = map[a] as number;
  }
}

export function mergeEdgeColumns(base: EdgeColumns, added: EdgeColumns): MergedColumns {
  return merge(base, added, false);
}

/**
 * `mergeEdgeColumns`, reusing the base's arrays where their buffers have room for the merged
 * columns (a snapshot read with room for the new transactions, `graph-snapshot.ts`): the base's
 * columns are overwritten, so the caller must not use `base` afterwards. Arrays without room are
 * merged into new ones, as `mergeEdgeColumns` does.
 */
export function mergeEdgeColumnsInto(base: EdgeColumns, added: EdgeColumns): MergedColumns {
  return merge(base, added, true);
}

/**
 * The merged accounts in key order, and each side's account numbers in it (`mergeKeys`). An
 * export for the base graph (`EdgeColumns.known`: a held graph's delivery) says which of its
 * accounts the base holds and where: only the others are sought among the base's keys. A
 * delivery of 1% names 60,000 accounts, most of them held, and seeking each by comparing keys
 * took 20 ms of a run.
 */
function mergeAccounts(base: EdgeColumns, added: EdgeColumns) {
  // The base's map, a table of its accounts, lives as long as the merge's growth: the run's.
  const baseMap = scratch.take(Int32Array, base.accounts.length);
  const known = added.known;
  if (known?.accounts !== base.accounts) return mergeKeys(base.accounts, added.accounts, baseMap);
  const fresh: string[] = [];
  for (let j = 0; j < known.at.length; j++)
    if ((known.at[j] as number) < 0) fresh.push(added.accounts[j] as string);
  const { keys, fromA, fromB: fromFresh } = mergeKeys(base.accounts, fresh, baseMap);
  const fromB = new Int32Array(known.at.length);
  for (let j = 0, f = 0; j < known.at.length; j++) {
    const k = known.at[j] as number;
    fromB[j] = k >= 0 ? (fromA[k] as number) : (fromFresh[f++] as number);
  }
  return { keys, fromA, fromB };
}

function merge(base: EdgeColumns, added: EdgeColumns, reuse: boolean): MergedColumns {
  const { keys, fromA, fromB } = mergeAccounts(base, added);
  const nBase = base.time.length;
  const nAdded = added.time.length;
  const n = nBase + nAdded;
  // Where each added edge goes: after the base edges before it, plus the added edges before it.
  // Both being in order, each is sought from the last place, in steps that double until past it,
  // then halving: a few probes near the last place, where a search over the rest of the base
  // would probe all over millions of edges.
  const at = new Int32Array(nAdded);
  let i = 0;
  for (let j = 0; j < nAdded; j++) {
    let lo = i;
    let step = 1;
    while (lo + step < nBase && before(base, lo + step, added, j)) {
      lo += step;
      step *= 2;
    }
    let hi = Math.min(nBase, lo + step);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(base, mid, added, j)) lo = mid + 1;
      else hi = mid;
    }
    at[j] = lo + j;
    i = lo;
  }
  // Account numbers in the merged key order; the base keeps its own when no key came in before.
  const identity = fromA.every((x, k) => x === k);
  const files = new Map([...base.files, ...added.files]);
  const wide = reuse ? EDGE_COLUMN_NAMES.map((c) => widened(base[c], n)) : [];
  let out: EdgeColumns;
  if (wide.length > 0 && wide.every((a) => a !== null)) {
    const columns = EDGE_COLUMN_NAMES.map((c, i) => {
      const column = wide[i] as Column;
      if (!identity && (c === "from" || c === "to"))
        remapInPlace(column.subarray(0, nBase) as Int32Array, fromA);
      const extra = c === "from" ? remap(added.from, fromB) : c === "to" ? remap(added.to, fromB) : added[c];
      interleaveInPlace(column, extra, at);
      return [c, column];
    });
    out = { accounts: keys, files, ...Object.fromEntries(columns) } as EdgeColumns;
  } else {
    const baseFrom = identity ? base.from : remap(base.from, fromA);
    const baseTo = identity ? base.to : remap(base.to, fromA);
    out = newEdgeColumns(n, keys, files);
    for (const c of EDGE_COLUMN_NAMES) {
      const from = c === "from" ? baseFrom : c === "to" ? baseTo : base[c];
      const extra = c === "from" ? remap(added.from, fromB) : c === "to" ? remap(added.to, fromB) : added[c];
      interleave(out[c], from, extra, at);
    }
  }
  // The store's numbers for the accounts, where both sides have them.
  // In the base's own array when it has room (a held graph's): fresh, it cost its first touch.
  if (base.accountNos && added.accountNos) {
    const baseNos = base.accountNos;
    const nos = (reuse ? widened(baseNos, keys.length) : null) ?? new Int32Array(keys.length);
    // Last first: an account's new place is at or above its old one, so none is overwritten
    // before it is moved.
    for (let k = baseNos.length - 1; k >= 0; k--) nos[fromA[k] as number] = baseNos[k] as number;
    for (let j = 0; j < added.accountNos.length; j++) nos[fromB[j] as number] = added.accountNos[j] as number;
    out.accountNos = nos;
  }
  let mask: Uint8Array | null = null;
  return {
    columns: out,
    // Made when asked for: a run reads the list, and the table's 5 MB on 5M edges cost, on a
    // delivery spread over the whole time, the first touch of every page (1,200 faults).
    get added() {
      mask ??= addedFlags(at, n);
      return mask;
    },
    addedAt: at,
    baseAccount: fromA,
  };
}

/** Per edge of `edges`, 1 if it is one of `addedAt`: in `flags` (zeros) when given. */
export function addedFlags(addedAt: Int32Array, edges: number, flags = new Uint8Array(edges)): Uint8Array {
  for (let i = 0; i < addedAt.length; i++) flags[addedAt[i] as number] = 1;
  return flags;
}
