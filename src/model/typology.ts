import { z } from "zod";

/**
 * Typology ids (DESIGN §4, contract): the eight laundering graph patterns of AMLworld and AMLSim,
 * then structuring, funnels, pass-through, and the human-trafficking (`ht-`) and human-smuggling
 * (`hs-`) typologies of FinCEN's advisories. New ones are added here and in docs/typologies.md.
 */
export const GRAPH_PATTERNS = [
  "fan-in",
  "fan-out",
  "cycle",
  "scatter-gather",
  "gather-scatter",
  "bipartite",
  "stack",
  "random",
] as const;

export const Typology = z.enum([
  ...GRAPH_PATTERNS,
  "structuring",
  "funnel-account",
  "pass-through",
  "ht-controller",
  "ht-wage-skim",
  "ht-lodging-ads",
  "ht-living-costs",
  "hs-border-funnel",
  "hs-cash-to-wire",
]);
export type Typology = z.infer<typeof Typology>;
