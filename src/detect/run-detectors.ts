import type { z } from "zod";
import {
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
  /** Optional fields (`uses`) the data lacks: the detector ran without the rules that read them. */
  unused: DetectionField[];
  params: Record<string, unknown>;
  findings: Finding[];
  /** Wall seconds the detector ran (0 when it did not). */
  seconds: number;
}

/**
 * Runs each detector with its parameters (the pack's, over the detector's defaults, validated by
 * its schema). A detector whose fields are missing is reported NOT_EVALUABLE and not run.
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
    const started = performance.now();
    const findings = d.run(data, params as never);
    return { ...base, status: "ok", missing: [], findings, seconds: (performance.now() - started) / 1000 };
  });
}
