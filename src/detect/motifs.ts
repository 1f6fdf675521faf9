import type { MoneyGraph } from "../graph/money-graph.js";
import { carriedFlags } from "./carried-measures.js";
import { distinctDegrees } from "./degrees.js";
import { memoised } from "./graph-memo.js";
import { oneOffEdges } from "./one-off.js";
import type { TransactionDetails } from "./transaction-details.js";
import { transferHubs } from "./transfer-hubs.js";

/**
 * What the two-phase motifs (scatter-gather and gather-scatter, typologies.md §3.3) share: who
 * counts as a hub, and which counterparties are one-off rather than relationships.
 */

export type Side = "in" | "out";

// Per graph, what the motifs share, by name and parameters (graph-memo.ts): both detectors ask
// for the same degrees and flags, and each costs a pass over every edge.

/** What one pass over every account's payments tells. */
interface PairStats {
  /** Per account, its distinct payees and its distinct payers (cash and itself not counted). */
  outDegree: Int32Array;
  inDegree: Int32Array;
  /**
   * Per edge, 1 if all the dealings of its payer with its payee (that direction) fall within
   * `relationship` ms of each other: a one-off, as a single-use member of a motif deals. A pair
   * whose dealings span longer is a relationship (an employer, a landlord, a friend).
   */
  oneOff: Uint8Array;
}

/**
 * Degrees (`distinctDegrees`) and one-off flags (`oneOffEdges`), each memoised per graph and
 * carried from one run's graph to the next (`carried-measures.ts`).
 */
function pairStats(g: MoneyGraph, relationship: number): PairStats {
  const { payers, payees } = distinctDegrees(g);
  return { outDegree: payees, inDegree: payers, oneOff: oneOffEdges(g, relationship) };
}

/** The edges that may be part of a motif, and how many of them each account has per side. */
export interface MotifEdges {
  /** Per edge, 1 if it may be part of a motif. */
  edge: Uint8Array;
  /** Per account, its motif edges in (received) and out (paid). */
  inCount: Int32Array;
  outCount: Int32Array;
}

/**
 * The edges that may be part of a motif: between two distinct accounts, neither of them a hub
 * (more than `maxHubDegree` distinct payers or payees: a merchant, a payroll processor or a
 * marketplace deals with everyone as its business), and a one-off between them (`pairStats`).
 * Memoised per graph.
 */
export function motifEdges(g: MoneyGraph, maxHubDegree: number, relationship: number): MotifEdges {
  const key = `motif:${maxHubDegree}:${relationship}`;
  return memoised(g, key, () => {
    const { outDegree, inDegree, oneOff } = pairStats(g, relationship);
    // Carried from the last run's graph (an incremental run), updated where they can have changed.
    const isHub = (a: number) =>
      (outDegree[a] as number) > maxHubDegree || (inDegree[a] as number) > maxHubDegree;
    const carried = carriedFlags(g, key, maxHubDegree, (e) => {
      const from = g.from[e] as number;
      const to = g.to[e] as number;
      return oneOff[e] === 1 && from >= 0 && to >= 0 && from !== to && !isHub(from) && !isHub(to);
    });
    if (carried?.inCount && carried.outCount)
      return { edge: carried.edge, inCount: carried.inCount, outCount: carried.outCount };
    const hub = new Uint8Array(g.accounts.length);
    for (let a = 0; a < hub.length; a++)
      hub[a] = (outDegree[a] as number) > maxHubDegree || (inDegree[a] as number) > maxHubDegree ? 1 : 0;
    const edge = new Uint8Array(g.edgeCount);
    const inCount = new Int32Array(g.accounts.length);
    const outCount = new Int32Array(g.accounts.length);
    for (let e = 0; e < edge.length; e++) {
      const from = g.from[e] as number;
      const to = g.to[e] as number;
      if (!oneOff[e] || from < 0 || to < 0 || from === to || hub[from] || hub[to]) continue;
      edge[e] = 1;
      outCount[from] = (outCount[from] as number) + 1;
      inCount[to] = (inCount[to] as number) + 1;
    }
    return { edge, inCount, outCount };
  });
}

/**
 * Motif edges that are transfers, not purchases: where the data has merchant category codes, a
 * payment with one is a purchase (a shop's customers are no gathers, shoppers of one small store
 * no layer). Without them (AMLworld's files) the motif edges as they are. A test per edge, where a
 * copy of the flags with the purchases cleared cost a pass over every edge on every run (30 ms on
 * 5M, incremental runs too).
 */
export function transferEdges(
  g: MoneyGraph,
  maxHubDegree: number,
  relationship: number,
  details?: TransactionDetails,
): (e: number) => boolean {
  const motif = motifEdges(g, maxHubDegree, relationship).edge;
  if (!details) return (e) => motif[e] === 1;
  const mcc = details.mcc;
  return (e) => motif[e] === 1 && (mcc[e] as number) < 0;
}

/** Transfers `motifEdges` leaves out only for the shops an end buys from (`shopperTransfers`). */
export interface ShopperTransfers {
  /** Whether edge e is one. */
  edge: (e: number) => boolean;
  /** Per account, how many of them it received and paid. */
  inCount: Int32Array;
  outCount: Int32Array;
}

