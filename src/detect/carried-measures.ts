import { laidOnMerged } from "../graph/merge-edge-columns.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import { IntList } from "../util/int-list.js";
import { firstAtOrAfter } from "../util/sorted-times.js";
import { SINGLE_PAIR_KEY, singlePairEdges } from "./chain.js";
import { DEGREES_KEY, type DistinctDegrees } from "./degrees.js";
import { memoKeys, memoOf, seedMemo } from "./graph-memo.js";
import { ONE_OFF_KEY } from "./one-off.js";

/**
 * Whole-graph measures carried from one run's graph to the next, so that an incremental run does
 * not pay a pass over every edge for them (docs/detect.md, Incremental detection): each
 * account's distinct payers and payees, each edge's one-off flag, and the edge flags derived from
 * those (motif and layer edges, with their counts per account). All are local: they change only
 * with the pairs (payer, payee) of new transactions. So the last run's values are laid onto the
 * new graph (accounts and edges renumbered by the merge) and updated for those pairs alone:
 * exactly what a fresh pass would give (`test/detect/carried-measures.test.ts`).
 */

/**
 * A measure by name: "payers", "payees" (per account), "one-off:<ms>" (per edge), and
 * "<flags key>#edge" (per edge), "#in", "#out" (per account) for edge flags (`FLAG_KEYS`).
 */
export type Measures = Record<string, Int32Array | Uint8Array>;

/**
 * Memo keys (prefixes) of edge flags derived from degrees and one-off flags alone, with counts of
 * flagged edges per account: motif edges (`motifs.ts`) and layer edges (`layers.ts`). A flag
 * changes only on a payment of a new pair, or of an account that became (or stopped being) a hub.
 */
export const FLAG_KEYS = ["motif:", "layer-edges:"] as const;

/**
 * Memo key (prefix, then the bar) of which accounts are hubs of transfers, purchases aside
 * (`transfer-hubs.ts`): per account and side, 0 not yet counted, 1 more than the bar of distinct
 * transfer payees (out) or payers (in), 2 not. Costly to count (a shop's whole list of card
 * customers), so carried. With edges only ever added, 1 stays 1, and 2 can change only with a
 * pair's first transfer: its payer's side out and its payee's side in are counted again.
 */
export const TRANSFER_HUBS_KEY = "transfer-hubs:";

/** Where a side's two bits are in a transfer hub's byte (`TRANSFER_HUBS_KEY`). */
export const HUB_SIDE = { out: 0, in: 2 } as const;

/** A side's answer in a transfer hub's byte: 0 not counted, 1 over the bar, 2 not. */
export function hubSide(byte: number, shift: number): number {
  return (byte >> shift) & 3;
}

/** The byte with a side's answer replaced. */
export function withHubSide(byte: number, shift: number, answer: number): number {
  return (byte & ~(3 << shift)) | (answer << shift);
}

/** Transfer hubs laid onto the new graph, for `carriedTransferHubs`. */
interface CarriedHubs {
  hubs: Uint8Array;
}

/** Edge flags with how many flagged edges each account receives and makes (either may be absent). */
export interface EdgeFlags {
  edge: Uint8Array;
  inCount?: Int32Array;
  outCount?: Int32Array;
}

/** The memo's prefix for flags laid onto the new graph that `carriedFlags` has yet to update. */
const CARRIED = "carried:";
/** The memo's key for what changed with the growth (`Growth`). */
const GROWTH_KEY = "carried-growth";

/** What the new transactions changed: their pairs, and the old degrees of accounts they changed. */
interface Growth {
  pairs: NewPairs;
  /** The accounts whose distinct payers or payees changed, ascending, with the old ones. */
  changed: { accounts: Int32Array; payers: Int32Array; payees: Int32Array };
}

const isFlagKey = (key: string) => FLAG_KEYS.some((k) => key.startsWith(k));

