import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type DetectionData,
  type DetectionField,
  type Detector,
  defineDetector,
} from "../../src/detect/detector.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import { graphOf } from "../graph/graph-of.js";

/** A detector that reports which optional fields it was handed, as one finding's reason. */
const probe = defineDetector({
  id: "probe",
  version: 1,
  typology: "probe",
  title: "probe",
  basis: "test",
  params: z.object({ k: z.number().default(1) }),
  needs: ["ts", "amount_usd"],
  uses: ["branch", "conductor"],
  run: (data: DetectionData) => [
    {
      typology: "probe",
      subjects: [{ account: 0, role: "member" }],
      edges: [0],
      window: { from: 0, to: 0 },
      amountUsd: 1,
      reasons: [(["branch", "conductor"] as const).filter((f) => data.available.has(f)).join(",")],
      score: 0.5,
    },
  ],
});

const graph = graphOf([["A", "B", 1, 100]]);
const outcomeWith = (fields: DetectionField[]) =>
  runDetectors({ graph, available: new Set(fields) }, [probe] as unknown as Detector[])[0];

describe("runDetectors", () => {
  it("runs a detector without its optional fields and names them as unused (a partial look)", () => {
    const o = outcomeWith(["ts", "amount_usd", "branch"]);
    expect([o?.status, o?.missing, o?.unused, o?.findings[0]?.reasons]).toEqual([
      "ok",
      [],
      ["conductor"],
      ["branch"],
    ]);
  });

  it("with every field, nothing is unused", () => {
    const o = outcomeWith(["ts", "amount_usd", "branch", "conductor"]);
    expect([o?.status, o?.unused]).toEqual(["ok", []]);
  });

  it("a missing needed field makes it NOT_EVALUABLE, not partial, and it is not run", () => {
    const o = outcomeWith(["ts", "branch"]);
    expect([o?.status, o?.missing, o?.findings]).toEqual(["not-evaluable", ["amount_usd"], []]);
  });

  it("a detector needing more days than the data spans is NOT_EVALUABLE, with the days, and not run", () => {
    // The rule needs k × 10 days; the data spans 14 (days 1 to 15).
    const timed = { ...probe, minDays: (p: { k: number }) => p.k * 10 } as unknown as Detector;
    const twoWeeks = graphOf([
      ["A", "B", 1, 100],
      ["B", "A", 15, 100],
    ]);
    const outcome = (k: number) =>
      runDetectors(
        { graph: twoWeeks, available: new Set(["ts", "amount_usd"]) },
        [timed],
        new Map([["probe", { k }]]),
      )[0];
    expect([outcome(1)?.status, outcome(1)?.findings.length]).toEqual(["ok", 1]);
    expect(outcome(2)).toMatchObject({
      status: "not-evaluable",
      missing: [],
      reason: "the data spans 14.0 days; the rule needs at least 20 with these parameters",
      findings: [],
    });
    // Missing fields come first: they are what the user can supply.
    const none = runDetectors(
      { graph: twoWeeks, available: new Set(["ts"]) },
      [timed],
      new Map([["probe", { k: 2 }]]),
    )[0];
    expect([none?.missing, none?.reason]).toEqual([["amount_usd"], undefined]);
  });

  it("validates the pack's parameters over the defaults", () => {
    const o = runDetectors(
      { graph, available: new Set(["ts", "amount_usd"]) },
      [probe] as unknown as Detector[],
      new Map([["probe", { k: 3 }]]),
    )[0];
    expect(o?.params).toEqual({ k: 3 });
    expect(() =>
      runDetectors(
        { graph, available: new Set() },
        [probe] as unknown as Detector[],
        new Map([["probe", { k: "x" }]]),
      ),
    ).toThrow();
  });
});
