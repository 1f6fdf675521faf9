import { z } from "zod";
import { seekTime } from "../../graph/graph-view.js";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { Channel } from "../../model/channel.js";
import { atLeast, DAY_MS, defineDetector, type Finding } from "../detector.js";
import { subjectAccountsOf } from "../focus.js";
import { groupMask, listsOf } from "../reference-lists.js";
import { detailsOf, type TransactionDetails } from "../transaction-details.js";
import { CH, channelMask, daysBetween, edgesBetween, MAX_PAYMENTS_SCANNED, usd } from "./ht-shared.js";

/**
 * Living costs that someone else pays (FATF–APG 2018 FATF-10; FIN-2020-A008 F12(a); FIN-2014-A008
 * HT14-3; typologies.md §1). Two rules, one typology:
 *
 * - **Victim** (FATF-10 with FATF-5's handover): an account with regular wage income — at least
 *   `min_pays` credits by `wage_channels` from one payer, at least `min_monthly_income` a month —
 *   that passes each wage on (at least `min_pass_share` of it to one account within
 *   `within_hours`, and no more than the wage, for at least `min_handed_share` of the wages),
 *   whose wages are at least `min_income_share` of what it receives, and that spends less than
 *   `max_living_share` of its payments on ordinary living (SUSTENANCE and UTILITIES MCC groups)
 *   meanwhile. Its needs are paid by someone else. FATF-10 alone (income, no living costs) also
 *   describes every business account; the handover is what makes it a person's wages taken. When
 *   two or more other accounts the payer pays also pay the taker, the ring is ht-wage-skim's to
 *   report (`defer_to_wage_skim`).
 * - **Business** (F12(a), HT14-3): an account run as a business — an employer (it pays wages in
 *   batches: ACH without an MCC to at least `batch_payees` accounts within 12 hours, twice or
 *   more; or salaries: ACH to two or more accounts again and again in amounts within
 *   `salary_ratio`; or it funds a payroll processor that pays at least `processor_batch` accounts
 *   within 6 hours of its funding), or paid by its clients (at least `min_business_payers`
 *   distinct accounts pay it twice or more by ACH, wire or check) — and paid no salary itself,
 *   that makes at least `min_living_payments` card payments for lodging, ground transport, air
 *   travel, car rental and sustenance within `window_days`, at least `min_business_share` of its card
 *   spending: it pays the living costs of people, not of a business. Typologies.md asks also
 *   that the business be outside hospitality and transport, which needs KYC (NAICS) that the
 *   detection data does not hold: a restaurant buying its groceries by card, or a trucking firm
 *   paying its drivers' motels, can match it.
 *
 * "Many-city cash deposits" (FATF–APG) are reported by ht-controller, not here.
 */

const Params = z.object({
  min_pays: z.number().int().min(2).default(3),
  min_monthly_income: z.number().min(0).default(2000),
  wage_channels: z.array(Channel).min(1).default(["ach"]),
  min_pass_share: z.number().gt(0).max(1).default(0.8),
  within_hours: z.number().positive().default(48),
  /** Proposal [U]. */
  min_handed_share: z.number().min(0).max(1).default(0.75),
  max_living_share: z.number().min(0).max(1).default(0.05),
  /** Proposal [U]. */
  min_income_share: z.number().min(0).max(1).default(0.8),
  /** Two or more fellow workers of the payer paying the same taker: left to ht-wage-skim. */
  defer_to_wage_skim: z.boolean().default(true),
  window_days: z.number().positive().default(30),
  min_living_payments: z.number().int().min(1).default(10),
  /** Proposal [U]: F12(a) measures 25% of all debits, which payroll dwarfs; this is of card spending. */
  min_business_share: z.number().min(0).max(1).default(0.5),
  /** Proposal [U]. */
  batch_payees: z.number().int().min(2).default(3),
  /** Proposal [U]. */
  processor_batch: z.number().int().min(2).default(20),
  /** Proposal [U]: an account paid twice or more by this many accounts by ACH, wire or check is a business. */
  min_business_payers: z.number().int().min(2).default(5),
  /** Proposal [U]: a salary varies less than this between pays. */
  salary_ratio: z.number().gt(1).default(1.15),
});
type Params = z.infer<typeof Params>;

