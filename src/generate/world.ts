import { AliasTable } from "./alias-table.js";
import { BUSINESS_PROFILES, type BusinessProfile, EVERYDAY_SPENDING } from "./business-types.js";
import { BUSINESS_WORDS, ORGANISATION_SUFFIXES } from "./data/names.js";
import { CITIES, FOREIGN_COUNTRIES, US_CITIES } from "./data/places.js";
import {
  emailFor,
  pickEin,
  pickGivenName,
  pickNationalId,
  pickPhone,
  pickStreetAddress,
  pickSurname,
  type TrueOrganisation,
  type TruePerson,
} from "./party-noise.js";
import type { Rng } from "./random.js";

/**
 * The population of a synthetic world: banks with branches in cities, people in households,
 * businesses by type, and their accounts, with who works for whom, who rents from whom and who
 * sends money home. Built once, before any transaction; everything here is a pure function of
 * the options and the random stream.
 */

export interface WorldOptions {
  /** Accounts in the world, all kinds (personal, business, foreign). */
  accounts: number;
  /** Transactions to generate, approximately. */
  transactions: number;
  seed: number;
  days: number;
  banks: number;
  /** First day, YYYY-MM-DD (UTC). */
  start: string;
  /** Share of transactions that belong to planted typologies. */
  prevalence: number;
  /**
   * Fans' amounts: 1, one shared sum for every member (AMLSim's, within 3%); above 1, each
   * member's own, within this ratio of the others (AMLworld's fans pay unlike sums).
   */
  fanSpread: number;
}

export const DEFAULT_OPTIONS: WorldOptions = {
  accounts: 10_000,
  transactions: 200_000,
  seed: 1,
  days: 60,
  banks: 8,
  start: "2022-09-01",
  prevalence: 0.001,
  fanSpread: 1,
};

export type PayCycle = "weekly" | "biweekly" | "semimonthly" | "monthly";

export interface Bank {
  /** Zero-padded numeric id, as in AMLworld (leading zeros are significant). */
  id: string;
  name: string;
  /** City indices (into CITIES) with a branch. */
  cities: number[];
}

export interface Account {
  index: number;
  bank: number;
  number: string;
  /** `<bank id>:<number>`, the account key of DESIGN §2. */
  key: string;
  kind: "personal" | "business";
  holder: { kind: "person" | "organisation" | "foreign"; index: number };
  city: number;
  country: string;
  /** Day (relative to the start; negative before it) the account was opened. */
  opened: number;
}

export interface Person {
  index: number;
  entity: string;
  truth: TruePerson;
  city: number;
  household: number;
  accounts: number[];
  employer: number;
  payCycle: PayCycle;
  /** Net pay per period, USD cents. */
  pay: number;
  landlord: number;
  /** Rent per month, USD cents; 0 when the household owns its home or another member pays. */
  rent: number;
  utilities: number[];
  /** Expected card purchases per day (heavy-tailed across people). */
  spendRate: number;
  friends: number[];
  /** Foreign account the person sends money home to, or -1. */
  remitTo: number;
  remit: number;
  /** Works across many cities (a travelling salesperson): spends and withdraws cash on the road. */
  travelling: boolean;
}

export interface Organisation {
  index: number;
  entity: string;
  truth: TrueOrganisation;
  profile: BusinessProfile;
  city: number;
  accounts: number[];
  staff: number[];
  /** Payroll processor paying its staff, or -1 when it pays them itself. */
  payrollVia: number;
  payCycle: PayCycle;
  suppliers: number[];
  /** Expected consumer purchases per day, relative to others of its kind. */
  popularity: number;
}

export interface World {
  options: WorldOptions;
  banks: Bank[];
  accounts: Account[];
  persons: Person[];
  orgs: Organisation[];
  /** Foreign accounts: family abroad and foreign suppliers; no party records. */
  foreign: number[];
  /** Organisation indices by business type. */
  byType: Map<string, number[]>;
  /** Per business type, per city: local merchants and an alias table by popularity. */
  merchants: Map<string, Map<number, { orgs: number[]; table: AliasTable }>>;
  /** City draws by population weight. */
  cityTable: AliasTable;
  /** Everyday spending categories, drawn by share. */
  spendingTable: AliasTable;
}

