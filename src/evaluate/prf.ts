/**
 * Precision, recall and F1 of a predicted set against an actual set, with the counts behind them.
 * A ratio whose denominator is zero is null, not 0 or 1: "no predictions" is not "perfect
 * precision", and a report must say so rather than invent a number.
 */
export interface Prf {
  tp: number;
  predicted: number;
  actual: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** Precision = tp/predicted, recall = tp/actual, each null when its denominator is 0. */
export function prf(tp: number, predicted: number, actual: number): Prf {
  const precision = predicted === 0 ? null : tp / predicted;
  const recall = actual === 0 ? null : tp / actual;
  return { tp, predicted, actual, precision, recall, f1: f1Score(precision, recall) };
}

/** The harmonic mean; null when either side is null, 0 when both are 0 (no true positive). */
export function f1Score(precision: number | null, recall: number | null): number | null {
  if (precision === null || recall === null) return null;
  if (precision + recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}

/** Prf of two sets of keys: tp is the size of their intersection. */
export function setPrf<T>(predicted: ReadonlySet<T>, actual: ReadonlySet<T>): Prf {
  let tp = 0;
  for (const key of predicted) if (actual.has(key)) tp += 1;
  return prf(tp, predicted.size, actual.size);
}
