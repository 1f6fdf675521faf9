import { laidOnMerged } from "../graph/merge-edge-columns.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import { DETAIL_TEXTS } from "../model/transaction.js";
import type { DetailColumns } from "../store/store.js";
import { mergeKeys } from "../util/sorted-union.js";
import type { Measures } from "./carried-measures.js";
import {
  DETAIL_TEXT_COLUMNS,
  edgesByLine,
  emptyDetails,
  type TransactionDetails,
} from "./transaction-details.js";

/**
 * The store's detail columns laid onto the graph's edges (joined by file number and line) and
 * its accounts (holders' cities and regions from the party records). Rows whose transaction is
 * not an edge are skipped.
 *
 * An incremental run need not export every detail row again (2 s of a 2M-transaction world's 7 s
 * run): an earlier run's details are carried in the graph snapshot (`detailMeasures`, kept there
 * across runs: `detection-graph.ts` says when they are written again) and only the rows of the
 * files since are read (`detailsGrown`). Both give the details a full load gives, to the string
 * codes, whose order some detectors break ties by.
 */

/** The snapshot's names for the carried details (per edge, and the dictionary as UTF-8 lines). */
const CARRIED_MCC = "details:mcc";
const carriedText = (c: string) => `details:${c}`;
const CARRIED_STRINGS = "details:strings";

export function detailsFromColumns(g: MoneyGraph, c: DetailColumns): TransactionDetails {
  const details = emptyDetails(g.edgeCount, g.accounts.length);
  for (const s of c.strings) details.strings.push(s);
  const edgeAt = edgesByLine(g);
  layRows(details, c, edgeAt, null);
  linkParties(g, details, c);
  return details;
}

/**
 * The details of an earlier graph (the `oldEdges` edges of this one that `addedAt` does not
 * name), carried in the snapshot, laid onto this graph (and their texts onto a dictionary that
 * also holds the new rows' texts, in the same order a full load's has), with the rows of the files
 * since (`read`: `detailColumns({ files })`, asked only when the snapshot carries details) on the
 * edges those files added (`addedAt`, ascending). Null when the snapshot carries no details of
 * that graph.
 */
export async function detailsGrown(
  g: MoneyGraph,
  carried: Measures,
  oldEdges: number,
  addedAt: Int32Array,
  read: () => Promise<DetailColumns>,
): Promise<{ details: TransactionDetails; dictionary: number } | null> {
  if (oldEdges + addedAt.length !== g.edgeCount) return null;
  const strings = carried[CARRIED_STRINGS];
  const old = [CARRIED_MCC, ...DETAIL_TEXT_COLUMNS.map(carriedText)].map((name) => carried[name]);
  if (!(strings instanceof Uint8Array)) return null;
  if (!old.every((a): a is Int32Array => a instanceof Int32Array && a.length === oldEdges)) return null;
  const c = await read();
  const [oldMcc, ...oldTexts] = old as [Int32Array, ...Int32Array[]];
  const oldDictionary = strings.length === 0 ? [] : new TextDecoder().decode(strings).split("\n");
  const { dictionary, oldCode, newCode } = mergeDictionaries(oldDictionary, c.strings);
  const details = emptyDetails(0, g.accounts.length);
  details.strings.push(...dictionary);
  // Each carried column: its codes renumbered (when new texts came between old ones), then laid
  // onto the new graph with none (-1) at the new edges, in place where the snapshot was read with
  // room (a fresh copy of each of 8 columns of 5M edges cost 0.2 s, most of it new memory).
  const spread = (column: Int32Array, codes: Int32Array | null): Int32Array => {
    if (codes)
      for (let e = 0; e < column.length; e++) {
        const v = column[e] as number;
        if (v >= 0) column[e] = codes[v] as number;
      }
    return laidOnMerged(column, addedAt, g.edgeCount, -1);
  };
  details.mcc = spread(oldMcc, null);
  DETAIL_TEXT_COLUMNS.forEach((name, i) => {
    details[name] = spread(oldTexts[i] as Int32Array, oldCode);
  });
  layRows(details, c, edgesByLine(g, addedAt), newCode);
  linkParties(g, details, c);
  return { details, dictionary: dictionary.length };
}

/**
 * What a snapshot carries of the details to the next run: the per-edge columns and the
 * dictionary of the transactions' texts (not the account columns, nor the conductors' accounts:
 * both come from party records, which change without a new transaction file, and are read again).
 */
export function detailMeasures(details: TransactionDetails, dictionary: number): Measures {
  const out: Measures = {
    [CARRIED_MCC]: details.mcc,
    [CARRIED_STRINGS]: new TextEncoder().encode(details.strings.slice(0, dictionary).join("\n")),
  };
  for (const name of DETAIL_TEXT_COLUMNS) out[carriedText(name)] = details[name];
  return out;
}

/** The rows of `c` on their edges, their text codes through `codes` (null: as they are). */
function layRows(
  details: TransactionDetails,
  c: DetailColumns,
  edgeAt: Map<number, Int32Array>,
  codes: Int32Array | null,
): void {
  const columns = DETAIL_TEXT_COLUMNS.map(
    (name, i) => [details[name], c.text[DETAIL_TEXTS[i] as (typeof DETAIL_TEXTS)[number]]] as const,
  );
  for (let i = 0; i < c.fileNo.length; i++) {
    const edge = edgeAt.get(c.fileNo[i] as number)?.[c.line[i] as number] ?? -1;
    if (edge < 0) continue;
    details.mcc[edge] = c.mcc[i] as number;
    for (const [target, source] of columns) {
      const v = source[i] as number;
      target[edge] = v >= 0 && codes ? (codes[v] as number) : v;
    }
  }
}

/**
 * What party records add: the account of each conductor a record names (by the conductor's text,
 * `conductorAccounts`), and the home city and region of each account, their texts added to the
 * dictionary's end.
 */
function linkParties(g: MoneyGraph, details: TransactionDetails, c: DetailColumns): void {
  const codes = new Map(details.strings.map((s, i) => [s, i]));
  if (c.conductorAccounts.size > 0) {
    const accountOf = new Int32Array(details.strings.length).fill(-1);
    for (const [id, key] of c.conductorAccounts) {
      const code = codes.get(id);
      if (code !== undefined) accountOf[code] = g.indexOf.get(key) ?? -1;
    }
    details.conductorAccounts = accountOf;
  }
  const code = (s: string) => {
    let k = codes.get(s);
    if (k === undefined) {
      k = details.strings.length;
      details.strings.push(s);
      codes.set(s, k);
    }
    return k;
  };
  for (const home of c.homes) {
    const a = g.indexOf.get(home.account);
    if (a === undefined) continue;
    const city = home.city?.trim();
    const region = home.region?.trim();
    if (city) details.homeCity[a] = code(city);
    if (region) details.homeRegion[a] = code(region);
  }
}

/**
 * Two dictionaries in the store's order merged into one in that order (`mergeKeys`), with each
 * one's codes in it; the old codes null when they stand (no new text sorts between old ones).
 */
export function mergeDictionaries(
  a: readonly string[],
  b: readonly string[],
): { dictionary: string[]; oldCode: Int32Array | null; newCode: Int32Array } {
  const { keys, fromA, fromB } = mergeKeys(a, b);
  const moved = fromA.some((code, k) => code !== k);
  return { dictionary: keys, oldCode: moved ? fromA : null, newCode: fromB };
}
