import type { MoneyGraph } from "../graph/money-graph.js";
import { flaggedPositions } from "../util/flagged.js";
import { IntList } from "../util/int-list.js";
import { scratch } from "../util/scratch-pool.js";
import { distinctDegrees } from "./degrees.js";
import type { Finding } from "./detector.js";
import { memoised } from "./graph-memo.js";

/**
 * Where an incremental run looks (docs/detect.md, Incremental detection). After new transactions,
 * a pattern that changes must contain one of them, so a detector needs to examine only the
 * candidates (hubs, intermediaries, structurers) close to a new transaction, and only findings
 * that contain one are kept. Everything a detector measures about accounts (distinct payers,
 * usual payments, relationships) is still measured on the whole graph, so a finding of an
 * incremental run is the finding a full run would make.
 *
 * A detector may ignore the focus and examine everything: the runner's filter keeps the result
 * right, only slower. Using it is each detector's business, with the radius its pattern needs.
 */

export interface Focus {
  /** Per edge, 1 if it was ingested since the last run. */
  newEdge: Uint8Array;
  /**
   * The same edges, ascending, where the caller has them: else found in `newEdge`, whose scan
   * reads every page of 5 MB on 5M edges, most of them never written (`newEdgesOf`).
   */
  newEdges?: Int32Array;
  /**
   * Per account, its distance from a new transaction: 0 for the accounts of one, 1 for their
   * counterparties, 2 for the counterparties' counterparties; `FAR` beyond (or not yet reached:
   * distances are worked out as far as detectors ask, `near`). Hubs (more distinct payers or
   * payees than `hubDegree`) are reached but not gone through: no pattern passes through a
   * merchant, and everyone is two steps from everyone through one.
   */
  distance: Uint8Array;
  /** How far `distance` is worked out, and the accounts at that distance (to go on from). */
  radius: number;
  frontier: Int32Array;
  graph: MoneyGraph;
  hubDegree: number;
}

export const FAR = 255;

/** The focus of an incremental run, worked out to `radius` (more on demand, up to 2). */
export function focusOn(
  g: MoneyGraph,
  newEdge: Uint8Array,
  hubDegree: number,
  radius = 0,
  newEdges?: Int32Array,
): Focus {
  const distance = scratch.take(Uint8Array, g.accounts.length, FAR);
  const focus: Focus = {
    newEdge,
    ...(newEdges ? { newEdges } : {}),
    distance,
    radius: 0,
    frontier: new Int32Array(0),
    graph: g,
    hubDegree,
  };
  // Lists of accounts in Int32Arrays (`IntList`): tens of thousands of them, and more a step on.
  // Indexed loops over the new edges and the frontiers: a run's code runs cold, and `for...of`
  // makes an iterator result per value until the loop is optimized.
  const added = newEdgesOf(focus);
  const frontier = new IntList(added.length);
  const reach = (a: number) => {
    if (a >= 0 && distance[a] !== 0) {
      distance[a] = 0;
      frontier.push(a);
    }
  };
  for (let i = 0; i < added.length; i++) {
    const e = added[i] as number;
    reach(g.from[e] as number);
    reach(g.to[e] as number);
  }
  focus.frontier = frontier.view();
  widen(focus, radius);
  return focus;
}

/** Works the distances out one step further at a time, up to `radius`. */
function widen(focus: Focus, radius: number): void {
  const { graph: g, distance } = focus;
  if (focus.radius >= radius) return;
  const { payers, payees } = distinctDegrees(g);
  while (focus.radius < radius && focus.frontier.length > 0) {
    const d = focus.radius + 1;
    const next = new IntList(focus.frontier.length);
    const reach = (a: number) => {
      if (a >= 0 && (distance[a] as number) > d) {
        distance[a] = d;
        next.push(a);
      }
    };
    const { frontier } = focus;
    for (let i = 0; i < frontier.length; i++) {
      const a = frontier[i] as number;
      if ((payers[a] as number) > focus.hubDegree || (payees[a] as number) > focus.hubDegree) continue;
      for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++)
        reach(g.to[g.outEdges[k] as number] as number);
      for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++)
        reach(g.from[g.inEdges[k] as number] as number);
    }
    focus.radius = d;
    focus.frontier = next.view();
  }
  focus.radius = Math.max(focus.radius, radius);
}

/** Whether account `a` is within `radius` of a new transaction (always, on a full run). */
export function near(focus: Focus | undefined, a: number, radius: number): boolean {
  if (!focus) return true;
  if (focus.radius < radius) widen(focus, radius);
  return (focus.distance[a] as number) <= radius;
}

/**
 * The new edges, ascending: a list of about 1% of the edges, for detectors to go through instead
 * of the per-edge flags of all of them. Memoised per focus.
 */
export function newEdgesOf(focus: Focus): Int32Array {
  return memoised(focus, "new-edges", () => focus.newEdges ?? flaggedPositions(focus.newEdge));
}

/** The accounts of the new edges (distance 0), ascending. Memoised per focus. */
export function accountsOfNewEdges(focus: Focus): Int32Array {
  const g = focus.graph;
  return memoised(focus, "new-edge-accounts", () =>
    accountsPicked(focus, (e, add) => {
      add(g.from[e] as number);
      add(g.to[e] as number);
    }),
  );
}

/** The accounts `pick` names for the new edges, ascending. */
function accountsPicked(focus: Focus, pick: (e: number, add: (account: number) => void) => void): Int32Array {
  const seen = scratch.take(Uint8Array, focus.graph.accounts.length);
  const add = (a: number) => {
    if (a >= 0) seen[a] = 1;
  };
  const added = newEdgesOf(focus);
  for (let i = 0; i < added.length; i++) pick(added[i] as number, add);
  return flaggedPositions(seen);
}

/**
 * The accounts a detector examines when each of its findings cites only its subject account's own
 * payments of some kinds (a hub's transfers in, an account's card spending): on an incremental
 * run, those that `pick` names for a new edge (the end, or ends, whose findings could cite it),
 * as a finding of any other cites no new payment and is not kept; on a full run every account.
 * Ascending either way, so findings come in a full run's order. A merchant paid by card so stays
 * unexamined by a rule about wages, which would read its whole list.
 */
export function subjectAccountsOf(
  g: MoneyGraph,
  focus: Focus | undefined,
  pick: (e: number, add: (account: number) => void) => void,
): Int32Array {
  if (!focus) return memoised(g, "all-accounts", () => Int32Array.from(g.accounts.keys()));
  return accountsPicked(focus, pick);
}

/** Whether a finding contains a new transaction: what an incremental run keeps. */
export function touchesNew(focus: Focus, f: Finding): boolean {
  return f.edges.some((e) => focus.newEdge[e] === 1);
}
