import { z } from "zod";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { subjectAccountsOf } from "../focus.js";
import { listsOf } from "../reference-lists.js";
import { detailsOf } from "../transaction-details.js";
import { controllerGroups, HtControllerParams, lodgingOrAdTest } from "./ht-controller.js";
import { daysBetween, edgesBetween, usd } from "./ht-shared.js";

/**
 * Lodging and online advertising (FIN-2020-A008 F12(b) and F17; FIN-2014-A008 HT14-2; FATF–APG
 * 2018 FATF-1, FATF-2; typologies.md §1): one account paying, within `window_days`, both
 * - for online advertising at least `min_ads` times (MCC groups ADVERTISING_HOSTING and
 *   ADULT_ESCORT, or a merchant on the versioned classified-ad list: HT14-2), and
 * - for lodging as F12(b) has it: at least `min_nights` charges at `min_properties` or more
 *   different properties, or `min_rooms` rooms on one date;
 * and spending at least `min_share` of its card spending in that window on them (out of proportion
 * to ordinary living).
 * What keeps it quiet on ordinary life: a travelling salesperson's hotels come without
 * advertising; a small business's advertising comes without motel rooms; a holiday is a few
 * nights in one place. An account that ht-controller finds collecting from victims at a weekly
 * cadence over the same period is left to it (it cites the same lodging and advertising), so that
 * one scheme makes one alert (`defer_to_controller`): only when ht-controller runs in the same
 * run (its fields present, the data long enough), with the parameters it runs with; run on its
 * own, with ht-controller's defaults.
 */

const Params = z.object({
  window_days: z.number().positive().default(30),
  min_ads: z.number().int().min(1).default(4),
  min_nights: z.number().int().min(1).default(8),
  min_properties: z.number().int().min(1).default(3),
  min_rooms: z.number().int().min(2).default(2),
  /** Proposal [U]: a third of its card spending is out of proportion. */
  min_share: z.number().min(0).max(1).default(0.3),
  defer_to_controller: z.boolean().default(true),
});

export const htLodgingAds = defineDetector({
  id: "ht-lodging-ads",
  version: 2,
  typology: "ht-lodging-ads",
  title: "Repeated lodging and online-advertising payments (trafficking)",
  basis:
    "FinCEN FIN-2020-A008 (F12(b), F17); FinCEN FIN-2014-A008 (HT14-2); FATF–APG Financial Flows from Human Trafficking 2018 (FATF-1, FATF-2); typologies.md §1",
  params: Params,
  needs: ["ts", "amount_usd", "from_account", "to_account", "mcc", "merchant"],
  reads: ["ht-controller"],
  lists: ["mccGroups", "classifiedAdMerchants"],
  run(data, p) {
    const g = data.graph;
    const details = detailsOf(data);
    const spend = lodgingOrAdTest(details, listsOf(data));
    // The controller's case is left to it only when it runs, with the parameters it runs with.
    const controller = data.peers
      ? (data.peers.get("ht-controller") as HtControllerParams | undefined)
      : HtControllerParams.parse({});
    const span = p.window_days * DAY_MS;
    const scratch = new Int32Array(g.accounts.length);
    const findings: Finding[] = [];
    // Its findings cite an account's lodging and advertising payments.
    const accounts = subjectAccountsOf(g, data.focus, (e, add) => {
      if (spend.lodging(e) || spend.ad(e)) add(g.from[e] as number);
    });
    for (const a of accounts) {
      const events: number[] = [];
      let ads = 0;
      for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
        const e = g.outEdges[k] as number;
        if (spend.lodging(e)) events.push(e);
        else if (spend.ad(e)) {
          events.push(e);
          ads++;
        }
      }
      if (ads < p.min_ads) continue;
      const w = bestWindow(events, span, p, {
        time: g.time,
        isLodging: spend.lodging,
        property: (e) =>
          (g.to[e] as number) >= 0 ? (g.to[e] as number) : -2 - (details.merchant[e] as number),
      });
      if (!w) continue;
      const first = g.time[w.edges[0] as number] as number;
      const last = g.time[w.edges.at(-1) as number] as number;
      // Out of proportion: their share of the account's card spending (payments with an MCC).
      let card = 0;
      for (const e of edgesBetween(g, a, "out", first, last))
        if ((details.mcc[e] as number) >= 0) card += g.amountUsd[e] as number;
      const amountUsd = w.edges.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
      const share = card > 0 ? amountUsd / card : 1;
      if (share < p.min_share) continue;
      if (
        p.defer_to_controller &&
        controller &&
        controllerGroups(g, a, controller, scratch).some((set) =>
          set.some((r) => r.from <= last && first <= r.to),
        )
      )
        continue;
      const key = g.accounts[a] as string;
      const lodgingUsd = w.lodging.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
      findings.push({
        typology: "ht-lodging-ads",
        subjects: [{ account: a, role: "hub" }],
        edges: w.edges,
        window: { from: first, to: last },
        amountUsd,
        reasons: [
          `${key} paid for online advertising ${w.ads.length} times within ${daysBetween(first, last)} days, ${usd(amountUsd - lodgingUsd)} USD (at least ${p.min_ads})`,
          `and for lodging ${w.lodging.length} times at ${w.properties} different properties, up to ${w.rooms} room(s) on one date, ${usd(lodgingUsd)} USD (F12(b): ${p.min_nights} nights at ${p.min_properties} properties, or ${p.min_rooms} rooms on one date)`,
          `together ${Math.round(share * 100)}% of its card spending in the period (at least ${Math.round(p.min_share * 100)}%)`,
          `lists: ${spend.versions}`,
        ],
        score: Math.min(
          1,
          0.5 +
            (w.rooms >= p.min_rooms ? 0.1 : 0) +
            (w.lodging.length >= p.min_nights && w.properties >= p.min_properties ? 0.1 : 0) +
            0.05 * Math.min(4, w.ads.length - p.min_ads) +
            0.1 * Math.min(1, share),
        ),
        sarActivities: ["927"],
      });
    }
    return findings;
  },
});

interface Window {
  edges: number[];
  ads: number[];
  lodging: number[];
  properties: number;
  rooms: number;
}

/** The window of at most `span` with the most lodging and ad payments that meets the rule. */
function bestWindow(
  events: readonly number[],
  span: number,
  p: { min_ads: number; min_nights: number; min_properties: number; min_rooms: number },
  f: { time: Float64Array; isLodging: (e: number) => boolean; property: (e: number) => number },
): Window | null {
  let best: Window | null = null;
  let tail = 0;
  for (let k = 0; k < events.length; k++) {
    const t = f.time[events[k] as number] as number;
    while ((f.time[events[tail] as number] as number) < t - span) tail++;
    if (best && k - tail + 1 <= best.edges.length) continue;
    const edges = events.slice(tail, k + 1);
    const lodging = edges.filter(f.isLodging);
    const ads = edges.filter((e) => !f.isLodging(e));
    if (ads.length < p.min_ads) continue;
    const properties = new Set(lodging.map(f.property)).size;
    const byDate = new Map<number, number>();
    let rooms = 0;
    for (const e of lodging) {
      const date = Math.floor((f.time[e] as number) / DAY_MS);
      const n = (byDate.get(date) ?? 0) + 1;
      byDate.set(date, n);
      rooms = Math.max(rooms, n);
    }
    if ((lodging.length >= p.min_nights && properties >= p.min_properties) || rooms >= p.min_rooms)
      best = { edges, ads, lodging, properties, rooms };
  }
  return best;
}
