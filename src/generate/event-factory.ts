import type { Channel } from "../model/channel.js";
import { MINUTES_PER_DAY, minorPerUnit, type TxEvent } from "./events.js";
import type { Rng } from "./random.js";

/** Optional parts of an event; the rest default to a domestic USD transfer. */
export interface EventExtras {
  currency?: string;
  /** Amount received in another currency (a cross-currency payment), in its minor units. */
  recvMinor?: number;
  recvCurrency?: string;
  mcc?: string | null;
  city?: number;
  branch?: boolean;
  conductor?: number;
  instance?: number;
}

/** A transfer of `cents` USD (or `extras.currency` minor units) at minute `t` of the world. */
export function event(
  t: number,
  from: number,
  to: number,
  minor: number,
  channel: Channel,
  extras?: EventExtras,
): TxEvent {
  // The ordinary case (a domestic dollar transfer) reads no extras: millions of these a run.
  if (extras === undefined) {
    return {
      t,
      from,
      to,
      minor: minor < 1 ? 1 : Math.round(minor),
      currency: "USD",
      recvMinor: 0,
      recvCurrency: "",
      channel,
      mcc: null,
      city: -1,
      branch: false,
      conductor: -1,
      instance: -1,
    };
  }
  return {
    t,
    from,
    to,
    minor: Math.max(1, Math.round(minor)),
    currency: extras.currency ?? "USD",
    recvMinor: extras.recvMinor ?? 0,
    recvCurrency: extras.recvCurrency ?? "",
    channel,
    mcc: extras.mcc ?? null,
    city: extras.city ?? -1,
    branch: extras.branch ?? false,
    conductor: extras.conductor ?? -1,
    instance: extras.instance ?? -1,
  };
}

/** USD cents as minor units of another currency at `usdPerUnit` (e.g. 0.05 USD per peso). */
export function convertCents(cents: number, currency: string, usdPerUnit: number): number {
  return Math.round(((cents / 100) * minorPerUnit(currency)) / usdPerUnit);
}

/** Hours of day as weights: when people shop, when banks batch payroll, when branches take cash. */
export const HOURS = {
  shopping: [
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.4, 1.8, 2.2, 2.8, 3.4, 3, 2.6, 2.6, 2.9, 3.4, 3.8, 3.4, 2.6,
    1.8, 1, 0.5,
  ],
  office: [0, 0, 0, 0, 0, 0, 0.2, 0.8, 2.5, 3, 3, 2.6, 2, 2.6, 3, 2.8, 2.2, 1.2, 0.4, 0.2, 0.1, 0.05, 0, 0],
  batch: [
    0.3, 1.5, 3, 3, 2, 1, 0.5, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
    0.2,
  ],
  branch: [0, 0, 0, 0, 0, 0, 0, 0.2, 1, 2.5, 3, 3, 2.8, 2.8, 3, 3, 2.6, 1.6, 0.6, 0.2, 0, 0, 0, 0],
  night: [
    2.5, 2, 1.5, 1, 0.6, 0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5, 0.6, 0.8, 1, 1.4, 1.8, 2.2, 2.6, 3,
    3,
  ],
} as const;

export type HourProfile = keyof typeof HOURS;

const CUMULATIVE = Object.fromEntries(
  Object.entries(HOURS).map(([k, weights]: [string, readonly number[]]) => {
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    return [k, weights.map((w) => (acc += w / total))];
  }),
) as Record<HourProfile, number[]>;

/** A minute of the world on `day`, at an hour drawn from the profile. */
export function minuteOf(day: number, profile: HourProfile, rng: Rng): number {
  const cum = CUMULATIVE[profile];
  const u = rng.next();
  let hour = 0;
  while (hour < 23 && u > (cum[hour] as number)) hour++;
  return day * MINUTES_PER_DAY + hour * 60 + rng.int(60);
}