const HEX = "0123456789ABCDEF";

/** Appends to a map of lists (copying the list on every add made building the world quadratic). */
function groupPush<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const list = groups.get(key);
  if (list) list.push(value);
  else groups.set(key, [value]);
}
const AMLWORLD_BANK_NAMES = [
  "First",
  "Union",
  "Pacific",
  "Heritage",
  "Frontier",
  "Citizens",
  "Summit",
  "Harbor",
];

/** Opens an account at a domestic bank with a fresh AMLworld-style number; returns its index. */
export function addAccount(
  accounts: Account[],
  banks: readonly Bank[],
  a: Pick<Account, "bank" | "kind" | "holder" | "city" | "country" | "opened">,
  rng: Rng,
): number {
  const number = accountNumber(rng);
  const key = `${(banks[a.bank] as Bank).id}:${number}`;
  accounts.push({ index: accounts.length, ...a, number, key });
  return accounts.length - 1;
}

function accountNumber(rng: Rng): string {
  let s = "8";
  for (let i = 0; i < 8; i++) s += HEX[rng.int(16)];
  return s;
}

function bankIds(count: number, rng: Rng): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    // AMLworld bank ids vary in length and keep their leading zeros ("010", "0032", "001120").
    const width = rng.pick([3, 4, 5, 6]);
    ids.add(String(rng.between(1, 10 ** (width - 1) * 3)).padStart(width, "0"));
  }
  return [...ids];
}

function payCycle(rng: Rng): PayCycle {
  return (["weekly", "biweekly", "biweekly", "semimonthly", "monthly"] as const)[rng.int(5)] as PayCycle;
}

function businessName(rng: Rng, type: string, city: string): { name: string; suffix: string | null } {
  const words = BUSINESS_WORDS.find((w) => w.type === type);
  const prefix = words ? rng.pick(words.prefixes) : rng.pick([city, "Metro", "United", "National", "Prime"]);
  const noun = words
    ? rng.pick(words.nouns)
    : type.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
  const suffixes = ORGANISATION_SUFFIXES.map((s) => s[0] as string);
  return { name: `${prefix} ${noun}`, suffix: rng.chance(0.85) ? rng.pick(suffixes) : null };
}

