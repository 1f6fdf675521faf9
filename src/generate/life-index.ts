import type { AliasTable } from "./alias-table.js";
import { EVERYDAY_SPENDING } from "./business-types.js";
import { CITIES } from "./data/places.js";
import { mccs } from "./event-batch.js";
import type { Rng } from "./random.js";
import type { Organisation, Person, World } from "./world.js";

/**
 * What everyday spending reads of the population, as packed records. A day of a large world
 * makes tens of thousands of purchases, each by a random person at a random merchant: read
 * through the Person and Organisation objects, every one was a handful of cache misses scattered
 * over the heap (most of normal life's time went there). Here each person's and each merchant's
 * figures sit together in one record of a typed array. Built once, after planting, when the
 * accounts are final.
 */

/** The account a person or business uses day to day: its first, or -1. */
export function primary(accounts: readonly number[]): number {
  return accounts[0] ?? -1;
}

/** Fields of a spender's record in `Spenders.records`: 32 bytes, one or two cache lines where seven arrays took seven. */
export const SPENDER = {
  primary: 0,
  city: 1,
  travelling: 2,
  /** The accounts the person uses day to day (opened before the world began): `own[ownStart..ownEnd)`. */
  ownStart: 3,
  ownEnd: 4,
  /** The primary account (or -1) of each friend, in order: `friends[friendStart..friendEnd)`. */
  friendStart: 5,
  friendEnd: 6,
} as const;
export const SPENDER_STRIDE = 8;

/** The people who spend, by position in the spenders' alias table. */
export interface Spenders {
  records: Int32Array;
  own: Int32Array;
  friends: Int32Array;
}

export function spenderColumns(
  payers: readonly Person[],
  everyday: readonly number[][],
  persons: readonly Person[],
): Spenders {
  let owned = 0;
  let befriended = 0;
  for (const p of payers) {
    owned += (everyday[p.index] as number[]).length;
    befriended += p.friends.length;
  }
  const records = new Int32Array(payers.length * SPENDER_STRIDE);
  const own = new Int32Array(owned);
  const friends = new Int32Array(befriended);
  let o = 0;
  let f = 0;
  payers.forEach((p, k) => {
    const r = k * SPENDER_STRIDE;
    records[r + SPENDER.primary] = primary(p.accounts);
    records[r + SPENDER.city] = p.city;
    records[r + SPENDER.travelling] = p.travelling ? 1 : 0;
    records[r + SPENDER.ownStart] = o;
    for (const a of everyday[p.index] as number[]) own[o++] = a;
    records[r + SPENDER.ownEnd] = o;
    records[r + SPENDER.friendStart] = f;
    for (const friend of p.friends) friends[f++] = primary((persons[friend] as Person).accounts);
    records[r + SPENDER.friendEnd] = f;
  });
  return { records, own, friends };
}

/** Fields of a merchant's record in `merchantRecords` (by organisation index). */
export const MERCHANT = {
  /** Median and log-sigma of one consumer ticket, USD. */
  ticketMedian: 0,
  ticketSigma: 1,
  /** Primary account, or -1. */
  primary: 2,
  city: 3,
  /** 1 when it serves every city (the purchase happens where the buyer is). */
  national: 4,
  /** Interned MCC (event-batch.ts). */
  mcc: 5,
} as const;
export const MERCHANT_STRIDE = 8;

export function merchantRecords(orgs: readonly Organisation[]): Float64Array {
  const records = new Float64Array(orgs.length * MERCHANT_STRIDE);
  orgs.forEach((o, k) => {
    const r = k * MERCHANT_STRIDE;
    records[r + MERCHANT.ticketMedian] = o.profile.ticket[0];
    records[r + MERCHANT.ticketSigma] = o.profile.ticket[1];
    records[r + MERCHANT.primary] = primary(o.accounts);
    records[r + MERCHANT.city] = o.city;
    records[r + MERCHANT.national] = o.profile.national > 0 ? 1 : 0;
    records[r + MERCHANT.mcc] = mccs.of(o.profile.mcc);
  });
  return records;
}

type Local = { orgs: number[]; table: AliasTable };

/** The merchants of one business type: by city (national ones serving every city). */
export interface MerchantsOfType {
  byCity: (Local | undefined)[];
  national: Local | undefined;
  all: Local[];
}

export function merchantsByType(world: World): Map<string, MerchantsOfType> {
  const index = new Map<string, MerchantsOfType>();
  for (const [type, byCity] of world.merchants) {
    const national = byCity.get(-1);
    const cities = Array.from({ length: CITIES.length }, (_, c) => byCity.get(c) ?? national);
    index.set(type, { byCity: cities, national, all: [...byCity.values()] });
  }
  return index;
}

/**
 * A merchant of a type for a purchase in `city` (-1: anywhere), as an organisation index, or -1.
 * Local first; else a national one; else a merchant of that type in some other city.
 */
export function pickMerchant(merchants: MerchantsOfType | undefined, city: number, r: Rng): number {
  if (!merchants) return -1;
  const local =
    (city >= 0 ? merchants.byCity[city] : merchants.national) ?? merchants.all[r.int(merchants.all.length)];
  return local ? (local.orgs[local.table.draw(r)] as number) : -1;
}

/** The everyday spending categories (EVERYDAY_SPENDING's order) with their merchants. */
export function spendingCategories(
  index: Map<string, MerchantsOfType>,
): { type: string; merchants: MerchantsOfType | undefined }[] {
  return EVERYDAY_SPENDING.map(([type]) => ({ type, merchants: index.get(type) }));
}
