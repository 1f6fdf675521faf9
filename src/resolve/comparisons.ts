import { sameGivenName } from "./normalise/nicknames.js";
import type { BirthDate, NormalisedRecord } from "./normalised-record.js";
import { editDistanceAtMost, jaroWinkler, sameNysiis, sameWordsAnyOrder } from "./similarity.js";

/**
 * Comparisons: how alike two records are, field by field, as a small ordered set of levels per
 * field (Splink's comparison levels). The Fellegi–Sunter model learns, for every level, how often
 * matching pairs (m) and non-matching pairs (u) fall in it; a level is only a bin, so what
 * matters is that the bins separate typing noise (a transposed letter, a nickname, a swapped day
 * and month) from different people, not the order of the weights (EM finds those).
 *
 * Levels are numbered from 1 (the least similar, "differs") to K (the most, "exact"); level 0
 * means the comparison has nothing to say (a side is missing) and carries no weight. Every
 * `level` function is pure, allocates nothing, and reads only normalised fields.
 */
export interface Comparison {
  readonly id: string;
  /** What `entity explain` prints before the level ("surname", "birth date"). */
  readonly title: string;
  /** Level labels: [0] the null level, then from the least similar (1) to exact (K). */
  readonly levels: readonly string[];
  /** The pair's level, 0..levels.length−1. */
  level(a: NormalisedRecord, b: NormalisedRecord): number;
  /**
   * The value whose frequency adjusts the weight of an exact agreement (level K): agreeing on
   * SMITH says less than agreeing on LINACRE. Absent for comparisons without that adjustment.
   */
  readonly tfValue?: (r: NormalisedRecord) => string | null;
  /**
   * Levels that rule a match out whatever else agrees. Fellegi–Sunter adds each field's
   * evidence as if independent, but a household shares surname, address, postcode and phone at
   * once: four agreements that outweigh two different given names and birth dates. Two people
   * at one address are told apart by what a household does not share, so those disagreements
   * veto the link.
   */
  readonly veto?: readonly number[];
}

export type ComparisonKind = "person" | "organisation";

export interface ComparisonSet {
  readonly kind: ComparisonKind;
  /** Bumped when a comparison or its levels change, so that a stored model is not applied to other levels. */
  readonly version: number;
  readonly comparisons: readonly Comparison[];
}

const MISSING = "missing";
const DIFFERS = "differs";
const EXACT = "exact";

/** A comparison that only tells equal values from different ones. */
function exactOnly(id: string, title: string, field: (r: NormalisedRecord) => string | null): Comparison {
  return {
    id,
    title,
    levels: [MISSING, DIFFERS, EXACT],
    level(a, b) {
      const x = field(a);
      const y = field(b);
      if (x === null || y === null) return 0;
      return x === y ? 2 : 1;
    },
  };
}

/**
 * One record's given name is the other's surname and the other way round, each cross allowed a
 * typo (a clerk who swaps the boxes types no better than one who does not). The given side may be
 * the given and middle names together: a two-word given name ("JEAN CLAUDE") read from the
 * surname box of the other record is split into given and middle.
 */
export function namesSwapped(a: NormalisedRecord, b: NormalisedRecord): boolean {
  return crossAgrees(a, b) && crossAgrees(b, a);
}

/** `x`'s given name (alone, or with its middle name) is close to `y`'s surname. */
function crossAgrees(x: NormalisedRecord, y: NormalisedRecord): boolean {
  if (x.given === null || y.surname === null) return false;
  if (closeSpelling(x.given, y.surname)) return true;
  return x.middle !== null && closeSpelling(`${x.given} ${x.middle}`, y.surname);
}

function closeSpelling(x: string, y: string): boolean {
  return x === y || jaroWinkler(x, y) >= 0.92;
}

/**
 * The two records carry the same government-issued id (national id, tax id or passport), exactly.
 * Such an id names one person; what it cannot do is outvote every other field, so it lifts a
 * veto only where a second identity field agrees as well (see the given-name and birth-date
 * comparisons): twins, a parent and child or a household never share both.
 */
