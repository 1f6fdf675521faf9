import { z } from "zod";
import { Channel } from "../../model/channel.js";
import { DAY_MS, defineDetector, type Finding } from "../detector.js";
import { subjectAccountsOf } from "../focus.js";
import { listsOf, onBorderList } from "../reference-lists.js";
import { conductorAccountOf, detailsOf, usualValue } from "../transaction-details.js";
import { channelMask, daysBetween, usd } from "./ht-shared.js";

/**
 * Human-smuggling funnel (FIN-2023-Alert001 HS23-1; FIN-2014-A008 HS14-1 and HS14-6;
 * typologies.md §1.2–1.3): many people, in many places, pay one beneficiary by wire, money
 * transmitter, P2P or cash deposit, within a month.
 *
 * The behaviour triggers it: at least `min_originators` distinct originators from at least
 * `min_locations` distinct places within `window_days`, each transfer under `max_transfer_usd`
 * (HS14-1: "generally below the $3,000 recordkeeping threshold", 31 CFR 1010.410) and at least
 * `min_transfer_usd` (a fee instalment, not a friend's small P2P payment). A beneficiary
 * whose usual city is on the versioned border-city list scores higher; a border city with no such
 * funnel never fires (typologies.md input policy).
 *
 * Places are cities: the city of the transaction when it has one (a cash deposit's branch), else
 * the originator's usual city (where it pays by card and draws cash), else its holder's address
 * in the party records. The beneficiary is in a border city when either where it transacts or
 * its holder's address is on the list. Typologies.md counts states;
 * the detection fields hold cities, not regions, so distinct cities stand in for them.
 * Originators are accounts or, for cash deposits, the conductor when the data names one (read
 * when present: the conductor's account when the party records link it, else the conductor's
 * id); a cash deposit by no one known does not count as an originator.
 * What keeps it quiet on ordinary life: card, ACH and check payments (a merchant's customers, a
 * landlord's tenants, a supplier's clients) do not count; an originator that deals with the
 * beneficiary over more than `relationship_days` is a relationship (family, a customer paying
 * every fortnight), not a member of a funnel; the funnel must move `min_total_usd` (friends'
 * small P2P payments do not); a beneficiary paid by more than `max_hub_degree` distinct accounts
 * over any channel (an airline, a supplier, a merchant) is a business hub, left out as the fan
 * detectors leave it out.
 */

const Params = z.object({
  min_originators: z.number().int().min(2).default(5),
  min_locations: z.number().int().min(1).default(3),
  window_days: z.number().positive().default(30),
  /** Transfers at or above this do not count; 0: no cap (HS23-1 sets none). */
  max_transfer_usd: z.number().min(0).default(3000),
  /**
   * Proposal [U]: transfers under this do not count. A smuggling fee is paid in instalments of
   * hundreds to thousands of dollars; a friend's share of a meal by P2P is not one, and would only
   * swell a funnel with bystanders (0: no floor).
   */
  min_transfer_usd: z.number().min(0).default(200),
  /** Proposal [U]: a funnel moves a material sum (friends' small P2P payments do not). */
  min_total_usd: z.number().min(0).default(3000),
  /** Proposal [U]: as the fan detectors' relationship test. */
  relationship_days: z.number().min(0).default(7),
  /** Proposal [U]: a beneficiary paid by more distinct accounts than this is a merchant or a hub. */
  max_hub_degree: z.number().int().min(1).default(100),
  channels: z.array(Channel).min(1).default(["wire", "msb", "p2p", "cash"]),
  /** Proposal [U]: what a beneficiary in a border city adds to the score. */
  border_boost: z.number().min(0).max(1).default(0.3),
});

