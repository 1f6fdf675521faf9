import { foldText, words } from "./text.js";

/**
 * Person and organisation names in one comparable form. Person names: honorifics and
 * post-nominal letters dropped (MR, DR, PHD, ESQ), the generational suffix kept apart (JR, SR,
 * II–V, with "3RD" as III), particles kept in the surname (DE LA CRUZ, VAN DER BERG), apostrophes
 * and hyphens as in `foldText` (O'BRIEN → OBRIEN, DOE-SMITH → DOE SMITH), and a full name split
 * into parts when the source gave only that, in either order ("SMITH, JOHN A" or "John A. Smith").
 * Organisation names: legal forms dropped from the end (LLC, L.L.C., INC, GMBH, S.A. DE C.V.),
 * "&" as AND, a leading THE dropped, initials joined ("J.P. MORGAN" → "JP MORGAN").
 *
 * Nicknames are not applied here: that is `canonicalGivenName` (nicknames.ts), given the list.
 */

export interface PersonName {
  /** The first given name ("JOHN"), or an initial ("J"). */
  given: string | null;
  /** Further given names and initials, in order ("A", "MARIE LOUISE"). */
  middle: string | null;
  surname: string | null;
  /** "JR", "SR", "II", "III", "IV", "V". */
  suffix: string | null;
  /** Given, middle and surname in that order, without honorific or suffix. */
  fullName: string | null;
}

/** A person's name as a source gives it: in parts, or as one string (`name`), or both. */
export interface PersonNameInput {
  name?: string | null;
  given?: string | null;
  middle?: string | null;
  surname?: string | null;
}

/** Titles written before a name. DON and DONA are left out: they are given names as often. */
const HONORIFICS: ReadonlySet<string> = new Set([
  "MR",
  "MRS",
  "MS",
  "MISS",
  "MX",
  "MSTR",
  "MASTER",
  "DR",
  "DRA",
  "DOCTOR",
  "PROF",
  "PROFESSOR",
  "SIR",
  "DAME",
  "LADY",
  "LORD",
  "REV",
  "REVD",
  "REVEREND",
  "FR",
  "FATHER",
  "PASTOR",
  "RABBI",
  "HON",
  "HONORABLE",
  "HONOURABLE",
  "JUDGE",
  "CAPT",
  "CAPTAIN",
  "COL",
  "GEN",
  "LT",
  "MAJ",
  "SGT",
  "CPL",
  "ADM",
  "CMDR",
  "SRA",
  "SRTA",
  "SENOR",
  "SENORA",
  "SENORITA",
  "HERR",
  "FRAU",
  "MME",
  "MLLE",
  "MADAME",
  "MONSIEUR",
  "LIC",
  "LICDA",
  "ING",
  "ARQ",
]);

/** Degrees, honours and professional letters written after a name. */
const POSTNOMINALS: ReadonlySet<string> = new Set([
  "PHD",
  "MD",
  "DDS",
  "DMD",
  "DVM",
  "ESQ",
  "ESQUIRE",
  "CPA",
  "CFA",
  "CFP",
  "RN",
  "JD",
  "MBA",
  "LLM",
  "OBE",
  "MBE",
  "CBE",
  "KBE",
  "QC",
  "KC",
  "RET",
]);

/** Generational suffixes as written → as kept. */
const SUFFIXES: ReadonlyMap<string, string> = new Map([
  ["JR", "JR"],
  ["JNR", "JR"],
  ["JUNIOR", "JR"],
  ["SR", "SR"],
  ["SNR", "SR"],
  ["SENIOR", "SR"],
  ["II", "II"],
  ["2ND", "II"],
  ["2D", "II"],
  ["III", "III"],
  ["3RD", "III"],
  ["3D", "III"],
  ["IV", "IV"],
  ["4TH", "IV"],
  ["V", "V"],
  ["5TH", "V"],
]);

/** Words that start a compound surname and belong to it: the surname reaches back over them. */
const PARTICLES: ReadonlySet<string> = new Set([
  "DA",
  "DAL",
  "DALLA",
  "DAS",
  "DE",
  "DEGLI",
  "DEI",
  "DEL",
  "DELA",
  "DELLA",
  "DELLE",
  "DELLO",
  "DEN",
  "DER",
  "DES",
  "DI",
  "DO",
  "DOS",
  "DU",
  "LA",
  "LE",
  "LES",
  "LO",
  "LOS",
  "LAS",
  "TER",
  "TEN",
  "VAN",
  "VANDER",
  "VANDEN",
  "VON",
  "VOM",
  "ZU",
  "ZUR",
  "BIN",
  "BINT",
  "BINTI",
  "IBN",
  "ABU",
  "AL",
  "EL",
  "ST",
  "SAINT",
  "SAN",
  "SANTA",
]);