/** What the graph's memo holds of the measures that can be carried, after a run. */
export function measuresOf(g: MoneyGraph): Measures {
  const out: Measures = {};
  const degrees = memoOf<DistinctDegrees>(g, DEGREES_KEY);
  if (degrees) Object.assign(out, { payers: degrees.payers, payees: degrees.payees });
  const single = singlePairEdges(g);
  if (single) out[SINGLE_PAIR_KEY] = single;
  const put = (key: string, flags: EdgeFlags) => {
    out[`${key}#edge`] = flags.edge;
    if (flags.inCount) out[`${key}#in`] = flags.inCount;
    if (flags.outCount) out[`${key}#out`] = flags.outCount;
  };
  const growth = memoOf<Growth>(g, GROWTH_KEY);
  for (const key of memoKeys(g)) {
    if (key.startsWith(ONE_OFF_KEY)) out[key] = memoOf<Uint8Array>(g, key) as Uint8Array;
    if (isFlagKey(key)) put(key, memoOf<EdgeFlags>(g, key) as EdgeFlags);
    // Flags carried that no detector asked for: as they were, when the growth changed none (no
    // new pair), else left out (worked out afresh when next asked for). Dropped, a run with
    // nothing new (`watch`'s first, say) left the next run to work them out over every edge.
    const carried = key.startsWith(CARRIED) ? key.slice(CARRIED.length) : null;
    const unchanged = carried !== null && !memoOf(g, carried) && growth?.pairs.a.length === 0;
    if (unchanged && isFlagKey(carried)) put(carried, memoOf<EdgeFlags>(g, key) as EdgeFlags);
    if (key.startsWith(TRANSFER_HUBS_KEY)) out[key] = memoOf<Uint8Array>(g, key) as Uint8Array;
    // Likewise the transfer hubs (a new pair alone can change one).
    if (unchanged && carried.startsWith(TRANSFER_HUBS_KEY))
      out[carried] = (memoOf<CarriedHubs>(g, key) as CarriedHubs).hubs;
  }
  return out;
}

/** How the graph grew from the one the measures were taken on. */
export interface GraphGrowth {
  /** The new edges, ascending (the places the merge gave them). */
  addedAt: Int32Array;
  /** Per account of the old graph, its number in the new one (null: the same numbers). */
  baseAccount: Int32Array | null;
}

/**
 * The pairs (payer, payee) with new transactions, each with its payments in time order, new and
 * old, in arrays of their own: as objects with an array each, the 45,000 pairs of a delivery of
 * 1% took the garbage collector's time and the first touch of new heap.
 */
interface NewPairs {
  a: Int32Array;
  c: Int32Array;
  /** Per pair, 1 if the old graph had a payment of it. */
  known: Uint8Array;
  /** The payments of pair i are `edges[start[i]]` to `edges[start[i + 1] - 1]`. */
  start: Int32Array;
  edges: Int32Array;
  /** Per entry of `edges`, 1 if that payment is new. */
  isNew: Uint8Array;
}

/**
 * The distinct pairs (payer, payee) of the new transactions between two accounts (no cash, no
 * payment to oneself), each with its payments: found once, where the measures ask for them. The
 * new edges' pairs are told apart by sorting them as numbers (payer × accounts + payee, exact in
 * a double below 94M accounts): work in the new edges alone, where tables per account cost a
 * pass over every account (20–50 ms on 430,000 however few the new edges), and a set of pair
 * keys took 80 ms for 50,000 new edges. Pairs come by payer, then payee.
 */
