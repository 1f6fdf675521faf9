import { z } from "zod";
import { Rng } from "../generate/random.js";
import { type Comparison, type ComparisonSet, comparisonSet } from "./comparisons.js";
import type { NormalisedRecord } from "./normalised-record.js";

/**
 * The Fellegi–Sunter model of record linkage (Fellegi & Sunter 1969, "A Theory for Record
 * Linkage"), trained without labels the way Splink trains it (Linacre et al., Splink docs,
 * "Expectation Maximisation in Splink" and "Term frequency adjustments"):
 *
 * - every comparison level l of comparison c has m = P(level | match) and u = P(level | non-match);
 *   the pair's match weight is log2(λ/(1−λ)) + Σ_c log2(m_c[γ_c] / u_c[γ_c]), and its match
 *   probability 2^w / (1 + 2^w). Comparisons are taken as independent given match status;
 * - u comes from random record pairs (`estimateU`): almost all of them are non-matches, so how
 *   often they fall in each level is u, measured directly instead of guessed by EM;
 * - λ (the share of matches among the candidate pairs) and m come from EM over the candidate
 *   pairs' comparison vectors, u held fixed (`runEm`). Identical vectors are aggregated first,
 *   so one EM iteration costs O(distinct vectors), a few thousand, not O(pairs);
 * - a blocking rule that requires agreement on a field makes every pair it finds agree on that
 *   field, so EM cannot learn that field's m from those pairs: as in Splink, each training run
 *   may leave comparisons out (`exclude`), and `estimateM` averages each comparison's m over the
 *   runs that estimated it, then fits λ on all candidate pairs with m and u fixed;
 * - an exact agreement on a value is stronger evidence the rarer the value: for comparisons with
 *   a `tfValue`, the exact level's u is replaced by the value's term frequency (the chance that
 *   a random other record has this very value), floored at the table's `minimumU`, so its Bayes
 *   factor is m_exact / max(tf(value), minimumU). Values absent from the table keep u_exact.
 *
 * Level 0 of every comparison (a side missing) has m = u = 1: it carries no evidence. No
 * probability is ever 0 (floors), so every weight is finite.
 */

export const MODEL_VERSION = 1;

/** Smallest probability any level gets by default: a level never seen is rare, not impossible. */
export const DEFAULT_FLOOR = 1e-6;

const TermFrequencyTableSchema = z.object({
  /** The term frequency never counts as lower than this (Splink's `tf_minimum_u_value`). */
  minimumU: z.number().min(0).max(1),
  /** Value → share of the records with a value that have this one. */
  frequencies: z.record(z.string(), z.number().min(0).max(1)),
});
export type TermFrequencyTable = z.infer<typeof TermFrequencyTableSchema>;

const ComparisonParametersSchema = z.object({
  id: z.string(),
  levels: z.array(z.string()),
  /** P(level | match) per level; [0] (missing) is 1. */
  m: z.array(z.number().min(0).max(1)),
  /** P(level | non-match) per level; [0] (missing) is 1. */
  u: z.array(z.number().min(0).max(1)),
  /** Levels that rule a match out whatever else agrees (the comparison's `veto`). */
  veto: z.array(z.number().int()).optional(),
});
export type ComparisonParameters = z.infer<typeof ComparisonParametersSchema>;

/** A trained model as stored between runs (plain JSON): parse stored text with `FellegiSunterModel.parse`. */
export const FellegiSunterModel = z.object({
  version: z.literal(MODEL_VERSION),
  kind: z.enum(["person", "organisation"]),
  /** The comparison set's version the levels belong to. */
  comparisonsVersion: z.number().int(),
  /** Prior probability that a candidate pair is a match. */
  lambda: z.number().gt(0).lt(1),
  comparisons: z.array(ComparisonParametersSchema),
  /** Term-frequency tables by comparison id, for the comparisons with a `tfValue`. */
  tf: z.record(z.string(), TermFrequencyTableSchema).optional(),
});
export type FellegiSunterModel = z.infer<typeof FellegiSunterModel>;

/** Per comparison, a probability per level (index 0, the null level, is ignored and set to 1). */
export type LevelProbabilities = readonly ArrayLike<number>[];

// ---------------------------------------------------------------------------------------------
// Probabilities

/** Copy of p over levels 1..K, each at least `floor`, rescaled to sum to 1; [0] = 1. */
function normalised(p: ArrayLike<number>, levels: number, floor: number): Float64Array {
  const out = new Float64Array(levels);
  out[0] = 1;
  let sum = 0;
  for (let l = 1; l < levels; l++) {
    const v = Math.max(Number(p[l] ?? 0), floor);
    out[l] = v;
    sum += v;
  }
  for (let l = 1; l < levels; l++) out[l] = (out[l] as number) / sum;
  return out;
}

