import { z } from "zod";
import { Channel } from "../../model/channel.js";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { subjectAccountsOf } from "../focus.js";
import { listsOf } from "../reference-lists.js";
import { detailsOf, type TransactionDetails, usualValue } from "../transaction-details.js";
import { CH, channelMask, daysBetween, usd } from "./ht-shared.js";

/**
 * Cash turned quickly into transfers abroad (FIN-2014-A008 HS14-5, FIN-2023-Alert001 HS23-3;
 * typologies.md §1.2): an account's cash deposits within `window_days` of at least
 * `min_cash_usd`, at least `min_share` of it sent abroad by wire or money transmitter from the
 * first deposit until `turnover_days` after the last (calendar days: to the end of that day), in
 * at least `min_transfers` transfers.
 *
 * "Abroad" is a counterparty country other than the account's own: the country its own card and
 * cash transactions usually carry, else the country most transactions of the data carry.
 * What keeps it quiet on ordinary life:
 * - the cash must be a surge: more than `surge_ratio` times the account's usual cash deposits per
 *   window, measured outside the run (HS14-5: "sudden cash increases"); a family remittance
 *   sender who banks the same cash every month and sends part of it home, or a shop banking its
 *   takings and paying a foreign supplier, has a usual that the run does not exceed;
 * - most of the cash must leave abroad quickly: a remittance is a part of an income, not the cash
 *   passed on whole.
 * Destinations on the versioned high migrant-flow list raise the score; they never trigger it
 * (typologies.md input policy).
 */

const Params = z.object({
  window_days: z.number().positive().default(30),
  /** Proposal [U]. */
  min_deposits: z.number().int().min(1).default(2),
  /** Proposal [U]. */
  min_cash_usd: z.number().min(0).default(5000),
  min_share: z.number().gt(0).max(1).default(0.7),
  turnover_days: z.number().min(0).default(5),
  /** Proposal [U]: "repeatedly". */
  min_transfers: z.number().int().min(1).default(2),
  surge_ratio: z.number().min(0).default(3),
  channels: z.array(Channel).min(1).default(["wire", "msb"]),
  /** Proposal [U]: what destinations on the high migrant-flow list add to the score. */
  high_flow_boost: z.number().min(0).max(1).default(0.2),
});

/** The country most edges carry: the institution's own, when an account's is not known. */
function commonCountry(details: TransactionDetails): number {
  const counts = new Map<number, number>();
  let best = -1;
  let most = 0;
  for (const c of details.country) {
    if (c < 0) continue;
    const n = (counts.get(c) ?? 0) + 1;
    counts.set(c, n);
    if (n > most) {
      most = n;
      best = c;
    }
  }
  return best;
}

