import { z } from "zod";
import type { MoneyGraph } from "../graph/money-graph.js";
import { IntSet } from "../util/int-set.js";
import { carriedFlags } from "./carried-measures.js";
import { atLeast, DAY_MS } from "./detector.js";
import { type Focus, newEdgesOf } from "./focus.js";
import { memoised } from "./graph-memo.js";
import { transferEdges } from "./motifs.js";
import { medianOf, usualPayment } from "./own-habits.js";
import type { TransactionDetails } from "./transaction-details.js";

/**
 * Dense bipartite layers (typologies.md §3.3): two disjoint sets of accounts A and B, at least
 * two in each, where (nearly) every account of A pays every account of B and no account of B pays
 * any of A. AMLSim's and AMLworld's BIPARTITE is one such layer; their STACK is two, the
 * beneficiaries of the first the originators of the second. What both detectors share: finding
 * the layers, once per graph and parameters.
 *
 * Only motif edges count (one-off dealings between accounts that are not hubs, `motifEdges`): a
 * layer's members meet for the scheme, while an employer pays its staff every pay day and a
 * household pays the same landlord every month. Nor do purchases (a payment with a merchant
 * category code, where the data has them: shoppers of one small store are not a layer), nor
 * payments under `min_edge_usd` (a layer moves sums, not the price of lunch).
 */

/**
 * The rules every layer obeys, as detector parameters (bipartite and stack both take them), with
 * their defaults: proposals where typologies.md gives no figure, the motifs' own elsewhere.
 */
export const LAYER_RULES = {
  min_density: z.number().min(0).max(1).default(0.8),
  relationship_days: z.number().min(0).default(7),
  max_hub_degree: z.number().int().min(1).default(100),
  /** Payments under this are not part of a layer. */
  min_edge_usd: z.number().min(0).default(500),
  /** The layer's payments against its originators' usual payment. */
  min_above_usual: z.number().min(0).default(25),
};
type LayerRules = { [K in keyof typeof LAYER_RULES]: z.infer<(typeof LAYER_RULES)[K]> };

/** A detector's layer rules, with the side, window and sum it asks of each layer. */
export function layerParams(
  p: LayerRules,
  ask: { min_side: number; window_days: number; min_total_usd: number },
): LayerParams {
  return {
    min_side: ask.min_side,
    min_density: p.min_density,
    window_days: ask.window_days,
    relationship_days: p.relationship_days,
    max_hub_degree: p.max_hub_degree,
    min_total_usd: ask.min_total_usd,
    min_edge_usd: p.min_edge_usd,
    min_above_usual: p.min_above_usual,
  };
}

export interface LayerParams {
  /** Least accounts on each side. */
  min_side: number;
  /** Least share of the |A|·|B| pairs that must have a payment. */
  min_density: number;
  /** Every payment of the layer within this many days. */
  window_days: number;
  relationship_days: number;
  max_hub_degree: number;
  /** The layer's payments together at least this much. */
  min_total_usd: number;
  /** Payments under this are not part of a layer. */
  min_edge_usd: number;
  /**
   * The layer's payments, for its median originator, at least this many times that account's
   * usual payment (the median of its others): a layer is out of the ordinary for the people in
   * it. A person's usual payment is a purchase of tens of dollars and a layer's payments are
   * thousands, two orders of magnitude; businesses that wire the same suppliers abroad pay large
   * sums as a matter of course, one order above their median.
   */
  min_above_usual: number;
}

/** Per edge, 1 if it may be a payment of a layer; and per account, how many it makes. */
export interface LayerEdges {
  edge: Uint8Array;
  outCount: Int32Array;
}

export interface Layer {
  /** Originators and beneficiaries, ascending. */
  from: number[];
  to: number[];
  /** The layer's payments (graph edges), ascending. */
  edges: number[];
  /** Pairs (a, b) with a payment, of |A|·|B|. */
  pairs: number;
  first: number;
  last: number;
  totalUsd: number;
  /** For the median originator: its layer payments over its usual payment (Infinity: it has no other). */
  aboveUsual: number;
}

