import type { EntityLink } from "../model/resolution.js";
import type { OverrideRow, Store } from "../store/store.js";
import type { RuleReport } from "./blocking.js";
import { FellegiSunterModel, modelFitsComparisons } from "./fellegi-sunter.js";
import { Override } from "./overrides.js";
import {
  DEFAULT_RESOLVE_PARAMS,
  type Models,
  type ResolveParams,
  type ResolveStats,
  resolveParties,
} from "./resolve-parties.js";
import type { TrainingReport } from "./train-model.js";

/**
 * `moneytrail resolve`: reads the parties, the last run's result and the overrides from the
 * store, resolves (resolve-parties.ts), and writes the result back in one transaction.
 */

export interface ResolutionSummary {
  run: number;
  mode: "full" | "incremental";
  parties: number;
  new_parties: number;
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
function storedModelsOf(text: string): Models | "stale" | null {
  const stored = JSON.parse(text) as { person?: unknown; organisation?: unknown };
  if (!stored?.person || !stored.organisation) return null;
  const person = FellegiSunterModel.safeParse(stored.person);
  const organisation = FellegiSunterModel.safeParse(stored.organisation);
  if (!person.success || !organisation.success) return "stale";
  const models = { person: person.data, organisation: organisation.data };
  return modelFitsComparisons(models.person) && modelFitsComparisons(models.organisation) ? models : "stale";
}

/** Entity ids are E followed by a zero-padded number, never reused (retired ids included). */
const ID_DIGITS = 7;
const entityNumber = (id: string): number => (/^E\d+$/.test(id) ? Number(id.slice(1)) : 0);

export function parseOverrides(rows: readonly OverrideRow[]): Override[] {
  return rows.map((r) => Override.parse(JSON.parse(r.record)));
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
  const [parties, state] = await Promise.all([store.parties(), store.resolutionState()]);
  const loadSeconds = (performance.now() - started) / 1000;
  const last = state.lastRun;
  const notes: string[] = [];
  const stored = last ? storedModelsOf(last.model) : null;
  if (stored === "stale") {
    notes.push(
      "the stored model was estimated for other comparisons than this version's: re-estimated on a full run",
    );
  }
  const storedModels: Models | null = stored === "stale" ? null : stored;
  const lastStats = last ? (JSON.parse(last.stats) as { params?: ResolveParams; nextEntity?: number }) : null;
  const storedParams = lastStats?.params ?? null;
  // An incremental run needs the last run's model and the same clustering parameters: with
  // others, the stored links would not mean what they meant.
  const sameParams = storedParams !== null && JSON.stringify(storedParams) === JSON.stringify(params);
  const incremental = !options.full && storedModels !== null && sameParams;
  if (!options.full && storedModels !== null && !sameParams && storedParams !== null) {
    notes.push("the clustering parameters differ from the last run's: a full run");
  }
  const models = incremental || (options.full && options.keepModel) ? storedModels : null;

  let next = 1;
  for (const id of state.entities.keys()) next = Math.max(next, entityNumber(id) + 1);
  next = Math.max(next, Number(lastStats?.nextEntity ?? 1));
  const run = (last?.run ?? 0) + 1;
  const out = resolveParties({
    parties,
    previous: last
      ? { members: state.members, links: state.links, entities: state.entities, startedAt: last.started_at }
      : null,
    overrides: parseOverrides(state.overrides),
    models,
    incremental,
    params,
    run,
    mint: () => `E${String(next++).padStart(ID_DIGITS, "0")}`,
  });
  const events = { created: 0, merged: 0, split: 0, retired: 0 };
  for (const e of out.events) events[e.kind] += 1;
  const writeStarted = performance.now();
  await store.writeResolution({
    run: {
      run,
      mode: out.mode,
      started_at: startedAt,
      parties: out.stats.parties,
      new_parties: out.stats.newParties,
      candidate_pairs: out.stats.candidatePairs,
      entities: out.entities.length,
      model: JSON.stringify(out.models),
      stats: JSON.stringify({ params, nextEntity: next, ...out.stats }),
    },
    entities: out.entities,
    members: out.members,
    links: out.links as EntityLink[],
    events: out.events,
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
    parties: out.stats.parties,
    new_parties: out.stats.newParties,
    candidate_pairs: out.stats.candidatePairs,
    entities: out.entities.length,
    links: out.stats.links,
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
