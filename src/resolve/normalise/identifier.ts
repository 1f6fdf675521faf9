import { EIN_PREFIXES } from "../../model/us-identifiers.js";

/**
 * Identifiers (national ids, tax ids, passports) with formatting stripped, and checked where a
 * rule or checksum is known: an identifier that cannot have been issued is worse than none, since
 * a shared placeholder ("000-00-0000", the Woolworth wallet SSN 078-05-1120 that thousands of
 * people copied) would link strangers. Each kind is a row of `IDENTIFIER_RULES`; adding a country
 * is adding a row and, in `nationalIdKind`, which row its ids use.
 */

export type IdentifierKind =
  | "us-ssn"
  | "us-itin"
  /** An SSN or an ITIN: what a US person's national or tax id field holds. */
  | "us-tin"
  | "us-ein"
  | "ca-sin"
  | "gb-nino"
  | "mx-curp"
  | "mx-rfc"
  | "passport"
  | "generic";

export interface IdentifierRule {
  minLength: number;
  maxLength: number;
  /** Digits only (after stripping). */
  digits: boolean;
  /** Whether a stripped id of the right length and characters can have been issued. */
  valid?: (id: string) => boolean;
  /** The comparable form of a valid id, when it is not the stripped id itself. */
  canonical?: (id: string) => string;
}

/** SSNs that circulated publicly and were voided or never issued. */
const VOID_SSNS: ReadonlySet<string> = new Set(["078051120", "219099999", "123456789"]);

function digitsAt(id: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (id.charCodeAt(i) - 48);
  return v;
}

function allSame(id: string): boolean {
  for (let i = 1; i < id.length; i++) if (id.charCodeAt(i) !== id.charCodeAt(0)) return false;
  return true;
}

/** SSA rules: area 001–899 except 666, group 01–99, serial 0001–9999, and no voided number. */
function validSsn(id: string): boolean {
  const area = digitsAt(id, 0, 3);
  return (
    area !== 0 &&
    area !== 666 &&
    area < 900 &&
    digitsAt(id, 3, 5) !== 0 &&
    digitsAt(id, 5, 9) !== 0 &&
    !VOID_SSNS.has(id) &&
    !allSame(id)
  );
}

/** IRS ITINs: 9xx with group 50–65, 70–88, 90–92 or 94–99. */
function validItin(id: string): boolean {
  if (id.charCodeAt(0) !== 57) return false;
  const group = digitsAt(id, 3, 5);
  return (
    (group >= 50 && group <= 65) ||
    (group >= 70 && group <= 88) ||
    (group >= 90 && group <= 92) ||
    (group >= 94 && group <= 99)
  );
}

/** Whether each two-digit number is a prefix the IRS assigns EINs under. */
const EIN_PREFIX_OK: Uint8Array = (() => {
  const ok = new Uint8Array(100);
  for (const p of EIN_PREFIXES) ok[p] = 1;
  return ok;
})();

function validEin(id: string): boolean {
  return EIN_PREFIX_OK[digitsAt(id, 0, 2)] === 1 && digitsAt(id, 2, 9) !== 0;
}

/** The Luhn (mod 10) check over a string of digits, its last digit the check digit. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// UK National Insurance number: two prefix letters (D, F, I, Q, U, V never; O never second; some
// pairs never issued), six digits, and a suffix letter A–D that is not part of the identity.
const NINO = /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]?$/;

// Mexico's CURP: 4 letters, birth date yymmdd, sex, state (2), 3 consonants, a homonymy character
// and a check digit.
const CURP = /^[A-Z]{4}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d$/;
const CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN\u00d1OPQRSTUVWXYZ";

function validCurp(id: string): boolean {
  if (!CURP.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_ALPHABET.indexOf(id[i] as string) * (18 - i);
  return (10 - (sum % 10)) % 10 === id.charCodeAt(17) - 48;
}

// Mexico's RFC: 3 letters (companies) or 4 (people), date yymmdd, 3-character homoclave.
const RFC = /^[A-Z&]{3,4}\d{6}[A-Z0-9]{3}$/;

export const IDENTIFIER_RULES: Readonly<Record<IdentifierKind, IdentifierRule>> = {
  "us-ssn": { minLength: 9, maxLength: 9, digits: true, valid: validSsn },
  "us-itin": { minLength: 9, maxLength: 9, digits: true, valid: validItin },
  "us-tin": { minLength: 9, maxLength: 9, digits: true, valid: (id) => validSsn(id) || validItin(id) },
  "us-ein": { minLength: 9, maxLength: 9, digits: true, valid: validEin },
  "ca-sin": {
    minLength: 9,
    maxLength: 9,
    digits: true,
    valid: (id) => id.charCodeAt(0) !== 48 && id.charCodeAt(0) !== 56 && luhnValid(id),
  },
  "gb-nino": {
    minLength: 8,
    maxLength: 9,
    digits: false,
    valid: (id) => NINO.test(id),
    canonical: (id) => id.slice(0, 8),
  },
  "mx-curp": { minLength: 18, maxLength: 18, digits: false, valid: validCurp },
  "mx-rfc": { minLength: 12, maxLength: 13, digits: false, valid: (id) => RFC.test(id) },
  passport: { minLength: 5, maxLength: 20, digits: false, valid: (id) => !allSame(id) },
  generic: { minLength: 4, maxLength: 40, digits: false, valid: (id) => !allSame(id) },
};

/** Upper-case ASCII letters and digits only: "078-05-1120" → "078051120", "ab 12 34 56 c" → "AB123456C". */
export function stripIdentifier(text: string): string {
  let out = "";
  let start = -1;
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const keep = (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    if (keep) {
      if (start === -1) start = i;
      continue;
    }
    clean = false;
    if (start !== -1) {
      out += text.slice(start, i);
      start = -1;
    }
    if (c >= 97 && c <= 122) out += String.fromCharCode(c - 32);
  }
  if (clean) return text;
  if (start !== -1) out += text.slice(start);
  return out;
}

