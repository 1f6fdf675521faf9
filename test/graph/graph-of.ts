import { buildMoneyGraph, type MoneyGraph } from "../../src/graph/money-graph.js";

export const DAY = 86_400_000;

/** One transaction of a test graph: payer, payee ("" for cash), day, USD amount, channel index. */
export type Row = [from: string, to: string, day: number, amount: number, channel?: number];

/**
 * A money graph from rows in time order, accounts named (sorted by name, so "A" is 0), each row
 * an edge on its line (row i on line i + 2 of one file). Shared by the graph tests.
 */
export function graphOf(rows: readonly Row[]): MoneyGraph {
  const ends = [...rows.map((r) => r[0]), ...rows.map((r) => r[1])];
  const names = [...new Set(ends.filter((x) => x !== ""))].sort();
  const index = (n: string) => (n === "" ? -1 : names.indexOf(n));
  return buildMoneyGraph({
    accounts: names,
    from: Int32Array.from(rows.map((r) => index(r[0]))),
    to: Int32Array.from(rows.map((r) => index(r[1]))),
    time: Float64Array.from(rows.map((r) => r[2] * DAY)),
    amountUsd: Float64Array.from(rows.map((r) => r[3])),
    channel: Uint8Array.from(rows.map((r) => r[4] ?? 0)),
    fileNo: new Int32Array(rows.length).fill(1),
    line: Int32Array.from(rows.map((_, i) => i + 2)),
    files: new Map([[1, "f".repeat(64)]]),
  });
}

/** A money graph over accounts 0..nodes-1 (named `a0000`…) from `[from, to, amount]` rows, a day apart. */
export function numberedGraph(nodes: number, rows: readonly [number, number, number][]): MoneyGraph {
  return buildMoneyGraph({
    accounts: Array.from({ length: nodes }, (_, i) => `a${String(i).padStart(4, "0")}`),
    from: Int32Array.from(rows.map((r) => r[0])),
    to: Int32Array.from(rows.map((r) => r[1])),
    time: Float64Array.from(rows.map((_, i) => i * DAY)),
    amountUsd: Float64Array.from(rows.map((r) => r[2])),
    channel: new Uint8Array(rows.length),
    fileNo: new Int32Array(rows.length).fill(1),
    line: Int32Array.from(rows.map((_, i) => i + 2)),
    files: new Map([[1, "f".repeat(64)]]),
  });
}

/**
 * The rows in data that runs on for months after them (an unrelated payment 80 days on, the last
 * edge): long enough to see a payer pay again, so that the rules asked only on data too short for
 * that (month-start.ts, `recurrenceUnseen`) are not asked.
 */
export const withLaterData = (rows: readonly Row[]): Row[] => [...rows, ["X", "Y", 80, 100, 1]];
