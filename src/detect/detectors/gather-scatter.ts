import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";
import { activeTime } from "../active-time.js";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { achBatchDays } from "../fan.js";
import { accountsOfNewEdges, type Focus } from "../focus.js";
import { unseenDueParams, unseenDues } from "../month-start.js";
import { motifEdges, ratio, sharedCounterparty, shopperTransfers, transferEdges, usd } from "../motifs.js";
import { type ShortHistory, shortHistory, shortHistoryParams, shortHistoryReason } from "../own-habits.js";
import type { TransactionDetails } from "../transaction-details.js";

/**
 * Gather-scatter (typologies.md §3.3; AMLSim GatherScatter, AMLworld GATHER-SCATTER): at least i
 * accounts pay one hub h, and then h pays at least j accounts, passing on 80–100% of what it
 * gathered (AMLSim's hub keeps a 10% margin): {o1..oi} → h → {b1..bj}, every gather before every
 * scatter, within `span_days`. What keeps it from firing on ordinary life:
 * - h must not be a hub of business: with more than `max_hub_degree` distinct payers or payees
 *   (a payroll processor, a merchant, a marketplace) collecting and paying out is its trade;
 *   nor does a hub count as a member (an employer paying h, a store h pays). Where the data has
 *   merchant codes, the shops an account buys from do not make it a hub (motifs.ts,
 *   `shopperTransfers`): a person paying 117 merchants by card may be a hub or member all the same;
 * - members are one-offs: counterparties whose dealings with h all fall within
 *   `relationship_days`. Employers funding a payroll every pay day, the staff it pays, tenants
 *   paying rent and the suppliers a business pays every fortnight are relationships;
 * - the two phases must be clean: one-off payments out during the gathering, one-off receipts
 *   during the scattering, and payers and payees too small to be members (below) may come to at
 *   most `max_stray_share` of the motif's flows. A business whose customers keep paying while it
 *   pays its suppliers has no such phases;
 * - what goes out must be a share in [ratio_low, ratio_high] of what came in (the same money),
 *   and the sum gathered must be material (`min_total_usd`);
 * - a payer or payee carrying less than `min_member_share` of its side's mean is noise around
 *   the motif (a card purchase, a small transfer from a friend), not a member;
 * - the motif must be a burst against the hub's own life: at least `min_burst` times the one-off
 *   payers (and payees) of that size it has outside the motif in as long a time. A shop has new
 *   customers every week, and a small business pays new people now and then;
 * - the members must not share another counterparty (`sharedCounterparty`): then h is one
 *   intermediary of a stack or bipartite layer, where every originator pays every intermediary;
 * - payments of an ACH batch (the hub paying `batch_payees` or more accounts by ACH on one day,
 *   as fan-out's) are no scatters: that is how employers run payroll, and a data set shorter
 *   than two pay periods shows each employee paid once, a one-off to every test over time;
 * - where the data is too short to show a monthly payer paying again (month-start.ts), gathers
 *   from at least `due_payers` payers, mostly (`due_share`) paid on the first `due_days` days of
 *   the month, are dues: tenants paying a landlord or managing agent, who pays the owner and the
 *   bills. On a month of data each tenant pays once and passes every test over time. A few
 *   payers on those days are as likely a motif that began there;
 * - on short history (the hub seen under `short_history_days` besides the motif: AMLworld's
 *   HI-Small spans 18 days) the burst test has no usual to measure: at least `standout_share` of
 *   the originators must have paid it `standout_ratio` times their usual payment or more, or paid
 *   nothing else (own-habits.ts; version 2). A business's customers pay it what they pay others.
 */

export const GatherScatterParams = z.object({
  min_originators: z.number().int().min(2).default(3),
  min_beneficiaries: z.number().int().min(2).default(3),
  span_days: z.number().positive().default(90),
  ratio_low: z.number().min(0).default(0.8),
  ratio_high: z.number().positive().default(1.0),
  // The rest are proposals (typologies.md gives no figure); the first three and min_burst are
  // the fans'.
  relationship_days: z.number().min(0).default(7),
  max_hub_degree: z.number().int().min(1).default(100),
  min_total_usd: z.number().min(0).default(5000),
  max_stray_share: z.number().min(0).max(1).default(0.1),
  min_member_share: z.number().min(0).max(1).default(0.15),
  min_burst: z.number().min(1).default(2),
  // As fan-in's: dues are paid on the first days of the month; asked only where the data cannot
  // show the payers paying again (month-start.ts).
  ...unseenDueParams,
  // As fan-out's: ACH payments to this many accounts or more on one day are a batch (0: none).
  batch_payees: z.number().int().min(0).default(3),
  // As fan-in's: on short history the originators must stand out from their own habits.
  ...shortHistoryParams,
});
export type GatherScatterParams = z.infer<typeof GatherScatterParams>;