function newPairs(g: MoneyGraph, addedAt: Int32Array): NewPairs {
  const n = g.accounts.length;
  const keys = new Float64Array(addedAt.length);
  let count = 0;
  for (let i = 0; i < addedAt.length; i++) {
    const e = addedAt[i] as number;
    const a = g.from[e] as number;
    const c = g.to[e] as number;
    if (a >= 0 && c >= 0 && a !== c) keys[count++] = a * n + c;
  }
  const sorted = keys.subarray(0, count).sort();
  let pairs = 0;
  for (let k = 0; k < count; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) pairs++;
  const out = {
    a: new Int32Array(pairs),
    c: new Int32Array(pairs),
    known: new Uint8Array(pairs),
    start: new Int32Array(pairs + 1),
  };
  // Every pair's payments in one list (one array per pair made 45,000 of them), at least the new
  // ones; an Int32Array's (`IntList`).
  const edges = new IntList(count);
  // Per pair, how many of its payments are new: as many as its key is in the new edges' keys.
  const fresh = new Int32Array(pairs);
  let i = -1;
  for (let k = 0; k < count; k++) {
    const key = sorted[k] as number;
    if (k > 0 && key === sorted[k - 1]) {
      fresh[i] = (fresh[i] as number) + 1;
      continue;
    }
    i++;
    fresh[i] = 1;
    const a = Math.floor(key / n);
    const c = key - a * n;
    out.a[i] = a;
    out.c[i] = c;
    out.start[i] = edges.length;
    pairEdges(g, a, c, edges);
  }
  out.start[pairs] = edges.length;
  // Which payments are new: all of a pair's when it has no more than its new ones, else each
  // sought among the new edges (ascending). The merge's flags per edge, read at the pairs' old
  // payments, cost the first touch of a page of them each (1,000 pages a delivery of 1%).
  const isNew = new Uint8Array(edges.length);
  for (let p = 0; p < pairs; p++) {
    const lo = out.start[p] as number;
    const hi = out.start[p + 1] as number;
    if (hi - lo === fresh[p]) isNew.fill(1, lo, hi);
    else {
      out.known[p] = 1;
      for (let x = lo; x < hi; x++) {
        const e = edges.get(x);
        if (addedAt[firstAtOrAfter(addedAt, e)] === e) isNew[x] = 1;
      }
    }
  }
  return { ...out, edges: edges.view(), isNew };
}

/** Adds to `found` the payments of the pair a → c, in time order, from the shorter of the two lists. */
function pairEdges(g: MoneyGraph, a: number, c: number, found: IntList): void {
  const outLen = (g.outStart[a + 1] as number) - (g.outStart[a] as number);
  const inLen = (g.inStart[c + 1] as number) - (g.inStart[c] as number);
  if (outLen <= inLen) {
    for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++)
      if (g.to[g.outEdges[k] as number] === c) found.push(g.outEdges[k] as number);
  } else {
    for (let k = g.inStart[c] as number; k < (g.inStart[c + 1] as number); k++)
      if (g.from[g.inEdges[k] as number] === a) found.push(g.inEdges[k] as number);
  }
}

/**
 * Sets, for every payment of each new pair, `flags[e]` to what `flag` says of the pair's payments
 * (`edges[lo]` to `edges[hi - 1]`): by index, where a view of each pair's payments cost 45,000
 * objects a delivery.
 */
function setForPairs(
  pairs: NewPairs,
  flags: Uint8Array,
  flag: (edges: Int32Array, lo: number, hi: number) => number,
): void {
  const { start, edges } = pairs;
  for (let i = 0; i < pairs.a.length; i++) {
    const lo = start[i] as number;
    const hi = start[i + 1] as number;
    const value = flag(edges, lo, hi);
    for (let x = lo; x < hi; x++) flags[edges[x] as number] = value;
  }
}

/**
 * The accounts at an end of a pair the old graph did not have (`known` 0), ascending, with their
 * distinct payers and payees before it: those a new pair changed.
 */
function changedBy(pairs: NewPairs, payers: Int32Array, payees: Int32Array): Growth["changed"] {
  // Sized for every pair: pushed to a JS array, 90,000 ends grew it in the large-object space.
  const ends = new Int32Array(2 * pairs.a.length);
  let n = 0;
  for (let i = 0; i < pairs.a.length; i++)
    if (pairs.known[i] === 0) {
      ends[n++] = pairs.a[i] as number;
      ends[n++] = pairs.c[i] as number;
    }
  const sorted = ends.subarray(0, n).sort();
  let count = 0;
  for (let k = 0; k < sorted.length; k++)
    if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[count++] = sorted[k] as number;
  const accounts = sorted.slice(0, count);
  return {
    accounts,
    payers: accounts.map((x) => payers[x] as number),
    payees: accounts.map((x) => payees[x] as number),
  };
}

