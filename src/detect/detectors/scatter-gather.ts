import { z } from "zod";
import { seekTime } from "../../graph/graph-view.js";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { type Focus, newEdgesOf } from "../focus.js";
import { type MotifEdges, motifEdges, ratio, sharedCounterparty, usd } from "../motifs.js";

/**
 * Scatter-gather (typologies.md §3.3; AMLSim ScatterGather, AMLworld SCATTER-GATHER): one
 * account s splits money over at least j single-use intermediaries m1..mj, and each passes most
 * of it on to one account d: s → {mi} → d, each mi with one payment in and one out inside the
 * motif, each payment out after its payment in, and 80–100% of it (AMLSim's intermediary keeps a
 * 10% margin). What keeps it from firing on ordinary life:
 * - hubs are never members, in any role: an account with more than `max_hub_degree` distinct
 *   payers or payees (a merchant, a payroll processor, a marketplace) does its business with
 *   everyone, so three customers of one employer who shop at one store are not intermediaries;
 * - the intermediaries' dealings with s and with d must be one-offs (all within
 *   `relationship_days`): an employer paying its staff every pay day and the staff paying rent
 *   to one landlord every month are relationships, however well the amounts match;
 * - each intermediary must pass on a share in [ratio_low, ratio_high] of the very payment it
 *   got, later than it got it: the same money, not two unrelated sums;
 * - the whole motif within `span_days`, and a material sum (`min_total_usd`);
 * - the intermediaries must not share another payer or payee (`sharedCounterparty`): then they
 *   are a layer of a stack or bipartite motif, where every originator pays every intermediary.
 * AMLSim schedules every scatter before every gather; the rule asks it of each path only (the
 * payment out after the payment in), and a motif ordered as a whole scores higher.
 */

export const ScatterGatherParams = z.object({
  min_intermediaries: z.number().int().min(2).default(3),
  span_days: z.number().positive().default(60),
  ratio_low: z.number().min(0).default(0.8),
  ratio_high: z.number().positive().default(1.0),
  // The next three are proposals (typologies.md gives no figure), the same as the fans'.
  relationship_days: z.number().min(0).default(7),
  max_hub_degree: z.number().int().min(1).default(100),
  min_total_usd: z.number().min(0).default(5000),
});
export type ScatterGatherParams = z.infer<typeof ScatterGatherParams>;

export const scatterGather = defineDetector({
  id: "scatter-gather",
  version: 1,
  typology: "scatter-gather",
  title: "Money split over single-use intermediaries and gathered again by one account",
  basis: "AMLSim ScatterGather and AMLworld SCATTER-GATHER (typologies.md §3.1–§3.3)",
  params: ScatterGatherParams,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, params) => scatterGathers(data.graph, params, data.focus),
});

/** Two-hop paths s → m → d, one per pair of a payment into m and a later payment out of it. */
interface Paths {
  s: number[];
  m: number[];
  d: number[];
  scatter: number[];
  gather: number[];
}

/** Whether s → m → d by e1 then e2 is a path: later, within the span, passing on a share in the band. */
function isPath(g: MoneyGraph, p: ScatterGatherParams, e1: number, e2: number): boolean {
  const a1 = g.amountUsd[e1] as number;
  const a2 = g.amountUsd[e2] as number;
  return (
    e2 > e1 &&
    a2 >= p.ratio_low * a1 &&
    a2 <= p.ratio_high * a1 &&
    (g.time[e2] as number) - (g.time[e1] as number) <= p.span_days * DAY_MS &&
    g.to[e2] !== g.from[e1]
  );
}

function pushPath(g: MoneyGraph, paths: Paths, e1: number, e2: number): void {
  paths.s.push(g.from[e1] as number);
  paths.m.push(g.to[e1] as number);
  paths.d.push(g.to[e2] as number);
  paths.scatter.push(e1);
  paths.gather.push(e2);
}

/**
 * Every path s → m → d over motif edges (one-offs between non-hubs) whose payment out of m is
 * later than its payment in and a share of it in the band: by intermediary, its payments in in
 * order, and for each the payments out by amount.
 */