/** Builds the population. Account count is met exactly; people and businesses follow from it. */
export function buildWorld(options: WorldOptions, rng: Rng): World {
  const r = {
    banks: rng.fork("banks"),
    people: rng.fork("people"),
    orgs: rng.fork("orgs"),
    links: rng.fork("links"),
  };
  const cityTable = new AliasTable(CITIES.map((c) => (c.country === "US" ? c.weight : 0)));
  const usCities = US_CITIES.map(([, i]) => i);

  // Banks: a few national ones with branches everywhere, the rest regional.
  const banks: Bank[] = bankIds(options.banks, r.banks).map((id, i) => {
    const national = i < Math.max(1, Math.ceil(options.banks / 3));
    const cities = national
      ? usCities.slice()
      : [...new Set(Array.from({ length: r.banks.between(3, 12) }, () => cityTable.draw(r.banks)))];
    return { id, name: `${AMLWORLD_BANK_NAMES[i % AMLWORLD_BANK_NAMES.length]} Bank ${i + 1}`, cities };
  });
  const banksInCity = new Map<number, number[]>();
  banks.forEach((b, bi) => {
    for (const c of b.cities) groupPush(banksInCity, c, bi);
  });

  const accounts: Account[] = [];
  const openAccount = (
    bank: number,
    kind: Account["kind"],
    holder: Account["holder"],
    city: number,
    country: string,
    opened: number,
    rr: Rng,
  ): number => addAccount(accounts, banks, { bank, kind, holder, city, country, opened }, rr);
  const bankFor = (city: number, rr: Rng, not: number[] = []): number => {
    const local = (banksInCity.get(city) ?? []).filter((b) => !not.includes(b));
    if (local.length > 0 && rr.chance(0.85)) return rr.pick(local);
    const others = banks.map((_, i) => i).filter((b) => !not.includes(b));
    return others.length > 0 ? rr.pick(others) : rr.int(banks.length);
  };

  // Shares of the account total: 3% foreign, 12% business, the rest personal (people hold 1.4 each).
  const foreignCount = Math.max(2, Math.round(options.accounts * 0.03));
  const businessAccounts = Math.max(BUSINESS_PROFILES.length * 2, Math.round(options.accounts * 0.12));
  const personalAccounts = Math.max(10, options.accounts - foreignCount - businessAccounts);

  // Businesses: national ones in fixed numbers, local ones by weight, in cities by population.
  const orgs: Organisation[] = [];
  const byType = new Map<string, number[]>();
  const addOrg = (profile: BusinessProfile, city: number): Organisation => {
    const { name, suffix } = businessName(r.orgs, profile.type, (CITIES[city] as { name: string }).name);
    const address = pickStreetAddress(r.orgs, CITIES[city] as (typeof CITIES)[number]);
    const org: Organisation = {
      index: orgs.length,
      entity: `E-O${String(orgs.length + 1).padStart(6, "0")}`,
      truth: {
        kind: "organisation",
        name,
        suffix,
        address,
        phone: pickPhone(r.orgs, address.postcode.slice(0, 3)),
        email: r.orgs.chance(0.7) ? `info@${name.toLowerCase().replace(/[^a-z0-9]+/g, "")}.com` : null,
        taxId: pickEin(r.orgs),
      },
      profile,
      city,
      accounts: [],
      staff: [],
      payrollVia: -1,
      payCycle: payCycle(r.orgs),
      suppliers: [],
      popularity: r.orgs.pareto(1, 1.3),
    };
    orgs.push(org);
    groupPush(byType, profile.type, org.index);
    return org;
  };
  for (const p of BUSINESS_PROFILES) for (let i = 0; i < p.national; i++) addOrg(p, cityTable.draw(r.orgs));
  const localProfiles = BUSINESS_PROFILES.filter((p) => p.national === 0);
  const localTable = new AliasTable(localProfiles.map((p) => p.weight));
  // Every local type exists at least once, so that every typology finds its kind of business.
  for (const p of localProfiles) addOrg(p, cityTable.draw(r.orgs));
  while (orgs.length < Math.round(businessAccounts / 1.15)) {
    addOrg(localProfiles[localTable.draw(r.orgs)] as BusinessProfile, cityTable.draw(r.orgs));
  }
  for (const org of orgs) {
    const first = bankFor(org.city, r.orgs);
    org.accounts.push(
      openAccount(
        first,
        "business",
        { kind: "organisation", index: org.index },
        org.city,
        "US",
        -r.orgs.between(60, 8000),
        r.orgs,
      ),
    );
  }
  // Some businesses bank at a second bank too, until the business share is met.
  while (accounts.length < businessAccounts) {
    const org = orgs[r.orgs.int(orgs.length)] as Organisation;
    const used = org.accounts.map((a) => (accounts[a] as Account).bank);
    org.accounts.push(
      openAccount(
        bankFor(org.city, r.orgs, used),
        "business",
        { kind: "organisation", index: org.index },
        org.city,
        "US",
        -r.orgs.between(30, 4000),
        r.orgs,
      ),
    );
  }

  // People, in households that share an address (and usually a surname).
  const persons: Person[] = [];
  let household = 0;
  while (accounts.length < businessAccounts + personalAccounts) {
    const city = cityTable.draw(r.people);
    const address = pickStreetAddress(r.people, CITIES[city] as (typeof CITIES)[number]);
    const surname = pickSurname(r.people);
    const size = r.people.weighted([40, 35, 13, 8, 4]) + 1;
    const phone = pickPhone(r.people, address.postcode.slice(0, 3));
    const members: TruePerson[] = [];
    const headYear = 2022 - r.people.between(25, 80);
    for (let m = 0; m < size; m++) {
      const sex = r.people.chance(0.5) ? "F" : "M";
      let given = pickGivenName(r.people, sex);
      let year = m < 2 ? headYear + r.people.between(-4, 4) : headYear + r.people.between(20, 32);
      if (year > 2004) year = 2004; // account holders are adults
      let birth = `${year}-${String(r.people.between(1, 12)).padStart(2, "0")}-${String(r.people.between(1, 28)).padStart(2, "0")}`;
      let suffix: TruePerson["suffix"] = null;
      const head = members[0];
      // The hard cases for resolution: a son named after his father, and twins.
      if (m >= 2 && head && sex === "M" && head.given && r.people.chance(0.12)) {
        given = head.given;
        suffix = "Jr";
      }
      const prev = members[m - 1];
      if (m >= 3 && prev && r.people.chance(0.15)) birth = prev.birthDate;
      const ownSurname = m === 1 && r.people.chance(0.2) ? pickSurname(r.people) : surname;
      members.push({
        kind: "person",
        given,
        middle: r.people.chance(0.55) ? pickGivenName(r.people, sex) : null,
        surname: ownSurname,
        suffix,
        birthDate: birth,
        address,
        phone: m === 0 || r.people.chance(0.4) ? pickPhone(r.people, address.postcode.slice(0, 3)) : phone,
        email: r.people.chance(0.8) ? emailFor(r.people, given, ownSurname) : null,
        nationalId: pickNationalId(r.people),
      });
    }
    for (const truth of members) {
      const p: Person = {
        index: persons.length,
        entity: `E-P${String(persons.length + 1).padStart(6, "0")}`,
        truth,
        city,
        household,
        accounts: [],
        employer: -1,
        payCycle: "biweekly",
        pay: 0,
        landlord: -1,
        rent: 0,
        utilities: [],
        spendRate: r.people.logNormal(1, 0.7),
        friends: [],
        remitTo: -1,
        remit: 0,
        travelling: false,
      };
      persons.push(p);
      // Accounts: one bank for most, two or three for some (the same person at several banks).
      const nBanks = r.people.weighted([62, 30, 8]) + 1;
      const used: number[] = [];
      for (let k = 0; k < nBanks && accounts.length < businessAccounts + personalAccounts; k++) {
        const bank = bankFor(city, r.people, used);
        used.push(bank);
        const personal = (maxAgeDays: number) =>
          openAccount(
            bank,
            "personal",
            { kind: "person", index: p.index },
            city,
            "US",
            -r.people.between(30, maxAgeDays),
            r.people,
          );
        p.accounts.push(personal(9000));
        // Now and then a second account at the same bank (a savings account beside the current one).
        if (r.people.chance(0.08) && accounts.length < businessAccounts + personalAccounts)
          p.accounts.push(personal(4000));
      }
      if (accounts.length >= businessAccounts + personalAccounts) break;
    }
    household++;
  }

  // Foreign accounts: family abroad, and suppliers of importers.
  const foreignBanks = bankIds(6, r.banks).map((id) => `7${id}`);
  const foreign: number[] = [];
  const countryTable = new AliasTable(FOREIGN_COUNTRIES.map((c) => c.weight));
  for (let i = 0; i < foreignCount; i++) {
    const country = (FOREIGN_COUNTRIES[countryTable.draw(r.banks)] as { code: string }).code;
    const number = accountNumber(r.banks);
    const bankId = foreignBanks[r.banks.int(foreignBanks.length)] as string;
    accounts.push({
      index: accounts.length,
      bank: -1,
      number,
      key: `${bankId}:${number}`,
      kind: "personal",
      holder: { kind: "foreign", index: i },
      city: -1,
      country,
      opened: -r.banks.between(100, 5000),
    });
    foreign.push(accounts.length - 1);
  }

  linkLives({ persons, orgs, byType, foreign, accounts }, r.links);

  // Local merchants per type and city, by popularity; a person buys mostly in their own city.
  const merchants = new Map<string, Map<number, { orgs: number[]; table: AliasTable }>>();
  for (const [type, list] of byType) {
    const perCity = new Map<number, number[]>();
    for (const o of list) {
      const org = orgs[o] as Organisation;
      const key = org.profile.national > 0 ? -1 : org.city;
      groupPush(perCity, key, o);
    }
    const tables = new Map<number, { orgs: number[]; table: AliasTable }>();
    for (const [city, members] of perCity) {
      tables.set(city, {
        orgs: members,
        table: new AliasTable(members.map((o) => (orgs[o] as Organisation).popularity)),
      });
    }
    merchants.set(type, tables);
  }

  return {
    options,
    banks,
    accounts,
    persons,
    orgs,
    foreign,
    byType,
    merchants,
    cityTable,
    spendingTable: new AliasTable(EVERYDAY_SPENDING.map(([, w]) => w)),
  };
}

