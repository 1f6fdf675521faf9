import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";
import { activeTime } from "../active-time.js";
import { DAY_MS, defineDetector, type Finding, type Role } from "../detector.js";
import {
  accountsOfNew,
  counterparties,
  findRelays,
  mayPassOn,
  oneOffCredits,
  passedOn,
  type RelayRules,
  type Relays,
  relayedBy,
} from "../flows.js";
import { newEdgesOf } from "../focus.js";
import { dueParams, monthStartShare, recurrenceUnseenIn } from "../month-start.js";
import { usd } from "../motifs.js";
import type { DetectionDataWithDetails, TransactionDetails } from "../transaction-details.js";

/**
 * Funnel account (FinCEN FIN-2014-A005, FIN-2014-A008 HS14-7, FIN-2020-A008; typologies.md §1.5
 * FUNNEL; SAR activity 824): money deposited into one account, in small amounts, often in several
 * cities or branches and by several people, then quickly withdrawn or sent elsewhere. It fires on
 * the flow of money alone, per account within `window_days`:
 * - at least `min_deposits` deposits, each at most `threshold_usd`, together at least
 *   `min_total_usd`. A deposit is cash paid in, a cash self-transfer (AMLworld writes deposits and
 *   withdrawals so, without direction), or a transfer from a one-off payer (all its payments within
 *   `relationship_days`; not a hub, not a card sale): the "many small credits from unrelated
 *   payers" form of the funnel, for data without branches;
 * - at least `min_kept` of the deposited value leaves within `hours` of each deposit (flows.ts
 *   pairs deposits with withdrawals and transfers out; card spending and payments to hubs are
 *   not money leaving);
 * - the deposits are a burst: at least `min_burst` times the account's usual deposits per window,
 *   measured outside it. A shop banking its takings every day and paying its suppliers, or a cash
 *   business, does so all year;
 * - deposits that are mostly transfers paid on the first `due_days` days of a month are rent or
 *   dues collected (month-start.ts), paid on to the landlord's own bills.
 * - deposits that are mostly transfers make a funnel only where the data holds a month before or
 *   after them (month-start.ts, `recurrenceUnseen`): on less, a monthly client or tenant pays once
 *   and passes for a one-off payer, and every business looks like one;
 * - on short history (under `short_history_days` besides the window) an account paid by card by
 *   `shop_card_payers` or more is a shop banking its takings: without a usual to burst against,
 *   its daily cash looks like a funnel's (version 3).
 * When the data has them, the deposits' cities, branches and conductors (the people who made them)
 * and the cities of the withdrawals are given as reasons and raise the score. They never make an
 * alert on their own (typologies.md input policy): the detector fires without them, so that it is
 * evaluable on AMLworld files, which have none.
 *
 * Incremental runs (focus.ts): every transaction of a finding is a deposit into its account or a
 * debit out of it, so a finding with a new transaction has its account at distance 0 from one
 * (radius 0), and the new transaction is one of its deposits or a debit that can take money out
 * (flows.ts, `accountsOfNew`). Only those accounts' relays are sought; the payers' one-off test and
 * everyone's distinct payers and payees are still measured on the whole graph, and an account's
 * relays and usual deposits on its whole ledger, so each such finding is the full run's. When a
 * large share of the transactions is new, every account is searched (it costs less).
 */

const CASH = Channel.options.indexOf("cash");
const CARD = Channel.options.indexOf("card");

type Kind = "cash" | "unknown" | "transfer";

