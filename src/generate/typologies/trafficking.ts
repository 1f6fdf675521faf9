import { US_CITIES } from "../data/places.js";
import type { Planter, PlantFn } from "../planter.js";
import type { Rng } from "../random.js";
import type { Person } from "../world.js";

/**
 * Human trafficking (FIN-2020-A008, FIN-2014-A008, FATF–APG 2018; typologies.md §1): a
 * controller collecting from victims' accounts week after week and in cash across many cities,
 * wages skimmed as soon as they land, lodging and online-ad spending, a business paying its
 * workers' living costs, and victims' accounts with wages but no ordinary living costs.
 */

function merchantAccount(p: Planter, rng: Rng, type: string): number {
  return p.business(rng, [type]);
}

/** Motel and hotel nights and classified-ad postings paid from `account` over a month. */
function lodgingAndAds(
  p: Planter,
  i: ReturnType<Planter["begin"]>,
  rng: Rng,
  account: number,
  day: number,
  span: number,
) {
  // Three to five different properties (an instance moves its victims around).
  const lodgings = [...(p.world.byType.get("motel") ?? []), ...(p.world.byType.get("hotel") ?? [])];
  const motels = rng
    .sample(lodgings, rng.between(3, 5))
    .map((o) => p.world.orgs[o]?.accounts[0])
    .filter((a): a is number => a !== undefined);
  const nights = rng.between(8, 14);
  for (let n = 0; n < nights; n++) {
    const d = day + Math.floor((n * span) / nights);
    // Several rooms on one night, now and then.
    const rooms = n % 4 === 0 ? 2 : 1;
    for (let r = 0; r < rooms; r++) {
      // Motels and ad sites are ordinary merchants: their payments belong to the pattern, they do not.
      const motel = rng.pick(motels);
      p.emit(i, p.at(rng, d, 20, 24), account, motel, rng.uniform(60, 140) * 100, "card", { mcc: "7011" });
    }
  }
  const ads = merchantAccount(p, rng, "classified-ads");
  for (let n = 0, k = rng.between(4, 8); n < k; n++) {
    p.emit(i, p.at(rng, day + rng.int(span), 0, 24), account, ads, rng.uniform(15, 120) * 100, "card", {
      mcc: "7311",
    });
  }
}

/**
 * Controller fan-in: three to six victims pay one account every week for four weeks or more, at
 * amounts that barely vary; victims also deposit cash into it in several cities.
 */
export const htController: PlantFn = (p, rng) => {
  const i = p.begin("ht-controller", "controller fan-in");
  const controller = p.member(i, p.personal(rng), "hub");
  const victims = Array.from({ length: rng.between(3, 6) }, () => p.member(i, p.personal(rng), "originator"));
  const weeks = Math.max(2, Math.min(rng.between(4, 8), Math.floor((p.calendar.days - 2) / 7)));
  const day = p.startDay(rng, weeks * 7 + 1);
  const base = rng.uniform(300, 900) * 100;
  for (const v of victims) {
    const weekday = rng.int(7);
    const ch = rng.pick(["p2p", "p2p", "ach"] as const);
    for (let w = 0; w < weeks; w++) {
      p.emit(i, p.at(rng, day + w * 7 + weekday, 10, 23), v, controller, base * rng.uniform(0.85, 1.15), ch);
    }
  }
  // Cash deposits into the controller's account in many cities (the victims are moved around).
  const cities = rng.sample(US_CITIES, rng.between(4, 6));
  for (const [, city] of cities) {
    const v = rng.pick(victims);
    p.emit(
      i,
      p.at(rng, day + rng.int(weeks * 7), 9, 17),
      -1,
      controller,
      rng.uniform(800, 4000) * 100,
      "cash",
      {
        city,
        branch: true,
        conductor: v,
      },
    );
  }
  lodgingAndAds(p, i, rng, controller, day, weeks * 7);
};