function isAllDigits(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `text` stripped and checked against the rule of `kind`; null when it cannot be such an id. */
export function normaliseIdentifier(text: string | null | undefined, kind: IdentifierKind): string | null {
  if (text === null || text === undefined) return null;
  return checkStripped(stripIdentifier(text), kind);
}

function checkStripped(id: string, kind: IdentifierKind): string | null {
  const rule = IDENTIFIER_RULES[kind];
  if (id.length < rule.minLength || id.length > rule.maxLength) return null;
  if (rule.digits && !isAllDigits(id)) return null;
  if (rule.valid && !rule.valid(id)) return null;
  return rule.canonical ? rule.canonical(id) : id;
}

/**
 * Which rule a national id of `country` (ISO alpha-2, or null when unknown) follows, judged by
 * its stripped form too: nine digits without a country are read as a US SSN or ITIN, the
 * commonest case in the data this tool reads; anything a country rule does not fit is generic.
 */
export function nationalIdKind(country: string | null, stripped: string): IdentifierKind {
  const nineDigits = stripped.length === 9 && isAllDigits(stripped);
  switch (country) {
    case null:
    case "US":
      return nineDigits ? "us-tin" : "generic";
    case "CA":
      return nineDigits ? "ca-sin" : "generic";
    case "GB":
      return stripped.length >= 8 && stripped.length <= 9 && !nineDigits ? "gb-nino" : "generic";
    case "MX":
      return stripped.length === 18 ? "mx-curp" : "generic";
    default:
      return "generic";
  }
}

/** A national id in comparable form, by the rule of its country; null when it fails that rule. */
export function normaliseNationalId(text: string | null | undefined, country: string | null): string | null {
  if (text === null || text === undefined) return null;
  const id = stripIdentifier(text);
  return checkStripped(id, nationalIdKind(country, id));
}

/** Digits before the first separator: 2 in "12-3456789" (an EIN's shape), 3 in "123-45-6789" (an SSN's). */
function leadingDigits(text: string): number {
  let n = 0;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n++;
      started = true;
    } else if (started) return n;
  }
  return -1;
}

/**
 * A tax id in comparable form. In the US (or with no country) nine digits are an EIN for an
 * organisation and an SSN, ITIN or EIN for a person (sole proprietors file under either); the
 * dashes, when written, say which ("12-3456789" is an EIN, "123-45-6789" an SSN). In Mexico an
 * RFC. Elsewhere generic.
 */
export function normaliseTaxId(
  text: string | null | undefined,
  country: string | null,
  partyKind: "person" | "organisation",
): string | null {
  if (text === null || text === undefined) return null;
  const id = stripIdentifier(text);
  if (country === null || country === "US") {
    if (id.length === 9 && isAllDigits(id)) {
      const lead = leadingDigits(text);
      if (lead === 2) return checkStripped(id, "us-ein");
      if (lead === 3) return checkStripped(id, "us-tin");
      if (partyKind === "organisation") return checkStripped(id, "us-ein");
      return checkStripped(id, "us-tin") ?? checkStripped(id, "us-ein");
    }
    return checkStripped(id, "generic");
  }
  if (country === "MX" && id.length >= 12 && id.length <= 13) return checkStripped(id, "mx-rfc");
  if (country === "CA" && id.length === 9 && isAllDigits(id)) return checkStripped(id, "ca-sin");
  return checkStripped(id, "generic");
}

/** A passport number: letters and digits, upper case. */
export function normalisePassport(text: string | null | undefined): string | null {
  return normaliseIdentifier(text, "passport");
}