/**
 * Surname prefixes that an apostrophe or nothing joins to the rest, written apart by some
 * systems ("O BRIEN", "MC DONALD", "D ANGELO"): joined, in a field known to hold a surname.
 */
const JOINED_PREFIXES: ReadonlySet<string> = new Set(["O", "D", "L", "MC", "MAC"]);

function hasLetter(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/**
 * Leading honorifics removed, in place; with `keepOne`, never the last word ("Miss" alone may be
 * a surname).
 */
function dropHonorifics(w: string[], keepOne = true): void {
  let k = 0;
  const last = keepOne ? w.length - 1 : w.length;
  while (k < last && HONORIFICS.has(w[k] as string)) k++;
  if (k > 0) w.splice(0, k);
}

/**
 * Trailing post-nominals and one generational suffix removed, in place; the suffix returned.
 * "V" counts only when `allowV` (not where a middle initial can stand last) and a longer word
 * comes before it.
 */
function dropTrailing(w: string[], allowV: boolean): string | null {
  let suffix: string | null = null;
  while (w.length > 1) {
    const last = w[w.length - 1] as string;
    if (POSTNOMINALS.has(last)) {
      w.pop();
      continue;
    }
    const s: string | undefined = suffix === null ? SUFFIXES.get(last) : undefined;
    if (s !== undefined && (s !== "V" || (allowV && (w[w.length - 2] as string).length > 1))) {
      suffix = s;
      w.pop();
      continue;
    }
    break;
  }
  return suffix;
}

/** Words without a letter (digits, leftovers) dropped: names are letters. */
function lettersOnly(w: string[]): string[] {
  for (let i = 0; i < w.length; i++) if (!hasLetter(w[i] as string)) return w.filter(hasLetter);
  return w;
}

/** "O BRIEN" → "OBRIEN", "MC DONALD" → "MCDONALD"; particles stay words ("DE LA CRUZ"). */
function joinPrefixes(w: string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < w.length; i++) {
    const word = w[i] as string;
    const next = w[i + 1];
    if (next !== undefined && JOINED_PREFIXES.has(word) && !PARTICLES.has(next)) {
      out ??= w.slice(0, i);
      out.push(word + next);
      i++;
    } else out?.push(word);
  }
  return out ?? w;
}

function joinOrNull(w: readonly string[]): string | null {
  return w.length === 0 ? null : w.join(" ");
}

function personName(
  given: string | null,
  middle: readonly string[],
  surname: string | null,
  suffix: string | null,
): PersonName {
  const m = joinOrNull(middle);
  const parts: string[] = [];
  if (given !== null) parts.push(given);
  if (m !== null) parts.push(m);
  if (surname !== null) parts.push(surname);
  return { given, middle: m, surname, suffix, fullName: joinOrNull(parts) };
}

const WHITESPACE = /\s+/;

/**
 * The words of a full name, a hyphenated compound kept as one word with a space inside
 * ("Doe-Smith" → "DOE SMITH"), so that splitting keeps it whole as the surname.
 */
function nameWords(text: string): string[] {
  if (!text.includes("-")) return words(foldText(text));
  const out: string[] = [];
  for (const raw of text.split(WHITESPACE)) {
    const folded = foldText(raw);
    if (folded.length > 0) out.push(folded);
  }
  return out;
}

/**
 * A full name in natural order ("Dr. Jane A. Doe-Smith Jr."): first word the given name, the
 * last word (a hyphenated compound whole) and any particles before it the surname, words between
 * them the middle. A hyphenated given name ("Mary-Jane") is read as given and middle, as the
 * same name typed with a space would be.
 */