/** Distinct motif-edge counterparties of an account on one side. */
function partners(g: MoneyGraph, usable: LayerEdges, a: number, side: "in" | "out"): number[] {
  const start = side === "out" ? g.outStart : g.inStart;
  const list = side === "out" ? g.outEdges : g.inEdges;
  const ends = side === "out" ? g.to : g.from;
  const seen = new Set<number>();
  for (let k = start[a] as number; k < (start[a + 1] as number); k++) {
    const e = list[k] as number;
    if (usable.edge[e]) seen.add(ends[e] as number);
  }
  return [...seen];
}

/** The motif edges from a to b, in time order. */
function edgesBetween(g: MoneyGraph, usable: LayerEdges, a: number, b: number): number[] {
  const found: number[] = [];
  for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
    const e = g.outEdges[k] as number;
    if (usable.edge[e] && g.to[e] === b) found.push(e);
  }
  return found;
}

/** Whether any account of `bs` paid any of `as` (any payment, not only motif edges). */
function paysBack(g: MoneyGraph, bs: readonly number[], as: ReadonlySet<number>): boolean {
  for (const b of bs)
    for (let k = g.outStart[b] as number; k < (g.outStart[b + 1] as number); k++)
      if (as.has(g.to[g.outEdges[k] as number] as number)) return true;
  return false;
}

/** A layer's sides and payments around a seed, before the tests of its time, sum and payments back. */
interface LayerShape {
  /** Originators and beneficiaries, ascending. */
  from: number[];
  to: number[];
  /** Its payments, ascending. */
  edges: number[];
  pairs: number;
}

/**
 * The shape of the layer around originator `seed`: its co-originators (accounts paying at least
 * two of its payees), then alternately the payees most of them pay and the payers paying most of
 * those, until the sets settle. Null when what remains has too few on a side, or too few pairs
 * paid. A function of the layer edges, the seed, and `min_side` and `min_density` alone: the
 * detectors that ask for layers with other windows and sums share it (`LayerShapes`).
 */
function layerShape(
  g: MoneyGraph,
  usable: LayerEdges,
  seed: number,
  p: Pick<LayerParams, "min_side" | "min_density">,
): LayerShape | null {
  const payees = partners(g, usable, seed, "out");
  if (payees.length < p.min_side) return null;
  const shared = new Map<number, number>();
  for (const b of payees)
    for (const a of partners(g, usable, b, "in")) if (a !== seed) shared.set(a, (shared.get(a) ?? 0) + 1);
  let A = [seed, ...[...shared].filter(([, n]) => n >= 2).map(([a]) => a)];
  if (A.length < p.min_side) return null;
  let B: number[] = [];
  const outOf = new Map<number, Set<number>>();
  const out = (a: number) => {
    let s = outOf.get(a);
    if (!s) {
      s = new Set(partners(g, usable, a, "out"));
      outOf.set(a, s);
    }
    return s;
  };
  // Alternate: keep the payees that most of A pay, then the payers that pay most of B.
  for (let round = 0; round < 4; round++) {
    const paidBy = new Map<number, number>();
    for (const a of A) for (const b of out(a)) paidBy.set(b, (paidBy.get(b) ?? 0) + 1);
    const needB = Math.max(2, atLeast(p.min_density, A.length) - 1);
    const nextB = [...paidBy].filter(([b, n]) => n >= needB && !A.includes(b)).map(([b]) => b);
    const needA = Math.max(2, atLeast(p.min_density, nextB.length) - 1);
    const nextA = A.filter((a) => nextB.filter((b) => out(a).has(b)).length >= needA);
    const settled = nextA.length === A.length && nextB.length === B.length;
    A = nextA;
    B = nextB;
    if (settled || A.length < p.min_side || B.length < p.min_side) break;
  }
  if (A.length < p.min_side || B.length < p.min_side || !A.includes(seed)) return null;
  const edges: number[] = [];
  let pairs = 0;
  for (const a of A)
    for (const b of B) {
      const between = edgesBetween(g, usable, a, b);
      if (between.length > 0) pairs++;
      edges.push(...between);
    }
  if (pairs < atLeast(p.min_density, A.length * B.length)) return null;
  edges.sort((x, y) => x - y);
  return { from: A.sort((x, y) => x - y), to: B.sort((x, y) => x - y), edges, pairs };
}

/**
 * The layer of shape `shape` as `p` asks for it: all its payments within the window, no
 * beneficiary paying an originator back, the sum, and the payments against the originators' usual
 * one. Null when one fails.
 */
