import { createHash } from "node:crypto";
import type { MoneyGraph } from "../graph/money-graph.js";
import type { Finding, Role } from "./detector.js";

/**
 * Findings become alert drafts: findings of one typology about the same primary account (the
 * first subject: the hub, the structurer) whose windows overlap are one alert, with the union of
 * their evidence. Several detectors agreeing raise the score (1 − Π(1 − s) over detectors);
 * one detector seeing more of the same does not.
 */

export interface AlertDraft {
  typology: string;
  primary: number;
  detectors: Set<string>;
  subjects: Map<number, Role>;
  edges: Set<number>;
  from: number;
  to: number;
  reasons: string[];
  params: Record<string, Record<string, unknown>>;
  sarActivities: Set<string>;
  /** Best score per detector. */
  scores: Map<string, number>;
  /**
   * The money the pattern moved, as its findings say (a cycle counts what went round once, not
   * once per hop): the largest of the merged findings'.
   */
  amountUsd: number;
}

export interface DetectorFindings {
  detector: string;
  params: Record<string, unknown>;
  findings: Finding[];
}

export function mergeFindings(results: readonly DetectorFindings[]): AlertDraft[] {
  const drafts: AlertDraft[] = [];
  const byKey = new Map<string, AlertDraft[]>();
  for (const { detector, params, findings } of results) {
    for (const f of findings) {
      const primary = f.subjects[0]?.account ?? -1;
      const key = `${f.typology}|${primary}`;
      const list = byKey.get(key) ?? [];
      byKey.set(key, list);
      let d = list.find((x) => x.from <= f.window.to && f.window.from <= x.to);
      if (!d) {
        d = {
          typology: f.typology,
          primary,
          detectors: new Set(),
          subjects: new Map(),
          edges: new Set(),
          from: f.window.from,
          to: f.window.to,
          reasons: [],
          params: {},
          sarActivities: new Set(),
          scores: new Map(),
          amountUsd: 0,
        };
        list.push(d);
        drafts.push(d);
      }
      d.detectors.add(detector);
      for (const s of f.subjects) if (!d.subjects.has(s.account)) d.subjects.set(s.account, s.role);
      for (const e of f.edges) d.edges.add(e);
      d.from = Math.min(d.from, f.window.from);
      d.to = Math.max(d.to, f.window.to);
      for (const r of f.reasons) if (!d.reasons.includes(r)) d.reasons.push(r);
      d.params[detector] = params;
      for (const a of f.sarActivities ?? []) d.sarActivities.add(a);
      d.scores.set(detector, Math.max(d.scores.get(detector) ?? 0, f.score));
      d.amountUsd = Math.max(d.amountUsd, f.amountUsd);
    }
  }
  return drafts;
}

/** Patterns whose legs are fans: a fan on their edges is part of them, not a lead of its own. */
const CONTAINERS = new Set(["scatter-gather", "gather-scatter"]);
const LEGS = new Set(["fan-in", "fan-out"]);

/**
 * Folds each fan draft whose edges lie (at least `share` of them) inside a scatter-gather or
 * gather-scatter draft that names the fan's hub, into that draft: its detector, score and reasons
 * become supporting evidence there. The source of a scatter-gather pays many in a burst, and that
 * is a fan-out, but the investigator needs one lead about the scheme, not two.
 */
export function absorbLegs(drafts: readonly AlertDraft[], share = 0.8): AlertDraft[] {
  const containers = drafts.filter((d) => CONTAINERS.has(d.typology));
  return drafts.filter((leg) => {
    if (!LEGS.has(leg.typology)) return true;
    const home = containers.find((c) => {
      if (!c.subjects.has(leg.primary)) return false;
      let inside = 0;
      for (const e of leg.edges) if (c.edges.has(e)) inside++;
      return inside >= share * leg.edges.size;
    });
    if (!home) return true;
    for (const [detector, score] of leg.scores)
      home.scores.set(detector, Math.max(home.scores.get(detector) ?? 0, score));
    for (const detector of leg.detectors) home.detectors.add(detector);
    for (const [detector, params] of Object.entries(leg.params)) home.params[detector] = params;
    for (const r of leg.reasons) if (!home.reasons.includes(r)) home.reasons.push(r);
    return false;
  });
}

export function draftScore(d: AlertDraft): number {
  let miss = 1;
  for (const s of d.scores.values()) miss *= 1 - s;
  return 1 - miss;
}

/** A new alert's id: from what makes it this alert (typology, primary account, first time). */
export function newAlertId(g: MoneyGraph, d: AlertDraft): string {
  const basis = `${d.typology}|${g.accounts[d.primary] ?? "cash"}|${new Date(d.from).toISOString()}`;
  return `alr_${createHash("sha256").update(basis).digest("hex").slice(0, 16)}`;
}
