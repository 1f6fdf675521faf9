import type { MoneyGraph } from "../graph/money-graph.js";
import type { DetectionData } from "./detector.js";

/**
 * The optional details of each transaction (merchant category, merchant, place, counterparty
 * country, branch, conductor), laid out per graph edge in typed arrays so that detectors can read
 * them in their hot loops. The store keeps them apart from the rows (`transaction_details`, keyed
 * by file number and source line, a row only where a transaction has any); this module joins them
 * to the graph's edges by the same key. Texts are interned: every text column holds an index into
 * one table of strings, so an edge costs 4 bytes a column and comparing two cities is comparing two
 * integers.
 */

export interface TransactionDetails {
  /**
   * Per edge: the merchant category code (ISO 18245) as a number, -1 where none or not 4 digits.
   * 32 bits, as the snapshot carries it: an incremental run lays the carried column onto its graph
   * in place, where a 16-bit copy (and a 32-bit one again for the next run) cost fresh memory.
   */
  mcc: Int32Array;
  /** Per edge: an index into `strings`, -1 where the transaction has none. */
  merchant: Int32Array;
  city: Int32Array;
  region: Int32Array;
  country: Int32Array;
  counterpartyCountry: Int32Array;
  branch: Int32Array;
  conductor: Int32Array;
  /**
   * Per conductor (an index into `strings`, as `conductor` gives it): the graph account the
   * workspace's party records link the conductor's record id to (KYC); -1, or beyond the end,
   * where none (`conductorAccountOf` reads it for an edge). Per conductor, not per edge: a table of
   * every edge, made afresh on every run, cost an incremental run 20 MB of new memory on 5M edges.
   */
  conductorAccounts: Int32Array;
  /**
   * Per account (not per edge): the city of its holder's address in the workspace's party
   * records (KYC), an index into `strings`; -1 where no party record gives one.
   */
  homeCity: Int32Array;
  /** Per account: the region (state) of its holder's address, as `homeCity`; -1 where none. */
  homeRegion: Int32Array;
  /** The interned texts, shared by every text column. */
  strings: string[];
}

/** The graph account of edge e's conductor, where party records link it to one; else -1. */
export function conductorAccountOf(details: TransactionDetails, e: number): number {
  const c = details.conductor[e] as number;
  return c >= 0 ? (details.conductorAccounts[c] ?? -1) : -1;
}

/** The text columns, as `TransactionDetails` names them. */
export const DETAIL_TEXT_COLUMNS = [
  "merchant",
  "city",
  "region",
  "country",
  "counterpartyCountry",
  "branch",
  "conductor",
] as const;
export type DetailTextColumn = (typeof DETAIL_TEXT_COLUMNS)[number];

/** One transaction's details as a store row gives them (null or absent: none). */
export type EdgeDetail = { mcc?: string | null } & { [C in DetailTextColumn]?: string | null };

/** A `transaction_details` row: where the transaction comes from, and its details. */
export interface DetailRow extends EdgeDetail {
  fileNo: number;
  line: number;
  /** The account key of the party whose record id is the conductor, if the parties name one. */
  conductorAccount?: string | null;
}

/** A party record's account and the city of its address. */
export interface HomeRow {
  account: string;
  city: string | null;
  region?: string | null;
}

/** Details of `edgeCount` edges (and `accountCount` accounts) that have none yet. */
export function emptyDetails(edgeCount: number, accountCount: number): TransactionDetails {
  const none = () => new Int32Array(edgeCount).fill(-1);
  return {
    mcc: new Int32Array(edgeCount).fill(-1),
    merchant: none(),
    city: none(),
    region: none(),
    country: none(),
    counterpartyCountry: none(),
    branch: none(),
    conductor: none(),
    conductorAccounts: new Int32Array(0),
    homeCity: new Int32Array(accountCount).fill(-1),
    homeRegion: new Int32Array(accountCount).fill(-1),
    strings: [],
  };
}

/** Writes one edge's details into `into`, interning its texts through `intern`. */
function put(into: TransactionDetails, edge: number, d: EdgeDetail, intern: (s: string) => number): void {
  const mcc = d.mcc?.trim();
  if (mcc && /^\d{4}$/.test(mcc)) into.mcc[edge] = Number(mcc);
  for (const c of DETAIL_TEXT_COLUMNS) {
    const text = d[c]?.trim();
    if (text) into[c][edge] = intern(text);
  }
}

function interner(strings: string[]): (s: string) => number {
  const index = new Map(strings.map((s, i) => [s, i]));
  return (s) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
}

/**
 * Per file number, the edge at each line (dense arrays: lines run from 2 to the file's length),
 * over every edge or only the listed ones.
 */
export function edgesByLine(
  g: Pick<MoneyGraph, "fileNo" | "line">,
  only?: Int32Array,
): Map<number, Int32Array> {
  const each = (f: (e: number) => void) => {
    if (only) for (const e of only) f(e);
    else for (let e = 0; e < g.line.length; e++) f(e);
  };
  const lastLine = new Map<number, number>();
  each((e) => {
    const f = g.fileNo[e] as number;
    lastLine.set(f, Math.max(lastLine.get(f) ?? 0, g.line[e] as number));
  });
  const edgeAt = new Map<number, Int32Array>();
  for (const [f, last] of lastLine) edgeAt.set(f, new Int32Array(last + 1).fill(-1));
  each((e) => {
    (edgeAt.get(g.fileNo[e] as number) as Int32Array)[g.line[e] as number] = e;
  });
  return edgeAt;
}