const ACH = Channel.options.indexOf("ach");

export const gatherScatter = defineDetector({
  id: "gather-scatter",
  version: 2,
  typology: "gather-scatter",
  title: "Many one-off payers to one account, which then pays it on to many",
  basis: "AMLSim GatherScatter and AMLworld GATHER-SCATTER (typologies.md §3.1–§3.3)",
  params: GatherScatterParams,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, params) => gatherScatters(data.graph, params, data.focus, data.details),
});

/** A hub's one-off dealings in time order: +1 a gather (a receipt), -1 a scatter (a payment). */
interface Dealings {
  edges: number[];
  kind: number[];
  counterparty: number[];
}

/** A stretch of a hub's dealings: gathers dealings[a..split), scatters dealings[split..b]. */
interface Stretch {
  a: number;
  split: number;
  b: number;
  members: number;
  gathered: number;
  /** One-off payments during the gathering and receipts during the scattering, USD. */
  outOfPhase: number;
}

/** A motif of a hub once its members are settled. */
interface Motif {
  a: number;
  b: number;
  edges: number[];
  originators: number[];
  beneficiaries: number[];
  gathered: number;
  scattered: number;
  /** Other one-off flows in the motif's time: against its order, or too small to be members. */
  stray: number;
  from: number;
  to: number;
  /** The least a member carried on each side (gathers, scatters), USD. */
  floor: [number, number];
  /** One-off payers and payees of that size the hub has as usual in a stretch as long. */
  usual: [number, number];
  /** Short history: the time the hub was seen besides the motif, the originators standing out. */
  short?: ShortHistory | null;
}

/**
 * The account's motif edges (`usable`), both ways, merged in time order; its ACH payments on
 * `batchDays` (UTC day numbers: a payroll run) left out.
 */
function dealingsOf(
  g: MoneyGraph,
  h: number,
  usable: (e: number) => boolean,
  batchDays: Set<number> | null,
): Dealings {
  const out: Dealings = { edges: [], kind: [], counterparty: [] };
  let i = g.inStart[h] as number;
  let o = g.outStart[h] as number;
  const inEnd = g.inStart[h + 1] as number;
  const outEnd = g.outStart[h + 1] as number;
  // Both lists are in edge (time) order: merge them.
  while (i < inEnd || o < outEnd) {
    const ei = i < inEnd ? (g.inEdges[i] as number) : Number.MAX_SAFE_INTEGER;
    const eo = o < outEnd ? (g.outEdges[o] as number) : Number.MAX_SAFE_INTEGER;
    const gather = ei < eo;
    const e = gather ? ei : eo;
    if (gather) i++;
    else o++;
    if (!usable(e)) continue;
    if (!gather && batchDays?.has(Math.floor((g.time[e] as number) / DAY_MS)) && g.channel[e] === ACH)
      continue;
    const c = (gather ? g.from[e] : g.to[e]) as number;
    out.edges.push(e);
    out.kind.push(gather ? 1 : -1);
    out.counterparty.push(c);
  }
  return out;
}

/** Steps of the stretch search per account. */
const STEP_BUDGET = 2_000_000;

/**
 * Every stretch around a point where the hub turns from gathering to scattering that meets the
 * rule on raw sums: it starts with a gather and ends with a scatter within the span, has enough
 * distinct payers and payees, pays out a share in the band, and is clean enough of flows
 * against its order. Grouped by turning point.
 */