/**
 * Seeds `g`'s memo with the measures of the graph it grew from, brought up to date by the new
 * pairs alone: a new pair adds a payer to its payee and a payee to its payer, and only the flags
 * of a pair with new payments change. A measure whose size does not fit the old graph is left out
 * (worked out afresh when asked).
 */
export function carryMeasures(g: MoneyGraph, measures: Measures, growth: GraphGrowth): void {
  const { addedAt, baseAccount } = growth;
  const oldEdges = g.edgeCount - addedAt.length;
  const oldAccounts = baseAccount ? baseAccount.length : g.accounts.length;
  const pairs = newPairs(g, addedAt);
  const newAccounts = newAccountsOf(baseAccount, g.accounts.length);
  const perAccount = (old: Int32Array | Uint8Array | undefined): Int32Array | null =>
    old instanceof Int32Array ? laidOnAccounts(old, oldAccounts, newAccounts, g.accounts.length) : null;
  const payers = perAccount(measures.payers);
  const payees = perAccount(measures.payees);
  if (payers && payees) {
    const changed = changedBy(pairs, payers, payees);
    for (let i = 0; i < pairs.a.length; i++)
      if (pairs.known[i] === 0) {
        const a = pairs.a[i] as number;
        const c = pairs.c[i] as number;
        payers[c] = (payers[c] as number) + 1;
        payees[a] = (payees[a] as number) + 1;
      }
    seedMemo(g, DEGREES_KEY, { payers, payees } satisfies DistinctDegrees);
    // Flags derived from the degrees can be brought up to date only knowing which degrees changed.
    seedMemo(g, GROWTH_KEY, { pairs, changed } satisfies Growth);
    for (const [key, old] of flagsIn(measures)) {
      if (old.edge.length !== oldEdges) continue;
      const inCount = perAccount(old.inCount);
      const outCount = perAccount(old.outCount);
      seedMemo(g, `${CARRIED}${key}`, {
        edge: laidOnMerged(old.edge, addedAt, g.edgeCount, 0),
        ...(inCount ? { inCount } : {}),
        ...(outCount ? { outCount } : {}),
      } satisfies EdgeFlags);
    }
  }
  for (const [key, old] of Object.entries(measures)) {
    if (!key.startsWith(TRANSFER_HUBS_KEY) || !(old instanceof Uint8Array)) continue;
    const hubs = laidOnAccounts(old, oldAccounts, newAccounts, g.accounts.length);
    if (hubs) seedMemo(g, `${CARRIED}${key}`, { hubs } satisfies CarriedHubs);
  }
  const single = measures[SINGLE_PAIR_KEY];
  if (single instanceof Uint8Array && single.length === oldEdges) {
    const now = laidOnMerged(single, addedAt, g.edgeCount, 0);
    setForPairs(pairs, now, (_, lo, hi) => (hi - lo === 1 ? 1 : 0));
    seedMemo(g, SINGLE_PAIR_KEY, now);
  }
  for (const [key, old] of Object.entries(measures)) {
    if (!key.startsWith(ONE_OFF_KEY) || !(old instanceof Uint8Array) || old.length !== oldEdges) continue;
    const relationship = Number(key.slice(ONE_OFF_KEY.length));
    const oneOff = laidOnMerged(old, addedAt, g.edgeCount, 0);
    setForPairs(pairs, oneOff, (edges, lo, hi) =>
      (g.time[edges[hi - 1] as number] as number) - (g.time[edges[lo] as number] as number) <= relationship
        ? 1
        : 0,
    );
    seedMemo(g, key, oneOff);
  }
}

