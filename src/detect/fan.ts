import { z } from "zod";
import type { MoneyGraph } from "../graph/money-graph.js";
import { Channel } from "../model/channel.js";
import { scratch } from "../util/scratch-pool.js";
import { firstAtOrAfter } from "../util/sorted-times.js";
import { distinctDegrees } from "./degrees.js";
import { DAY_MS, type Finding, type Role } from "./detector.js";
import { type Focus, newEdgesOf } from "./focus.js";
import { memoised } from "./graph-memo.js";
import { usd } from "./motifs.js";
import { oneOffEdges } from "./one-off.js";
import { type ShortHistory, shortHistory, shortHistoryParams, shortHistoryReason } from "./own-habits.js";
import type { TransactionDetails } from "./transaction-details.js";
import { transferHubs } from "./transfer-hubs.js";

/**
 * Fan-in and fan-out (typologies.md §3.3): one account that receives from (or pays) at least k
 * distinct accounts within a window, in amounts of a kind (the same sum split or gathered). What
 * keeps it from firing on ordinary life:
 * - counterparties that are themselves hubs (a merchant everyone pays, a payroll paying
 *   everyone) do not count: paying a supermarket is not a fan-out;
 * - the amounts must be alike (each within `amount_ratio` of the others: typologies.md's
 *   amount homogeneity), which customers' purchases and suppliers' invoices are not;
 * - a counterparty the account deals with again and again (an employee paid every month, a
 *   landlord) is a relationship, not a member of a fan: only counterparties whose dealings with
 *   the account all fall within `relationship_days` count;
 * - the fan must move a material sum (`min_total_usd`), and take at least `min_span_hours`: a
 *   batch paid out in one go (a payroll run, dividends) is how businesses pay many people;
 * - an account that deals with more than `max_hub_degree` distinct counterparties on this side
 *   (a payroll processor, a marketplace) makes fans as its business: it is left to the funnel and
 *   pass-through detectors, which look at what its money does next. Card customers (payments
 *   with a merchant code) do not count: a retail shop is no hub of transfers;
 * - the fan must be a burst: `min_burst` times the account's usual number of such one-window
 *   counterparties per window, measured outside the fan (a shop has new customers every month);
 * - purchases (payments by card, or with a merchant category code where the data has them) are
 *   trade: a shop's card customers neither make a fan nor are the usual that hides one of
 *   transfers from strangers beside them; and the fan is the best window that passes every
 *   test, so a larger group of alike amounts that fails one does not hide it;
 * - fan-out: payments of an ACH batch (the account paying `batch_payees` or more accounts by ACH
 *   on one day) do not count: that is how employers run payroll and businesses pay suppliers,
 *   and a data set shorter than two pay periods shows each employee paid once.
 */

/** The parameters of both fans, with their defaults (docs/detect.md). */
export const FanParams = z.object({
  min_counterparties: z.number().int().min(2).default(5),
  window_days: z.number().positive().default(30),
  min_burst: z.number().min(1).default(2),
  amount_ratio: z.number().gt(1).default(1.5),
  max_counterparty_degree: z.number().int().min(1).default(50),
  relationship_days: z.number().min(0).default(7),
  min_total_usd: z.number().min(0).default(5000),
  max_hub_degree: z.number().int().min(1).default(100),
  min_span_hours: z.number().min(0).default(24),
  /** Fan-out: ACH payments to this many accounts or more on one day are a batch (0: no such rule). */
  batch_payees: z.number().int().min(0).default(3),
  /**
   * Proposal [U]: the share of the account's one-off counterparties over the fan's own time that
   * the fan's members make (0: no such test). A busy account's many customers or tenants hold a
   * few of alike sums by chance; a fan is most of whom the account dealt with once at the time.
   */
  min_member_share: z.number().min(0).max(1).default(0.7),
  /**
   * Proposal [U]: a second reading for fans of unlike sums (AMLworld's members pay different
   * amounts, within this ratio of each other; 0: no such reading), taken only where the fan is
   * nearly all of the account's one-off dealings on that side at the time (`wide_member_share`).
   */
  wide_ratio: z.number().min(0).default(3),
  wide_member_share: z.number().min(0).max(1).default(0.9),
  wide_min_counterparties: z.number().int().min(2).default(5),
  // On short history the members must stand out from their own habits (own-habits.ts).
  ...shortHistoryParams,
});
export type FanParams = z.infer<typeof FanParams>;