export const FunnelParams = z.object({
  // typologies.md §1.5 FUNNEL: ≥ 5 deposits each ≤ $10,000 within 30 days, ≥ 70% out within 48 h.
  threshold_usd: z.number().positive().default(10_000),
  min_deposits: z.number().int().min(2).default(5),
  window_days: z.number().positive().default(30),
  hours: z.number().positive().default(48),
  min_kept: z.number().gt(0).max(1).default(0.7),
  // Proposals: a material sum, and a burst against the account's own usual.
  min_total_usd: z.number().min(0).default(5000),
  // Proposal: below this a credit is everyday cash or a payment between friends, not a deposit.
  min_deposit_usd: z.number().min(0).default(1000),
  // Proposal: an account that pays more than this many distinct accounts (a payroll processor,
  // a marketplace) sends money on as its trade; as the fan detectors' max_hub_degree.
  max_hub_degree: z.number().int().min(1).default(100),
  min_burst: z.number().min(1).default(3),
  // As the fan detectors'.
  relationship_days: z.number().min(0).default(7),
  max_counterparty_degree: z.number().int().min(1).default(50),
  /**
   * Proposal [U], as fan-in's: a run whose deposits are transfers paid (at least `due_share` of
   * them) on the first `due_days` days of a month is rent or dues collected, and paid on to the
   * landlord's own bills (0: no such test). Cash deposits are never rent here.
   */
  ...dueParams,
  /**
   * Proposal [U]: on short history (the account seen under `short_history_days` besides the
   * window: AMLworld's HI-Small spans 18 days) the burst cannot be measured, and an account paid by
   * card by at least `shop_card_payers` distinct payers (0: no such test) is a shop banking its
   * takings: its deposits are no funnel. On an 18-day world in AMLworld's format, 68 of the 71
   * funnel alerts were such shops (motels, restaurants: daily cash, suppliers paid by ACH).
   */
  short_history_days: z.number().min(0).default(20),
  shop_card_payers: z.number().int().min(0).default(3),
});
export type FunnelParams = z.infer<typeof FunnelParams>;

export const funnelAccount = defineDetector({
  id: "funnel-account",
  version: 3,
  typology: "funnel-account",
  title: "Small deposits from many places or payers, quickly taken out",
  basis:
    "FinCEN FIN-2014-A005 (funnel accounts), FIN-2014-A008 HS14-7, FIN-2020-A008; typologies.md §1.5 FUNNEL; SAR activity 824",
  params: FunnelParams,
  // City, branch and conductor are read when the data has them (DetectionData.details), never needed.
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account"],
  partyRecords: true,
  run(data, p) {
    const g = data.graph;
    const count = counterparties(g);
    const hub = (a: number, side: "payers" | "payees") =>
      a >= 0 && count[side](a) > p.max_counterparty_degree;
    const oneOff = oneOffCredits(g, p.relationship_days * DAY_MS);
    // What a credit is as a deposit, whatever its size (the burst is measured on all of them).
    // Whether a transfer's payer is one-off and no hub is asked last (`anyPayer` skips it): it is
    // worked out account by account.
    const depositKind = (e: number, anyPayer = false): Kind | null => {
      if ((g.amountUsd[e] as number) > p.threshold_usd) return null;
      const from = g.from[e] as number;
      if (from < 0) return "cash";
      if (g.channel[e] === CASH) return from === g.to[e] ? "unknown" : null;
      if (g.channel[e] === CARD || !(anyPayer || (oneOff(e) && !hub(from, "payees")))) return null;
      return "transfer";
    };
    const kind = (e: number, anyPayer = false) =>
      (g.amountUsd[e] as number) < p.min_deposit_usd ? null : depositKind(e, anyPayer);
    // Every transfer waits to be passed on, whoever paid it (a wage taken out is still matched, so
    // that it cannot stand for a deposit); whether its payer makes it a deposit is asked afterwards.
    const rules: RelayRules = {
      windowMs: p.hours * 3_600_000,
      minKept: p.min_kept,
      minCredits: p.min_deposits,
      minTotalUsd: p.min_total_usd,
      account: (a) => count.payees(a) <= p.max_hub_degree,
      credit: (e) => kind(e, true) !== null,
      debit: (e) => g.channel[e] !== CARD && !hub(g.to[e] as number, "payers"),
      unknown: (e) => g.channel[e] === CASH,
    };
    // Incremental: only the accounts a new transaction can be part of (the module's comment). A
    // credit is in a finding as a deposit (as the loop below tests it): a transfer only if passed
    // on, which is cheaper to rule out than its payer's relationship.
    const focus = data.focus;
    const deposit = (e: number) => {
      const k = kind(e, true);
      return k !== null && (k !== "transfer" || (mayPassOn(g, rules, e) && kind(e) !== null));
    };
    const relays = findRelays(g, {
      ...rules,
      only: focus && accountsOfNew(g, rules, newEdgesOf(focus), deposit),
    });
    const has = (f: "city" | "branch" | "conductor") => data.available.has(f);
    const places = has("city") || has("branch") || has("conductor");
    const details = places ? (data as DetectionDataWithDetails).details : undefined;
    const findings: Finding[] = [];
    for (let i = 0; i < relays.accounts.length; i++) {
      const account = relays.accounts[i] as number;
      const lo = relays.start[i] as number;
      const hi = relays.start[i + 1] as number;
      if (hi - lo < p.min_deposits) continue;
      // A transfer from a one-off payer that the account keeps is income; it is a funnel's
      // deposit only when it is taken out again. Cash paid in is a deposit either way.
      const deposits: Deposit[] = [];
      for (let s = lo; s < hi; s++) {
        if (relays.withdrawal[s] === 1) continue;
        const credit = relays.credit[s] as number;
        const k = kind(credit, true);
        if (k === null) continue;
        if (k === "transfer" && (!passedOn(relays, s, p.min_kept) || kind(credit) === null)) continue;
        deposits.push({ slot: s, credit, kind: k, forwarded: relays.forwarded[s] as number });
      }
      if (deposits.length < p.min_deposits || count.payees(account) > p.max_hub_degree) continue;
      // Measured only if a window comes to the burst test (most accounts never do).
      let measured: ReturnType<typeof depositVolume> | undefined;
      const volume = () => {
        measured ??= depositVolume(g, account, depositKind);
        return measured;
      };
      const shop = p.shop_card_payers > 0 && cardPayers(g, account, p.shop_card_payers) >= p.shop_card_payers;
      for (const run of funnelRuns(g, deposits, volume, shop, p)) {
        const f = finding(g, account, relays, deposits, run, p, places, details);
        if (!rentCollected(g, account, f, p)) findings.push(f);
      }
    }
    return findings;
  },
});

