import { describe, expect, it } from "vitest";
import { f1Score, prf, setPrf } from "../../src/evaluate/prf.js";

describe("precision, recall and F1", () => {
  it("computes the ratios from the counts", () => {
    // 3 of 4 predictions right, 3 of 6 actual found: P 0.75, R 0.5, F1 2·0.375/1.25 = 0.6.
    const r = prf(3, 4, 6);
    expect(r).toMatchObject({ tp: 3, predicted: 4, actual: 6, precision: 0.75, recall: 0.5 });
    expect(r.f1).toBeCloseTo(0.6, 12);
  });

  it("says null, not 0 or 1, where a ratio has no denominator", () => {
    // No predictions: precision unknown; recall 0 of 5; F1 unknown.
    expect(prf(0, 0, 5)).toEqual({ tp: 0, predicted: 0, actual: 5, precision: null, recall: 0, f1: null });
    // Predictions for something that never happened (a typology absent from the truth).
    expect(prf(0, 3, 0)).toEqual({ tp: 0, predicted: 3, actual: 0, precision: 0, recall: null, f1: null });
    expect(prf(0, 0, 0)).toEqual({
      tp: 0,
      predicted: 0,
      actual: 0,
      precision: null,
      recall: null,
      f1: null,
    });
  });

  it("gives F1 0 when both sides are defined but nothing is right", () => {
    expect(prf(0, 2, 3)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(f1Score(0, 0)).toBe(0);
    expect(f1Score(1, null)).toBeNull();
    expect(f1Score(1, 1)).toBe(1);
  });

  it("scores sets by their intersection", () => {
    // {1,2,3,9} against {1,2,3,4,5}: tp 3, P 3/4, R 3/5, F1 2·3/(4+5) = 2/3.
    const r = setPrf(new Set([1, 2, 3, 9]), new Set([1, 2, 3, 4, 5]));
    expect(r).toMatchObject({ tp: 3, predicted: 4, actual: 5, precision: 0.75, recall: 0.6 });
    expect(r.f1).toBeCloseTo(2 / 3, 12);
  });
});