function twoHopPaths(g: MoneyGraph, p: ScatterGatherParams, usable: MotifEdges, focus?: Focus): Paths {
  if (focus) return twoHopPathsWithNew(g, p, usable, focus);
  const paths: Paths = { s: [], m: [], d: [], scatter: [], gather: [] };
  for (let m = 0; m < g.accounts.length; m++) {
    if (usable.inCount[m] === 0 || usable.outCount[m] === 0) continue;
    const outs: number[] = [];
    for (let k = g.outStart[m] as number; k < (g.outStart[m + 1] as number); k++) {
      const e = g.outEdges[k] as number;
      if (usable.edge[e]) outs.push(e);
    }
    outs.sort((x, y) => (g.amountUsd[x] as number) - (g.amountUsd[y] as number) || x - y);
    for (let k = g.inStart[m] as number; k < (g.inStart[m + 1] as number); k++) {
      const e1 = g.inEdges[k] as number;
      if (!usable.edge[e1]) continue;
      // The first payment out of at least ratio_low of this one, then on while within ratio_high.
      const a1 = g.amountUsd[e1] as number;
      let lo = 0;
      let hi = outs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((g.amountUsd[outs[mid] as number] as number) < p.ratio_low * a1) lo = mid + 1;
        else hi = mid;
      }
      for (let o = lo; o < outs.length; o++) {
        const e2 = outs[o] as number;
        if ((g.amountUsd[e2] as number) > p.ratio_high * a1) break;
        if (isPath(g, p, e1, e2)) pushPath(g, paths, e1, e2);
      }
    }
  }
  return paths;
}

/**
 * Each motif edge account m pays (`out`) or receives (`in`) within [from, to]: the partner
 * payments of a path through m, which `isPath` then orders and measures.
 */
function motifEdgesOf(
  g: MoneyGraph,
  usable: MotifEdges,
  m: number,
  side: "out" | "in",
  from: number,
  to: number,
  visit: (e: number) => void,
): void {
  // A loop of its own, not `forEachInTime` with a closure: asked twice per new payment (100,000
  // closures a delivery of 1%).
  const start = side === "out" ? g.outStart : g.inStart;
  const list = side === "out" ? g.outEdges : g.inEdges;
  const hi = start[m + 1] as number;
  for (let k = seekTime(g, list, start[m] as number, hi, from); k < hi; k++) {
    const e = list[k] as number;
    if ((g.time[e] as number) > to) return;
    if (usable.edge[e]) visit(e);
  }
}

/**
 * Incremental: only pairs (s, d) with a path through a new payment can give a finding to keep,
 * and each of them needs every path between them (a motif is built from all of them). So the
 * paths through the new payments first, for their pairs; then every path out of each of their
 * originators to one of its pairs' beneficiaries; then the full run's order, so that each pair's
 * paths, and the pairs, come as a full run finds them. Far less than going through every
 * intermediary near a new payment: that is half the graph's accounts.
 */
function twoHopPathsWithNew(g: MoneyGraph, p: ScatterGatherParams, usable: MotifEdges, focus: Focus): Paths {
  const span = p.span_days * DAY_MS;
  const pairs = new Map<number, Set<number>>();
  const pair = (e1: number, e2: number) => {
    if (!isPath(g, p, e1, e2)) return;
    const s = g.from[e1] as number;
    const ds = pairs.get(s);
    if (ds) ds.add(g.to[e2] as number);
    else pairs.set(s, new Set([g.to[e2] as number]));
  };
  // The new payment in hand, read by two visitors made once (not two closures per new payment).
  let e = -1;
  const asScatter = (e2: number) => pair(e, e2);
  const asGather = (e1: number) => pair(e1, e);
  const added = newEdgesOf(focus);
  for (let i = 0; i < added.length; i++) {
    e = added[i] as number;
    if (!usable.edge[e]) continue;
    const t = g.time[e] as number;
    motifEdgesOf(g, usable, g.to[e] as number, "out", t, t + span, asScatter);
    motifEdgesOf(g, usable, g.from[e] as number, "in", t - span, t, asGather);
  }
  const found: Paths = { s: [], m: [], d: [], scatter: [], gather: [] };
  for (const [s, ds] of pairs) {
    for (let k = g.outStart[s] as number; k < (g.outStart[s + 1] as number); k++) {
      const e1 = g.outEdges[k] as number;
      if (!usable.edge[e1]) continue;
      const t = g.time[e1] as number;
      motifEdgesOf(g, usable, g.to[e1] as number, "out", t, t + span, (e2) => {
        if (ds.has(g.to[e2] as number) && isPath(g, p, e1, e2)) pushPath(g, found, e1, e2);
      });
    }
  }
  const order = found.s.map((_, q) => q);
  const amount = (q: number) => g.amountUsd[found.gather[q] as number] as number;
  order.sort(
    (x, y) =>
      (found.m[x] as number) - (found.m[y] as number) ||
      (found.scatter[x] as number) - (found.scatter[y] as number) ||
      amount(x) - amount(y) ||
      (found.gather[x] as number) - (found.gather[y] as number),
  );
  const paths: Paths = { s: [], m: [], d: [], scatter: [], gather: [] };
  for (const q of order) pushPath(g, paths, found.scatter[q] as number, found.gather[q] as number);
  return paths;
}