/** The distinct accounts that paid `account` by card, counted up to `enough`: its card customers. */
function cardPayers(g: MoneyGraph, account: number, enough: number): number {
  const payers = new Set<number>();
  for (let k = g.inStart[account] as number; k < (g.inStart[account + 1] as number); k++) {
    const e = g.inEdges[k] as number;
    const from = g.from[e] as number;
    if (g.channel[e] !== CARD || from < 0 || from === account) continue;
    payers.add(from);
    if (payers.size >= enough) break;
  }
  return payers.size;
}

/** Whether a run's deposits are mostly transfers paid on the first days of a month: rent or dues. */
function rentCollected(g: MoneyGraph, account: number, f: Finding, p: FunnelParams): boolean {
  if (p.due_days <= 0) return false;
  const credits = f.edges.filter((e) => g.to[e] === account);
  const due = credits.filter((e) => (g.from[e] as number) >= 0 && g.from[e] !== account);
  return (
    credits.length > 0 &&
    (monthStartShare(g.time, due, p.due_days) * due.length) / credits.length >= p.due_share
  );
}

/** A deposit: its slot among the relays, its credit, what it is, and what of it left. */
interface Deposit {
  slot: number;
  credit: number;
  kind: Kind;
  forwarded: number;
}

interface Run {
  lo: number;
  hi: number;
  total: number;
  forwarded: number;
  /** Deposits of every size in the window, and per window outside it. */
  inside: number;
  usual: number;
}

/**
 * The account's deposit-like credits of any size (cash in, cash self-transfers, one-off transfers)
 * as cumulative sums over time, and the account's active time: what its usual is measured on.
 */
function depositVolume(
  g: MoneyGraph,
  account: number,
  depositKind: (e: number) => Kind | null,
): { between(from: number, to: number): number; total: number; active: number } {
  const times: number[] = [];
  const sums: number[] = [0];
  for (let k = g.inStart[account] as number; k < (g.inStart[account + 1] as number); k++) {
    const e = g.inEdges[k] as number;
    if (depositKind(e) === null) continue;
    times.push(g.time[e] as number);
    sums.push((sums.at(-1) as number) + (g.amountUsd[e] as number));
  }
  /** The number of times before t (or at most t). */
  const rank = (t: number, inclusive: boolean) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] as number) < t || (inclusive && times[mid] === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    between: (from, to) => (sums[rank(to, true)] as number) - (sums[rank(from, false)] as number),
    total: sums.at(-1) as number,
    active: activeTime(g, account),
  };
}

/**
 * The windows of deposits that make a funnel, without overlap: the largest first, then the largest
 * before it and after it.
 */