function stretchesOf(g: MoneyGraph, deal: Dealings, p: GatherScatterParams): Stretch[][] {
  const n = deal.edges.length;
  const span = p.span_days * DAY_MS;
  const t = (k: number) => g.time[deal.edges[k] as number] as number;
  const amount = (k: number) => g.amountUsd[deal.edges[k] as number] as number;
  // Prefix sums of gathers and scatters.
  const G = new Float64Array(n + 1);
  const S = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    G[k + 1] = (G[k] as number) + (deal.kind[k] === 1 ? amount(k) : 0);
    S[k + 1] = (S[k] as number) + (deal.kind[k] === -1 ? amount(k) : 0);
  }
  const stray = p.max_stray_share;
  const bySplit: Stretch[][] = [];
  // Steps left: an account with hundreds of one-off dealings interleaved both ways could take
  // O(n³); past the budget the turning points already seen are what it gets.
  let budget = STEP_BUDGET;
  for (let split = 1; split < n && budget > 0; split++) {
    if (deal.kind[split - 1] !== 1 || deal.kind[split] !== -1) continue;
    const found: Stretch[] = [];
    const originators = new Set<number>();
    for (let a = split - 1; a >= 0 && t(split) - t(a) <= span; a--) {
      if (deal.kind[a] !== 1) continue;
      originators.add(deal.counterparty[a] as number);
      if (originators.size < p.min_originators) continue;
      const gathered = (G[split] as number) - (G[a] as number);
      if (gathered < p.min_total_usd) continue;
      const scatteredEarly = (S[split] as number) - (S[a] as number);
      const beneficiaries = new Set<number>();
      for (let b = split; b < n && t(b) - t(a) <= span; b++) {
        budget--;
        const scattered = (S[b + 1] as number) - (S[split] as number);
        // Raw sums hold stray flows too (up to `stray` of the members' flows), so the band is
        // checked loosely here and exactly once the members are settled. Money out only grows
        // with b: past the loose band, no later b can come back into it.
        if (scattered * (1 - stray) > (p.ratio_high + stray) * gathered) break;
        if (deal.kind[b] !== -1) continue;
        beneficiaries.add(deal.counterparty[b] as number);
        if (beneficiaries.size < p.min_beneficiaries) continue;
        if (scattered < p.ratio_low * (gathered - stray * (gathered + scattered))) continue;
        const outOfPhase = scatteredEarly + (G[b + 1] as number) - (G[split] as number);
        if (outOfPhase > stray * (gathered + scattered)) continue;
        found.push({ a, split, b, members: originators.size + beneficiaries.size, gathered, outOfPhase });
      }
    }
    if (found.length > 0) bySplit.push(found);
  }
  return bySplit;
}

/**
 * A stretch's members once the immaterial are set aside: a payer or payee carrying less than
 * `min_member_share` of its side's mean (a card purchase, a small transfer between friends that
 * happened to fall inside the stretch) is noise around the motif, not part of it; what they
 * carried counts as stray. The rule is then checked again on what is left.
 */
function settle(g: MoneyGraph, deal: Dealings, w: Stretch, p: GatherScatterParams): Motif | null {
  const sides = [new Map<number, number>(), new Map<number, number>()] as const;
  for (let k = w.a; k <= w.b; k++) {
    const gather = deal.kind[k] === 1;
    if (gather !== k < w.split) continue;
    const side = sides[gather ? 0 : 1];
    const c = deal.counterparty[k] as number;
    side.set(c, (side.get(c) ?? 0) + (g.amountUsd[deal.edges[k] as number] as number));
  }
  const total = (side: Map<number, number>) => [...side.values()].reduce((x, y) => x + y, 0);
  const raw = total(sides[0]) + total(sides[1]);
  for (const side of sides) {
    // Setting one aside raises the mean: repeat until none is left below the share.
    for (let dropped = true; dropped && side.size > 0; ) {
      const floor = (p.min_member_share * total(side)) / side.size;
      dropped = false;
      for (const [c, sum] of side)
        if (sum < floor) {
          side.delete(c);
          dropped = true;
        }
    }
  }
  const [ins, outs] = sides;
  const gathered = total(ins);
  const scattered = total(outs);
  if (ins.size < p.min_originators || outs.size < p.min_beneficiaries || gathered < p.min_total_usd)
    return null;
  if (scattered < p.ratio_low * gathered || scattered > p.ratio_high * gathered) return null;
  // Stray: the flows against the order, and the payers and payees set aside as immaterial.
  const stray = w.outOfPhase + raw - gathered - scattered;
  if (stray > p.max_stray_share * (gathered + scattered)) return null;
  const edges: number[] = [];
  for (let k = w.a; k <= w.b; k++) {
    const gather = deal.kind[k] === 1;
    if (gather === k < w.split && (gather ? ins : outs).has(deal.counterparty[k] as number))
      edges.push(deal.edges[k] as number);
  }
  const byIndex = (x: number, y: number) => x - y;
  return {
    a: w.a,
    b: w.b,
    edges,
    originators: [...ins.keys()].sort(byIndex),
    beneficiaries: [...outs.keys()].sort(byIndex),
    gathered,
    scattered,
    stray,
    from: g.time[edges[0] as number] as number,
    to: g.time[edges.at(-1) as number] as number,
    floor: [Math.min(...ins.values()), Math.min(...outs.values())],
    usual: [0, 0],
  };
}

