import { createHash } from "node:crypto";
import { defaultNicknames } from "./normalise/nicknames.js";
import { NORMALISATION_VERSION } from "./normalise/party.js";
import type { NormalisedRecord } from "./normalised-record.js";
import { soundex } from "./similarity.js";

/**
 * Blocking: which pairs of records are worth comparing. Comparing every pair of a million
 * records is 5×10¹¹ comparisons; records that share a blocking key (same phone, same surname
 * sound and birth year, ...) are few per key, and a true match almost always shares at least
 * one of several keys even when each field may be wrong. A pair is a candidate when any rule's
 * key agrees; a key shared by more records than the cap (a call centre's phone, "SMITH 1970")
 * is skipped and reported, since it says little and would cost quadratically.
 */

export interface BlockingRule {
  id: string;
  title: string;
  /** The key, or null when the record lacks what the rule needs. */
  key(record: NormalisedRecord): string | null;
}

const person = (r: NormalisedRecord) => r.kind !== "organisation";

/**
 * The default rules, in the order their names are credited: a pair found by several rules is
 * counted under the first. Identifier rules come first because they are the strongest evidence.
 */
export const BLOCKING_RULES: readonly BlockingRule[] = [
  { id: "national-id", title: "same national id", key: (r) => r.nationalId },
  { id: "tax-id", title: "same tax id", key: (r) => r.taxId },
  { id: "passport", title: "same passport", key: (r) => r.passport },
  { id: "phone", title: "same phone", key: (r) => r.phone },
  { id: "email", title: "same email", key: (r) => r.email },
  {
    // With the given name's initial: surname sound and birth year alone make blocks of hundreds
    // in a million records (10M of 13M candidate pairs there; in a 97k-record world, 478k of
    // 565k pairs, of which 2 were true matches that no other rule found). The initial cuts the
    // rule's pairs about fourfold and, there, lost neither of those two.
    id: "surname-sound+birth-year+initial",
    title: "surname sounds alike, same birth year and given initial",
    key: (r) =>
      person(r) && r.surname && r.birth && r.givenCanonical
        ? `${soundex(r.surname)}|${r.birth.year}|${r.givenCanonical[0]}`
        : null,
  },
  {
    id: "given+birth-date",
    title: "same given name and birth date (surname changed or misspelt)",
    key: (r) =>
      person(r) && r.givenCanonical && r.birth
        ? `${r.givenCanonical}|${r.birth.year}-${r.birth.month}-${r.birth.day}`
        : null,
  },
  {
    // Without the given name: a record whose given name is missing or was replaced keys nothing
    // under the rules above that need its initial. A surname sound and a full birth date are
    // shared by few records (the same-day births of one surname), so the blocks stay small.
    id: "surname-sound+birth-date",
    title: "surname sounds alike, same birth date (given name missing or different)",
    key: (r) =>
      person(r) && r.surname && r.birth
        ? `${soundex(r.surname)}|${r.birth.year}-${r.birth.month}-${r.birth.day}`
        : null,
  },
  {
    // The two initials in alphabetical order, not given-then-surname: a record whose given name
    // and surname were typed into each other's boxes keeps its key (the comparisons have a
    // "swapped" level for it, but only pairs that some rule finds are compared).
    id: "postcode+initials",
    title: "same postcode and initials",
    key: (r) =>
      person(r) && r.postcode && r.givenCanonical && r.surname
        ? `${r.postcode}|${[r.givenCanonical[0], r.surname[0]].sort().join("")}`
        : null,
  },
  {
    id: "address+initial",
    title: "same house number and street, same given initial",
    key: (r) =>
      r.houseNumber && r.street && r.givenCanonical
        ? `${r.houseNumber}|${r.street}|${r.givenCanonical[0]}`
        : null,
  },
  {
    id: "organisation-name",
    title: "same organisation name",
    key: (r) => (r.kind === "organisation" ? r.fullName : null),
  },
  {
    id: "organisation-word+postcode",
    title: "organisation name's first word, same postcode",
    key: (r) =>
      r.kind === "organisation" && r.fullName && r.postcode ? `${firstWord(r.fullName)}|${r.postcode}` : null,
  },
];

/**
 * The rules' version: a digest of their ids and key functions' source, of the normalisers'
 * version and of the nickname list's (keys are made of normalised fields, given names by their
 * canonical). The keys stored per party (what an incremental run blocks new parties against)
 * were made by one version; a run with other rules, normalisers or nicknames must make them all
 * again, so it runs in full.
 */
export function blockingRulesVersion(
  rules: readonly BlockingRule[] = BLOCKING_RULES,
  nicknamesVersion: string = defaultNicknames().version,
): string {
  const hash = createHash("sha256");
  hash.update(`normalisation ${NORMALISATION_VERSION}\u0000nicknames ${nicknamesVersion}\u0000`);
  for (const rule of rules) hash.update(`${rule.id}\u0000${rule.key.toString()}\u0000`);
  return hash.digest("hex").slice(0, 16);
}

