import type { SubjectRole } from "../model/analysis.js";
import type { Channel } from "../model/channel.js";
import type { Typology } from "../model/typology.js";
import type { Calendar } from "./calendar.js";
import { type EventExtras, event } from "./event-factory.js";
import { type DayBuckets, MINUTES_PER_DAY } from "./events.js";
import type { Rng } from "./random.js";
import { type Account, addAccount, type Person, type World } from "./world.js";

/** One planted occurrence of a typology: its member accounts with their roles, and its size. */
export interface Instance {
  index: number;
  id: string;
  typology: Typology;
  /** The typology's variant: `S3`, `max 7-degree`, `FATF-10 victim`, … */
  variant: string;
  members: Map<number, SubjectRole>;
  events: number;
  /** First and last minute of its transactions. */
  first: number;
  last: number;
}

/**
 * What every typology planter works with: the world, its calendar, the day buckets that planted
 * transactions wait in until the writer reaches their day, and pickers that draw members from the
 * ordinary population (so that members also live normal financial lives).
 */
export class Planter {
  readonly instances: Instance[] = [];
  /** Accounts already in an instance: later instances prefer others. */
  private readonly taken = new Set<number>();
  private readonly countsByTypology = new Map<string, number>();
  planted = 0;

  constructor(
    readonly world: World,
    readonly calendar: Calendar,
    private readonly buckets: DayBuckets,
    readonly usdPerUnit: Map<string, number>,
  ) {}

  begin(typology: Typology, variant: string): Instance {
    const n = (this.countsByTypology.get(typology) ?? 0) + 1;
    this.countsByTypology.set(typology, n);
    const instance: Instance = {
      index: this.instances.length,
      id: `${typology}-${String(n).padStart(4, "0")}`,
      typology,
      variant,
      members: new Map(),
      events: 0,
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
    };
    this.instances.push(instance);
    return instance;
  }

  /**
   * An account drawn for an instance that may not take part in it (a ring member the walk never
   * reaches): kept out of later instances, but not listed as a member.
   */
  reserve(account: number): number {
    this.taken.add(account);
    return account;
  }

  member(instance: Instance, account: number, role: SubjectRole): number {
    if (!instance.members.has(account)) instance.members.set(account, role);
    this.taken.add(account);
    return account;
  }

  /** A planted transaction; returns false when it falls outside the world's days. */
  emit(
    instance: Instance,
    t: number,
    from: number,
    to: number,
    cents: number,
    channel: Channel,
    extras: EventExtras = {},
  ): boolean {
    const minute = Math.round(t);
    const added = this.buckets.add(
      event(minute, from, to, cents, channel, { ...extras, instance: instance.index }),
    );
    if (added) {
      instance.events++;
      instance.first = Math.min(instance.first, minute);
      instance.last = Math.max(instance.last, minute);
      this.planted++;
    }
    return added;
  }

  /** A pattern's length in days, drawn in [lo, hi] and cut to fit the world. */
  span(rng: Rng, lo: number, hi: number): number {
    return Math.max(1, Math.min(rng.between(lo, hi), this.calendar.days - 1));
  }

  /** A day on which a pattern lasting `span` days fits in the world. */
  startDay(rng: Rng, span: number): number {
    return rng.int(Math.max(1, this.calendar.days - Math.ceil(span)));
  }

  /** A minute within day `day` at a random hour between `fromHour` and `toHour`. */
  at(rng: Rng, day: number, fromHour = 8, toHour = 20): number {
    return day * MINUTES_PER_DAY + rng.between(fromHour * 60, toHour * 60 - 1);
  }

  /** A person's primary account, from the ordinary population, not yet in an instance. */
  personal(rng: Rng, accept: (p: Person, account: Account) => boolean = () => true): number {
    const { persons, accounts } = this.world;
    for (let tries = 0; tries < 500; tries++) {
      const p = persons[rng.int(persons.length)] as Person;
      const a = p.accounts[0];
      if (a === undefined || this.taken.has(a)) continue;
      if (accept(p, accounts[a] as Account)) return a;
    }
    const p = persons[rng.int(persons.length)] as Person;
    return p.accounts[0] ?? 0;
  }

  /** Personal accounts at as many different banks (and holders) as possible. */
  personalAcrossBanks(rng: Rng, n: number, accept?: (p: Person, account: Account) => boolean): number[] {
    const chosen: number[] = [];
    const banks = new Set<number>();
    for (let tries = 0; chosen.length < n && tries < n * 20; tries++) {
      const a = this.personal(rng, accept);
      const bank = (this.world.accounts[a] as Account).bank;
      if (chosen.includes(a)) continue;
      if (banks.has(bank) && banks.size < this.world.banks.length && tries < n * 10) continue;
      chosen.push(a);
      banks.add(bank);
    }
    return chosen;
  }

  /** A business account of one of the given types, not yet in an instance. */
  business(rng: Rng, types: readonly string[]): number {
    const candidates = types.flatMap((t) => this.world.byType.get(t) ?? []);
    for (let tries = 0; tries < 200 && candidates.length > 0; tries++) {
      const org = this.world.orgs[rng.pick(candidates)];
      const a = org?.accounts[0];
      if (a !== undefined && !this.taken.has(a)) return a;
    }
    const org = this.world.orgs[candidates.length > 0 ? rng.pick(candidates) : 0];
    return org?.accounts[0] ?? 0;
  }

  holderOf(account: number): Person | null {
    const a = this.world.accounts[account] as Account;
    return a.holder.kind === "person" ? (this.world.persons[a.holder.index] as Person) : null;
  }

  /**
   * A new account for an existing person (a mule's or a victim's fresh account), opened during
   * the world; it gets a party record like every other account.
   */
  openAccount(rng: Rng, person: Person, openedDay: number, city = person.city): number {
    const { accounts, banks } = this.world;
    const local = banks.map((b, i) => [b, i] as const).filter(([b]) => b.cities.includes(city));
    const bank =
      local.length > 0 ? (rng.pick(local) as readonly [unknown, number])[1] : rng.int(banks.length);
    const account = addAccount(
      accounts,
      banks,
      {
        bank,
        kind: "personal",
        holder: { kind: "person", index: person.index },
        city,
        country: "US",
        opened: openedDay,
      },
      rng,
    );
    person.accounts.push(account);
    return account;
  }

  count(typology: Typology): number {
    return this.countsByTypology.get(typology) ?? 0;
  }
}

/** A planter of one typology: adds one instance, drawn around the ranges of typologies.md. */
export type PlantFn = (planter: Planter, rng: Rng) => void;