export type FanSide = "in" | "out";

const ACH = Channel.options.indexOf("ach");
const CARD = Channel.options.indexOf("card");

/**
 * A count per account, all 0 between uses: each use (a hub's window, a day's payees) sets counts
 * and clears them again before it returns. One per graph serves every hub of both sides and the
 * gather-scatter's, where a table each cost an incremental run the first touch of 1.7 MB on
 * 430,000 accounts.
 */
function accountCounts(g: MoneyGraph): Int32Array {
  return memoised(g, "account-counts", () => scratch.take(Int32Array, g.accounts.length));
}

/**
 * Days (UTC day numbers) on which an account paid `least` or more distinct accounts by ACH:
 * batches, as a payroll run is, unless two more such days fall within three days of it. Bills
 * paid by direct debit (payments with a merchant category code: the utilities a household pays
 * on the same day) are no batch of payees.
 */
export function achBatchDays(
  g: MoneyGraph,
  list: Int32Array,
  lo: number,
  hi: number,
  least: number,
  isPurchase: (e: number) => boolean,
): Set<number> | null {
  if (least <= 0) return null;
  // The list is in time order, so each day's payments come together: its distinct payees are
  // marked in a table of the accounts and cleared at the day's end, where a map of days to sets
  // of payees took 20–30 ms of an incremental run over the hubs with new payments.
  const marked = accountCounts(g);
  const payees: number[] = [];
  const runs: number[] = [];
  let day = Number.NaN;
  const close = () => {
    if (payees.length >= least) runs.push(day);
    for (const a of payees) marked[a] = 0;
    payees.length = 0;
  };
  for (let k = lo; k < hi; k++) {
    const e = list[k] as number;
    const to = g.to[e] as number;
    if (g.channel[e] !== ACH || to < 0 || isPurchase(e)) continue;
    const d = Math.floor((g.time[e] as number) / DAY_MS);
    if (d !== day) {
      close();
      day = d;
    }
    if (marked[to] === 0) {
      marked[to] = 1;
      payees.push(to);
    }
  }
  close();
  // Pay days stand apart (weekly at most often, twice a week at a stretch): an account paying
  // several accounts by ACH on three days of a week or more is not running a payroll, it is
  // paying many people one after another.
  const near = (d: number) => runs.filter((x) => x !== d && Math.abs(x - d) <= 3).length;
  return new Set(runs.filter((d) => near(d) < 2));
}

/**
 * Incremental runs: whether some new payment of the hub (those of `added.hubs[h]`, in list order,
 * read where they are: a view per hub and reading made 90,000 objects a delivery) that may be a
 * member has, within the fan's window on either side of it and within `amount_ratio` of its
 * amount, payments enough to make a fan with it (`min_counterparties`, counting payments, not yet
 * distinct accounts). Every member of a fan is that close to each other one, so a hub where no
 * new payment passes holds no fan with a new payment: what an incremental run keeps. Looks only
 * at the payments around the new ones (the list is in time order), not at the hub's whole list.
 */
function newMemberCanFan(
  g: MoneyGraph,
  list: Int32Array,
  lo: number,
  hi: number,
  added: NewPaymentsBy,
  h: number,
  mayJoin: (e: number) => boolean,
  params: FanParams,
): boolean {
  const span = params.window_days * DAY_MS;
  for (let j = added.start[h] as number; j < (added.start[h + 1] as number); j++) {
    const e = added.edges[j] as number;
    if (!mayJoin(e)) continue;
    const t = g.time[e] as number;
    const x = g.amountUsd[e] as number;
    // The first payment of the window (the list is in time order), then on to its end.
    let from = lo;
    let to = hi;
    while (from < to) {
      const mid = (from + to) >>> 1;
      if ((g.time[list[mid] as number] as number) < t - span) from = mid + 1;
      else to = mid;
    }
    let near = 0;
    for (let i = from; i < hi; i++) {
      const f = list[i] as number;
      if ((g.time[f] as number) > t + span) break;
      const y = g.amountUsd[f] as number;
      if (y <= params.amount_ratio * x && x <= params.amount_ratio * y && mayJoin(f)) near++;
    }
    if (near >= params.min_counterparties) return true;
  }
  return false;
}