function funnelRuns(
  g: MoneyGraph,
  deposits: Deposit[],
  volume: () => ReturnType<typeof depositVolume>,
  shop: boolean,
  p: FunnelParams,
): Run[] {
  const span = p.window_days * DAY_MS;
  const time = (k: number) => g.time[(deposits[k] as Deposit).credit] as number;
  const amount = (k: number) => g.amountUsd[(deposits[k] as Deposit).credit] as number;
  const transfer = (k: number) => ((deposits[k] as Deposit).kind === "transfer" ? 1 : 0);
  const best = (from: number, to: number): Run | null => {
    let found: Run | null = null;
    let i = from;
    let total = 0;
    let forwarded = 0;
    let transfers = 0;
    for (let k = from; k < to; k++) {
      total += amount(k);
      forwarded += (deposits[k] as Deposit).forwarded;
      transfers += transfer(k);
      while (time(k) - time(i) > span) {
        total -= amount(i);
        forwarded -= (deposits[i] as Deposit).forwarded;
        transfers -= transfer(i);
        i++;
      }
      if (k - i + 1 < p.min_deposits || total < p.min_total_usd) continue;
      if (forwarded < p.min_kept * total - 1e-6) continue;
      // Deposits mostly transfers are a funnel's only where the data can tell a one-off payer from a
      // monthly one (month-start.ts): on a few weeks of data every client and tenant pays once, and a
      // business taking payments and paying its bills looks like the transfer form. Cash deposits
      // are the FinCEN form on any data.
      if (2 * transfers > k - i + 1 && recurrenceUnseenIn(g, time(i), time(k))) continue;
      // The burst, on deposits of every size: the window's against the usual outside it.
      const v = volume();
      const inside = v.between(time(i), time(k));
      const outsideSpan = Math.max(span, v.active - (time(k) - time(i)));
      const usual = ((v.total - inside) * span) / outsideSpan;
      if (inside < p.min_burst * usual) continue;
      // Too short a history to know a shop's takings from a burst: a shop's deposits are its own.
      if (shop && v.active - (time(k) - time(i)) < p.short_history_days * DAY_MS) continue;
      if (!found || total > found.total) found = { lo: i, hi: k, total, forwarded, usual, inside };
    }
    return found;
  };
  const runs: Run[] = [];
  const search = (from: number, to: number) => {
    const run = to - from >= p.min_deposits ? best(from, to) : null;
    if (!run) return;
    runs.push(run);
    search(from, run.lo);
    search(run.hi + 1, to);
  };
  search(0, deposits.length);
  return runs.sort((a, b) => a.lo - b.lo);
}

