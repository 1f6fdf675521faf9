import { z } from "zod";
import type { MoneyGraph } from "../../graph/money-graph.js";
import { atLeast, DAY_MS, defineDetector, type Finding } from "../detector.js";
import type { Focus } from "../focus.js";
import { denseLayers, LAYER_RULES, type Layer, layerParams } from "../layers.js";
import { usd } from "../motifs.js";
import type { TransactionDetails } from "../transaction-details.js";
import { describeLayer, usualReason } from "./bipartite.js";

/**
 * Stack (typologies.md §3.3; AMLSim StackBipartite, AMLworld STACK): two dense bipartite layers
 * one after the other, A → M → B, where the beneficiaries of the first are the originators of the
 * second: money spread over one set of strangers and on over another, two layering steps. Each
 * layer obeys the bipartite rule (at least two accounts a side, density at least 0.8, one-off
 * dealings between accounts that are not hubs, no payment back); the whole within 60 days; the
 * second layer's payments after the first's, for most of them (AMLSim does not enforce the order,
 * so it is asked softly: the second layer's median payment after the first's, and a stack ordered
 * throughout scores higher).
 */

export const StackParams = z.object({
  min_side: z.number().int().min(2).default(2),
  window_days: z.number().positive().default(60),
  /** Least share of each layer's middle accounts that the two layers share. */
  min_shared: z.number().min(0).max(1).default(0.5),
  // A proposal (typologies.md gives no figure), the same as the other motifs'.
  min_total_usd: z.number().min(0).default(5000),
  ...LAYER_RULES,
});
export type StackParams = z.infer<typeof StackParams>;

export const stack = defineDetector({
  id: "stack",
  version: 2,
  typology: "stack",
  title: "Money spread over one set of strangers and on over another",
  basis: "AMLSim StackBipartite and AMLworld STACK (typologies.md §3.1–§3.3)",
  params: StackParams,
  needs: ["ts", "amount_usd", "from_account", "to_account"],
  run: (data, p) => stacks(data.graph, p, data.details, data.focus),
});

const median = (g: MoneyGraph, edges: readonly number[]) => {
  const times = edges.map((e) => g.time[e] as number).sort((a, b) => a - b);
  return times[times.length >> 1] as number;
};

export function stacks(
  g: MoneyGraph,
  p: StackParams,
  details?: TransactionDetails,
  focus?: Focus,
): Finding[] {
  const layers = denseLayers(
    g,
    // Each layer a share of the whole: the sum is asked of the stack.
    layerParams(p, { min_side: p.min_side, window_days: p.window_days, min_total_usd: 0 }),
    details,
    focus,
    true,
  );
  // The second layers of a first one are found through its beneficiaries.
  const originated = new Map<number, Layer[]>();
  for (const layer of layers)
    for (const a of layer.from) {
      const list = originated.get(a);
      if (list) list.push(layer);
      else originated.set(a, [layer]);
    }
  const findings: Finding[] = [];
  for (const first of layers) {
    const seconds = new Set<Layer>();
    for (const m of first.to)
      for (const second of originated.get(m) ?? []) if (second !== first) seconds.add(second);
    for (const second of seconds) {
      const middle = first.to.filter((m) => second.from.includes(m));
      if (
        middle.length < p.min_side ||
        middle.length < atLeast(p.min_shared, first.to.length) ||
        middle.length < atLeast(p.min_shared, second.from.length)
      )
        continue;
      // Three distinct sets: a ring where B pays A back is a cycle's business.
      const top = new Set(first.from);
      if (second.to.some((b) => top.has(b))) continue;
      const from = Math.min(first.first, second.first);
      const to = Math.max(first.last, second.last);
      if (to - from > p.window_days * DAY_MS) continue;
      if (median(g, second.edges) <= median(g, first.edges)) continue;
      const total = first.totalUsd + second.totalUsd;
      if (total < p.min_total_usd) continue;
      const ordered = second.first > first.last;
      findings.push({
        typology: "stack",
        subjects: [
          ...first.from.map((account) => ({ account, role: "originator" as const })),
          ...middle.map((account) => ({ account, role: "intermediary" as const })),
          ...second.to.map((account) => ({ account, role: "beneficiary" as const })),
        ],
        edges: [...first.edges, ...second.edges].sort((a, b) => a - b),
        window: { from, to },
        // What entered the stack: the first layer's payments.
        amountUsd: first.totalUsd,
        reasons: [
          `first layer: ${describeLayer(g, first)}`,
          `second layer: ${describeLayer(g, second)}`,
          `first layer: ${usualReason(first, p.min_above_usual)}; second layer: ${usualReason(second, p.min_above_usual)}`,
          `${middle.length} accounts stand in both layers; ${usd(total)} USD moved within ${Math.max(1, Math.ceil((to - from) / DAY_MS))} day(s) (at most ${p.window_days} asked)`,
          ordered
            ? "every payment of the second layer came after the last of the first"
            : "the second layer's payments came mostly after the first's (its median later), but the two overlap in time",
          `each pair dealt with each other only within ${p.relationship_days} day(s), density at least ${p.min_density} in each layer, no payment back, and no account has more than ${p.max_hub_degree} distinct payers or payees`,
        ],
        score: Math.min(1, 0.55 + (ordered ? 0.15 : 0) + 0.05 * Math.min(4, middle.length - p.min_side)),
      });
    }
  }
  return findings;
}