const HOUR = 3_600_000;

export const htLivingCosts = defineDetector({
  id: "ht-living-costs",
  version: 2,
  typology: "ht-living-costs",
  title: "Wages with no living costs, or a business paying people's living costs",
  basis:
    "FATF–APG Financial Flows from Human Trafficking 2018 (FATF-10, FATF-5); FinCEN FIN-2020-A008 (F12(a)); FinCEN FIN-2014-A008 (HT14-3); typologies.md §1",
  params: Params,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account", "mcc"],
  lists: ["mccGroups"],
  run(data, p) {
    const g = data.graph;
    const details = detailsOf(data);
    const groups = listsOf(data).mccGroups;
    const masks = {
      living: groupMask(groups, "SUSTENANCE", "UTILITIES"),
      sustaining: groupMask(groups, "LODGING", "GROUND_TRANSPORT", "AIR", "CAR_RENTAL", "SUSTENANCE"),
    };
    const groupsOf = (e: number) => {
      const m = details.mcc[e] as number;
      return m >= 0 ? (groups.maskOf[m] as number) : 0;
    };
    const isLiving = (e: number) => (groupsOf(e) & masks.living) !== 0;
    const isSustaining = (e: number) => (groupsOf(e) & masks.sustaining) !== 0;
    // Each rule's findings cite only its subject's own payments of some kinds: the victim rule its
    // wages in and its handovers out (to an account, no MCC), the business rule its card spending
    // on sustaining needs. So each rule examines the accounts a new payment of its kinds names
    // (a consumer's new groceries by card call for neither), in one ascending walk, each account's
    // victim finding before its business finding, as a full run (both lists every account) has them.
    const wages = channelMask(p.wage_channels);
    const victims = subjectAccountsOf(g, data.focus, (e, add) => {
      if (wages & (1 << (g.channel[e] as number))) add(g.to[e] as number);
      if ((g.to[e] as number) >= 0 && (details.mcc[e] as number) < 0) add(g.from[e] as number);
    });
    const businesses = subjectAccountsOf(g, data.focus, (e, add) => {
      if (g.channel[e] === CH.card && isSustaining(e)) add(g.from[e] as number);
    });
    const findings: Finding[] = [];
    const listed = `lists: mcc-groups ${groups.version}`;
    for (let i = 0, j = 0; i < victims.length || j < businesses.length; ) {
      const v = i < victims.length ? (victims[i] as number) : Number.POSITIVE_INFINITY;
      const b = j < businesses.length ? (businesses[j] as number) : Number.POSITIVE_INFINITY;
      if (v <= b) {
        i++;
        const victim = victimFinding(g, details, v, p, isLiving);
        if (victim) findings.push({ ...victim, reasons: [...victim.reasons, listed] });
      }
      if (b <= v) {
        j++;
        const business = businessFinding(g, details, b, p, isSustaining);
        if (business) findings.push({ ...business, reasons: [...business.reasons, listed] });
      }
    }
    return findings;
  },
});

