import type { Planter, PlantFn } from "../planter.js";
import type { Rng } from "../random.js";
import type { Account, Person } from "../world.js";

/**
 * Structuring (typologies.md §2): cash kept at or under the $10,000 CTR threshold (31 CFR
 * 1010.311 reports amounts strictly above it) per transaction, and over it in total. One planter
 * per heuristic S1–S7, so that each detector rule has its own cases.
 */

export const CTR_THRESHOLD_CENTS = 1_000_000;
/** The recordkeeping threshold for funds transfers and monetary instruments (S6). */
export const RECORDKEEPING_CENTS = 300_000;

/** `n` amounts in [lo, hi] cents whose sum exceeds `over`; redrawn until it does. */
function amountsOver(rng: Rng, n: number, lo: number, hi: number, over: number): number[] {
  for (;;) {
    const amounts = Array.from({ length: n }, () => Math.round(rng.uniform(lo, hi)));
    if (amounts.reduce((a, b) => a + b, 0) > over) return amounts;
  }
}

/** Business days from `day` on (the first `count` of them). */
function businessDays(p: Planter, day: number, count: number): number[] {
  const out: number[] = [];
  for (let d = day; out.length < count && d < p.calendar.days; d++)
    if (p.calendar.isBusinessDay(d)) out.push(d);
  return out;
}

function deposit(
  p: Planter,
  i: ReturnType<Planter["begin"]>,
  rng: Rng,
  day: number,
  account: number,
  cents: number,
  conductor: number,
  city?: number,
) {
  const a = p.world.accounts[account] as Account;
  const where = city ?? a.city;
  p.emit(i, p.at(rng, day, 9, 17), -1, account, cents, "cash", {
    city: where,
    branch: true,
    conductor,
  });
}

/** The conductor of a deposit: the holder of a personal account, as their primary account. */
function conductorOf(p: Planter, account: number): number {
  const holder = p.holderOf(account) as Person | null;
  return holder?.accounts[0] ?? account;
}

/** S1: 2–4 deposits of $8,000–$10,000 within three business days. */
const s1: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S1");
  const account = p.member(i, p.personal(rng), "hub");
  const days = businessDays(p, p.startDay(rng, 6), 3);
  const n = rng.between(2, 4);
  for (const cents of amountsOver(rng, n, 800_000, 999_900, CTR_THRESHOLD_CENTS)) {
    deposit(p, i, rng, rng.pick(days), account, cents, conductorOf(p, account));
  }
};

/** S2: one business day, two or three branches, each under the threshold, together over it. */
const s2: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S2");
  const account = p.member(i, p.personal(rng), "hub");
  const a = p.world.accounts[account] as Account;
  const cities = p.world.banks[a.bank]?.cities ?? [a.city];
  const day = businessDays(p, p.startDay(rng, 3), 1)[0] ?? 0;
  const n = rng.between(2, 3);
  const where = rng.sample(cities.length >= n ? cities : [a.city], n);
  for (const [k, cents] of amountsOver(rng, n, 400_000, 950_000, CTR_THRESHOLD_CENTS).entries()) {
    deposit(p, i, rng, day, account, cents, conductorOf(p, account), where[k % where.length]);
  }
};

/** S3 (smurfing): three or more people deposit cash into one account within a week. */
const s3: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S3");
  const account = p.member(i, p.personal(rng), "hub");
  const n = rng.between(3, 6);
  const day = p.startDay(rng, 7);
  for (const cents of amountsOver(rng, n, 200_000, 950_000, CTR_THRESHOLD_CENTS)) {
    // Conductors are people, not accounts in the pattern: they appear as the deposit's conductor.
    const smurf = p.personal(rng);
    deposit(p, i, rng, day + rng.int(7), account, cents, conductorOf(p, smurf));
  }
};

/** S4: one conductor deposits into three or more accounts within a week. */
const s4: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S4");
  const conductor = p.personal(rng);
  const n = rng.between(3, 5);
  const day = p.startDay(rng, 7);
  for (const cents of amountsOver(rng, n, 300_000, 950_000, CTR_THRESHOLD_CENTS)) {
    const account = p.member(i, p.personal(rng), "beneficiary");
    deposit(p, i, rng, day + rng.int(7), account, cents, conductorOf(p, conductor));
  }
};

/** S5: three or more deposits of $9,000–$9,999.99 within 30 days. */
const s5: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S5");
  const account = p.member(i, p.personal(rng), "hub");
  const span = p.span(rng, 10, 30);
  const day = p.startDay(rng, span);
  for (const cents of amountsOver(rng, rng.between(3, 5), 900_000, 999_999, CTR_THRESHOLD_CENTS)) {
    deposit(p, i, rng, day + rng.int(span), account, cents, conductorOf(p, account));
  }
};

/** S6: three or more money transfers or money orders of $2,500–$2,999.99 within a week. */
const s6: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S6");
  const account = p.member(i, p.personal(rng), "originator");
  const msb = p.business(rng, ["money-services"]);
  const day = p.startDay(rng, 7);
  for (const cents of amountsOver(rng, rng.between(3, 5), 250_000, 299_999, RECORDKEEPING_CENTS)) {
    const viaMsb = rng.chance(0.6) && p.world.foreign.length > 0;
    const to = viaMsb ? rng.pick(p.world.foreign) : msb;
    // The family abroad receives the structured money; the money-services business only sells the orders.
    if (viaMsb) p.member(i, to, "beneficiary");
    p.emit(i, p.at(rng, day + rng.int(7)), account, to, cents, viaMsb ? "msb" : "money_order");
  }
};

/** S7: daily cash of $5,000–$10,000 on four or five consecutive business days, over $20,000 in all. */
const s7: PlantFn = (p, rng) => {
  const i = p.begin("structuring", "S7");
  const account = p.member(i, p.personal(rng), "hub");
  const days = businessDays(p, p.startDay(rng, 8), 5);
  const active = rng.chance(0.5) ? days : days.filter((_, k) => k !== rng.int(5));
  for (const [k, cents] of amountsOver(
    rng,
    active.length,
    500_000,
    990_000,
    2 * CTR_THRESHOLD_CENTS,
  ).entries()) {
    deposit(p, i, rng, active[k] as number, account, cents, conductorOf(p, account));
  }
};

export const STRUCTURING_VARIANTS: readonly PlantFn[] = [s1, s2, s3, s4, s5, s6, s7];

/** One structuring instance; the variants take turns. */
export const structuring: PlantFn = (p, rng) => {
  const variant = STRUCTURING_VARIANTS[p.count("structuring") % STRUCTURING_VARIANTS.length] as PlantFn;
  variant(p, rng);
};
