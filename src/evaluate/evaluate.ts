import { type AlertEvidence, readAlertsFile } from "./alerts-file.js";
import { type DetectionReport, scoreDetection } from "./detection.js";
import { readEntitiesFile } from "./entities-file.js";
import { type RecordEntity, type ResolutionReport, scoreResolution } from "./resolution.js";
import { readTruthDir } from "./truth-dir.js";

export interface EvaluateInput {
  /** The folder `generate --out` wrote, or its `truth/` folder. */
  truthDir: string;
  /** Alerts as JSON lines; without it detection is reported as not available. */
  alertsPath?: string | undefined;
  /** Entities as `source,record_id,entity_id` CSV; without it resolution is reported as not available. */
  entitiesPath?: string | undefined;
  /** Alerts already read (the workspace's), used when no `alertsPath` is given. */
  alerts?: readonly AlertEvidence[] | undefined;
  /** Entities already read (the workspace's), used when no `entitiesPath` is given. */
  entities?: readonly RecordEntity[] | undefined;
  /** Why there are no alerts or entities to score, when neither a file nor a list is given. */
  missing?: { alerts?: string; entities?: string };
}

/** A stage that cannot be scored, and why: said plainly, never filled with made-up numbers. */
export interface Unavailable {
  available: false;
  reason: string;
}

export interface Evaluation {
  truth: { dir: string; seed: number; days: number; start: string };
  detection: ({ available: true } & DetectionReport) | Unavailable;
  resolution: ({ available: true } & ResolutionReport) | Unavailable;
}

export const NO_ALERTS = "no alerts to score: run `moneytrail detect` on the world, or pass --alerts FILE";
export const NO_ENTITIES =
  "no entities to score: run `moneytrail resolve` on the world, or pass --entities FILE";

/** Reads the truth and the predictions given, and scores each stage that has predictions. */
export async function evaluate(input: EvaluateInput): Promise<Evaluation> {
  const truth = await readTruthDir(input.truthDir);
  const alerts = input.alertsPath === undefined ? input.alerts : await readAlertsFile(input.alertsPath);
  const entities =
    input.entitiesPath === undefined ? input.entities : await readEntitiesFile(input.entitiesPath);
  const { seed, days, start } = truth.manifest;
  return {
    truth: { dir: truth.dir, seed, days, start },
    detection:
      alerts === undefined
        ? { available: false, reason: input.missing?.alerts ?? NO_ALERTS }
        : { available: true, ...scoreDetection(truth, alerts) },
    resolution:
      entities === undefined
        ? { available: false, reason: input.missing?.entities ?? NO_ENTITIES }
        : { available: true, ...scoreResolution(truth.parties, entities) },
  };
}
