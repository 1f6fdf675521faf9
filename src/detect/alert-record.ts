import type { AlertRecord } from "../model/analysis.js";

export type { AlertRecord };

/** A subject's account key or entity id. */
export function subjectName(s: AlertRecord["subjects"][number]): string {
  return "account" in s ? s.account : s.entity;
}

/** Severity from score: `high` from 0.8, `medium` from 0.5, else `low` (`critical` is an analyst's call). */
export function severityOf(score: number): AlertRecord["severity"] {
  return score >= 0.8 ? "high" : score >= 0.5 ? "medium" : "low";
}
