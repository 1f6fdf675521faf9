import { describe, expect, it } from "vitest";
import { clusteringScores } from "../../src/evaluate/clustering-metrics.js";
import { type RecordEntity, scoreResolution } from "../../src/evaluate/resolution.js";

// Records a..e; truth {a,b,c} {d,e}. Labels are indexes a=0 … e=4.
const TRUTH = [0, 0, 0, 1, 1];

describe("pairwise and B-cubed scores from counts", () => {
  it("scores prediction {a,b} {c,d,e} against truth {a,b,c} {d,e}", () => {
    // Pairwise. True pairs: ab ac bc (3) + de (1) = 4. Predicted pairs: ab (1) + cd ce de (3) = 4.
    // Both: ab, de = 2. P = 2/4, R = 2/4, F1 = 0.5.
    // B-cubed, per record |pred ∩ true| / |pred| and / |true|:
    //   a: {a,b}∩{a,b,c} = 2 → P 2/2, R 2/3;  b: the same;
    //   c: {c,d,e}∩{a,b,c} = 1 → P 1/3, R 1/3;
    //   d: {c,d,e}∩{d,e} = 2 → P 2/3, R 2/2;  e: the same.
    //   P = (1 + 1 + 1/3 + 2/3 + 2/3)/5 = 11/15; R = (2/3 + 2/3 + 1/3 + 1 + 1)/5 = 11/15; F1 = 11/15.
    const { pairwise, bcubed } = clusteringScores(TRUTH, [0, 0, 1, 1, 1]);
    expect(pairwise).toEqual({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      true_pairs: 4,
      predicted_pairs: 4,
      tp: 2,
    });
    expect(bcubed.precision).toBeCloseTo(11 / 15, 12);
    expect(bcubed.recall).toBeCloseTo(11 / 15, 12);
    expect(bcubed.f1).toBeCloseTo(11 / 15, 12);
  });

  it("scores everything in one cluster: full recall, poor precision", () => {
    // Predicted pairs C(5,2) = 10, of which the 4 true ones: P 0.4, R 1, F1 0.8/1.4 = 4/7.
    // B-cubed: a,b,c have P 3/5, d,e have P 2/5, all R 1: P = (3·3/5 + 2·2/5)/5 = 13/25 = 0.52;
    // F1 = 2·0.52/1.52 = 13/19.
    const { pairwise, bcubed } = clusteringScores(TRUTH, [7, 7, 7, 7, 7]);
    expect(pairwise).toMatchObject({ tp: 4, predicted_pairs: 10, true_pairs: 4, precision: 0.4, recall: 1 });
    expect(pairwise.f1).toBeCloseTo(4 / 7, 12);
    expect(bcubed.precision).toBeCloseTo(0.52, 12);
    expect(bcubed.recall).toBe(1);
    expect(bcubed.f1).toBeCloseTo(13 / 19, 12);
  });

  it("scores all singletons: no predicted pair, so pairwise precision is unknown", () => {
    // B-cubed: every P is 1; R is 1/3 for a,b,c and 1/2 for d,e: R = (1 + 1)/5 = 0.4; F1 = 0.8/1.4 = 4/7.
    const { pairwise, bcubed } = clusteringScores(TRUTH, [0, 1, 2, 3, 4]);
    expect(pairwise).toEqual({
      precision: null,
      recall: 0,
      f1: null,
      true_pairs: 4,
      predicted_pairs: 0,
      tp: 0,
    });
    expect(bcubed.precision).toBe(1);
    expect(bcubed.recall).toBeCloseTo(0.4, 12);
    expect(bcubed.f1).toBeCloseTo(4 / 7, 12);
  });

  it("has nothing to say about no records", () => {
    expect(clusteringScores([], [])).toEqual({
      pairwise: { precision: null, recall: null, f1: null, true_pairs: 0, predicted_pairs: 0, tp: 0 },
      bcubed: { precision: null, recall: null, f1: null },
    });
  });

  it("refuses labels of different lengths", () => {
    expect(() => clusteringScores([0, 1], [0])).toThrow(/2 true labels but 1 predicted/);
  });
});

