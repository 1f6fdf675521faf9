import type { Party } from "../model/party.js";
import type { EntityLink, EntityRecord } from "../model/resolution.js";
import type { OverrideRow, ResolutionWrite, Store } from "../store/store.js";
import { BLOCKING_RULES, blockingRulesVersion, type RuleReport, recordKeys } from "./blocking.js";
import { normaliseParty } from "./normalise/party.js";
import type { NormalisedRecord } from "./normalised-record.js";
import { Override } from "./overrides.js";
import {
  DEFAULT_RESOLVE_PARAMS,
  type Models,
  type PreviousResolution,
  type ResolveParams,
  type ResolveStats,
  resolveParties,
} from "./resolve-parties.js";
import { storedModelsOf } from "./stored-models.js";
import type { TrainingReport } from "./train-model.js";

/**
 * `moneytrail resolve`: reads the parties, the last run's result and the overrides from the
 * store, resolves (resolve-parties.ts), and writes the result back in one transaction.
 *
 * A full run reads every party and rewrites every row. An incremental run reads only the new
 * parties and their neighbourhood (the store finds it from the blocking keys and components the
 * last run stored: store.ts, Neighbourhood) and rewrites only those parties' rows. It needs the
 * last run's model, clustering parameters and blocking rules: with other ones, a full run.
 */

export interface ResolutionSummary {
  run: number;
  mode: "full" | "incremental";
  parties: number;
  new_parties: number;
  /** Parties read and normalised: all of them on a full run, the new ones and their neighbourhood on an incremental one. */
  loaded: number;
  candidate_pairs: number;
  entities: number;
  links: { accepted: number; rejected: number; possible: number };
  events: { created: number; merged: number; split: number; retired: number };
  blocking: RuleReport[];
  training: TrainingReport[];
  reclustered: number;
  overrides: ResolveStats["overrides"];
  params: ResolveParams;
  /** Why the run did not go as asked or as usual (a stale model re-estimated, a forced full run). */
  notes: string[];
  seconds: Record<string, number> & { total: number };
}

export interface RunResolutionOptions {
  /** Compare everything again and re-estimate the model. */
  full?: boolean;
  /** With `full`: keep the stored model rather than re-estimate it. */
  keepModel?: boolean;
  threshold?: number;
  params?: Partial<ResolveParams>;
}

/**
 * The last run's models, "stale" when they cannot be applied to this version's comparisons (a
 * comparison or its levels changed since, or the model format did): the run then re-estimates
 * them on all pairs, as a first run does, rather than fail or score with levels that now mean
 * something else.
 */
function lastModels(text: string): Models | "stale" | null {
  const stored = storedModelsOf(text);
  return stored === "unreadable" ? "stale" : stored;
}

/** Entity ids are E followed by a zero-padded number, never reused (retired ids included). */
const ID_DIGITS = 7;

export function parseOverrides(rows: readonly OverrideRow[]): Override[] {
  return rows.map((r) => Override.parse(JSON.parse(r.record)));
}

interface RunStats {
  params?: ResolveParams;
  nextEntity?: number;
  rulesVersion?: string;
  links?: ResolutionSummary["links"];
}

/** What the resolver is given: every party, or (incremental) the new ones and their neighbourhood. */
interface RunInput {
  parties: readonly Party[];
  previous: PreviousResolution | null;
  capped?: Set<string>[];
  /** The new parties, normalised once to find their neighbourhood (incremental runs). */
  normalised?: ReadonlyMap<string, NormalisedRecord>;
  scope?: NonNullable<ResolutionWrite["scope"]>;
  /** Links and entities of the parties read, as they were: what the totals lose and gain. */
  before: { links: readonly EntityLink[]; entities: number };
}

/** Every party and the whole last result. */
async function fullInput(store: Store, startedAt: string | null): Promise<RunInput> {
  const [parties, state] = await Promise.all([store.parties(), store.resolutionState()]);
  return {
    parties,
    previous: startedAt
      ? { members: state.members, links: state.links, entities: state.entities, startedAt }
      : null,
    before: { links: state.links, entities: state.entities.size },
  };
}

/** The new parties, and what the store finds around them from the stored keys and components. */
async function incrementalInput(
  store: Store,
  overrides: readonly Override[],
  params: ResolveParams,
  startedAt: string,
): Promise<RunInput> {
  const fresh = await store.unresolvedParties();
  const normalised = fresh.map((p) => normaliseParty(p, { defaultRegion: params.defaultRegion }));
  const keys = recordKeys(normalised);
  // The parties the overrides name come with their components whatever happened: the
  // constraints are made from all overrides at once, as on a full run.
  const seeds = overrides.flatMap((o) => [...o.records, ...(o.kind === "split" ? (o.rest ?? []) : [])]);
  // A split stored without its rest is completed from its entity's members: read them too.
  for (const o of overrides) {
    if (o.kind === "split" && !o.rest) for (const p of await store.entityParties(o.entity)) seeds.push(p.id);
  }
  const hood = await store.resolutionNeighbourhood({
    keys: { party: Array.from(keys.record, (i) => (fresh[i] as Party).id), rule: keys.rule, key: keys.key },
    seeds,
    maxBlockSize: params.maxBlockSize,
  });
  const capped = BLOCKING_RULES.map(() => new Set<string>());
  for (const c of hood.capped) capped[c.rule]?.add(c.key);
  const parties = [...hood.parties, ...fresh];
  return {
    parties,
    previous: { members: hood.members, links: hood.links, entities: hood.entities, startedAt },
    capped,
    normalised: new Map(fresh.map((p, i) => [p.id, normalised[i] as NormalisedRecord])),
    scope: { parties: parties.map((p) => p.id), entities: [...hood.entities.keys()] },
    before: { links: hood.links, entities: hood.entities.size },
  };
}

