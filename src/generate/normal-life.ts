import { AliasTable } from "./alias-table.js";
import type { Calendar } from "./calendar.js";
import { CH, type EventBatch, mccs } from "./event-batch.js";
import { convertCents, event, minuteOf } from "./event-factory.js";
import { MINUTES_PER_DAY } from "./events.js";
import {
  MERCHANT,
  MERCHANT_STRIDE,
  merchantRecords,
  merchantsByType,
  pickMerchant,
  primary,
  SPENDER,
  SPENDER_STRIDE,
  spenderColumns,
  spendingCategories,
} from "./life-index.js";
import type { Rng } from "./random.js";
import type { Account, Organisation, PayCycle, Person, World } from "./world.js";

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
const SUPPLIER_CHANNELS = [CH.ach, CH.ach, CH.wire, CH.check];

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

/** An employer on its pay days: whom it pays (primary accounts) and how much, and who runs the batch. */
interface Payroll {
  index: number;
  cycle: PayCycle;
  from: number;
  /** Its payroll processor's account, or -1 when it pays its staff itself. */
  via: number;
  staff: Int32Array;
  pay: Float64Array;
}

/** A business's own recurring money: suppliers, imports, cash takings. */
interface Business {
  from: number;
  /** The suppliers' primary accounts. */
  suppliers: Int32Array;
  /** Supplier invoices grow with the square root of the staff. */
  scale: number;
  importer: boolean;
  /** Cash taken per deposit (USD cents), or NaN for a business that takes none to speak of. */
  cash: number;
  depositEvery: number;
  city: number;
  conductor: number;
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

  // Flat views of the population for the day loop (life-index.ts); the world is final by now.
  const spender = spenderColumns(payers, everyday, persons);
  const merchant = merchantRecords(orgs);
  const merchantIndex = merchantsByType(world);
  const categories = spendingCategories(merchantIndex);
  const travelAgencies = categories.map((c) => c.type === "travel-agency");
  const airlines = merchantIndex.get("airline");
  const payrolls: Payroll[] = [];
  for (const o of orgs) {
    if (o.staff.length === 0 || o.accounts.length === 0) continue;
    // Staff without an account are never paid (and draw nothing).
    const paid = o.staff.map((s) => persons[s] as Person).filter((p) => personAccount(p) >= 0);
    payrolls.push({
      index: o.index,
      cycle: o.payCycle,
      from: orgAccount(o),
      via: processorFor(o),
      staff: Int32Array.from(paid, personAccount),
      pay: Float64Array.from(paid, (p) => p.pay),
    });
  }
  const businesses: Business[] = [];
  for (const o of orgs) {
    const from = orgAccount(o);
    if (from < 0) continue;
    const staff = o.staff[0];
    businesses.push({
      from,
      suppliers: Int32Array.from(o.suppliers, (s) => orgAccount(orgs[s] as Organisation)),
      scale: Math.sqrt(o.staff.length + 1),
      importer: o.profile.type === "import-export",
      cash: cashFor.get(o.index) ?? Number.NaN,
      depositEvery: depositEvery.get(o.index) ?? 2,
      city: o.city,
      conductor: staff !== undefined ? personAccount(persons[staff] as Person) : -1,
    });
  }
  const utilityMcc = mccs.of("4900");
  const { ach, check, wire, internal, card, p2p, cash: cashChannel } = CH;

