import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * Phone numbers to E.164 ("+12065550123"), with a default region for numbers written without a
 * country code. Most numbers in North American bank data are ten digits in some punctuation, so a
 * char-code scan handles those directly (microseconds for a million records); everything else
 * (other countries, extensions, letters, "00" prefixes) goes to libphonenumber-js, whose parse
 * costs tens of microseconds. Both paths apply the same North American Numbering Plan rule, so a
 * number gets the same answer whichever path reads it.
 *
 * A number is accepted when its length is possible for its country (libphonenumber-js's
 * `isPossible`), not only when its digits fall in ranges known to be assigned (`isValid`): range
 * data goes stale and would reject newly assigned numbers, and the fast path could not follow it.
 */

/** Regions that share country calling code 1 (the North American Numbering Plan). */
const NANP_REGIONS: ReadonlySet<string> = new Set([
  "US",
  "CA",
  "PR",
  "VI",
  "GU",
  "AS",
  "MP",
  "UM",
  "AG",
  "AI",
  "BB",
  "BM",
  "BS",
  "DM",
  "DO",
  "GD",
  "JM",
  "KN",
  "KY",
  "LC",
  "MS",
  "SX",
  "TC",
  "TT",
  "VC",
  "VG",
]);

/** What the fast scan allows besides digits: space, ( ) - . / and a leading +. */
const PUNCTUATION: Uint8Array = (() => {
  const ok = new Uint8Array(128);
  for (const ch of " ()-./\t") ok[ch.charCodeAt(0)] = 1;
  return ok;
})();

/**
 * Whether ten digits (`value`, no leading zero possible) form a NANP number: area code and
 * exchange each start with 2–9, and the area code is not an N11 service code (411, 911).
 */
function nanpValid(value: number): boolean {
  const area = Math.floor(value / 10_000_000);
  const exchange = Math.floor(value / 10_000) % 1000;
  return area >= 200 && area % 100 !== 11 && exchange >= 200;
}

/** Scan result codes: not fast-path material, or invalid; otherwise the E.164 string. */
const SLOW = 0;
const INVALID = 1;

const MX_CODE = 52;

/**
 * The common shapes, read without libphonenumber-js: ten digits in a NANP region ("(206)
 * 555-0123") or Mexico ("55 1234 5678"), eleven starting with 1 in a NANP region, and those same
 * numbers with their country code after a "+" ("+1 206 555 0123", "+52 55 1234 5678", and the
 * pre-2019 Mexican mobile form "+52 1 55 1234 5678"). Digits are accumulated as a number: at most
 * 13 of them, well within 2^53.
 */
function fastPath(text: string, region: string): string | typeof SLOW | typeof INVALID {
  let value = 0;
  let digits = 0;
  let plus = false;
  let first = -1;
  let same = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const d = c - 48;
      if (first === -1) first = d;
      else if (d !== first) same = false;
      value = value * 10 + d;
      if (++digits > 13) return SLOW;
      continue;
    }
    if (c === 43 && digits === 0 && !plus) {
      plus = true;
      continue;
    }
    if (c >= 128 || PUNCTUATION[c] !== 1) return SLOW;
  }
  if (digits === 0) return INVALID;
  if (same && digits >= 7) return INVALID; // 0000000000, 999-999-9999: placeholders
  const nanp = NANP_REGIONS.has(region);
  if (digits === 11 && first === 1 && (plus || nanp)) {
    return nanpValid(value - 10_000_000_000) ? `+${value}` : INVALID;
  }
  if (!plus && digits === 10) {
    if (nanp) return nanpValid(value) ? `+1${value}` : INVALID;
    if (region === "MX" && first >= 2) return `+${MX_CODE}${value}`;
    return SLOW;
  }
  if (plus && digits === 12 && Math.floor(value / 1e10) === MX_CODE && value % 1e10 >= 2e9)
    return `+${value}`;
  if (plus && digits === 13 && Math.floor(value / 1e10) === MX_CODE * 10 + 1 && value % 1e10 >= 2e9)
    return `+${MX_CODE}${value % 1e10}`;
  return SLOW;
}

/**
 * `text` in E.164, reading numbers without a country code as numbers of `defaultRegion` (ISO
 * 3166-1 alpha-2; "US" when not given or not known to libphonenumber-js); null when it is not a
 * possible number there. "(206) 555-0123" → "+12065550123"; "+44 20 7946 0958" →
 * "+442079460958"; "0044 20 7946 0958" → "+442079460958"; "555-0123" → null.
 */
export function normalisePhone(text: string | null | undefined, defaultRegion = "US"): string | null {
  if (text === null || text === undefined) return null;
  const region: CountryCode = supported(defaultRegion) ? (defaultRegion as CountryCode) : "US";
  const fast = fastPath(text, region);
  if (fast === INVALID) return null;
  if (fast !== SLOW) return fast;
  return slowPath(text, region);
}

/**
 * The region to read a party's phone number in: its own country when libphonenumber-js knows
 * it, else `fallback`.
 */
export function phoneRegion(country: string | null, fallback = "US"): string {
  return country !== null && supported(country) ? country : fallback;
}

const SUPPORTED = new Map<string, boolean>();

/** `isSupportedCountry`, remembered: it walks the metadata on each call. */
function supported(region: string): boolean {
  let known = SUPPORTED.get(region);
  if (known === undefined) {
    known = isSupportedCountry(region);
    SUPPORTED.set(region, known);
  }
  return known;
}

function slowPath(text: string, region: CountryCode): string | null {
  let parsed = parse(text, region);
  if (parsed === null) {
    // "00" is the international prefix almost everywhere outside North America.
    const trimmed = text.trimStart();
    if (trimmed.startsWith("00")) parsed = parse(`+${trimmed.slice(2)}`, region);
  }
  return parsed;
}

function parse(text: string, region: CountryCode): string | null {
  const number = parsePhoneNumberFromString(text, region);
  if (number === undefined) return null;
  const national = number.nationalNumber as string;
  const code = number.countryCallingCode as string;
  // Mexico dropped the mobile "1" after +52 in 2019; records still carry it.
  if (code === "52" && national.length === 11 && national.charCodeAt(0) === 49)
    return `+52${national.slice(1)}`;
  if (!number.isPossible()) return null;
  if (code === "1" && !nanpValid(Number(national))) return null;
  return number.number as string;
}