/** The FATF-10 victim rule for account `a`, or null. */
function victimFinding(
  g: MoneyGraph,
  details: TransactionDetails,
  a: number,
  p: Params,
  isLiving: (e: number) => boolean,
): Finding | null {
  const lo = g.inStart[a] as number;
  const hi = g.inStart[a + 1] as number;
  if (hi - lo < p.min_pays) return null;
  const mask = channelMask(p.wage_channels);
  // First, with nothing allocated: were at least `min_pays` credits mostly paid on within the
  // hours after (to accounts, not merchants)? Most people spend their pay bit by bit.
  const outLo = g.outStart[a] as number;
  const outHi = g.outStart[a + 1] as number;
  const within = p.within_hours * HOUR;
  let passed = 0;
  // Credits and payments are both in time order: one pointer walks the payments.
  let from = outLo;
  for (let k = lo; k < hi && passed < p.min_pays; k++) {
    const e = g.inEdges[k] as number;
    if (!(mask & (1 << (g.channel[e] as number)))) continue;
    const t = g.time[e] as number;
    while (from < outHi && (g.time[g.outEdges[from] as number] as number) < t) from++;
    let total = 0;
    for (let j = from; j < outHi; j++) {
      const x = g.outEdges[j] as number;
      if ((g.time[x] as number) > t + within) break;
      if (x > e && (g.to[x] as number) >= 0 && (details.mcc[x] as number) < 0)
        total += g.amountUsd[x] as number;
    }
    if (total >= p.min_pass_share * (g.amountUsd[e] as number)) passed++;
  }
  if (passed < p.min_pays) return null;
  const byPayer = new Map<number, number[]>();
  for (let k = lo; k < hi; k++) {
    const e = g.inEdges[k] as number;
    const from = g.from[e] as number;
    if (from < 0 || from === a || !(mask & (1 << (g.channel[e] as number)))) continue;
    const list = byPayer.get(from);
    if (list) list.push(e);
    else byPayer.set(from, [e]);
  }
  for (const [payer, wages] of byPayer) {
    if (wages.length < p.min_pays) continue;
    const first = g.time[wages[0] as number] as number;
    const last = g.time[wages.at(-1) as number] as number;
    const income = wages.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
    // A month at least: a few pays in a week are not a monthly income.
    const monthly = (income * 30 * DAY_MS) / Math.max(30 * DAY_MS, last - first);
    if (monthly < p.min_monthly_income) continue;
    // Each wage: to whom most of it went within the hours after (payments to merchants excluded).
    const handedTo = new Map<number, number[][]>();
    const handover = (e: number, x: number) => {
      const to = g.to[x] as number;
      return x > e && to >= 0 && to !== payer && to !== a && (details.mcc[x] as number) < 0;
    };
    // Wages not passed on that rule the account out, counted as they come: most accounts spend
    // their pay bit by bit and are ruled out at the first wages, with nothing allocated.
    const allowedMisses = wages.length - Math.max(p.min_pays, atLeast(p.min_handed_share, wages.length));
    let misses = 0;
    for (const e of wages) {
      if (misses > allowedMisses) break;
      const t = g.time[e] as number;
      const lo = seekTime(g, g.outEdges, g.outStart[a] as number, outHi, t);
      if (
        outHi - lo > MAX_PAYMENTS_SCANNED &&
        (g.time[g.outEdges[lo + MAX_PAYMENTS_SCANNED] as number] as number) <= t + within
      )
        return null;
      let end = lo;
      let total = 0;
      for (; end < outHi && (g.time[g.outEdges[end] as number] as number) <= t + within; end++) {
        const x = g.outEdges[end] as number;
        if (handover(e, x)) total += g.amountUsd[x] as number;
      }
      if (total < p.min_pass_share * (g.amountUsd[e] as number)) {
        misses++;
        continue;
      }
      const byPayee = new Map<number, number[]>();
      for (let k = lo; k < end; k++) {
        const x = g.outEdges[k] as number;
        if (!handover(e, x)) continue;
        const to = g.to[x] as number;
        const list = byPayee.get(to);
        if (list) list.push(x);
        else byPayee.set(to, [x]);
      }
      let handed = false;
      for (const [to, taken] of byPayee) {
        const sum = taken.reduce((s, x) => s + (g.amountUsd[x] as number), 0);
        // The wage passed on: most of it, and not more than it (a business paying an invoice larger
        // than what came in is not handing over a wage).
        if (sum < p.min_pass_share * (g.amountUsd[e] as number) || sum > (g.amountUsd[e] as number)) continue;
        handed = true;
        const list = handedTo.get(to);
        if (list) list.push([e, ...taken]);
        else handedTo.set(to, [[e, ...taken]]);
      }
      if (!handed) misses++;
    }
    if (misses > allowedMisses) continue;
    // The wages are its income: at least `min_income_share` of what it received meanwhile (a
    // business is paid by many; a victim's account lives on the one wage).
    let received = 0;
    for (const x of edgesBetween(g, a, "in", first, last)) received += g.amountUsd[x] as number;
    if (income < p.min_income_share * received) continue;
    for (const [taker, handed] of handedTo) {
      if (handed.length < atLeast(p.min_handed_share, wages.length) || handed.length < p.min_pays) continue;
      if (p.defer_to_wage_skim && fellowWorkers(g, payer, taker, a) >= 2) continue;
      // Its payments meanwhile: how much went to ordinary living?
      let paid = 0;
      let living = 0;
      for (const x of edgesBetween(g, a, "out", first, last + p.within_hours * HOUR)) {
        paid += g.amountUsd[x] as number;
        if (isLiving(x)) living += g.amountUsd[x] as number;
      }
      if (paid <= 0 || living >= p.max_living_share * paid) continue;
      const edges = handed.flat().sort((x, y) => x - y);
      const passed = handed.reduce(
        (s, h) => s + h.slice(1).reduce((t, x) => t + (g.amountUsd[x] as number), 0),
        0,
      );
      const handedIncome = handed.reduce((s, h) => s + (g.amountUsd[h[0] as number] as number), 0);
      const key = g.accounts[a] as string;
      return {
        typology: "ht-living-costs",
        subjects: [
          { account: a, role: "hub" },
          { account: payer, role: "originator" },
          { account: taker, role: "beneficiary" },
        ],
        edges,
        window: { from: g.time[edges[0] as number] as number, to: g.time[edges.at(-1) as number] as number },
        amountUsd: handedIncome + passed,
        reasons: [
          `${key} received ${wages.length} wages from ${g.accounts[payer]} over ${daysBetween(first, last)} days, ${usd(income)} USD (${usd(monthly)} USD a month; at least ${usd(p.min_monthly_income)})`,
          `${handed.length} of them were passed on to ${g.accounts[taker]} within ${p.within_hours} hours: ${usd(passed)} USD of ${usd(handedIncome)} USD (${Math.round((passed / handedIncome) * 100)}%)`,
          `${living > 0 ? `only ${Math.round((living / paid) * 100)}%` : "none"} of its payments meanwhile went to ordinary living (groceries, meals, pharmacy, clothing, utilities; under ${Math.round(p.max_living_share * 100)}%): someone else pays its needs`,
        ],
        score: Math.min(
          1,
          0.5 + 0.1 * Math.min(1, (handed.length - p.min_pays) / 3) + (living === 0 ? 0.15 : 0.05),
        ),
        sarActivities: ["927"],
      };
    }
  }
  return null;
}