function checkShapes(name: string, probs: LevelProbabilities, levelCounts: readonly number[]): void {
  if (probs.length !== levelCounts.length) {
    throw new Error(
      `fellegi-sunter: ${name} has ${probs.length} comparisons, expected ${levelCounts.length}`,
    );
  }
  for (let c = 0; c < levelCounts.length; c++) {
    if ((probs[c] as ArrayLike<number>).length !== levelCounts[c]) {
      throw new Error(
        `fellegi-sunter: ${name}[${c}] has ${(probs[c] as ArrayLike<number>).length} levels, expected ${levelCounts[c]}`,
      );
    }
  }
}

/**
 * A start for EM that favours no particular answer but tells matches from non-matches: m rises
 * by a factor of 3 per level towards exact, u falls by the same factor.
 */
export function neutralStart(levelCounts: readonly number[]): { m: Float64Array[]; u: Float64Array[] } {
  const m: Float64Array[] = [];
  const u: Float64Array[] = [];
  for (const k of levelCounts) {
    const mi = new Float64Array(k);
    const ui = new Float64Array(k);
    for (let l = 1; l < k; l++) {
      mi[l] = 3 ** (l - 1);
      ui[l] = 3 ** (k - 1 - l);
    }
    m.push(normalised(mi, k, 0));
    u.push(normalised(ui, k, 0));
  }
  return { m, u };
}

// ---------------------------------------------------------------------------------------------
// u from random pairs

export interface EstimateUOptions {
  /** Random pairs to compare (Splink's `max_pairs`); all pairs when there are fewer. Default 1,000,000. */
  maxPairs?: number;
  /** The same seed, the same pairs. Default 1. */
  seed?: number;
}

export interface UEstimate {
  /** Per comparison, u per level ([0] = 1). */
  u: Float64Array[];
  /** Pairs compared. */
  pairs: number;
  /** Per comparison, pairs where neither side was missing. */
  observed: Float64Array;
}

/**
 * u probabilities from record pairs drawn uniformly at random (with a seeded generator): among
 * n records with few duplicates per person, a random pair is a match with probability about
 * 1/n, so the levels' frequencies over random pairs are u (Splink's
 * `estimate_u_using_random_sampling`). When the records have at most `maxPairs` pairs, every
 * pair is compared instead. A level no sampled pair fell in gets half a pair's share, the least
 * that sampling could not have told from zero, so that its u is small but not 0.
 */
export function estimateU(
  records: readonly NormalisedRecord[],
  set: ComparisonSet,
  options: EstimateUOptions = {},
): UEstimate {
  const n = records.length;
  const maxPairs = Math.floor(options.maxPairs ?? 1_000_000);
  if (!(maxPairs > 0)) throw new Error("fellegi-sunter: maxPairs must be positive");
  const comparisons = set.comparisons;
  const counts = comparisons.map((c) => new Float64Array(c.levels.length));
  const tally = (a: NormalisedRecord, b: NormalisedRecord) => {
    for (let c = 0; c < comparisons.length; c++) {
      const level = (comparisons[c] as Comparison).level(a, b);
      const row = counts[c] as Float64Array;
      row[level] = (row[level] as number) + 1;
    }
  };
  let pairs = 0;
  const all = (n * (n - 1)) / 2;
  if (all <= maxPairs) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) tally(records[i] as NormalisedRecord, records[j] as NormalisedRecord);
    }
    pairs = all;
  } else {
    const rng = new Rng(options.seed ?? 1, 0x75);
    for (; pairs < maxPairs; pairs++) {
      const i = rng.int(n);
      let j = rng.int(n - 1);
      if (j >= i) j++;
      tally(records[i] as NormalisedRecord, records[j] as NormalisedRecord);
    }
  }
  const observed = new Float64Array(comparisons.length);
  const u = counts.map((row, c) => {
    let seen = 0;
    for (let l = 1; l < row.length; l++) seen += row[l] as number;
    observed[c] = seen;
    if (seen === 0) return normalised(new Float64Array(row.length).fill(1), row.length, 0);
    const p = new Float64Array(row.length);
    for (let l = 1; l < row.length; l++) p[l] = Math.max(row[l] as number, 0.5) / seen;
    return normalised(p, row.length, 0);
  });
  return { u, pairs, observed };
}

// ---------------------------------------------------------------------------------------------
// Aggregated comparison vectors

export interface PatternTable {
  /** Comparisons per pattern. */
  comparisons: number;
  /** Distinct patterns. */
  size: number;
  /** Levels, `size` rows of `comparisons` bytes, in order of first appearance. */
  patterns: Uint8Array;
  /** Pairs with each pattern. */
  counts: Float64Array;
  /** Pairs aggregated. */
  pairs: number;
  /** Comparisons left out (their level read as 0 in every pattern). */
  exclude: readonly number[];
}

export interface AggregateOptions {
  /** Comparison indices to leave out. */
  exclude?: readonly number[];
  /** Only these pairs (indices into the level arrays); all pairs by default. */
  rows?: Int32Array;
}