/** Who works where, who pays rent to whom, utilities, friends, remittances, travelling jobs. */
function linkLives(w: Pick<World, "persons" | "orgs" | "byType" | "foreign" | "accounts">, rng: Rng): void {
  const { persons, orgs, byType, foreign } = w;
  const employers = orgs.filter((o) => o.profile.staff > 0 && o.profile.type !== "utility");
  const employerTable = new AliasTable(employers.map((o) => o.profile.staff * o.popularity));
  const processors = byType.get("payroll-processor") ?? [];
  const landlords = byType.get("landlord") ?? [];
  const utilities = byType.get("utility") ?? [];
  const b2b = orgs.filter((o) => !o.profile.consumer && o.profile.national === 0);
  for (const org of orgs) {
    // Larger employers often pay through a payroll processor: one account paying thousands.
    if (processors.length > 0 && org.profile.type !== "payroll-processor" && rng.chance(0.35)) {
      org.payrollVia = rng.pick(processors);
    }
    const supplierCount =
      org.profile.consumer || org.profile.type === "office" ? rng.between(1, 4) : rng.between(2, 6);
    for (let i = 0; i < supplierCount && b2b.length > 1; i++) {
      const supplier = rng.pick(b2b) as Organisation;
      if (supplier.index !== org.index) org.suppliers.push(supplier.index);
    }
  }
  const byHousehold = new Map<number, Person[]>();
  for (const p of persons) groupPush(byHousehold, p.household, p);
  for (const p of persons) {
    const age = 2022 - Number(p.truth.birthDate.slice(0, 4));
    if (age < 67 && rng.chance(0.78)) {
      const org = employers[employerTable.draw(rng)] as Organisation;
      p.employer = org.index;
      org.staff.push(p.index);
      p.payCycle = org.payCycle;
      const annual = rng.logNormal(52_000, 0.45);
      const periods = { weekly: 52, biweekly: 26, semimonthly: 24, monthly: 12 }[p.payCycle];
      p.pay = Math.round((annual * 0.78 * 100) / periods);
    }
    p.friends = Array.from({ length: rng.between(1, 6) }, () => rng.int(persons.length)).filter(
      (f) => f !== p.index,
    );
    p.travelling = rng.chance(0.004);
    if (foreign.length > 0 && rng.chance(0.05)) {
      p.remitTo = rng.pick(foreign);
      p.remit = Math.round(rng.logNormal(350, 0.4)) * 100;
    }
  }
  // Rent and utilities are paid by one member of each household.
  for (const members of byHousehold.values()) {
    const payer = members[0] as Person;
    if (landlords.length > 0 && rng.chance(0.45)) {
      payer.landlord = rng.pick(landlords);
      payer.rent = Math.round(rng.logNormal(1400, 0.35)) * 100;
    }
    payer.utilities = rng.sample(utilities, rng.between(1, Math.min(3, utilities.length)));
  }
}