/** Wage skimming: victims' pay (from a front employer) leaves within 48 hours to one controller. */
export const htWageSkim: PlantFn = (p, rng) => {
  const i = p.begin("ht-wage-skim", "FATF-5");
  const employer = p.member(
    i,
    p.business(rng, ["massage-salon", "nail-salon", "staffing-agency", "cleaning", "restaurant"]),
    "originator",
  );
  const controller = p.member(i, p.personal(rng), "beneficiary");
  const victims = Array.from({ length: rng.between(3, 5) }, () =>
    p.member(i, p.personal(rng), "intermediary"),
  );
  const periods = Math.max(2, Math.min(4, Math.floor(p.calendar.days / 14)));
  const day = p.startDay(rng, periods * 14);
  for (let k = 0; k < periods; k++) {
    const payday = day + k * 14;
    for (const v of victims) {
      const pay = rng.uniform(700, 1400) * 100;
      const t = p.at(rng, payday, 1, 6);
      p.emit(i, t, employer, v, pay, "ach");
      p.emit(
        i,
        t + rng.uniform(2, 46) * 60,
        v,
        controller,
        pay * rng.uniform(0.8, 0.95),
        rng.chance(0.7) ? "p2p" : "cash",
      );
    }
  }
};

/** Lodging and ads: several rooms a night at three or more motels, and classified-ad postings. */
export const htLodgingAds: PlantFn = (p, rng) => {
  const i = p.begin("ht-lodging-ads", "F12(b) + HT14-2");
  const account = p.member(i, p.personal(rng), "hub");
  const span = p.span(rng, 20, 30);
  lodgingAndAds(p, i, rng, account, p.startDay(rng, span), span);
};

/**
 * Living costs: either a business outside hospitality paying lodging, transport and food for
 * its workers (F12(a), HT14-3), or a victim's fresh account with wages and no ordinary living
 * costs at all (FATF-10): every dollar leaves to a third party.
 */
export const htLivingCosts: PlantFn = (p, rng) => {
  if (p.count("ht-living-costs") % 2 === 0) {
    const i = p.begin("ht-living-costs", "F12(a) business");
    const business = p.member(
      i,
      p.business(rng, ["cleaning", "construction", "staffing-agency", "trucking"]),
      "hub",
    );
    const span = p.span(rng, 20, 30);
    const day = p.startDay(rng, span);
    const kinds: [string, string, number][] = [
      ["motel", "7011", 90],
      ["grocery", "5411", 160],
      ["rideshare", "4121", 25],
      ["car-rental", "7512", 200],
      ["restaurant", "5812", 70],
    ];
    for (let n = 0, k = rng.between(12, 20); n < k; n++) {
      const [type, mcc, median] = rng.pick(kinds);
      const merchant = merchantAccount(p, rng, type);
      p.emit(
        i,
        p.at(rng, day + rng.int(span)),
        business,
        merchant,
        rng.logNormal(median, 0.3) * 100,
        "card",
        { mcc },
      );
    }
    return;
  }
  const i = p.begin("ht-living-costs", "FATF-10 victim");
  const victim = p.holderOf(p.personal(rng)) as Person;
  const opened = Math.max(0, p.startDay(rng, 30) - 5);
  const account = p.member(i, p.openAccount(rng, victim, opened), "hub");
  const employer = p.member(i, p.business(rng, ["staffing-agency", "cleaning", "restaurant"]), "originator");
  const taker = p.member(i, p.personal(rng), "beneficiary");
  for (let d = opened + 2; d < p.calendar.days; d += 7) {
    const pay = rng.uniform(600, 900) * 100;
    const t = p.at(rng, d, 1, 6);
    p.emit(i, t, employer, account, pay, "ach");
    p.emit(i, t + rng.uniform(3, 30) * 60, account, taker, pay * rng.uniform(0.9, 0.99), "p2p");
  }
};