export const hsBorderFunnel = defineDetector({
  id: "hs-border-funnel",
  version: 1,
  typology: "hs-border-funnel",
  title: "Many originators in many places paying one beneficiary (smuggling funnel)",
  basis: "FinCEN FIN-2023-Alert001 (HS23-1); FinCEN FIN-2014-A008 (HS14-1, HS14-6); typologies.md §1.2–1.3",
  params: Params,
  needs: ["ts", "amount_usd", "channel", "from_account", "to_account", "city"],
  lists: ["borderCities"],
  partyRecords: true,
  run(data, p) {
    const g = data.graph;
    const details = detailsOf(data);
    const lists = listsOf(data);
    const border = lists.borderCities;
    const mask = channelMask(p.channels);
    const span = p.window_days * DAY_MS;
    const relationship = p.relationship_days * DAY_MS;
    const usualCity = new Map<number, number>();
    // Where an account is: the city its own transactions usually carry, else its holder's address.
    const cityOf = (account: number) => {
      let c = usualCity.get(account);
      if (c === undefined) {
        c = usualValue(g, details, "city", account);
        if (c < 0) c = details.homeCity[account] as number;
        usualCity.set(account, c);
      }
      return c;
    };
    const text = (i: number) => (i >= 0 ? (details.strings[i] as string) : null);
    const onList = (city: number, region: number) =>
      city >= 0 && onBorderList(border, text(city) as string, text(region));
    const findings: Finding[] = [];
    // A funnel cites its hub's transfers in: on an incremental run, the hubs of new ones.
    const inBounds = (e: number) =>
      (mask & (1 << (g.channel[e] as number))) !== 0 &&
      !(p.max_transfer_usd > 0 && (g.amountUsd[e] as number) >= p.max_transfer_usd) &&
      (g.amountUsd[e] as number) >= p.min_transfer_usd;
    const hubs = subjectAccountsOf(g, data.focus, (e, add) => {
      if (inBounds(e)) add(g.to[e] as number);
    });
    for (const hub of hubs) {
      const lo = g.inStart[hub] as number;
      const hi = g.inStart[hub + 1] as number;
      if (hi - lo < p.min_originators) continue;
      // Originator of each receipt: the account, or a conductor (as -2 - string index); first and
      // last dealing of each, over every channel.
      const originatorOf = (e: number): number => {
        const from = g.from[e] as number;
        if (from >= 0) return from === hub ? -1 : from;
        const a = conductorAccountOf(details, e);
        if (a >= 0) return a === hub ? -1 : a;
        const c = details.conductor[e] as number;
        return c >= 0 ? -2 - c : -1;
      };
      // Receipts that could be funnel transfers; most accounts (merchants paid by card, people paid
      // by ACH) have too few to matter, and are left before anything is allocated.
      const transfer = (e: number) => inBounds(e) && originatorOf(e) !== -1;
      let transfers = 0;
      for (let k = lo; k < hi && transfers < p.min_originators; k++)
        if (transfer(g.inEdges[k] as number)) transfers++;
      if (transfers < p.min_originators) continue;
      // When the account first and last dealt with each originator, over every channel.
      const dealings = new Map<number, [number, number]>();
      for (let k = lo; k < hi; k++) {
        const e = g.inEdges[k] as number;
        const o = originatorOf(e);
        if (o === -1) continue;
        const t = g.time[e] as number;
        const d = dealings.get(o);
        if (d) d[1] = t;
        else dealings.set(o, [t, t]);
      }
      if (dealings.size < p.min_originators) continue;
      let senders = 0;
      for (const o of dealings.keys()) if (o >= 0) senders++;
      if (senders > p.max_hub_degree) continue;
      const candidates: number[] = [];
      for (let k = lo; k < hi; k++) {
        const e = g.inEdges[k] as number;
        if (!transfer(e)) continue;
        const [since, until] = dealings.get(originatorOf(e)) as [number, number];
        if (until - since <= relationship) candidates.push(e);
      }
      if (candidates.length < p.min_originators) continue;
      const best = densest(g.time, candidates, originatorOf, span);
      if (best.originators < p.min_originators) continue;
      // Where each originator is: the transaction's city, else the originator's usual city.
      const placeOf = (e: number): number => {
        const c = details.city[e] as number;
        if (c >= 0) return c;
        const from = g.from[e] as number;
        return from >= 0 ? cityOf(from) : -1;
      };
      const found = densestWithPlaces(g.time, candidates, originatorOf, placeOf, span, p.min_locations);
      if (!found || found.originators < p.min_originators) continue;
      const edges = found.edges;
      const first = g.time[edges[0] as number] as number;
      const last = g.time[edges.at(-1) as number] as number;
      const amountUsd = edges.reduce((s, e) => s + (g.amountUsd[e] as number), 0);
      if (amountUsd < p.min_total_usd) continue;
      const accounts = [...new Set(edges.map(originatorOf).filter((a) => a >= 0))].sort((a, b) => a - b);
      // On the list by where it transacts or by its holder's address (HS23-1: "on or near" the
      // border); the region, where the data has it, must match the list's.
      const seen = usualValue(g, details, "city", hub);
      const seenRegion = usualValue(g, details, "region", hub);
      const home = details.homeCity[hub] as number;
      const homeRegion = details.homeRegion[hub] as number;
      const inBorderCity = onList(seen, seenRegion) || onList(home, homeRegion);
      const hubCity = onList(seen, seenRegion)
        ? seen
        : onList(home, homeRegion)
          ? home
          : seen >= 0
            ? seen
            : home;
      const hubCityName = text(hubCity) ?? "";
      const places = found.places.map((c) => details.strings[c] as string).sort();
      const key = g.accounts[hub] as string;
      const behaviour =
        0.35 +
        0.05 * Math.min(4, found.originators - p.min_originators) +
        0.025 * Math.min(2, found.places.length - p.min_locations);
      findings.push({
        typology: "hs-border-funnel",
        subjects: [
          { account: hub, role: "hub" },
          ...accounts.map((account) => ({ account, role: "originator" as const })),
        ],
        edges,
        window: { from: first, to: last },
        amountUsd,
        reasons: [
          `${found.originators} distinct originators paid ${key} within ${daysBetween(first, last)} day(s): ${edges.length} transfers by ${p.channels.join(", ")}, ${usd(amountUsd)} USD`,
          `they are in ${places.length} different places: ${places.join(", ")} (at least ${p.min_locations} needed)`,
          p.max_transfer_usd > 0
            ? `every transfer is under ${usd(p.max_transfer_usd)} USD (the recordkeeping threshold, FIN-2014-A008 HS14-1)${p.min_transfer_usd > 0 ? ` and at least ${usd(p.min_transfer_usd)} USD` : ""}`
            : `transfers of any amount${p.min_transfer_usd > 0 ? ` from ${usd(p.min_transfer_usd)} USD` : ""} counted (HS23-1)`,
          inBorderCity
            ? `${key} banks in ${hubCityName}, on the southwest border list (border-cities ${border.version}): this raises the score (FIN-2023-Alert001)`
            : `${key} is not known to be in a southwest border city (border-cities ${border.version}${hubCity >= 0 ? `; usual city ${hubCityName}` : ""}): the pattern alone fired, at a lower score`,
        ],
        score: Math.min(1, behaviour + (inBorderCity ? p.border_boost : 0)),
        sarActivities: ["926"],
      });
    }
    return findings;
  },
});