/** Accounts with new payments on one side, ascending, and each one's new payments, in time order. */
interface NewPaymentsBy {
  hubs: Int32Array;
  /** The new payments of `hubs[i]` are `edges[start[i]]` to `edges[start[i + 1] - 1]`. */
  start: Int32Array;
  edges: Int32Array;
}

/**
 * Per account, its new payments on one side (`ends`: the payees', for fan-in), found by sorting
 * them as numbers (account × edges + edge, exact in a double): a map of arrays per account cost
 * 50,000 small arrays and their garbage on a delivery of 1%.
 */
function newPaymentsBy(g: MoneyGraph, added: Int32Array, ends: Int32Array): NewPaymentsBy {
  const E = g.edgeCount;
  const keys = new Float64Array(added.length);
  let count = 0;
  for (let i = 0; i < added.length; i++) {
    const e = added[i] as number;
    const a = ends[e] as number;
    if (a >= 0) keys[count++] = a * E + e;
  }
  const sorted = keys.subarray(0, count).sort();
  const edges = new Int32Array(count);
  // At most one hub per payment: typed arrays of that size, where JS arrays pushed to (44,000
  // hubs) took 8–13 ms (their growth in the large-object space, `IntList`).
  const hubs = new Int32Array(count);
  const start = new Int32Array(count + 1);
  let n = 0;
  for (let k = 0; k < count; k++) {
    const key = sorted[k] as number;
    const a = Math.floor(key / E);
    edges[k] = key - a * E;
    if (n === 0 || hubs[n - 1] !== a) {
      hubs[n] = a;
      start[n++] = k;
    }
  }
  start[n] = count;
  return { hubs: hubs.subarray(0, n), start: start.subarray(0, n + 1), edges };
}

/**
 * The most distinct counterparties within `span` ms among time-ordered candidates (`group`:
 * indices into the hub's candidates' times `time` and counterparties `who`), and where. `count`
 * is scratch, one slot per account, all 0 (and left so): payments per counterparty in the window.
 * The candidates' own arrays, not the graph's columns: a hub's candidates are scattered over
 * the graph, and every group of amounts reads them again.
 */
function densestWindow(
  time: Float64Array,
  who: Int32Array,
  group: readonly number[],
  span: number,
  count: Int32Array,
): { count: number; lo: number; hi: number } {
  let tail = 0;
  let distinct = 0;
  let best = { count: 0, lo: 0, hi: -1 };
  for (let k = 0; k < group.length; k++) {
    const t = time[group[k] as number] as number;
    while ((time[group[tail] as number] as number) < t - span) {
      const c = who[group[tail] as number] as number;
      count[c] = (count[c] as number) - 1;
      if (count[c] === 0) distinct--;
      tail++;
    }
    const c = who[group[k] as number] as number;
    if (count[c] === 0) distinct++;
    count[c] = (count[c] as number) + 1;
    if (distinct > best.count) best = { count: distinct, lo: tail, hi: k };
  }
  for (let k = tail; k < group.length; k++) count[who[group[k] as number] as number] = 0;
  // The window reaches its count at `hi`; members' later payments within it belong to it too.
  const until = (time[group[best.lo] as number] as number) + span;
  for (let k = best.lo; k <= best.hi; k++) count[who[group[k] as number] as number] = 1;
  while (
    best.hi + 1 < group.length &&
    (time[group[best.hi + 1] as number] as number) <= until &&
    count[who[group[best.hi + 1] as number] as number] === 1
  )
    best.hi++;
  for (let k = best.lo; k <= best.hi; k++) count[who[group[k] as number] as number] = 0;
  return best;
}