/**
 * How many other accounts the payer pays that also pay the taker: two or more make the workers of
 * a wage-skimming ring, which ht-wage-skim reports (one scheme, one alert).
 */
function fellowWorkers(g: MoneyGraph, payer: number, taker: number, worker: number): number {
  const paid = new Set<number>();
  for (let k = g.outStart[payer] as number; k < (g.outStart[payer + 1] as number); k++)
    paid.add(g.to[g.outEdges[k] as number] as number);
  const fellows = new Set<number>();
  for (let k = g.inStart[taker] as number; k < (g.inStart[taker + 1] as number); k++) {
    const from = g.from[g.inEdges[k] as number] as number;
    if (from !== worker && from >= 0 && paid.has(from)) fellows.add(from);
  }
  return fellows.size;
}

/** The F12(a) business rule for account `a`, or null. */
function businessFinding(
  g: MoneyGraph,
  details: TransactionDetails,
  a: number,
  p: Params,
  isSustaining: (e: number) => boolean,
): Finding | null {
  const lo = g.outStart[a] as number;
  const hi = g.outStart[a + 1] as number;
  if (hi - lo < p.min_living_payments) return null;
  const paying: number[] = [];
  for (let k = lo; k < hi; k++) {
    const e = g.outEdges[k] as number;
    if (g.channel[e] === CH.card && isSustaining(e)) paying.push(e);
  }
  if (paying.length < p.min_living_payments) return null;
  const employer = businessEvidence(g, details, a, p);
  if (!employer || receivesWages(g, a, p)) return null;
  // The densest window of such payments.
  const span = p.window_days * DAY_MS;
  let best = { lo: 0, hi: -1 };
  let tail = 0;
  for (let k = 0; k < paying.length; k++) {
    while ((g.time[paying[tail] as number] as number) < (g.time[paying[k] as number] as number) - span)
      tail++;
    if (k - tail > best.hi - best.lo) best = { lo: tail, hi: k };
  }
  const edges = paying.slice(best.lo, best.hi + 1);
  if (edges.length < p.min_living_payments) return null;
  const first = g.time[edges[0] as number] as number;
  const last = g.time[edges.at(-1) as number] as number;
  let card = 0;
  for (const e of edgesBetween(g, a, "out", first, last))
    if ((details.mcc[e] as number) >= 0 || g.channel[e] === CH.card) card += g.amountUsd[e] as number;
  const amountUsd = edges.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
  if (amountUsd < p.min_business_share * card) return null;
  const key = g.accounts[a] as string;
  return {
    typology: "ht-living-costs",
    subjects: [{ account: a, role: "hub" }],
    edges,
    window: { from: first, to: last },
    amountUsd,
    reasons: [
      `${key} is run as a business: ${employer}`,
      `it made ${edges.length} card payments for lodging, transport, car rental and sustenance within ${daysBetween(first, last)} days, ${usd(amountUsd)} USD, ${Math.round((amountUsd / card) * 100)}% of its card spending (at least ${p.min_living_payments} and ${Math.round(p.min_business_share * 100)}%): an employer paying people's living costs (F12(a), HT14-3)`,
    ],
    score: Math.min(1, 0.5 + 0.05 * Math.min(4, edges.length - p.min_living_payments)),
    sarActivities: ["927"],
  };
}