/**
 * The hub's usual number of one-off payers (side 0) or payees (side 1) carrying at least the
 * motif's smallest member's sum, in a stretch as long as the motif: counted outside the motif,
 * over the rest of the hub's active time (at least the motif's length). A shop has new
 * customers every week and a business pays new people now and then; a laundering hub's motif
 * stands out from its own life.
 */
function usualOutside(g: MoneyGraph, deal: Dealings, m: Motif, side: 0 | 1, active: number): number {
  const kind = side === 0 ? 1 : -1;
  const others = new Set<number>();
  for (let k = 0; k < deal.edges.length; k++) {
    const e = deal.edges[k] as number;
    const t = g.time[e] as number;
    if (deal.kind[k] !== kind || (t >= m.from && t <= m.to)) continue;
    if ((g.amountUsd[e] as number) >= m.floor[side]) others.add(deal.counterparty[k] as number);
  }
  const length = Math.max(DAY_MS, m.to - m.from);
  return (others.size * length) / Math.max(length, active - (m.to - m.from));
}

/** At most this many stretches are settled per turning point, best first. */
const SETTLE_CAP = 32;

export function gatherScatters(
  g: MoneyGraph,
  p: GatherScatterParams,
  focus?: Focus,
  details?: TransactionDetails,
): Finding[] {
  const relationship = p.relationship_days * DAY_MS;
  const usable = motifEdges(g, p.max_hub_degree, relationship);
  // Purchases are no gathers: a shop's card customers, then its payroll, is trade.
  const transfer = transferEdges(g, p.max_hub_degree, relationship, details);
  // A member that is a hub only by the shops it buys from is a member all the same.
  const shopper = shopperTransfers(g, p.max_hub_degree, relationship, details);
  const edge = (e: number) => transfer(e) || shopper?.edge(e) === true;
  const findings: Finding[] = [];
  const isPurchase = (e: number) => details !== undefined && (details.mcc[e] as number) >= 0;
  // Incremental: every payment of a motif has h at one end, so a motif with a new payment has h
  // at a new payment's end: only those accounts are looked at.
  const candidates = focus ? accountsOfNewEdges(focus) : null;
  const count = candidates ? candidates.length : g.accounts.length;
  for (let i = 0; i < count; i++) {
    const h = candidates ? (candidates[i] as number) : i;
    // Too few motif edges either way (a hub has none at all).
    const extraIn = shopper ? (shopper.inCount[h] as number) : 0;
    const extraOut = shopper ? (shopper.outCount[h] as number) : 0;
    if (
      (usable.inCount[h] as number) + extraIn < p.min_originators ||
      (usable.outCount[h] as number) + extraOut < p.min_beneficiaries
    )
      continue;
    const batchDays = achBatchDays(
      g,
      g.outEdges,
      g.outStart[h] as number,
      g.outStart[h + 1] as number,
      p.batch_payees,
      isPurchase,
    );
    const deal = dealingsOf(g, h, edge, batchDays);
    const active = activeTime(g, h);
    const except = new Set([h]);
    const motifs: Motif[] = [];
    for (const found of stretchesOf(g, deal, p)) {
      found.sort((x, y) => y.members - x.members || y.gathered - x.gathered || x.a - y.a);
      for (const w of found.slice(0, SETTLE_CAP)) {
        const m = settle(g, deal, w, p);
        if (!m) continue;
        m.usual = [usualOutside(g, deal, m, 0, active), usualOutside(g, deal, m, 1, active)];
        // Not a burst against the hub's own life: its business as usual.
        if (
          m.originators.length < p.min_burst * m.usual[0] ||
          m.beneficiaries.length < p.min_burst * m.usual[1]
        )
          continue;
        // Too short a history to know the hub's usual: the originators' payments must stand out
        // from their own habits (own-habits.ts).
        const gathers = m.edges.filter((e) => g.to[e] === h);
        const short = shortHistory(g, h, m, gathers, (e) => g.from[e] as number, p);
        if (short === null) continue;
        m.short = short === "long" ? null : short;
        // Dues the data is too short to see recur (month-start.ts).
        if (unseenDues(g, gathers, m.originators.length, p)) continue;
        // A layer of a bipartite or stack motif: its payers all pay another account too, in sums
        // like the motif's (at least half its smallest member's).
        const query = { except, window: m, motifEdge: usable.edge, relationship };
        if (
          sharedCounterparty(g, m.originators, { ...query, side: "out", minUsd: m.floor[0] / 2 }) >= 0 ||
          sharedCounterparty(g, m.beneficiaries, { ...query, side: "in", minUsd: m.floor[1] / 2 }) >= 0
        )
          continue;
        motifs.push(m);
        break;
      }
    }
    // The largest motifs first, then those that do not overlap them.
    motifs.sort(
      (x, y) =>
        y.originators.length + y.beneficiaries.length - (x.originators.length + x.beneficiaries.length) ||
        y.gathered - x.gathered ||
        x.from - y.from,
    );
    const kept: Motif[] = [];
    for (const m of motifs) if (kept.every((k) => m.b < k.a || m.a > k.b)) kept.push(m);
    for (const m of kept) findings.push(finding(g, h, m, p, details));
  }
  return findings.sort(
    (a, b) =>
      (a.subjects[0]?.account as number) - (b.subjects[0]?.account as number) ||
      a.window.from - b.window.from,
  );
}

