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
