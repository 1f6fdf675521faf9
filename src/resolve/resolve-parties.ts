import type { Party } from "../model/party.js";
import type { EntityLink, EntityRecord, ResolutionEvent } from "../model/resolution.js";
import {
  BLOCKING_RULES,
  candidatePairs,
  DEFAULT_MAX_BLOCK_SIZE,
  isCandidate,
  type RecordKeys,
  type RuleReport,
} from "./blocking.js";
import {
  type ClusterInput,
  clusterRecords,
  componentLeast,
  componentsTouching,
  restrictTo,
} from "./cluster.js";
import { compareAll } from "./comparison-vectors.js";
import { type ComparisonKind, type ComparisonSet, comparisonSet } from "./comparisons.js";
import { displayName, entityKind } from "./entity-summary.js";
import {
  type FellegiSunterModel,
  matchProbability,
  matchWeight,
  modelComparisonSet,
  recordTermFrequencies,
  scorePairs,
} from "./fellegi-sunter.js";
import { normaliseParty } from "./normalise/party.js";
import type { NormalisedRecord } from "./normalised-record.js";
import { constraintsFrom, type Override, type OverrideConflict, type OverrideGap } from "./overrides.js";
import { inheritIds } from "./stable-ids.js";
import { type TrainingReport, trainModel } from "./train-model.js";

/**
 * Entity resolution from parties to entities, as one pure function: normalise every party,
 * block, compare the candidate pairs field by field, weigh them with a Fellegi–Sunter model
 * (trained here on a full run, reused on an incremental one), cluster the links with the
 * analyst's overrides as constraints, and hand out stable ids. The caller reads and writes the
 * store (run-resolution.ts).
 *
 * Incremental runs compare only pairs with a new party, add those links to the stored ones, and
 * re-cluster only the connected components that hold a new party (or one an override names
 * since the last run). Clustering is a function of each component alone and records are in id
 * order in both runs, so with the same model an incremental run gives the partition a full run
 * gives.
 *
 * An incremental run need not be given every party: the new ones and their neighbourhood do
 * (`capped` then says which blocks are over the cap among all parties). The neighbourhood is
 * every party that shares an uncapped block with a new one, both ends of every stored link that
 * a newly capped block may drop, every party an override names, and all the parties of the
 * components (links at or above the threshold, must-links) of those: `previous` is then cut to
 * these parties. Components are closed, so the components re-clustered are whole, and every
 * other party keeps its entity, as when all parties are given (run-resolution.ts, store).
 */

export interface ResolveParams {
  /** A link joins two parties at or above this match probability. */
  threshold: number;
  /** Links at or above this probability are kept (below the threshold: `possible`, for review). */
  reviewFloor: number;
  /** Least mean probability across two clusters that merge (the guard against chaining). */
  cohesion: number;
  maxBlockSize: number;
  maxClusterSize: number;
  /** Random record pairs compared to estimate u. */
  uSamplePairs: number;
  seed: number;
  /** Phone region for numbers without a country code when the party's country is unknown. */
  defaultRegion: string;
}

export const DEFAULT_RESOLVE_PARAMS: ResolveParams = {
  threshold: 0.95,
  reviewFloor: 0.5,
  cohesion: 0.5,
  maxBlockSize: DEFAULT_MAX_BLOCK_SIZE,
  maxClusterSize: 1000,
  uSamplePairs: 1_000_000,
  seed: 1,
  defaultRegion: "US",
};

export interface Models {
  person: FellegiSunterModel;
  organisation: FellegiSunterModel;
}

export interface PreviousResolution {
  /** Party id → entity id. */
  members: ReadonlyMap<string, string>;
  links: readonly EntityLink[];
  entities: ReadonlyMap<string, EntityRecord>;
  /** When the last run started (ISO): overrides made since touch their parties. */
  startedAt: string;
}