function layerOf(g: MoneyGraph, shape: LayerShape, p: LayerParams): Layer | null {
  const { from: A, to: B, edges } = shape;
  const first = g.time[edges[0] as number] as number;
  const last = g.time[edges.at(-1) as number] as number;
  if (last - first > p.window_days * DAY_MS) return null;
  if (paysBack(g, B, new Set(A))) return null;
  const totalUsd = edges.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
  if (totalUsd < p.min_total_usd) return null;
  const inLayer = new Set(edges);
  const aboveUsual = medianOf(A.map((a) => aboveUsualOf(g, a, inLayer)));
  if (aboveUsual < p.min_above_usual) return null;
  return { ...shape, first, last, totalUsd, aboveUsual };
}

/**
 * The shapes of the layers around the accounts tried so far, for one graph (or focus), set of
 * layer edges, `min_side` and `min_density`: bipartite and stack each search around the same
 * seeds with their own windows and sums (their shape worked out once, where it was twice).
 */
class LayerShapes {
  private readonly tried: IntSet;
  private readonly found = new Map<number, LayerShape>();

  constructor(
    private readonly g: MoneyGraph,
    private readonly usable: LayerEdges,
    private readonly p: Pick<LayerParams, "min_side" | "min_density">,
  ) {
    this.tried = new IntSet(g.accounts.length);
  }

  around(seed: number): LayerShape | null {
    if (this.tried.add(seed)) {
      const shape = layerShape(this.g, this.usable, seed, this.p);
      if (shape) this.found.set(seed, shape);
      return shape;
    }
    return this.found.get(seed) ?? null;
  }
}

/** An originator's median layer payment over the median of its other payments. */
function aboveUsualOf(g: MoneyGraph, a: number, layer: ReadonlySet<number>): number {
  const usual = usualPayment(g, a, "out", (e) => layer.has(e));
  if (usual === null) return Number.POSITIVE_INFINITY;
  const mine: number[] = [];
  for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
    const e = g.outEdges[k] as number;
    if (layer.has(e)) mine.push(g.amountUsd[e] as number);
  }
  return medianOf(mine) / Math.max(0.01, usual);
}

/**
 * The accounts that can originate a layer with a new payment (see `denseLayers`), ascending. Sets
 * of accounts as bits (`IntSet`): a delivery of 1% names tens of thousands.
 */
function originatorsNearNew(g: MoneyGraph, usable: LayerEdges, focus: Focus): Int32Array {
  const found = new IntSet(g.accounts.length);
  const payers = (b: number) => {
    for (let k = g.inStart[b] as number; k < (g.inStart[b + 1] as number); k++) {
      const e = g.inEdges[k] as number;
      if (usable.edge[e]) found.add(g.from[e] as number);
    }
  };
  const expanded = new IntSet(g.accounts.length);
  const added = newEdgesOf(focus);
  for (let i = 0; i < added.length; i++) {
    const e = added[i] as number;
    if (!usable.edge[e]) continue;
    const a = g.from[e] as number;
    if (!expanded.add(a)) continue;
    found.add(a);
    for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
      const out = g.outEdges[k] as number;
      if (usable.edge[out]) payers(g.to[out] as number);
    }
  }
  return found.values().slice().sort();
}

/** The layers found from some seeds: one per seed at most, the same layer found twice kept once. */
class LayerSearch {
  readonly layers: Layer[] = [];
  private readonly tried: IntSet;
  private readonly known = new Set<string>();

  constructor(
    private readonly g: MoneyGraph,
    private readonly usable: LayerEdges,
    private readonly shapes: LayerShapes,
    private readonly p: LayerParams,
  ) {
    this.tried = new IntSet(g.accounts.length);
  }

  seed(a: number): void {
    if (!this.tried.add(a)) return;
    if ((this.usable.outCount[a] as number) < this.p.min_side) return;
    const shape = this.shapes.around(a);
    const layer = shape && layerOf(this.g, shape, this.p);
    if (!layer) return;
    const id = `${layer.from.join(",")}>${layer.to.join(",")}`;
    if (this.known.has(id)) return;
    this.known.add(id);
    this.layers.push(layer);
  }

