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

describe("folding readings of the same money into the stronger lead", () => {
  const kept = (...findings: [string, Finding][]) =>
    absorbLegs(mergeFindings(findings.map(([detector, f]) => ({ detector, params: {}, findings: [f] })))).map(
      (d) => [d.typology, d.primary, [...d.detectors]],
    );

  it("a fan-out of a funnel account's collectors is part of the funnel", () => {
    const funnel = finding(
      "funnel-account",
      [
        [1, "hub"],
        [5, "beneficiary"],
        [6, "beneficiary"],
      ],
      [1, 2, 3, 4, 5, 6, 7, 8],
      0,
      10,
    );
    const fan = finding(
      "fan-out",
      [
        [1, "hub"],
        [5, "beneficiary"],
      ],
      [2, 4, 6, 8, 9],
      0,
      10,
    );
    expect(kept(["funnel-account@1", funnel], ["fan-out@1", fan])).toEqual([
      ["funnel-account", 1, ["funnel-account@1", "fan-out@1"]],
    ]);
    // Less than 80% inside: a lead of its own.
    const apart = finding("fan-out", [[1, "hub"]], [2, 4, 6, 9, 10], 0, 10);
    expect(kept(["funnel-account@1", funnel], ["fan-out@1", apart])).toHaveLength(2);
  });

  it("a relay inside a chain is one of its intermediaries (half its payments suffice)", () => {
    const chain = finding(
      "random",
      [
        [1, "originator"],
        [2, "intermediary"],
        [3, "intermediary"],
      ],
      [1, 2, 3, 4, 5, 6],
      0,
      10,
    );
    const relay = finding(
      "pass-through",
      [
        [2, "intermediary"],
        [1, "originator"],
      ],
      [1, 2, 30, 31],
      0,
      10,
    );
    expect(kept(["random@1", chain], ["pass-through@1", relay])).toEqual([
      ["random", 1, ["random@1", "pass-through@1"]],
    ]);
    // An account the chain does not name keeps its own lead.
    const other = finding("pass-through", [[9, "intermediary"]], [1, 2, 30, 31], 0, 10);
    expect(kept(["random@1", chain], ["pass-through@1", other])).toHaveLength(2);
    // Under half inside: its own lead.
    const mostlyElsewhere = finding("pass-through", [[2, "intermediary"]], [1, 30, 31, 32], 0, 10);
    expect(kept(["random@1", chain], ["pass-through@1", mostlyElsewhere])).toHaveLength(2);
    // Half inside, but the relay is the larger: the chain explains only a part of it.
    const larger = finding(
      "pass-through",
      [[2, "intermediary"]],
      [1, 2, 3, 4, 5, 6, 30, 31, 32, 33, 34, 35],
      0,
      10,
    );
    expect(kept(["random@1", chain], ["pass-through@1", larger])).toHaveLength(2);
  });

  it("a fan-in and a border funnel on one account: the one that explains more money is the lead", () => {
    const hs = (edges: number[]) =>
      finding(
        "hs-border-funnel",
        [
          [1, "hub"],
          [2, "originator"],
        ],
        edges,
        0,
        10,
      );
    const fan = (edges: number[]) =>
      finding(
        "fan-in",
        [
          [1, "hub"],
          [2, "originator"],
        ],
        edges,
        0,
        10,
      );
    // Seven alike sums inside nine small transfers from many places: the border funnel.
    expect(
      kept(["hs-border-funnel@1", hs([1, 2, 3, 4, 5, 6, 7, 8, 9])], ["fan-in@1", fan([1, 2, 3, 4, 5, 6, 7])]),
    ).toEqual([["hs-border-funnel", 1, ["hs-border-funnel@1", "fan-in@1"]]]);
    // The same transfers, or a border funnel inside a larger fan: the fan.
    expect(kept(["hs-border-funnel@1", hs([1, 2, 3, 4, 5])], ["fan-in@1", fan([1, 2, 3, 4, 5])])).toEqual([
      ["fan-in", 1, ["fan-in@1", "hs-border-funnel@1"]],
    ]);
    expect(
      kept(["hs-border-funnel@1", hs([1, 2, 3, 4, 5])], ["fan-in@1", fan([1, 2, 3, 4, 5, 6, 7, 8])]),
    ).toEqual([["fan-in", 1, ["fan-in@1", "hs-border-funnel@1"]]]);
    // Each mostly outside the other: two leads.
    expect(
      kept(["hs-border-funnel@1", hs([1, 2, 3, 4, 5, 6])], ["fan-in@1", fan([1, 2, 3, 10, 11, 12])]),
    ).toHaveLength(2);
  });

  it("a border funnel whose payers a scatter-gather fed is that motif, from half of its transfers", () => {
    const sg = finding(
      "scatter-gather",
      [
        [0, "originator"],
        [1, "beneficiary"],
        [2, "intermediary"],
      ],
      [1, 2, 3, 4, 5, 6, 7, 8],
      0,
      10,
    );
    const hs = (edges: number[]) => finding("hs-border-funnel", [[1, "hub"]], edges, 0, 10);
    expect(kept(["scatter-gather@1", sg], ["hs-border-funnel@1", hs([5, 6, 7, 8, 20, 21])])).toEqual([
      ["scatter-gather", 0, ["scatter-gather@1", "hs-border-funnel@1"]],
    ]);
    expect(kept(["scatter-gather@1", sg], ["hs-border-funnel@1", hs([5, 6, 20, 21, 22])])).toHaveLength(2);
  });
});