export interface ResolveInput {
  parties: readonly Party[];
  /** The last run's result; null for a first run. */
  previous: PreviousResolution | null;
  overrides: readonly Override[];
  /** Given: score with these (an incremental run, or a full run told to keep the model); else train. */
  models: Models | null;
  /** Compare only pairs with a party the previous run did not have (needs `previous` and `models`). */
  incremental: boolean;
  params: ResolveParams;
  run: number;
  /** The next entity id. */
  mint: () => string;
  /**
   * Given when `parties` are only the new ones and their neighbourhood (an incremental run):
   * per rule, the keys of these parties whose blocks are over the cap among all parties.
   */
  capped?: readonly ReadonlySet<string>[];
  /** Parties already normalised (by party id), not normalised again: an incremental run's new ones. */
  normalised?: ReadonlyMap<string, NormalisedRecord>;
}

export interface ResolveOutput {
  mode: "full" | "incremental";
  /** Parallel columns, parties in id order. */
  members: { party: string[]; entity: string[] };
  entities: EntityRecord[];
  links: EntityLink[];
  events: ResolutionEvent[];
  models: Models;
  /**
   * The blocking keys to store: every party's on a full run, the new parties' on an incremental
   * one (the others' are stored already).
   */
  keys: { party: string[]; rule: Uint8Array; key: string[] };
  /** Each party's component (links ≥ threshold and must-links) as its smallest party id, parties in id order. */
  components: { party: string[]; component: string[] };
  stats: ResolveStats;
}

export interface ResolveStats {
  parties: number;
  newParties: number;
  candidatePairs: number;
  blocking: RuleReport[];
  training: TrainingReport[];
  links: { accepted: number; rejected: number; possible: number };
  /** Records in the components re-clustered (all of them on a full run). */
  reclustered: number;
  overrides: { applied: number; conflicts: OverrideConflict[]; gaps: OverrideGap[] };
  seconds: Record<string, number>;
}

/** Which comparison set scores a pair: an organisation on either side makes it an organisation pair. */
export function pairKind(x: NormalisedRecord, y: NormalisedRecord): ComparisonKind {
  return x.kind === "organisation" || y.kind === "organisation" ? "organisation" : "person";
}

/** The keys of the parties that `only` flags (all when null), with party ids for records. */
function storedKeys(
  keys: RecordKeys,
  parties: readonly Party[],
  only: Uint8Array | null,
): ResolveOutput["keys"] {
  const party: string[] = [];
  const rule: number[] = [];
  const key: string[] = [];
  for (let k = 0; k < keys.record.length; k++) {
    const i = keys.record[k] as number;
    if (only && only[i] !== 1) continue;
    party.push((parties[i] as Party).id);
    rule.push(keys.rule[k] as number);
    key.push(keys.key[k] as string);
  }
  return { party, rule: Uint8Array.from(rule), key };
}