  /** The accounts that pay an account of `accounts` by a layer edge. */
  payersOf(accounts: readonly number[]): number[] {
    const found: number[] = [];
    for (const m of accounts)
      for (let k = this.g.inStart[m] as number; k < (this.g.inStart[m + 1] as number); k++) {
        const e = this.g.inEdges[k] as number;
        if (this.usable.edge[e]) found.push(this.g.from[e] as number);
      }
    return found;
  }
}

/**
 * The dense bipartite layers of the graph: the layer around each account (`layerShape`, then
 * `layerOf`, a function of the account and the graph alone, so the result does not depend on the order
 * accounts are tried), each distinct layer once, ordered by the account it was first found from.
 *
 * With a focus (an incremental run), only the accounts that can be originators of a layer with a
 * new payment are tried: the originator a of each new layer payment, and every account that pays
 * (by layer payments) an account a pays. Any two originators of a layer share a beneficiary: each
 * pays at least max(2, ⌈0.8·|B|⌉ − 1) of the |B| beneficiaries (`layerShape` keeps no other),
 * more than half of them for every |B| ≥ 2. `neighbours` asks for the layers one step further,
 * that can stand next to those in a stack: around the payers of their originators (a first layer
 * before them) and around their beneficiaries (a second layer after them).
 *
 * Memoised per graph (or focus) and parameters: `bipartite` and `stack` both ask.
 */
export function denseLayers(
  g: MoneyGraph,
  p: LayerParams,
  details?: TransactionDetails,
  focus?: Focus,
  neighbours = false,
): Layer[] {
  const key = JSON.stringify([p, details !== undefined, neighbours]);
  // Per graph (a full run) or per focus (an incremental one), and parameters (graph-memo.ts).
  return memoised(focus ?? g, `layers:${key}`, () => {
    const edgesKey = layerEdgesKey(p, details);
    const usable = layerEdgeFlags(g, p, details);
    // Shared by the searches with these layer edges and sides (graph-memo.ts: owned by the edges'
    // flags, which are the graph's), and the seeds by those with the same focus.
    const shapes = memoised(
      usable,
      `layer-shapes:${p.min_side}:${p.min_density}`,
      () => new LayerShapes(g, usable, p),
    );
    const search = new LayerSearch(g, usable, shapes, p);
    if (focus) {
      const seeds = memoised(focus, `layer-seeds:${edgesKey}`, () => originatorsNearNew(g, usable, focus));
      for (let i = 0; i < seeds.length; i++) search.seed(seeds[i] as number);
    } else for (let a = 0; a < g.accounts.length; a++) search.seed(a);
    if (focus && neighbours) {
      const found = [...search.layers];
      for (const layer of found) {
        for (const a of search.payersOf(layer.from)) search.seed(a);
        for (const b of layer.to) search.seed(b);
      }
    }
    return search.layers;
  });
}

/**
 * Per edge, 1 if it may be a payment of a layer (a transfer of at least `min_edge_usd`), with
 * each account's count. Memoised per graph and parameters, and carried from the last run's graph
 * (`carried-measures.ts`) when it was worked out there.
 */
export function layerEdgeFlags(g: MoneyGraph, p: LayerParams, details?: TransactionDetails): LayerEdges {
  const key = layerEdgesKey(p, details);
  return memoised(g, key, () => layerEdges(g, key, p, details));
}

/** The memo key of the layer edges `p` asks for (with or without details). */
function layerEdgesKey(p: LayerParams, details?: TransactionDetails): string {
  return `layer-edges:${JSON.stringify([p.max_hub_degree, p.relationship_days, p.min_edge_usd, details !== undefined])}`;
}

function layerEdges(g: MoneyGraph, key: string, p: LayerParams, details?: TransactionDetails): LayerEdges {
  const transfer = transferEdges(g, p.max_hub_degree, p.relationship_days * DAY_MS, details);
  const isLayer = (e: number) => transfer(e) && (g.amountUsd[e] as number) >= p.min_edge_usd;
  const carried = carriedFlags(g, key, p.max_hub_degree, isLayer);
  if (carried?.outCount) return { edge: carried.edge, outCount: carried.outCount };
  const edge = new Uint8Array(g.edgeCount);
  const outCount = new Int32Array(g.accounts.length);
  for (let e = 0; e < g.edgeCount; e++) {
    if (!isLayer(e)) continue;
    edge[e] = 1;
    const a = g.from[e] as number;
    outCount[a] = (outCount[a] as number) + 1;
  }
  return { edge, outCount };
}