const CHUNK = 1 << 14;

/**
 * The distinct comparison vectors among the pairs and how many pairs have each: EM needs only
 * these. A vector is read as one mixed-radix number (each comparison a digit in base its level
 * count), looked up in an open-addressing hash table over those numbers; built a chunk of pairs
 * at a time, one comparison array at a time, so that the reads are sequential.
 */
export function aggregatePatterns(
  gammas: readonly Uint8Array[],
  levelCounts: readonly number[],
  options: AggregateOptions = {},
): PatternTable {
  const C = gammas.length;
  if (levelCounts.length !== C) {
    throw new Error(`fellegi-sunter: ${C} level arrays but ${levelCounts.length} level counts`);
  }
  const total = C === 0 ? 0 : (gammas[0] as Uint8Array).length;
  for (const g of gammas) {
    if (g.length !== total) throw new Error("fellegi-sunter: level arrays differ in length");
  }
  const rows = options.rows;
  const n = rows ? rows.length : total;
  const excluded = new Uint8Array(C);
  for (const c of options.exclude ?? []) {
    if (!(c >= 0 && c < C)) throw new Error(`fellegi-sunter: no comparison ${c} to exclude`);
    excluded[c] = 1;
  }
  const active: number[] = [];
  let space = 1;
  for (let c = 0; c < C; c++) {
    if (excluded[c]) continue;
    active.push(c);
    space *= levelCounts[c] as number;
  }
  if (space > 2 ** 53) throw new Error("fellegi-sunter: too many level combinations to aggregate");

  let capacity = 1024;
  let keys = new Float64Array(capacity);
  let slots = new Int32Array(capacity);
  let patterns = new Uint8Array(256 * Math.max(C, 1));
  let counts = new Float64Array(256);
  let size = 0;
  const chunkKeys = new Float64Array(Math.min(CHUNK, Math.max(n, 1)));

  const slotOf = (key: number, mask: number): number => {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & mask;
  };
  const grow = () => {
    const oldKeys = keys;
    const oldSlots = slots;
    capacity *= 2;
    keys = new Float64Array(capacity);
    slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let s = 0; s < oldSlots.length; s++) {
      const v = oldSlots[s] as number;
      if (v === 0) continue;
      const key = oldKeys[s] as number;
      let h = slotOf(key, mask);
      while (slots[h] !== 0) h = (h + 1) & mask;
      keys[h] = key;
      slots[h] = v;
    }
  };

  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    chunkKeys.fill(0, 0, len);
    for (const c of active) {
      const g = gammas[c] as Uint8Array;
      const radix = levelCounts[c] as number;
      if (rows) {
        for (let j = 0; j < len; j++) {
          const v = g[rows[start + j] as number] as number;
          if (v >= radix) throw new Error(`fellegi-sunter: level ${v} out of range for comparison ${c}`);
          chunkKeys[j] = (chunkKeys[j] as number) * radix + v;
        }
      } else {
        for (let j = 0; j < len; j++) {
          const v = g[start + j] as number;
          if (v >= radix) throw new Error(`fellegi-sunter: level ${v} out of range for comparison ${c}`);
          chunkKeys[j] = (chunkKeys[j] as number) * radix + v;
        }
      }
    }
    for (let j = 0; j < len; j++) {
      const key = chunkKeys[j] as number;
      const mask = capacity - 1;
      let h = slotOf(key, mask);
      let slot = 0;
      while (true) {
        const v = slots[h] as number;
        if (v === 0) break;
        if (keys[h] === key) {
          slot = v;
          break;
        }
        h = (h + 1) & mask;
      }
      if (slot !== 0) {
        counts[slot - 1] = (counts[slot - 1] as number) + 1;
        continue;
      }
      // A new pattern: record it, then make room if the table is half full.
      if (size === counts.length) {
        const moreCounts = new Float64Array(size * 2);
        moreCounts.set(counts);
        counts = moreCounts;
        const morePatterns = new Uint8Array(size * 2 * Math.max(C, 1));
        morePatterns.set(patterns);
        patterns = morePatterns;
      }
      const pair = rows ? (rows[start + j] as number) : start + j;
      for (const c of active) patterns[size * C + c] = (gammas[c] as Uint8Array)[pair] as number;
      counts[size] = 1;
      size++;
      keys[h] = key;
      slots[h] = size;
      if (size * 2 > capacity) grow();
    }
  }
  return {
    comparisons: C,
    size,
    patterns: patterns.slice(0, size * C),
    counts: counts.slice(0, size),
    pairs: n,
    exclude: active.length === C ? [] : [...Array(C).keys()].filter((c) => excluded[c] === 1),
  };
}

// ---------------------------------------------------------------------------------------------
// EM