export function resolveParties(input: ResolveInput): ResolveOutput {
  const { params } = input;
  const seconds: Record<string, number> = {};
  let clock = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = Math.round(now - clock) / 1000;
    clock = now;
  };

  // Records in party-id order: the same order in full and incremental runs (clustering breaks
  // ties by record index).
  const parties = [...input.parties].sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  const n = parties.length;
  const records = parties.map(
    (p) => input.normalised?.get(p.id) ?? normaliseParty(p, { defaultRegion: params.defaultRegion }),
  );
  const indexOf = new Map<string, number>(parties.map((p, i) => [p.id, i]));
  lap("normalise");

  const previous = input.previous;
  const incremental = input.incremental && previous !== null && input.models !== null;
  const isNew = new Uint8Array(n);
  let newParties = 0;
  for (let i = 0; i < n; i++) {
    if (!previous?.members.has((parties[i] as Party).id)) {
      isNew[i] = 1;
      newParties += 1;
    }
  }
  const pairs = candidatePairs(
    records,
    {
      maxBlockSize: params.maxBlockSize,
      keepKeys: true,
      ...(incremental ? { isNew } : {}),
      ...(input.capped ? { capped: input.capped } : {}),
    },
    BLOCKING_RULES,
  );
  const keys = storedKeys(pairs.keys as RecordKeys, parties, incremental ? isNew : null);
  lap("block");

  // Pairs by comparison set, as typed arrays (millions of pairs).
  const organisationPair = new Uint8Array(pairs.a.length);
  let organisationPairs = 0;
  for (let k = 0; k < pairs.a.length; k++) {
    const kind = pairKind(
      records[pairs.a[k] as number] as NormalisedRecord,
      records[pairs.b[k] as number] as NormalisedRecord,
    );
    if (kind === "organisation") {
      organisationPair[k] = 1;
      organisationPairs += 1;
    }
  }
  const byKind: Record<ComparisonKind, Int32Array> = {
    person: new Int32Array(pairs.a.length - organisationPairs),
    organisation: new Int32Array(organisationPairs),
  };
  for (let k = 0, p = 0, o = 0; k < pairs.a.length; k++) {
    if (organisationPair[k] === 1) byKind.organisation[o++] = k;
    else byKind.person[p++] = k;
  }
  const pick = <T extends Int32Array | Uint32Array>(out: T, from: T, rows: Int32Array): T => {
    for (let x = 0; x < rows.length; x++) out[x] = from[rows[x] as number] as number;
    return out;
  };
  const training: TrainingReport[] = [];
  const models = {} as Models;
  // Each record's term frequencies under each kind's model: for the pairs now, for the
  // clustering's cohesion checks later.
  const tfs = {} as Record<ComparisonKind, ReturnType<typeof recordTermFrequencies>>;
  const weight = new Float64Array(pairs.a.length);
  for (const kind of ["person", "organisation"] as const) {
    const set = comparisonSet(kind);
    const rows = byKind[kind];
    const a = pick(new Int32Array(rows.length), pairs.a, rows);
    const b = pick(new Int32Array(rows.length), pairs.b, rows);
    const gammas = compareAll(records, a, b, set);
    let model = input.models?.[kind];
    if (!model) {
      const kindRecords = records.filter((r) =>
        kind === "organisation" ? r.kind === "organisation" : r.kind !== "organisation",
      );
      const trained = trainModel({
        set,
        records,
        kindRecords,
        found: pick(new Uint32Array(rows.length), pairs.found, rows),
        rules: BLOCKING_RULES,
        gammas,
        seed: params.seed,
        uSamplePairs: params.uSamplePairs,
      });
      model = trained.model;
      training.push(trained.report);
    }
    models[kind] = model;
    tfs[kind] = recordTermFrequencies(model, records);
    const w = scorePairs(model, gammas, {
      pairsA: a,
      pairsB: b,
      recordTf: tfs[kind],
    });
    rows.forEach((k, x) => {
      weight[k] = w[x] as number;
    });
  }
  lap("compare+score");

  // Links: the stored ones (incremental) and the new candidates at or above the review floor.
  const linkA: number[] = [];
  const linkB: number[] = [];
  const linkWeight: number[] = [];
  const droppedLinkRecords: number[] = [];
  if (incremental && previous) {
    // New records can push a block over the cap: a full run then skips it, so the stored links
    // that only it found must go too (both ends lie in such a block; the rest are left alone).
    const cappedKeys = BLOCKING_RULES.map(() => new Set<string>());
    const recheck = new Uint8Array(n);
    for (const block of pairs.capped) {
      (cappedKeys[block.rule] as Set<string>).add(block.key);
      if (block.members.some((i) => isNew[i] === 1)) for (const i of block.members) recheck[i] = 1;
    }
    for (const l of previous.links) {
      const x = indexOf.get(l.party_a);
      const y = indexOf.get(l.party_b);
      if (x === undefined || y === undefined) continue;
      if (
        recheck[x] === 1 &&
        recheck[y] === 1 &&
        !isCandidate(records[x] as NormalisedRecord, records[y] as NormalisedRecord, cappedKeys)
      ) {
        // Their clusters were built with this link: they are redone.
        droppedLinkRecords.push(x, y);
        continue;
      }
      linkA.push(Math.min(x, y));
      linkB.push(Math.max(x, y));
      linkWeight.push(l.weight);
    }
  }
  for (let k = 0; k < pairs.a.length; k++) {
    if (matchProbability(weight[k] as number) < params.reviewFloor) continue;
    linkA.push(pairs.a[k] as number);
    linkB.push(pairs.b[k] as number);
    linkWeight.push(weight[k] as number);
  }
  const links = {
    a: Int32Array.from(linkA),
    b: Int32Array.from(linkB),
    probability: Float64Array.from(linkWeight, matchProbability),
  };

  // Overrides as constraints, against the membership as it stood.
  const previousMembers = new Map<string, string[]>();
  for (const [party, entity] of previous?.members ?? []) {
    const list = previousMembers.get(entity);
    if (list) list.push(party);
    else previousMembers.set(entity, [party]);
  }
  const constraints = constraintsFrom(input.overrides, indexOf, previousMembers);

  const sets = {
    person: modelComparisonSet(models.person),
    organisation: modelComparisonSet(models.organisation),
  };
  const levels = new Uint8Array(32);
  const frequencies: (number | undefined)[] = [];
  const pairProbability = (i: number, j: number): number => {
    const x = records[i] as NormalisedRecord;
    const y = records[j] as NormalisedRecord;
    const kind = pairKind(x, y);
    const comparisons = sets[kind].comparisons;
    const tf = tfs[kind];
    frequencies.length = comparisons.length;
    for (let c = 0; c < comparisons.length; c++) {
      const level = (comparisons[c] as ComparisonSet["comparisons"][number]).level(x, y);
      levels[c] = level;
      const table = tf[c];
      // The rarer side's frequency, as scorePairs takes it.
      frequencies[c] = table ? Math.max(table[i] as number, table[j] as number) : undefined;
    }
    return matchProbability(matchWeight(models[kind], levels.subarray(0, comparisons.length), frequencies));
  };
  const clusterInput: ClusterInput = {
    n,
    links,
    threshold: params.threshold,
    cohesion: params.cohesion,
    pairProbability,
    mustLink: constraints.mustLink,
    cannotLink: constraints.cannotLink,
    maxClusterSize: params.maxClusterSize,
  };

  // What to re-cluster: everything, or the components a new party or a new override touches.
  let reclustered = n;
  let touchedRecords: Int32Array | null = null;
  // The restricted problem numbers its links and cannot-links afresh: these map them back.
  let linkAt: (k: number) => number = (k) => k;
  let cannotLinkAt: (k: number) => number = (k) => k;
  let clusterAt = clusterInput;
  if (incremental && previous) {
    const changed = Uint8Array.from(isNew);
    for (const i of droppedLinkRecords) changed[i] = 1;
    for (const o of input.overrides) {
      if (o.at <= previous.startedAt) continue;
      for (const id of [...o.records, ...(o.kind === "split" ? (o.rest ?? []) : [])]) {
        const i = indexOf.get(id);
        if (i !== undefined) changed[i] = 1;
      }
    }
    const changedList: number[] = [];
    changed.forEach((c, i) => {
      if (c === 1) changedList.push(i);
    });
    const touched = componentsTouching({
      n,
      links,
      threshold: params.threshold,
      mustLink: constraints.mustLink,
      cannotLink: constraints.cannotLink,
      changed: Int32Array.from(changedList),
    });
    touchedRecords = touched.records;
    reclustered = touched.records.length;
    clusterAt = restrictTo(clusterInput, touched);
    linkAt = (k) => touched.links[k] as number;
    cannotLinkAt = (k) => touched.cannotLinks[k] as number;
  }
  const result = clusterRecords(clusterAt);
  const least = componentLeast({ n, links, threshold: params.threshold, mustLink: constraints.mustLink });
  const components = {
    party: parties.map((p) => p.id as string),
    component: Array.from(least, (i) => (parties[i] as Party).id as string),
  };
  lap("cluster");

  // Clusters as lists of party ids: re-clustered ones from the result, the rest as they were.
  const inTouched = new Uint8Array(n);
  if (touchedRecords) for (const i of touchedRecords) inTouched[i] = 1;
  else inTouched.fill(1);
  const byLabel = new Map<number, string[]>();
  const untouched = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const id = (parties[i] as Party).id;
    if (inTouched[i] === 1) {
      const label = result.label[i] as number;
      const list = byLabel.get(label);
      if (list) list.push(id);
      else byLabel.set(label, [id]);
    } else {
      const entity = previous?.members.get(id) as string;
      const list = untouched.get(entity);
      if (list) list.push(id);
      else untouched.set(entity, [id]);
    }
  }
  const clusters = [...byLabel.values(), ...untouched.values()];
  const inherited = inheritIds(previous?.members ?? new Map(), clusters, input.mint, input.run);
  lap("ids");

  // Link statuses: decided by this clustering where it ran, kept as they were elsewhere.
  const status = new Array<EntityLink["status"]>(links.a.length).fill("possible");
  const note = new Array<string | null>(links.a.length).fill(null);
  const previousLink = new Map<string, EntityLink>();
  if (incremental && previous)
    for (const l of previous.links) previousLink.set(`${l.party_a}\t${l.party_b}`, l);
  for (const k of result.accepted) status[linkAt(k)] = "accepted";
  for (const r of result.rejected) {
    const k = linkAt(r.link);
    status[k] = "rejected";
    note[k] =
      r.cannotLink !== undefined
        ? `kept apart by override ${constraints.cannotLinkBy[cannotLinkAt(r.cannotLink)] ?? "?"}`
        : r.reason;
  }
  const entityLinks: EntityLink[] = [];
  for (let k = 0; k < links.a.length; k++) {
    const x = links.a[k] as number;
    const y = links.b[k] as number;
    const party_a = (parties[x] as Party).id;
    const party_b = (parties[y] as Party).id;
    if (inTouched[x] !== 1) {
      const kept = previousLink.get(`${party_a}\t${party_b}`);
      if (kept) {
        entityLinks.push(kept);
        continue;
      }
    }
    entityLinks.push({
      party_a,
      party_b,
      weight: linkWeight[k] as number,
      probability: links.probability[k] as number,
      status: status[k] as EntityLink["status"],
      note: note[k] as string | null,
    });
  }
  entityLinks.sort((p, q) =>
    p.party_a < q.party_a
      ? -1
      : p.party_a > q.party_a
        ? 1
        : p.party_b < q.party_b
          ? -1
          : p.party_b > q.party_b
            ? 1
            : 0,
  );

  // Members and entity records.
  const memberEntity = new Map<string, string>();
  clusters.forEach((members, c) => {
    for (const id of members) memberEntity.set(id, inherited.ids[c] as string);
  });
  const members = {
    party: parties.map((p) => p.id as string),
    entity: parties.map((p) => memberEntity.get(p.id) as string),
  };
  const entities: EntityRecord[] = clusters.map((ids, c) => {
    const id = inherited.ids[c] as string;
    const before = previous?.entities.get(id);
    const unchanged =
      before !== undefined &&
      before.members === ids.length &&
      ids.every((p) => previous?.members.get(p) === id);
    // The same parties make the same summary: an incremental run leaves most entities as they
    // were, and naming each again took seconds a million parties. (A full run names them all.)
    if (incremental && unchanged) return before;
    const indices = ids.map((p) => indexOf.get(p) as number);
    return {
      id: id as EntityRecord["id"],
      kind: entityKind(indices.map((i) => records[i] as NormalisedRecord)),
      display_name: displayName(indices.map((i) => parties[i] as Party)),
      members: ids.length,
      created_run: before?.created_run ?? input.run,
      updated_run: unchanged ? before.updated_run : input.run,
    };
  });
  entities.sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  lap("write-out");

  const counts = { accepted: 0, rejected: 0, possible: 0 };
  for (const l of entityLinks) counts[l.status] += 1;
  return {
    mode: incremental ? "incremental" : "full",
    members,
    entities,
    links: entityLinks,
    events: inherited.events,
    models,
    keys,
    components,
    stats: {
      parties: n,
      newParties,
      candidatePairs: pairs.a.length,
      blocking: pairs.rules,
      training,
      links: counts,
      reclustered,
      overrides: {
        applied: input.overrides.length,
        conflicts: constraints.conflicts,
        gaps: constraints.gaps,
      },
      seconds,
    },
  };
}