function sameGovernmentId(a: NormalisedRecord, b: NormalisedRecord): boolean {
  return (
    (a.nationalId !== null && a.nationalId === b.nationalId) ||
    (a.taxId !== null && a.taxId === b.taxId) ||
    (a.passport !== null && a.passport === b.passport)
  );
}

function sameBirthDate(a: NormalisedRecord, b: NormalisedRecord): boolean {
  const x = a.birth;
  const y = b.birth;
  return x !== null && y !== null && x.year === y.year && x.month === y.month && x.day === y.day;
}

/** Given name and surname both present on each side and each exact or a close spelling. */
function sameName(a: NormalisedRecord, b: NormalisedRecord): boolean {
  if (a.given === null || b.given === null || a.surname === null || b.surname === null) return false;
  const given =
    closeSpelling(a.given, b.given) || (a.givenCanonical !== null && a.givenCanonical === b.givenCanonical);
  return given && closeSpelling(a.surname, b.surname);
}

/** True when `s` is one letter: an initial written for a name. */
function isInitial(s: string): boolean {
  return s.length === 1;
}

/**
 * Given name. The nickname level compares `givenCanonical` (BILL and WILLIAM both WILLIAM); an
 * initial agrees with any name it begins (J and JOHN), which is weak evidence but not none.
 */
export const givenNameComparison: Comparison = {
  id: "given",
  title: "given name",
  levels: [
    MISSING,
    DIFFERS,
    "differs, where a government id and the birth date agree",
    "swapped with the surname",
    "initial agrees",
    "is the other's middle name",
    "similar",
    "close spelling",
    "same through nickname",
    EXACT,
  ],
  level(a, b) {
    const x = a.given;
    const y = b.given;
    if (x === null || y === null) return 0;
    if (x === y) return 9;
    if ((a.givenCanonical !== null && a.givenCanonical === b.givenCanonical) || sameGivenName(x, y)) return 8;
    if (isInitial(x) || isInitial(y)) return x.charCodeAt(0) === y.charCodeAt(0) ? 4 : differs(a, b);
    const jw = jaroWinkler(x, y);
    if (jw >= 0.92) return 7;
    if (jw >= 0.85) return 6;
    // People go by their middle name: "James Robert Smith" banks as "Robert Smith".
    if (x === b.middle || y === a.middle) return 5;
    // A clerk who typed the surname into the given-name box, and the other way round.
    return namesSwapped(a, b) ? 3 : differs(a, b);
  },
  // Two different given names (not a nickname, initial, spelling or middle name of each other)
  // are two people, however much else (a household's address and phone) agrees. Not when one
  // government id and the birth date agree too: no household shares both, and a name keyed
  // wrong or replaced by an alias is then likelier than two people (level 2, weighed by EM).
  veto: [1],
  tfValue: (r) => r.given,
};

/** The given names' "differs": vetoed, unless an id and the birth date vouch for the pair. */
function differs(a: NormalisedRecord, b: NormalisedRecord): number {
  return sameGovernmentId(a, b) && sameBirthDate(a, b) ? 2 : 1;
}

/**
 * Surname. "Sounds alike" (the same NYSIIS key) joins the looser spelling band: it catches
 * misspellings that keep the sound but move letters further than Jaro-Winkler forgives
 * (KNIGHT/NIGHT, PHILLIPS/FILIPS).
 */
export const surnameComparison: Comparison = {
  id: "surname",
  title: "surname",
  levels: [
    MISSING,
    DIFFERS,
    "swapped with the given name",
    "similar or sounds alike",
    "close spelling",
    EXACT,
  ],
  level(a, b) {
    const x = a.surname;
    const y = b.surname;
    if (x === null || y === null) return 0;
    if (x === y) return 5;
    const jw = jaroWinkler(x, y);
    if (jw >= 0.92) return 4;
    if (jw >= 0.85 || sameNysiis(x, y)) return 3;
    return namesSwapped(a, b) ? 2 : 1;
  },
  tfValue: (r) => r.surname,
};

