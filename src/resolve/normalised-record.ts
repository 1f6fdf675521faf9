import type { PartyKind } from "../model/party.js";

/**
 * A party record as entity resolution compares it: every field normalised once (case, accents,
 * punctuation, abbreviations, formats), so that blocking and comparison are plain string and
 * number tests. Produced by `normaliseParty` (src/resolve/normalise/party.ts); `null` wherever
 * the source said nothing usable.
 */
export interface NormalisedRecord {
  /** The party's id in the store. */
  partyId: string;
  kind: PartyKind;
  /** Given name, upper-case ASCII letters only ("JOSE"). */
  given: string | null;
  /** The given name's canonical form through the nickname list ("BILL" → "WILLIAM"); else `given`. */
  givenCanonical: string | null;
  /** Middle name(s), upper-case ASCII; a lone initial stays a single letter. */
  middle: string | null;
  /** Surname, upper-case ASCII, particles and hyphens kept as single spaces ("DE LA CRUZ"). */
  surname: string | null;
  /** Generational suffix when one was written ("JR", "SR", "II", "III"). */
  suffix: string | null;
  /**
   * An organisation's name without legal-form suffixes or punctuation ("ACME TRADING" for
   * "Acme Trading, L.L.C."); for a person, the full name in the order given, surname last.
   */
  fullName: string | null;
  /** Birth date as written, if it parsed as a calendar date. */
  birth: BirthDate | null;
  /** House number, digits with any letter suffix ("12B"). */
  houseNumber: string | null;
  /** Street without number or unit, abbreviations expanded to one form ("N MAIN ST"). */
  street: string | null;
  /** Unit (apartment, suite) without its designator ("4B"). */
  unit: string | null;
  city: string | null;
  /** Postcode as the country writes it, upper-case, no spaces (US: the first five digits). */
  postcode: string | null;
  /** ISO 3166-1 alpha-2 when known. */
  country: string | null;
  /** E.164 ("+12065550123"). */
  phone: string | null;
  /** Lower-case, plus-tag removed, dots removed where the provider ignores them. */
  email: string | null;
  /** Identifiers with formatting stripped (digits and letters only, upper-case); null if a checksum fails. */
  nationalId: string | null;
  taxId: string | null;
  passport: string | null;
  /** The account the party holds (an account key), which links entities to the money graph. */
  account: string | null;
}

export interface BirthDate {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}