export async function runResolution(
  store: Store,
  options: RunResolutionOptions = {},
): Promise<ResolutionSummary> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const params: ResolveParams = {
    ...DEFAULT_RESOLVE_PARAMS,
    ...options.params,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
  };
  const head = await store.resolutionHead();
  const last = head.lastRun;
  const notes: string[] = [];
  const stored = last ? lastModels(last.model) : null;
  if (stored === "stale") {
    notes.push(
      "the stored model was estimated for other comparisons than this version's: re-estimated on a full run",
    );
  }
  const storedModels: Models | null = stored === "stale" ? null : stored;
  const lastStats = last ? (JSON.parse(last.stats) as RunStats) : null;
  const storedParams = lastStats?.params ?? null;
  // An incremental run needs the last run's model and the same clustering parameters: with
  // others, the stored links would not mean what they meant.
  const sameParams = storedParams !== null && JSON.stringify(storedParams) === JSON.stringify(params);
  // ... and the same blocking rules: the stored keys are what new parties are blocked against.
  const rulesVersion = blockingRulesVersion(BLOCKING_RULES);
  const sameRules = lastStats?.rulesVersion === rulesVersion;
  const incremental = !options.full && storedModels !== null && sameParams && sameRules;
  if (!options.full && storedModels !== null && !sameParams && storedParams !== null) {
    notes.push("the clustering parameters differ from the last run's: a full run");
  }
  // Other rules (or none stored: a workspace resolved before keys were kept) need every party
  // blocked again, not another model: the stored one still fits the comparisons, and keeping it
  // keeps the entities as they were where the candidates did not change.
  const rulesOnly = !options.full && storedModels !== null && sameParams && !sameRules;
  if (rulesOnly) {
    notes.push(
      "the blocking rules differ from the last run's (or it stored no blocking keys): a full run with the stored model, which stores the keys again",
    );
  }
  const models = incremental || rulesOnly || (options.full && options.keepModel) ? storedModels : null;
  const overrides = parseOverrides(head.overrides);

  const input = incremental
    ? await incrementalInput(store, overrides, params, last?.started_at as string)
    : await fullInput(store, last?.started_at ?? null);
  const loadSeconds = (performance.now() - started) / 1000;
  let next = Math.max(1, head.maxEntityNumber + 1, Number(lastStats?.nextEntity ?? 1));
  const run = (last?.run ?? 0) + 1;
  const out = resolveParties({
    parties: input.parties,
    previous: input.previous,
    overrides,
    models,
    incremental,
    params,
    run,
    mint: () => `E${String(next++).padStart(ID_DIGITS, "0")}`,
    ...(input.capped ? { capped: input.capped } : {}),
    ...(input.normalised ? { normalised: input.normalised } : {}),
  });
  const events = { created: 0, merged: 0, split: 0, retired: 0 };
  for (const e of out.events) events[e.kind] += 1;
  // Totals over the whole workspace: an incremental run saw only part of it.
  const parties = incremental ? head.parties : out.stats.parties;
  const entities = incremental
    ? (last?.entities ?? 0) - input.before.entities + out.entities.length
    : out.entities.length;
  const links = { ...out.stats.links };
  if (incremental) {
    const was = lastStats?.links;
    const lost = { accepted: 0, rejected: 0, possible: 0 };
    for (const l of input.before.links) lost[l.status] += 1;
    for (const k of ["accepted", "rejected", "possible"] as const) links[k] += (was?.[k] ?? 0) - lost[k];
  }
  const writeStarted = performance.now();
  await store.writeResolution({
    run: {
      run,
      mode: out.mode,
      started_at: startedAt,
      parties,
      new_parties: out.stats.newParties,
      candidate_pairs: out.stats.candidatePairs,
      entities,
      model: JSON.stringify(out.models),
      stats: JSON.stringify({
        params,
        nextEntity: next,
        rulesVersion,
        ...out.stats,
        loaded: out.stats.parties,
        links,
      }),
    },
    entities: out.entities as EntityRecord[],
    members: out.members,
    links: out.links as EntityLink[],
    events: out.events,
    keys: out.keys,
    components: out.components,
    ...(input.scope ? { scope: input.scope } : {}),
  });
  const seconds = {
    load: Math.round(loadSeconds * 1000) / 1000,
    ...out.stats.seconds,
    write: Math.round(performance.now() - writeStarted) / 1000,
    total: Math.round(performance.now() - started) / 1000,
  };
  return {
    run,
    mode: out.mode,
    parties,
    new_parties: out.stats.newParties,
    loaded: out.stats.parties,
    candidate_pairs: out.stats.candidatePairs,
    entities,
    links,
    events,
    blocking: out.stats.blocking,
    training: out.stats.training,
    reclustered: out.stats.reclustered,
    overrides: out.stats.overrides,
    params,
    notes,
    seconds,
  };
}