function splitNaturalOrder(w: string[], suffixSoFar: string | null = null): PersonName {
  dropHonorifics(w);
  const suffix = dropTrailing(w, true) ?? suffixSoFar;
  const clean = lettersOnly(w);
  const n = clean.length;
  if (n === 0) return personName(null, [], null, suffix);
  if (n === 1) return personName(null, [], clean[0] as string, suffix);
  let s = n - 1;
  for (;;) {
    const prev = clean[s - 1] as string;
    if (s - 1 >= 1 && PARTICLES.has(prev)) s--;
    else if (s - 2 >= 1 && prev === "Y") s -= 2;
    else break;
  }
  const first = clean[0] as string;
  const space = first.indexOf(" ");
  const middle = clean.slice(1, s);
  if (space !== -1) middle.unshift(first.slice(space + 1));
  return personName(space === -1 ? first : first.slice(0, space), middle, clean.slice(s).join(" "), suffix);
}

/** A surname field (or the part before the comma): honorifics, post-nominals, a suffix. */
function surnameOf(text: string): { surname: string | null; suffix: string | null } {
  const w = words(foldText(text));
  dropHonorifics(w);
  const suffix = dropTrailing(w, true);
  return { surname: joinOrNull(joinPrefixes(lettersOnly(w))), suffix };
}

/** A given-names field (or the part after the comma): the first word given, the rest middle. */
function givenOf(text: string): { words: string[]; suffix: string | null } {
  const w = words(foldText(text));
  dropHonorifics(w, false); // a given field of "Dr." alone holds no given name
  const suffix = dropTrailing(w, false);
  return { words: lettersOnly(w), suffix };
}

function allTrailing(w: readonly string[]): boolean {
  for (const word of w) if (!SUFFIXES.has(word) && !POSTNOMINALS.has(word)) return false;
  return w.length > 0;
}

/**
 * A person's name in parts. Parts the source gave are used as given (the given field's first
 * word is the given name and its other words go to the middle); with only `name`, it is split:
 * "SMITH, JOHN A" as surname-first, "John A. Smith" and "John Smith, Jr." in natural order.
 */
export function parsePersonName(input: PersonNameInput): PersonName {
  const hasParts = Boolean(input.given?.trim() || input.surname?.trim());
  if (!hasParts) {
    const name = input.name;
    if (!name) return personName(null, [], null, null);
    const comma = name.indexOf(",");
    if (comma !== -1) {
      const after = words(foldText(name.slice(comma + 1)));
      if (allTrailing(after)) {
        const w = nameWords(name.slice(0, comma));
        return splitNaturalOrder(w, SUFFIXES.get(after.find((x) => SUFFIXES.has(x)) ?? "") ?? null);
      }
      const { surname, suffix: s1 } = surnameOf(name.slice(0, comma));
      const g = givenOf(name.slice(comma + 1));
      return personName(g.words[0] ?? null, g.words.slice(1), surname, s1 ?? g.suffix);
    }
    return splitNaturalOrder(nameWords(name));
  }
  const g = givenOf(input.given ?? "");
  const surnameText = input.surname ?? "";
  // A full name typed into the given field, with no surname: split it.
  if (surnameText.trim() === "" && g.words.length > 1) return splitNaturalOrder(g.words, g.suffix);
  const { surname, suffix: s1 } = surnameOf(surnameText);
  const middle = g.words.slice(1);
  let suffix = s1 ?? g.suffix;
  if (input.middle) {
    const m = words(foldText(input.middle));
    // Some systems file the suffix as the middle name.
    const s2 = m.length === 1 ? SUFFIXES.get(m[0] as string) : undefined;
    if (s2 !== undefined && s2 !== "V") suffix ??= s2;
    else for (const word of lettersOnly(m)) middle.push(word);
  }
  return personName(g.words[0] ?? null, middle, surname, suffix);
}

// ---------------------------------------------------------------------------------------------
// Organisations

/**
 * Legal forms written at the end of a company name, as folded words with initials joined
 * ("L.L.C." → "LLC", "S. de R.L. de C.V." → "S DE RL DE CV"). Several may follow each other
 * ("CO LTD", "GMBH AND CO KG"); all are removed.
 */
