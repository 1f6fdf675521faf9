import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/detect/detector.js";
import { absorbLegs, draftScore, mergeFindings } from "../../src/detect/merge-findings.js";

const finding = (
  typology: string,
  subjects: [number, Finding["subjects"][number]["role"]][],
  edges: number[],
  from: number,
  to: number,
  score = 0.6,
): Finding => ({
  typology,
  subjects: subjects.map(([account, role]) => ({ account, role })),
  edges,
  window: { from, to },
  amountUsd: 1000 * edges.length,
  reasons: [`${typology} over ${edges.join(",")}`],
  score,
});

describe("merging findings into alert drafts", () => {
  it("merges findings of one typology about the same account with overlapping windows", () => {
    const drafts = mergeFindings([
      {
        detector: "fan-in@1",
        params: { k: 5 },
        findings: [
          finding(
            "fan-in",
            [
              [1, "hub"],
              [2, "originator"],
            ],
            [10, 11],
            0,
            5,
          ),
        ],
      },
      {
        detector: "fan-in@2",
        params: { k: 4 },
        findings: [
          finding(
            "fan-in",
            [
              [1, "hub"],
              [3, "originator"],
            ],
            [11, 12],
            4,
            9,
            0.5,
          ),
        ],
      },
      { detector: "fan-in@1", params: { k: 5 }, findings: [finding("fan-in", [[1, "hub"]], [20], 50, 60)] },
    ]);
    expect(drafts).toHaveLength(2);
    expect([...(drafts[0]?.edges ?? [])].sort((a, b) => a - b)).toEqual([10, 11, 12]);
    expect([drafts[0]?.from, drafts[0]?.to]).toEqual([0, 9]);
    // Two detectors agreeing: 1 − (1 − 0.6)(1 − 0.5).
    expect(draftScore(drafts[0] as never)).toBeCloseTo(0.8, 10);
  });

  it("folds a fan on a scatter-gather's edges into it, and keeps a fan of its own", () => {
    const drafts = mergeFindings([
      {
        detector: "scatter-gather@1",
        params: {},
        findings: [
          finding(
            "scatter-gather",
            [
              [1, "originator"],
              [9, "beneficiary"],
              [2, "intermediary"],
              [3, "intermediary"],
              [4, "intermediary"],
            ],
            [1, 2, 3, 4, 5, 6],
            0,
            10,
            0.7,
          ),
        ],
      },
      {
        detector: "fan-out@1",
        params: {},
        findings: [
          // The source's scatter legs (edges 1–3 inside the motif, 4 of 5 = 80%).
          finding(
            "fan-out",
            [
              [1, "hub"],
              [2, "beneficiary"],
            ],
            [1, 2, 3, 4, 30],
            0,
            10,
            0.5,
          ),
          // Another account's fan: not part of the motif.
          finding("fan-out", [[7, "hub"]], [40, 41, 42], 0, 10),
          // The source again, but mostly elsewhere: a lead of its own.
          finding("fan-out", [[1, "hub"]], [1, 50, 51, 52], 20, 30),
        ],
      },
    ]);
    const kept = absorbLegs(drafts);
    expect(kept.map((d) => [d.typology, d.primary])).toEqual([
      ["scatter-gather", 1],
      ["fan-out", 7],
      ["fan-out", 1],
    ]);
    const motif = kept[0];
    expect([...(motif?.detectors ?? [])]).toEqual(["scatter-gather@1", "fan-out@1"]);
    expect(motif?.reasons).toContain("fan-out over 1,2,3,4,30");
    expect(draftScore(motif as never)).toBeCloseTo(1 - 0.3 * 0.5, 10);
  });
});
