import { describe, expect, it } from "vitest";
import { Rng } from "../../src/generate/random.js";
import { compareAll } from "../../src/resolve/comparison-vectors.js";
import { comparisonIndex, levelCounts, PERSON_COMPARISONS } from "../../src/resolve/comparisons.js";
import {
  aggregatePatterns,
  buildModel,
  combineEmRuns,
  estimateLambda,
  estimateM,
  estimateU,
  explainPair,
  FellegiSunterModel,
  formatExplanation,
  matchProbability,
  matchWeight,
  modelComparisonSet,
  recordTermFrequencies,
  runEm,
  scorePairs,
  termFrequencies,
  termFrequencyTables,
} from "../../src/resolve/fellegi-sunter.js";
import type { NormalisedRecord } from "../../src/resolve/normalised-record.js";
import { rec } from "./record.js";

/** Known parameters: per comparison, m and u over levels 1..K (index 0 is the null level). */
const TRUE_LAMBDA = 0.2;
const TRUE_M = [
  [0, 0.1, 0.9],
  [0, 0.05, 0.15, 0.8],
  [0, 0.1, 0.1, 0.2, 0.6],
  [0, 0.3, 0.7],
  [0, 0.05, 0.05, 0.1, 0.2, 0.6],
];
const TRUE_U = [
  [0, 0.9, 0.1],
  [0, 0.85, 0.1, 0.05],
  [0, 0.6, 0.2, 0.15, 0.05],
  [0, 0.8, 0.2],
  [0, 0.5, 0.2, 0.15, 0.1, 0.05],
];
const COUNTS = TRUE_M.map((m) => m.length);
/** Each side of each comparison is missing this often, match or not. */
const MISSING = 0.1;

function draw(rng: Rng, probs: readonly number[]): number {
  let x = rng.next();
  for (let l = 1; l < probs.length; l++) {
    x -= probs[l] as number;
    if (x < 0) return l;
  }
  return probs.length - 1;
}

/** n pairs simulated from λ, m and u (comparisons independent given match status); which were matches. */
function simulate(n: number, seed: number): { gammas: Uint8Array[]; matches: Uint8Array } {
  const rng = new Rng(seed);
  const gammas = COUNTS.map(() => new Uint8Array(n));
  const matches = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const match = rng.chance(TRUE_LAMBDA);
    matches[i] = match ? 1 : 0;
    for (let c = 0; c < COUNTS.length; c++) {
      (gammas[c] as Uint8Array)[i] = rng.chance(MISSING)
        ? 0
        : draw(rng, (match ? TRUE_M : TRUE_U)[c] as number[]);
    }
  }
  return { gammas, matches };
}

function expectClose(actual: ArrayLike<number> | null, expected: readonly number[], tolerance: number): void {
  expect(actual).not.toBeNull();
  for (let l = 1; l < expected.length; l++) {
    expect(Math.abs(((actual as ArrayLike<number>)[l] as number) - (expected[l] as number))).toBeLessThan(
      tolerance,
    );
  }
}

const SIM = simulate(200_000, 7);

describe("aggregatePatterns", () => {
  it("counts each distinct level vector once", () => {
    const gammas = [Uint8Array.of(1, 2, 1, 0, 1), Uint8Array.of(3, 1, 3, 3, 3)];
    const t = aggregatePatterns(gammas, [3, 4]);
    expect(t.size).toBe(3);
    expect(t.pairs).toBe(5);
    const rows = [...Array(t.size).keys()].map(
      (p) => `${t.patterns[p * 2]}${t.patterns[p * 2 + 1]}:${t.counts[p]}`,
    );
    expect(rows).toEqual(["13:3", "21:1", "03:1"]);
  });

  it("reads excluded comparisons as missing and takes only the rows asked for", () => {
    const gammas = [Uint8Array.of(1, 2, 1, 0, 1), Uint8Array.of(3, 1, 3, 3, 3)];
    const t = aggregatePatterns(gammas, [3, 4], { exclude: [0], rows: Int32Array.of(0, 1, 3) });
    const rows = [...Array(t.size).keys()].map(
      (p) => `${t.patterns[p * 2]}${t.patterns[p * 2 + 1]}:${t.counts[p]}`,
    );
    expect(rows).toEqual(["03:2", "01:1"]);
    expect(t.exclude).toEqual([0]);
  });

  it("sums to the pairs, with few patterns for many pairs", () => {
    const t = aggregatePatterns(SIM.gammas, COUNTS);
    let sum = 0;
    for (const c of t.counts) sum += c;
    expect(sum).toBe(200_000);
    expect(t.size).toBeLessThanOrEqual(COUNTS.reduce((a, b) => a * b, 1));
  });

  it("rejects levels beyond the comparison's count", () => {
    expect(() => aggregatePatterns([Uint8Array.of(3)], [3])).toThrow(/fellegi-sunter: level 3/);
  });
});

