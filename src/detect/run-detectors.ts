import type { z } from "zod";
import {
  DAY_MS,
  type DetectionData,
  type DetectionField,
  type Detector,
  detectorRef,
  type Finding,
} from "./detector.js";

/** One detector's run: its findings, or why it could not run. */
export interface DetectorOutcome {
  detector: string;
  typology: string;
  status: "ok" | "not-evaluable";
  /** Fields it needs that the data lacks (NOT_EVALUABLE). */
  missing: DetectionField[];
  /** Why it is NOT_EVALUABLE when no field is missing (the data spans too few days). */
  reason?: string;
  /** Optional fields (`uses`) the data lacks: the detector ran without the rules that read them. */
  unused: DetectionField[];
  params: Record<string, unknown>;
  findings: Finding[];
  /** Wall seconds the detector ran (0 when it did not). */
  seconds: number;
  /** Set when it ran on a worker thread (`parallel-detectors.ts`). */
  thread?: "worker";
}

/** Days from the first transaction to the last (edges are in time order). */
function dataDays(data: DetectionData): number {
  const g = data.graph;
  return g.edgeCount === 0 ? 0 : ((g.time[g.edgeCount - 1] as number) - (g.time[0] as number)) / DAY_MS;
}

/** A detector's parameters: the pack's over its defaults, checked by its schema. */
export function paramsOf(d: Detector, paramsById: ReadonlyMap<string, Record<string, unknown>>) {
  return (d.params as z.ZodObject).parse(paramsById.get(d.id) ?? {}) as Record<string, unknown>;
}

/** Why a detector will not run on this data (fields missing, too few days), or null. */
function unrunnable(d: Detector, data: DetectionData, params: Record<string, unknown>) {
  const missing = d.needs.filter((f) => !data.available.has(f));
  if (missing.length > 0) return { missing };
  const days = d.minDays?.(params as never) ?? 0;
  const spans = dataDays(data);
  if (spans < days)
    return {
      missing: [],
      reason: `the data spans ${spans.toFixed(1)} days; the rule needs at least ${days} with these parameters`,
    };
  return null;
}

/** The detectors of a run that will run, with their parameters (`DetectionData.peers`). */
export function runnablePeers(
  data: DetectionData,
  detectors: readonly Detector[],
  paramsById: ReadonlyMap<string, Record<string, unknown>>,
): Map<string, Record<string, unknown>> {
  const peers = new Map<string, Record<string, unknown>>();
  for (const d of detectors) {
    const params = paramsOf(d, paramsById);
    if (!unrunnable(d, data, params)) peers.set(d.id, params);
  }
  return peers;
}

/**
 * Runs each detector with its parameters (the pack's, over the detector's defaults, validated by
 * its schema). A detector whose fields are missing, or that needs more days than the data spans
 * (`minDays`), is reported NOT_EVALUABLE and not run.
 */
export function runDetectors(
  data: DetectionData,
  detectors: readonly Detector[],
  paramsById: ReadonlyMap<string, Record<string, unknown>> = new Map(),
): DetectorOutcome[] {
  // Detectors run together know of each other, unless the caller said who runs.
  const withPeers = data.peers ? data : { ...data, peers: runnablePeers(data, detectors, paramsById) };
  return detectors.map((d) => {
    const params = paramsOf(d, paramsById);
    const unused = (d.uses ?? []).filter((f) => !data.available.has(f));
    const base = { detector: detectorRef(d), typology: d.typology, params, unused };
    const not = unrunnable(d, data, params);
    if (not) return { ...base, status: "not-evaluable", ...not, findings: [], seconds: 0 };
    const started = performance.now();
    const findings = d.run(withPeers, params as never);
    return { ...base, status: "ok", missing: [], findings, seconds: (performance.now() - started) / 1000 };
  });
}
