import type { BirthDate } from "../normalised-record.js";

/**
 * Birth dates as records write them, to calendar dates; and the two slips that comparison
 * forgives: day and month read the other way round (03/05 for 05/03), and one keystroke wrong in
 * the year (1987 for 1978 or 1988). Parsing is a hand-written scanner (no regular expression per
 * call): it runs once per record for a million records.
 */

export interface DateParseOptions {
  /**
   * Whether an ambiguous "03/05/1990" or "03-05-1990" is day first (European) rather than month
   * first (US, the default). Dotted dates ("03.05.1990") are always day first, as written in
   * Germany, Russia and most of Europe; a first number above 12 is always a day.
   */
  dayFirst?: boolean;
  /**
   * Two-digit years below the pivot are 20xx, others 19xx. Default 30: "29" is 2029, "30" is
   * 1930. Fixed rather than taken from the clock, so that a record parses the same on every run.
   */
  pivot?: number;
}

const MIN_YEAR = 1800;
const MAX_YEAR = 2100;

/** Month names and abbreviations, English and Spanish, folded to upper case. */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const rows: [number, string[]][] = [
    [1, ["JAN", "JANUARY", "ENE", "ENERO"]],
    [2, ["FEB", "FEBRUARY", "FEBRERO"]],
    [3, ["MAR", "MARCH", "MARZO"]],
    [4, ["APR", "APRIL", "ABR", "ABRIL"]],
    [5, ["MAY", "MAYO"]],
    [6, ["JUN", "JUNE", "JUNIO"]],
    [7, ["JUL", "JULY", "JULIO"]],
    [8, ["AUG", "AUGUST", "AGO", "AGOSTO"]],
    [9, ["SEP", "SEPT", "SEPTEMBER", "SEPTIEMBRE", "SET", "SETIEMBRE"]],
    [10, ["OCT", "OCTOBER", "OCTUBRE"]],
    [11, ["NOV", "NOVEMBER", "NOVIEMBRE"]],
    [12, ["DEC", "DECEMBER", "DIC", "DICIEMBRE"]],
  ];
  const map = new Map<string, number>();
  for (const [m, names] of rows) for (const n of names) map.set(n, m);
  return map;
})();

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A date when `year`, `month`, `day` are a real calendar date in 1800–2100; else null. */
export function calendarDate(year: number, month: number, day: number): BirthDate | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

// Tokens of a date text: numbers (with their digit count) and words.
const NUMBER = 0;
const WORD = 1;
interface Token {
  kind: typeof NUMBER | typeof WORD;
  value: number;
  digits: number;
  text: string;
  /** The separator character that followed (0 at the end, 32 for a space). */
  after: number;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const MAX_TOKENS = 10;
/** Words that may follow a date as part of a time: "1985-03-12T00:00:00Z", "3/12/1985 12:00 AM". */
const TIME_WORDS: ReadonlySet<string> = new Set(["T", "Z", "AM", "PM", "UTC", "GMT"]);

/** Splits a date text into number and word tokens; null when there are too many to be a date. */
function tokens(text: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      let value = 0;
      const start = i;
      while (i < n && isDigit(text.charCodeAt(i))) {
        value = value * 10 + (text.charCodeAt(i) - 48);
        i++;
      }
      out.push({ kind: NUMBER, value, digits: i - start, text: "", after: i < n ? text.charCodeAt(i) : 0 });
    } else if (isLetter(c)) {
      const start = i;
      while (i < n && isLetter(text.charCodeAt(i))) i++;
      out.push({
        kind: WORD,
        value: 0,
        digits: 0,
        text: text.slice(start, i).toUpperCase(),
        after: i < n ? text.charCodeAt(i) : 0,
      });
    } else {
      i++;
      continue;
    }
    if (out.length > MAX_TOKENS) return null;
  }
  return out;
}

function fullYear(value: number, digits: number, pivot: number): number {
  if (digits === 4) return value;
  if (digits === 2) return value < pivot ? 2000 + value : 1900 + value;
  return -1;
}

/**
 * A birth date written in any of the common forms: ISO `yyyy-mm-dd` (with or without a time
 * after it), `yyyy/mm/dd`, `yyyymmdd`, `mm/dd/yyyy`, `dd.mm.yyyy`, `dd-mm-yyyy`, two-digit
 * years (`mm/dd/yy`), and month names ("12 Mar 1985", "March 12, 1985", "12-MAR-85"); null
 * when it is none of them or not a real date.
 */
