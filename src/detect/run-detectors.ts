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
  return detectors.map((d) => {
    const params = (d.params as z.ZodObject).parse(paramsById.get(d.id) ?? {}) as Record<string, unknown>;
    const missing = d.needs.filter((f) => !data.available.has(f));
    const unused = (d.uses ?? []).filter((f) => !data.available.has(f));
    const base = { detector: detectorRef(d), typology: d.typology, params, unused };
    if (missing.length > 0) return { ...base, status: "not-evaluable", missing, findings: [], seconds: 0 };
    const days = d.minDays?.(params as never) ?? 0;
    const spans = dataDays(data);
    if (spans < days) {
      const reason = `the data spans ${spans.toFixed(1)} days; the rule needs at least ${days} with these parameters`;
      return { ...base, status: "not-evaluable", missing: [], reason, findings: [], seconds: 0 };
    }
    const started = performance.now();
    const findings = d.run(data, params as never);
    return { ...base, status: "ok", missing: [], findings, seconds: (performance.now() - started) / 1000 };
  });
}