/**
 * Distinct counterparties among a hub's candidates (time-ordered) from `first` to `last`: whom
 * it dealt with once at the fan's time, at any amount.
 */
function candidatesWithin(
  candidates: { time: Float64Array; who: Int32Array },
  first: number,
  last: number,
): number {
  const { time, who } = candidates;
  const seen = new Set<number>();
  for (let i = firstAtOrAfter(time, first); i < time.length && (time[i] as number) <= last; i++)
    seen.add(who[i] as number);
  return seen.size;
}

/** A fan that passed the tests, with what the reasons cite. */
interface FanWindow {
  best: { count: number; edges: number[] };
  amountUsd: number;
  first: number;
  last: number;
  /** One-off counterparties per window outside the fan. */
  usual: number;
  /** Distinct one-off counterparties over the fan's own time, its members among them. */
  once: number;
  /** Short history: the time the hub was seen besides the fan, and the members standing out. */
  short: ShortHistory | null;
}

/**
 * Whether a densest window of alike amounts is a fan: a material sum, over more than a batch's
 * time, and a burst against the account's usual one-off counterparties (this side, at any
 * amount, purchases aside) per window outside it.
 */
function testWindow(
  g: MoneyGraph,
  hub: number,
  best: { count: number; edges: number[] },
  candidates: { time: Float64Array; who: Int32Array },
  list: Int32Array,
  lo: number,
  hi: number,
  counterparty: (e: number) => number,
  isOneOff: (e: number) => boolean,
  isPurchase: (e: number) => boolean,
  params: FanParams,
): FanWindow | null {
  const span = params.window_days * DAY_MS;
  const amountUsd = best.edges.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
  if (amountUsd < params.min_total_usd) return null;
  const first = g.time[best.edges[0] as number] as number;
  const last = g.time[best.edges.at(-1) as number] as number;
  if (last - first < params.min_span_hours * 3_600_000) return null;
  const once = candidatesWithin(candidates, first, last);
  if (best.count < params.min_member_share * once) return null;
  // The usual: one-window counterparties per window outside the fan, over at least one window.
  const outside = new Set<number>();
  for (let k = lo; k < hi; k++) {
    const e = list[k] as number;
    const t = g.time[e] as number;
    const c = counterparty(e);
    if (c < 0 || (t >= first && t <= last) || isPurchase(e)) continue;
    // Like the fan's own: one-off counterparties, at any amount.
    if (isOneOff(e)) outside.add(c);
  }
  // The time the account was seen outside the fan (its active span less the fan's own).
  const active = (g.time[list[hi - 1] as number] as number) - (g.time[list[lo] as number] as number);
  const short = shortHistory(g, hub, { from: first, to: last }, best.edges, counterparty, params);
  if (short === null) return null;
  const outsideSpan = Math.max(span, active - (last - first));
  const usual = outside.size === 0 ? 0 : (outside.size * span) / outsideSpan;
  if (best.count < params.min_burst * usual) return null;
  return { best, amountUsd, first, last, usual, once, short: short === "long" ? null : short };
}

/**
 * The fans of one side, for each reading of the rule (`readings`: the same parameters, but for
 * `amount_ratio`, `min_counterparties`, `min_member_share` and `min_total_usd`), in one pass over
 * the accounts: each account's candidates are gathered and sorted by amount once, then every
 * reading looks for its fan among them. The findings come per reading, in account order.
 * Purchases are payments with a merchant code, or by card with or without one (AMLworld's files
 * have none): card payments settle to merchants, and a shop's customers pay it once each, alike
 * sums or unlike.
 */
