import { CITIES, US_CITIES } from "../data/places.js";
import { convertCents } from "../event-factory.js";
import type { PlantFn } from "../planter.js";
import type { Account, Person } from "../world.js";

/**
 * Human smuggling (FIN-2014-A008 HS14-1/-5, FIN-2023-Alert001 HS23-1/-3; typologies.md §1):
 * payments from many people in many states to one beneficiary on the southwest border, and
 * cash turned quickly into international wires. Countries here are where money goes; nothing
 * about any person's origin is modelled.
 */

const BORDER_CITIES = US_CITIES.filter(([c]) => c.border);
/** Destinations of HS14-5 wires (high migrant-flow countries): where money goes. */
const HIGH_FLOW = new Set(["GT", "HN", "SV", "MX"]);

/** Border funnel: five or more originators from three or more states send under $3,000 each to one border account. */
export const hsBorderFunnel: PlantFn = (p, rng) => {
  const i = p.begin("hs-border-funnel", "HS23-1");
  const [, borderCity] = rng.pick(BORDER_CITIES);
  // A resident of the border city if there is one; else a fresh account opened there.
  let beneficiary = p.personal(rng, (_, a) => a.city === borderCity);
  if ((p.world.accounts[beneficiary] as Account).city !== borderCity) {
    beneficiary = p.openAccount(
      rng,
      p.holderOf(beneficiary) as Person,
      Math.max(0, p.startDay(rng, 30) - 10),
      borderCity,
    );
  }
  p.member(i, beneficiary, "hub");
  const span = p.span(rng, 7, 30);
  const day = p.startDay(rng, span);
  const regions = new Set<string>();
  const n = rng.between(5, 10);
  for (let k = 0; k < n; k++) {
    // Originators from states not yet used until three are, then anywhere.
    const from = p.personal(rng, (_, a) => regions.size >= 3 || !regions.has(CITIES[a.city]?.region ?? ""));
    regions.add(CITIES[(p.world.accounts[from] as Account).city]?.region ?? "");
    p.member(i, from, "originator");
    const cents = rng.uniform(400, 2950) * 100;
    const t = p.at(rng, day + rng.int(span));
    const how = rng.pick(["wire", "msb", "p2p", "cash"] as const);
    if (how === "cash") {
      // Deposited in the sender's own city straight into the beneficiary's account.
      const city = (p.world.accounts[from] as Account).city;
      p.emit(i, t, -1, beneficiary, cents, "cash", {
        city,
        branch: true,
        conductor: from,
      });
    } else p.emit(i, t, from, beneficiary, cents, how);
  }
};

/**
 * Cash to wire: a burst of cash deposits, then 70% or more wired abroad within five days of the
 * last deposit (on the five days after it).
 */
export const hsCashToWire: PlantFn = (p, rng) => {
  const i = p.begin("hs-cash-to-wire", "HS14-5");
  const account = p.member(i, p.personal(rng), "hub");
  const abroad = p.world.foreign.filter((f) => HIGH_FLOW.has((p.world.accounts[f] as Account).country));
  const span = p.span(rng, 5, 12);
  const day = p.startDay(rng, span + 6);
  let total = 0;
  // The day of the last deposit: the wires follow it within five days (HS14-5's "rapid").
  let lastDay = day;
  for (let k = 0, n = rng.between(4, 8); k < n; k++) {
    const cents = rng.uniform(2000, 9000) * 100;
    total += cents;
    const city = (p.world.accounts[account] as Account).city;
    const d = day + rng.int(span);
    lastDay = Math.max(lastDay, d);
    p.emit(i, p.at(rng, d, 9, 17), -1, account, cents, "cash", {
      city,
      branch: true,
      conductor: account,
    });
  }
  let left = total * rng.uniform(0.72, 0.95);
  const targets = abroad.length > 0 ? rng.sample(abroad, rng.between(1, 3)) : p.world.foreign.slice(0, 1);
  for (let k = 0; left > 0 && targets.length > 0; k++) {
    const to = p.member(i, targets[k % targets.length] as number, "beneficiary");
    const cents = Math.min(left, rng.uniform(2000, 9000) * 100);
    left -= cents;
    const country = (p.world.accounts[to] as Account).country;
    const extras =
      country === "MX"
        ? { recvCurrency: "MXN", recvMinor: convertCents(cents, "MXN", p.usdPerUnit.get("MXN") ?? 0.05) }
        : {};
    p.emit(
      i,
      p.at(rng, lastDay + 1 + rng.int(5), 9, 17),
      account,
      to,
      cents,
      rng.chance(0.5) ? "wire" : "msb",
      extras,
    );
  }
};
