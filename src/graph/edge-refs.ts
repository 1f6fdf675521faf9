import type { Sha256 } from "../model/ids.js";
import type { SourceRef } from "../model/source.js";
import type { Store } from "../store/store.js";
import type { MoneyGraph } from "./money-graph.js";

/** The way back from graph edges to their evidence: SourceRefs, and transaction ids from the store. */

export function sourceOf(g: MoneyGraph, e: number): SourceRef {
  return { file: g.files.get(g.fileNo[e] as number) as Sha256, line: g.line[e] as number };
}

/** A SourceRef as one text, "<sha256>:<line>": to tell evidence apart, or look it up. */
export function sourceKey(s: SourceRef): string {
  return `${s.file}:${s.line}`;
}

/**
 * Transaction ids of graph edges, looked up in the store once for all of them but those `known`
 * gives (by `sourceKey`: the ids stored alerts cite, which a run's alerts mostly cite again).
 */
export async function transactionIds(
  store: Store,
  g: MoneyGraph,
  edges: readonly number[],
  known: ReadonlyMap<string, string> = new Map(),
): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  const ask: number[] = [];
  for (const e of new Set(edges)) {
    const id = known.get(sourceKey(sourceOf(g, e)));
    if (id === undefined) ask.push(e);
    else out.set(e, id);
  }
  const ids = await store.transactionIdsAt(
    ask.map((e) => ({ fileNo: g.fileNo[e] as number, line: g.line[e] as number })),
  );
  ask.forEach((e, i) => {
    out.set(e, ids[i] ?? null);
  });
  return out;
}