/**
 * Whether account `a` is paid wages: two or more ACH credits from one payer, alike in amount
 * (within `salary_ratio`), each paid in a batch (the payer paying at least `batch_payees` accounts
 * by ACH within 12 hours). A customer settling invoices with several suppliers on one day pays
 * amounts that differ.
 */
function receivesWages(g: MoneyGraph, a: number, p: Params): boolean {
  const batched = new Map<number, number[]>();
  for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++) {
    const e = g.inEdges[k] as number;
    const payer = g.from[e] as number;
    if (g.channel[e] !== CH.ach || payer < 0 || payer === a) continue;
    const t = g.time[e] as number;
    const payees = new Set<number>();
    const hi = g.outStart[payer + 1] as number;
    for (let j = seekTime(g, g.outEdges, g.outStart[payer] as number, hi, t - 12 * HOUR); j < hi; j++) {
      const x = g.outEdges[j] as number;
      if ((g.time[x] as number) > t + 12 * HOUR || payees.size >= p.batch_payees) break;
      if (g.channel[x] === CH.ach) payees.add(g.to[x] as number);
    }
    if (payees.size < p.batch_payees) continue;
    const amounts = batched.get(payer) ?? [];
    amounts.push(g.amountUsd[e] as number);
    batched.set(payer, amounts);
    if (amounts.length >= 2 && Math.max(...amounts) <= p.salary_ratio * Math.min(...amounts)) return true;
  }
  return false;
}