export const hsCashToWire = defineDetector({
  id: "hs-cash-to-wire",
  version: 1,
  typology: "hs-cash-to-wire",
  title: "Cash deposits quickly wired abroad",
  basis: "FinCEN FIN-2014-A008 (HS14-5); FinCEN FIN-2023-Alert001 (HS23-3); typologies.md §1.2–1.3",
  params: Params,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account", "country", "counterparty_country"],
  lists: ["highFlowCountries"],
  run(data, p) {
    const g = data.graph;
    const details = detailsOf(data);
    const highFlow = listsOf(data).highFlowCountries;
    const mask = channelMask(p.channels);
    const span = p.window_days * DAY_MS;
    const turnover = p.turnover_days * DAY_MS;
    let fallbackCountry: number | undefined;
    const findings: Finding[] = [];
    // Its findings cite an account's cash deposits and its transfers abroad.
    const accounts = subjectAccountsOf(g, data.focus, (e, add) => {
      if (g.channel[e] === CH.cash && (g.from[e] as number) < 0) add(g.to[e] as number);
      if (mask & (1 << (g.channel[e] as number))) add(g.from[e] as number);
    });
    for (const a of accounts) {
      // Cash deposits into the account (no payer account), and its transfers abroad, in time order.
      const deposits: number[] = [];
      for (let k = g.inStart[a] as number; k < (g.inStart[a + 1] as number); k++) {
        const e = g.inEdges[k] as number;
        if (g.channel[e] === CH.cash && (g.from[e] as number) < 0) deposits.push(e);
      }
      if (deposits.length < p.min_deposits) continue;
      const candidates: number[] = [];
      for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
        const e = g.outEdges[k] as number;
        if (mask & (1 << (g.channel[e] as number)) && (details.counterpartyCountry[e] as number) >= 0)
          candidates.push(e);
      }
      if (candidates.length < p.min_transfers) continue;
      let home = usualValue(g, details, "country", a);
      if (home < 0) {
        fallbackCountry ??= commonCountry(details);
        home = fallbackCountry;
      }
      const abroad = candidates.filter((e) => details.counterpartyCountry[e] !== home);
      if (abroad.length < p.min_transfers) continue;
      const run = bestRun(g.time, g.amountUsd, deposits, abroad, span, turnover, p);
      if (!run) continue;
      // The surge: the run's cash against the account's usual cash per window outside it.
      const first = g.time[run.deposits[0] as number] as number;
      const lastDeposit = g.time[run.deposits.at(-1) as number] as number;
      let outsideCash = 0;
      for (const e of deposits) {
        const t = g.time[e] as number;
        if (t < first || t > lastDeposit) outsideCash += g.amountUsd[e] as number;
      }
      const seenFrom = Math.min(
        g.time[g.inEdges[g.inStart[a] as number] as number] as number,
        g.time[g.outEdges[g.outStart[a] as number] as number] ?? Number.POSITIVE_INFINITY,
      );
      const seenTo = Math.max(
        g.time[g.inEdges[(g.inStart[a + 1] as number) - 1] as number] as number,
        g.time[g.outEdges[(g.outStart[a + 1] as number) - 1] as number] ?? 0,
      );
      const outsideSpan = Math.max(span, seenTo - seenFrom - (lastDeposit - first));
      const usual = (outsideCash * span) / outsideSpan;
      if (usual > 0 && run.cash <= p.surge_ratio * usual) continue;
      const edges = [...run.deposits, ...run.transfers].sort((x, y) => x - y);
      const payees = [...new Set(run.transfers.map((e) => g.to[e] as number).filter((x) => x >= 0))].sort(
        (x, y) => x - y,
      );
      const countries = [
        ...new Set(
          run.transfers.map((e) => details.strings[details.counterpartyCountry[e] as number] as string),
        ),
      ].sort();
      const listed = countries.filter((c) => highFlow.codes.has(c));
      const key = g.accounts[a] as string;
      const share = run.sent / run.cash;
      const behaviour =
        0.45 +
        0.05 * Math.min(3, run.transfers.length - p.min_transfers) +
        0.1 * Math.min(1, (share - p.min_share) / 0.2);
      findings.push({
        typology: "hs-cash-to-wire",
        subjects: [
          { account: a, role: "hub" },
          ...payees.map((account) => ({ account, role: "beneficiary" as const })),
        ],
        edges,
        window: { from: g.time[edges[0] as number] as number, to: g.time[edges.at(-1) as number] as number },
        amountUsd: run.cash + run.sent,
        reasons: [
          `${run.deposits.length} cash deposits into ${key} within ${daysBetween(first, lastDeposit)} day(s), ${usd(run.cash)} USD`,
          `${run.transfers.length} transfers abroad (${countries.join(", ")}) by ${p.channels.join(" or ")} sent ${usd(run.sent)} USD, ${Math.round(share * 100)}% of the cash, by ${p.turnover_days} day(s) after the last deposit (at least ${Math.round(p.min_share * 100)}% needed)`,
          usual > 0
            ? `the cash is ${(run.cash / usual).toFixed(1)} times the account's usual cash deposits per ${p.window_days} days (${usd(usual)} USD)`
            : "the account has no other cash deposits",
          listed.length > 0
            ? `destinations on the high migrant-flow list (high-flow-countries ${highFlow.version}): ${listed.join(", ")}; this raises the score`
            : `no destination is on the high migrant-flow list (high-flow-countries ${highFlow.version})`,
        ],
        score: Math.min(1, behaviour + (listed.length > 0 ? p.high_flow_boost : 0)),
        sarActivities: ["926"],
      });
    }
    return findings;
  },
});

interface Run {
  deposits: number[];
  transfers: number[];
  cash: number;
  sent: number;
}

/**
 * Among runs of consecutive deposits within `span`, the one with the most cash whose transfers
 * abroad (from its first deposit to `turnover` after its last) carry at least `min_share` of it.
 */
function bestRun(
  time: Float64Array,
  amount: Float64Array,
  deposits: readonly number[],
  abroad: readonly number[],
  span: number,
  turnover: number,
  p: { min_deposits: number; min_cash_usd: number; min_share: number; min_transfers: number },
): Run | null {
  let best: Run | null = null;
  for (let i = 0; i < deposits.length; i++) {
    const start = time[deposits[i] as number] as number;
    let cash = 0;
    for (let k = i; k < deposits.length && (time[deposits[k] as number] as number) - start <= span; k++) {
      cash += amount[deposits[k] as number] as number;
      if (k - i + 1 < p.min_deposits || cash < p.min_cash_usd || (best && cash <= best.cash)) continue;
      // Calendar days: up to the end of the `turnover_days`th day after the last deposit's (UTC).
      const until =
        (Math.floor((time[deposits[k] as number] as number) / DAY_MS) + 1) * DAY_MS + turnover - 1;
      const transfers = abroad.filter((e) => (time[e] as number) >= start && (time[e] as number) <= until);
      if (transfers.length < p.min_transfers) continue;
      const sent = transfers.reduce((s, e) => s + (amount[e] as number), 0);
      if (sent >= p.min_share * cash) best = { deposits: deposits.slice(i, k + 1), transfers, cash, sent };
    }
  }
  return best;
}