/**
 * Middle name(s). Records drop middle names or keep only their initials, so an initial that
 * begins the other side's middle name, or one side's middle names being the first of the
 * other's ("ANN" and "ANN MARIE"), agrees; missing on either side says nothing.
 */
export const middleNameComparison: Comparison = {
  id: "middle",
  title: "middle name",
  levels: [MISSING, DIFFERS, "initials agree", "close spelling", EXACT],
  level(a, b) {
    const x = a.middle;
    const y = b.middle;
    if (x === null || y === null) return 0;
    if (x === y) return 4;
    if (jaroWinkler(x, y) >= 0.92) return 3;
    if (initialsCompatible(x, y)) return 2;
    return 1;
  },
};

/**
 * Middle names agree as far as written when their first letters agree and one side is an
 * initial (or initials, "A M"), or one side's words begin the other's.
 */
function initialsCompatible(x: string, y: string): boolean {
  if (x.charCodeAt(0) !== y.charCodeAt(0)) return false;
  if (allInitials(x) || allInitials(y)) return initialsAgree(x, y);
  return wordPrefix(x, y) || wordPrefix(y, x);
}

/** True when every word of s is a single letter ("A", "A M"). */
function allInitials(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 32) continue;
    if (i + 1 < s.length && s.charCodeAt(i + 1) !== 32) return false;
  }
  return true;
}

/** The words' first letters agree for as many words as the shorter side has. */
function initialsAgree(x: string, y: string): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x.charCodeAt(i) !== y.charCodeAt(j)) return false;
    i = nextWord(x, i);
    j = nextWord(y, j);
  }
  return true;
}

/** Index of the first letter of the word after the one at i (or s.length). */
function nextWord(s: string, i: number): number {
  let k = s.indexOf(" ", i);
  if (k < 0) return s.length;
  while (k < s.length && s.charCodeAt(k) === 32) k++;
  return k;
}

/** True when `short` is `long`'s first word or words ("ANN" of "ANN MARIE"). */
function wordPrefix(short: string, long: string): boolean {
  return long.length > short.length && long.charCodeAt(short.length) === 32 && long.startsWith(short);
}

/**
 * Generational suffix (JR, SR, II, III): a father and son of the same name at the same address
 * differ in it, so conflicting suffixes are a level of their own, which EM finds to be strong
 * evidence against a match. Suffixes are often left off, so one side having one is a separate,
 * weak level; both missing is the null level.
 */
export const suffixComparison: Comparison = {
  id: "suffix",
  title: "generational suffix",
  levels: [MISSING, "conflicts", "on one side only", EXACT],
  level(a, b) {
    const x = a.suffix;
    const y = b.suffix;
    if (x === null && y === null) return 0;
    if (x === null || y === null) return 2;
    return x === y ? 3 : 1;
  },
};

/** True when the two years differ in one digit, or by two adjacent digits swapped (1985/1958). */
export function yearTypo(x: number, y: number): boolean {
  if (x === y || x < 0 || y < 0 || x > 9999 || y > 9999) return false;
  let differing = 0;
  let first = -1;
  for (let p = 0, dx = x, dy = y; p < 4; p++, dx = Math.floor(dx / 10), dy = Math.floor(dy / 10)) {
    if (dx % 10 !== dy % 10) {
      differing++;
      if (first < 0) first = p;
      else if (p !== first + 1) return false;
    }
  }
  if (differing === 1) return true;
  if (differing !== 2) return false;
  const scale = 10 ** first;
  const xl = Math.floor(x / scale) % 10;
  const xh = Math.floor(x / (scale * 10)) % 10;
  const yl = Math.floor(y / scale) % 10;
  const yh = Math.floor(y / (scale * 10)) % 10;
  return xl === yh && xh === yl;
}

/**
 * Birth date, by the errors dates suffer: day and month read the other way round (03/04 for
 * 04/03), a mistyped year (one digit, or two swapped), and one part wrong. Each is far likelier
 * for one person's records than for two people's, which EM measures per level.
 */
