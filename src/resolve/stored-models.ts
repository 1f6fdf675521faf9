import { FellegiSunterModel, modelFitsComparisons } from "./fellegi-sunter.js";
import type { Models } from "./resolve-parties.js";

/**
 * The models a resolution run stored (`resolution_runs.model`, JSON): null when it stored none,
 * "unreadable" when they are not in this version's model format, "stale" when they are but
 * were estimated for other comparisons or levels than this version's.
 */
export function storedModelsOf(text: string): Models | "unreadable" | "stale" | null {
  const stored = JSON.parse(text) as { person?: unknown; organisation?: unknown };
  if (!stored?.person || !stored.organisation) return null;
  const person = FellegiSunterModel.safeParse(stored.person);
  const organisation = FellegiSunterModel.safeParse(stored.organisation);
  if (!person.success || !organisation.success) return "unreadable";
  const models = { person: person.data, organisation: organisation.data };
  return modelFitsComparisons(models.person) && modelFitsComparisons(models.organisation) ? models : "stale";
}
