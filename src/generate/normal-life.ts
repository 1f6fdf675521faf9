import { AliasTable } from "./alias-table.js";
import { EVERYDAY_SPENDING } from "./business-types.js";
import type { Calendar } from "./calendar.js";
import { CITIES } from "./data/places.js";
import { type EventBatch, mccs } from "./event-batch.js";
import { convertCents, event, minuteOf } from "./event-factory.js";
import { MINUTES_PER_DAY } from "./events.js";
import type { Rng } from "./random.js";
import type { Account, Organisation, Person, World } from "./world.js";

/**
 * Everyday money: pay days, rent and utilities, card purchases, payments between friends, cash
 * from ATMs, businesses paying suppliers and depositing their cash takings, remittances home.
 * Generated one day at a time, as the writer reaches that day, so that memory holds one day.
 */

/** Currencies that remittances to a country arrive in (else US dollars). */
const HOME_CURRENCY: Record<string, string> = {
  MX: "MXN",
  IN: "INR",
  CN: "CNY",
  PH: "PHP",
  BR: "BRL",
  GB: "GBP",
  CA: "CAD",
};
/** Currencies foreign suppliers invoice in. */
const SUPPLIER_CURRENCIES = ["EUR", "CNY", "GBP", "JPY", "CAD", "MXN"];
const SUPPLIER_CHANNELS = ["ach", "ach", "wire", "check"] as const;

export interface NormalLife {
  /** Appends day `day`'s ordinary events to `out`. */
  day(day: number, out: EventBatch): void;
  /** The expected number of ordinary events over the whole world, for the realism report. */
  expected: number;
  /** Accounts that look suspicious and are not, with what they resemble (the hard negatives). */
  hardNegatives: { account: number; kind: string; resembles: string[] }[];
}

/** The party record id of an account's holder (as written to parties.csv). */
export function recordIdOf(account: number): string {
  return `${RECORD_ID_PREFIX}${String(account).padStart(RECORD_ID_DIGITS, "0")}`;
}

/** Party record ids are `C` and the account's index in seven digits (the writer puts them byte by byte). */
export const RECORD_ID_PREFIX = "C";
export const RECORD_ID_DIGITS = 7;

/** The account a person or business uses day to day: its first. */
function primary(accounts: number[]): number {
  return accounts[0] ?? -1;
}