/** Blocking keys as columns: record k has key `key[k]` under rule `rule[k]` (index into the rules). */
export interface RecordKeys {
  record: Int32Array;
  rule: Uint8Array;
  key: string[];
}

/** Every record's keys under `rules` (empty keys left out), by rule then record. */
export function recordKeys(
  records: readonly NormalisedRecord[],
  rules: readonly BlockingRule[] = BLOCKING_RULES,
): RecordKeys {
  const record: number[] = [];
  const rule: number[] = [];
  const key: string[] = [];
  rules.forEach((r, index) => {
    records.forEach((x, i) => {
      const k = r.key(x);
      if (k === null || k === "") return;
      record.push(i);
      rule.push(index);
      key.push(k);
    });
  });
  return { record: Int32Array.from(record), rule: Uint8Array.from(rule), key };
}

function firstWord(name: string): string {
  const space = name.indexOf(" ");
  return space < 0 ? name : name.slice(0, space);
}

export interface BlockingOptions {
  /** Blocks holding more records than this are skipped (and reported). */
  maxBlockSize: number;
  /** When given, only pairs with at least one new record are made (an incremental run). */
  isNew?: Uint8Array;
  /**
   * When the records are a subset of those resolved (an incremental run reads only the new
   * parties' neighbourhood): per rule, the keys whose blocks are over the cap counted over all
   * records. A block is then skipped when its key is here, whatever its size in the subset.
   */
  capped?: readonly ReadonlySet<string>[];
  /** Also return every record's keys (what a run stores for later incremental runs). */
  keepKeys?: boolean;
}

export const DEFAULT_MAX_BLOCK_SIZE = 100;

export interface RuleReport {
  rule: string;
  title: string;
  /** Records that had a key under this rule. */
  keyed: number;
  blocks: number;
  /** Blocks over the cap, skipped, and the records they held. */
  skippedBlocks: number;
  skippedRecords: number;
  /** Pairs this rule found that no earlier rule had. */
  pairs: number;
}

export interface CandidatePairs {
  /** Record indices, a < b, sorted by (a, b). */
  a: Int32Array;
  b: Int32Array;
  /** Index into the rules of the first rule that found the pair (what reports credit). */
  rule: Uint8Array;
  /** Every rule that found the pair, as bits (1 << rule index): training uses each rule's whole set. */
  found: Uint32Array;
  rules: RuleReport[];
  /** The blocks over the cap, skipped: rule index, key and member records (what an incremental run re-checks its stored links against). */
  capped: CappedBlock[];
  /** With `keepKeys`: every record's keys. */
  keys?: RecordKeys;
}

export interface CappedBlock {
  rule: number;
  key: string;
  members: readonly number[];
}

/** Two records may be compared when their kinds agree, or when one kind is unknown. */
function kindsCompatible(x: NormalisedRecord, y: NormalisedRecord): boolean {
  return x.kind === y.kind || x.kind === "unknown" || y.kind === "unknown";
}

/**
 * Candidate pairs of `records` under `rules`. Pairs are encoded as one float64 per pair
 * ((a·n + b)·32 + rule, exact below 2⁵³ for n up to 10⁶·⁵), sorted once, and deduplicated
 * keeping the first rule: a Set of millions of pairs would cost gigabytes.
 */