const LEGAL_FORM_PHRASES: readonly (readonly string[])[] = [
  ..."LLC LLLP LLP LP PLLC PLC LC INC INCORPORATED CORP CORPORATION CO COMPANY COS LTD LIMITED LTDA LTEE GMBH MBH AG KG KGAA OHG UG EV EG SA SAS SARL EURL SNC SRL SRLS SPA SAPA SCARL BV NV VOF CV OY OYJ AB HB KB AS ASA APS IVS SE PTY PTE BHD SDN KK YK GK PVT ULC NL SCS SCA SL SLU SAU SLL SC AC SAB SAPI CIA CIE EIRL SPRL BVBA CVBA SRO DOO DD KFT ZRT NYRT BT OOD EOOD AD PJSC OJSC CJSC JSC FZE FZCO WLL SAOG SAOC PSC QSC QPSC BSC KSC KSCC NA FSB PC PA APC APLC CHTD"
    .split(" ")
    .map((w) => [w]),
  ["LIMITED", "LIABILITY", "COMPANY"],
  ["LIMITED", "LIABILITY", "CO"],
  ["LIMITED", "LIABILITY", "PARTNERSHIP"],
  ["LIMITED", "LIABILITY", "LIMITED", "PARTNERSHIP"],
  ["LIMITED", "PARTNERSHIP"],
  ["PUBLIC", "LIMITED", "COMPANY"],
  ["PRIVATE", "LIMITED"],
  ["PROFESSIONAL", "CORPORATION"],
  ["PROFESSIONAL", "ASSOCIATION"],
  ["NATIONAL", "ASSOCIATION"],
  ["SA", "DE", "CV"],
  ["SAB", "DE", "CV"],
  ["SAPI", "DE", "CV"],
  ["S", "DE", "RL"],
  ["S", "DE", "RL", "DE", "CV"],
  ["S", "EN", "C"],
  ["S", "EN", "NC"],
  ["SP", "ZOO"],
  ["AND", "CO"],
  ["AND", "COMPANY"],
  ["AND", "CIE"],
  ["ET", "CIE"],
  ["Y", "CIA"],
  ["UND", "CO"],
];

/** Phrases by their last word, longest first, so that the end of a name is matched in one lookup. */
const PHRASES_BY_LAST: ReadonlyMap<string, readonly (readonly string[])[]> = (() => {
  const map = new Map<string, (readonly string[])[]>();
  for (const p of LEGAL_FORM_PHRASES) {
    const last = p[p.length - 1] as string;
    const list = map.get(last) ?? [];
    list.push(p);
    map.set(last, list);
  }
  for (const list of map.values()) list.sort((a, b) => b.length - a.length);
  return map;
})();

/** Legal forms written first (Russian OOO, Indonesian PT). */
const LEADING_FORMS: ReadonlySet<string> = new Set(["OOO", "ZAO", "OAO", "PAO", "PT"]);

/**
 * Legal forms too short or too common as name words to mark a name as a company by themselves
 * ("JOSE SA" is a Portuguese name): removed from organisation names, but not evidence of one.
 */
const WEAK_FORMS: ReadonlySet<string> = new Set(
  "SA AS AB AG CO SE OY NV BV PC PA NA LP SC AC CV SL KK DD AD BT KB HB EG EV UG GK YK NL LC SP".split(" "),
);

/** Words that mark a name as an organisation's when its kind is unknown. */
const BUSINESS_WORDS: ReadonlySet<string> = new Set(
  (
    "BANK BANCO BANCORP TRUST TRUSTEES HOLDING HOLDINGS GROUP GRUPO SERVICES SERVICIOS SOLUTIONS TRADING " +
    "ENTERPRISE ENTERPRISES INDUSTRIES INDUSTRIAL INTERNATIONAL INTL GLOBAL CONSULTING CONSULTANTS CAPITAL " +
    "PARTNERS ASSOCIATES ASSOCIATION FOUNDATION FUNDACION INVESTMENT INVESTMENTS INVESTORS MANAGEMENT " +
    "PROPERTIES PROPERTY REALTY SYSTEMS TECHNOLOGIES TECHNOLOGY LOGISTICS MOTORS AUTOMOTIVE RESTAURANT " +
    "CAFE STORE STORES SHOP MARKET MARKETS SUPERMARKET CLINIC HOSPITAL MEDICAL DENTAL PHARMACY CHURCH " +
    "MINISTRIES UNIVERSITY COLLEGE SCHOOL ACADEMY INSTITUTE CENTER CENTRE CONSTRUCTION CONTRACTORS " +
    "BUILDERS EXPORT EXPORTS IMPORT IMPORTS TRANSPORT TRANSPORTATION TRUCKING SHIPPING FREIGHT INSURANCE " +
    "FINANCIAL FINANCE FUND FUNDS VENTURES MEDIA HOTEL MOTEL LAUNDRY BAKERY SALON MART SUPPLY SUPPLIES " +
    "DISTRIBUTORS DISTRIBUTION WHOLESALE RETAIL AGENCY FARMS PRODUCTS MANUFACTURING ELECTRONICS ENERGY " +
    "PETROLEUM MINING COMMUNICATIONS TELECOM WIRELESS NETWORKS SOFTWARE LABS LABORATORIES STUDIOS " +
    "PRODUCTIONS ENTERTAINMENT EXCHANGE REMITTANCE REMITTANCES JEWELRY JEWELERS CLEANERS PLUMBING ROOFING " +
    "LANDSCAPING RENTALS LEASING LENDING LOANS MORTGAGE CREDIT COOPERATIVE SOCIETY CLUB COUNCIL AUTHORITY " +
    "MINISTRY EMBASSY CONSULATE CHARITY CHARITABLE SONS BROTHERS BROS IMPORTADORA EXPORTADORA COMERCIAL " +
    "COMERCIALIZADORA CONSTRUCTORA INMOBILIARIA DISTRIBUIDORA TRANSPORTES ABARROTES FERRETERIA"
  ).split(" "),
);