export function normalLife(
  world: World,
  calendar: Calendar,
  usdPerUnit: Map<string, number>,
  rng: Rng,
  target: number,
): NormalLife {
  const { persons, orgs, accounts } = world;
  const personAccount = (p: Person) => primary(p.accounts);
  const orgAccount = (o: Organisation) => primary(o.accounts);
  const days = calendar.days;

  // Fixed schedules: pay, rent, utilities, suppliers, cash deposits, remittances. Their expected
  // count sets how much room is left for discretionary spending within the target.
  const payers = persons.filter((p) => p.accounts.length > 0);
  // The accounts each person uses day to day: those opened before the world began. An account
  // opened during it belongs to a planted instance (a victim's fresh account must stay without
  // ordinary spending).
  const everyday = persons.map((p) => p.accounts.filter((a) => (accounts[a] as Account).opened < 0));
  const employed = payers.filter((p) => p.employer >= 0);
  const perYear = { weekly: 52, biweekly: 26, semimonthly: 24, monthly: 12 };
  const cashBusinesses = orgs.filter((o) => o.profile.cashShare >= 0.2 && o.accounts.length > 0);
  let fixed = 0;
  for (const p of employed) fixed += (perYear[p.payCycle] * days) / 365;
  fixed += (payers.filter((p) => p.landlord >= 0).length * days) / 30;
  fixed += (payers.reduce((n, p) => n + p.utilities.length, 0) * days) / 30;
  fixed += (orgs.reduce((n, o) => n + o.suppliers.length, 0) * days) / 14;
  fixed += (cashBusinesses.length * days) / 2;
  fixed += (payers.filter((p) => p.remitTo >= 0).length * days) / 30;
  const discretionary = Math.max(target - fixed, target * 0.25);
  const rateTotal = discretionary / days;
  // Of discretionary activity: card 80%, P2P 8%, ATM cash 12%.
  const spenders = new AliasTable(payers.map((p) => p.spendRate));
  const cashFor = new Map<number, number>();
  // Honest cash businesses: some take enough cash that deposits approach or pass $10,000.
  const hardNegatives: NormalLife["hardNegatives"] = [];
  for (const o of cashBusinesses) {
    const large = rng.chance(0.2);
    cashFor.set(o.index, large ? rng.logNormal(8200, 0.15) * 100 : rng.logNormal(900, 0.6) * 100);
    if (large)
      hardNegatives.push({ account: orgAccount(o), kind: "cash-business", resembles: ["structuring"] });
  }
  // Who pays what on which day of the month: looked up per day, not searched for.
  const rentOn: Person[][] = Array.from({ length: 32 }, () => []);
  const billsOn: Person[][] = Array.from({ length: 32 }, () => []);
  const remitOn: Person[][] = Array.from({ length: 32 }, () => []);
  for (const p of payers) {
    const rentDay = rng.between(1, 5);
    const billDay = rng.between(3, 28);
    if (p.landlord >= 0) (rentOn[rentDay] as Person[]).push(p);
    if (p.utilities.length > 0) (billsOn[billDay] as Person[]).push(p);
    if (p.remitTo >= 0) (remitOn[(p.index % 28) + 1] as Person[]).push(p);
  }
  const depositEvery = new Map<number, number>(cashBusinesses.map((o) => [o.index, rng.between(1, 3)]));

  for (const type of ["payroll-processor"]) {
    for (const o of world.byType.get(type) ?? []) {
      hardNegatives.push({
        account: orgAccount(orgs[o] as Organisation),
        kind: "payroll-processor",
        resembles: ["fan-out", "gather-scatter"],
      });
    }
  }
  const tenants = new Map<number, number>();
  for (const p of payers) if (p.landlord >= 0) tenants.set(p.landlord, (tenants.get(p.landlord) ?? 0) + 1);
  for (const [landlord, n] of tenants) {
    if (n >= 5)
      hardNegatives.push({
        account: orgAccount(orgs[landlord] as Organisation),
        kind: "rent-collector",
        resembles: ["fan-in"],
      });
  }
  for (const p of payers) {
    if (p.remitTo >= 0)
      hardNegatives.push({
        account: personAccount(p),
        kind: "remittance-sender",
        resembles: ["hs-cash-to-wire"],
      });
    if (p.travelling)
      hardNegatives.push({
        account: personAccount(p),
        kind: "travelling-salesperson",
        resembles: ["funnel-account", "ht-lodging-ads"],
      });
  }
  for (const o of world.byType.get("travel-agency") ?? []) {
    hardNegatives.push({
      account: orgAccount(orgs[o] as Organisation),
      kind: "same-day-business",
      resembles: ["pass-through"],
    });
  }
  // The busiest local merchants: fan-in by the hundred, every day.
  const merchants = orgs
    .filter((o) => o.profile.consumer && o.profile.national === 0)
    .sort((a, b) => b.popularity - a.popularity);
  for (const o of merchants.slice(0, Math.max(3, Math.round(merchants.length * 0.02)))) {
    hardNegatives.push({ account: orgAccount(o), kind: "busy-merchant", resembles: ["fan-in"] });
  }
  const processorFor = (o: Organisation) =>
    o.payrollVia >= 0 ? orgAccount(orgs[o.payrollVia] as Organisation) : -1;

  // Merchants of each type by city (national ones serve every city), as arrays: a purchase looks
  // one up millions of times a run.
  type Local = { orgs: number[]; table: AliasTable };
  const merchantIndex = new Map<
    string,
    { byCity: (Local | undefined)[]; national: Local | undefined; all: Local[] }
  >();
  for (const [type, byCity] of world.merchants) {
    const national = byCity.get(-1);
    const cities = Array.from({ length: CITIES.length }, (_, c) => byCity.get(c) ?? national);
    merchantIndex.set(type, { byCity: cities, national, all: [...byCity.values()] });
  }
  const pickMerchant = (type: string, city: number, r: Rng): Organisation | null => {
    const index = merchantIndex.get(type);
    if (!index) return null;
    // Local first; else a national one; else a merchant of that type in some other city.
    const local = (city >= 0 ? index.byCity[city] : index.national) ?? index.all[r.int(index.all.length)];
    return local ? (orgs[local.orgs[local.table.draw(r)] as number] as Organisation) : null;
  };

  const utilityMcc = mccs.of("4900");
  const merchantMcc = orgs.map((o) => mccs.of(o.profile.mcc));

  const day = (d: number, out: EventBatch): void => {
    const r = rng.fork(`day:${d}`);
    const weekend = !calendar.isBusinessDay(d);
    const dom = calendar.dayOfMonth(d);
    // Events stay within their day: the writer emits each day in time order.
    const lastMinute = (d + 1) * MINUTES_PER_DAY - 1;

    // Pay day: employers (or their payroll processor) pay staff by ACH in the early-morning batch.
    for (const o of orgs) {
      if (o.staff.length === 0 || o.accounts.length === 0 || !calendar.isPayDay(d, o.payCycle, o.index))
        continue;
      const via = processorFor(o);
      let total = 0;
      for (const s of o.staff) {
        const p = persons[s] as Person;
        const to = personAccount(p);
        if (to < 0) continue;
        const pay = p.pay * (1 + r.normal() * 0.03);
        total += pay;
        out.add(minuteOf(d, "batch", r), via >= 0 ? via : orgAccount(o), to, pay, "ach");
      }
      // The employer funds its payroll processor just before the batch runs.
      if (via >= 0 && total > 0)
        out.add(d * MINUTES_PER_DAY + r.int(60), orgAccount(o), via, total * 1.002, "ach");
    }

    for (const p of rentOn[dom] as Person[]) {
      const landlord = orgs[p.landlord] as Organisation;
      out.add(
        minuteOf(d, "office", r),
        personAccount(p),
        orgAccount(landlord),
        p.rent,
        r.chance(0.8) ? "ach" : "check",
      );
    }
    for (const p of billsOn[dom] as Person[]) {
      for (const u of p.utilities) {
        const utility = orgs[u] as Organisation;
        out.add(
          minuteOf(d, "batch", r),
          personAccount(p),
          orgAccount(utility),
          r.logNormal(110, 0.4) * 100,
          "ach",
          utilityMcc,
        );
      }
    }
    for (const p of remitOn[dom] as Person[]) {
      const dest = accounts[p.remitTo] as Account;
      const ccy = HOME_CURRENCY[dest.country];
      const cents = p.remit * (1 + r.normal() * 0.1);
      const extras = ccy
        ? { recvCurrency: ccy, recvMinor: convertCents(cents, ccy, usdPerUnit.get(ccy) ?? 1) }
        : {};
      out.addEvent(
        event(
          minuteOf(d, "shopping", r),
          personAccount(p),
          p.remitTo,
          cents,
          r.chance(0.6) ? "msb" : "wire",
          extras,
        ),
      );
    }

    // Businesses: suppliers about every two weeks, cash takings to the branch every few days.
    for (const o of orgs) {
      const from = orgAccount(o);
      if (from < 0) continue;
      if (!weekend) {
        for (const s of o.suppliers) {
          if (!r.chance(1 / 10)) continue;
          const cents = r.logNormal(2500, 1) * 100 * Math.sqrt(o.staff.length + 1);
          out.add(
            minuteOf(d, "office", r),
            from,
            orgAccount(orgs[s] as Organisation),
            cents,
            r.pick(SUPPLIER_CHANNELS),
          );
        }
      }
      if (o.profile.type === "import-export" && !weekend && r.chance(0.15) && world.foreign.length > 0) {
        const ccy = r.pick(SUPPLIER_CURRENCIES);
        const cents = r.logNormal(18000, 0.8) * 100;
        out.addEvent(
          event(minuteOf(d, "office", r), from, r.pick(world.foreign), cents, "wire", {
            recvCurrency: ccy,
            recvMinor: convertCents(cents, ccy, usdPerUnit.get(ccy) ?? 1),
          }),
        );
      }
      const cash = cashFor.get(o.index);
      if (cash !== undefined && !weekend && d % (depositEvery.get(o.index) ?? 2) === 0) {
        const staff = o.staff[0];
        out.addEvent(
          event(minuteOf(d, "branch", r), -1, from, cash * (1 + r.normal() * 0.18), "cash", {
            city: o.city,
            branch: true,
            conductor: staff !== undefined ? personAccount(persons[staff] as Person) : -1,
          }),
        );
      }
    }

    // Discretionary: card purchases, P2P, ATM cash; more shopping at weekends.
    const n = r.poisson(rateTotal * (weekend ? 1.15 : 0.94));
    for (let i = 0; i < n; i++) {
      const p = payers[spenders.draw(r)] as Person;
      const own = everyday[p.index] as number[];
      // People with several accounts spend from all of them, and now and then move money between them.
      const from = own.length > 1 && r.chance(0.3) ? r.pick(own) : personAccount(p);
      if (own.length > 1 && r.chance(0.04)) {
        const to = r.pick(own.filter((a) => a !== from));
        out.add(minuteOf(d, "shopping", r), from, to, Math.round(r.logNormal(400, 0.8)) * 100, "internal");
        continue;
      }
      const u = r.next();
      const city = p.travelling ? world.cityTable.draw(r) : p.city;
      if (u < 0.8) {
        const type = (EVERYDAY_SPENDING[world.spendingTable.draw(r)] as [string, number])[0];
        const m = pickMerchant(type, city, r);
        if (!m || m.accounts.length === 0) continue;
        const [median, sigma] = m.profile.ticket;
        const cents = r.logNormal(median, sigma) * 100;
        const t = minuteOf(d, "shopping", r);
        out.add(
          t,
          from,
          orgAccount(m),
          cents,
          "card",
          merchantMcc[m.index],
          m.profile.national > 0 ? city : m.city,
        );
        // A travel agency passes most of a booking on to the airline the same day.
        if (type === "travel-agency") {
          const airline = pickMerchant("airline", -1, r);
          const later = Math.min(lastMinute, t + r.between(30, 300));
          if (airline)
            out.add(later, orgAccount(m), orgAccount(airline), cents * r.uniform(0.85, 0.93), "wire");
        }
      } else if (u < 0.88 && p.friends.length > 0) {
        const to = personAccount(persons[r.pick(p.friends)] as Person);
        if (to >= 0 && to !== from)
          out.add(minuteOf(d, "shopping", r), from, to, r.logNormal(60, 0.9) * 100, "p2p");
      } else {
        const cents = Math.max(20, Math.round(r.logNormal(120, 0.7) / 20) * 20) * 100;
        out.add(minuteOf(d, "shopping", r), from, -1, cents, "cash", 0, city);
      }
    }
  };

  return { day, expected: fixed + discretionary, hardNegatives };
}