/**
 * A per-account measure of the old graph on the new one's accounts (new accounts, at
 * `newAccounts`, 0), or null when it is not of the old graph's size: laid on as a per-edge
 * measure is (`laidOnMerged`), within its own buffer when that was made with room for new
 * accounts (a held graph's, `detection-graph.ts`), where a fresh table of 430,000 accounts costs
 * an incremental run the first touch of its memory, and there are eight. One read whole from a
 * snapshot, with no room, is not written: copied.
 */
function laidOnAccounts<T extends Int32Array | Uint8Array>(
  old: T,
  oldAccounts: number,
  newAccounts: Int32Array,
  accounts: number,
): T | null {
  if (old.length !== oldAccounts) return null;
  const room = old.buffer.byteLength - old.byteOffset > old.byteLength;
  return laidOnMerged(room || accounts > old.length ? old : (old.slice() as T), newAccounts, accounts, 0);
}

/** The new graph's accounts that the old one did not have, ascending (`baseAccount` skips them). */
function newAccountsOf(baseAccount: Int32Array | null, accounts: number): Int32Array {
  if (!baseAccount) return new Int32Array(0);
  const out = new Int32Array(accounts - baseAccount.length);
  let n = 0;
  let a = 0;
  for (let k = 0; k < baseAccount.length; k++) {
    const b = baseAccount[k] as number;
    while (a < b) out[n++] = a++;
    a = b + 1;
  }
  while (a < accounts) out[n++] = a++;
  return out;
}

/**
 * What was carried under `key` from the last run's graph, with what the growth changed (the new
 * pairs) to bring it up to date by; null when either is missing (worked out afresh).
 */
function carriedOf<T>(g: MoneyGraph, key: string): { carried: T; growth: Growth } | null {
  const carried = memoOf<T>(g, `${CARRIED}${key}`);
  const growth = memoOf<Growth>(g, GROWTH_KEY);
  return carried && growth ? { carried, growth } : null;
}

/**
 * The transfer hubs (`TRANSFER_HUBS_KEY`) carried from the last run's graph, brought up to date: a
 * side counted as no hub of transfers is counted again (set to 0) when a new transfer
 * (`isTransfer`, a payment without a merchant code) is the first of its pair, which adds a payee
 * to the payer and a payer to the payee; a shop's payroll to the same people, run after run, adds
 * none. Null when none were carried, or without the new pairs (no degrees carried).
 */
export function carriedTransferHubs(
  g: MoneyGraph,
  key: string,
  isTransfer: (e: number) => boolean,
): Uint8Array | null {
  const found = carriedOf<CarriedHubs>(g, key);
  if (!found) return null;
  const {
    carried: { hubs },
    growth,
  } = found;
  // A side back to "not counted" where it said "not over".
  const recount = (x: number, shift: number) => {
    if (hubSide(hubs[x] as number, shift) === 2) hubs[x] = withHubSide(hubs[x] as number, shift, 0);
  };
  const { pairs } = growth;
  for (let i = 0; i < pairs.a.length; i++) {
    let before = false;
    let now = false;
    for (let x = pairs.start[i] as number; x < (pairs.start[i + 1] as number); x++) {
      const e = pairs.edges[x] as number;
      if (!isTransfer(e)) continue;
      if (pairs.isNew[x] === 1) now = true;
      else before = true;
    }
    if (now && !before) {
      recount(pairs.a[i] as number, HUB_SIDE.out);
      recount(pairs.c[i] as number, HUB_SIDE.in);
    }
  }
  return hubs;
}

/**
 * The edge flags under `key` carried from the last run's graph, brought up to date: `flag(e)` (the
 * rule the flags follow, on this graph's degrees and one-off flags) is asked again for the
 * payments of the new pairs and of the accounts that crossed `maxHubDegree` (became or stopped
 * being hubs), and the counts follow. Null when nothing was carried under `key`: the caller
 * works the flags out over every edge. Each carried value is used once (the caller memoises).
 */
