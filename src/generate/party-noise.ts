/**
 * How banks write down the people and organisations of the synthetic world. The world holds the
 * truth; each bank where a party holds an account keeps its own record of it, in the bank's own
 * conventions (ALL CAPS, "St" for Street, SSNs with dashes) and with the errors real records
 * carry: nicknames, typos, a middle name dropped, day and month swapped, a digit wrong.
 * Entity resolution has to see through exactly these differences, so each kind of error is a
 * small pure function of its input and the random stream, testable on its own.
 *
 * Everything runs once per record for up to a million records: no regular expressions built per
 * call, weighted draws by binary search over precomputed cumulative weights.
 */

import { EIN_PREFIXES } from "../model/us-identifiers.js";
import {
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
  type Weighted,
} from "./data/names.js";
import { CITIES, type City, COUNTRY_NAMES, REGION_NAMES } from "./data/places.js";
import { fnv1a, type Rng } from "./random.js";

// ---------------------------------------------------------------------------------------------
// The truth and the record

export interface TrueAddress {
  /** House number, as digits. */
  number: string;
  /** Full form ("North"), or null. */
  directional: string | null;
  street: string;
  /** Full form from STREET_TYPES ("Street"). */
  streetType: string;
  /** Apartment or suite identifier without its designator ("4B"), or null. */
  unit: string | null;
  city: string;
  region: string;
  /** Five digits in the US and Mexico. */
  postcode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface TruePerson {
  kind: "person";
  given: string;
  middle: string | null;
  surname: string;
  suffix: "Jr" | "Sr" | "II" | "III" | null;
  /** YYYY-MM-DD. */
  birthDate: string;
  address: TrueAddress;
  /** Ten digits. */
  phone: string;
  email: string | null;
  /** Nine digits, SSN-like. */
  nationalId: string | null;
}

export interface TrueOrganisation {
  kind: "organisation";
  name: string;
  /** A full form from ORGANISATION_SUFFIXES ("Limited Liability Company"), or null. */
  suffix: string | null;
  address: TrueAddress;
  phone: string;
  email: string | null;
  /** Nine digits, EIN-like. */
  taxId: string;
}

/** One bank's record of a party, as the parties file carries it: "" where the bank has nothing. */
export interface PartyRecordText {
  kind: "person" | "organisation";
  name: string;
  given_name: string;
  middle_name: string;
  surname: string;
  birth_date: string;
  address: string;
  city: string;
  postcode: string;
  region: string;
  country: string;
  phone: string;
  email: string;
  national_id: string;
  tax_id: string;
}

// ---------------------------------------------------------------------------------------------
// A bank's conventions

export const PHONE_FORMATS = ["paren", "dash", "dot", "international", "country-digits", "digits"] as const;
/** "(555) 123-4567", "555-123-4567", "555.123.4567", "+1 555 123 4567", "15551234567", "5551234567". */
export type PhoneFormat = (typeof PHONE_FORMATS)[number];
/** Full form, abbreviation, dotted abbreviation ("Street", "St", "St."; "Incorporated", "Inc", "Inc."). */
export type DesignatorForm = "full" | "abbrev" | "abbrev-dot";
/** "Apartment 4B" / "Suite 200", "Apt 4B" / "Ste 200", "Apt. 4B" / "Ste. 200", "#4B", "Unit 4B". */
export type UnitStyle = "long" | "short" | "short-dot" | "hash" | "unit";
/** Name parts in their own fields, or one full name: "GARCIA LOPEZ, MARIA J" or "Maria J. Garcia". */
export type NameLayout = "parts" | "last-first" | "first-last";
export type CaseMode = "as-written" | "upper" | "lower";

/**
 * How one bank writes its records. Conventions belong to the bank (its core system stores names in
 * capitals, its forms say "Apt"), so a bank's records agree with each other in format and differ
 * from another bank's; NoiseLevel.formatDrift lets a clerk stray from them now and then.
 */
export interface RecordStyle {
  case: "as-written" | "upper";
  /** Diacritics dropped, as systems limited to ASCII do. */
  ascii: boolean;
  nameLayout: NameLayout;
  middle: "full" | "initial";
  streetType: DesignatorForm;
  directional: "full" | "abbrev";
  unit: UnitStyle;
  /** US postcodes as ZIP+4. */
  zip4: boolean;
  region: "code" | "name";
  country: "code" | "alpha3" | "name";
  phone: PhoneFormat;
  /** "123-45-6789" and "12-3456789" rather than bare digits. */
  dashedIds: boolean;
  orgSuffix: DesignatorForm;
  /** "Acme, Inc." rather than "Acme Inc". */
  orgComma: boolean;
  emailUpper: boolean;
}

/** A plain style: parts as written, with diacritics, abbreviated street types. */
export const DEFAULT_STYLE: Readonly<RecordStyle> = {
  case: "as-written",
  ascii: false,
  nameLayout: "parts",
  middle: "full",
  streetType: "abbrev",
  directional: "abbrev",
  unit: "short",
  zip4: false,
  region: "code",
  country: "code",
  phone: "dash",
  dashedIds: true,
  orgSuffix: "abbrev",
  orgComma: false,
  emailUpper: false,
};

function choose<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  return items[rng.weighted(weights)] as T;
}

