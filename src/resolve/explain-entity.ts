import type { Party } from "../model/party.js";
import type { EntityLink, EntityRecord, ResolutionEvent, ResolutionRun } from "../model/resolution.js";
import { explainPair, formatExplanation, type PairExplanation } from "./fellegi-sunter.js";
import { normaliseParty } from "./normalise/party.js";
import type { NormalisedRecord } from "./normalised-record.js";
import type { Override } from "./overrides.js";
import { DEFAULT_RESOLVE_PARAMS, type Models, pairKind } from "./resolve-parties.js";
import { storedModelsOf } from "./stored-models.js";

/**
 * Why an entity holds the records it holds (`moneytrail entity explain`), as one pure function
 * over what the store keeps: its members, the scored links touching them, the last run's model,
 * the analysts' overrides and the entity's events. Link explanations are recomputed from the
 * stored model and the records (they are not stored per link), so they are exactly what the
 * model weighed when it scored the pair.
 */

/** How a party is named on the command line: `source:record_id`, as `entities` prints it. */
export function partyRef(p: Pick<Party, "id" | "source_name" | "source_record_id">): string {
  return `${p.source_name}:${p.source_record_id ?? p.id}`;
}

export interface ExplainedMember {
  party: string;
  ref: string;
  source: string;
  record_id: string;
  kind: Party["kind"];
  name: string | null;
  birth_date: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  identifiers: Record<string, string>;
  account: string | null;
}

export interface ExplainedField {
  comparison: string;
  field: string;
  level: number;
  /** The level in words ("exact", "one edit apart", "day and month swapped"). */
  label: string;
  /** Bits this field adds; null where its level rules a match out whatever else agrees. */
  weight: number | null;
  /** The agreed value and its frequency, when a common value weighed less than a rare one. */
  tf?: { value: string; frequency: number };
}

export interface LinkExplanation {
  prior: number;
  /** The fields compared (missing ones left out), in the model's order. */
  fields: ExplainedField[];
  weight: number | null;
  probability: number;
  /** The same in one line: "surname exact (+8.1), phone differs (−3.5)". */
  summary: string;
}

export interface ExplainedLink {
  a: string;
  b: string;
  /** Scored by the model and `accepted`, `rejected` or `possible`; `confirmed`: joined by an override alone. */
  status: EntityLink["status"] | "confirmed";
  weight: number | null;
  probability: number;
  /** Why a link was refused, as clustering recorded it. */
  note: string | null;
  /** The override that joined (confirm) or kept apart (forbid, split) the pair. */
  override: string | null;
  /** For a link to a record outside the entity: the entity that record belongs to. */
  other_entity?: string | null;
  /** Null when the stored model cannot score the pair (no run, a model of another version, a record not at hand). */
  explanation: LinkExplanation | null;
}

export interface ExplainedOverride {
  id: string;
  kind: Override["kind"];
  analyst: string;
  reason: string;
  at: string;
  records: string[];
  rest?: string[];
  /** `in effect`, `pending` (made after the last run), or `overruled` with why. */
  effect: string;
}

export interface ExplainedEvent {
  run: number;
  at: string | null;
  mode: string | null;
  kind: ResolutionEvent["kind"];
  entity_id: string;
  related: string[];
  members: number;
}

export interface EntityExplanation {
  entity: EntityRecord;
  members: ExplainedMember[];
  /** Links between two members: the reasons the entity holds together. */
  links: ExplainedLink[];
  /** Links from a member to a record of another entity (refused, or near misses under the threshold). */
  outside: ExplainedLink[];
  overrides: ExplainedOverride[];
  events: ExplainedEvent[];
}

export interface ExplainInput {
  entity: EntityRecord;
  /** The entity's member parties. */
  members: readonly Party[];
  /** Stored links with at least one member. */
  links: readonly EntityLink[];
  /** Parties of other entities that outside links or overrides name (by id): for their refs and explanations. */
  others: ReadonlyMap<string, Party>;
  /** Party id → entity id, for (at least) the members and the parties of `others`. */
  membership: ReadonlyMap<string, string>;
  lastRun: ResolutionRun | null;
  overrides: readonly Override[];
  events: readonly ResolutionEvent[];
  runs: readonly { run: number; mode: string; started_at: string }[];
}