export function fans(
  g: MoneyGraph,
  side: FanSide,
  readings: readonly FanParams[],
  typology: string,
  focus?: Focus,
  details?: TransactionDetails,
): Finding[][] {
  // What every reading shares: whom it counts and over what time.
  const params = readings[0] as FanParams;
  const mcc = details?.mcc;
  const isPurchase = (e: number) => (mcc !== undefined && (mcc[e] as number) >= 0) || g.channel[e] === CARD;
  const start = side === "in" ? g.inStart : g.outStart;
  const list = side === "in" ? g.inEdges : g.outEdges;
  const ends = side === "in" ? g.from : g.to;
  const counterparty = (e: number) => ends[e] as number;
  // A counterparty's own fan the other way: a sender's payees, a recipient's payers.
  const { payers, payees } = distinctDegrees(g);
  const degree = side === "in" ? payees : payers;
  const ownDegree = side === "in" ? payers : payees;
  const span = params.window_days * DAY_MS;
  const relationship = params.relationship_days * DAY_MS;
  const fewest = Math.min(...readings.map((r) => r.min_counterparties));
  // Which payments are one-offs (all the dealings of the pair, that direction, within
  // `relationship`): worked out once per graph (the motifs ask too) and carried from one run's
  // graph to the next, where a map of each account's dealings cost a pass over its payments.
  const oneOff = oneOffEdges(g, relationship);
  const findings: Finding[][] = readings.map(() => []);
  const scratch = accountCounts(g);
  // Incremental: a fan with a new payment has that payment's account as its hub, on this side;
  // only those accounts are looked at (ascending, as a full run goes), not every account.
  const added = focus ? newPaymentsBy(g, newEdgesOf(focus), side === "in" ? g.to : g.from) : null;
  const hubs = added?.hubs ?? null;
  const mayJoin = (e: number) => {
    const c = counterparty(e);
    return (
      oneOff[e] === 1 && c >= 0 && (degree[c] as number) <= params.max_counterparty_degree && !isPurchase(e)
    );
  };
  // A hub of business deals with more than `max_hub_degree` distinct counterparties on this side.
  // Where the data has merchant codes, card customers do not count: a retail shop's customers say
  // nothing of whom it takes transfers from (a fan into a shop is still a fan). The few accounts
  // over the bar are counted again without their purchases (`transfer-hubs.ts`, kept from run to run).
  const transferHub = mcc === undefined ? null : transferHubs(g, params.max_hub_degree, mcc);
  const isHub = (hub: number): boolean =>
    (ownDegree[hub] as number) > params.max_hub_degree &&
    (transferHub === null || transferHub.over(hub, side));
  for (let i = 0; i < (hubs ? hubs.length : g.accounts.length); i++) {
    const hub = hubs ? (hubs[i] as number) : i;
    const lo = start[hub] as number;
    const hi = start[hub + 1] as number;
    if (hi - lo < fewest || isHub(hub)) continue;
    // The payments that may be members: one-offs with accounts that are no hubs, no purchases
    // (ACH batches aside, below). Too few for a reading: no fan by it; incremental, none new with
    // enough around it: no fan with a new payment, none to report.
    let members = 0;
    if (!added) for (let k = lo; k < hi; k++) if (mayJoin(list[k] as number)) members++;
    // Bit k: reading k may find a fan here (a bit mask, not an array per hub: 44,000 hubs a
    // delivery of 1%).
    let looking = 0;
    for (let k = 0; k < readings.length; k++) {
      const r = readings[k] as FanParams;
      const may = added
        ? newMemberCanFan(g, list, lo, hi, added, i, mayJoin, r)
        : members >= r.min_counterparties;
      if (may) looking |= 1 << k;
    }
    if (looking === 0) continue;
    // Payments to oneself are no one-offs by the flags, yet count as one (when all within
    // `relationship`) among the usual counterparties below.
    let selfFirst = Number.POSITIVE_INFINITY;
    let selfLast = Number.NEGATIVE_INFINITY;
    for (let k = lo; k < hi; k++) {
      const e = list[k] as number;
      if (counterparty(e) !== hub) continue;
      selfFirst = Math.min(selfFirst, g.time[e] as number);
      selfLast = g.time[e] as number;
    }
    const selfOneOff = selfLast - selfFirst <= relationship;
    const isOneOff = (e: number) => (counterparty(e) === hub ? selfOneOff : oneOff[e] === 1);
    const batch = side === "out" ? achBatchDays(g, list, lo, hi, params.batch_payees, isPurchase) : null;
    // Candidates: one-off counterparties that are not hubs, by amount.
    const candidates: number[] = [];
    for (let k = lo; k < hi; k++) {
      const e = list[k] as number;
      const c = counterparty(e);
      if (c < 0 || c === hub || (degree[c] as number) > params.max_counterparty_degree || isPurchase(e))
        continue;
      if (batch?.has(Math.floor((g.time[e] as number) / DAY_MS)) && g.channel[e] === ACH) continue;
      if (oneOff[e]) candidates.push(e);
    }
    if (candidates.length < fewest) continue;
    // The candidates (in time order, as the list gives them) as arrays of their own, then their
    // order by amount (ties in time order) and each one's place in it.
    const m = candidates.length;
    const time = new Float64Array(m);
    const amount = new Float64Array(m);
    const who = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const e = candidates[i] as number;
      time[i] = g.time[e] as number;
      amount[i] = g.amountUsd[e] as number;
      who[i] = counterparty(e);
    }
    const byAmount = Array.from({ length: m }, (_, i) => i).sort(
      (x, y) => (amount[x] as number) - (amount[y] as number) || x - y,
    );
    const rank = new Int32Array(m);
    byAmount.forEach((i, r) => {
      rank[i] = r;
    });
    const at = (r: number) => amount[byAmount[r] as number] as number;
    readings.forEach((r, k) => {
      if ((looking & (1 << k)) === 0 || m < r.min_counterparties) return;
      // Every largest group of amounts within the ratio of each other, then its densest window;
      // the fan is the window with the most counterparties among those that pass every test
      // below. (A shop's many card customers of a kind make the largest group, yet no fan: a fan
      // of transfers beside them must still be seen.)
      const windows: { count: number; edges: number[] }[] = [];
      let low = 0;
      for (let high = 0; high < m; high++) {
        while (at(high) > r.amount_ratio * at(low)) low++;
        const grows = high + 1 < m && at(high + 1) <= r.amount_ratio * at(low);
        if (grows || high - low + 1 < r.min_counterparties) continue;
        // The group in time order: picked from all candidates, or sorted when it is few of them.
        let group: number[];
        if ((high - low + 1) * 16 < m) group = byAmount.slice(low, high + 1).sort((x, y) => x - y);
        else {
          group = [];
          for (let i = 0; i < m; i++)
            if ((rank[i] as number) >= low && (rank[i] as number) <= high) group.push(i);
        }
        const w = densestWindow(time, who, group, span, scratch);
        if (w.count >= r.min_counterparties)
          windows.push({
            count: w.count,
            edges: group.slice(w.lo, w.hi + 1).map((i) => candidates[i] as number),
          });
      }
      // Most counterparties first; among equals, the one found first (the smaller amounts).
      windows.sort((x, y) => y.count - x.count);
      for (const w of windows) {
        const fan = testWindow(g, hub, w, { time, who }, list, lo, hi, counterparty, isOneOff, isPurchase, r);
        if (fan) {
          (findings[k] as Finding[]).push(fanFinding(g, side, hub, fan, counterparty, typology, r));
          break;
        }
      }
    });
  }
  return findings;
}

