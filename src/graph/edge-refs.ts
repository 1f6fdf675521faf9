import type { Sha256 } from "../model/ids.js";
import type { SourceRef } from "../model/source.js";
import type { Store } from "../store/store.js";
import type { MoneyGraph } from "./money-graph.js";

/** The way back from graph edges to their evidence: SourceRefs, and transaction ids from the store. */

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
  const ids = await store.transactionIdsAt(
    unique.map((e) => ({ fileNo: g.fileNo[e] as number, line: g.line[e] as number })),
  );
  return new Map(unique.map((e, i) => [e, ids[i] ?? null]));
}
