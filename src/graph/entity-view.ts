import type { AccountEntity } from "../model/resolution.js";
import { buildMoneyGraph, type MoneyGraph } from "./money-graph.js";

/**
 * The money-flow graph collapsed to resolved entities: one node per entity, holding every
 * account whose holders all resolve to it, so that "the same trafficker at five banks" is one node
 * whose money can be followed as one pool. Every query runs on it unchanged, since it is a
 * `MoneyGraph` like the account view.
 *
 * - An account whose holders are one entity becomes that entity's node (keyed by the entity id).
 * - An account with no resolved holder, or held jointly by several entities, stays a node of its
 *   own (keyed by the account): pooling a joint account into one holder would hand that holder the
 *   other's money, and pooling both holders would chain people together through one account.
 * - A transfer between two accounts of one entity is money staying with its owner: it is left out
 *   (counted in `internal`), as a forensic accountant pooling an owner's accounts would. A
 *   transfer from an account to itself is kept, as in the account view.
 *
 * Edges keep their time order and their provenance (file and line), so every result still leads
 * back to its transactions and SourceRefs.
 */
export interface EntityView {
  graph: MoneyGraph;
  /** Per node of `graph`: the account keys it holds (one for a node that stands for an account). */
  members: string[][];
  /** Per node: true when it stands for a resolved entity. */
  isEntity: Uint8Array;
  /** Accounts held by more than one entity, which stay account nodes. */
  joint: string[];
  /** Transfers between accounts of one entity, left out of the view. */
  internal: { transfers: number; amountUsd: number };
}

/**
 * Who stands for an account once accounts collapse to entities: its one resolved holder, if it
 * has exactly one (`soleHolder`); accounts held by several entities are `joint`. Shared by the
 * graph's entity view and entity risk, so that both pool the same accounts.
 */
export function accountHolders(holders: readonly AccountEntity[]): {
  soleHolder: Map<string, string>;
  joint: Set<string>;
} {
  const entitiesOf = new Map<string, Set<string>>();
  for (const h of holders) {
    const set = entitiesOf.get(h.account) ?? new Set<string>();
    set.add(h.entity_id);
    entitiesOf.set(h.account, set);
  }
  const soleHolder = new Map<string, string>();
  const joint = new Set<string>();
  for (const [account, set] of entitiesOf) {
    if (set.size === 1) soleHolder.set(account, [...set][0] as string);
    else joint.add(account);
  }
  return { soleHolder, joint };
}

export function collapseToEntities(g: MoneyGraph, holders: readonly AccountEntity[]): EntityView {
  const { soleHolder, joint: jointSet } = accountHolders(holders);
  // Each account's node key: its one entity, or itself.
  const keyOf = g.accounts.map((account) => soleHolder.get(account) ?? account);
  const joint = g.accounts.filter((a) => jointSet.has(a));
  const entityKeys = new Set(keyOf.filter((k, i) => k !== g.accounts[i]));
  for (const account of g.accounts) {
    // An account key that reads like an entity id would make two nodes one: refuse, never guess.
    if (entityKeys.has(account))
      throw new Error(`account "${account}" has the same key as a resolved entity: cannot collapse`);
  }
  // Nodes sorted by key, as accounts are in the account view: reproducible indices.
  const keys = [...new Set(keyOf)].sort();
  const nodeIndex = new Map(keys.map((k, i) => [k, i]));
  const nodeOf = Int32Array.from(keyOf, (k) => nodeIndex.get(k) as number);
  const members: string[][] = keys.map(() => []);
  for (let a = 0; a < g.accounts.length; a++)
    (members[nodeOf[a] as number] as string[]).push(g.accounts[a] as string);
  const isEntity = Uint8Array.from(keys, (k) => (entityKeys.has(k) ? 1 : 0));

  // The kept edges, in their order: all but transfers between two accounts of one entity.
  const keep = new Int32Array(g.edgeCount);
  let kept = 0;
  let transfers = 0;
  let amountUsd = 0;
  for (let e = 0; e < g.edgeCount; e++) {
    const a = g.from[e] as number;
    const b = g.to[e] as number;
    if (a >= 0 && b >= 0 && a !== b && nodeOf[a] === nodeOf[b]) {
      transfers++;
      amountUsd += g.amountUsd[e] as number;
    } else keep[kept++] = e;
  }
  const edges = keep.subarray(0, kept);
  const end = (x: number) => (x < 0 ? -1 : (nodeOf[x] as number));
  const graph = buildMoneyGraph({
    accounts: keys,
    from: Int32Array.from(edges, (e) => end(g.from[e] as number)),
    to: Int32Array.from(edges, (e) => end(g.to[e] as number)),
    time: Float64Array.from(edges, (e) => g.time[e] as number),
    amountUsd: Float64Array.from(edges, (e) => g.amountUsd[e] as number),
    channel: Uint8Array.from(edges, (e) => g.channel[e] as number),
    fileNo: Int32Array.from(edges, (e) => g.fileNo[e] as number),
    line: Int32Array.from(edges, (e) => g.line[e] as number),
    files: g.files,
  });
  return { graph, members, isEntity, joint, internal: { transfers, amountUsd } };
}

/**
 * The node a user names: an entity id, or an account key (which finds the node that holds it,
 * so an investigator can start from the account they know).
 */
export function nodeNamed(view: EntityView, key: string): number | undefined {
  return view.graph.indexOf.get(key) ?? accountNodes(view).get(key);
}

const accountNodeMaps = new WeakMap<EntityView, Map<string, number>>();

/** Account key → node index in the view (made once per view: a query may name several accounts). */
export function accountNodes(view: EntityView): Map<string, number> {
  const made = accountNodeMaps.get(view);
  if (made) return made;
  const map = new Map<string, number>();
  accountNodeMaps.set(view, map);
  view.members.forEach((accounts, node) => {
    for (const a of accounts) map.set(a, node);
  });
  return map;
}
