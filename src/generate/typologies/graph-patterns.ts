import type { Channel } from "../../model/channel.js";
import { convertCents } from "../event-factory.js";
import { MINUTES_PER_DAY } from "../events.js";
import type { Instance, Planter, PlantFn } from "../planter.js";
import type { Rng } from "../random.js";

/**
 * The eight laundering graph patterns of AMLSim and AMLworld (typologies.md §3), with their
 * shapes: fans of 2–16, cycles of 2–12 hops, bipartite and stacked layers, scatter-gather,
 * gather-scatter and random forwarding; spans of days to weeks; members at several banks;
 * amounts that keep most of the money at each hop (AMLSim's 10% margin).
 */

const TRANSFER_CHANNELS: readonly Channel[] = ["wire", "ach", "ach", "check", "p2p", "wire"];

/** AMLSim's RoundedAmount: a round figure (a multiple of a power of ten) around a median. */
function roundedAmount(rng: Rng, median: number): number {
  const raw = rng.logNormal(median, 0.7);
  const step = 10 ** Math.max(1, Math.floor(Math.log10(raw)) - 1);
  return Math.round(raw / step) * step * 100;
}

function channel(rng: Rng): Channel {
  return rng.pick(TRANSFER_CHANNELS);
}

/** Currencies a laundering wire may arrive in: AMLworld's patterns cross currencies as well as banks. */
const RECEIVED_IN = ["EUR", "GBP", "MXN", "CAD", "CNY", "CHF"];

/**
 * A planted transfer; a third of wires are received in another currency (paid in dollars).
 * False when it fell outside the world's days and was not planted.
 */
function transfer(
  p: Planter,
  rng: Rng,
  i: Instance,
  t: number,
  from: number,
  to: number,
  cents: number,
  ch: Channel,
): boolean {
  if (ch !== "wire" || !rng.chance(1 / 3)) return p.emit(i, t, from, to, cents, ch);
  const currency = rng.pick(RECEIVED_IN);
  const recvMinor = convertCents(cents, currency, p.usdPerUnit.get(currency) ?? 1);
  return p.emit(i, t, from, to, cents, ch, { recvCurrency: currency, recvMinor });
}

/**
 * A fan: one hub and 2–16 counterparties at several banks, each paying in (fan-in) or being
 * paid (fan-out) once, a shared round amount (AMLSim's), spread over 3–30 days. With the world's
 * `fanSpread` above 1, each member's amount is its own, within that ratio of the others
 * (AMLworld's published fans pay unlike sums: 10,155, 5,327 and 4,635 AUD into one hub).
 */
function fan(typology: "fan-in" | "fan-out", hubTypes: string[]): PlantFn {
  return (p, rng) => {
    const k = rng.between(2, 16);
    const span = p.span(rng, 3, 30);
    const i = p.begin(typology, `max ${k}-degree`);
    const hub = p.member(i, rng.chance(0.65) ? p.personal(rng) : p.business(rng, hubTypes), "hub");
    const amount = roundedAmount(rng, 3000);
    const day = p.startDay(rng, span);
    for (const [j, other] of p.personalAcrossBanks(rng, k).entries()) {
      p.member(i, other, typology === "fan-in" ? "originator" : "beneficiary");
      const t = p.at(rng, day + (j * span) / k + rng.int(2), 0, 24);
      const [from, to] = typology === "fan-in" ? [other, hub] : [hub, other];
      const spread = p.world.options.fanSpread;
      const cents =
        spread > 1
          ? amount * Math.exp(rng.uniform(-0.5, 0.5) * Math.log(spread))
          : amount * rng.uniform(0.97, 1.03);
      transfer(p, rng, i, t, from, to, cents, channel(rng));
    }
  };
}

export const fanIn = fan("fan-in", ["retail", "import-export", "office"]);
export const fanOut = fan("fan-out", ["import-export", "construction", "office"]);

