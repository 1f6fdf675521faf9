import { z } from "zod";
import { CASH_SIDES, cashBySide, cashBySideWith, cashDays } from "../cash-sides.js";
import { type DetectionField, defineDetector, type Finding } from "../detector.js";
import { near, newEdgesOf } from "../focus.js";
import { nearThreshold } from "../structuring-amounts.js";
import { conductorFanOut, depositsOfConductors, smurfing } from "../structuring-conductors.js";
import type { StructuringHit } from "../structuring-hit.js";
import { instrumentSplitting } from "../structuring-instruments.js";
import { multiPlace } from "../structuring-places.js";
import { observedBusinessDays, walk } from "../structuring-walk.js";

/**
 * Structuring (typologies.md §2): cash kept under the CTR threshold T of 31 CFR 1010.311, which
 * applies to more than $10,000 (exactly $10,000 does not trigger it), and money transfers and
 * money orders kept under the $3,000 recordkeeping threshold. Cash in and cash out are checked
 * apart, per account, on business days (1010.313). Sub-rules S1–S7 (S8 is a ranking feature only):
 * - on amount, time and channel alone: S1 and S5 (amounts just under T: structuring-amounts.ts),
 *   S6 (money transfers and orders just under $3,000: structuring-instruments.ts) and S7 (daily
 *   cash walked over consecutive business days: structuring-walk.ts);
 * - when the data has them (`uses`): S2 on branches or cities (structuring-places.ts), S3 and S4
 *   on conductors (structuring-conductors.ts). Without them the detector runs the others and the
 *   runner reports it partial.
 * Each rule keeps quiet on cash that is the account's ordinary business (see each module).
 * Deposits that are the way into a scheme another detector reports (a funnel account, cash wired
 * abroad, a controller's collections) are folded into that scheme's alert (`absorbLegs`).
 * AMLworld's files name an account on both sides of every row, so their cash deposits and
 * withdrawals are self-transfers: those are checked as a third side, cash of unknown direction.
 */

const CTR_REASON = (T: number) =>
  `the currency transaction report is due for cash of more than ${T.toLocaleString("en-US")} USD in one business day (31 CFR 1010.311, 1010.313)`;

export const structuring = defineDetector({
  id: "structuring",
  version: 2,
  typology: "structuring",
  title: "Cash kept under the CTR threshold; transfers and money orders under the recordkeeping threshold",
  basis: "31 CFR 1010.311, 1010.313, 1010.314, 1010.410, 1010.415; typologies.md §2 S1–S7",
  params: z.object({
    threshold_usd: z.number().positive().default(10_000),
    // S1
    band_low: z.number().min(0).max(1).default(0.8),
    window_business_days: z.number().int().min(0).default(3),
    // S5
    repeat_low: z.number().min(0).max(1).default(0.9),
    repeat_count: z.number().int().min(2).default(3),
    repeat_wide_count: z.number().int().min(2).default(5),
    repeat_days: z.number().int().min(1).default(30),
    // S2
    places_low: z.number().min(0).max(1).default(0.9),
    places_many: z.number().int().min(2).default(3),
    // S3, S4
    conductor_days: z.number().int().min(1).default(7),
    min_conductors: z.number().int().min(2).default(3),
    min_accounts: z.number().int().min(2).default(3),
    // S6
    instrument_low_usd: z.number().min(0).default(2_500),
    instrument_threshold_usd: z.number().positive().default(3_000),
    instrument_count: z.number().int().min(2).default(3),
    instrument_days: z.number().int().min(1).default(7),
    // S7
    walk_low: z.number().min(0).max(1).default(0.5),
    walk_days: z.number().int().min(2).default(4),
    walk_span_business_days: z.number().int().min(1).default(5),
    walk_total: z.number().min(0).default(2),
    // Against the account's own cash (all cash rules).
    min_above_usual: z.number().min(0).default(2),
    usual_min_days: z.number().int().min(1).default(10),
    // One scheme, one alert: deposits another detector reports as part of its pattern.
  }),
  needs: ["ts", "amount_usd", "channel"],
  uses: ["branch", "city", "conductor"],
  partyRecords: true,
  run(data, p) {
    const g = data.graph;
    const T = p.threshold_usd;
    // The details, where loaded and covering the graph; a sub-rule runs only if its field is there.
    const details = data.details?.mcc.length === g.edgeCount ? data.details : undefined;
    const has = (f: DetectionField) => details !== undefined && data.available.has(f);
    const hits: StructuringHit[] = [];
    // Incremental: the cash of the account-sides with new cash (a hit's payments are all one
    // account's on one side, so no other hit can hold a new one); S4's, below, apart.
    const s4 = details !== undefined && has("conductor");
    const focus = data.focus;
    const cash = focus ? cashBySideWith(g, newEdgesOf(focus)) : cashBySide(g);
    // How long the data is: in a short data set S7's usual daily cash is measured on fewer days.
    const observed = observedBusinessDays(g);
    // S2 reads the branches or the cities of the cash.
    const places = has("branch") || has("city");
    for (const side of CASH_SIDES) {
      for (const [account, edges] of cash[side]) {
        // Incremental: these rules are about one account's own cash, so a pattern with a new
        // transaction has that account at one end of it.
        if (!near(data.focus, account, 0)) continue;
        hits.push(...nearThreshold(g, account, side, edges, p, T));
        // The side's cash by business day, made only for a rule that reads it: S2, and S7, which
        // needs a cash transaction on each of `walk_days` days (most sides have fewer: after the
        // latest days of the AMLworld file, 5,700 sides with new cash, 2.5 transactions each on
        // average, whose days and walks took 20 ms of the run).
        const walks = edges.length >= p.walk_days;
        const days = walks || places ? cashDays(g, edges) : null;
        const s7 = days && walks ? walk(g, account, side, days, p, T, observed) : null;
        if (s7) hits.push(s7);
        if (details && days && places) {
          const s2 = multiPlace(g, details, has("branch"), has("city"), account, side, days, p, T);
          if (s2) hits.push(s2);
        }
        if (details && has("conductor") && side === "in") {
          const s3 = smurfing(g, details, account, edges, p, T);
          if (s3) hits.push(s3);
        }
      }
    }
    if (details && s4) {
      // S4 groups deposits by conductor, who is no end of them: on an incremental run, every
      // deposit into the accounts a conductor of a new deposit paid into.
      const deposits = focus
        ? cashBySideWith(g, depositsOfConductors(g, details, newEdgesOf(focus))).in
        : cash.in;
      hits.push(...conductorFanOut(g, details, deposits, p, T));
    }
    // S6: a hit's payments are all its sender's; on an incremental run, the senders of new ones.
    hits.push(...instrumentSplitting(g, p, focus ? newEdgesOf(focus) : undefined));
    return hits.map((h): Finding => {
      const first = h.edges[0] as number;
      const last = h.edges.at(-1) as number;
      return {
        typology: "structuring",
        subjects: h.subjects,
        edges: h.edges,
        window: { from: g.time[first] as number, to: g.time[last] as number },
        amountUsd: h.total,
        reasons: h.rule === "S6" ? h.reasons : [...h.reasons, CTR_REASON(T)],
        score: h.score,
        sarActivities: h.sarActivities,
      };
    });
  },
});