/** A fan that passed every test, as a finding with its reasons and score. */
function fanFinding(
  g: MoneyGraph,
  side: FanSide,
  hub: number,
  fan: FanWindow,
  counterparty: (e: number) => number,
  typology: string,
  params: FanParams,
): Finding {
  const { best, amountUsd, first, last, usual, once, short } = fan;
  const counterparties = new Set(best.edges.map(counterparty));
  const amounts = best.edges.map((e) => g.amountUsd[e] as number);
  const days = Math.max(1, Math.ceil((last - first) / DAY_MS));
  const role: Role = side === "in" ? "originator" : "beneficiary";
  const key = g.accounts[hub] as string;
  const verb = side === "in" ? `sent money to ${key}` : `received money from ${key}`;
  return {
    typology,
    subjects: [
      { account: hub, role: "hub" },
      ...[...counterparties].sort((a, b) => a - b).map((account) => ({ account, role })),
    ],
    edges: best.edges,
    window: { from: first, to: last },
    amountUsd,
    reasons: [
      `${counterparties.size} distinct accounts ${verb} within ${days} day(s): ${best.edges.length} transactions, ${usd(amountUsd)} USD`,
      `the amounts are alike: ${usd(Math.min(...amounts))} to ${usd(Math.max(...amounts))} USD (within a ratio of ${params.amount_ratio})`,
      usual > 0
        ? `outside this fan it has ${usual.toFixed(1)} distinct ${side === "in" ? "senders" : "recipients"} per ${params.window_days} days; this is ${(best.count / usual).toFixed(1)} times that`
        : `outside this fan it has no ${side === "in" ? "senders" : "recipients"}`,
      `they are ${best.count} of its ${once} one-off ${side === "in" ? "senders" : "recipients"} over that time (min_member_share ${params.min_member_share})`,
      ...(short
        ? [
            shortHistoryReason(
              key,
              short,
              params,
              "the fan",
              side === "in" ? "senders paid it" : "recipients got from it",
              side === "in" ? "payments" : "receipts",
            ),
          ]
        : []),
    ],
    // More counterparties, and a sharper burst against the usual, score higher.
    score: Math.min(
      1,
      (1 - Math.exp(-counterparties.size / params.min_counterparties)) *
        (1 - Math.min(1, usual / best.count) / 2) +
        0.2,
    ),
  };
}