const row = (source: string, record_id: string, entity_id: string): RecordEntity => ({
  source,
  record_id,
  entity_id,
});
const TRUTH_ROWS = [
  row("parties.csv", "a", "P1"),
  row("parties.csv", "b", "P1"),
  row("parties.csv", "c", "P1"),
  row("parties.csv", "d", "P2"),
  row("parties.csv", "e", "P2"),
];

describe("scoring predicted entities against the truth's records", () => {
  it("matches on record id when the source was ingested under another name", () => {
    const report = scoreResolution(TRUTH_ROWS, [
      row("kyc", "a", "X"),
      row("kyc", "b", "X"),
      row("kyc", "c", "Y"),
      row("kyc", "d", "Y"),
      row("kyc", "e", "Y"),
    ]);
    // The same clustering as {a,b} {c,d,e} above.
    expect(report).toMatchObject({
      matched_by: "record_id",
      records: 5,
      entities: 2,
      clusters: 2,
      missing: 0,
      unknown: 0,
      duplicates: 0,
      pairwise: { tp: 2, predicted_pairs: 4, true_pairs: 4, precision: 0.5, recall: 0.5 },
    });
    expect(report.bcubed.precision).toBeCloseTo(11 / 15, 12);
  });

  it("scores records the prediction lacks as singletons and ignores records the truth lacks", () => {
    // c is missing and z unknown: the prediction becomes {a,b} {c} {d,e}.
    // Pairwise: predicted ab, de (2), both true: P 1, R 2/4, F1 2/3.
    // B-cubed: every P is 1; R: a,b 2/3, c 1/3, d,e 1: R = (11/3)/5 = 11/15; F1 = 2·(11/15)/(26/15) = 11/13.
    const report = scoreResolution(TRUTH_ROWS, [
      row("kyc", "a", "X"),
      row("kyc", "b", "X"),
      row("kyc", "d", "Y"),
      row("kyc", "e", "Y"),
      row("kyc", "z", "Y"),
    ]);
    expect(report).toMatchObject({ records: 5, clusters: 3, missing: 1, unknown: 1 });
    expect(report.pairwise).toMatchObject({ tp: 2, predicted_pairs: 2, precision: 1, recall: 0.5 });
    expect(report.pairwise.f1).toBeCloseTo(2 / 3, 12);
    expect(report.bcubed.precision).toBe(1);
    expect(report.bcubed.recall).toBeCloseTo(11 / 15, 12);
    expect(report.bcubed.f1).toBeCloseTo(11 / 13, 12);
  });

  it("keeps the first row of a record named twice", () => {
    // a's second row (cluster Y) is ignored: {a,b,c} {d,e}, a perfect prediction.
    const report = scoreResolution(TRUTH_ROWS, [
      row("kyc", "a", "X"),
      row("kyc", "b", "X"),
      row("kyc", "c", "X"),
      row("kyc", "d", "Y"),
      row("kyc", "e", "Y"),
      row("kyc2", "a", "Y"),
    ]);
    expect(report).toMatchObject({ duplicates: 1, unknown: 0 });
    expect(report.pairwise).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(report.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it("matches on source and record id when record ids repeat across the truth's sources", () => {
    // Record "1" exists in two sources, as two different people.
    const truth = [row("bank", "1", "P1"), row("bank", "2", "P1"), row("kyc", "1", "P2")];
    const report = scoreResolution(truth, [
      row("bank", "1", "A"),
      row("bank", "2", "A"),
      row("kyc", "1", "B"),
    ]);
    expect(report).toMatchObject({ matched_by: "source+record_id", missing: 0, unknown: 0, clusters: 2 });
    expect(report.pairwise).toMatchObject({ tp: 1, predicted_pairs: 1, true_pairs: 1, f1: 1 });
  });
});