/** Words after which a second name follows: the legal name is what comes before. */
const ALIAS_MARKERS: ReadonlySet<string> = new Set(["DBA", "AKA", "FKA", "TA"]);

/** Runs of two or more one-letter words joined: "L L C" → "LLC", "J P MORGAN" → "JP MORGAN". */
function joinInitials(w: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < w.length) {
    const word = w[i] as string;
    if (word.length === 1 && (w[i + 1] as string | undefined)?.length === 1) {
      let run = word;
      let j = i + 1;
      while (j < w.length && (w[j] as string).length === 1) run += w[j++];
      out.push(run);
      i = j;
    } else {
      out.push(word);
      i++;
    }
  }
  return out;
}

function endsWith(w: readonly string[], phrase: readonly string[]): boolean {
  const offset = w.length - phrase.length;
  if (offset < 1) return false; // keep at least one word of the name
  for (let k = 0; k < phrase.length; k++) if (w[offset + k] !== phrase[k]) return false;
  return true;
}

/** The words of an organisation name: folded, initials joined, cut at "DBA"/"AKA". */
function organisationWords(name: string): string[] {
  const w = joinInitials(words(foldText(name)));
  for (let i = 1; i < w.length; i++) {
    const word = w[i] as string;
    if (ALIAS_MARKERS.has(word) || (word === "DOING" && w[i + 1] === "BUSINESS" && w[i + 2] === "AS")) {
      w.length = i;
      break;
    }
  }
  return w;
}

/**
 * An organisation's name without legal forms, a leading THE or punctuation: "Acme Trading,
 * L.L.C." → "ACME TRADING"; "The Smith & Wesson Co." → "SMITH AND WESSON"; "Müller GmbH & Co.
 * KG" → "MULLER". Null when nothing is left.
 */
export function normaliseOrganisationName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const w = organisationWords(name);
  if (w.length > 1 && w[0] === "THE") w.shift();
  // "BEATLES, THE"
  if (w.length > 1 && w[w.length - 1] === "THE") w.pop();
  if (w.length > 1 && LEADING_FORMS.has(w[0] as string)) w.shift();
  let stripped = true;
  while (stripped && w.length > 1) {
    stripped = false;
    const candidates = PHRASES_BY_LAST.get(w[w.length - 1] as string);
    if (candidates === undefined) break;
    for (const phrase of candidates) {
      if (endsWith(w, phrase)) {
        w.length -= phrase.length;
        stripped = true;
        break;
      }
    }
  }
  return joinOrNull(w);
}

/**
 * Whether a name of unknown kind reads as an organisation's: a legal form at its end (other than
 * the short ones that are also name words), a legal form or THE first (OOO, PT), or a business
 * word anywhere ("BANK", "HOLDINGS", "& SONS").
 */
export function looksLikeOrganisation(name: string): boolean {
  const w = organisationWords(name);
  if (w.length === 0) return false;
  if (w.length > 1 && LEADING_FORMS.has(w[0] as string)) return true;
  // "The Acme Company": people's names do not start with an article.
  if (w.length > 1 && w[0] === "THE") return true;
  const last = w[w.length - 1] as string;
  const candidates = PHRASES_BY_LAST.get(last);
  if (candidates !== undefined) {
    for (const phrase of candidates)
      if (endsWith(w, phrase) && (phrase.length > 1 || !WEAK_FORMS.has(last))) return true;
  }
  for (const word of w) if (BUSINESS_WORDS.has(word)) return true;
  return false;
}
