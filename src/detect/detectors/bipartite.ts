import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { denseLayers, LAYER_RULES, type Layer, layerParams } from "../layers.js";
import { usd } from "../motifs.js";

/**
 * Bipartite (typologies.md §3.3; AMLSim Bipartite, AMLworld BIPARTITE): a set of originators A
 * and a set of beneficiaries B, at least two of each, where nearly every originator pays every
 * beneficiary (edge density at least 0.8) within 30 days, and no beneficiary pays an originator.
 * Several unconnected people each paying the same few strangers is how layering spreads money so
 * that no single pair stands out. What keeps it from firing on ordinary life:
 * - only one-off dealings count (all within `relationship_days`): relatives and flatmates who pay
 *   one another every month are relationships, not a layer;
 * - hubs are never members: an account with more than `max_hub_degree` distinct payers or payees
 *   (a merchant, a payroll processor) is paid by everyone as its business;
 * - purchases (payments with a merchant category code) and payments under `min_edge_usd` do
 *   not count, and the layer must move a material sum (`min_total_usd`).
 * A layer that is one half of a stack is reported by `stack`, which absorbs this alert.
 */

export const BipartiteParams = z.object({
  min_originators: z.number().int().min(2).default(2),
  window_days: z.number().positive().default(30),
  // A proposal (typologies.md gives no figure), the same as the other motifs'.
  min_total_usd: z.number().min(0).default(5000),
  ...LAYER_RULES,
});
export type BipartiteParams = z.infer<typeof BipartiteParams>;

export const bipartite = defineDetector({
  id: "bipartite",
  version: 2,
  typology: "bipartite",
  title: "Several accounts each paying the same several strangers",
  basis: "AMLSim Bipartite and AMLworld BIPARTITE (typologies.md §3.1–§3.3)",
  params: BipartiteParams,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, p) =>
    denseLayers(
      data.graph,
      layerParams(p, {
        min_side: p.min_originators,
        window_days: p.window_days,
        min_total_usd: p.min_total_usd,
      }),
      data.details,
      data.focus,
    ).map((layer) => finding(data.graph, layer, p)),
});

/** How a layer reads in reasons: who paid whom, how densely, how much, how fast. */
export function describeLayer(g: MoneyGraph, layer: Layer): string {
  const names = (xs: number[]) => xs.map((x) => g.accounts[x] as string).join(", ");
  const days = Math.max(1, Math.ceil((layer.last - layer.first) / DAY_MS));
  const possible = layer.from.length * layer.to.length;
  return `${layer.from.length} accounts (${names(layer.from)}) paid ${layer.to.length} accounts (${names(layer.to)}): ${layer.pairs} of the ${possible} possible pairs (density ${(layer.pairs / possible).toFixed(2)}), ${usd(layer.totalUsd)} USD in ${layer.edges.length} transactions within ${days} day(s)`;
}

/** How far the layer's payments stand above what its originators usually pay. */
export function usualReason(layer: Layer, minAboveUsual: number): string {
  return Number.isFinite(layer.aboveUsual)
    ? `for the median originator, its payments in the layer are ${layer.aboveUsual.toFixed(1)} times its usual payment (at least ${minAboveUsual} asked)`
    : "the median originator made no payment outside the layer";
}

function finding(g: MoneyGraph, layer: Layer, p: BipartiteParams): Finding {
  const possible = layer.from.length * layer.to.length;
  const density = layer.pairs / possible;
  return {
    typology: "bipartite",
    subjects: [
      ...layer.from.map((account) => ({ account, role: "originator" as const })),
      ...layer.to.map((account) => ({ account, role: "beneficiary" as const })),
    ],
    edges: layer.edges,
    window: { from: layer.first, to: layer.last },
    amountUsd: layer.totalUsd,
    reasons: [
      describeLayer(g, layer),
      usualReason(layer, p.min_above_usual),
      `density at least ${p.min_density} asked, within ${p.window_days} days; no beneficiary paid any originator`,
      `each pair dealt with each other only within ${p.relationship_days} day(s), and none of the ${layer.from.length + layer.to.length} accounts has more than ${p.max_hub_degree} distinct payers or payees`,
    ],
    // Larger and denser layers score higher: a 2×2 square can be chance, a full 4×4 hardly.
    score: Math.min(1, 0.4 + 0.05 * Math.min(6, possible - 4) + (0.2 * (density - p.min_density)) / 0.2),
  };
}