/**
 * Why account `a` looks like a business, in words, or null. It pays wages: ACH to at least
 * `batch_payees` accounts within 12 hours, twice or more; or ACH to two or more accounts again
 * and again in amounts within `salary_ratio` (a small employer's salaries); or ACH to an account
 * (a payroll processor) that pays at least `processor_batch` accounts within 6 hours after. Or
 * clients pay it: at least `min_business_payers` distinct accounts, each twice or more, by ACH,
 * wire or check.
 */
function businessEvidence(g: MoneyGraph, details: TransactionDetails, a: number, p: Params): string | null {
  // ACH to merchants (bills with an MCC: a household's utilities fall due together) is not payroll.
  const ach: number[] = [];
  for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
    const e = g.outEdges[k] as number;
    if (g.channel[e] === CH.ach && (g.to[e] as number) >= 0 && (details.mcc[e] as number) < 0) ach.push(e);
  }
  let batches = 0;
  let until = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ach.length; i++) {
    const t = g.time[ach[i] as number] as number;
    if (t <= until) continue;
    const payees = new Set<number>();
    for (let k = i; k < ach.length && (g.time[ach[k] as number] as number) <= t + 12 * HOUR; k++)
      payees.add(g.to[ach[k] as number] as number);
    if (payees.size >= p.batch_payees) {
      batches++;
      until = t + 12 * HOUR;
    }
  }
  if (batches >= 2)
    return `it pays wages in ${batches} ACH batches to ${p.batch_payees} or more accounts within 12 hours`;
  // A small employer: the same accounts paid again and again, in amounts alike (a salary).
  const byPayee = new Map<number, number[]>();
  for (const e of ach) {
    const list = byPayee.get(g.to[e] as number);
    if (list) list.push(g.amountUsd[e] as number);
    else byPayee.set(g.to[e] as number, [g.amountUsd[e] as number]);
  }
  const salaried = [...byPayee.values()].filter(
    (amounts) => amounts.length >= 2 && Math.max(...amounts) <= p.salary_ratio * Math.min(...amounts),
  ).length;
  if (salaried >= 2)
    return `it pays salaries: ${salaried} accounts paid by ACH again and again in amounts within a ratio of ${p.salary_ratio}`;
  for (const e of ach) {
    const x = g.to[e] as number;
    const t = g.time[e] as number;
    const hi = g.outStart[x + 1] as number;
    const payees = new Set<number>();
    for (let k = seekTime(g, g.outEdges, g.outStart[x] as number, hi, t); k < hi; k++) {
      const y = g.outEdges[k] as number;
      if ((g.time[y] as number) > t + 6 * HOUR || payees.size >= p.processor_batch) break;
      if (g.channel[y] === CH.ach) payees.add(g.to[y] as number);
    }
    // Once is enough here: a monthly payroll runs once or twice in two months, and nobody but an
    // employer pays an account just before it pays twenty people.
    if (payees.size >= p.processor_batch)
      return `it funded ${g.accounts[x]}, which paid ${p.processor_batch} or more accounts within 6 hours after`;
  }
  // A business paid by its clients, again and again (a supplier's customers settle every few
  // weeks; the one-off payers of a laundering pattern do not). Wages are ruled out by the caller.
  const credits = new Map<number, number>();
  let clients = 0;
  for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++) {
    const e = g.inEdges[k] as number;
    const c = g.channel[e];
    const from = g.from[e] as number;
    if (!(c === CH.ach || c === CH.wire || c === CH.check) || from < 0 || from === a) continue;
    const n = (credits.get(from) ?? 0) + 1;
    credits.set(from, n);
    if (n === 2) clients++;
    if (clients >= p.min_business_payers)
      return `${clients} or more distinct accounts paid it again and again by ACH, wire or check (clients)`;
  }
  return null;
}
