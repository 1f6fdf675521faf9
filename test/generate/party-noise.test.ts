import { describe, expect, it } from "vitest";
import {
  EMAIL_DOMAINS,
  NICKNAMES,
  ORGANISATION_SUFFIXES,
  STREET_TYPES,
} from "../../src/generate/data/names.js";
import { CITIES, type City } from "../../src/generate/data/places.js";
import {
  applyCase,
  canonicalStreetType,
  DEFAULT_NOISE,
  DEFAULT_STYLE,
  type DesignatorForm,
  digitError,
  emailCaseVariant,
  emailFor,
  foldAscii,
  formatEin,
  formatNationalId,
  formatPhone,
  formatUnit,
  gmailDotVariant,
  NO_NOISE,
  nicknameFor,
  orgSuffixForm,
  type PartyRecordText,
  PHONE_FORMATS,
  pickEin,
  pickGivenName,
  pickNationalId,
  pickPhone,
  pickRecordStyle,
  pickStreetAddress,
  pickSurname,
  plusTagVariant,
  type RecordStyle,
  recordOf,
  scaleNoise,
  streetTypeForm,
  surnameVariant,
  swapDayMonth,
  type TrueAddress,
  type TrueOrganisation,
  type TruePerson,
  TYPO_KINDS,
  typo,
  yearTypo,
  zipPlus4,
} from "../../src/generate/party-noise.js";
import { Rng } from "../../src/generate/random.js";

/** Damerau-Levenshtein distance (optimal string alignment). */
function damerauLevenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

function isValidIsoDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const t = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === date;
}

/** The mailbox an address delivers to: case ignored, "+tag" dropped, dots ignored at Gmail. */
function mailbox(email: string): string {
  const lower = email.toLowerCase();
  const at = lower.lastIndexOf("@");
  const domain = lower.slice(at + 1);
  let box = lower.slice(0, at);
  const plus = box.indexOf("+");
  if (plus >= 0) box = box.slice(0, plus);
  if (domain === "gmail.com") box = box.replaceAll(".", "");
  return `${box}@${domain}`;
}

function cityNamed(name: string, region: string): City {
  const city = CITIES.find((c) => c.name === name && c.region === region);
  if (!city) throw new Error(`no city ${name}`);
  return city;
}

const ADDRESS: TrueAddress = {
  number: "1420",
  directional: "North",
  street: "Cesar Chavez",
  streetType: "Boulevard",
  unit: "4B",
  city: "Laredo",
  region: "TX",
  postcode: "78040",
  country: "US",
};

const JOSE: TruePerson = {
  kind: "person",
  given: "Jos\u00e9",
  middle: "Mar\u00eda",
  surname: "Garc\u00eda L\u00f3pez",
  suffix: "Jr",
  birthDate: "1987-03-05",
  address: ADDRESS,
  phone: "9565551234",
  email: "jose.garcia87@gmail.com",
  nationalId: "123456789",
};

const KAREN: TruePerson = {
  kind: "person",
  given: "Robert",
  middle: null,
  surname: "Johnson",
  suffix: null,
  birthDate: "1962-11-23",
  address: { ...ADDRESS, directional: null, street: "Oak", streetType: "Street", unit: null },
  phone: "9565550199",
  email: "rjohnson@yahoo.com",
  nationalId: "234567890",
};

const SPA: TrueOrganisation = {
  kind: "organisation",
  name: "The Golden Lotus Massage & Spa",
  suffix: "Limited Liability Company",
  address: { ...ADDRESS, unit: "200" },
  phone: "9565550100",
  email: "info@goldenlotusspa.com",
  taxId: "123456789",
};

const PLAIN_STYLE: RecordStyle = { ...DEFAULT_STYLE };
const UPPER_STYLE: RecordStyle = { ...DEFAULT_STYLE, case: "upper", ascii: true };