/** One bank's conventions, drawn with the frequencies seen across US banks' exports. */
export function pickRecordStyle(rng: Rng): RecordStyle {
  const upper = rng.chance(0.6);
  return {
    case: upper ? "upper" : "as-written",
    // Capitals usually come from old core systems, which are usually ASCII-only too.
    ascii: rng.chance(upper ? 0.85 : 0.5),
    nameLayout: choose(rng, ["parts", "last-first", "first-last"] as const, [85, 10, 5]),
    middle: rng.chance(0.6) ? "full" : "initial",
    streetType: choose(rng, ["abbrev", "full", "abbrev-dot"] as const, [60, 25, 15]),
    directional: rng.chance(0.7) ? "abbrev" : "full",
    unit: choose(rng, ["short", "hash", "unit", "long", "short-dot"] as const, [45, 20, 15, 10, 10]),
    zip4: rng.chance(0.2),
    region: rng.chance(0.92) ? "code" : "name",
    country: choose(rng, ["code", "alpha3", "name"] as const, [60, 25, 15]),
    phone: choose(rng, PHONE_FORMATS, [30, 25, 5, 8, 7, 25]),
    dashedIds: rng.chance(0.5),
    orgSuffix: choose(rng, ["abbrev", "abbrev-dot", "full"] as const, [50, 30, 20]),
    orgComma: rng.chance(0.25),
    emailUpper: upper && rng.chance(0.3),
  };
}

/** The format conventions a clerk may stray from on one record. */
const DRIFTING_KEYS = [
  "middle",
  "streetType",
  "directional",
  "unit",
  "zip4",
  "region",
  "phone",
  "dashedIds",
  "orgSuffix",
  "orgComma",
] as const;

// ---------------------------------------------------------------------------------------------
// Noise levels

/** Probability per record of each kind of error (of those that apply to the party). */
export interface NoiseLevel {
  /** Given name replaced by a nickname, short form or spelling variant, when it has one. */
  nickname: number;
  givenTypo: number;
  surnameTypo: number;
  /** A compound surname shortened, hyphenated or merged; an apostrophe or particle dropped. */
  surnameVariant: number;
  /** Given name and surname swapped. */
  nameSwap: number;
  middleMissing: number;
  /** Middle name merged into the given name ("Maria Jose", no middle). */
  middleMerged: number;
  /** Middle name as an initial where the bank keeps it in full, or the reverse. */
  middleFormFlip: number;
  suffixMissing: number;
  /** "Jr." for "Jr", "3rd" for "III". */
  suffixVariant: number;
  /** Diacritics typed without accents at a bank that could keep them. */
  diacriticsDropped: number;
  /** The record in another case than the bank's usual one. */
  caseDrift: number;
  /** One format convention of the bank not followed (a clerk writes "#4B" where forms say "Apt"). */
  formatDrift: number;
  /** "The " dropped from an organisation's name. */
  orgTheDropped: number;
  /** "&" written "and", or the reverse. */
  orgAmpersand: number;
  orgSuffixMissing: number;
  /** The suffix in another form than the bank's usual one. */
  orgSuffixVariant: number;
  orgTypo: number;
  addressMissing: number;
  houseNumberTypo: number;
  unitMissing: number;
  cityTypo: number;
  postcodeMissing: number;
  birthDateMissing: number;
  /** Day and month swapped (only possible when both are at most 12). */
  birthDateSwap: number;
  birthDateYearTypo: number;
  phoneMissing: number;
  phoneDigitError: number;
  emailMissing: number;
  emailCase: number;
  /** Dots added to or removed from a Gmail mailbox name (Gmail ignores them). */
  gmailDots: number;
  /** "+tag" added to the mailbox name, at providers that deliver it. */
  emailPlusTag: number;
  nationalIdMissing: number;
  nationalIdDigitError: number;
  taxIdMissing: number;
  taxIdDigitError: number;
}

/**
 * Realistic difficulty: most records carry 0-2 differences from the bank's clean rendering;
 * roughly 5-10% carry a hard one (names swapped, nickname, typo in a name, wrong birth year,
 * a wrong digit in an identifier). National ids are often absent: many exports leave them out.
 */
export const DEFAULT_NOISE: Readonly<NoiseLevel> = {
  nickname: 0.035,
  givenTypo: 0.015,
  surnameTypo: 0.015,
  surnameVariant: 0.25,
  nameSwap: 0.01,
  middleMissing: 0.1,
  middleMerged: 0.01,
  middleFormFlip: 0.04,
  suffixMissing: 0.25,
  suffixVariant: 0.1,
  diacriticsDropped: 0.3,
  caseDrift: 0.02,
  formatDrift: 0.03,
  orgTheDropped: 0.4,
  orgAmpersand: 0.25,
  orgSuffixMissing: 0.15,
  orgSuffixVariant: 0.1,
  orgTypo: 0.015,
  addressMissing: 0.01,
  houseNumberTypo: 0.01,
  unitMissing: 0.12,
  cityTypo: 0.01,
  postcodeMissing: 0.03,
  birthDateMissing: 0.03,
  birthDateSwap: 0.02,
  birthDateYearTypo: 0.008,
  phoneMissing: 0.05,
  phoneDigitError: 0.005,
  emailMissing: 0.08,
  emailCase: 0.05,
  gmailDots: 0.05,
  emailPlusTag: 0.02,
  nationalIdMissing: 0.3,
  nationalIdDigitError: 0.005,
  taxIdMissing: 0.1,
  taxIdDigitError: 0.005,
};