/** The most distinct originators within `span` among time-ordered edges. */
function densest(
  time: Float64Array,
  edges: readonly number[],
  originatorOf: (e: number) => number,
  span: number,
): { originators: number } {
  const inWindow = new Map<number, number>();
  let tail = 0;
  let most = 0;
  for (let k = 0; k < edges.length; k++) {
    const t = time[edges[k] as number] as number;
    while ((time[edges[tail] as number] as number) < t - span) {
      const o = originatorOf(edges[tail] as number);
      const n = (inWindow.get(o) ?? 0) - 1;
      if (n === 0) inWindow.delete(o);
      else inWindow.set(o, n);
      tail++;
    }
    const o = originatorOf(edges[k] as number);
    inWindow.set(o, (inWindow.get(o) ?? 0) + 1);
    most = Math.max(most, inWindow.size);
  }
  return { originators: most };
}

/**
 * The window of at most `span` with the most distinct originators among those whose transfers
 * come from at least `minPlaces` distinct places, with its edges and places.
 */
function densestWithPlaces(
  time: Float64Array,
  edges: readonly number[],
  originatorOf: (e: number) => number,
  placeOf: (e: number) => number,
  span: number,
  minPlaces: number,
): { originators: number; places: number[]; edges: number[] } | null {
  const byOriginator = new Map<number, number>();
  const byPlace = new Map<number, number>();
  const bump = (m: Map<number, number>, k: number, by: number) => {
    const n = (m.get(k) ?? 0) + by;
    if (n === 0) m.delete(k);
    else m.set(k, n);
  };
  let tail = 0;
  let best: { lo: number; hi: number; originators: number; places: number } | null = null;
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k] as number;
    const t = time[e] as number;
    while ((time[edges[tail] as number] as number) < t - span) {
      const x = edges[tail] as number;
      bump(byOriginator, originatorOf(x), -1);
      const place = placeOf(x);
      if (place >= 0) bump(byPlace, place, -1);
      tail++;
    }
    bump(byOriginator, originatorOf(e), 1);
    const place = placeOf(e);
    if (place >= 0) bump(byPlace, place, 1);
    if (
      byPlace.size >= minPlaces &&
      (!best ||
        byOriginator.size > best.originators ||
        (byOriginator.size === best.originators && byPlace.size > best.places))
    )
      best = { lo: tail, hi: k, originators: byOriginator.size, places: byPlace.size };
  }
  if (!best) return null;
  const chosen = edges.slice(best.lo, best.hi + 1);
  const places = [...new Set(chosen.map(placeOf).filter((c) => c >= 0))];
  return { originators: best.originators, places, edges: chosen };
}