export const birthDateComparison: Comparison = {
  id: "birth",
  // Two or more of year, month and day different, and not a swap or a year typo: a parent and
  // child with one name at one address. Not when one government id and the name agree too (a
  // parent and child do not share an id): a date keyed wrong is then the likelier story
  // (level 2, weighed by EM).
  veto: [1],
  title: "birth date",
  levels: [
    MISSING,
    DIFFERS,
    "differs, where a government id and the name agree",
    "one of year, month, day differs",
    "year mistyped",
    "day and month swapped",
    EXACT,
  ],
  level(a, b) {
    const x = a.birth;
    const y = b.birth;
    if (x === null || y === null) return 0;
    const level = birthLevel(x, y);
    return level === 1 && sameGovernmentId(a, b) && sameName(a, b) ? 2 : level;
  },
};

function birthLevel(x: BirthDate, y: BirthDate): number {
  const sameYear = x.year === y.year;
  const sameMonth = x.month === y.month;
  const sameDay = x.day === y.day;
  if (sameYear && sameMonth && sameDay) return 6;
  if (sameYear && x.day === y.month && x.month === y.day) return 5;
  if (sameMonth && sameDay) return yearTypo(x.year, y.year) ? 4 : 3;
  if (sameYear && (sameMonth || sameDay)) return 3;
  return 1;
}

/**
 * Where the party lives: street address, postcode and city as one comparison. They are one fact
 * written three ways; as three comparisons, a shared address would count three times over. A
 * different unit at the same number and street (flats in one building) is a level of its own,
 * just below exact: the building agrees, the household may not. A unit missing on one side does
 * not disagree. Without a street on both sides, the postcode, then the city, still say something.
 */
export const addressComparison: Comparison = {
  id: "address",
  title: "address",
  levels: [
    MISSING,
    DIFFERS,
    "same city only",
    "same postcode only",
    "same street, other or no number",
    "same number, street spelt alike",
    "same number and street, other unit",
    EXACT,
  ],
  level(a, b) {
    const sa = a.street;
    const sb = b.street;
    if (sa !== null && sb !== null) {
      const na = a.houseNumber;
      const nb = b.houseNumber;
      const sameNumber = na !== null && na === nb;
      if (sa === sb) {
        if (!sameNumber) return 4;
        return a.unit !== null && b.unit !== null && a.unit !== b.unit ? 6 : 7;
      }
      if (sameNumber && jaroWinkler(sa, sb) >= 0.88) return 5;
    }
    if (a.postcode !== null && b.postcode !== null) {
      if (a.postcode === b.postcode) return 3;
      return a.city !== null && a.city === b.city ? 2 : 1;
    }
    if (a.city !== null && b.city !== null) return a.city === b.city ? 2 : 1;
    return sa !== null && sb !== null ? 1 : 0;
  },
};

/**
 * Phone (E.164). The last seven digits agreeing with the rest different is the same line written
 * with another or no area or country code, or a typo there.
 */
export const phoneComparison: Comparison = {
  id: "phone",
  title: "phone",
  levels: [MISSING, DIFFERS, "same last 7 digits", EXACT],
  level(a, b) {
    const x = a.phone;
    const y = b.phone;
    if (x === null || y === null) return 0;
    if (x === y) return 3;
    return sameTail(x, y, 7) ? 2 : 1;
  },
};

function sameTail(x: string, y: string, n: number): boolean {
  if (x.length < n || y.length < n) return false;
  for (let i = 1; i <= n; i++) if (x.charCodeAt(x.length - i) !== y.charCodeAt(y.length - i)) return false;
  return true;
}

/** Email: the same mailbox name at another provider is the same person more often than not. */
export const emailComparison: Comparison = {
  id: "email",
  title: "email",
  levels: [MISSING, DIFFERS, "same name at another domain", EXACT],
  level(a, b) {
    const x = a.email;
    const y = b.email;
    if (x === null || y === null) return 0;
    if (x === y) return 3;
    const at = x.indexOf("@");
    if (at <= 0 || y.indexOf("@") !== at) return 1;
    for (let i = 0; i < at; i++) if (x.charCodeAt(i) !== y.charCodeAt(i)) return 1;
    return 2;
  },
};