describe("EM", () => {
  it("recovers known λ, m and u from a neutral start", () => {
    const r = runEm(SIM.gammas, COUNTS, { maxIterations: 500, tolerance: 1e-7 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.lambda - TRUE_LAMBDA)).toBeLessThan(0.01);
    for (const [c, m] of TRUE_M.entries()) expectClose(r.m[c] ?? null, m, 0.02);
    for (const [c, u] of TRUE_U.entries()) expectClose(r.u[c] ?? null, u, 0.02);
  });

  it("recovers m and λ with u fixed, as Splink trains", () => {
    const r = runEm(SIM.gammas, COUNTS, { u: TRUE_U });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.lambda - TRUE_LAMBDA)).toBeLessThan(0.01);
    for (const [c, m] of TRUE_M.entries()) expectClose(r.m[c] ?? null, m, 0.015);
    for (const [c, u] of r.u.entries()) expectClose(u, TRUE_U[c] as number[], 1e-12);
  });

  it("never lowers the likelihood from one iteration to the next", () => {
    let last = -Infinity;
    for (let k = 1; k <= 12; k++) {
      const r = runEm(SIM.gammas, COUNTS, { maxIterations: k, tolerance: 0 });
      expect(r.iterations).toBe(k);
      expect(r.logLikelihood).toBeGreaterThanOrEqual(last - 1e-6);
      last = r.logLikelihood;
    }
  });

  it("floors levels never seen, so that no probability is 0", () => {
    const gammas = [Uint8Array.of(2, 2, 2, 1, 2, 1), Uint8Array.of(3, 3, 1, 1, 3, 1)];
    const r = runEm(gammas, [3, 4], { floor: 1e-4 });
    for (const p of [...r.m, ...r.u])
      for (const v of p as Float64Array) expect(v).toBeGreaterThanOrEqual(9e-5);
    expect(r.lambda).toBeGreaterThan(0);
    expect(r.lambda).toBeLessThan(1);
  });

  it("leaves excluded comparisons out and combines runs by averaging m", () => {
    const a = runEm(SIM.gammas, COUNTS, { u: TRUE_U, exclude: [0] });
    const b = runEm(SIM.gammas, COUNTS, { u: TRUE_U, exclude: [1, 2] });
    expect(a.m[0]).toBeNull();
    expect(b.m[1]).toBeNull();
    expect(b.m[2]).toBeNull();
    const { m, u } = combineEmRuns([a, b]);
    expectClose(m[0] as Float64Array, [...(b.m[0] as Float64Array)], 1e-12);
    expectClose(m[1] as Float64Array, [...(a.m[1] as Float64Array)], 1e-12);
    const mean = [...(a.m[3] as Float64Array)].map(
      (v, l) => (v + ((b.m[3] as Float64Array)[l] as number)) / 2,
    );
    expectClose(m[3] as Float64Array, mean, 1e-12);
    expectClose(u[4] as Float64Array, TRUE_U[4] as number[], 1e-12);
    expect(() => combineEmRuns([a])).toThrow(/left out of every EM run/);
  });

  it("estimateM trains per session, combines, then fits λ on all pairs", () => {
    const half = Int32Array.from({ length: 100_000 }, (_, i) => i * 2);
    const r = estimateM(SIM.gammas, COUNTS, [{ rows: half, exclude: [0] }, { exclude: [1] }, {}], {
      u: TRUE_U,
    });
    expect(r.runs).toHaveLength(3);
    expect(r.runs[0]?.pairs).toBe(100_000);
    expect(Math.abs(r.lambda - TRUE_LAMBDA)).toBeLessThan(0.01);
    for (const [c, m] of TRUE_M.entries()) expectClose(r.m[c] ?? null, m, 0.02);
    expect(Math.abs(estimateLambda(SIM.gammas, COUNTS, TRUE_M, TRUE_U) - TRUE_LAMBDA)).toBeLessThan(0.01);
  });

  it("runs over the distinct patterns, not the pairs", () => {
    const r = runEm(SIM.gammas, COUNTS, { u: TRUE_U });
    expect(r.pairs).toBe(200_000);
    expect(r.patterns).toBeLessThanOrEqual(3 * 4 * 5 * 3 * 6);
  });
});

