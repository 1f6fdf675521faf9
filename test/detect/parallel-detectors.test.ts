import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measuresOf } from "../../src/detect/carried-measures.js";
import { DETECTION_FIELDS, type DetectionData, type Detector } from "../../src/detect/detector.js";
import { DETECTORS } from "../../src/detect/detectors/index.js";
import { runDetectorsInParallel, splitByCost } from "../../src/detect/parallel-detectors.js";
import { type DetectorOutcome, runDetectors } from "../../src/detect/run-detectors.js";
import { buildMoneyGraph } from "../../src/graph/money-graph.js";
import type { EdgeColumns } from "../../src/store/store.js";
import { smallAmlworldWorkspace, tempDir, withStore } from "../helpers.js";

describe("splitByCost", () => {
  it("puts every detector in one of two groups of about equal cost, cycle and random together", () => {
    const [a, b] = splitByCost(DETECTORS);
    expect([...a, ...b].map((d) => d.id).sort()).toEqual(DETECTORS.map((d) => d.id).sort());
    const withCycle = a.some((d) => d.id === "cycle") ? a : b;
    expect(withCycle.map((d) => d.id)).toContain("random");
    // The two costliest apart.
    expect(withCycle.map((d) => d.id)).not.toContain("funnel-account");
  });
});

describe("runDetectorsInParallel", () => {
  const t = tempDir("mt-parallel-");
  let columns: EdgeColumns;
  beforeAll(async () => {
    const { ws } = await smallAmlworldWorkspace(t.dir, 11);
    columns = await withStore(ws, (s) => s.edgeColumns());
  }, 60_000);
  afterAll(() => t.cleanup());

  const without = (outcomes: DetectorOutcome[]) => outcomes.map(({ seconds: _, thread: __, ...o }) => o);

  it("finds on two threads what one thread finds, and keeps the worker's measures for the snapshot", async () => {
    const params = new Map<string, Record<string, unknown>>();
    const one = buildMoneyGraph(columns);
    const two = buildMoneyGraph(columns);
    const data = (graph: typeof one): DetectionData => ({
      graph,
      available: new Set(
        DETECTION_FIELDS.filter((f) =>
          ["ts", "amount_usd", "channel", "from_account", "to_account"].includes(f),
        ),
      ),
    });
    const alone = runDetectors(data(one), DETECTORS as Detector[], params);
    const split = await runDetectorsInParallel(data(two), DETECTORS as Detector[], params, {
      threads: 2,
      minEdges: 0,
    });
    expect(without(split)).toEqual(without(alone));
    // Some ran on the worker, among them findings.
    const away = split.filter((o) => o.thread === "worker");
    expect(away.length).toBeGreaterThan(2);
    expect(away.reduce((n, o) => n + o.findings.length, 0)).toBeGreaterThan(0);
    // The run found something, and some detectors said NOT_EVALUABLE (no merchant codes here).
    expect(alone.reduce((n, o) => n + o.findings.length, 0)).toBeGreaterThan(5);
    expect(alone.some((o) => o.status === "not-evaluable")).toBe(true);
    // Measures worked out on either thread are this thread's to carry.
    const [m1, m2] = [measuresOf(one), measuresOf(two)];
    expect(Object.keys(m2).sort()).toEqual(Object.keys(m1).sort());
    for (const name of Object.keys(m1)) expect(m2[name]).toEqual(m1[name]);
  }, 60_000);

  it("with one thread asked, or a graph under minEdges, everything runs on this thread", async () => {
    const g = buildMoneyGraph(columns);
    const data: DetectionData = { graph: g, available: new Set(DETECTION_FIELDS) };
    const cheap = DETECTORS.filter((d) => ["stack", "gather-scatter"].includes(d.id)) as Detector[];
    const alone = runDetectors(data, cheap, new Map());
    expect(
      without(await runDetectorsInParallel(data, cheap, new Map(), { threads: 1, minEdges: 0 })),
    ).toEqual(without(alone));
    expect(without(await runDetectorsInParallel(data, cheap, new Map(), { threads: 2 }))).toEqual(
      without(alone),
    );
  });
});
