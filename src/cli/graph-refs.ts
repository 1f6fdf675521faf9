import { buildMoneyGraph, type MoneyGraph } from "../graph/money-graph.js";
import type { Store } from "../store/store.js";

export { sourceOf, transactionIds } from "../graph/edge-refs.js";

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

export const cents = (x: number): number => Math.round(x * 100) / 100;