/** The last run's models and phone region, or null when it has none this version can read. */
export function storedModels(run: ResolutionRun | null): { models: Models; defaultRegion: string } | null {
  if (!run) return null;
  // A model for other comparisons than this version's would explain with levels that now mean
  // something else: none, as with no model.
  const models = storedModelsOf(run.model);
  if (models === null || models === "unreadable" || models === "stale") return null;
  const stats = JSON.parse(run.stats) as { params?: { defaultRegion?: string } };
  return {
    models,
    defaultRegion: stats.params?.defaultRegion ?? DEFAULT_RESOLVE_PARAMS.defaultRegion,
  };
}

const finite = (w: number): number | null => (Number.isFinite(w) ? w : null);

function explanation(e: PairExplanation, summary: string): LinkExplanation {
  return {
    prior: e.prior,
    fields: e.comparisons
      .filter((c) => c.level !== 0)
      .map((c) => ({
        comparison: c.comparison,
        field: c.title,
        level: c.level,
        label: c.label,
        weight: finite(c.weight),
        ...(c.tf ? { tf: c.tf } : {}),
      })),
    weight: finite(e.weight),
    probability: e.probability,
    summary,
  };
}

function member(p: Party): ExplainedMember {
  const identifiers: Record<string, string> = {};
  if (p.national_id) identifiers.national_id = p.national_id;
  if (p.tax_id) identifiers.tax_id = p.tax_id;
  if (p.passport) identifiers.passport = p.passport;
  const name = p.name ?? ([p.given_name, p.middle_name, p.surname].filter(Boolean).join(" ") || null);
  const address = [p.address, [p.city, p.region, p.postcode].filter(Boolean).join(" "), p.country]
    .filter(Boolean)
    .join(", ");
  return {
    party: p.id,
    ref: partyRef(p),
    source: p.source_name,
    record_id: p.source_record_id ?? p.id,
    kind: p.kind,
    name,
    birth_date: p.birth_date ?? p.birth_date_raw,
    address: address === "" ? null : address,
    phone: p.phone,
    email: p.email,
    identifiers,
    account: p.account,
  };
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\t${b}` : `${b}\t${a}`);

/** What an override does to this entity now, in words. */
function effectOf(
  o: Override,
  inEntity: (p: string) => boolean,
  entityOf: (p: string) => string | undefined,
  lastRun: ResolutionRun | null,
): string {
  if (!lastRun || Date.parse(o.at) > Date.parse(lastRun.started_at))
    return "pending: made after the last run, it takes effect on the next `moneytrail resolve`";
  const missing = o.records.filter((p) => entityOf(p) === undefined);
  if (o.kind !== "split" && missing.length > 0)
    return `not applied: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} in no entity (ingested since the last run, or gone)`;
  switch (o.kind) {
    case "confirm": {
      const [a, b] = o.records;
      return entityOf(a) === entityOf(b)
        ? "in effect: the two records are one entity"
        : `overruled: ${a} is in ${entityOf(a)}, ${b} in ${entityOf(b)} (a later override keeps them apart)`;
    }
    case "forbid": {
      const [a, b] = o.records;
      return entityOf(a) === entityOf(b)
        ? "overruled: the two records are one entity (later confirms join them)"
        : "in effect: the two records are kept apart";
    }
    case "split": {
      const together = o.records.filter(inEntity).length > 0 && (o.rest ?? []).filter(inEntity).length > 0;
      return together
        ? "overruled: records of both sides are in this entity (later confirms join them)"
        : "in effect: the records split off are apart from the rest";
    }
    default: {
      const never: never = o;
      return String(never);
    }
  }
}

/** Orders links by their two refs, so that output is stable. */
function byRefs(x: ExplainedLink, y: ExplainedLink): number {
  return x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0;
}

export function explainEntity(input: ExplainInput): EntityExplanation {
  const memberIds = new Set<string>(input.members.map((p) => p.id));
  const byId = new Map<string, Party>([
    ...input.others,
    ...input.members.map((p): [string, Party] => [p.id, p]),
  ]);
  const refOf = (id: string): string => {
    const p = byId.get(id);
    return p ? partyRef(p) : id;
  };
  const stored = storedModels(input.lastRun);
  const records = new Map<string, NormalisedRecord>();
  const recordOf = (id: string): NormalisedRecord | null => {
    if (!stored) return null;
    const known = records.get(id);
    if (known) return known;
    const p = byId.get(id);
    if (!p) return null;
    const r = normaliseParty(p, { defaultRegion: stored.defaultRegion });
    records.set(id, r);
    return r;
  };
  const explainIds = (a: string, b: string): LinkExplanation | null => {
    const x = recordOf(a);
    const y = recordOf(b);
    if (!stored || !x || !y) return null;
    let e: PairExplanation;
    try {
      e = explainPair(stored.models[pairKind(x, y)], x, y);
    } catch {
      // A model stored by another version, whose levels this one's comparisons no longer have:
      // the next `resolve` re-estimates it; until then there is nothing true to say field by field.
      return null;
    }
    return explanation(e, formatExplanation(e));
  };

  // Overrides that name a member; confirms by pair, for the links they made.
  const relevant = input.overrides.filter((o) =>
    [...o.records, ...(o.kind === "split" ? (o.rest ?? []) : [])].some((r) => memberIds.has(r)),
  );
  const confirmOf = new Map<string, string>();
  for (const o of relevant)
    if (o.kind === "confirm") confirmOf.set(pairKey(o.records[0], o.records[1]), o.id);

  const links: ExplainedLink[] = [];
  const outside: ExplainedLink[] = [];
  const seen = new Set<string>();
  for (const l of input.links) {
    const inA = memberIds.has(l.party_a);
    const inB = memberIds.has(l.party_b);
    if (!inA && !inB) continue;
    const key = pairKey(l.party_a, l.party_b);
    seen.add(key);
    const kept = /override (\S+)/.exec(l.note ?? "")?.[1] ?? null;
    const base = {
      weight: l.weight,
      probability: l.probability,
      note: l.note,
      override: confirmOf.get(key) ?? kept,
    };
    if (inA && inB) {
      links.push({
        a: refOf(l.party_a),
        b: refOf(l.party_b),
        status: l.status,
        ...base,
        explanation: explainIds(l.party_a, l.party_b),
      });
    } else {
      // The member first, then the record of the other entity.
      const [m, o] = inA ? [l.party_a, l.party_b] : [l.party_b, l.party_a];
      outside.push({
        a: refOf(m),
        b: refOf(o),
        status: l.status,
        ...base,
        other_entity: input.membership.get(o) ?? null,
        explanation: explainIds(m, o),
      });
    }
  }
  // Pairs an analyst confirmed that the model never scored as candidates: joined by the override alone.
  for (const o of relevant) {
    if (o.kind !== "confirm") continue;
    const [a, b] = o.records;
    if (!memberIds.has(a) || !memberIds.has(b) || seen.has(pairKey(a, b))) continue;
    const e = explainIds(a, b);
    const [lo, hi] = a < b ? [a, b] : [b, a];
    links.push({
      a: refOf(lo),
      b: refOf(hi),
      status: "confirmed",
      weight: e?.weight ?? null,
      probability: e?.probability ?? 0,
      note: null,
      override: o.id,
      explanation: e,
    });
  }

  const runAt = new Map(input.runs.map((r) => [r.run, r]));
  return {
    entity: input.entity,
    members: input.members.map(member),
    links: links.sort(byRefs),
    outside: outside.sort(byRefs),
    overrides: relevant.map((o) => ({
      id: o.id,
      kind: o.kind,
      analyst: o.analyst,
      reason: o.reason,
      at: o.at,
      records: o.records.map(refOf),
      ...(o.kind === "split" && o.rest ? { rest: o.rest.map(refOf) } : {}),
      effect: effectOf(
        o,
        (p) => memberIds.has(p),
        (p) => input.membership.get(p),
        input.lastRun,
      ),
    })),
    events: input.events.map((e) => ({
      run: e.run,
      at: runAt.get(e.run)?.started_at ?? null,
      mode: runAt.get(e.run)?.mode ?? null,
      kind: e.kind,
      entity_id: e.entity_id,
      related: e.related,
      members: e.members,
    })),
  };
}