function finding(
  g: MoneyGraph,
  h: number,
  m: Motif,
  p: GatherScatterParams,
  details?: TransactionDetails,
): Finding {
  const H = g.accounts[h] as string;
  const days = Math.max(1, Math.ceil((m.to - m.from) / DAY_MS));
  const share = m.scattered / m.gathered;
  const [i, j] = [m.originators.length, m.beneficiaries.length];
  return {
    typology: "gather-scatter",
    subjects: [
      { account: h, role: "hub" },
      ...m.originators.map((account) => ({ account, role: "originator" as const })),
      ...m.beneficiaries.map((account) => ({ account, role: "beneficiary" as const })),
    ],
    edges: m.edges,
    window: { from: m.from, to: m.to },
    amountUsd: m.gathered,
    reasons: [
      `${i} accounts paid ${H} ${usd(m.gathered)} USD, then ${H} paid ${j} accounts ${usd(m.scattered)} USD, within ${days} day(s): ${m.edges.length} transactions`,
      `${H} paid on ${ratio(share)} of what it gathered (allowed ${p.ratio_low} to ${p.ratio_high}), every payment in before every payment out`,
      m.stray > 0
        ? `its other one-off flows in that time (payments out while gathering, receipts while scattering, and sums too small to be members) came to ${usd(m.stray)} USD (at most ${p.max_stray_share} of the motif's)`
        : "it had no other one-off flows in that time",
      m.usual[0] === 0 && m.usual[1] === 0
        ? `outside the motif ${H} has no one-off payers of at least ${usd(m.floor[0])} USD nor payees of at least ${usd(m.floor[1])} USD`
        : `outside the motif ${H} has ${m.usual[0].toFixed(1)} one-off payers of at least ${usd(m.floor[0])} USD and ${m.usual[1].toFixed(1)} payees of at least ${usd(m.floor[1])} USD in as long a time (the motif needs ${p.min_burst} times that)`,
      `the members dealt with ${H} only within ${p.relationship_days} day(s), share no other counterparty, and none of them, nor ${H}, has more than ${p.max_hub_degree} distinct payers or payees${details ? " (card purchases aside)" : ""}`,
      ...(m.short ? [shortHistoryReason(H, m.short, p, "the motif", "originators paid it", "payments")] : []),
    ],
    // More members, and a share near AMLSim's 90%, score higher.
    score: Math.min(
      1,
      0.5 +
        0.05 * Math.min(6, i + j - p.min_originators - p.min_beneficiaries) +
        0.15 * (1 - Math.min(1, Math.abs(share - 0.9) / 0.1)),
    ),
  };
}
