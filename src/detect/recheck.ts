import { addedFlags } from "../graph/merge-edge-columns.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import type { StoredAlert } from "../store/store.js";
import { codePointBefore } from "../util/code-point-order.js";
import { IntList } from "../util/int-list.js";
import { scratch } from "../util/scratch-pool.js";
import { subjectName } from "./alert-record.js";

/**
 * Which stored alerts an incremental run looks at again besides the patterns with a new
 * transaction (docs/detect.md, Incremental detection). An alert whose pattern has no new
 * transaction is not made again, but what its reasons say of its accounts may no longer hold
 * once one of them has new records ("the account has no other days with cash" when a cash day
 * has come in, "6 of its 8 payers" when it has more). So the payments of every alert naming an
 * account with a new transaction are marked as if new: the detectors then examine those patterns
 * as they examine new ones, and a finding that cites one is exactly what a full run finds there,
 * which brings the alert up to date (or leaves it as it was, if the pattern no longer holds).
 */

/**
 * The account of `key`: the accounts are in the store's key order (code points), so a binary
 * search, the graph's map (`indexOf`) if not. A few lookups here, where building that map costs
 * 0.4 s on the bench's 430,000 accounts; callers that look up every edge's account use the map.
 */
function accountOf(g: MoneyGraph, key: string): number {
  let lo = 0;
  let hi = g.accounts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (codePointBefore(g.accounts[mid] as string, key)) lo = mid + 1;
    else hi = mid;
  }
  if (g.accounts[lo] === key) return lo;
  return g.indexOf.get(key) ?? -1;
}

export interface Recheck {
  /** Per edge, 1 if it is new or a payment of an alert looked at again. */
  flags: Uint8Array;
  /** Those edges, ascending. */
  edges: Int32Array;
  /** The alerts looked at again (by id). */
  alerts: Set<string>;
}

/**
 * The stored alerts of `typologies` that name an account with a new transaction (`addedAt`, the
 * new edges ascending, as the merge gave them), and the new edges with their payments marked.
 */
export function recheckAlerts(
  g: MoneyGraph,
  addedAt: Int32Array,
  stored: readonly StoredAlert[],
  typologies: ReadonlySet<string>,
): Recheck {
  // Flags written where they are set: a copy of the merge's per-edge flags wrote all 5 MB on 5M
  // edges. Likewise the accounts touched.
  const flags = addedFlags(addedAt, g.edgeCount, scratch.take(Uint8Array, g.edgeCount));
  const alerts = new Set<string>();
  const touched = scratch.take(Uint8Array, g.accounts.length);
  let touching = false;
  const touch = (a: number) => {
    if (a < 0) return;
    touched[a] = 1;
    touching = true;
  };
  for (let i = 0; i < addedAt.length; i++) {
    const e = addedAt[i] as number;
    touch(g.from[e] as number);
    touch(g.to[e] as number);
  }
  if (!touching) return { flags, edges: addedAt, alerts };
  const marked = new IntList();
  const fileOf = new Map([...g.files].map(([no, sha]) => [sha, no]));
  for (const { record } of stored) {
    if (!typologies.has(record.typology)) continue;
    const accounts = record.subjects.map((s) => accountOf(g, subjectName(s)));
    if (!accounts.some((a) => a >= 0 && touched[a] === 1)) continue;
    alerts.add(record.id);
    // Every payment of a pattern is some subject's: found in the subjects' own lists.
    // Lines by file: small integers hash fast, where file and line as one number (past 2^31) did
    // not, and the subjects' lists can be long.
    const cited = new Map<number, Set<number>>();
    for (const s of record.sources) {
      const no = fileOf.get(s.file) ?? -1;
      const lines = cited.get(no) ?? new Set<number>();
      lines.add(s.line);
      cited.set(no, lines);
    }
    // The cited test first: it reads the graph's columns, where the flags' fresh pages, read at
    // every payment of a hub's lists, each cost a first touch (900 of them a delivery of 1%).
    const mark = (e: number) => {
      if (cited.get(g.fileNo[e] as number)?.has(g.line[e] as number) && flags[e] === 0) {
        flags[e] = 1;
        marked.push(e);
      }
    };
    for (const a of accounts) {
      if (a < 0) continue;
      for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++)
        mark(g.outEdges[k] as number);
      for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++)
        mark(g.inEdges[k] as number);
    }
  }
  return { flags, edges: unionOf(addedAt, marked.view().sort()), alerts };
}

/** Two ascending lists of distinct values, with none in both, as one. */
function unionOf(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++)
    out[k] =
      j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))
        ? (a[i++] as number)
        : (b[j++] as number);
  return out;
}