/** A temporally ordered simple cycle; each hop forwards 88–98% of what it received. */
export const cycle: PlantFn = (p, rng) => {
  const hops = rng.between(2, 12);
  const i = p.begin("cycle", `max ${hops} hops`);
  const members = p.personalAcrossBanks(rng, hops).map((a) => p.member(i, a, "member"));
  // The whole cycle must fit in the world: a cut cycle would not be the cycle its label claims.
  const room = Math.max(1, p.calendar.days - 2) * MINUTES_PER_DAY;
  const gap = Math.min(rng.uniform(0.3, 4) * MINUTES_PER_DAY, room / (hops * 1.5 + 1));
  let t = p.at(rng, p.startDay(rng, (hops * gap * 1.5) / MINUTES_PER_DAY + 1), 0, 24);
  let amount = rng.logNormal(9000, 0.8) * 100;
  const ch = channel(rng);
  for (let h = 0; h < members.length; h++) {
    const from = members[h] as number;
    const to = members[(h + 1) % members.length] as number;
    transfer(p, rng, i, t, from, to, amount, rng.chance(0.7) ? ch : channel(rng));
    t += gap * rng.uniform(0.5, 1.5) + 1;
    amount *= rng.uniform(0.88, 0.98);
  }
};

/** First the scatter to single-use intermediaries, then the gather, each keeping about 10%. */
export const scatterGather: PlantFn = (p, rng) => {
  const j = rng.between(3, 8);
  const span = p.span(rng, 6, 40);
  const i = p.begin("scatter-gather", `${j} intermediaries`);
  const [source, sink, ...mids] = p.personalAcrossBanks(rng, j + 2);
  if (source === undefined || sink === undefined) return;
  p.member(i, source, "originator");
  p.member(i, sink, "beneficiary");
  const day = p.startDay(rng, span);
  const mid = day + Math.floor(span / 2);
  const amount = roundedAmount(rng, 4000);
  for (const m of mids) {
    p.member(i, m, "intermediary");
    const out = amount * rng.uniform(0.95, 1.05);
    transfer(
      p,
      rng,
      i,
      p.at(rng, day + rng.int(Math.max(1, mid - day)), 0, 24),
      source,
      m,
      out,
      channel(rng),
    );
    transfer(
      p,
      rng,
      i,
      p.at(rng, mid + rng.int(Math.max(1, span - (mid - day))), 0, 24),
      m,
      sink,
      out * rng.uniform(0.85, 0.95),
      channel(rng),
    );
  }
};

/** Many pay one hub, which then pays many: Σout ≈ 90% of Σin, gathers before scatters. */
export const gatherScatter: PlantFn = (p, rng) => {
  const ins = rng.between(3, 7);
  const outs = rng.between(3, 7);
  const span = p.span(rng, 10, 60);
  const i = p.begin("gather-scatter", `max ${ins}-degree fan-in`);
  const hub = p.member(i, p.personal(rng), "hub");
  const day = p.startDay(rng, span);
  const mid = day + Math.floor(span / 2);
  let total = 0;
  for (const from of p.personalAcrossBanks(rng, ins)) {
    p.member(i, from, "originator");
    const cents = roundedAmount(rng, 3000);
    total += cents;
    transfer(
      p,
      rng,
      i,
      p.at(rng, day + rng.int(Math.max(1, mid - day)), 0, 24),
      from,
      hub,
      cents,
      channel(rng),
    );
  }
  const each = (total * rng.uniform(0.85, 0.95)) / outs;
  for (const to of p.personalAcrossBanks(rng, outs)) {
    p.member(i, to, "beneficiary");
    transfer(
      p,
      rng,
      i,
      p.at(rng, mid + rng.int(Math.max(1, span - (mid - day))), 0, 24),
      hub,
      to,
      each * rng.uniform(0.9, 1.1),
      channel(rng),
    );
  }
};