function finding(
  g: MoneyGraph,
  account: number,
  relays: Relays,
  deposits: Deposit[],
  run: Run,
  p: FunnelParams,
  places: boolean,
  details: TransactionDetails | undefined,
): Finding {
  const window = deposits.slice(run.lo, run.hi + 1);
  const credits = window.map((d) => d.credit);
  // What took each deposit out; a deposit mostly kept has no such debits (what it paid is spending).
  const debits = [
    ...new Set(
      window.flatMap((d) =>
        passedOn(relays, d.slot, p.min_kept) ? relayedBy(g, relays, d.slot, p.min_kept).debits : [],
      ),
    ),
  ].sort((a, b) => a - b);
  const kinds = { cash: 0, unknown: 0, transfer: 0 };
  for (const d of window) kinds[d.kind]++;
  const payers = [
    ...new Set(window.filter((d) => d.kind === "transfer").map((d) => g.from[d.credit] as number)),
  ];
  const payees = [...new Set(debits.map((e) => g.to[e] as number).filter((a) => a >= 0 && a !== account))];
  const cashOut = debits.filter((e) => (g.to[e] as number) < 0 || g.from[e] === g.to[e]);
  const subjects: { account: number; role: Role }[] = [{ account, role: "hub" }];
  for (const a of payers.sort((x, y) => x - y)) subjects.push({ account: a, role: "originator" });
  for (const a of payees.sort((x, y) => x - y))
    if (!subjects.some((s) => s.account === a)) subjects.push({ account: a, role: "beneficiary" });
  const first = g.time[credits[0] as number] as number;
  const last = Math.max(...[...credits, ...debits].map((e) => g.time[e] as number));
  const key = g.accounts[account] as string;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const days = Math.max(1, Math.ceil(((g.time[credits.at(-1) as number] as number) - first) / DAY_MS));
  const how = [
    kinds.cash > 0 ? `${kinds.cash} in cash` : "",
    kinds.unknown > 0 ? `${kinds.unknown} cash self-transfer(s) of unknown direction` : "",
    kinds.transfer > 0 ? `${kinds.transfer} transfer(s) from ${payers.length} one-off payer(s)` : "",
  ].filter((x) => x !== "");
  const out = run.forwarded;
  const reasons = [
    `${credits.length} deposits into ${key} within ${days} day(s), each at most ${usd(p.threshold_usd)} USD, together ${usd(run.total)} USD: ${how.join(", ")}`,
    `${pct(out / run.total)} of it (${usd(out)} USD) left within ${p.hours} h of each deposit (at least ${pct(p.min_kept)} required): ${cashOut.length} cash withdrawal(s), ${debits.length - cashOut.length} payment(s) to ${payees.length} account(s)`,
    run.usual > 0
      ? `deposits of any size: ${usd(run.inside)} USD in this window, ${(run.inside / run.usual).toFixed(1)} times the ${usd(run.usual)} USD ${key} takes in per ${p.window_days} days outside it (at least ${p.min_burst} times required)`
      : `outside this window ${key} takes in no such deposits`,
  ];
  const geo = geography(account, credits, debits, places, details);
  reasons.push(...geo.reasons);
  return {
    typology: "funnel-account",
    subjects,
    edges: [...credits, ...debits].sort((a, b) => a - b),
    window: { from: first, to: last },
    amountUsd: run.total + out,
    reasons,
    // More deposits and more of them taken out score higher; places and people add to it.
    score: Math.min(
      1,
      0.5 +
        0.05 * Math.min(3, credits.length - p.min_deposits) +
        0.15 * Math.min(1, (out / run.total - p.min_kept) / Math.max(1e-9, 1 - p.min_kept)) +
        geo.bonus,
    ),
    sarActivities: ["824"],
  };
}

/** What the deposits' cities, branches and conductors, and the withdrawals' cities, add. */
function geography(
  account: number,
  credits: number[],
  debits: number[],
  places: boolean,
  details: TransactionDetails | undefined,
): { reasons: string[]; bonus: number } {
  if (!details)
    return {
      reasons: [
        places
          ? "the data has city, branch or conductor, but they were not loaded: judged on the flow of money alone"
          : "the data has no city, branch or conductor: judged on the flow of money alone",
      ],
      bonus: 0,
    };
  const distinct = (column: Int32Array, edges: number[]) => {
    const seen = new Set<string>();
    for (const e of edges) {
      const v = column[e] as number;
      if (v >= 0) seen.add(details.strings[v] as string);
    }
    return [...seen].sort();
  };
  const cities = distinct(details.city, credits);
  const branches = distinct(details.branch, credits);
  const people = distinct(details.conductor, credits);
  const outCities = distinct(details.city, debits).filter((c) => !cities.includes(c));
  const reasons: string[] = [];
  let bonus = 0;
  const where = [
    cities.length > 1 ? `in ${cities.length} cities (${cities.join(", ")})` : "",
    branches.length > 1 ? `at ${branches.length} branches` : "",
    people.length > 1 ? `by ${people.length} different people (${people.join(", ")})` : "",
  ].filter((x) => x !== "");
  if (where.length > 0) reasons.push(`the deposits were made ${where.join(", ")}`);
  if (cities.length > 1) bonus += 0.1;
  if (branches.length > 1) bonus += 0.05;
  if (people.length > 1) bonus += 0.1;
  // HS14-7 and §1.5: deposits where the holder does not live (its address in the party records).
  const home = details.homeCity[account] as number;
  const away =
    home < 0 ? 0 : credits.filter((e) => (details.city[e] as number) >= 0 && details.city[e] !== home).length;
  if (away > 0) {
    reasons.push(
      `${away} of the deposits were made away from the holder's home city (${details.strings[home]})`,
    );
    bonus += 0.05;
  }
  if (outCities.length > 0) {
    reasons.push(`money was taken out in ${outCities.join(", ")}, where none of the deposits was made`);
    bonus += 0.05;
  }
  return { reasons, bonus };
}