/** A motif found for one pair (s, d): one path per intermediary. */
interface Motif {
  paths: number[];
  from: number;
  to: number;
  scattered: number;
  /** Every scatter before every gather (AMLSim's schedule), not only each path in order. */
  ordered: boolean;
}

/**
 * The motifs of one pair's paths (sorted by scatter time): for each first scatter, every
 * intermediary with a path inside the span from it (its first such path); then the largest
 * such sets that do not overlap in time and that `accept` takes.
 */
function motifsOf(
  g: MoneyGraph,
  paths: Paths,
  group: number[],
  p: ScatterGatherParams,
  accept: (m: Motif) => boolean,
): Motif[] {
  const span = p.span_days * DAY_MS;
  const t = (e: number) => g.time[e] as number;
  const candidates: Motif[] = [];
  for (let i = 0; i < group.length; i++) {
    const start = t(paths.scatter[group[i] as number] as number);
    const chosen = new Map<number, number>();
    for (let j = i; j < group.length; j++) {
      const q = group[j] as number;
      if (t(paths.scatter[q] as number) > start + span) break;
      const m = paths.m[q] as number;
      if (!chosen.has(m) && t(paths.gather[q] as number) - start <= span) chosen.set(m, q);
    }
    if (chosen.size < p.min_intermediaries) continue;
    const chosenPaths = [...chosen.values()];
    const from = Math.min(...chosenPaths.map((q) => t(paths.scatter[q] as number)));
    const scattered = chosenPaths.reduce(
      (sum, q) => sum + (g.amountUsd[paths.scatter[q] as number] as number),
      0,
    );
    if (scattered < p.min_total_usd) continue;
    const lastScatter = Math.max(...chosenPaths.map((q) => t(paths.scatter[q] as number)));
    const firstGather = Math.min(...chosenPaths.map((q) => t(paths.gather[q] as number)));
    const to = Math.max(...chosenPaths.map((q) => t(paths.gather[q] as number)));
    candidates.push({ paths: chosenPaths, from, to, scattered, ordered: lastScatter < firstGather });
  }
  // More intermediaries first, then scatters all before gathers, then more money.
  candidates.sort(
    (a, b) =>
      b.paths.length - a.paths.length ||
      Number(b.ordered) - Number(a.ordered) ||
      b.scattered - a.scattered ||
      a.from - b.from,
  );
  const kept: Motif[] = [];
  for (const c of candidates) {
    if (kept.every((k) => c.to < k.from || c.from > k.to) && accept(c)) kept.push(c);
  }
  return kept;
}

