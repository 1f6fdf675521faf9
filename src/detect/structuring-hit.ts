import type { Subject } from "./detector.js";

/** The structuring heuristics of typologies.md §2 (S8 is a score feature only, not a rule). */
export type StructuringRule = "S1" | "S2" | "S3" | "S4" | "S5" | "S6" | "S7";

/**
 * What one structuring sub-rule saw: the detector turns it into a finding. `reasons` say which
 * sub-rule fired, with its numbers, and what the activity stands out from.
 */
export interface StructuringHit {
  rule: StructuringRule;
  subjects: Subject[];
  /** In time order. */
  edges: number[];
  total: number;
  reasons: string[];
  /** FinCEN SAR activity codes (typologies.md §5): 114 below the CTR threshold, 113 below recordkeeping. */
  sarActivities: string[];
  score: number;
}

/** A score in [0, 1]: `base`, plus `step` for each unit of `extra`, at most 1. */
export function scoreOf(base: number, step: number, extra: number): number {
  return Math.min(1, Math.max(0, base + step * extra));
}