/** Two sets, dense edges from the first to the second and none back. */
export const bipartite: PlantFn = (p, rng) => {
  const a = rng.between(2, 5);
  const b = rng.between(2, 5);
  const span = p.span(rng, 3, 20);
  const i = p.begin("bipartite", `${a}x${b}`);
  const accounts = p.personalAcrossBanks(rng, a + b);
  const left = accounts.slice(0, a).map((x) => p.member(i, x, "originator"));
  const right = accounts.slice(a).map((x) => p.member(i, x, "beneficiary"));
  const day = p.startDay(rng, span);
  let missing = 0;
  const cells = left.flatMap((l) => right.map((r) => [l, r] as const));
  for (const [l, r] of cells) {
    // Density ≥ 0.8: an edge may be missing only while at most a fifth are.
    if (rng.chance(0.12) && missing + 1 <= 0.2 * cells.length) {
      missing++;
      continue;
    }
    transfer(
      p,
      rng,
      i,
      p.at(rng, day + rng.int(span), 0, 24),
      l,
      r,
      rng.uniform(1000, 9000) * 100,
      channel(rng),
    );
  }
};

/** Two bipartite layers stacked: originators → intermediaries → beneficiaries, layer two later. */
export const stack: PlantFn = (p, rng) => {
  const [a, m, b] = [rng.between(2, 4), rng.between(2, 4), rng.between(2, 4)];
  const span = p.span(rng, 10, 45);
  const i = p.begin("stack", `${a}x${m}x${b}`);
  const accounts = p.personalAcrossBanks(rng, a + m + b);
  const top = accounts.slice(0, a).map((x) => p.member(i, x, "originator"));
  const middle = accounts.slice(a, a + m).map((x) => p.member(i, x, "intermediary"));
  const bottom = accounts.slice(a + m).map((x) => p.member(i, x, "beneficiary"));
  const day = p.startDay(rng, span);
  const mid = day + Math.floor(span / 2);
  for (const x of top)
    for (const y of middle)
      transfer(
        p,
        rng,
        i,
        p.at(rng, day + rng.int(Math.max(1, mid - day)), 0, 24),
        x,
        y,
        rng.uniform(1500, 8000) * 100,
        channel(rng),
      );
  for (const y of middle)
    for (const z of bottom)
      transfer(
        p,
        rng,
        i,
        p.at(rng, mid + rng.int(Math.max(1, span - (mid - day))), 0, 24),
        y,
        z,
        rng.uniform(1200, 7000) * 100,
        channel(rng),
      );
};

/**
 * Random forwarding: each holder passes 70–95% on to another account of the ring within a week.
 * The walk need not visit every account drawn for the ring: only those it visits (that pay or
 * are paid) are members, so the truth lists no account that carries none of its transactions.
 * The others stay reserved, out of later instances, as when they were listed.
 */
export const randomWalk: PlantFn = (p, rng) => {
  const size = rng.between(4, 8);
  const hops = rng.between(4, 10);
  const i = p.begin("random", `max ${hops} hops`);
  const members = p.personalAcrossBanks(rng, size).map((a) => p.reserve(a));
  let holder = members[0] as number;
  let amount = rng.logNormal(7000, 0.7) * 100;
  // Up to 6.5 days a hop, but the walk must fit in the world.
  const perHop = Math.min(6.5, Math.max(0.2, (p.calendar.days - 2) / hops));
  let t = p.at(rng, p.startDay(rng, hops * perHop + 1), 0, 24);
  for (let h = 0; h < hops; h++) {
    let next = rng.pick(members);
    while (next === holder) next = rng.pick(members);
    // A hop outside the world is not planted, and makes no member of its accounts.
    if (transfer(p, rng, i, t, holder, next, amount, channel(rng))) {
      p.member(i, holder, "intermediary");
      p.member(i, next, "intermediary");
    }
    holder = next;
    amount *= rng.uniform(0.7, 0.95);
    t += rng.uniform(0.1, perHop) * MINUTES_PER_DAY;
  }
};

export const GRAPH_PATTERN_PLANTERS = {
  "fan-in": fanIn,
  "fan-out": fanOut,
  cycle,
  "scatter-gather": scatterGather,
  "gather-scatter": gatherScatter,
  bipartite,
  stack,
  random: randomWalk,
} as const;
