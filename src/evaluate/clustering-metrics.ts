import { f1Score } from "./prf.js";

/** Pairwise scores: over unordered pairs of records, "same cluster" predicted against "same entity". */
export interface PairwiseScores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Pairs of records that share a true entity. */
  true_pairs: number;
  /** Pairs of records that share a predicted cluster. */
  predicted_pairs: number;
  /** Pairs that share both. */
  tp: number;
}

/** B-cubed scores: per-record precision and recall, averaged over records. */
export interface BcubedScores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/**
 * Scores a clustering of records against the true one. `truth[i]` and `predicted[i]` are record i's
 * entity and cluster, as whole numbers from 0 (dense labels: arrays are sized by the largest one).
 * Both metrics come from counts, never from pairs: with n(c) records in a cluster, n(e) in an entity
 * and n(e,c) in both,
 *   predicted_pairs = Σ_c C(n(c),2), true_pairs = Σ_e C(n(e),2), tp = Σ_(e,c) C(n(e,c),2);
 *   B-cubed P = (1/N) Σ_(e,c) n(e,c)²/n(c), R = (1/N) Σ_(e,c) n(e,c)²/n(e)
 * (each of the n(e,c) records of a cell has n(e,c) of its cluster's n(c) records in its entity).
 * The cells are counted entity by entity in typed arrays: linear in the records, without maps, so a
 * million records take a fraction of a second.
 */
export function clusteringScores(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
): { pairwise: PairwiseScores; bcubed: BcubedScores } {
  if (truth.length !== predicted.length)
    throw new Error(`clusteringScores: ${truth.length} true labels but ${predicted.length} predicted`);
  const n = truth.length;
  const entitySize = new Int32Array(labelCount(truth, "true"));
  const clusterSize = new Int32Array(labelCount(predicted, "predicted"));
  for (let i = 0; i < n; i++) {
    (entitySize[truth[i] as number] as number) += 1;
    (clusterSize[predicted[i] as number] as number) += 1;
  }

  // Records grouped by entity (a counting sort), so each entity's cells can be counted in turn.
  const groupStart = new Int32Array(entitySize.length + 1);
  for (let e = 0; e < entitySize.length; e++)
    groupStart[e + 1] = (groupStart[e] as number) + (entitySize[e] as number);
  const fill = groupStart.slice(0, entitySize.length);
  const byEntity = new Int32Array(n);
  for (let i = 0; i < n; i++) byEntity[(fill[truth[i] as number] as number)++] = i;

  let tp = 0;
  let bPrecision = 0;
  let bRecall = 0;
  // cell[c] = n(e,c) for the entity at hand; `touched` lists the clusters to read back and reset.
  const cell = new Int32Array(clusterSize.length);
  const touched: number[] = [];
  for (let e = 0; e < entitySize.length; e++) {
    const ne = entitySize[e] as number;
    for (let k = groupStart[e] as number; k < (groupStart[e + 1] as number); k++) {
      const c = predicted[byEntity[k] as number] as number;
      if ((cell[c] as number) === 0) touched.push(c);
      (cell[c] as number) += 1;
    }
    for (const c of touched) {
      const nec = cell[c] as number;
      tp += pairs(nec);
      bPrecision += (nec * nec) / (clusterSize[c] as number);
      bRecall += (nec * nec) / ne;
      cell[c] = 0;
    }
    touched.length = 0;
  }

  let truePairs = 0;
  for (const size of entitySize) truePairs += pairs(size);
  let predictedPairs = 0;
  for (const size of clusterSize) predictedPairs += pairs(size);

  const pPrecision = predictedPairs === 0 ? null : tp / predictedPairs;
  const pRecall = truePairs === 0 ? null : tp / truePairs;
  const bp = n === 0 ? null : bPrecision / n;
  const br = n === 0 ? null : bRecall / n;
  return {
    pairwise: {
      precision: pPrecision,
      recall: pRecall,
      f1: f1Score(pPrecision, pRecall),
      true_pairs: truePairs,
      predicted_pairs: predictedPairs,
      tp,
    },
    bcubed: { precision: bp, recall: br, f1: f1Score(bp, br) },
  };
}

/** One more than the largest label; labels must be whole numbers from 0. */
function labelCount(labels: ArrayLike<number>, which: string): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (!(Number.isInteger(label) && label >= 0))
      throw new Error(`clusteringScores: ${which} label ${label} is not a whole number from 0`);
    if (label > max) max = label;
  }
  return max + 1;
}

/** Unordered pairs among k items: k(k−1)/2, exact in a double for k below 9·10^7. */
function pairs(k: number): number {
  return (k * (k - 1)) / 2;
}
