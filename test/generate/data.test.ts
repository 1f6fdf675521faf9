import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as names from "../../src/generate/data/names.js";
import {
  BUSINESS_TYPES,
  BUSINESS_WORDS,
  DIRECTIONALS,
  EMAIL_DOMAINS,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  NICKNAMES,
  ORGANISATION_SUFFIXES,
  PLUS_TAG_DOMAINS,
  STREET_NAMES,
  STREET_TYPES,
  SURNAMES,
  UNIT_DESIGNATORS,
} from "../../src/generate/data/names.js";
import * as places from "../../src/generate/data/places.js";
import { CITIES, FOREIGN_COUNTRIES, REGION_NAMES } from "../../src/generate/data/places.js";
import { foldAscii } from "../../src/generate/party-noise.js";

const dataDir = join(import.meta.dirname, "..", "..", "src", "generate", "data");

function duplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const item of items) {
    if (seen.has(item)) dup.push(item);
    seen.add(item);
  }
  return dup;
}

/** Every string reachable from a value: keys and values of objects, items of arrays. */
function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  }
  return out;
}

describe("name data", () => {
  it.each([
    ["GIVEN_NAMES_FEMALE", 200, GIVEN_NAMES_FEMALE],
    ["GIVEN_NAMES_MALE", 200, GIVEN_NAMES_MALE],
    ["SURNAMES", 400, SURNAMES],
  ] as const)(
    "%s: at least %i names, positive weights, no duplicates even after ASCII folding",
    (_n, min, list) => {
      expect(list.length).toBeGreaterThanOrEqual(min);
      for (const [name, weight] of list) {
        expect(name.trim()).toBe(name);
        expect(name.length).toBeGreaterThan(0);
        expect(Number.isFinite(weight) && weight > 0).toBe(true);
      }
      expect(duplicates(list.map(([n]) => n))).toEqual([]);
      expect(duplicates(list.map(([n]) => foldAscii(n).toLowerCase()))).toEqual([]);
    },
  );

  it("given names include diacritics, so that ASCII folding gets exercised", () => {
    const all = [...GIVEN_NAMES_FEMALE, ...GIVEN_NAMES_MALE].map(([n]) => n);
    for (const name of [
      "Jos\u00e9",
      "Mar\u00eda",
      "Zo\u00eb",
      "Fran\u00e7ois",
      "Bj\u00f6rn",
      "\u0141ukasz",
      "Ren\u00e9e",
    ]) {
      expect(all).toContain(name);
    }
  });

  it("surnames include multi-part, hyphenated and apostrophe forms", () => {
    const all = SURNAMES.map(([n]) => n);
    for (const name of [
      "Garc\u00eda L\u00f3pez",
      "De la Cruz",
      "O'Brien",
      "Van der Berg",
      "Nguyen",
      "Al-Hassan",
    ]) {
      expect(all).toContain(name);
    }
    expect(all.filter((n) => n.includes("-")).length).toBeGreaterThanOrEqual(10);
    expect(all.filter((n) => n.includes(" ")).length).toBeGreaterThanOrEqual(10);
  });

  it("common names weigh more than rare ones", () => {
    const weight = (list: readonly names.Weighted[], name: string) =>
      list.find(([n]) => n === name)?.[1] ?? 0;
    expect(weight(SURNAMES, "Smith")).toBeGreaterThan(weight(SURNAMES, "Okafor"));
    expect(weight(GIVEN_NAMES_MALE, "James")).toBeGreaterThan(weight(GIVEN_NAMES_MALE, "Bj\u00f6rn"));
    expect(weight(GIVEN_NAMES_FEMALE, "Mary")).toBeGreaterThan(weight(GIVEN_NAMES_FEMALE, "Zofia"));
  });

  it("NICKNAMES: at least 120 given names, each in a given-name list, with other names", () => {
    const given = new Set([...GIVEN_NAMES_FEMALE, ...GIVEN_NAMES_MALE].map(([n]) => n));
    const keys = Object.keys(NICKNAMES);
    expect(keys.length).toBeGreaterThanOrEqual(120);
    expect(keys.filter((k) => !given.has(k))).toEqual([]);
    for (const [key, nicks] of Object.entries(NICKNAMES)) {
      expect(nicks.length).toBeGreaterThan(0);
      expect(nicks).not.toContain(key);
      expect(duplicates(nicks)).toEqual([]);
    }
    expect(NICKNAMES.William).toEqual(expect.arrayContaining(["Bill", "Will", "Billy", "Liam"]));
    expect(NICKNAMES.Mohammed).toEqual(expect.arrayContaining(["Muhammad", "Mohamed"]));
    expect(NICKNAMES["Jos\u00e9"]).toContain("Pepe");
  });

  it("ORGANISATION_SUFFIXES: a full form then its abbreviations", () => {
    expect(ORGANISATION_SUFFIXES).toEqual(
      expect.arrayContaining([
        ["Limited Liability Company", "LLC", "L.L.C."],
        ["Incorporated", "Inc", "Inc."],
        ["Corporation", "Corp", "Corp."],
        ["Company", "Co", "Co."],
        ["Limited", "Ltd", "Ltd."],
      ]),
    );
    for (const row of ORGANISATION_SUFFIXES) expect(row.length).toBeGreaterThanOrEqual(2);
    expect(duplicates(ORGANISATION_SUFFIXES.flat())).toEqual([]);
  });

  it("BUSINESS_WORDS: every business type, each with name parts", () => {
    const required = [
      "restaurant",
      "retail",
      "grocery",
      "staffing-agency",
      "hotel",
      "motel",
      "massage-salon",
      "nail-salon",
      "trucking",
      "money-services",
      "payroll-processor",
      "landlord",
      "classified-ads",
      "utility",
      "construction",
      "auto-repair",
      "pharmacy",
      "travel-agency",
      "import-export",
      "cleaning",
    ];
    expect([...BUSINESS_TYPES].sort()).toEqual([...required].sort());
    expect(BUSINESS_WORDS.map((w) => w.type).sort()).toEqual([...required].sort());
    for (const w of BUSINESS_WORDS) {
      expect(w.prefixes.length).toBeGreaterThanOrEqual(10);
      expect(w.nouns.length).toBeGreaterThanOrEqual(5);
      expect(duplicates(w.prefixes)).toEqual([]);
      expect(duplicates(w.nouns)).toEqual([]);
    }
  });

  it("street data: names, types with abbreviations, units, directionals", () => {
    expect(STREET_NAMES.length).toBeGreaterThanOrEqual(150);
    expect(duplicates(STREET_NAMES)).toEqual([]);
    for (const name of [
      "Main",
      "Oak",
      "Maple",
      "Washington",
      "Cesar Chavez",
      "Martin Luther King Jr",
      "5th",
      "21st",
    ]) {
      expect(STREET_NAMES).toContain(name);
    }
    const full = STREET_TYPES.map((row) => row[0]);
    for (const t of ["Street", "Avenue", "Boulevard", "Road", "Drive", "Lane", "Court", "Place", "Way"]) {
      expect(full).toContain(t);
    }
    for (const t of ["Parkway", "Highway", "Circle", "Terrace"]) expect(full).toContain(t);
    for (const row of STREET_TYPES) expect(row.length).toBeGreaterThanOrEqual(2);
    expect(duplicates(STREET_TYPES.flat().map((t) => t.toLowerCase()))).toEqual([]);
    expect(UNIT_DESIGNATORS).toEqual(
      expect.arrayContaining(["Apartment", "Apt", "Apt.", "#", "Unit", "Suite", "Ste"]),
    );
    expect(DIRECTIONALS).toEqual([
      ["North", "N"],
      ["South", "S"],
      ["East", "E"],
      ["West", "W"],
    ]);
  });

  it("EMAIL_DOMAINS: weighted, the big providers present, plus-tag domains among them", () => {
    const domains = EMAIL_DOMAINS.map(([d]) => d);
    for (const d of [
      "gmail.com",
      "outlook.com",
      "yahoo.com",
      "icloud.com",
      "hotmail.com",
      "proton.me",
      "aol.com",
    ]) {
      expect(domains).toContain(d);
    }
    expect(duplicates(domains)).toEqual([]);
    for (const [, w] of EMAIL_DOMAINS) expect(w).toBeGreaterThan(0);
    for (const d of PLUS_TAG_DOMAINS) expect(domains).toContain(d);
  });
});