  const day = (d: number, out: EventBatch): void => {
    const r = rng.fork(`day:${d}`);
    const weekend = !calendar.isBusinessDay(d);
    const dom = calendar.dayOfMonth(d);
    // Events stay within their day: the writer emits each day in time order.
    const lastMinute = (d + 1) * MINUTES_PER_DAY - 1;

    // Pay day: employers (or their payroll processor) pay staff by ACH in the early-morning batch.
    for (const o of payrolls) {
      if (!calendar.isPayDay(d, o.cycle, o.index)) continue;
      const payer = o.via >= 0 ? o.via : o.from;
      let total = 0;
      for (let k = 0; k < o.staff.length; k++) {
        const pay = (o.pay[k] as number) * (1 + r.normal() * 0.03);
        total += pay;
        out.add(minuteOf(d, "batch", r), payer, o.staff[k] as number, pay, ach);
      }
      // The employer funds its payroll processor just before the batch runs.
      if (o.via >= 0 && total > 0)
        out.add(d * MINUTES_PER_DAY + r.int(60), o.from, o.via, total * 1.002, ach);
    }

    for (const p of rentOn[dom] as Person[]) {
      const landlord = orgs[p.landlord] as Organisation;
      out.add(
        minuteOf(d, "office", r),
        personAccount(p),
        orgAccount(landlord),
        p.rent,
        r.chance(0.8) ? ach : check,
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
          ach,
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
    for (const b of businesses) {
      if (!weekend) {
        for (let k = 0; k < b.suppliers.length; k++) {
          if (!r.chance(1 / 10)) continue;
          const cents = r.logNormal(2500, 1) * 100 * b.scale;
          out.add(
            minuteOf(d, "office", r),
            b.from,
            b.suppliers[k] as number,
            cents,
            r.pick(SUPPLIER_CHANNELS),
          );
        }
      }
      if (b.importer && !weekend && r.chance(0.15) && world.foreign.length > 0) {
        const ccy = r.pick(SUPPLIER_CURRENCIES);
        const cents = r.logNormal(18000, 0.8) * 100;
        out.addEvent(
          event(minuteOf(d, "office", r), b.from, r.pick(world.foreign), cents, "wire", {
            recvCurrency: ccy,
            recvMinor: convertCents(cents, ccy, usdPerUnit.get(ccy) ?? 1),
          }),
        );
      }
      if (!Number.isNaN(b.cash) && !weekend && d % b.depositEvery === 0) {
        out.addEvent(
          event(minuteOf(d, "branch", r), -1, b.from, b.cash * (1 + r.normal() * 0.18), "cash", {
            city: b.city,
            branch: true,
            conductor: b.conductor,
          }),
        );
      }
    }

    // Discretionary: card purchases, P2P, ATM cash; more shopping at weekends.
    const n = r.poisson(rateTotal * (weekend ? 1.15 : 0.94));
    const { records: people, own, friends } = spender;
    for (let i = 0; i < n; i++) {
      const p = spenders.draw(r) * SPENDER_STRIDE;
      const first = people[p + SPENDER.ownStart] as number;
      const owned = (people[p + SPENDER.ownEnd] as number) - first;
      // People with several accounts spend from all of them, and now and then move money between them.
      const from =
        owned > 1 && r.chance(0.3)
          ? (own[first + r.int(owned)] as number)
          : (people[p + SPENDER.primary] as number);
      if (owned > 1 && r.chance(0.04)) {
        // Another of their accounts: the k-th of those that are not `from`.
        let others = 0;
        for (let j = first; j < first + owned; j++) if (own[j] !== from) others++;
        if (others === 0) throw new Error("pick from an empty list");
        let k = r.int(others);
        let to = -1;
        for (let j = first; j < first + owned; j++) {
          if (own[j] === from) continue;
          if (k-- === 0) {
            to = own[j] as number;
            break;
          }
        }
        out.add(minuteOf(d, "shopping", r), from, to, Math.round(r.logNormal(400, 0.8)) * 100, internal);
        continue;
      }
      const u = r.next();
      const city =
        people[p + SPENDER.travelling] === 1 ? world.cityTable.draw(r) : (people[p + SPENDER.city] as number);
      if (u < 0.8) {
        const category = world.spendingTable.draw(r);
        const org = pickMerchant((categories[category] as (typeof categories)[number]).merchants, city, r);
        const m = org * MERCHANT_STRIDE;
        if (org < 0 || (merchant[m + MERCHANT.primary] as number) < 0) continue;
        const cents =
          r.logNormal(
            merchant[m + MERCHANT.ticketMedian] as number,
            merchant[m + MERCHANT.ticketSigma] as number,
          ) * 100;
        const t = minuteOf(d, "shopping", r);
        const payee = merchant[m + MERCHANT.primary] as number;
        out.add(
          t,
          from,
          payee,
          cents,
          card,
          merchant[m + MERCHANT.mcc] as number,
          merchant[m + MERCHANT.national] === 1 ? city : (merchant[m + MERCHANT.city] as number),
        );
        // A travel agency passes most of a booking on to the airline the same day.
        if (travelAgencies[category]) {
          const airline = pickMerchant(airlines, -1, r);
          const later = Math.min(lastMinute, t + r.between(30, 300));
          if (airline >= 0)
            out.add(
              later,
              payee,
              merchant[airline * MERCHANT_STRIDE + MERCHANT.primary] as number,
              cents * r.uniform(0.85, 0.93),
              wire,
            );
        }
      } else if (
        u < 0.88 &&
        (people[p + SPENDER.friendEnd] as number) > (people[p + SPENDER.friendStart] as number)
      ) {
        const firstFriend = people[p + SPENDER.friendStart] as number;
        const to = friends[
          firstFriend + r.int((people[p + SPENDER.friendEnd] as number) - firstFriend)
        ] as number;
        if (to >= 0 && to !== from)
          out.add(minuteOf(d, "shopping", r), from, to, r.logNormal(60, 0.9) * 100, p2p);
      } else {
        const cents = Math.max(20, Math.round(r.logNormal(120, 0.7) / 20) * 20) * 100;
        out.add(minuteOf(d, "shopping", r), from, -1, cents, cashChannel, 0, city);
      }
    }
  };

  return { day, expected: fixed + discretionary, hardNegatives };
}