/** No errors at all: what a bank's clean rendering of the truth looks like. */
export const NO_NOISE: Readonly<NoiseLevel> = Object.fromEntries(
  Object.keys(DEFAULT_NOISE).map((k) => [k, 0]),
) as unknown as NoiseLevel;

/** Every probability multiplied by `factor` (capped at 1): harder or easier worlds. */
export function scaleNoise(noise: Readonly<NoiseLevel>, factor: number): NoiseLevel {
  const out = { ...noise };
  for (const k of Object.keys(out) as (keyof NoiseLevel)[])
    out[k] = Math.min(1, Math.max(0, out[k] * factor));
  return out;
}

/** A chance that draws nothing when it cannot happen: clean renderings stay cheap. */
function hit(rng: Rng, p: number): boolean {
  return p > 0 && rng.next() < p;
}

// ---------------------------------------------------------------------------------------------
// Text: folding, case, typos

const PRINTABLE_ASCII = /^[ -~]*$/;
const COMBINING_MARKS = /\p{M}/gu;
/** Letters that Unicode decomposition does not reduce to ASCII. */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  "\u0141": "L",
  "\u0142": "l",
  "\u00d8": "O",
  "\u00f8": "o",
  "\u00df": "ss",
  "\u00c6": "AE",
  "\u00e6": "ae",
  "\u0152": "OE",
  "\u0153": "oe",
  "\u0110": "D",
  "\u0111": "d",
  "\u0131": "i",
  "\u00de": "Th",
  "\u00fe": "th",
};

/** Diacritics dropped, as an ASCII-only system stores text: "Jos\u00e9" to "Jose", "\u0141ukasz" to "Lukasz". */
export function foldAscii(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const stripped = text.normalize("NFD").replace(COMBINING_MARKS, "");
  let out = "";
  for (const ch of stripped) out += EXTRA_FOLDS[ch] ?? ch;
  return out;
}

export function applyCase(text: string, mode: CaseMode): string {
  return mode === "upper" ? text.toUpperCase() : mode === "lower" ? text.toLowerCase() : text;
}

const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
/** Letters next to each letter on a QWERTY keyboard (same row, and the staggered rows above and below). */
const ADJACENT_KEYS: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = {};
  KEYBOARD_ROWS.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      let near = (row[i - 1] ?? "") + (row[i + 1] ?? "");
      const above = KEYBOARD_ROWS[r - 1];
      const below = KEYBOARD_ROWS[r + 1];
      if (above) near += (above[i] ?? "") + (above[i + 1] ?? "");
      if (below) near += (below[i - 1] ?? "") + (below[i] ?? "");
      out[row[i] as string] = near;
    }
  });
  return out;
})();

export const TYPO_KINDS = ["substitution", "deletion", "doubling", "transposition"] as const;
export type TypoKind = (typeof TYPO_KINDS)[number];

