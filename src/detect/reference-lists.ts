import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { projectRoot } from "../util/project-root.js";
import { shortDigest } from "../util/short-digest.js";

/**
 * The curated lists some detectors consult (typologies.md §0 `ExternalList`): MCC groups, south-
 * west border cities, classified-ad merchants and high migrant-flow countries. Each is a versioned
 * JSON file in `data/reference/` (or `MONEYTRAIL_REFERENCE_DIR`) that a deployment may edit; every
 * finding that used a list names its version. Parsing is pure; only `readReferenceLists` reads the
 * files.
 */

const Versioned = z.object({ version: z.string().min(1), source: z.string().min(1) });

const MccGroupsFile = Versioned.extend({
  groups: z.record(z.string(), z.array(z.string().regex(/^\d{4}(-\d{4})?$/))),
});
const BorderCitiesFile = Versioned.extend({
  cities: z.array(z.object({ city: z.string().min(1), region: z.string(), country: z.string() })),
});
const MerchantsFile = Versioned.extend({ merchants: z.array(z.string().min(1)) });
const CountriesFile = Versioned.extend({ countries: z.array(z.string().regex(/^[A-Z]{2}$/)) });

/** MCC groups as a bit set per code 0–9999: group g is bit `bits.get(g)`. */
export interface MccGroups {
  version: string;
  /** The bit of each group by name. */
  bits: ReadonlyMap<string, number>;
  /** Per MCC (0–9999), the OR of the bits of the groups it belongs to. */
  maskOf: Uint32Array;
}

