import type { z } from "zod";
import type { MoneyGraph } from "../graph/money-graph.js";
import type { SubjectRole } from "../model/analysis.js";
import type { Focus } from "./focus.js";
import type { ReferenceListName, ReferenceLists } from "./reference-lists.js";
import type { TransactionDetails } from "./transaction-details.js";

/**
 * The detector contract (DESIGN §5), in the manner of an ESLint rule: a declaration (id, version,
 * typology, what it is based on, its parameters with defaults, the fields it reads) and a pure
 * function from the data to findings. A detector whose fields the data lacks is NOT_EVALUABLE:
 * the runner reports it and never runs it, so "nothing found" always means "looked and found
 * nothing".
 */

/** Transaction fields a detector may need; `available` says which the workspace's data has. */
export const DETECTION_FIELDS = [
  "ts",
  "amount_usd",
  "channel",
  "from_account",
  "to_account",
  "mcc",
  "merchant",
  "city",
  "country",
  "counterparty_country",
  "branch",
  "conductor",
] as const;
export type DetectionField = (typeof DETECTION_FIELDS)[number];

/** What every detector is handed. */
export interface DetectionData {
  /** Every transaction as a graph edge, in time order; cash has account -1. */
  graph: MoneyGraph;
  /** Fields that at least one transaction has. */
  available: ReadonlySet<DetectionField>;
  /** The transactions' optional details per edge, loaded when a detector to run reads them. */
  details?: TransactionDetails;
  /**
   * On an incremental run, where the new transactions are (`focus.ts`): a detector may examine
   * only the candidates near them. Absent on a full run.
   */
  focus?: Focus;
  /**
   * The detectors that run in this run (their fields present, the data long enough), by id, with
   * the parameters they run with: for a detector that leaves a case to another (`reads`). Absent
   * when a detector is run on its own (tests): it then takes the other's defaults.
   */
  peers?: ReadonlyMap<string, Record<string, unknown>>;
  /**
   * The reference lists as this run read them, once (`readReferenceLists`): those whose digests
   * its run keys hold. Absent when a detector is run on its own (tests): `listsOf` reads them.
   */
  lists?: ReferenceLists;
}

/** Roles of the alert-record contract (DESIGN §4). */
export type Role = SubjectRole;

export interface Subject {
  account: number;
  role: Role;
}

/** What one detector saw (DESIGN §2 Finding); edges are graph edge indices, times ms. */
export interface Finding {
  typology: string;
  subjects: Subject[];
  edges: number[];
  window: { from: number; to: number };
  amountUsd: number;
  /** In words, with the numbers that made it fire. */
  reasons: string[];
  /** In [0, 1]: how strongly the pattern shows. */
  score: number;
  /** FinCEN SAR activity codes the finding supports (e.g. 114 structuring below the CTR threshold). */
  sarActivities?: string[];
}

export interface Detector<P extends z.ZodObject = z.ZodObject> {
  id: string;
  version: number;
  typology: string;
  title: string;
  /** The advisory, regulation or data set the rule comes from. */
  basis: string;
  params: P;
  needs: readonly DetectionField[];
  /**
   * Fields that enable more of the detector's rules when the data has them (structuring's
   * branches and conductors): without them it still runs, and the runner reports which rules
   * it had to leave out, so that a partial look is never taken for a full one.
   */
  uses?: readonly DetectionField[];
  /**
   * The fewest days the data must span for the rule to be able to fire with these parameters
   * (a weekly cadence of four payments spans three weeks). On shorter data the detector is
   * NOT_EVALUABLE, with the reason: what is missing is time, not a field, and "nothing found"
   * would say the data was looked at for something it cannot hold.
   */
  minDays?(params: z.infer<P>): number;
  /**
   * Detectors whose cases this one leaves to them, when they run (`DetectionData.peers`): their
   * parameters change its findings, so an incremental run goes by them too.
   */
  reads?: readonly string[];
  /**
   * The reference lists it consults (`reference-lists.ts`): an edit to one changes what it finds
   * in old data too, so an incremental run goes by their contents (`runKey`).
   */
  lists?: readonly ReferenceListName[];
  /**
   * Whether it reads what party records add to the details (holders' home cities, conductors'
   * accounts): records ingested later change what it finds in old data, so an incremental run goes
   * by how many are stored (`runKey`).
   */
  partyRecords?: boolean;
  run(data: DetectionData, params: z.infer<P>): Finding[];
}

export function defineDetector<P extends z.ZodObject>(detector: Detector<P>): Detector<P> {
  return detector;
}

/** `id@version`, as alerts name their detectors. */
export function detectorRef(d: Pick<Detector, "id" | "version">): string {
  return `${d.id}@${d.version}`;
}

/** The detector id of a `detectorRef`. */
export function detectorIdOf(ref: string): string {
  return ref.split("@")[0] as string;
}

export const DAY_MS = 86_400_000;

/**
 * The fewest of `n` that make a `share` of them, counted exactly rather than as a float product:
 * 0.8 × 3 × 5 is 12.000000000000002, which would ask 13 of 15 pairs for a density of 0.8.
 */
export function atLeast(share: number, n: number): number {
  return Math.ceil(share * n - 1e-9);
}