export function scatterGathers(g: MoneyGraph, p: ScatterGatherParams, focus?: Focus): Finding[] {
  const relationship = p.relationship_days * DAY_MS;
  const usable = motifEdges(g, p.max_hub_degree, relationship);
  const paths = twoHopPaths(g, p, usable, focus);
  // Paths by their ends (s, d).
  const groups = new Map<number, number[]>();
  const n = g.accounts.length;
  for (let q = 0; q < paths.s.length; q++) {
    const key = (paths.s[q] as number) * n + (paths.d[q] as number);
    const group = groups.get(key);
    if (group) group.push(q);
    else groups.set(key, [q]);
  }
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    if (group.length < p.min_intermediaries) continue;
    if (new Set(group.map((q) => paths.m[q])).size < p.min_intermediaries) continue;
    const t = (e: number) => g.time[e] as number;
    group.sort(
      (x, y) =>
        t(paths.scatter[x] as number) - t(paths.scatter[y] as number) ||
        t(paths.gather[x] as number) - t(paths.gather[y] as number) ||
        x - y,
    );
    // A layer of a bipartite or stack motif: its intermediaries all deal with another account
    // too, in sums like the motif's (at least half its smallest leg).
    const layer = (m: Motif) => {
      const mids = m.paths.map((q) => paths.m[q] as number);
      const [s, d] = [paths.s[m.paths[0] as number] as number, paths.d[m.paths[0] as number] as number];
      const least = (legs: number[]) =>
        Math.min(...m.paths.map((q) => g.amountUsd[legs[q] as number] as number));
      const query = { except: new Set([s, d]), window: m, motifEdge: usable.edge, relationship };
      return (
        sharedCounterparty(g, mids, { ...query, side: "in", minUsd: least(paths.scatter) / 2 }) >= 0 ||
        sharedCounterparty(g, mids, { ...query, side: "out", minUsd: least(paths.gather) / 2 }) >= 0
      );
    };
    for (const motif of motifsOf(g, paths, group, p, (m) => !layer(m)))
      findings.push(finding(g, paths, motif, p));
  }
  // A stable order: by originator, then time.
  return findings.sort(
    (a, b) =>
      (a.subjects[0]?.account as number) - (b.subjects[0]?.account as number) ||
      a.window.from - b.window.from,
  );
}

function finding(g: MoneyGraph, paths: Paths, motif: Motif, p: ScatterGatherParams): Finding {
  const first = motif.paths[0] as number;
  const s = paths.s[first] as number;
  const d = paths.d[first] as number;
  const mids = motif.paths.map((q) => paths.m[q] as number).sort((a, b) => a - b);
  const edges = motif.paths
    .flatMap((q) => [paths.scatter[q] as number, paths.gather[q] as number])
    .sort((a, b) => a - b);
  const gathered = motif.paths.reduce(
    (sum, q) => sum + (g.amountUsd[paths.gather[q] as number] as number),
    0,
  );
  const shares = motif.paths.map(
    (q) =>
      (g.amountUsd[paths.gather[q] as number] as number) /
      (g.amountUsd[paths.scatter[q] as number] as number),
  );
  const [S, D] = [g.accounts[s] as string, g.accounts[d] as string];
  const days = Math.max(1, Math.ceil((motif.to - motif.from) / DAY_MS));
  const j = mids.length;
  const spread = Math.max(...shares) - Math.min(...shares);
  return {
    typology: "scatter-gather",
    subjects: [
      { account: s, role: "originator" },
      { account: d, role: "beneficiary" },
      ...mids.map((account) => ({ account, role: "intermediary" as const })),
    ],
    edges,
    window: { from: motif.from, to: motif.to },
    amountUsd: motif.scattered,
    reasons: [
      `${S} paid ${j} accounts ${usd(motif.scattered)} USD and each of them paid ${D}, ${usd(gathered)} USD together, within ${days} day(s): ${edges.length} transactions`,
      `each intermediary paid ${D} after ${S} paid it, passing on ${ratio(Math.min(...shares))} to ${ratio(Math.max(...shares))} of what it received (allowed ${p.ratio_low} to ${p.ratio_high})`,
      motif.ordered
        ? `all ${j} payments from ${S} to the intermediaries came before the first of theirs to ${D}`
        : `each intermediary's payment came after its own receipt, but the scatter and the gather overlap in time`,
      `the intermediaries dealt with ${S} and with ${D} only within ${p.relationship_days} day(s), and none of the ${j + 2} accounts has more than ${p.max_hub_degree} distinct payers or payees`,
    ],
    // More intermediaries, scatters all before gathers, and alike shares score higher.
    score: Math.min(
      1,
      0.45 +
        0.07 * Math.min(5, j - p.min_intermediaries) +
        (motif.ordered ? 0.15 : 0) +
        0.1 * Math.max(0, 1 - spread / Math.max(1e-9, p.ratio_high - p.ratio_low)),
    ),
  };
}