/**
 * Joins store rows to the graph's edges by (file number, source line), and party records to its
 * accounts by key. A row whose transaction is not an edge of the graph (a file not loaded, a line
 * quarantined) is skipped and counted. Where several party records give an account a city, the
 * first one read is kept.
 */
export function buildTransactionDetails(
  g: Pick<MoneyGraph, "fileNo" | "line" | "indexOf" | "accounts">,
  rows: Iterable<DetailRow>,
  homes: Iterable<HomeRow> = [],
): { details: TransactionDetails; unmatched: number } {
  const details = emptyDetails(g.line.length, g.accounts.length);
  const edgeAt = edgesByLine(g);
  const intern = interner(details.strings);
  let unmatched = 0;
  const linked = new Map<number, number>();
  for (const row of rows) {
    const edge = edgeAt.get(row.fileNo)?.[row.line] ?? -1;
    if (edge < 0) {
      unmatched++;
      continue;
    }
    put(details, edge, row, intern);
    const conductor = details.conductor[edge] as number;
    if (row.conductorAccount && conductor >= 0)
      linked.set(conductor, g.indexOf.get(row.conductorAccount) ?? -1);
  }
  details.conductorAccounts = new Int32Array(details.strings.length).fill(-1);
  for (const [conductor, account] of linked) details.conductorAccounts[conductor] = account;
  for (const home of homes) {
    const a = g.indexOf.get(home.account);
    const city = home.city?.trim();
    if (a === undefined || !city || details.homeCity[a] !== -1) continue;
    details.homeCity[a] = intern(city);
    const region = home.region?.trim();
    if (region) details.homeRegion[a] = intern(region);
  }
  return { details, unmatched };
}

/**
 * Details given edge by edge (edge index → details) and home cities and regions account by
 * account (account index → text): how tests and small tools build them.
 */
export function detailsOfEdges(
  g: Pick<MoneyGraph, "edgeCount" | "accounts">,
  byEdge: Readonly<Record<number, EdgeDetail>>,
  homeCity: Readonly<Record<number, string>> = {},
  homeRegion: Readonly<Record<number, string>> = {},
): TransactionDetails {
  const details = emptyDetails(g.edgeCount, g.accounts.length);
  const intern = interner(details.strings);
  for (const [edge, d] of Object.entries(byEdge)) {
    const e = Number(edge);
    if (!(e >= 0 && e < g.edgeCount)) throw new Error(`detailsOfEdges: no edge ${edge}`);
    put(details, e, d, intern);
  }
  for (const [account, city] of Object.entries(homeCity)) {
    const a = Number(account);
    if (!(a >= 0 && a < g.accounts.length)) throw new Error(`detailsOfEdges: no account ${account}`);
    details.homeCity[a] = intern(city);
  }
  for (const [account, region] of Object.entries(homeRegion))
    details.homeRegion[Number(account)] = intern(region);
  return details;
}

/** Detection data with its details: `DetectionData` carries them (kept as a name for tests). */
export type DetectionDataWithDetails = DetectionData;

/**
 * The details handed to a detector. A detector that needs them is only run when the data has the
 * fields (else NOT_EVALUABLE), so their absence here is a wiring fault, reported as such rather
 * than as "nothing found".
 */
export function detailsOf(data: DetectionData): TransactionDetails {
  const details = (data as DetectionDataWithDetails).details;
  if (!details)
    throw new Error("transaction details were not loaded: detect must pass DetectionData.details");
  if (details.mcc.length !== data.graph.edgeCount)
    throw new Error(
      `transaction details cover ${details.mcc.length} edges, the graph has ${data.graph.edgeCount}`,
    );
  return details;
}

/**
 * The value of a text column an account's own transactions most often carry: where it pays by
 * card, withdraws or deposits cash itself (edges it pays), and, for a merchant, where its card
 * takings are made. Deposits others make into it are left out: they show where the depositors
 * are. -1 when none of them has the column.
 */
export function usualValue(
  g: MoneyGraph,
  details: TransactionDetails,
  column: DetailTextColumn,
  account: number,
): number {
  const values = details[column];
  const counts = new Map<number, number>();
  let best = -1;
  let bestCount = 0;
  const count = (e: number) => {
    const v = values[e] as number;
    if (v < 0) return;
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    // Ties go to the smaller index: the same answer whatever the order of the edges.
    if (n > bestCount || (n === bestCount && v < best)) {
      best = v;
      bestCount = n;
    }
  };
  for (let k = g.outStart[account] as number; k < (g.outStart[account + 1] as number); k++)
    count(g.outEdges[k] as number);
  for (let k = g.inStart[account] as number; k < (g.inStart[account + 1] as number); k++) {
    const e = g.inEdges[k] as number;
    if ((details.mcc[e] as number) >= 0 && (g.from[e] as number) >= 0) count(e);
  }
  return best;
}