/**
 * The fan rule, then its reading of unlike sums (`wide_ratio`, typologies.md §3.2: AMLworld's
 * fan members pay different amounts): the same tests with the wider ratio, and the fan must be
 * at least `wide_member_share` of the account's one-off counterparties over its time. Where a
 * business's one-off customers or suppliers pay unlike sums, it is this share and the account's
 * own history, not the amounts, that tell.
 * Such a fan is added only where the rule finds none about that account over the same time, says
 * why unlike sums sufficed, and scores 0.8 of the rule's. `also`: the caller's own readings, found
 * in the same pass and returned as they are.
 */
export function fanReadings(
  g: MoneyGraph,
  side: FanSide,
  params: FanParams,
  typology: string,
  focus?: Focus,
  details?: TransactionDetails,
  also: readonly FanParams[] = [],
): { fans: Finding[]; also: Finding[][] } {
  const widely = params.wide_ratio > params.amount_ratio;
  const wideParams: FanParams = {
    ...params,
    amount_ratio: params.wide_ratio,
    min_member_share: params.wide_member_share,
    min_counterparties: Math.max(params.min_counterparties, params.wide_min_counterparties),
  };
  // One pass over the accounts for the rule, its wide reading and the caller's own readings.
  const [found = [], ...rest] = fans(
    g,
    side,
    [params, ...(widely ? [wideParams] : []), ...also],
    typology,
    focus,
    details,
  );
  const wide = widely ? (rest.shift() ?? []) : [];
  const read = wide
    .filter((f) => !found.some((r) => sameHubOverlapping(r, f)))
    .map((f) => {
      const amounts = f.edges.map((e) => g.amountUsd[e] as number);
      return {
        ...f,
        reasons: [
          ...f.reasons.slice(0, 1),
          `the amounts run from ${usd(Math.min(...amounts))} to ${usd(Math.max(...amounts))} USD, within a ratio of ${params.wide_ratio} (the rule's fans: ${params.amount_ratio})`,
          ...f.reasons
            .slice(2)
            .map((r) =>
              r.replace(
                `(min_member_share ${params.wide_member_share})`,
                `(wide_member_share ${params.wide_member_share}): unlike sums make a fan only where they are nearly all of them`,
              ),
            ),
        ],
        score: 0.8 * f.score,
      };
    });
  return { fans: [...found, ...read], also: rest };
}

/** Whether two findings have the same hub (their first subject) and overlapping windows. */
export function sameHubOverlapping(a: Finding, b: Finding): boolean {
  return (
    a.subjects[0]?.account === b.subjects[0]?.account &&
    a.window.from <= b.window.to &&
    b.window.from <= a.window.to
  );
}