/** A varied population: every city, weighted names, some with middle names, suffixes, no email. */
function population(seed: number, n: number): (TruePerson | TrueOrganisation)[] {
  const rng = new Rng(seed);
  const out: (TruePerson | TrueOrganisation)[] = [];
  for (let i = 0; i < n; i++) {
    const city = CITIES[i % CITIES.length] as City;
    const address = pickStreetAddress(rng, city);
    if (i % 5 === 0) {
      out.push({
        kind: "organisation",
        name: rng.chance(0.3) ? "The Reliable Labor & Staffing" : `${pickSurname(rng)} and Sons Trucking`,
        suffix: rng.chance(0.8) ? ((rng.pick(ORGANISATION_SUFFIXES)[0] as string) ?? null) : null,
        address,
        phone: pickPhone(rng, city.zip3),
        email: rng.chance(0.5) ? `office@example${i}.com` : null,
        taxId: pickEin(rng),
      });
      continue;
    }
    const sex = rng.chance(0.5) ? "F" : "M";
    const given = pickGivenName(rng, sex);
    const surname = pickSurname(rng);
    out.push({
      kind: "person",
      given,
      middle: rng.chance(0.5) ? pickGivenName(rng, sex) : null,
      surname,
      suffix: rng.chance(0.1) ? rng.pick(["Jr", "Sr", "II", "III"] as const) : null,
      birthDate: `${rng.between(1930, 2004)}-${String(rng.between(1, 12)).padStart(2, "0")}-${String(rng.between(1, 28)).padStart(2, "0")}`,
      address,
      phone: pickPhone(rng, city.zip3),
      email: rng.chance(0.8) ? emailFor(rng, given, surname) : null,
      nationalId: rng.chance(0.9) ? pickNationalId(rng) : null,
    });
  }
  return out;
}

