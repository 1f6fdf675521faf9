import type { BlockingRule } from "./blocking.js";
import { type ComparisonSet, comparisonIndex, levelCounts } from "./comparisons.js";
import {
  buildModel,
  type EmSession,
  estimateM,
  estimateU,
  type FellegiSunterModel,
  runEm,
  termFrequencyTables,
} from "./fellegi-sunter.js";
import type { NormalisedRecord } from "./normalised-record.js";

/**
 * Training a Fellegi–Sunter model without labels, the way Splink does: u (how often two
 * different people agree by chance) from random pairs of records, where almost every pair is a
 * non-match; m (how often one person's two records agree) by EM over the candidate pairs, one
 * run per blocking rule with the fields that rule required left out (those agree on every pair
 * it found, whatever the truth, so they say nothing about m), the runs' m averaged; λ fitted
 * last on all pairs; term frequencies so that "SMITH = SMITH" weighs less than a rare surname.
 */

/**
 * The blocking rules EM trains on, with the comparisons each one's key is made of (left out of
 * that rule's run). Only rules whose pairs are mostly "same person or not" train: a shared
 * phone, address or postcode also pairs up households, and EM, which finds whatever two classes
 * explain the pairs best, would learn "same household" as its match class (it did: a national
 * id that differs came out as evidence *for* a match). Shared organisation names pair different
 * businesses with one name, for the same reason.
 */
const RULE_FIELDS: Readonly<Record<"person" | "organisation", Readonly<Record<string, readonly string[]>>>> =
  {
    person: {
      "national-id": ["national-id"],
      "tax-id": ["tax-id"],
      passport: ["passport"],
      email: ["email"],
      "surname-sound+birth-year+initial": ["surname", "birth"],
      "given+birth-date": ["given", "birth"],
    },
    // A business's email is often its bookkeeper's or a shared info@ mailbox: not an identity.
    organisation: {
      "tax-id": ["tax-id"],
      phone: ["phone"],
    },
  };

/** A rule's EM run needs enough pairs to say anything. */
const MIN_SESSION_PAIRS = 200;

export interface TrainingInput {
  set: ComparisonSet;
  /** Every record (pairs index into it) and the ones of this set's kind (u is sampled among them). */
  records: readonly NormalisedRecord[];
  kindRecords: readonly NormalisedRecord[];
  /** The candidate pairs of this kind: per pair, the rules that found it (bits), and its levels. */
  found: Uint32Array;
  rules: readonly BlockingRule[];
  gammas: readonly Uint8Array[];
  seed: number;
  uSamplePairs: number;
}

export interface TrainingReport {
  kind: string;
  pairs: number;
  uSamplePairs: number;
  lambda: number;
  /** Per EM run: the rule, its pairs, iterations and whether it converged. */
  sessions: { rule: string; pairs: number; iterations: number; converged: boolean }[];
}

export function trainModel(input: TrainingInput): { model: FellegiSunterModel; report: TrainingReport } {
  const { set, gammas, found, rules } = input;
  const counts = levelCounts(set);
  const u = estimateU(input.kindRecords, set, { maxPairs: input.uSamplePairs, seed: input.seed });

  // Rows of each rule, in pair order: every pair the rule found, not only those it found first
  // (credited to the first rule, a national-id match would never train the email session).
  const perRule: number[][] = rules.map(() => []);
  for (let k = 0; k < found.length; k++) {
    const bits = found[k] as number;
    for (let r = 0; r < rules.length; r++) if (bits & (1 << r)) (perRule[r] as number[]).push(k);
  }
  const sessions: (EmSession & { rule: string })[] = [];
  rules.forEach((r, i) => {
    const rows = perRule[i] as number[];
    const fields = RULE_FIELDS[set.kind][r.id];
    if (!fields || rows.length < MIN_SESSION_PAIRS) return;
    const exclude = fields
      .filter((id) => set.comparisons.some((c) => c.id === id))
      .map((id) => comparisonIndex(set, id));
    sessions.push({ rule: r.id, rows: Int32Array.from(rows), exclude });
  });
  // A comparison left out of every run (one rule found nearly every pair) takes its m from a
  // run over all pairs: biased towards agreement on that field, but better than no estimate.
  const fallback = runEm(gammas, counts, { u: u.u });
  const estimate =
    sessions.length > 0
      ? estimateM(gammas, counts, sessions, { u: u.u, fallbackM: fallback.m as Float64Array[] })
      : { lambda: fallback.lambda, m: fallback.m as Float64Array[], runs: [fallback] };
  const model = buildModel({
    set,
    lambda: estimate.lambda,
    m: estimate.m,
    u: u.u,
    tf: termFrequencyTables(input.kindRecords, set),
  });
  return {
    model,
    report: {
      kind: set.kind,
      pairs: gammas[0]?.length ?? 0,
      uSamplePairs: u.pairs,
      lambda: estimate.lambda,
      sessions:
        sessions.length > 0
          ? sessions.map((s, i) => ({
              rule: s.rule,
              pairs: s.rows?.length ?? 0,
              iterations: estimate.runs[i]?.iterations ?? 0,
              converged: estimate.runs[i]?.converged ?? false,
            }))
          : [
              {
                rule: "(all pairs)",
                pairs: gammas[0]?.length ?? 0,
                iterations: fallback.iterations,
                converged: fallback.converged,
              },
            ],
    },
  };
}