/** The southwest border cities: normalised name → the regions (state codes) it is listed in. */
export interface BorderCities {
  version: string;
  names: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Whether a city is on the border list. When the data gives the region as a two-letter code it
 * must match too: Columbus, New Mexico is on the border, Columbus, Ohio is not.
 */
export function onBorderList(list: BorderCities, city: string, region?: string | null): boolean {
  const regions = list.names.get(normaliseName(city));
  if (!regions) return false;
  const code = region?.trim().toUpperCase() ?? "";
  return !/^[A-Z]{2}$/.test(code) || regions.has(code);
}

export interface ReferenceLists {
  mccGroups: MccGroups;
  borderCities: BorderCities;
  classifiedAdMerchants: { version: string; names: readonly string[] };
  highFlowCountries: { version: string; codes: ReadonlySet<string> };
}

/** A name as lists and data are compared: lower case, no accents, words joined by single spaces. */
export function normaliseName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export function parseMccGroups(json: unknown): MccGroups {
  const file = MccGroupsFile.parse(json);
  const names = Object.keys(file.groups);
  if (names.length > 32) throw new Error("mcc-groups: at most 32 groups");
  const bits = new Map(names.map((n, i) => [n, 1 << i]));
  const maskOf = new Uint32Array(10_000);
  for (const [name, codes] of Object.entries(file.groups)) {
    const bit = bits.get(name) as number;
    for (const code of codes) {
      const [lo, hi = lo] = code.split("-").map(Number) as [number, number?];
      if (hi < lo) throw new Error(`mcc-groups: ${name}: range ${code} runs backwards`);
      for (let m = lo; m <= hi; m++) maskOf[m] = (maskOf[m] as number) | bit;
    }
  }
  return { version: file.version, bits, maskOf };
}

/** The bit mask of the named groups; an unknown name is an error, not an empty group. */
export function groupMask(groups: MccGroups, ...names: string[]): number {
  let mask = 0;
  for (const n of names) {
    const bit = groups.bits.get(n);
    if (bit === undefined) throw new Error(`mcc-groups ${groups.version} has no group ${n}`);
    mask |= bit;
  }
  return mask;
}

export function parseReferenceLists(files: {
  mccGroups: unknown;
  borderCities: unknown;
  classifiedAdMerchants: unknown;
  highFlowCountries: unknown;
}): ReferenceLists {
  const border = BorderCitiesFile.parse(files.borderCities);
  const merchants = MerchantsFile.parse(files.classifiedAdMerchants);
  const countries = CountriesFile.parse(files.highFlowCountries);
  return {
    mccGroups: parseMccGroups(files.mccGroups),
    borderCities: { version: border.version, names: borderNames(border.cities) },
    classifiedAdMerchants: {
      version: merchants.version,
      names: merchants.merchants.map(normaliseName).filter((n) => n !== ""),
    },
    highFlowCountries: { version: countries.version, codes: new Set(countries.countries) },
  };
}

function borderNames(cities: readonly { city: string; region: string }[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const c of cities) {
    const name = normaliseName(c.city);
    const regions = names.get(name) ?? new Set<string>();
    regions.add(c.region.trim().toUpperCase());
    names.set(name, regions);
  }
  return names;
}

/** Whether a merchant descriptor names a listed site: the listed words, whole, within it. */
export function namesListedMerchant(descriptor: string, listed: readonly string[]): boolean {
  const text = ` ${normaliseName(descriptor)} `;
  return listed.some((name) => text.includes(` ${name} `));
}

/** A list by name, as detectors declare those they consult (`Detector.lists`). */
export type ReferenceListName = keyof ReferenceLists;

const FILES: Record<ReferenceListName, string> = {
  mccGroups: "mcc-groups.json",
  borderCities: "border-cities.json",
  classifiedAdMerchants: "classified-ad-merchants.json",
  highFlowCountries: "high-flow-countries.json",
};

/** Where the lists are: `MONEYTRAIL_REFERENCE_DIR`, else the shipped `data/reference/`. */
export function referenceDir(): string {
  return process.env.MONEYTRAIL_REFERENCE_DIR || join(projectRoot(), "data", "reference");
}

/** The lists' files in `dir`. */
export function referenceListFiles(dir = referenceDir()): string[] {
  return Object.values(FILES).map((name) => join(dir, name));
}

/** The lists as read at one time, with what an incremental run goes by. */
export interface ListsRead {
  lists: ReferenceLists;
  /** Per list, the SHA-256 of its file (first 16 hex digits). */
  digests: Record<ReferenceListName, string>;
}

/** Per folder, the files' texts last read and what they gave. */
const cache = new Map<string, { texts: string; read: ListsRead }>();

/**
 * The lists' files in `dir` read, and parsed again only when one changed: a process that runs for
 * days (`watch`) sees a deployment's edits at its next run. A detection run reads them once, and
 * hands the detectors what it read (`DetectionData.lists`), the lists its run keys name.
 */
export function readReferenceLists(dir = referenceDir()): ListsRead {
  const names = Object.keys(FILES) as ReferenceListName[];
  const failed = (name: ReferenceListName, error: unknown) =>
    new Error(`reference list ${join(dir, FILES[name])}: ${(error as Error).message}`);
  const texts = names.map((name) => {
    try {
      return readFileSync(join(dir, FILES[name]), "utf8");
    } catch (error) {
      throw failed(name, error);
    }
  });
  const joined = texts.join("\0");
  const known = cache.get(dir);
  if (known?.texts === joined) return known.read;
  const json = names.map((name, i) => {
    try {
      return JSON.parse(texts[i] as string) as unknown;
    } catch (error) {
      throw failed(name, error);
    }
  });
  const [mccGroups, borderCities, classifiedAdMerchants, highFlowCountries] = json;
  const read: ListsRead = {
    lists: parseReferenceLists({ mccGroups, borderCities, classifiedAdMerchants, highFlowCountries }),
    digests: Object.fromEntries(
      names.map((name, i) => [name, shortDigest(texts[i] as string)]),
    ) as ListsRead["digests"],
  };
  cache.set(dir, { texts: joined, read });
  return read;
}

/** The lists in `dir` (by default `referenceDir()`), as their files now hold them. */
export function referenceLists(dir = referenceDir()): ReferenceLists {
  return readReferenceLists(dir).lists;
}

/**
 * The lists a detector consults: those its run read (`DetectionData.lists`), else (a detector run
 * on its own, in tests) as the files now hold them.
 */
export function listsOf(data: { lists?: ReferenceLists }): ReferenceLists {
  return data.lists ?? referenceLists();
}

/**
 * Each list's digest: what an incremental run goes by (`runKey`), so that a detector runs over
 * everything again once a list it consults was edited, version bumped or not.
 */
export function referenceListDigests(dir = referenceDir()): Record<ReferenceListName, string> {
  return readReferenceLists(dir).digests;
}
