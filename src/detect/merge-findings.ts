import type { MoneyGraph } from "../graph/money-graph.js";
import { shortDigest } from "../util/short-digest.js";
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

/**
 * Patterns made of smaller ones, in the order they are folded, and what share of a leg's
 * transactions must lie inside its container: a fan on the edges of a scatter-gather,
 * gather-scatter, bipartite layer or stack is part of it, and so is a bipartite layer on the edges
 * of a stack (fans fold first, so that a fan inside a layer inside a stack ends up in the stack).
 * A fan on a funnel account's or a relay's edges (the collectors a funnel wires its deposits to)
 * is the way that account moves the money, and the funnel or relay is the lead; a relay inside a
 * layering motif is one of its intermediaries.
 * Structured cash deposits are often the way into a larger scheme another detector reports (a
 * funnel account, cash turned into wires abroad, a trafficking controller's collections): when
 * most of them (half) lie inside it, they are evidence of that scheme, and the scheme's alert
 * carries the structuring reasons and SAR codes.
 */
interface Fold {
  legs: ReadonlySet<string>;
  containers: ReadonlySet<string>;
  share: number;
  /** A further condition on the pair, where two readings of the same money compete. */
  when?: (leg: AlertDraft, container: AlertDraft) => boolean;
}

const FOLDS: readonly Fold[] = [
  {
    legs: new Set(["fan-in", "fan-out"]),
    containers: new Set(["scatter-gather", "gather-scatter", "bipartite", "stack"]),
    share: 0.8,
  },
  { legs: new Set(["bipartite"]), containers: new Set(["stack"]), share: 0.8 },
  {
    legs: new Set(["fan-in", "fan-out"]),
    containers: new Set(["funnel-account", "pass-through"]),
    share: 0.8,
  },
  // An intermediary of a layering motif passes money on quickly, and that is a pass-through: when
  // half its relays' payments are the motif's, the motif (a chain, a cycle, a two-phase motif, a
  // stack) is the lead and the relay its evidence. A motif smaller than the relay explains only a
  // part of it, and the relay stays the lead.
  {
    legs: new Set(["pass-through"]),
    containers: new Set(["random", "cycle", "scatter-gather", "gather-scatter", "stack"]),
    share: 0.5,
    when: (leg, container) => container.edges.size >= leg.edges.size,
  },
  // Many small transfers from several places to one account (HS23-1's behaviour, the border
  // itself only ever raising severity) whose payers were themselves paid by one source (a
  // scatter-gather's intermediaries) or that a gather-scatter's hub passes on are that motif:
  // it explains where the money came from or went. Half suffices: the rest (a few one-off
  // payers beside it) would not make a funnel of their own.
  {
    legs: new Set(["hs-border-funnel"]),
    containers: new Set(["scatter-gather", "gather-scatter"]),
    share: 0.5,
  },
  // A fan-in and a border funnel on the same account read the same money: the one that explains
  // more of it is the lead, the other its evidence. Alike sums from several places (a fan-in
  // at least as large) are the fan; a fan of alike sums that is a part of a larger funnel of
  // small transfers from many places is that funnel.
  {
    legs: new Set(["hs-border-funnel"]),
    containers: new Set(["fan-in"]),
    share: 0.8,
    when: (leg, container) => container.edges.size >= leg.edges.size,
  },
  {
    legs: new Set(["fan-in"]),
    containers: new Set(["hs-border-funnel"]),
    share: 0.8,
    when: (leg, container) => container.edges.size > leg.edges.size,
  },
  {
    legs: new Set(["structuring"]),
    containers: new Set(["funnel-account", "hs-cash-to-wire", "ht-controller"]),
    share: 0.5,
  },
];

/**
 * Whether findings of typologies `a` and `b` can be folded one into the other (either way): a run
 * that looks at every payment for one of them must for the other too (`detect.ts`).
 */
export function foldTogether(a: string, b: string): boolean {
  return FOLDS.some((f) => (f.legs.has(a) && f.containers.has(b)) || (f.legs.has(b) && f.containers.has(a)));
}

/**
 * Folds each leg draft (a fan, a bipartite layer, structured deposits) whose edges lie (at least
 * its fold's share of them) inside a container draft that names the leg's primary account, into
 * that draft: its detector, score, reasons and SAR codes become supporting evidence there. The
 * source of a scatter-gather pays many in a burst, and that is a fan-out, but the investigator
 * needs one lead about the scheme, not two.
 */
export function absorbLegs(drafts: readonly AlertDraft[]): AlertDraft[] {
  let kept = [...drafts];
  for (const fold of FOLDS) {
    const containers = kept.filter((d) => fold.containers.has(d.typology));
    kept = kept.filter((leg) => {
      if (!fold.legs.has(leg.typology)) return true;
      const home = containers.find((c) => {
        if (!c.subjects.has(leg.primary) || (fold.when && !fold.when(leg, c))) return false;
        let inside = 0;
        for (const e of leg.edges) if (c.edges.has(e)) inside++;
        return inside >= fold.share * leg.edges.size;
      });
      if (!home) return true;
      for (const [detector, score] of leg.scores)
        home.scores.set(detector, Math.max(home.scores.get(detector) ?? 0, score));
      for (const detector of leg.detectors) home.detectors.add(detector);
      for (const [detector, params] of Object.entries(leg.params)) home.params[detector] = params;
      for (const r of leg.reasons) if (!home.reasons.includes(r)) home.reasons.push(r);
      for (const a of leg.sarActivities) home.sarActivities.add(a);
      return false;
    });
  }
  return kept;
}

export function draftScore(d: AlertDraft): number {
  let miss = 1;
  for (const s of d.scores.values()) miss *= 1 - s;
  return 1 - miss;
}

/** A new alert's id: from what makes it this alert (typology, primary account, first time). */
export function newAlertId(g: MoneyGraph, d: AlertDraft): string {
  const basis = `${d.typology}|${g.accounts[d.primary] ?? "cash"}|${new Date(d.from).toISOString()}`;
  return `alr_${shortDigest(basis)}`;
}
