import { CITIES, US_CITIES } from "../data/places.js";
import type { PlantFn } from "../planter.js";
import type { Account } from "../world.js";

/**
 * Funnel accounts and pass-through (typologies.md §1.5; FIN-2020-A008, FIN-2014-A008): money in
 * at one place, out at another, quickly.
 */

/**
 * Funnel account: five or more cash deposits under $10,000 in cities away from home (two or more
 * states), most of the money leaving within two days at home, by cash or wire.
 */
export const funnelAccount: PlantFn = (p, rng) => {
  const i = p.begin("funnel-account", "FUNNEL");
  const funnel = p.member(i, p.personal(rng), "hub");
  const home = (p.world.accounts[funnel] as Account).city;
  const homeRegion = CITIES[home]?.region;
  const away = US_CITIES.filter(([c]) => c.region !== homeRegion);
  const places = rng.sample(away, rng.between(2, 4)).map(([, k]) => k);
  const span = p.span(rng, 10, 30);
  const day = p.startDay(rng, span + 2);
  const n = rng.between(5, 9);
  for (let k = 0; k < n; k++) {
    const where = places[k % places.length] as number;
    const d = day + Math.floor((k * span) / n);
    const cents = rng.uniform(2000, 9500) * 100;
    const courier = p.personal(rng);
    const deposited = p.at(rng, d, 9, 17);
    p.emit(i, deposited, -1, funnel, cents, "cash", {
      city: where,
      branch: true,
      conductor: courier,
    });
    // Withdrawn at home within 48 hours of the deposit (never before it): most of it, by cash or
    // by wire to a collector, 2 to 40 hours after a time of that day no earlier than the deposit.
    const out = cents * rng.uniform(0.75, 0.97);
    const t = Math.max(p.at(rng, d, 9, 17), deposited) + rng.uniform(2, 40) * 60;
    if (rng.chance(0.6)) p.emit(i, t, funnel, -1, out, "cash", { city: home });
    else {
      const collector = p.member(i, p.personal(rng), "beneficiary");
      p.emit(i, t, funnel, collector, out, "wire");
    }
  }
};

/** Pass-through: large credits leave again within 48 hours, keeping 80% or more, two to four times. */
export const passThrough: PlantFn = (p, rng) => {
  const i = p.begin("pass-through", "in-out 48h");
  const through = p.member(
    i,
    rng.chance(0.5) ? p.personal(rng) : p.business(rng, ["import-export", "office", "trucking"]),
    "intermediary",
  );
  const rounds = rng.between(2, 4);
  const span = p.span(rng, 6, 30);
  const day = p.startDay(rng, span + 2);
  for (let k = 0; k < rounds; k++) {
    const from = p.member(i, p.personal(rng), "originator");
    const to = p.member(i, p.personal(rng), "beneficiary");
    const cents = rng.logNormal(45_000, 0.6) * 100;
    const t = p.at(rng, day + Math.floor((k * span) / rounds), 8, 18);
    p.emit(i, t, from, through, cents, "wire");
    p.emit(
      i,
      t + rng.uniform(1, 44) * 60,
      through,
      to,
      cents * rng.uniform(0.82, 0.98),
      rng.chance(0.7) ? "wire" : "ach",
    );
  }
};
