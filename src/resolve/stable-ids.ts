import type { EntityId } from "../model/ids.js";
import type { ResolutionEvent } from "../model/resolution.js";

/**
 * Entity ids that survive re-runs. An analyst's notes, alerts and cases name entities by id, so a
 * run with more data must not renumber the world: each new cluster inherits the id of the old
 * entity it overlaps most (largest-overlap inheritance), and only what is really new gets a new
 * id. Where membership changed, events say how: `merged`, `split`, `created`, `retired`.
 *
 * Inheritance is a greedy matching on overlaps: every (cluster, old entity, shared records)
 * triple, the largest first (ties: old entity id, then the cluster's smallest record id, both
 * by code units), gives the old id to the cluster unless either is already matched. So an
 * entity that grew keeps its id, two entities that merged leave the merged one the id of the
 * bigger, and an entity that split leaves its id on its biggest part. Clusters left without an
 * id get new ones from `mint`, in order of their smallest record id, so ids are deterministic.
 * Records that are no longer present are ignored, and new records count for no old entity.
 */

export interface InheritedIds {
  /** The entity id of each cluster, in the order given. */
  ids: string[];
  /**
   * In order: `created` (in minting order), `merged` (by surviving id), `split` (by old id),
   * `retired` (by id); `seq` numbers them from 0. Unchanged entities get no event.
   */
  events: ResolutionEvent[];
}

function fail(message: string): never {
  throw new Error(`stable-ids: ${message}`);
}

/** Code-unit order: the same everywhere, unlike locale order. */
function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

interface Overlap {
  cluster: number;
  entity: string;
  shared: number;
}

/**
 * Entity ids for `clusters` (record ids per cluster) given `previous` (record id → entity id of
 * the last run); `run` is copied into the events.
 */
export function inheritIds(
  previous: ReadonlyMap<string, string>,
  clusters: readonly (readonly string[])[],
  mint: () => string,
  run = 0,
): InheritedIds {
  const smallest: string[] = [];
  const overlaps: Overlap[] = [];
  const seen = new Set<string>();
  /** Old entity → the clusters holding its present members. */
  const holders = new Map<string, number[]>();
  /** Cluster → the old entities it holds members of, ascending. */
  const sources: string[][] = [];
  // One map, cleared per cluster: a first run has hundreds of thousands of clusters, and most
  // clusters of a later run overlap one old entity or none.
  const shared = new Map<string, number>();
  const none: string[] = [];
  clusters.forEach((records, c) => {
    if (records.length === 0) fail(`cluster ${c} is empty`);
    let least = records[0] as string;
    shared.clear();
    for (const record of records) {
      if (seen.has(record)) fail(`record ${record} is in two clusters`);
      seen.add(record);
      if (record < least) least = record;
      const entity = previous.get(record);
      if (entity !== undefined) shared.set(entity, (shared.get(entity) ?? 0) + 1);
    }
    smallest.push(least);
    const entities = shared.size === 0 ? none : [...shared.keys()].sort(compare);
    sources.push(entities);
    for (const entity of entities) {
      overlaps.push({ cluster: c, entity, shared: shared.get(entity) as number });
      const list = holders.get(entity);
      if (list) list.push(c);
      else holders.set(entity, [c]);
    }
  });
  overlaps.sort(
    (x, y) =>
      y.shared - x.shared ||
      compare(x.entity, y.entity) ||
      compare(smallest[x.cluster] as string, smallest[y.cluster] as string),
  );

  const ids: (string | undefined)[] = clusters.map(() => undefined);
  const inherited = new Set<string>();
  for (const { cluster, entity } of overlaps) {
    if (ids[cluster] !== undefined || inherited.has(entity)) continue;
    ids[cluster] = entity;
    inherited.add(entity);
  }

  const oldIds = new Set(previous.values());
  const events: Omit<ResolutionEvent, "seq">[] = [];
  const event = (kind: ResolutionEvent["kind"], entity: string, related: string[], members: number): void => {
    events.push({ run, kind, entity_id: entity as EntityId, related, members });
  };
  const fresh = clusters
    .map((_, c) => c)
    .filter((c) => ids[c] === undefined)
    .sort((x, y) => compare(smallest[x] as string, smallest[y] as string));
  for (const c of fresh) {
    const id = mint();
    if (oldIds.has(id) || inherited.has(id)) fail(`mint gave ${id}, an id already in use`);
    inherited.add(id);
    ids[c] = id;
    event("created", id, [], (clusters[c] as readonly string[]).length);
  }
  const final = ids as string[];

  const merged: [string, string[], number][] = [];
  sources.forEach((entities, c) => {
    if (entities.length < 2) return;
    const id = final[c] as string;
    merged.push([id, entities.filter((e) => e !== id), (clusters[c] as readonly string[]).length]);
  });
  merged.sort((x, y) => compare(x[0], y[0]));
  for (const [id, absorbed, members] of merged) event("merged", id, absorbed, members);

  const sizeOf = new Map(final.map((id, c) => [id, (clusters[c] as readonly string[]).length]));
  const split = [...holders].filter(([, list]) => list.length > 1).sort((x, y) => compare(x[0], y[0]));
  for (const [entity, list] of split) {
    const parts = list.map((c) => final[c] as string).filter((id) => id !== entity);
    event("split", entity, parts.sort(compare), sizeOf.get(entity) ?? 0);
  }

  for (const id of [...oldIds].filter((id) => !inherited.has(id)).sort(compare)) event("retired", id, [], 0);
  return { ids: final, events: events.map((e, seq) => ({ ...e, seq })) };
}