function isLetter(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

/**
 * One keystroke wrong, at Damerau-Levenshtein distance 1 from the input: a neighbouring key
 * struck, a letter left out, a letter doubled, or two neighbouring letters swapped. Only letters
 * are touched, and the first letter only when there is no other (people rarely get it wrong,
 * and blocking on it is common). Falls back to doubling when the chosen kind cannot apply;
 * returns the text unchanged when it has no letter.
 */
export function typo(rng: Rng, text: string, kind: TypoKind = TYPO_KINDS[rng.int(4)] as TypoKind): string {
  const letters: number[] = [];
  for (let i = 0; i < text.length; i++) if (isLetter(text[i] as string)) letters.push(i);
  if (letters.length === 0) return text;
  const inner = letters.length > 1 ? letters.slice(1) : letters;
  if (kind === "substitution") {
    const keys = inner.filter((i) => ADJACENT_KEYS[(text[i] as string).toLowerCase()] !== undefined);
    if (keys.length > 0) {
      const i = rng.pick(keys);
      const ch = text[i] as string;
      const near = rng.pick([...(ADJACENT_KEYS[ch.toLowerCase()] as string)]);
      return text.slice(0, i) + (ch === ch.toLowerCase() ? near : near.toUpperCase()) + text.slice(i + 1);
    }
  } else if (kind === "deletion") {
    if (letters.length >= 3) {
      const i = rng.pick(inner);
      return text.slice(0, i) + text.slice(i + 1);
    }
  } else if (kind === "transposition") {
    // Same-case pairs only: swapping "Ma" would give "aM", two differences once case counts.
    const pairs = inner.filter((i) => {
      const a = text[i] as string;
      const b = text[i + 1];
      return b !== undefined && a !== b && isLetter(b) && (a === a.toLowerCase()) === (b === b.toLowerCase());
    });
    if (pairs.length > 0) {
      const i = rng.pick(pairs);
      return text.slice(0, i) + (text[i + 1] as string) + (text[i] as string) + text.slice(i + 2);
    }
  }
  const i = rng.pick(inner);
  return text.slice(0, i + 1) + (text[i] as string) + text.slice(i + 1);
}

// ---------------------------------------------------------------------------------------------
// Names

/** A nickname, short form or spelling variant the person may go by, or null when none is known. */
export function nicknameFor(rng: Rng, given: string): string | null {
  const names = NICKNAMES[given];
  return names && names.length > 0 ? rng.pick(names) : null;
}

const PARTICLES = new Set([
  "de",
  "la",
  "del",
  "los",
  "las",
  "van",
  "der",
  "den",
  "von",
  "da",
  "di",
  "du",
  "le",
  "dos",
  "dela",
]);
const ARABIC_ARTICLES = new Set(["al", "el", "abdel", "abd"]);
const INNER_CAPITAL = /^([A-Z][a-z]+)([A-Z][a-z]+)$/;

function capitalise(word: string): string {
  return word.length === 0 ? word : (word[0] as string).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * Another way a bank writes the same surname, or the surname itself when it has only one form:
 * one part of a Hispanic double surname (mostly the first), either side of a hyphen, a particle
 * dropped or run together ("Cruz", "Delacruz"), an apostrophe or inner capital lost ("OBrien",
 * "Mc Donald"), "Al-Hassan" as "Al Hassan" or "Hassan".
 */
export function surnameVariant(rng: Rng, surname: string): string {
  const variants: string[] = [];
  if (surname.includes("'")) variants.push(surname.replace("'", ""), surname.replace("'", " "));
  if (surname.includes("-")) {
    const parts = surname.split("-");
    const first = parts[0] as string;
    if (ARABIC_ARTICLES.has(first.toLowerCase())) {
      variants.push(parts.join(" "), first + parts.slice(1).join("").toLowerCase(), parts.slice(1).join("-"));
    } else {
      variants.push(first, first, parts[parts.length - 1] as string, parts.join(" "));
    }
  } else if (surname.includes(" ")) {
    const words = surname.split(" ");
    const core = words.filter((w) => !PARTICLES.has(w.toLowerCase()));
    if (core.length > 0 && core.length < words.length) {
      variants.push(core.join(" "), capitalise(words.join("")), words.map(capitalise).join(""));
    } else {
      // Paternal and maternal surnames: US forms have room for one, and it is usually the first.
      variants.push(
        words[0] as string,
        words[0] as string,
        words[words.length - 1] as string,
        words.join("-"),
      );
    }
  } else {
    const inner = INNER_CAPITAL.exec(surname);
    if (inner) variants.push(`${inner[1]} ${inner[2]}`, capitalise(surname));
  }
  return variants.length > 0 ? rng.pick(variants) : surname;
}

function initialOf(name: string): string {
  return name.length === 0 ? "" : (name[0] as string).toUpperCase();
}

const SUFFIX_VARIANTS: Readonly<Record<string, string>> = { Jr: "Jr.", Sr: "Sr.", II: "2nd", III: "3rd" };

// ---------------------------------------------------------------------------------------------
// Dates

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseIsoDate(date: string): [number, number, number] | null {
  if (date.length !== 10 || date[4] !== "-" || date[7] !== "-") return null;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return [y, m, d];
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * Day and month swapped, as when a date written 03/05 is read the other way round. Only when
 * both are at most 12 (otherwise no one would misread it, and the date would be invalid);
 * otherwise, or when they are equal, the date is returned unchanged.
 */
export function swapDayMonth(date: string): string {
  const parts = parseIsoDate(date);
  if (!parts) return date;
  const [y, m, d] = parts;
  return m <= 12 && d <= 12 ? isoDate(y, d, m) : date;
}

/**
 * The year one keystroke off: last two digits swapped (1987 to 1978), or the last or decade
 * digit one key off (1987 to 1986, 1988, 1977, 1997). Only candidates that change a single
 * digit, stay within 1900-2029 and keep the date valid (29 February) are used; with none left
 * the date is returned unchanged.
 */
export function yearTypo(rng: Rng, date: string): string {
  const parts = parseIsoDate(date);
  if (!parts) return date;
  const [y, m, d] = parts;
  const candidates: number[] = [];
  const tens = Math.floor(y / 10) % 10;
  const units = y % 10;
  if (tens !== units) candidates.push(y - tens * 10 - units + units * 10 + tens);
  if (units < 9) candidates.push(y + 1);
  if (units > 0) candidates.push(y - 1);
  if (tens < 9) candidates.push(y + 10);
  if (tens > 0) candidates.push(y - 10);
  const valid = candidates.filter((c) => c >= 1900 && c <= 2029 && d <= daysInMonth(c, m));
  return valid.length > 0 ? isoDate(rng.pick(valid), m, d) : date;
}

// ---------------------------------------------------------------------------------------------
// Numbers: phones and identifiers

/** `digits` (ten of them) in one of the formats banks store phones in. */
export function formatPhone(digits: string, format: PhoneFormat, countryCode = "1"): string {
  if (digits.length !== 10) return digits;
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  switch (format) {
    case "paren":
      return `(${a}) ${b}-${c}`;
    case "dash":
      return `${a}-${b}-${c}`;
    case "dot":
      return `${a}.${b}.${c}`;
    case "international":
      return `+${countryCode} ${a} ${b} ${c}`;
    case "country-digits":
      return countryCode + digits;
    case "digits":
      return digits;
  }
}

/** One digit replaced by a different one; with `noLeadingZero`, never a 0 in first place. */
export function digitError(rng: Rng, digits: string, noLeadingZero = false): string {
  if (digits.length === 0) return digits;
  const i = rng.int(digits.length);
  const old = digits.charCodeAt(i) - 48;
  if (old < 0 || old > 9) return digits;
  let d = (old + 1 + rng.int(9)) % 10;
  if (d === 0 && i === 0 && noLeadingZero) d = old === 1 ? 2 : 1;
  return digits.slice(0, i) + String(d) + digits.slice(i + 1);
}

/** "123-45-6789" or "123456789". */
export function formatNationalId(digits: string, dashed: boolean): string {
  return dashed && digits.length === 9
    ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`
    : digits;
}

/** "12-3456789" or "123456789". */
export function formatEin(digits: string, dashed: boolean): string {
  return dashed && digits.length === 9 ? `${digits.slice(0, 2)}-${digits.slice(2)}` : digits;
}

// ---------------------------------------------------------------------------------------------
// Emails

const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);
const PLUS_TAG_DOMAIN_SET = new Set(PLUS_TAG_DOMAINS);
const PLUS_TAGS = ["bank", "banking", "finance", "money", "bills", "statements", "alerts", "acct", "savings"];

/**
 * Gmail ignores dots in mailbox names, so people write theirs with and without them: dots all
 * removed, or one added between two characters. Other domains are returned unchanged.
 */
export function gmailDotVariant(rng: Rng, email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0 || !GMAIL_DOMAINS.has(email.slice(at + 1).toLowerCase())) return email;
  const plus = email.indexOf("+");
  const end = plus > 0 && plus < at ? plus : at;
  const box = email.slice(0, end);
  const rest = email.slice(end);
  if (box.includes(".") && rng.chance(0.6)) return box.replaceAll(".", "") + rest;
  const gaps: number[] = [];
  for (let i = 1; i < box.length; i++) if (box[i - 1] !== "." && box[i] !== ".") gaps.push(i);
  if (gaps.length === 0) return email;
  const i = rng.pick(gaps);
  return `${box.slice(0, i)}.${box.slice(i)}${rest}`;
}

/** "name+tag@domain" at providers that deliver it to "name@domain"; otherwise unchanged. */
export function plusTagVariant(rng: Rng, email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0 || email.includes("+") || !PLUS_TAG_DOMAIN_SET.has(email.slice(at + 1).toLowerCase()))
    return email;
  return `${email.slice(0, at)}+${rng.pick(PLUS_TAGS)}${email.slice(at)}`;
}

/** The address with its case changed: all capitals, capitalised name parts, or a capitalised domain. */
export function emailCaseVariant(rng: Rng, email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return email.toUpperCase();
  switch (rng.int(3)) {
    case 0:
      return email.toUpperCase();
    case 1: {
      let out = "";
      for (let i = 0; i < at; i++) {
        const ch = email[i] as string;
        out += i === 0 || email[i - 1] === "." || email[i - 1] === "_" ? ch.toUpperCase() : ch;
      }
      return out + email.slice(at);
    }
    default:
      return `${email.slice(0, at + 1)}${capitalise(email.slice(at + 1))}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Addresses

const STREET_TYPE_ROWS = new Map(STREET_TYPES.map((row) => [row[0] as string, row]));
const STREET_TYPE_CANONICAL = new Map<string, string>();
for (const row of STREET_TYPES)
  for (const v of row) STREET_TYPE_CANONICAL.set(v.toLowerCase(), row[0] as string);
const ORG_SUFFIX_ROWS = new Map(ORGANISATION_SUFFIXES.map((row) => [row[0] as string, row]));
const DIRECTIONAL_ABBREVIATIONS = new Map<string, string>(DIRECTIONALS.map(([full, abbr]) => [full, abbr]));

function designatorForm(row: readonly string[] | undefined, full: string, form: DesignatorForm): string {
  if (!row) return full;
  if (form === "full") return row[0] ?? full;
  if (form === "abbrev") return row[1] ?? row[0] ?? full;
  return row[2] ?? row[1] ?? row[0] ?? full;
}

/** A street type ("Street") in the given form ("Street", "St", "St."). */
export function streetTypeForm(full: string, form: DesignatorForm): string {
  return designatorForm(STREET_TYPE_ROWS.get(full), full, form);
}

/** The full form of any spelling of a street type ("st." to "Street"), or null. */
export function canonicalStreetType(text: string): string | null {
  return STREET_TYPE_CANONICAL.get(text.toLowerCase()) ?? null;
}

/** An organisation suffix ("Limited Liability Company") in the given form ("LLC", "L.L.C."). */
export function orgSuffixForm(full: string, form: DesignatorForm): string {
  return designatorForm(ORG_SUFFIX_ROWS.get(full), full, form);
}

export function directionalForm(full: string, abbreviated: boolean): string {
  return abbreviated ? (DIRECTIONAL_ABBREVIATIONS.get(full) ?? full) : full;
}

/** "Apt 4B", "#4B", "Unit 4B", "Apartment 4B" for homes; "Suite 200", "Ste 200" for businesses. */
export function formatUnit(unit: string, style: UnitStyle, kind: "person" | "organisation"): string {
  switch (style) {
    case "hash":
      return `#${unit}`;
    case "unit":
      return `Unit ${unit}`;
    case "long":
      return kind === "person" ? `Apartment ${unit}` : `Suite ${unit}`;
    case "short":
      return kind === "person" ? `Apt ${unit}` : `Ste ${unit}`;
    case "short-dot":
      return kind === "person" ? `Apt. ${unit}` : `Ste. ${unit}`;
  }
}

/** The four-digit ZIP+4 add-on of an address: fixed by the address, so every bank that has it agrees. */
export function zipPlus4(address: TrueAddress): string {
  const h = fnv1a(
    `${address.postcode}|${address.number}|${address.street}|${address.streetType}|${address.unit}`,
  );
  return String(1 + (h % 9999)).padStart(4, "0");
}

export function regionForm(code: string, spelled: boolean): string {
  return spelled ? (REGION_NAMES[code] ?? code) : code;
}

export function countryForm(code: string, form: RecordStyle["country"]): string {
  if (form === "code") return code;
  const names = COUNTRY_NAMES[code];
  if (!names) return code;
  return form === "alpha3" ? names[0] : names[1];
}

// ---------------------------------------------------------------------------------------------
// Records

/**
 * One bank's record of a party: the truth in the bank's `style` (drawn afresh per record when not
 * given: pass one style per bank so that its records agree in format), with `noise` applied.
 */
export function recordOf(
  party: TruePerson | TrueOrganisation,
  rng: Rng,
  noise: Readonly<NoiseLevel> = DEFAULT_NOISE,
  style?: Readonly<RecordStyle>,
): PartyRecordText {
  let s: Readonly<RecordStyle> = style ?? pickRecordStyle(rng);
  if (hit(rng, noise.formatDrift)) {
    const key = DRIFTING_KEYS[rng.int(DRIFTING_KEYS.length)] as (typeof DRIFTING_KEYS)[number];
    s = { ...s, [key]: pickRecordStyle(rng)[key] };
  }
  const ascii = s.ascii || hit(rng, noise.diacriticsDropped);
  let mode: CaseMode = s.case;
  if (hit(rng, noise.caseDrift))
    mode = s.case === "upper" ? (rng.chance(0.8) ? "as-written" : "lower") : "upper";
  const finish = (text: string): string => applyCase(ascii ? foldAscii(text) : text, mode);
  return party.kind === "person"
    ? personRecord(party, rng, noise, s, finish)
    : organisationRecord(party, rng, noise, s, finish);
}

function emptyRecord(kind: "person" | "organisation"): PartyRecordText {
  return {
    kind,
    name: "",
    given_name: "",
    middle_name: "",
    surname: "",
    birth_date: "",
    address: "",
    city: "",
    postcode: "",
    region: "",
    country: "",
    phone: "",
    email: "",
    national_id: "",
    tax_id: "",
  };
}

function personRecord(
  p: TruePerson,
  rng: Rng,
  noise: Readonly<NoiseLevel>,
  s: Readonly<RecordStyle>,
  finish: (text: string) => string,
): PartyRecordText {
  const out = emptyRecord("person");
  let given = p.given;
  let surname = p.surname;
  let middle = p.middle;
  if (hit(rng, noise.nickname)) given = nicknameFor(rng, given) ?? given;
  if (hit(rng, noise.givenTypo)) given = typo(rng, given);
  if (hit(rng, noise.surnameTypo)) surname = typo(rng, surname);
  if (hit(rng, noise.surnameVariant)) surname = surnameVariant(rng, surname);
  let middleForm = s.middle;
  if (middle !== null) {
    const u = rng.next();
    if (u < noise.middleMissing) middle = null;
    else if (u < noise.middleMissing + noise.middleMerged) {
      given = `${given} ${middle}`;
      middle = null;
    } else if (u < noise.middleMissing + noise.middleMerged + noise.middleFormFlip) {
      middleForm = middleForm === "full" ? "initial" : "full";
    }
  }
  let suffix: string | null = p.suffix;
  if (suffix !== null) {
    const u = rng.next();
    if (u < noise.suffixMissing) suffix = null;
    else if (u < noise.suffixMissing + noise.suffixVariant) suffix = SUFFIX_VARIANTS[suffix] ?? suffix;
  }
  if (hit(rng, noise.nameSwap)) [given, surname] = [surname, given];

  const surnameWithSuffix = suffix ? `${surname} ${suffix}` : surname;
  if (s.nameLayout === "parts") {
    out.given_name = finish(given);
    out.middle_name = middle === null ? "" : finish(middleForm === "full" ? middle : initialOf(middle));
    out.surname = finish(surnameWithSuffix);
  } else if (s.nameLayout === "last-first") {
    const mid = middle === null ? "" : ` ${middleForm === "full" ? middle : initialOf(middle)}`;
    out.name = finish(`${surnameWithSuffix}, ${given}${mid}`);
  } else {
    const mid = middle === null ? "" : ` ${middleForm === "full" ? middle : `${initialOf(middle)}.`}`;
    out.name = finish(`${given}${mid} ${surnameWithSuffix}`);
  }

  const u = rng.next();
  if (u < noise.birthDateMissing) out.birth_date = "";
  else if (u < noise.birthDateMissing + noise.birthDateSwap) out.birth_date = swapDayMonth(p.birthDate);
  else if (u < noise.birthDateMissing + noise.birthDateSwap + noise.birthDateYearTypo) {
    out.birth_date = yearTypo(rng, p.birthDate);
  } else out.birth_date = p.birthDate;

  renderAddress(out, p.address, "person", rng, noise, s, finish);
  renderContact(out, p.phone, p.email, p.address.country, rng, noise, s);
  out.national_id = renderIdentifier(
    p.nationalId,
    rng,
    noise.nationalIdMissing,
    noise.nationalIdDigitError,
    (id) => formatNationalId(id, s.dashedIds),
  );
  return out;
}

function organisationRecord(
  o: TrueOrganisation,
  rng: Rng,
  noise: Readonly<NoiseLevel>,
  s: Readonly<RecordStyle>,
  finish: (text: string) => string,
): PartyRecordText {
  const out = emptyRecord("organisation");
  let name = o.name;
  if (name.startsWith("The ") && hit(rng, noise.orgTheDropped)) name = name.slice(4);
  if (name.includes(" & ")) {
    if (hit(rng, noise.orgAmpersand)) name = name.replace(" & ", " and ");
  } else if (name.includes(" and ") && hit(rng, noise.orgAmpersand)) name = name.replace(" and ", " & ");
  if (hit(rng, noise.orgTypo)) name = typo(rng, name);
  let suffix = o.suffix;
  if (suffix !== null && hit(rng, noise.orgSuffixMissing)) suffix = null;
  if (suffix !== null) {
    let form = s.orgSuffix;
    if (hit(rng, noise.orgSuffixVariant)) {
      const others = (["full", "abbrev", "abbrev-dot"] as const).filter((f) => f !== form);
      form = rng.pick(others);
    }
    name = `${name}${s.orgComma ? "," : ""} ${orgSuffixForm(suffix, form)}`;
  }
  out.name = finish(name);
  renderAddress(out, o.address, "organisation", rng, noise, s, finish);
  renderContact(out, o.phone, o.email, o.address.country, rng, noise, s);
  out.tax_id = renderIdentifier(o.taxId, rng, noise.taxIdMissing, noise.taxIdDigitError, (id) =>
    formatEin(id, s.dashedIds),
  );
  return out;
}

/** An identifier as a record holds it: often missing, rarely one digit wrong, in the bank's format. */
function renderIdentifier(
  id: string | null,
  rng: Rng,
  missing: number,
  digitWrong: number,
  format: (digits: string) => string,
): string {
  if (!id || hit(rng, missing)) return "";
  return format(hit(rng, digitWrong) ? digitError(rng, id) : id);
}

function renderAddress(
  out: PartyRecordText,
  a: TrueAddress,
  kind: "person" | "organisation",
  rng: Rng,
  noise: Readonly<NoiseLevel>,
  s: Readonly<RecordStyle>,
  finish: (text: string) => string,
): void {
  if (hit(rng, noise.addressMissing)) return;
  const number = hit(rng, noise.houseNumberTypo) ? digitError(rng, a.number, true) : a.number;
  let line = number;
  if (a.directional) line += ` ${directionalForm(a.directional, s.directional === "abbrev")}`;
  line += ` ${a.street} ${streetTypeForm(a.streetType, s.streetType)}`;
  if (a.unit && !hit(rng, noise.unitMissing)) line += ` ${formatUnit(a.unit, s.unit, kind)}`;
  out.address = finish(line);
  out.city = finish(hit(rng, noise.cityTypo) ? typo(rng, a.city) : a.city);
  if (!hit(rng, noise.postcodeMissing)) {
    out.postcode = s.zip4 && a.country === "US" ? `${a.postcode}-${zipPlus4(a)}` : a.postcode;
  }
  out.region = finish(regionForm(a.region, s.region === "name"));
  out.country = finish(countryForm(a.country, s.country));
}

function renderContact(
  out: PartyRecordText,
  phone: string,
  email: string | null,
  country: string,
  rng: Rng,
  noise: Readonly<NoiseLevel>,
  s: Readonly<RecordStyle>,
): void {
  if (phone && !hit(rng, noise.phoneMissing)) {
    const digits = hit(rng, noise.phoneDigitError) ? digitError(rng, phone) : phone;
    out.phone = formatPhone(digits, s.phone, country === "MX" ? "52" : "1");
  }
  if (email && !hit(rng, noise.emailMissing)) {
    let e = email;
    if (hit(rng, noise.gmailDots)) e = gmailDotVariant(rng, e);
    if (hit(rng, noise.emailPlusTag)) e = plusTagVariant(rng, e);
    if (hit(rng, noise.emailCase)) e = emailCaseVariant(rng, e);
    out.email = s.emailUpper ? e.toUpperCase() : e;
  }
}

// ---------------------------------------------------------------------------------------------
// Pickers for the population

/** Weighted draws by binary search over cumulative weights: O(log n) for a million people. */
class WeightedNames {
  private readonly names: string[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(rows: readonly Weighted[]) {
    this.names = rows.map((r) => r[0]);
    this.cumulative = new Float64Array(rows.length);
    let total = 0;
    rows.forEach((r, i) => {
      total += r[1];
      this.cumulative[i] = total;
    });
    this.total = total;
  }

  pick(rng: Rng): string {
    const u = rng.next() * this.total;
    let lo = 0;
    let hi = this.names.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return this.names[lo] as string;
  }
}

const FEMALE_TABLE = new WeightedNames(GIVEN_NAMES_FEMALE);
const MALE_TABLE = new WeightedNames(GIVEN_NAMES_MALE);
const SURNAME_TABLE = new WeightedNames(SURNAMES);
const DOMAIN_TABLE = new WeightedNames(EMAIL_DOMAINS);
/** How often each street type names a street. */
const STREET_TYPE_TABLE = new WeightedNames([
  ["Street", 30],
  ["Avenue", 20],
  ["Drive", 12],
  ["Road", 10],
  ["Lane", 6],
  ["Court", 5],
  ["Way", 5],
  ["Place", 4],
  ["Boulevard", 4],
  ["Circle", 2],
  ["Terrace", 1],
  ["Parkway", 1],
  ["Highway", 1],
]);

export function pickGivenName(rng: Rng, sex: "F" | "M"): string {
  return (sex === "F" ? FEMALE_TABLE : MALE_TABLE).pick(rng);
}

export function pickSurname(rng: Rng): string {
  return SURNAME_TABLE.pick(rng);
}

function pickUnit(rng: Rng): string {
  const u = rng.next();
  if (u < 0.4) return String(rng.between(1, 40));
  if (u < 0.7) return `${rng.between(1, 9)}${"ABCDEF"[rng.int(6)]}`;
  return `${rng.between(1, 9)}${String(rng.between(1, 20)).padStart(2, "0")}`;
}

/**
 * A street address in `city`: house numbers mostly of three or four digits, a directional now
 * and then, a unit for 30% (apartments, suites), a postcode of the city's prefix.
 */
export function pickStreetAddress(rng: Rng, city: City): TrueAddress {
  const r = rng.next();
  const number =
    r < 0.06
      ? rng.between(1, 99)
      : r < 0.5
        ? rng.between(100, 999)
        : r < 0.92
          ? rng.between(1000, 9999)
          : rng.between(10000, 29999);
  const directional = rng.chance(0.18) ? (rng.pick(DIRECTIONALS)[0] as string) : null;
  const street = rng.pick(STREET_NAMES);
  // Numbered streets are Streets and Avenues ("5th Avenue"), not Courts or Circles.
  const numbered = street.charCodeAt(0) <= 57;
  const streetType = numbered ? (rng.chance(0.6) ? "Street" : "Avenue") : STREET_TYPE_TABLE.pick(rng);
  const unit = rng.chance(0.3) ? pickUnit(rng) : null;
  // Five-digit postcodes: a three-digit ZIP prefix in the US, a two-digit state range in Mexico.
  const rest = 5 - city.zip3.length;
  const postcode = city.zip3 + String(rng.int(10 ** rest)).padStart(rest, "0");
  return {
    number: String(number),
    directional,
    street,
    streetType,
    unit,
    city: city.name,
    region: city.region,
    postcode,
    country: city.country,
  };
}

/** Area codes local to each postal prefix, from the cities' own. */
const AREA_CODES_BY_PREFIX: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  for (const c of CITIES) {
    const list = out.get(c.zip3) ?? [];
    for (const a of c.areaCodes) if (!list.includes(a)) list.push(a);
    out.set(c.zip3, list);
  }
  return out;
})();

function randomAreaCode(rng: Rng): string {
  for (;;) {
    const n = rng.between(201, 989);
    if (n % 100 !== 11) return String(n);
  }
}

/**
 * A ten-digit phone number, usually with an area code local to the postal prefix `zip3` (people
 * keep their mobile numbers when they move, so not always): exchange 200-999, never N11 or 555.
 */
export function pickPhone(rng: Rng, zip3: string): string {
  const local = AREA_CODES_BY_PREFIX.get(zip3);
  const area = local && local.length > 0 && rng.chance(0.85) ? rng.pick(local) : randomAreaCode(rng);
  let exchange: number;
  do exchange = rng.between(200, 999);
  while (exchange % 100 === 11 || exchange === 555);
  return `${area}${exchange}${String(rng.int(10000)).padStart(4, "0")}`;
}

/** Lower-case ASCII letters and digits only, for mailbox names. */
function mailboxPart(name: string): string {
  const folded = foldAscii(name).toLowerCase();
  let out = "";
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += folded[i];
  }
  return out;
}

/**
 * An email address a person with this name might have, in the common patterns (first.last,
 * flast, first_last, a number added), at a domain drawn by share of US mailboxes. Not unique:
 * numbers make clashes rare, not impossible.
 */
export function emailFor(rng: Rng, given: string, surname: string): string {
  const g = mailboxPart(given) || "user";
  const s = mailboxPart(surname) || "mail";
  let box: string;
  switch (rng.int(10)) {
    case 0:
      box = `${g}.${s}`;
      break;
    case 1:
      box = `${g}${s}`;
      break;
    case 2:
      box = `${g[0]}${s}${rng.between(1, 99)}`;
      break;
    case 3:
      box = `${g}_${s}${rng.between(1, 999)}`;
      break;
    case 4:
      box = `${g}.${s}${rng.between(1, 99)}`;
      break;
    case 5:
      box = `${g}${s}${rng.between(1950, 2005)}`;
      break;
    case 6:
      box = `${g}${s[0]}${rng.between(10, 9999)}`;
      break;
    case 7:
      box = `${s}.${g}${rng.between(1, 99)}`;
      break;
    case 8:
      box = `${g[0]}.${s}${rng.between(100, 9999)}`;
      break;
    default:
      box = `${g}${rng.between(100, 99999)}`;
  }
  return `${box}@${DOMAIN_TABLE.pick(rng)}`;
}

/** Nine digits shaped like an SSN: area 001-899 but not 666, group 01-99, serial 0001-9999. */
export function pickNationalId(rng: Rng): string {
  let area: number;
  do area = rng.between(1, 899);
  while (area === 666);
  return (
    String(area).padStart(3, "0") +
    String(rng.between(1, 99)).padStart(2, "0") +
    String(rng.between(1, 9999)).padStart(4, "0")
  );
}

/** Prefixes the IRS assigns EINs under, written as two digits. */
const EIN_PREFIX_TEXT: readonly string[] = EIN_PREFIXES.map((p) => String(p).padStart(2, "0"));

/** Nine digits shaped like an EIN: a valid IRS prefix and seven digits. */
export function pickEin(rng: Rng): string {
  return rng.pick(EIN_PREFIX_TEXT) + String(rng.int(10_000_000)).padStart(7, "0");
}