describe("recordOf", () => {
  it("the same seed gives the same records; another seed, others", () => {
    const people = population(5, 300);
    const run = (seed: number) => {
      const rng = new Rng(seed);
      return people.map((p) => recordOf(p, rng));
    };
    expect(run(11)).toEqual(run(11));
    expect(JSON.stringify(run(11))).not.toBe(JSON.stringify(run(12)));
  });

  it("renders the truth cleanly in a bank's style when there is no noise", () => {
    const rng = new Rng(1);
    expect(recordOf(JOSE, rng, NO_NOISE, PLAIN_STYLE)).toEqual({
      kind: "person",
      name: "",
      given_name: "Jos\u00e9",
      middle_name: "Mar\u00eda",
      surname: "Garc\u00eda L\u00f3pez Jr",
      birth_date: "1987-03-05",
      address: "1420 N Cesar Chavez Blvd Apt 4B",
      city: "Laredo",
      postcode: "78040",
      region: "TX",
      country: "US",
      phone: "956-555-1234",
      email: "jose.garcia87@gmail.com",
      national_id: "123-45-6789",
      tax_id: "",
    });
    const upper = recordOf(JOSE, rng, NO_NOISE, {
      ...UPPER_STYLE,
      nameLayout: "last-first",
      middle: "initial",
      streetType: "full",
      directional: "full",
      unit: "hash",
      zip4: true,
      region: "name",
      country: "name",
      phone: "paren",
      dashedIds: false,
    });
    expect(upper).toMatchObject({
      name: "GARCIA LOPEZ JR, JOSE M",
      given_name: "",
      surname: "",
      address: "1420 NORTH CESAR CHAVEZ BOULEVARD #4B",
      postcode: `78040-${zipPlus4(ADDRESS)}`,
      region: "TEXAS",
      country: "UNITED STATES",
      phone: "(956) 555-1234",
      national_id: "123456789",
    });
    expect(
      recordOf(JOSE, rng, NO_NOISE, { ...PLAIN_STYLE, nameLayout: "first-last", middle: "initial" }).name,
    ).toBe("Jos\u00e9 M. Garc\u00eda L\u00f3pez Jr");
    expect(recordOf(SPA, rng, NO_NOISE, { ...PLAIN_STYLE, orgComma: true, unit: "short" })).toMatchObject({
      kind: "organisation",
      name: "The Golden Lotus Massage & Spa, LLC",
      address: "1420 N Cesar Chavez Blvd Ste 200",
      tax_id: "12-3456789",
      given_name: "",
      national_id: "",
    });
  });

  it("a clean rendering does not depend on the random stream", () => {
    const a = recordOf(JOSE, new Rng(1), NO_NOISE, PLAIN_STYLE);
    const b = recordOf(JOSE, new Rng(2), NO_NOISE, PLAIN_STYLE);
    expect(a).toEqual(b);
  });

  it.each([
    ["an ordinary person", KAREN],
    ["a person with accents, a middle name, a suffix and a double surname", JOSE],
  ])("over 10,000 records of %s with DEFAULT_NOISE, 30-80%% match the clean rendering", (_label, person) => {
    const rng = new Rng(3);
    for (const style of [PLAIN_STYLE, UPPER_STYLE]) {
      const clean = JSON.stringify(recordOf(person, rng, NO_NOISE, style));
      let same = 0;
      for (let i = 0; i < 10_000; i++)
        if (JSON.stringify(recordOf(person, rng, DEFAULT_NOISE, style)) === clean) same++;
      // The hard person differs more often: accents, a dropped middle name or suffix, "Garcia" alone.
      const low = person === JOSE ? 0.1 : 0.3;
      expect(same / 10_000).toBeGreaterThanOrEqual(low);
      expect(same / 10_000).toBeLessThanOrEqual(0.8);
    }
  });

  it("over 10,000 records, every field the truth has stays non-empty in at least half of them", () => {
    const rng = new Rng(4);
    const personFields = [
      "given_name",
      "middle_name",
      "surname",
      "birth_date",
      "address",
      "city",
      "postcode",
      "region",
      "country",
      "phone",
      "email",
      "national_id",
    ] as const;
    const orgFields = [
      "name",
      "address",
      "city",
      "postcode",
      "region",
      "country",
      "phone",
      "email",
      "tax_id",
    ] as const;
    for (const [party, fields] of [
      [JOSE, personFields],
      [SPA, orgFields],
    ] as const) {
      const filled = new Map<string, number>();
      for (let i = 0; i < 10_000; i++) {
        const r = recordOf(party, rng);
        for (const f of fields) if (r[f] !== "") filled.set(f, (filled.get(f) ?? 0) + 1);
      }
      for (const f of fields) expect(filled.get(f) ?? 0, f).toBeGreaterThanOrEqual(5_000);
    }
  });

  it("about 5-10% of records carry a hard error (names, birth date, identifiers)", () => {
    const rng = new Rng(6);
    const people = population(6, 5_000).filter((p): p is TruePerson => p.kind === "person");
    const fold = (s: string) => foldAscii(s).toLowerCase();
    let hard = 0;
    let total = 0;
    for (let round = 0; round < 4; round++) {
      for (const p of people) {
        const clean = recordOf(p, rng, NO_NOISE, PLAIN_STYLE);
        const r = recordOf(p, rng, DEFAULT_NOISE, PLAIN_STYLE);
        const changed = (f: keyof PartyRecordText, strip = (s: string) => s) =>
          r[f] !== "" && fold(strip(r[f])) !== fold(strip(clean[f]));
        const digits = (s: string) => s.replace(/\D/g, "");
        total++;
        if (
          changed("given_name") ||
          changed("surname", (s) => s.replace(/\s*(Jr|Sr|II|III|Jr\.|Sr\.|2nd|3rd)$/, "")) ||
          changed("birth_date") ||
          changed("national_id", digits) ||
          changed("phone", digits)
        ) {
          hard++;
        }
      }
    }
    expect(hard / total).toBeGreaterThanOrEqual(0.04);
    expect(hard / total).toBeLessThanOrEqual(0.12);
  });

  it("never writes a double quote, CR or LF; dates are ISO and valid", () => {
    const rng = new Rng(7);
    const noisy = scaleNoise(DEFAULT_NOISE, 4);
    const bad: string[] = [];
    let count = 0;
    for (const party of population(7, 4_000)) {
      for (const noise of [DEFAULT_NOISE, noisy]) {
        const r = recordOf(party, rng, noise);
        for (const [field, value] of Object.entries(r)) {
          if (/["\r\n]/.test(value) || value !== value.trim()) bad.push(`${field}: ${value}`);
        }
        if (r.birth_date !== "" && !isValidIsoDate(r.birth_date)) bad.push(`birth_date: ${r.birth_date}`);
        count++;
      }
    }
    expect(bad).toEqual([]);
    expect(count).toBe(8_000);
  });

  it("pass one style per bank: its records agree in format", () => {
    const rng = new Rng(8);
    const style = { ...pickRecordStyle(rng), case: "upper" as const, phone: "paren" as const };
    const records = Array.from({ length: 200 }, () => recordOf(KAREN, rng, NO_NOISE, style));
    expect(new Set(records.map((r) => r.phone))).toEqual(new Set(["(956) 555-0199"]));
    for (const r of records) expect(r.surname || r.name).toMatch(/JOHNSON/);
  });

  it("organisation noise: 'The' dropped, '&' as 'and', suffix forms and missing", () => {
    const rng = new Rng(9);
    const names = new Set<string>();
    for (let i = 0; i < 3_000; i++) names.add(recordOf(SPA, rng, DEFAULT_NOISE, PLAIN_STYLE).name);
    const all = [...names];
    expect(all).toContain("The Golden Lotus Massage & Spa LLC");
    expect(all).toContain("Golden Lotus Massage & Spa LLC");
    expect(all.some((n) => n.includes(" and Spa"))).toBe(true);
    expect(all.some((n) => n.endsWith("L.L.C."))).toBe(true);
    expect(all.some((n) => n.endsWith("Limited Liability Company"))).toBe(true);
    expect(all.some((n) => n.endsWith("Spa"))).toBe(true);
  });

  it("person noise reaches nicknames, swaps, middle initials and dropped accents", () => {
    const rng = new Rng(10);
    const bill: TruePerson = { ...JOSE, given: "William", middle: "Henry", surname: "Garc\u00eda" };
    const seen = { nickname: false, swapped: false, initial: false, merged: false, noAccent: false };
    for (let i = 0; i < 20_000; i++) {
      const r = recordOf(bill, rng, DEFAULT_NOISE, PLAIN_STYLE);
      if ((NICKNAMES.William ?? []).includes(r.given_name)) seen.nickname = true;
      if (r.given_name.startsWith("Garc")) seen.swapped = true;
      if (r.middle_name === "H") seen.initial = true;
      if (r.given_name === "William Henry") seen.merged = true;
      if (r.surname.startsWith("Garcia")) seen.noAccent = true;
    }
    expect(seen).toEqual({ nickname: true, swapped: true, initial: true, merged: true, noAccent: true });
  });
});

describe("name noise", () => {
  it.each([
    ["Jos\u00e9", "Jose"],
    ["Mar\u00eda Garc\u00eda", "Maria Garcia"],
    ["\u0141ukasz", "Lukasz"],
    ["Zo\u00eb", "Zoe"],
    ["S\u00f8ren", "Soren"],
    ["Bj\u00f6rn", "Bjorn"],
    ["Fran\u00e7ois", "Francois"],
    ["Ren\u00e9e", "Renee"],
    ["Zi\u0144ski Wi\u015bniewski", "Zinski Wisniewski"],
    ["O'Brien", "O'Brien"],
  ])("foldAscii(%s) is %s", (input, folded) => {
    expect(foldAscii(input)).toBe(folded);
  });

  it("applyCase keeps the text, changes only its case", () => {
    expect(applyCase("Garc\u00eda L\u00f3pez", "upper")).toBe("GARC\u00cdA L\u00d3PEZ");
    expect(applyCase("McDonald", "lower")).toBe("mcdonald");
    expect(applyCase("McDonald", "as-written")).toBe("McDonald");
  });

  it("a typo is always at Damerau-Levenshtein distance 1, of every kind", () => {
    const words = [
      "Maria",
      "Anna",
      "Li",
      "Bo",
      "Jos\u00e9",
      "Garc\u00eda L\u00f3pez",
      "O'Brien",
      "Smith-Jones",
      "Mississippi",
    ];
    for (const word of words) {
      for (const kind of TYPO_KINDS) {
        for (let seed = 0; seed < 40; seed++) {
          const t = typo(new Rng(seed), word, kind);
          expect(damerauLevenshtein(word, t), `${word} (${kind}) -> ${t}`).toBe(1);
          expect(t).not.toMatch(/["\r\n]/);
        }
      }
      const t = typo(new Rng(99), word);
      expect(damerauLevenshtein(word, t)).toBe(1);
    }
  });

  it("typos keep the first letter of longer names and strike neighbouring keys", () => {
    for (let seed = 0; seed < 200; seed++) {
      const t = typo(new Rng(seed), "Robert", "substitution");
      expect(t[0]).toBe("R");
      const i = [...t].findIndex((ch, k) => ch !== "Robert"[k]);
      const pairs: Record<string, string> = { o: "iplk", b: "vnhg", e: "wrsd", r: "etdf", t: "ryfg" };
      expect(pairs["Robert"[i] as string]).toContain(t[i]);
    }
  });

  it("text without letters is left alone", () => {
    expect(typo(new Rng(1), "123")).toBe("123");
    expect(typo(new Rng(1), "")).toBe("");
  });

  it("nicknameFor gives a known short form, or null", () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) expect(NICKNAMES.Elizabeth).toContain(nicknameFor(rng, "Elizabeth"));
    expect(nicknameFor(rng, "Zzyzx")).toBeNull();
  });

  it.each([
    ["Garc\u00eda L\u00f3pez", ["Garc\u00eda", "L\u00f3pez", "Garc\u00eda-L\u00f3pez"]],
    ["De la Cruz", ["Cruz", "Delacruz", "DeLaCruz"]],
    ["Van der Berg", ["Berg", "Vanderberg", "VanDerBerg"]],
    ["Smith-Jones", ["Smith", "Jones", "Smith Jones"]],
    ["Al-Hassan", ["Al Hassan", "Alhassan", "Hassan"]],
    ["O'Brien", ["OBrien", "O Brien"]],
    ["McDonald", ["Mc Donald", "Mcdonald"]],
    ["Smith", ["Smith"]],
  ])("surnameVariant(%s) is one of %j", (surname, allowed) => {
    const rng = new Rng(2);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(surnameVariant(rng, surname));
    expect([...seen].sort()).toEqual([...allowed].sort());
  });
});

describe("date noise", () => {
  it.each([
    ["1987-03-05", "1987-05-03"],
    ["2000-01-12", "2000-12-01"],
    ["1987-03-13", "1987-03-13"],
    ["1987-12-31", "1987-12-31"],
    ["1990-07-07", "1990-07-07"],
    ["1955-11-02", "1955-02-11"],
    ["not a date", "not a date"],
  ])("swapDayMonth(%s) is %s", (input, expected) => {
    expect(swapDayMonth(input)).toBe(expected);
  });

  it("swapping day and month always leaves a valid date", () => {
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= 31; d++) {
        const date = `1988-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
        if (isValidIsoDate(date)) expect(isValidIsoDate(swapDayMonth(date)), date).toBe(true);
      }
    }
  });

  it("a year typo changes one digit or swaps the last two, keeping month, day and validity", () => {
    const rng = new Rng(3);
    for (const date of ["1987-06-15", "1990-01-01", "1999-12-31", "1955-02-28", "2004-07-04", "1988-02-29"]) {
      const seen = new Set<string>();
      for (let i = 0; i < 100; i++) {
        const t = yearTypo(rng, date);
        expect(isValidIsoDate(t), t).toBe(true);
        expect(t.slice(4)).toBe(date.slice(4));
        seen.add(t);
        if (t === date) continue;
        const [a, b] = [date.slice(0, 4), t.slice(0, 4)];
        const differing = [...a].filter((ch, k) => ch !== b[k]).length;
        const swapped = a.slice(0, 2) === b.slice(0, 2) && a[2] === b[3] && a[3] === b[2];
        expect(differing === 1 || swapped, `${a} -> ${b}`).toBe(true);
      }
      // 29 February 1988 has no valid one-digit neighbour: left as it is.
      if (date === "1988-02-29") expect([...seen]).toEqual([date]);
      else expect(seen.has(date)).toBe(false);
    }
    expect(yearTypo(new Rng(1), "1987-06-15")).not.toBe("1987-06-15");
    const years = new Set(Array.from({ length: 200 }, () => yearTypo(rng, "1987-06-15").slice(0, 4)));
    expect(years).toEqual(new Set(["1978", "1986", "1988", "1977", "1997"]));
  });
});

describe("number noise", () => {
  it.each([
    ["paren", "(956) 555-1234"],
    ["dash", "956-555-1234"],
    ["dot", "956.555.1234"],
    ["international", "+1 956 555 1234"],
    ["country-digits", "19565551234"],
    ["digits", "9565551234"],
  ] as const)("formatPhone %s: %s", (format, expected) => {
    expect(formatPhone("9565551234", format)).toBe(expected);
  });

  it("every phone format holds the same ten digits", () => {
    const rng = new Rng(4);
    for (let i = 0; i < 200; i++) {
      const phone = pickPhone(rng, "785");
      for (const format of PHONE_FORMATS) {
        let digits = formatPhone(phone, format).replace(/\D/g, "");
        if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
        expect(digits).toBe(phone);
      }
    }
    expect(formatPhone("6641234567", "international", "52")).toBe("+52 664 123 4567");
  });

  it("a digit error changes exactly one digit", () => {
    const rng = new Rng(5);
    for (let i = 0; i < 500; i++) {
      const t = digitError(rng, "9565551234");
      expect(t).toMatch(/^\d{10}$/);
      expect([...t].filter((ch, k) => ch !== "9565551234"[k]).length).toBe(1);
      expect(digitError(rng, "1", true)).not.toBe("0");
    }
  });

  it("national ids and EINs with and without dashes", () => {
    expect(formatNationalId("123456789", true)).toBe("123-45-6789");
    expect(formatNationalId("123456789", false)).toBe("123456789");
    expect(formatEin("123456789", true)).toBe("12-3456789");
    expect(formatEin("123456789", false)).toBe("123456789");
  });
});

describe("address noise", () => {
  it("street types round-trip through STREET_TYPES in every form and case", () => {
    for (const row of STREET_TYPES) {
      const full = row[0] as string;
      for (const form of ["full", "abbrev", "abbrev-dot"] as DesignatorForm[]) {
        const written = streetTypeForm(full, form);
        expect(row).toContain(written);
        expect(canonicalStreetType(written)).toBe(full);
        expect(canonicalStreetType(written.toUpperCase())).toBe(full);
      }
      for (const variant of row) expect(canonicalStreetType(variant)).toBe(full);
    }
    expect(streetTypeForm("Street", "abbrev")).toBe("St");
    expect(streetTypeForm("Way", "abbrev-dot")).toBe("Wy");
    expect(canonicalStreetType("Rue")).toBeNull();
  });

  it("organisation suffixes round-trip through ORGANISATION_SUFFIXES", () => {
    for (const row of ORGANISATION_SUFFIXES) {
      for (const form of ["full", "abbrev", "abbrev-dot"] as DesignatorForm[]) {
        expect(row).toContain(orgSuffixForm(row[0] as string, form));
      }
    }
    expect(orgSuffixForm("Limited Liability Company", "abbrev-dot")).toBe("L.L.C.");
  });

  it.each([
    ["long", "Apartment 4B", "Suite 4B"],
    ["short", "Apt 4B", "Ste 4B"],
    ["short-dot", "Apt. 4B", "Ste. 4B"],
    ["hash", "#4B", "#4B"],
    ["unit", "Unit 4B", "Unit 4B"],
  ] as const)("formatUnit %s: %s / %s", (style, person, organisation) => {
    expect(formatUnit("4B", style, "person")).toBe(person);
    expect(formatUnit("4B", style, "organisation")).toBe(organisation);
  });

  it("ZIP+4 is a property of the address: every bank agrees on it", () => {
    expect(zipPlus4(ADDRESS)).toMatch(/^\d{4}$/);
    expect(zipPlus4({ ...ADDRESS })).toBe(zipPlus4(ADDRESS));
    const rng = new Rng(6);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = recordOf(JOSE, rng, DEFAULT_NOISE, { ...PLAIN_STYLE, zip4: true });
      if (r.postcode !== "") seen.add(r.postcode);
    }
    expect([...seen].every((p) => p === `78040-${zipPlus4(ADDRESS)}` || p === "78040")).toBe(true);
  });
});

describe("email noise", () => {
  it("gmail dot and plus-tag variants deliver to the same mailbox", () => {
    const rng = new Rng(7);
    const changed = new Set<string>();
    for (const email of [
      "jose.garcia87@gmail.com",
      "mariagarcia@gmail.com",
      "kim.l.park@gmail.com",
      "ab@outlook.com",
    ]) {
      for (let i = 0; i < 100; i++) {
        let v = gmailDotVariant(rng, email);
        if (i % 2 === 0) v = plusTagVariant(rng, v);
        if (i % 3 === 0) v = emailCaseVariant(rng, v);
        expect(mailbox(v)).toBe(mailbox(email));
        expect(v).not.toMatch(/\.\.|^\.|\.@/);
        if (v !== email) changed.add(email);
      }
    }
    expect(changed.size).toBe(4);
  });

  it("dots are left alone outside Gmail; plus tags only where the provider delivers them", () => {
    const rng = new Rng(8);
    expect(gmailDotVariant(rng, "jose.garcia@yahoo.com")).toBe("jose.garcia@yahoo.com");
    expect(plusTagVariant(rng, "jose.garcia@yahoo.com")).toBe("jose.garcia@yahoo.com");
    expect(plusTagVariant(rng, "jose@gmail.com")).toMatch(/^jose\+[a-z]+@gmail\.com$/);
    expect(plusTagVariant(rng, "jose+x@gmail.com")).toBe("jose+x@gmail.com");
    expect(mailbox(gmailDotVariant(rng, "j.o.s.e@gmail.com"))).toBe("jose@gmail.com");
  });

  it("a case variant is the same address ignoring case", () => {
    const rng = new Rng(9);
    for (let i = 0; i < 50; i++) {
      expect(emailCaseVariant(rng, "maria.garcia_3@gmail.com").toLowerCase()).toBe(
        "maria.garcia_3@gmail.com",
      );
    }
  });
});

describe("pickers", () => {
  it("given names and surnames come from the lists, common ones more often", () => {
    const rng = new Rng(10);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const name = pickGivenName(rng, "M");
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect((counts.get("James") ?? 0) > (counts.get("Bj\u00f6rn") ?? 0) * 10).toBe(true);
    expect(counts.has("Mary")).toBe(false);
    const surnames = new Set(Array.from({ length: 5_000 }, () => pickSurname(rng)));
    expect(surnames.has("Smith")).toBe(true);
    expect(surnames.size).toBeGreaterThan(300);
  });

  it("street addresses are in the city, with realistic numbers, units for about 30%", () => {
    const rng = new Rng(11);
    const laredo = cityNamed("Laredo", "TX");
    const tijuana = cityNamed("Tijuana", "BC");
    const fullTypes = STREET_TYPES.map((row) => row[0]);
    let units = 0;
    for (let i = 0; i < 5_000; i++) {
      const a = pickStreetAddress(rng, laredo);
      expect(a).toMatchObject({ city: "Laredo", region: "TX", country: "US" });
      expect(a.postcode).toMatch(/^780\d\d$/);
      expect(a.number).toMatch(/^[1-9]\d{0,4}$/);
      expect(fullTypes).toContain(a.streetType);
      if (a.directional !== null) expect(["North", "South", "East", "West"]).toContain(a.directional);
      if (a.unit !== null) units++;
    }
    expect(units / 5_000).toBeGreaterThan(0.27);
    expect(units / 5_000).toBeLessThan(0.33);
    const mx = pickStreetAddress(rng, tijuana);
    expect(mx).toMatchObject({ country: "MX", region: "BC" });
    expect(mx.postcode).toMatch(/^22\d{3}$/);
  });

  it("phones have ten digits and a plausible area code, mostly local", () => {
    const rng = new Rng(12);
    let local = 0;
    for (let i = 0; i < 5_000; i++) {
      const phone = pickPhone(rng, "785");
      expect(phone).toMatch(/^\d{10}$/);
      const area = Number(phone.slice(0, 3));
      expect(area).toBeGreaterThanOrEqual(201);
      expect(area).toBeLessThanOrEqual(989);
      expect(area % 100).not.toBe(11);
      expect(phone.slice(3, 6)).not.toBe("555");
      if (phone.startsWith("956")) local++;
    }
    expect(local / 5_000).toBeGreaterThan(0.8);
    expect(pickPhone(rng, "000")).toMatch(/^\d{10}$/);
  });

  it("emails are lower-case ASCII at a listed domain, derived from the name", () => {
    const rng = new Rng(13);
    const domains = new Set(EMAIL_DOMAINS.map(([d]) => d));
    for (let i = 0; i < 2_000; i++) {
      const email = emailFor(rng, "Jos\u00e9", "De la Cruz");
      const [box, domain] = email.split("@") as [string, string];
      expect(box).toMatch(/^[a-z0-9._]+$/);
      expect(domains.has(domain)).toBe(true);
      expect(box.includes("jose") || box.includes("delacruz")).toBe(true);
    }
    expect(emailFor(new Rng(1), "\u0141ukasz", "O'Brien")).toMatch(/^[a-z0-9._]+@/);
  });

  it("national ids look like SSNs and EINs like EINs", () => {
    const rng = new Rng(14);
    for (let i = 0; i < 5_000; i++) {
      const ssn = pickNationalId(rng);
      expect(ssn).toMatch(/^\d{9}$/);
      expect(ssn.startsWith("9")).toBe(false);
      expect(ssn.startsWith("000")).toBe(false);
      expect(ssn.startsWith("666")).toBe(false);
      expect(ssn.slice(3, 5)).not.toBe("00");
      expect(ssn.slice(5)).not.toBe("0000");
      const ein = pickEin(rng);
      expect(ein).toMatch(/^\d{9}$/);
      expect([
        "00",
        "07",
        "08",
        "09",
        "17",
        "18",
        "19",
        "28",
        "29",
        "49",
        "69",
        "70",
        "78",
        "79",
        "89",
        "96",
        "97",
      ]).not.toContain(ein.slice(0, 2));
    }
  });

  it("record styles vary between banks", () => {
    const rng = new Rng(15);
    const styles = Array.from({ length: 500 }, () => pickRecordStyle(rng));
    const upper = styles.filter((s) => s.case === "upper").length / styles.length;
    expect(upper).toBeGreaterThan(0.45);
    expect(upper).toBeLessThan(0.75);
    expect(new Set(styles.map((s) => s.phone)).size).toBe(PHONE_FORMATS.length);
    expect(new Set(styles.map((s) => s.nameLayout)).size).toBe(3);
  });

  it("scaleNoise multiplies every probability, capped at 1", () => {
    const doubled = scaleNoise(DEFAULT_NOISE, 2);
    expect(doubled.nickname).toBeCloseTo(DEFAULT_NOISE.nickname * 2);
    expect(scaleNoise(DEFAULT_NOISE, 100).nationalIdMissing).toBe(1);
    expect(Object.values(scaleNoise(DEFAULT_NOISE, 0)).every((p) => p === 0)).toBe(true);
    expect(Object.values(NO_NOISE).every((p) => p === 0)).toBe(true);
    expect(Object.keys(NO_NOISE).sort()).toEqual(Object.keys(DEFAULT_NOISE).sort());
  });
});
