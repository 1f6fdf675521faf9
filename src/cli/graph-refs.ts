import { collapseToEntities, type EntityView, nodeNamed } from "../graph/entity-view.js";
import { buildMoneyGraph, type MoneyGraph } from "../graph/money-graph.js";
import type { AccountEntity } from "../model/resolution.js";
import type { Store } from "../store/store.js";

export { sourceOf, transactionIds } from "../graph/edge-refs.js";

import { UsageError } from "./command.js";

/**
 * What the graph commands share: the graph built from the store (by account, or collapsed to
 * resolved entities with `--by entity`), nodes by key, and the way back from graph edges to
 * transaction ids and SourceRefs (so every result cites its evidence).
 */

export const GRAPH_VIEWS = ["account", "entity"] as const;
export type GraphViewName = (typeof GRAPH_VIEWS)[number];

/** The graph a command runs on, and the entity view it came from when collapsed. */
export interface LoadedGraph {
  g: MoneyGraph;
  view: EntityView | null;
}

export function viewOption(command: string, value: unknown): GraphViewName {
  const by = (value as string | undefined) ?? "account";
  if (!(GRAPH_VIEWS as readonly string[]).includes(by))
    throw new UsageError(`${command}: --by must be account or entity (got "${by}")`);
  return by as GraphViewName;
}

/** Each account's resolved holders, for `--by entity`; a usage error before any `resolve`. */
export async function resolvedHolders(store: Store, command: string): Promise<AccountEntity[]> {
  const holders = await store.accountEntities();
  if (holders.length === 0)
    throw new UsageError(
      `${command} --by entity: no account has a resolved holder yet; run \`moneytrail resolve\` first`,
    );
  return holders;
}

export async function loadGraph(
  store: Store,
  by: GraphViewName = "account",
  command = "graph",
): Promise<LoadedGraph> {
  const accounts = buildMoneyGraph(await store.edgeColumns());
  if (by === "account") return { g: accounts, view: null };
  const view = collapseToEntities(accounts, await resolvedHolders(store, command));
  return { g: view.graph, view };
}

/** The node a key names: an account, or in the entity view an entity id or any account it holds. */
export function accountIndex(loaded: LoadedGraph, key: string, command: string): number {
  const index = loaded.view ? nodeNamed(loaded.view, key) : loaded.g.indexOf.get(key);
  if (index === undefined) {
    const what = loaded.view ? "account or entity" : "account";
    throw new UsageError(`${command}: no ${what} "${key}" in the workspace`);
  }
  return index;
}

/**
 * What a result on the entity view adds, so that it stands on its own: the view, the accounts of
 * every entity the result names, and what collapsing left out (transfers inside an entity) or
 * kept apart (the joint accounts it names). Nothing on the account view.
 */
export function viewRecord(loaded: LoadedGraph, result: unknown): Record<string, unknown> {
  const { view, g } = loaded;
  if (!view) return {};
  const joint = new Set(view.joint);
  const named = new Set<string>();
  const jointNamed = new Set<string>();
  const visit = (x: unknown): void => {
    if (typeof x === "string") {
      const node = g.indexOf.get(x);
      if (node !== undefined && view.isEntity[node] === 1) named.add(x);
      else if (joint.has(x)) jointNamed.add(x);
    } else if (Array.isArray(x)) for (const y of x) visit(y);
    else if (x !== null && typeof x === "object") for (const y of Object.values(x)) visit(y);
  };
  visit(result);
  return {
    view: "entity",
    members: Object.fromEntries(
      [...named].sort().map((key) => [key, view.members[g.indexOf.get(key) as number] as string[]]),
    ),
    internal_transfers: { count: view.internal.transfers, amount_usd: cents(view.internal.amountUsd) },
    joint_accounts: [...jointNamed].sort(),
  };
}

export const cents = (x: number): number => Math.round(x * 100) / 100;
