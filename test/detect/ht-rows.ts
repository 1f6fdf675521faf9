import { expect } from "vitest";
import {
  DETECTION_FIELDS,
  type DetectionField,
  type Detector,
  type Finding,
} from "../../src/detect/detector.js";
import { focusOn, touchesNew } from "../../src/detect/focus.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import {
  type DetectionDataWithDetails,
  detailsOfEdges,
  type EdgeDetail,
} from "../../src/detect/transaction-details.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { Channel } from "../../src/model/channel.js";
import { graphOf, type Row } from "../graph/graph-of.js";

/**
 * Test ledgers for the detectors that read transaction details (ht-*, hs-*): rows as graphOf has
 * them, each with its details; row i is edge i (rows come in time order).
 */

export const CASH = Channel.options.indexOf("cash");
export const ACH = Channel.options.indexOf("ach");
export const WIRE = Channel.options.indexOf("wire");
export const CARD = Channel.options.indexOf("card");
export const P2P = Channel.options.indexOf("p2p");
export const MSB = Channel.options.indexOf("msb");

/** A transaction: payer, payee ("" for cash), day, USD amount, channel, details. */
export type DetailedRow = [
  from: string,
  to: string,
  day: number,
  amount: number,
  channel: number,
  detail?: EdgeDetail,
];

export interface Ledger {
  graph: MoneyGraph;
  data: DetectionDataWithDetails;
  /** Account index by name. */
  at: (name: string) => number;
}

/** Sorts rows by day (stable), then builds the graph and its details. */
export function ledger(
  rows: readonly DetailedRow[],
  homeCity: Record<string, string> = {},
  homeRegion: Record<string, string> = {},
): Ledger {
  const sorted = rows.map((r, i) => [r, i] as const).sort((a, b) => a[0][2] - b[0][2] || a[1] - b[1]);
  const graph = graphOf(sorted.map(([r]) => [r[0], r[1], r[2], r[3], r[4]] as Row));
  const at = (name: string) => {
    const i = graph.accounts.indexOf(name);
    if (i < 0) throw new Error(`no account ${name}`);
    return i;
  };
  const byEdge: Record<number, EdgeDetail> = {};
  sorted.forEach(([r], e) => {
    if (r[5]) byEdge[e] = r[5];
  });
  const byAccount = (m: Record<string, string>) =>
    Object.fromEntries(Object.entries(m).map(([name, v]) => [at(name), v]));
  const details = detailsOfEdges(graph, byEdge, byAccount(homeCity), byAccount(homeRegion));
  return { graph, data: { graph, available: new Set(DETECTION_FIELDS), details }, at };
}

/** Runs one detector with its defaults overridden by `params`. */
export function runOn<P extends Record<string, unknown>>(
  d: { run: (data: never, params: never) => Finding[]; params: { parse: (x: unknown) => unknown } },
  l: Ledger,
  params: P = {} as P,
): Finding[] {
  return d.run(l.data as never, d.params.parse(params) as never);
}

/** A detector as the tests run it: its run and its parameters' parser. */
type Runnable = {
  run: (data: never, params: never) => Finding[];
  params: { parse: (x: unknown) => unknown };
};

/**
 * Incremental runs over a ledger, each with one of its payments as the only new one: the payments
 * for which the detector's findings with the new payment differ from a full run's, and how many
 * such findings the full run had over all of them (so that a test can ask that there were some).
 */
function eachPaymentNew<P extends Record<string, unknown>>(
  d: Runnable,
  l: Ledger,
  params: P = {} as P,
): { differ: number[]; compared: number } {
  const p = d.params.parse(params) as never;
  const full = d.run(l.data as never, p);
  const differ: number[] = [];
  let compared = 0;
  for (let e = 0; e < l.graph.edgeCount; e++) {
    const flags = new Uint8Array(l.graph.edgeCount);
    flags[e] = 1;
    const focus = focusOn(l.graph, flags, 100);
    const want = full.filter((f) => touchesNew(focus, f));
    const got = d.run({ ...l.data, focus } as never, p).filter((f) => touchesNew(focus, f));
    compared += want.length;
    if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(e);
  }
  return { differ, compared };
}

/**
 * Asserts that incremental runs, each with one payment of the ledger as the only new one, find
 * what a full run finds with it (`eachPaymentNew`), over at least `fewest` findings in all.
 */
export function expectIncrementalAsFull<P extends Record<string, unknown>>(
  d: Runnable,
  l: Ledger,
  fewest = 1,
  params?: P,
): void {
  const { differ, compared } = eachPaymentNew(d, l, params);
  expect(differ).toEqual([]);
  expect(compared).toBeGreaterThanOrEqual(fewest);
}

/** A finding's subjects as [account name, role]. */
export const subjectsOf = (l: Ledger, f: Finding) =>
  f.subjects.map((s) => [l.graph.accounts[s.account], s.role]);

/** A finding's transactions as rows of the ledger: [from, to, day]. */
export const edgesOf = (l: Ledger, f: Finding) =>
  f.edges.map((e) => [
    l.graph.accounts[l.graph.from[e] as number] ?? "",
    l.graph.accounts[l.graph.to[e] as number] ?? "",
    (l.graph.time[e] as number) / 86_400_000,
  ]);

/** The fields AMLworld's files give: no merchant, place or counterparty details. */
export const AMLWORLD_FIELDS: ReadonlySet<DetectionField> = new Set([
  "ts",
  "amount_usd",
  "channel",
  "from_account",
  "to_account",
]);

/** A detector's outcome on data with only AMLworld's fields (details absent, as detect gives them). */
export function onAmlworldFields(d: Detector, l: Ledger) {
  const [outcome] = runDetectors({ graph: l.graph, available: AMLWORLD_FIELDS }, [d]);
  return outcome;
}