export interface EmOptions {
  /** Starting λ; default 0.5. */
  lambda?: number;
  /** Starting m per comparison and level; default `neutralStart`. */
  m?: LevelProbabilities;
  /** u per comparison and level: held fixed (unless `fixU` is false); estimated by EM when absent. */
  u?: LevelProbabilities;
  /** Hold u fixed at `options.u` (default true when u is given). */
  fixU?: boolean;
  /** Comparison indices left out of this run (e.g. the fields its blocking rule required). */
  exclude?: readonly number[];
  /** Only these pairs (indices into the level arrays). */
  rows?: Int32Array;
  /** Default 100. */
  maxIterations?: number;
  /** Stop when no probability (λ, m, u) moves by more than this in an iteration. Default 1e-5. */
  tolerance?: number;
  /** Least probability of any level, and least λ and 1−λ. Default `DEFAULT_FLOOR`. */
  floor?: number;
}

export interface EmResult {
  lambda: number;
  /** Per comparison, m per level ([0] = 1); null for comparisons left out of the run. */
  m: (Float64Array | null)[];
  u: Float64Array[];
  iterations: number;
  converged: boolean;
  /** Log-likelihood (natural log) of the pairs under the parameters of the last E-step. */
  logLikelihood: number;
  /** Distinct comparison vectors EM ran over. */
  patterns: number;
  pairs: number;
  exclude: readonly number[];
}

/**
 * EM for λ and m (and u unless fixed) over the candidate pairs' comparison vectors: aggregates
 * them (`aggregatePatterns`), then alternates the posterior match probability of each distinct
 * vector (E) with the weighted level frequencies (M) until nothing moves by `tolerance`.
 */
export function runEm(
  gammas: readonly Uint8Array[],
  levelCounts: readonly number[],
  options: EmOptions = {},
): EmResult {
  const table = aggregatePatterns(gammas, levelCounts, {
    exclude: options.exclude ?? [],
    ...(options.rows ? { rows: options.rows } : {}),
  });
  return emOnPatterns(table, levelCounts, options);
}

/** `runEm` on vectors already aggregated (the table's `exclude` decides what is left out). */
export function emOnPatterns(
  table: PatternTable,
  levelCounts: readonly number[],
  options: EmOptions = {},
): EmResult {
  return em(table, levelCounts, options, false);
}

function em(
  table: PatternTable,
  levelCounts: readonly number[],
  options: EmOptions,
  fixM: boolean,
): EmResult {
  const C = levelCounts.length;
  if (table.comparisons !== C) throw new Error("fellegi-sunter: pattern table and level counts disagree");
  const floor = options.floor ?? DEFAULT_FLOOR;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const fixU = options.u !== undefined && options.fixU !== false;
  const start = neutralStart(levelCounts);
  if (options.m) checkShapes("m", options.m, levelCounts);
  if (options.u) checkShapes("u", options.u, levelCounts);

  const offsets = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) offsets[c + 1] = (offsets[c] as number) + (levelCounts[c] as number);
  const width = offsets[C] as number;
  const m = new Float64Array(width);
  const u = new Float64Array(width);
  for (let c = 0; c < C; c++) {
    const k = levelCounts[c] as number;
    m.set(
      normalised(options.m ? (options.m[c] as ArrayLike<number>) : (start.m[c] as Float64Array), k, floor),
      offsets[c],
    );
    u.set(
      normalised(options.u ? (options.u[c] as ArrayLike<number>) : (start.u[c] as Float64Array), k, floor),
      offsets[c],
    );
  }
  const excluded = new Uint8Array(C);
  for (const c of table.exclude) excluded[c] = 1;
  const active = Int32Array.from([...Array(C).keys()].filter((c) => excluded[c] === 0));
  const A = active.length;
  const activeOffsets = Int32Array.from(active, (c) => offsets[c] as number);

  // Flatten each pattern's active levels to offsets into the parameter arrays (−1: null level).
  const P = table.size;
  const cells = new Int32Array(P * A);
  for (let p = 0; p < P; p++) {
    for (let a = 0; a < A; a++) {
      const level = table.patterns[p * C + (active[a] as number)] as number;
      cells[p * A + a] = level === 0 ? -1 : (activeOffsets[a] as number) + level;
    }
  }
  const counts = table.counts;
  let totalPairs = 0;
  for (let p = 0; p < P; p++) totalPairs += counts[p] as number;

  let lambda = Math.min(1 - floor, Math.max(floor, options.lambda ?? 0.5));
  const accM = new Float64Array(width);
  const accU = new Float64Array(width);
  let iterations = 0;
  let converged = false;
  let logLikelihood = 0;
  while (iterations < maxIterations) {
    iterations++;
    accM.fill(0);
    accU.fill(0);
    let matched = 0;
    logLikelihood = 0;
    for (let p = 0; p < P; p++) {
      let pm = 1;
      let pu = 1;
      const row = p * A;
      for (let a = 0; a < A; a++) {
        const cell = cells[row + a] as number;
        if (cell < 0) continue;
        pm *= m[cell] as number;
        pu *= u[cell] as number;
      }
      const joint = lambda * pm + (1 - lambda) * pu;
      const w = (lambda * pm) / joint;
      const n = counts[p] as number;
      logLikelihood += n * Math.log(joint);
      const wn = w * n;
      matched += wn;
      for (let a = 0; a < A; a++) {
        const cell = cells[row + a] as number;
        if (cell < 0) continue;
        accM[cell] = (accM[cell] as number) + wn;
        accU[cell] = (accU[cell] as number) + (n - wn);
      }
    }
    if (totalPairs === 0) {
      converged = true;
      break;
    }
    const nextLambda = Math.min(1 - floor, Math.max(floor, matched / totalPairs));
    let delta = Math.abs(nextLambda - lambda);
    lambda = nextLambda;
    for (let a = 0; a < A; a++) {
      const c = active[a] as number;
      if (!fixM)
        delta = Math.max(delta, update(m, accM, offsets[c] as number, levelCounts[c] as number, floor));
      if (!fixU)
        delta = Math.max(delta, update(u, accU, offsets[c] as number, levelCounts[c] as number, floor));
    }
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  return {
    lambda,
    m: [...Array(C).keys()].map((c) =>
      excluded[c] ? null : m.slice(offsets[c] as number, offsets[c + 1] as number),
    ),
    u: [...Array(C).keys()].map((c) => u.slice(offsets[c] as number, offsets[c + 1] as number)),
    iterations,
    converged,
    logLikelihood,
    patterns: P,
    pairs: totalPairs,
    exclude: table.exclude,
  };
}