export function parseDateText(text: string, options: DateParseOptions = {}): BirthDate | null {
  const pivot = options.pivot ?? 30;
  const t = tokens(text);
  if (t === null || t.length === 0) return null;
  // A date-time: the date part only, when all that follows is a time.
  if (t.length > 3 && (t[2] as Token).kind === NUMBER) {
    let time = true;
    for (let k = 3; k < t.length && time; k++) {
      const tok = t[k] as Token;
      time = tok.kind === NUMBER || TIME_WORDS.has(tok.text);
    }
    if (time) t.length = 3;
  }
  const [a, b, c] = t;
  if (t.length === 1 && a?.kind === NUMBER) {
    // yyyymmdd, or ddmmyyyy / mmddyyyy when the first four are not a plausible year.
    if (a.digits === 8) {
      const v = a.value;
      const y = Math.floor(v / 10_000);
      const ymd = calendarDate(y, Math.floor(v / 100) % 100, v % 100);
      if (ymd !== null) return ymd;
      const last = v % 10_000;
      const p = Math.floor(v / 10_000);
      const first = Math.floor(p / 100);
      const second = p % 100;
      return options.dayFirst
        ? (calendarDate(last, second, first) ?? calendarDate(last, first, second))
        : (calendarDate(last, first, second) ?? calendarDate(last, second, first));
    }
    if (a.digits === 6) {
      // yymmdd is the common six-digit form (ICAO machine-readable zones, many exports).
      const v = a.value;
      return calendarDate(fullYear(Math.floor(v / 10_000), 2, pivot), Math.floor(v / 100) % 100, v % 100);
    }
    return null;
  }
  if (t.length !== 3 || a === undefined || b === undefined || c === undefined) return null;
  // Month written as a word: "12 MAR 1985", "MARCH 12 1985", "1985 MAR 12".
  if (a.kind === WORD || b.kind === WORD || c.kind === WORD) {
    let month = -1;
    const nums: Token[] = [];
    for (const tok of t) {
      if (tok.kind === WORD) {
        if (month !== -1) return null;
        month = MONTHS.get(tok.text) ?? -1;
        if (month === -1) return null;
      } else nums.push(tok);
    }
    const [x, y] = nums as [Token, Token];
    if (x.digits === 4) return calendarDate(x.value, month, y.value);
    if (y.digits === 4 || y.digits === 2)
      return calendarDate(fullYear(y.value, y.digits, pivot), month, x.value);
    return null;
  }
  if (a.digits === 4) return calendarDate(a.value, b.value, c.value);
  const year = fullYear(c.value, c.digits, pivot);
  if (year < 0 || a.digits > 2 || b.digits > 2) return null;
  const dayFirst = a.after === 46 /* . */ || options.dayFirst === true;
  if (a.value > 12) return calendarDate(year, b.value, a.value);
  if (b.value > 12) return calendarDate(year, a.value, b.value);
  return dayFirst ? calendarDate(year, b.value, a.value) : calendarDate(year, a.value, b.value);
}

/** `yyyy-mm-dd` read directly: the form the store keeps parsed dates in. */
function parseIso(iso: string): BirthDate | null {
  if (iso.length < 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null;
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  return calendarDate(y, m, d);
}

/**
 * A party's birth date: the store's parsed `birth_date` (ISO) when it has one, else the text as
 * written, parsed here; null when neither is a date.
 */
export function parseBirthDate(
  iso: string | null | undefined,
  raw: string | null | undefined,
  options: DateParseOptions = {},
): BirthDate | null {
  if (iso) {
    const parsed = parseIso(iso) ?? parseDateText(iso, options);
    if (parsed !== null) return parsed;
  }
  if (raw) return parseDateText(raw, options);
  return null;
}

/** Days since 1970-01-01 (negative before): for date distances in comparison. */
export function dayNumber(date: BirthDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / 86_400_000);
}

export function sameDate(a: BirthDate, b: BirthDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * Whether `b` is `a` with day and month exchanged (1990-03-05 and 1990-05-03): the slip of a date
 * written 03/05/1990 and read in the other convention. False when day equals month (the same date).
 */
export function swappedDayMonth(a: BirthDate, b: BirthDate): boolean {
  return a.year === b.year && a.month !== a.day && a.month === b.day && a.day === b.month;
}

/**
 * Whether the two dates agree on month and day and their years are one keystroke apart: one
 * digit different (1987 / 1988, 1987 / 1977) or two neighbouring digits exchanged (1987 / 1978).
 * False for equal years.
 */
export function yearTypo(a: BirthDate, b: BirthDate): boolean {
  if (a.month !== b.month || a.day !== b.day || a.year === b.year) return false;
  const x = String(a.year);
  const y = String(b.year);
  if (x.length !== y.length) return false;
  let first = -1;
  let second = -1;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (x.charCodeAt(i) === y.charCodeAt(i)) continue;
    count++;
    if (count === 1) first = i;
    else if (count === 2) second = i;
    else return false;
  }
  if (count === 1) return true;
  return second === first + 1 && x[first] === y[second] && x[second] === y[first];
}