/** An identifier where one edit apart is a keying error (a wrong digit, two digits swapped). */
function identifierComparison(
  id: string,
  title: string,
  field: (r: NormalisedRecord) => string | null,
  veto?: readonly number[],
): Comparison {
  return {
    id,
    title,
    levels: [MISSING, DIFFERS, "one typo apart", EXACT],
    level(a, b) {
      const x = field(a);
      const y = field(b);
      if (x === null || y === null) return 0;
      if (x === y) return 3;
      return editDistanceAtMost(x, y, 1) <= 1 ? 2 : 1;
    },
    ...(veto ? { veto } : {}),
  };
}

export const nationalIdComparison = identifierComparison("national-id", "national id", (r) => r.nationalId);

export const taxIdComparison = exactOnly("tax-id", "tax id", (r) => r.taxId);

/**
 * An organisation's tax id (a US EIN, a VAT number): one legal entity, one id, and no nickname,
 * maiden name or second number as people have. Two ids more than a typo apart are two legal
 * entities however alike the rest ("Metro Office LLC" in Boston and "Metro Office Inc." in Miami,
 * both with a generic info@ mailbox), and a branch or franchise with its own id is its own legal
 * entity. EM cannot learn this where few organisations share a tax id (a small bank's records):
 * it then learns "same name" as its match class, so it is stated here.
 */
export const organisationTaxIdComparison = identifierComparison("tax-id", "tax id", (r) => r.taxId, [1]);
export const passportComparison = exactOnly("passport", "passport", (r) => r.passport);

/**
 * An organisation's name without its legal form. Word order varies between registers and
 * invoices ("SMITH AND JONES TRADING", "TRADING SMITH AND JONES"), hence the any-order level.
 */
export const organisationNameComparison: Comparison = {
  id: "name",
  title: "name",
  levels: [MISSING, DIFFERS, "close spelling", "same words, other order", EXACT],
  level(a, b) {
    const x = a.fullName;
    const y = b.fullName;
    if (x === null || y === null) return 0;
    if (x === y) return 4;
    if (sameWordsAnyOrder(x, y)) return 3;
    return jaroWinkler(x, y) >= 0.92 ? 2 : 1;
  },
  tfValue: (r) => r.fullName,
};

export const PERSON_COMPARISONS: ComparisonSet = {
  kind: "person",
  version: 4,
  comparisons: [
    givenNameComparison,
    surnameComparison,
    middleNameComparison,
    suffixComparison,
    birthDateComparison,
    addressComparison,
    phoneComparison,
    emailComparison,
    nationalIdComparison,
    taxIdComparison,
    passportComparison,
  ],
};

export const ORGANISATION_COMPARISONS: ComparisonSet = {
  kind: "organisation",
  version: 3,
  comparisons: [
    organisationNameComparison,
    organisationTaxIdComparison,
    phoneComparison,
    emailComparison,
    addressComparison,
  ],
};

/** The comparison set for a kind of party. */
export function comparisonSet(kind: ComparisonKind): ComparisonSet {
  return kind === "person" ? PERSON_COMPARISONS : ORGANISATION_COMPARISONS;
}

/** Number of levels (null level included) of each comparison, in the set's order. */
export function levelCounts(set: ComparisonSet): number[] {
  return set.comparisons.map((c) => c.levels.length);
}

/** Position of comparison `id` in the set. */
export function comparisonIndex(set: ComparisonSet, id: string): number {
  const i = set.comparisons.findIndex((c) => c.id === id);
  if (i < 0) throw new Error(`comparisons: no comparison "${id}" in the ${set.kind} set`);
  return i;
}

/** Index of the level labelled `label` in comparison c. */
export function levelIndex(c: Comparison, label: string): number {
  const i = c.levels.indexOf(label);
  if (i < 0) throw new Error(`comparisons: comparison "${c.id}" has no level "${label}"`);
  return i;
}
