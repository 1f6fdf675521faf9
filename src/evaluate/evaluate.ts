import { readFile } from "node:fs/promises";
import { UnusableInputError } from "../ingest/errors.js";
import { loadFxTable } from "../ingest/fx.js";
import type { LabelledTransaction } from "../store/store.js";
import { type AlertEvidence, readAlertsFile } from "./alerts-file.js";
import { isAmlsimAlertHeader, parseAmlsimAlertTransactions } from "./amlsim-alerts.js";
import { parseAmlworldPatterns } from "./amlworld-patterns.js";
import { type DetectionReport, type DetectionTruth, scoreDetection, worldTruth } from "./detection.js";
import { readEntitiesFile } from "./entities-file.js";
import { labelTruth, type PatternMatch } from "./label-truth.js";
import { type RecordEntity, type ResolutionReport, scoreResolution } from "./resolution.js";
import { readTruthDir } from "./truth-dir.js";

export interface EvaluateInput {
  /** The folder `generate --out` wrote, or its `truth/` folder. */
  truthDir?: string | undefined;
  /**
   * Instead of a world's truth: the source labels stored at ingest (`evaluate --labels`), and an
   * AMLworld patterns file that types them by attempt.
   */
  labels?: { transactions: readonly LabelledTransaction[]; patternsPath?: string | undefined } | undefined;
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

/** What the predictions were scored against: a generated world, or the data's own labels. */
export type TruthSummary =
  | { kind: "world"; dir: string; seed: number; days: number; start: string }
  | {
      kind: "labels";
      /** Files with labels, and their labelled transactions. */
      files: number;
      labelled: number;
      patterns: ({ file: string } & PatternMatch) | null;
    };

export interface Evaluation {
  truth: TruthSummary;
  detection: ({ available: true } & DetectionReport) | Unavailable;
  resolution: ({ available: true } & ResolutionReport) | Unavailable;
}

export const NO_ALERTS = "no alerts to score: run `moneytrail detect` on the world, or pass --alerts FILE";
export const NO_ENTITIES =
  "no entities to score: run `moneytrail resolve` on the world, or pass --entities FILE";
const NO_ENTITY_LABELS = "source labels name laundering transactions, not who is who";

/** The truth to score against, and how to describe it. */
async function truthOf(
  input: EvaluateInput,
): Promise<{ summary: TruthSummary; detection: DetectionTruth; parties?: RecordEntity[] }> {
  if (input.labels) {
    const path = input.labels.patternsPath;
    let blocks: ReturnType<typeof parseAmlworldPatterns> | undefined;
    if (path !== undefined) {
      const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
        throw new UnusableInputError(
          `--patterns ${path}: ${e.code === "ENOENT" ? "no such file" : e.message}`,
        );
      });
      const first =
        text
          .replace(/^\uFEFF/, "")
          .trimStart()
          .split(/\r?\n/, 1)[0] ?? "";
      if (first.startsWith("BEGIN LAUNDERING ATTEMPT")) {
        const { aliases } = loadFxTable();
        blocks = parseAmlworldPatterns(text, path, (c) => aliases.get(c.trim().toUpperCase()));
      } else if (isAmlsimAlertHeader(first)) blocks = parseAmlsimAlertTransactions(text, path);
      else
        throw new UnusableInputError(
          `--patterns ${path}: neither an AMLworld patterns file (BEGIN LAUNDERING ATTEMPT …) nor an AMLSim alert_transactions.csv (alert_id, alert_type, tran_id)`,
        );
    }
    const { truth, files, patterns } = labelTruth(input.labels.transactions, blocks);
    return {
      summary: {
        kind: "labels",
        files,
        labelled: input.labels.transactions.length,
        patterns: patterns && path !== undefined ? { file: path, ...patterns } : null,
      },
      detection: truth,
    };
  }
  if (input.truthDir === undefined) throw new UnusableInputError("evaluate: no truth to score against");
  const truth = await readTruthDir(input.truthDir);
  const { seed, days, start } = truth.manifest;
  return {
    summary: { kind: "world", dir: truth.dir, seed, days, start },
    detection: worldTruth(truth),
    parties: truth.parties,
  };
}

/** Reads the truth and the predictions given, and scores each stage that has predictions. */
export async function evaluate(input: EvaluateInput): Promise<Evaluation> {
  const truth = await truthOf(input);
  const alerts = input.alertsPath === undefined ? input.alerts : await readAlertsFile(input.alertsPath);
  const entities =
    input.entitiesPath === undefined ? input.entities : await readEntitiesFile(input.entitiesPath);
  return {
    truth: truth.summary,
    detection:
      alerts === undefined
        ? { available: false, reason: input.missing?.alerts ?? NO_ALERTS }
        : { available: true, ...scoreDetection(truth.detection, alerts) },
    resolution: !truth.parties
      ? { available: false, reason: NO_ENTITY_LABELS }
      : entities === undefined
        ? { available: false, reason: input.missing?.entities ?? NO_ENTITIES }
        : { available: true, ...scoreResolution(truth.parties, entities) },
  };
}