// ---------------------------------------------------------------------------------------------
// Records

/** 200 people: 40% SMITH, the rest unique surnames; given names from a short list. */
function people(): NormalisedRecord[] {
  const givens = ["JOHN", "MARY", "JAMES", "ANNA", "PETER"];
  return Array.from({ length: 200 }, (_, i) =>
    rec({
      partyId: `p${i}`,
      given: givens[i % givens.length] as string,
      givenCanonical: givens[i % givens.length] as string,
      surname: i % 5 < 2 ? "SMITH" : `RARE${String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26))}`,
      birth: { year: 1950 + (i % 40), month: 1 + (i % 12), day: 1 + (i % 28) },
      phone: `+1206555${String(1000 + i)}`,
    }),
  );
}

const SURNAME = comparisonIndex(PERSON_COMPARISONS, "surname");

describe("estimateU", () => {
  it("compares every pair when there are few, giving exact level frequencies", () => {
    const records = people();
    const r = estimateU(records, PERSON_COMPARISONS);
    expect(r.pairs).toBe((200 * 199) / 2);
    const smiths = 80;
    const exact = (smiths * (smiths - 1)) / 2 / r.pairs;
    const surnameU = r.u[SURNAME] as Float64Array;
    // Close, not equal: levels no pair fell in get half a pair's share (never 0).
    expect(surnameU[surnameU.length - 1]).toBeCloseTo(exact, 4);
    // Nobody has a national id: the comparison was never observed, its u is uniform.
    const id = comparisonIndex(PERSON_COMPARISONS, "national-id");
    expect(r.observed[id]).toBe(0);
    expect([...(r.u[id] as Float64Array)]).toEqual([1, 1 / 3, 1 / 3, 1 / 3]);
  });

  it("samples deterministically by seed when there are many pairs", () => {
    const records = people();
    const a = estimateU(records, PERSON_COMPARISONS, { maxPairs: 5000, seed: 3 });
    const b = estimateU(records, PERSON_COMPARISONS, { maxPairs: 5000, seed: 3 });
    const c = estimateU(records, PERSON_COMPARISONS, { maxPairs: 5000, seed: 4 });
    expect(a.pairs).toBe(5000);
    expect(a.u.map((x) => [...x])).toEqual(b.u.map((x) => [...x]));
    expect(a.u.map((x) => [...x])).not.toEqual(c.u.map((x) => [...x]));
    const all = estimateU(records, PERSON_COMPARISONS);
    const k = (all.u[SURNAME] as Float64Array).length - 1;
    expect(
      Math.abs(
        ((a.u[SURNAME] as Float64Array)[k] as number) - ((all.u[SURNAME] as Float64Array)[k] as number),
      ),
    ).toBeLessThan(0.03);
  });

  it("gives unseen levels a small u, never 0", () => {
    const r = estimateU(people(), PERSON_COMPARISONS);
    for (const u of r.u) for (const v of u) expect(v).toBeGreaterThan(0);
  });
});

/** A person model with plausible parameters, made by hand: exact agreement strong, differing against. */
function handModel(records: readonly NormalisedRecord[]): FellegiSunterModel {
  const counts = levelCounts(PERSON_COMPARISONS);
  const m = counts.map((k) =>
    Array.from({ length: k }, (_, l) => (l === 0 ? 1 : l === k - 1 ? 0.9 : 0.1 / (k - 2))),
  );
  const u = counts.map((k) =>
    Array.from({ length: k }, (_, l) => (l === 0 ? 1 : l === 1 ? 0.9 : 0.1 / (k - 2))),
  );
  return buildModel({
    set: PERSON_COMPARISONS,
    lambda: 0.1,
    m,
    u,
    tf: termFrequencyTables(records, PERSON_COMPARISONS),
  });
}