export function carriedFlags(
  g: MoneyGraph,
  key: string,
  maxHubDegree: number,
  flag: (e: number) => boolean,
): EdgeFlags | null {
  const found = carriedOf<EdgeFlags>(g, key);
  if (!found) return null;
  const {
    carried: { edge, inCount, outCount },
    growth,
  } = found;
  const update = (e: number) => {
    const now = flag(e) ? 1 : 0;
    if (edge[e] === now) return;
    edge[e] = now;
    const step = now ? 1 : -1;
    const a = g.from[e] as number;
    const c = g.to[e] as number;
    if (outCount && a >= 0) outCount[a] = (outCount[a] as number) + step;
    if (inCount && c >= 0) inCount[c] = (inCount[c] as number) + step;
  };
  const { edges } = growth.pairs;
  for (let x = 0; x < edges.length; x++) update(edges[x] as number);
  const { payers, payees } = memoOf<DistinctDegrees>(g, DEGREES_KEY) as DistinctDegrees;
  const { changed } = growth;
  for (let i = 0; i < changed.accounts.length; i++) {
    const x = changed.accounts[i] as number;
    const was = (changed.payers[i] as number) > maxHubDegree || (changed.payees[i] as number) > maxHubDegree;
    const is = (payers[x] as number) > maxHubDegree || (payees[x] as number) > maxHubDegree;
    if (was === is) continue;
    for (let k = g.outStart[x] as number; k < (g.outStart[x + 1] as number); k++)
      update(g.outEdges[k] as number);
    for (let k = g.inStart[x] as number; k < (g.inStart[x + 1] as number); k++)
      update(g.inEdges[k] as number);
  }
  return found.carried;
}

/**
 * Gives the graph's memo the measures worked out on a copy of the same graph (a worker's,
 * `parallel-detectors.ts`) that it does not hold yet, under the keys `measuresOf` read them from:
 * so the snapshot carries them to the next run as if worked out here.
 */
export function adoptMeasures(g: MoneyGraph, measures: Measures): void {
  const { payers, payees } = measures;
  if (payers instanceof Int32Array && payees instanceof Int32Array && !memoOf(g, DEGREES_KEY))
    seedMemo(g, DEGREES_KEY, { payers, payees } satisfies DistinctDegrees);
  for (const [name, value] of Object.entries(measures))
    if (
      (name.startsWith(ONE_OFF_KEY) || name === SINGLE_PAIR_KEY) &&
      value instanceof Uint8Array &&
      !memoOf(g, name)
    )
      seedMemo(g, name, value);
  for (const [key, flags] of flagsIn(measures)) if (!memoOf(g, key)) seedMemo(g, key, flags);
  // Transfer hubs each thread counted as asked: what either knows.
  for (const [name, value] of Object.entries(measures)) {
    if (!name.startsWith(TRANSFER_HUBS_KEY) || !(value instanceof Uint8Array)) continue;
    const mine = memoOf<Uint8Array>(g, name);
    if (!mine) seedMemo(g, name, value);
    else
      for (let a = 0; a < mine.length; a++)
        for (const shift of [HUB_SIDE.out, HUB_SIDE.in])
          if (hubSide(mine[a] as number, shift) === 0)
            mine[a] = withHubSide(mine[a] as number, shift, hubSide(value[a] as number, shift));
  }
}

/** The edge flags among the measures (`measuresOf`'s "#edge", "#in", "#out"), by memo key. */
function* flagsIn(measures: Measures): Generator<[string, EdgeFlags]> {
  for (const [name, edge] of Object.entries(measures)) {
    if (!name.endsWith("#edge") || !(edge instanceof Uint8Array)) continue;
    const key = name.slice(0, -"#edge".length);
    if (!isFlagKey(key)) continue;
    const inCount = measures[`${key}#in`];
    const outCount = measures[`${key}#out`];
    yield [
      key,
      {
        edge,
        ...(inCount instanceof Int32Array ? { inCount } : {}),
        ...(outCount instanceof Int32Array ? { outCount } : {}),
      },
    ];
  }
}