/** M-step for one comparison: probabilities ∝ accumulated weights, floored; returns the largest change. */
function update(
  probs: Float64Array,
  acc: Float64Array,
  offset: number,
  levels: number,
  floor: number,
): number {
  let sum = 0;
  for (let l = 1; l < levels; l++) sum += acc[offset + l] as number;
  if (sum <= 0) return 0;
  let floored = 0;
  for (let l = 1; l < levels; l++) floored += Math.max((acc[offset + l] as number) / sum, floor);
  let delta = 0;
  for (let l = 1; l < levels; l++) {
    const v = Math.max((acc[offset + l] as number) / sum, floor) / floored;
    delta = Math.max(delta, Math.abs(v - (probs[offset + l] as number)));
    probs[offset + l] = v;
  }
  return delta;
}

/**
 * λ for the given pairs with m and u fixed (EM on λ alone): the prior to store with m and u
 * averaged over runs that each saw a subset of the candidate pairs.
 */
export function estimateLambda(
  gammas: readonly Uint8Array[],
  levelCounts: readonly number[],
  m: LevelProbabilities,
  u: LevelProbabilities,
  options: Pick<EmOptions, "lambda" | "rows" | "maxIterations" | "tolerance" | "floor"> = {},
): number {
  checkShapes("m", m, levelCounts);
  checkShapes("u", u, levelCounts);
  const table = aggregatePatterns(gammas, levelCounts, options.rows ? { rows: options.rows } : {});
  return em(table, levelCounts, { ...options, m, u, fixU: true }, true).lambda;
}

/**
 * Each comparison's m (and u) averaged over the runs that estimated it, as Splink combines the
 * m of training sessions blocked on different fields. A comparison no run estimated takes
 * `fallbackM`'s when given, else it is an error: its m would be a guess.
 */
export function combineEmRuns(
  runs: readonly EmResult[],
  fallbackM?: LevelProbabilities,
): { m: Float64Array[]; u: Float64Array[] } {
  const first = runs[0];
  if (first === undefined) throw new Error("fellegi-sunter: no EM runs to combine");
  const C = first.u.length;
  const m: Float64Array[] = [];
  const u: Float64Array[] = [];
  for (let c = 0; c < C; c++) {
    const k = (first.u[c] as Float64Array).length;
    const sumM = new Float64Array(k);
    const sumU = new Float64Array(k);
    let runsWithM = 0;
    for (const run of runs) {
      if (run.u.length !== C) throw new Error("fellegi-sunter: EM runs over different comparisons");
      const ru = run.u[c] as Float64Array;
      for (let l = 0; l < k; l++) sumU[l] = (sumU[l] as number) + (ru[l] as number);
      const rm = run.m[c];
      if (!rm) continue;
      runsWithM++;
      for (let l = 0; l < k; l++) sumM[l] = (sumM[l] as number) + (rm[l] as number);
    }
    u.push(sumU.map((v) => v / runs.length));
    if (runsWithM > 0) m.push(sumM.map((v) => v / runsWithM));
    else if (fallbackM?.[c]) m.push(normalised(fallbackM[c] as ArrayLike<number>, k, 0));
    else throw new Error(`fellegi-sunter: comparison ${c} was left out of every EM run`);
  }
  return { m, u };
}

/** One training run: the pairs one blocking rule found, less the comparisons it blocked on. */
export interface EmSession {
  rows?: Int32Array;
  exclude?: readonly number[];
}