describe("term frequencies", () => {
  it("are each value's share of the records that have one, sorted by value", () => {
    const records = [
      rec({ surname: "SMITH" }),
      rec({ surname: "SMITH" }),
      rec({ surname: "JONES" }),
      rec({}),
    ];
    const tf = termFrequencies(records, PERSON_COMPARISONS.comparisons[SURNAME] as never);
    expect([...tf]).toEqual([
      ["JONES", 1 / 3],
      ["SMITH", 2 / 3],
    ]);
    expect(() => termFrequencies(records, PERSON_COMPARISONS.comparisons[0 + 4] as never)).toThrow(
      /fellegi-sunter:/,
    );
  });

  it("make agreeing on a common surname weigh less than agreeing on a rare one", () => {
    const records = people();
    const model = handModel(records);
    const smithA = records[0] as NormalisedRecord;
    const smithB = records[5] as NormalisedRecord;
    const rareA = records[2] as NormalisedRecord;
    const rareB = { ...rareA, partyId: "copy" };
    const smith = explainPair(model, smithA, smithB).comparisons[SURNAME];
    const rare = explainPair(model, rareA, rareB).comparisons[SURNAME];
    expect(smith?.label).toBe("exact");
    expect(smith?.tf).toEqual({ value: "SMITH", frequency: 0.4 });
    expect(rare?.tf?.frequency).toBe(1 / 200);
    expect(smith?.weight).toBeLessThan(rare?.weight as number);
    // m_exact / tf: 0.9 / 0.4 and 0.9 / 0.005.
    expect(smith?.weight).toBeCloseTo(Math.log2(0.9 / 0.4), 10);
    expect(rare?.weight).toBeCloseTo(Math.log2(0.9 / 0.005), 10);
  });

  it("floor the term frequency at the table's minimum u", () => {
    const records = people();
    const base = handModel(records);
    const tf = structuredClone(base.tf) as NonNullable<FellegiSunterModel["tf"]>;
    (tf.surname as { minimumU: number }).minimumU = 0.05;
    const model = { ...base, tf };
    const rare = records[2] as NormalisedRecord;
    expect(explainPair(model, rare, rare).comparisons[SURNAME]?.weight).toBeCloseTo(
      Math.log2(0.9 / 0.05),
      10,
    );
  });
});

/** The same model without vetoes: the arithmetic of weights, checked on pairs some veto would end. */
function withoutVetoes(model: FellegiSunterModel): FellegiSunterModel {
  return { ...model, comparisons: model.comparisons.map(({ veto: _veto, ...c }) => c) };
}

describe("vetoes", () => {
  it("rule a match out whatever else agrees, and say so", () => {
    const records = people();
    const model = handModel(records);
    // Records 0 and 1: different given names (JOHN, MARY), the surname SMITH agrees.
    const a = records[0] as NormalisedRecord;
    const b = { ...(records[1] as NormalisedRecord), phone: a.phone };
    const e = explainPair(model, a, b);
    expect(e.weight).toBe(Number.NEGATIVE_INFINITY);
    expect(e.probability).toBe(0);
    expect(formatExplanation(e)).toContain("given name differs (rules a match out)");
    const gammas = compareAll([a, b], Int32Array.of(0), Int32Array.of(1), PERSON_COMPARISONS);
    expect(scorePairs(model, gammas)[0]).toBe(Number.NEGATIVE_INFINITY);
    // Without the veto the same pair scores a finite weight.
    expect(Number.isFinite(scorePairs(withoutVetoes(model), gammas)[0])).toBe(true);
  });
});

