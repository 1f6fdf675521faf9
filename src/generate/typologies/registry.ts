import type { Typology } from "../../model/typology.js";
import type { Planter, PlantFn } from "../planter.js";
import type { Rng } from "../random.js";
import { funnelAccount, passThrough } from "./flows.js";
import { GRAPH_PATTERN_PLANTERS } from "./graph-patterns.js";
import { hsBorderFunnel, hsCashToWire } from "./smuggling.js";
import { structuring } from "./structuring.js";
import { htController, htLivingCosts, htLodgingAds, htWageSkim } from "./trafficking.js";

/** One planter per typology id (DESIGN §4): the generator plants every typology it detects. */
export const PLANTERS: Record<Typology, PlantFn> = {
  ...GRAPH_PATTERN_PLANTERS,
  structuring,
  "funnel-account": funnelAccount,
  "pass-through": passThrough,
  "ht-controller": htController,
  "ht-wage-skim": htWageSkim,
  "ht-lodging-ads": htLodgingAds,
  "ht-living-costs": htLivingCosts,
  "hs-border-funnel": hsBorderFunnel,
  "hs-cash-to-wire": hsCashToWire,
};

/**
 * Plants instances, the typologies taking turns (structuring's seven variants count as seven
 * turns' worth), until the planted transactions reach `target`. Every typology gets at least one
 * instance, whatever the target, so that a small world still has a case of each.
 */
export function plantAll(planter: Planter, rng: Rng, target: number): void {
  const order = Object.keys(PLANTERS) as Typology[];
  const turns: Typology[] = order.flatMap((t) => (t === "structuring" ? Array(3).fill(t) : [t]));
  for (let round = 0; ; round++) {
    for (const typology of turns) {
      (PLANTERS[typology] as PlantFn)(planter, rng.fork(`${typology}:${round}:${planter.count(typology)}`));
    }
    if (planter.planted >= target) return;
  }
}