/**
 * Transfers that `motifEdges` leaves out only because an end counts as a hub by the shops it buys
 * from: where the data has merchant codes, a person paying 117 merchants by card is no hub of
 * transfers, and the one-off transfer it receives may be a motif's. An account over
 * `maxHubDegree` is counted again without its purchases (there are few; `transfer-hubs.ts`, kept
 * from run to run). Null without merchant codes (AMLworld's files): every counterparty counts there.
 */
export function shopperTransfers(
  g: MoneyGraph,
  maxHubDegree: number,
  relationship: number,
  details?: TransactionDetails,
): ShopperTransfers | null {
  if (!details) return null;
  const mcc = details.mcc;
  return memoised(g, `shopper-transfers:${maxHubDegree}:${relationship}`, () => {
    const { outDegree, inDegree, oneOff } = pairStats(g, relationship);
    const overDegree = (a: number) =>
      (outDegree[a] as number) > maxHubDegree || (inDegree[a] as number) > maxHubDegree;
    // Over the bar by all their counterparties: hubs of transfers, or only by the shops they buy from.
    const hubs = transferHubs(g, maxHubDegree, mcc);
    const kindOf = (a: number): number => {
      if (!overDegree(a)) return 0;
      return hubs.over(a, "out") || hubs.over(a, "in") ? 1 : 2;
    };
    const edge = (e: number): boolean => {
      const from = g.from[e] as number;
      const to = g.to[e] as number;
      if (oneOff[e] !== 1 || from < 0 || to < 0 || from === to || (mcc[e] as number) >= 0) return false;
      // Neither over the bar: a motif edge already, or none for other reasons.
      if (!overDegree(from) && !overDegree(to)) return false;
      return kindOf(from) !== 1 && kindOf(to) !== 1;
    };
    // A pass over the edges, the costly recount asked only of the ends of one-off transfers.
    const inCount = new Int32Array(g.accounts.length);
    const outCount = new Int32Array(g.accounts.length);
    for (let e = 0; e < g.edgeCount; e++) {
      if (!edge(e)) continue;
      const from = g.from[e] as number;
      const to = g.to[e] as number;
      outCount[from] = (outCount[from] as number) + 1;
      inCount[to] = (inCount[to] as number) + 1;
    }
    return { edge, inCount, outCount };
  });
}

/**
 * Whole dollars with thousands separators, as reasons show them: what `toLocaleString("en-US")`
 * writes, without its cost (the locale's formatter, 10–15 ms of an incremental run's reasons).
 */
export function usd(x: number): string {
  const r = Math.round(x);
  if (!Number.isSafeInteger(r) || Object.is(r, -0)) return r.toLocaleString("en-US");
  const digits = String(Math.abs(r));
  let out = r < 0 ? "-" : "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

/** A ratio as reasons show it: two decimals. */
export function ratio(x: number): string {
  return x.toFixed(2);
}

/** Where to look for a counterparty that a motif's members share. */
export interface LayerQuery {
  /** The members' payees ("out") or payers ("in"). */
  side: Side;
  /** The motif's own accounts, which the members all deal with by construction. */
  except: ReadonlySet<number>;
  /** The motif's window; padded by its own length (at least `relationship`) on both sides. */
  window: { from: number; to: number };
  /** Motif edges (`motifEdges(…).edge`): one-offs between non-hubs. */
  motifEdge: Uint8Array;
  relationship: number;
  /** Payments under this do not count: a layer moves sums like the motif's, not card purchases. */
  minUsd: number;
}

/**
 * An account that at least two thirds (and at least two) of `members` deal with as the query
 * says, or -1. Members of a scatter-gather or gather-scatter each deal with the motif's own
 * accounts alone; members that share another counterparty are a layer of a bipartite or stack
 * motif, where (nearly) every originator pays every intermediary.
 */
export function sharedCounterparty(g: MoneyGraph, members: readonly number[], q: LayerQuery): number {
  const start = q.side === "out" ? g.outStart : g.inStart;
  const list = q.side === "out" ? g.outEdges : g.inEdges;
  const ends = q.side === "out" ? g.to : g.from;
  const quorum = Math.max(2, Math.ceil((2 * members.length) / 3));
  // Around the motif: a layer's other payments may come before the motif's first or after its last.
  const pad = Math.max(q.window.to - q.window.from, q.relationship);
  const [from, to] = [q.window.from - pad, q.window.to + pad];
  const sharedBy = new Map<number, number>();
  for (const m of members) {
    const seen = new Set<number>();
    for (let k = start[m] as number; k < (start[m + 1] as number); k++) {
      const e = list[k] as number;
      const t = g.time[e] as number;
      if (t < from) continue;
      if (t > to) break;
      const c = ends[e] as number;
      if (!q.motifEdge[e] || (g.amountUsd[e] as number) < q.minUsd || q.except.has(c) || seen.has(c))
        continue;
      seen.add(c);
      const n = (sharedBy.get(c) ?? 0) + 1;
      if (n >= quorum) return c;
      sharedBy.set(c, n);
    }
  }
  return -1;
}