export interface MEstimate {
  lambda: number;
  m: Float64Array[];
  u: Float64Array[];
  runs: EmResult[];
}

/**
 * Splink's training recipe for m: one EM run per session (u fixed from `options.u`), m averaged
 * over the runs that estimated it (`combineEmRuns`), then λ fitted on all pairs with m and u
 * fixed (`estimateLambda`).
 */
export function estimateM(
  gammas: readonly Uint8Array[],
  levelCounts: readonly number[],
  sessions: readonly EmSession[],
  options: Omit<EmOptions, "rows" | "exclude"> & { fallbackM?: LevelProbabilities } = {},
): MEstimate {
  const runs = sessions.map((s) =>
    runEm(gammas, levelCounts, {
      ...options,
      ...(s.rows ? { rows: s.rows } : {}),
      exclude: s.exclude ?? [],
    }),
  );
  const { m, u } = combineEmRuns(runs, options.fallbackM);
  const lambda = estimateLambda(gammas, levelCounts, m, u, {
    ...(options.lambda !== undefined ? { lambda: options.lambda } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(options.floor !== undefined ? { floor: options.floor } : {}),
  });
  return { lambda, m, u, runs };
}

// ---------------------------------------------------------------------------------------------
// Term frequencies

/**
 * Each value of `comparison.tfValue` among the records, with its share of the records that have
 * one (Splink's term-frequency table): the probability that a random other record has the same
 * value. Sorted by value.
 */
export function termFrequencies(
  records: readonly NormalisedRecord[],
  comparison: Comparison,
): Map<string, number> {
  const value = comparison.tfValue;
  if (!value) throw new Error(`fellegi-sunter: comparison "${comparison.id}" has no term-frequency value`);
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of records) {
    const v = value(r);
    if (v === null) continue;
    total++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const out = new Map<string, number>();
  for (const v of [...counts.keys()].sort()) out.set(v, (counts.get(v) as number) / total);
  return out;
}

/** Term-frequency tables for every comparison of the set that has a `tfValue`, to store in the model. */
export function termFrequencyTables(
  records: readonly NormalisedRecord[],
  set: ComparisonSet,
  minimumU = DEFAULT_FLOOR,
): Record<string, TermFrequencyTable> {
  const out: Record<string, TermFrequencyTable> = {};
  for (const c of set.comparisons) {
    if (!c.tfValue) continue;
    out[c.id] = { minimumU, frequencies: Object.fromEntries(termFrequencies(records, c)) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The model

/** A model from trained parameters; throws when their shapes do not fit the set. */
export function buildModel(input: {
  set: ComparisonSet;
  lambda: number;
  m: LevelProbabilities;
  u: LevelProbabilities;
  tf?: Record<string, TermFrequencyTable>;
  floor?: number;
}): FellegiSunterModel {
  const { set } = input;
  const counts = set.comparisons.map((c) => c.levels.length);
  checkShapes("m", input.m, counts);
  checkShapes("u", input.u, counts);
  const floor = input.floor ?? DEFAULT_FLOOR;
  const model: FellegiSunterModel = {
    version: MODEL_VERSION,
    kind: set.kind,
    comparisonsVersion: set.version,
    lambda: Math.min(1 - floor, Math.max(floor, input.lambda)),
    comparisons: set.comparisons.map((c, i) => ({
      id: c.id,
      levels: [...c.levels],
      m: [...normalised(input.m[i] as ArrayLike<number>, counts[i] as number, floor)],
      u: [...normalised(input.u[i] as ArrayLike<number>, counts[i] as number, floor)],
      ...(c.veto ? { veto: [...c.veto] } : {}),
    })),
  };
  if (input.tf) {
    for (const id of Object.keys(input.tf)) {
      const c = set.comparisons.find((x) => x.id === id);
      if (!c?.tfValue)
        throw new Error(`fellegi-sunter: term frequencies for "${id}", which has no term-frequency value`);
    }
    model.tf = input.tf;
  }
  return model;
}

/**
 * Whether a (stored) model was trained on this code's comparison set for its kind: the same set
 * version, comparisons and levels. A model that does not fit must be re-estimated, not applied.
 */
export function modelFitsComparisons(model: FellegiSunterModel): boolean {
  const set = comparisonSet(model.kind);
  return (
    model.comparisonsVersion === set.version &&
    model.comparisons.length === set.comparisons.length &&
    model.comparisons.every((p, i) => {
      const c = set.comparisons[i] as Comparison;
      return (
        p.id === c.id && p.levels.length === c.levels.length && p.levels.every((l, k) => l === c.levels[k])
      );
    })
  );
}

/** The comparison set a model was trained on; throws when the stored levels are not the set's. */
export function modelComparisonSet(model: FellegiSunterModel): ComparisonSet {
  const set = comparisonSet(model.kind);
  if (!modelFitsComparisons(model)) {
    throw new Error(
      `fellegi-sunter: the stored ${model.kind} model's comparisons are not this version's (${set.version}): retrain it`,
    );
  }
  return set;
}

interface CompiledModel {
  prior: number;
  offsets: Int32Array;
  /** log2(m/u) per comparison and level; 0 at level 0. */
  weights: Float64Array;
  /** log2(m) of each comparison's exact (top) level, for term-frequency adjustment. */
  exactLog2M: Float64Array;
  /** Each comparison's term-frequency floor, or −1 without a table. */
  tfMinimum: Float64Array;
}

const compiledModels = new WeakMap<FellegiSunterModel, CompiledModel>();

/** log2 Bayes factors laid out flat, computed once per model object (models are not mutated). */
function compiled(model: FellegiSunterModel): CompiledModel {
  const known = compiledModels.get(model);
  if (known) return known;
  const C = model.comparisons.length;
  const offsets = new Int32Array(C + 1);
  for (let c = 0; c < C; c++)
    offsets[c + 1] = (offsets[c] as number) + (model.comparisons[c] as ComparisonParameters).levels.length;
  const weights = new Float64Array(offsets[C] as number);
  const exactLog2M = new Float64Array(C);
  const tfMinimum = new Float64Array(C).fill(-1);
  model.comparisons.forEach((p, c) => {
    if (p.m.length !== p.levels.length || p.u.length !== p.levels.length) {
      throw new Error(
        `fellegi-sunter: comparison "${p.id}" has ${p.levels.length} levels but other m or u lengths`,
      );
    }
    for (let l = 1; l < p.levels.length; l++) {
      weights[(offsets[c] as number) + l] = p.veto?.includes(l)
        ? Number.NEGATIVE_INFINITY
        : Math.log2((p.m[l] as number) / (p.u[l] as number));
    }
    exactLog2M[c] = Math.log2(p.m[p.levels.length - 1] as number);
    const table = model.tf?.[p.id];
    if (table) tfMinimum[c] = table.minimumU;
  });
  const out: CompiledModel = {
    prior: Math.log2(model.lambda / (1 - model.lambda)),
    offsets,
    weights,
    exactLog2M,
    tfMinimum,
  };
  compiledModels.set(model, out);
  return out;
}

/** Weight of an exact agreement on a value with term frequency tf (> 0): log2(m_exact / max(tf, minimumU)). */
function tfWeight(cm: CompiledModel, c: number, tf: number): number {
  return (cm.exactLog2M[c] as number) - Math.log2(Math.max(tf, cm.tfMinimum[c] as number));
}

/**
 * Match weight (bits) of one pair: the prior log-odds plus each comparison's log2(m/u) at its
 * level. `termFrequencies[c]`, when above 0 and the comparison has a table in the model, is the
 * frequency of the agreed value and replaces u at the exact level.
 */
export function matchWeight(
  model: FellegiSunterModel,
  levels: ArrayLike<number>,
  termFrequencies?: ArrayLike<number | undefined>,
): number {
  const cm = compiled(model);
  const C = model.comparisons.length;
  if (levels.length !== C) throw new Error(`fellegi-sunter: ${levels.length} levels for ${C} comparisons`);
  let w = cm.prior;
  for (let c = 0; c < C; c++) {
    const level = levels[c] as number;
    const k = (cm.offsets[c + 1] as number) - (cm.offsets[c] as number);
    if (!(level >= 0 && level < k))
      throw new Error(`fellegi-sunter: level ${level} out of range for comparison ${c}`);
    const tf = termFrequencies?.[c];
    if (level === k - 1 && tf !== undefined && tf > 0 && (cm.tfMinimum[c] as number) >= 0)
      w += tfWeight(cm, c, tf);
    else w += cm.weights[(cm.offsets[c] as number) + level] as number;
  }
  return w;
}

/** 2^w / (1 + 2^w), computed without overflow. */
export function matchProbability(weight: number): number {
  return weight >= 0 ? 1 / (1 + 2 ** -weight) : 2 ** weight / (1 + 2 ** weight);
}

/**
 * Each record's term frequency per comparison of the model (0 where the record has no value or
 * the table does not know it); null for comparisons without a table. Built once per run for
 * `scorePairs`, so that pairs look their frequencies up by record index.
 */
export function recordTermFrequencies(
  model: FellegiSunterModel,
  records: readonly NormalisedRecord[],
): (Float64Array | null)[] {
  const set = modelComparisonSet(model);
  return set.comparisons.map((c) => {
    const table = model.tf?.[c.id];
    if (!table || !c.tfValue) return null;
    const freqs = table.frequencies;
    const out = new Float64Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const v = c.tfValue(records[i] as NormalisedRecord);
      if (v !== null && Object.hasOwn(freqs, v)) out[i] = freqs[v] as number;
    }
    return out;
  });
}

/** What `scorePairs` needs for term-frequency adjustment: the pairs and `recordTermFrequencies`. */
export interface TfAdjust {
  pairsA: Int32Array;
  pairsB: Int32Array;
  recordTf: readonly (Float64Array | null | undefined)[];
}

/**
 * Match weights (bits) of all pairs from their comparison vectors, with term-frequency
 * adjustment of exact levels when `tfAdjust` is given (the larger of the two records'
 * frequencies, as Splink takes; they are equal for an exact agreement).
 */
export function scorePairs(
  model: FellegiSunterModel,
  gammas: readonly Uint8Array[],
  tfAdjust?: TfAdjust,
): Float64Array {
  const cm = compiled(model);
  const C = model.comparisons.length;
  if (gammas.length !== C)
    throw new Error(`fellegi-sunter: ${gammas.length} level arrays for ${C} comparisons`);
  const n = C === 0 ? 0 : (gammas[0] as Uint8Array).length;
  const out = new Float64Array(n).fill(cm.prior);
  for (let c = 0; c < C; c++) {
    const g = gammas[c] as Uint8Array;
    if (g.length !== n) throw new Error("fellegi-sunter: level arrays differ in length");
    const offset = cm.offsets[c] as number;
    const k = (cm.offsets[c + 1] as number) - offset;
    const table = cm.weights.subarray(offset, offset + k);
    for (let i = 0; i < n; i++) {
      const level = g[i] as number;
      if (level >= k) throw new Error(`fellegi-sunter: level ${level} out of range for comparison ${c}`);
      out[i] = (out[i] as number) + (table[level] as number);
    }
    const recordTf = tfAdjust?.recordTf[c];
    if (!tfAdjust || !recordTf || (cm.tfMinimum[c] as number) < 0) continue;
    const { pairsA, pairsB } = tfAdjust;
    if (pairsA.length !== n || pairsB.length !== n)
      throw new Error("fellegi-sunter: tfAdjust pairs differ from the level arrays");
    const exact = k - 1;
    const plain = table[exact] as number;
    for (let i = 0; i < n; i++) {
      if (g[i] !== exact) continue;
      const tf = Math.max(recordTf[pairsA[i] as number] ?? 0, recordTf[pairsB[i] as number] ?? 0);
      if (tf > 0) out[i] = (out[i] as number) - plain + tfWeight(cm, c, tf);
    }
  }
  return out;
}

export interface ComparisonExplanation {
  comparison: string;
  title: string;
  level: number;
  label: string;
  /** Bits this comparison adds (negative: against a match); 0 at the missing level. */
  weight: number;
  /** The agreed value and its frequency, when term frequency replaced u. */
  tf?: { value: string; frequency: number };
}

export interface PairExplanation {
  /** log2(λ/(1−λ)): the weight before any field is compared. */
  prior: number;
  comparisons: ComparisonExplanation[];
  weight: number;
  probability: number;
}

/** Why the model scores two records as it does: each comparison's level and weight, in the set's order. */
export function explainPair(
  model: FellegiSunterModel,
  a: NormalisedRecord,
  b: NormalisedRecord,
): PairExplanation {
  const set = modelComparisonSet(model);
  const cm = compiled(model);
  let weight = cm.prior;
  const comparisons = set.comparisons.map((c, i): ComparisonExplanation => {
    const level = c.level(a, b);
    const item: ComparisonExplanation = {
      comparison: c.id,
      title: c.title,
      level,
      label: c.levels[level] as string,
      weight: cm.weights[(cm.offsets[i] as number) + level] as number,
    };
    const table = model.tf?.[c.id];
    if (table && c.tfValue && level === c.levels.length - 1) {
      const va = c.tfValue(a);
      const vb = c.tfValue(b);
      const fa = va !== null && Object.hasOwn(table.frequencies, va) ? (table.frequencies[va] as number) : 0;
      const fb = vb !== null && Object.hasOwn(table.frequencies, vb) ? (table.frequencies[vb] as number) : 0;
      const frequency = Math.max(fa, fb);
      const value = fa >= fb ? va : vb;
      if (frequency > 0 && value !== null) {
        item.weight = tfWeight(cm, i, frequency);
        item.tf = { value, frequency };
      }
    }
    weight += item.weight;
    return item;
  });
  return { prior: cm.prior, comparisons, weight, probability: matchProbability(weight) };
}

/**
 * One line for `entity explain`: the compared fields with their weights, missing ones left out
 * ("surname exact (+8.1), birth date day and month swapped (+4.2), phone differs (−3.5)").
 */
export function formatExplanation(e: PairExplanation): string {
  const parts = e.comparisons
    .filter((c) => c.level !== 0)
    .map((c) => {
      if (c.weight === Number.NEGATIVE_INFINITY) return `${c.title} ${c.label} (rules a match out)`;
      const bits = Math.abs(c.weight).toFixed(1);
      const sign = c.weight < 0 && bits !== "0.0" ? "\u2212" : "+";
      return `${c.title} ${c.label} (${sign}${bits})`;
    });
  return parts.join(", ");
}