describe("place data", () => {
  it("CITIES: at least 90, each with a two-letter region, a postal prefix, coordinates and a weight", () => {
    expect(CITIES.length).toBeGreaterThanOrEqual(90);
    for (const c of CITIES) {
      expect(c.region).toMatch(/^[A-Z]{2}$/);
      expect(REGION_NAMES[c.region]).toBeDefined();
      expect(c.weight).toBeGreaterThan(0);
      expect(c.zip3).toMatch(c.country === "US" ? /^\d{3}$/ : /^\d{2}$/);
      expect(["US", "MX"]).toContain(c.country);
      expect(c.lat).toBeGreaterThan(17);
      expect(c.lat).toBeLessThan(72);
      expect(c.lon).toBeGreaterThan(-170);
      expect(c.lon).toBeLessThan(-65);
      expect(c.areaCodes.length).toBeGreaterThan(0);
      for (const a of c.areaCodes) expect(a).toMatch(/^[2-9]\d\d$/);
      if (c.country === "MX") expect(c.border).toBe(true);
    }
    expect(duplicates(CITIES.map((c) => `${c.name}|${c.region}`))).toEqual([]);
  });

  it("covers every region of the US", () => {
    const regions = new Set(CITIES.filter((c) => c.country === "US").map((c) => c.region));
    expect(regions.size).toBeGreaterThanOrEqual(45);
  });

  it("every border city is present and marked", () => {
    const border: [string, string][] = [
      ["San Diego", "CA"],
      ["Chula Vista", "CA"],
      ["Calexico", "CA"],
      ["El Centro", "CA"],
      ["Yuma", "AZ"],
      ["San Luis", "AZ"],
      ["Nogales", "AZ"],
      ["Douglas", "AZ"],
      ["Tucson", "AZ"],
      ["Las Cruces", "NM"],
      ["El Paso", "TX"],
      ["Del Rio", "TX"],
      ["Eagle Pass", "TX"],
      ["Laredo", "TX"],
      ["McAllen", "TX"],
      ["Edinburg", "TX"],
      ["Harlingen", "TX"],
      ["Brownsville", "TX"],
      ["Tijuana", "BC"],
      ["Mexicali", "BC"],
      ["Ciudad Ju\u00e1rez", "CH"],
      ["Nuevo Laredo", "TS"],
      ["Reynosa", "TS"],
      ["Matamoros", "TS"],
      ["Nogales", "SR"],
    ];
    for (const [name, region] of border) {
      const city = CITIES.find((c) => c.name === name && c.region === region);
      expect(city, `${name}, ${region}`).toBeDefined();
      expect(city?.border).toBe(true);
    }
    expect(CITIES.find((c) => c.name === "Chicago")?.border).toBe(false);
  });

  it("REGION_NAMES: all 50 states and DC", () => {
    const us = Object.keys(REGION_NAMES).filter(
      (k) => !["PR", "BC", "SR", "CH", "CL", "NL", "TS"].includes(k),
    );
    expect(us.length).toBe(51);
    expect(REGION_NAMES.TX).toBe("Texas");
  });

  it("FOREIGN_COUNTRIES: remittance destinations with ISO codes and weights", () => {
    for (const c of FOREIGN_COUNTRIES) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.weight).toBeGreaterThan(0);
    }
    expect(duplicates(FOREIGN_COUNTRIES.map((c) => c.code))).toEqual([]);
    const codes = FOREIGN_COUNTRIES.map((c) => c.code);
    for (const code of ["MX", "GT", "SV", "HN", "IN", "PH", "CN", "VN", "NG", "DO", "CO", "PK"]) {
      expect(codes).toContain(code);
    }
    const mx = FOREIGN_COUNTRIES.find((c) => c.code === "MX")?.weight ?? 0;
    expect(Math.max(...FOREIGN_COUNTRIES.map((c) => c.weight))).toBe(mx);
  });
});

describe("data files", () => {
  it("no value contains a double quote, CR or LF, and none has stray spaces", () => {
    const strings = [...allStrings(names), ...allStrings(places)];
    expect(strings.length).toBeGreaterThan(2000);
    expect(strings.filter((s) => /["\r\n]/.test(s))).toEqual([]);
    expect(strings.filter((s) => s !== s.trim() || s.includes("  "))).toEqual([]);
  });

  it.each(["names.ts", "places.ts"])("%s is ASCII: other characters are escaped", (file) => {
    const text = readFileSync(join(dataDir, file), "utf8");
    const bad = [...text].filter((ch) => ch !== "\n" && (ch < " " || ch > "~"));
    expect(bad).toEqual([]);
  });
});
