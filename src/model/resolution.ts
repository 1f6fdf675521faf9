import { z } from "zod";
import { EntityId, PartyId } from "./ids.js";

/**
 * What entity resolution keeps between runs (DESIGN §2 Entity, extended in docs/resolve.md):
 * entities with stable ids, which party belongs to which, the scored candidate links, the
 * history of merges and splits, and one row per run with the model it used.
 */

/**
 * A scored candidate pair. `accepted`: the link joined its two parties (or they were already
 * together); `rejected`: the model scored it above the threshold but clustering refused it (a
 * forbid override, or the merged entity would not hang together); `possible`: scored between the
 * review floor and the threshold, a near miss for an analyst to look at.
 */
export const LinkStatus = z.enum(["accepted", "rejected", "possible"]);
export type LinkStatus = z.infer<typeof LinkStatus>;

export const EntityLink = z.object({
  party_a: PartyId,
  party_b: PartyId,
  /** Match weight in bits (log2 of the Bayes factor plus the prior). */
  weight: z.number(),
  probability: z.number().min(0).max(1),
  status: LinkStatus,
  /** Why a link was rejected, or which override decided it. */
  note: z.string().nullable(),
});
export type EntityLink = z.infer<typeof EntityLink>;

export const EntityKind = z.enum(["person", "organisation", "unknown"]);

/** An entity as stored: its members are the parties whose entity_members row names it. */
export const EntityRecord = z.object({
  id: EntityId,
  kind: EntityKind,
  display_name: z.string(),
  members: z.number().int(),
  /** The run that first gave out this id, and the last run that changed its membership. */
  created_run: z.number().int(),
  updated_run: z.number().int(),
});
export type EntityRecord = z.infer<typeof EntityRecord>;

export const ResolutionEventKind = z.enum(["created", "merged", "split", "retired"]);
export type ResolutionEventKind = z.infer<typeof ResolutionEventKind>;

/**
 * A change of membership: `merged` names the surviving entity and, in `related`, the ids it
 * absorbed; `split` names the entity that kept its id and the new ids of its other parts;
 * `retired` an id no entity carries any more; `created` a new id.
 */
export const ResolutionEvent = z.object({
  run: z.number().int(),
  seq: z.number().int(),
  kind: ResolutionEventKind,
  entity_id: EntityId,
  related: z.array(z.string()),
  members: z.number().int(),
});
export type ResolutionEvent = z.infer<typeof ResolutionEvent>;

export const ResolutionMode = z.enum(["full", "incremental"]);

export const ResolutionRun = z.object({
  run: z.number().int(),
  mode: ResolutionMode,
  started_at: z.iso.datetime(),
  parties: z.number().int(),
  new_parties: z.number().int(),
  candidate_pairs: z.number().int(),
  entities: z.number().int(),
  /** The Fellegi–Sunter models (JSON) the run scored with: an incremental run reuses them. */
  model: z.string(),
  /** Figures of the run (JSON): blocking per rule, EM iterations, timings. */
  stats: z.string(),
});
export type ResolutionRun = z.infer<typeof ResolutionRun>;

/** An account and an entity among its holders (the store's view `account_entities`). */
export interface AccountEntity {
  account: string;
  entity_id: string;
}

/** One row of `entities --format csv`: DESIGN §4's contract `source,record_id,entity_id`. */
export interface PartyEntityRow {
  source: string;
  record_id: string;
  entity_id: string;
}
