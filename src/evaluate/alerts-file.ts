import { z } from "zod";
import { UnusableInputError } from "../ingest/errors.js";
import { Alert } from "../model/analysis.js";
import { forEachLine } from "./read-lines.js";

/**
 * The part of an alert record (DESIGN §4) that evaluation reads. Other fields may be absent: alerts
 * from another tool can be scored as long as they say what they accuse and on what evidence.
 */
export const AlertEvidence = Alert.pick({
  typology: true,
  subjects: true,
  transactions: true,
  sources: true,
});
export type AlertEvidence = z.infer<typeof AlertEvidence>;

/**
 * Reads alerts as JSON lines (`alerts --format jsonl`), one alert a line; blank lines are skipped.
 * A line that is not JSON or lacks the fields above raises UnusableInputError naming file and line.
 */
export async function readAlertsFile(path: string): Promise<AlertEvidence[]> {
  const alerts: AlertEvidence[] = [];
  await forEachLine(path, "alerts file", (text, line) => {
    if (text.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UnusableInputError(`alerts file ${path}:${line}: not JSON (${(error as Error).message})`);
    }
    const parsed = AlertEvidence.safeParse(json);
    if (!parsed.success) {
      throw new UnusableInputError(
        `alerts file ${path}:${line}: not an alert record: ${z.prettifyError(parsed.error).replaceAll("\n", " ")}`,
      );
    }
    alerts.push(parsed.data);
  });
  return alerts;
}