export function candidatePairs(
  records: readonly NormalisedRecord[],
  options: BlockingOptions = { maxBlockSize: DEFAULT_MAX_BLOCK_SIZE },
  rules: readonly BlockingRule[] = BLOCKING_RULES,
): CandidatePairs {
  if (rules.length > 32) throw new Error("blocking: at most 32 rules");
  const n = records.length;
  if (n * n * 32 > Number.MAX_SAFE_INTEGER) throw new Error(`blocking: too many records (${n})`);
  const isNew = options.isNew;
  const capped: CappedBlock[] = [];
  const kept = options.keepKeys
    ? { record: [] as Int32Array[], rule: [] as Uint8Array[], key: [] as string[] }
    : null;
  let codes = new Float64Array(1 << 16);
  let count = 0;
  const push = (code: number) => {
    if (count === codes.length) {
      const grown = new Float64Array(codes.length * 2);
      grown.set(codes);
      codes = grown;
    }
    codes[count++] = code;
  };

  // Per rule, each record's block as a number (keys numbered in order of first appearance) and
  // the blocks' members laid out one after another (CSR), in record order: a million records
  // made a million small arrays per rule as a Map of lists, and the garbage collector's work
  // was a fifth of a run's time.
  const blockOf = new Int32Array(n);
  const reports: RuleReport[] = rules.map((rule, r) => {
    const numbers = new Map<string, number>();
    const keys: string[] = [];
    let keyed = 0;
    for (let i = 0; i < n; i++) {
      const key = rule.key(records[i] as NormalisedRecord);
      if (key === null || key === "") {
        blockOf[i] = -1;
        continue;
      }
      keyed += 1;
      let block = numbers.get(key);
      if (block === undefined) {
        block = keys.length;
        numbers.set(key, block);
        keys.push(key);
      }
      blockOf[i] = block;
    }
    const blocks = keys.length;
    if (kept) {
      const record = new Int32Array(keyed);
      for (let i = 0, k = 0; i < n; i++) {
        const block = blockOf[i] as number;
        if (block < 0) continue;
        record[k++] = i;
        kept.key.push(keys[block] as string);
      }
      kept.record.push(record);
      kept.rule.push(new Uint8Array(keyed).fill(r));
    }
    const cappedHere = options.capped?.[r];
    const start = new Int32Array(blocks + 1);
    for (let i = 0; i < n; i++) {
      const block = blockOf[i] as number;
      if (block >= 0) start[block + 1] = (start[block + 1] as number) + 1;
    }
    for (let k = 0; k < blocks; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
    const next = start.slice(0, blocks);
    const members = new Int32Array(keyed);
    for (let i = 0; i < n; i++) {
      const block = blockOf[i] as number;
      if (block >= 0) members[(next[block] as number)++] = i;
    }
    let skippedBlocks = 0;
    let skippedRecords = 0;
    for (let k = 0; k < blocks; k++) {
      const lo = start[k] as number;
      const hi = start[k + 1] as number;
      const size = hi - lo;
      if (size < 2) continue;
      if (cappedHere ? cappedHere.has(keys[k] as string) : size > options.maxBlockSize) {
        skippedBlocks += 1;
        skippedRecords += size;
        capped.push({ rule: r, key: keys[k] as string, members: Array.from(members.subarray(lo, hi)) });
        continue;
      }
      if (isNew) {
        let any = false;
        for (let x = lo; x < hi && !any; x++) any = isNew[members[x] as number] === 1;
        if (!any) continue;
      }
      // Members are in record order, so i < j below.
      for (let x = lo; x < hi; x++) {
        const i = members[x] as number;
        const ri = records[i] as NormalisedRecord;
        for (let y = x + 1; y < hi; y++) {
          const j = members[y] as number;
          if (isNew && isNew[i] !== 1 && isNew[j] !== 1) continue;
          if (!kindsCompatible(ri, records[j] as NormalisedRecord)) continue;
          push((i * n + j) * 32 + r);
        }
      }
    }
    return {
      rule: rule.id,
      title: rule.title,
      keyed,
      blocks,
      skippedBlocks,
      skippedRecords,
      pairs: 0,
    };
  });

  const sorted = codes.subarray(0, count).sort();
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const rule = new Uint8Array(count);
  const found = new Uint32Array(count);
  let unique = 0;
  let previous = -1;
  for (let k = 0; k < count; k++) {
    const code = sorted[k] as number;
    const pair = Math.floor(code / 32);
    const r = code - pair * 32;
    if (pair === previous) {
      found[unique - 1] = ((found[unique - 1] as number) | (1 << r)) >>> 0;
      continue;
    }
    previous = pair;
    found[unique] = (1 << r) >>> 0;
    a[unique] = Math.floor(pair / n);
    b[unique] = pair - (a[unique] as number) * n;
    rule[unique] = r;
    (reports[r] as RuleReport).pairs += 1;
    unique += 1;
  }
  return {
    a: a.slice(0, unique),
    b: b.slice(0, unique),
    rule: rule.slice(0, unique),
    found: found.slice(0, unique),
    rules: reports,
    capped,
    ...(kept
      ? {
          keys: {
            record: concat(Int32Array, kept.record),
            rule: concat(Uint8Array, kept.rule),
            key: kept.key,
          },
        }
      : {}),
  };
}

function concat<T extends Int32Array | Uint8Array>(make: new (length: number) => T, parts: readonly T[]): T {
  const out = new make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Whether a full run would make `x` and `y` a candidate pair: some rule gives both one key, and
 * that key's block is not over the cap (`cappedKeys[rule]`, from `capped`).
 */
export function isCandidate(
  x: NormalisedRecord,
  y: NormalisedRecord,
  cappedKeys: readonly ReadonlySet<string>[],
  rules: readonly BlockingRule[] = BLOCKING_RULES,
): boolean {
  if (!kindsCompatible(x, y)) return false;
  return rules.some((rule, r) => {
    const key = rule.key(x);
    return key !== null && key !== "" && key === rule.key(y) && !cappedKeys[r]?.has(key);
  });
}

/**
 * Blocking recall: of the true matching pairs (records with the same true entity label), the
 * share that are candidates. What blocking loses no later stage can recover.
 */
export function blockingRecall(
  pairs: Pick<CandidatePairs, "a" | "b">,
  trueLabel: ArrayLike<number>,
): { truePairs: number; found: number; recall: number } {
  const sizes = new Map<number, number>();
  for (let i = 0; i < trueLabel.length; i++) {
    const label = trueLabel[i] as number;
    if (label >= 0) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  }
  let truePairs = 0;
  for (const size of sizes.values()) truePairs += (size * (size - 1)) / 2;
  let found = 0;
  for (let k = 0; k < pairs.a.length; k++) {
    const x = trueLabel[pairs.a[k] as number] as number;
    if (x >= 0 && x === trueLabel[pairs.b[k] as number]) found += 1;
  }
  return { truePairs, found, recall: truePairs === 0 ? 1 : found / truePairs };
}