describe("scoring", () => {
  const records = people();
  const model = withoutVetoes(handModel(records));
  const pairsA = Int32Array.of(0, 0, 2, 1, 3);
  const pairsB = Int32Array.of(5, 1, 2, 6, 4);
  const gammas = compareAll(records, pairsA, pairsB, PERSON_COMPARISONS);

  it("scores pairs as matchWeight does, with and without term frequencies", () => {
    const plain = scorePairs(model, gammas);
    const recordTf = recordTermFrequencies(model, records);
    const adjusted = scorePairs(model, gammas, { pairsA, pairsB, recordTf });
    for (let i = 0; i < pairsA.length; i++) {
      const levels = gammas.map((g) => g[i] as number);
      expect(plain[i]).toBeCloseTo(matchWeight(model, levels), 10);
      const tf = recordTf.map((t) =>
        t ? Math.max(t[pairsA[i] as number] as number, t[pairsB[i] as number] as number) : undefined,
      );
      expect(adjusted[i]).toBeCloseTo(matchWeight(model, levels, tf), 10);
      const e = explainPair(
        model,
        records[pairsA[i] as number] as NormalisedRecord,
        records[pairsB[i] as number] as NormalisedRecord,
      );
      expect(adjusted[i]).toBeCloseTo(e.weight, 10);
      expect(e.comparisons.reduce((s, c) => s + c.weight, e.prior)).toBeCloseTo(e.weight, 10);
      expect(e.probability).toBeCloseTo(matchProbability(e.weight), 12);
    }
    // Pair 0 agrees on SMITH (common) and pair 2 on a rare surname: term frequency moves them apart.
    expect((adjusted[0] as number) - (plain[0] as number)).toBeLessThan(
      (adjusted[2] as number) - (plain[2] as number),
    );
  });

  it("turns weights into probabilities monotonically and without overflow", () => {
    let last = -1;
    for (let w = -2000; w <= 2000; w += 0.5) {
      const p = matchProbability(w);
      expect(Number.isFinite(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(last);
      last = p;
    }
    expect(matchProbability(0)).toBe(0.5);
    expect(matchProbability(1)).toBeCloseTo(2 / 3, 12);
    expect(matchProbability(-1)).toBeCloseTo(1 / 3, 12);
  });

  it("explains a pair in the set's order, in words", () => {
    const a = rec({
      given: "JOHN",
      givenCanonical: "JOHN",
      surname: "SMITH",
      birth: { year: 1980, month: 3, day: 4 },
      phone: "+12065550100",
    });
    const b = rec({
      given: "JOHN",
      givenCanonical: "JOHN",
      surname: "SMITH",
      birth: { year: 1980, month: 4, day: 3 },
      phone: "+12065550199",
    });
    const e = explainPair(model, a, b);
    expect(e.comparisons.map((c) => c.comparison)).toEqual(PERSON_COMPARISONS.comparisons.map((c) => c.id));
    const text = formatExplanation(e);
    expect(text).toMatch(
      /^given name exact \(\+\d+\.\d\), surname exact \(\+\d+\.\d\), birth date day and month swapped \(\+0\.0\), phone differs \(\u2212\d+\.\d\)$/,
    );
  });
});

describe("model", () => {
  it("round-trips through JSON and is checked against the comparison set", () => {
    const model = handModel(people());
    const back = FellegiSunterModel.parse(JSON.parse(JSON.stringify(model)));
    expect(back).toEqual(model);
    expect(modelComparisonSet(back)).toBe(PERSON_COMPARISONS);
    const stale = structuredClone(model);
    (stale.comparisons[SURNAME] as { levels: string[] }).levels[2] = "old label";
    expect(() => modelComparisonSet(stale)).toThrow(/fellegi-sunter: .*retrain/);
  });

  it("stores m and u with the null level at 1 and the others floored and summing to 1", () => {
    const counts = levelCounts(PERSON_COMPARISONS);
    const zeros = counts.map((k) => new Array(k).fill(0).map((_, l) => (l === k - 1 ? 1 : 0)));
    const model = buildModel({ set: PERSON_COMPARISONS, lambda: 0, m: zeros, u: zeros });
    expect(model.lambda).toBeGreaterThan(0);
    for (const c of model.comparisons) {
      expect(c.m[0]).toBe(1);
      expect(c.u[0]).toBe(1);
      expect(c.m.slice(1).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      for (const v of c.m) expect(v).toBeGreaterThan(0);
    }
    expect(() => buildModel({ set: PERSON_COMPARISONS, lambda: 0.1, m: zeros.slice(1), u: zeros })).toThrow(
      /fellegi-sunter:/,
    );
  });
});
