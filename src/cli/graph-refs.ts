import { buildMoneyGraph, type MoneyGraph } from "../graph/money-graph.js";
import type { Sha256 } from "../model/ids.js";
import type { SourceRef } from "../model/source.js";
import type { Store } from "../store/store.js";
import { UsageError } from "./command.js";

/**
 * What the graph commands share: the graph built from the store, accounts by key, and the way
 * back from graph edges to transaction ids and SourceRefs (so every result cites its evidence).
 */

export async function loadGraph(store: Store): Promise<MoneyGraph> {
  return buildMoneyGraph(await store.edgeColumns());
}

export function accountIndex(g: MoneyGraph, key: string, command: string): number {
  const index = g.indexOf.get(key);
  if (index === undefined) throw new UsageError(`${command}: no account "${key}" in the workspace`);
  return index;
}

export function sourceOf(g: MoneyGraph, e: number): SourceRef {
  return { file: g.files.get(g.fileNo[e] as number) as Sha256, line: g.line[e] as number };
}

/** Transaction ids of graph edges, looked up in the store once for all of them. */
export async function transactionIds(
  store: Store,
  g: MoneyGraph,
  edges: readonly number[],
): Promise<Map<number, string | null>> {
  const unique = [...new Set(edges)];
  const txs = await store.transactionsAt(unique.map((e) => sourceOf(g, e)));
  return new Map(unique.map((e, i) => [e, txs[i]?.id ?? null]));
}

export const cents = (x: number): number => Math.round(x * 100) / 100;

/** `2022-09-01` (a whole day, UTC) or an ISO instant; `end` takes the day's last millisecond. */
export function parseWhen(
  command: string,
  flag: string,
  text: string | undefined,
  end: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms))
    throw new UsageError(`${command}: ${flag} takes a date (YYYY-MM-DD) or an ISO instant, got "${text}"`);
  return day && end ? ms + 86_400_000 - 1 : ms;
}

/** A whole number ≥ `min` from an option, or the default. */
export function wholeOption(command: string, flag: string, text: unknown, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${command}: ${flag} takes a whole number ≥ ${min} (got "${String(text)}")`);
  return n;
}
