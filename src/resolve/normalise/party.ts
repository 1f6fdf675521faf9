import type { Party, PartyKind } from "../../model/party.js";
import type { NormalisedRecord } from "../normalised-record.js";
import { normaliseCity, normalisePostcode, parseAddressLine } from "./address.js";
import { normaliseCountry } from "./country.js";
import { type DateParseOptions, parseBirthDate } from "./date.js";
import { normaliseEmail } from "./email.js";
import { normaliseNationalId, normalisePassport, normaliseTaxId } from "./identifier.js";
import {
  looksLikeOrganisation,
  normaliseOrganisationName,
  type PersonName,
  parsePersonName,
} from "./name.js";
import { canonicalGivenName, defaultNicknames, type Nicknames } from "./nicknames.js";
import { normalisePhone, phoneRegion } from "./phone.js";

export interface NormalisePartyOptions {
  /** Region for phone numbers written without a country code when the party's country is unknown. Default "US". */
  defaultRegion?: string;
  /** The nickname list; default the shipped `data/resolve/nicknames.csv`. */
  nicknames?: Nicknames;
  /** How ambiguous raw birth dates are read (month first by default). */
  dates?: DateParseOptions;
}

const NO_NAME: PersonName = Object.freeze({
  given: null,
  middle: null,
  surname: null,
  suffix: null,
  fullName: null,
});

function present(text: string | null): boolean {
  return text !== null && text.trim() !== "";
}

/**
 * What the party is, when the source did not say: a person when it gave name parts; with only a
 * full name, an organisation when the name reads as one (a legal form or business word), else a
 * person. "unknown" stays only when there is no name at all.
 */
export function resolvedKind(party: Party): PartyKind {
  if (party.kind !== "unknown") return party.kind;
  if (present(party.given_name) || present(party.surname)) return "person";
  if (party.name !== null && present(party.name))
    return looksLikeOrganisation(party.name) ? "organisation" : "person";
  return "unknown";
}

/**
 * The normalisers' version: raise it with any change to what a party normalises to (a new
 * abbreviation, another transliteration), so that stored blocking keys made by the old ones
 * are made again (blocking.ts, `blockingRulesVersion`: the next run is a full one).
 */
export const NORMALISATION_VERSION = 1;

/**
 * One party record in the form entity resolution compares: every field normalised once (see
 * `NormalisedRecord`). Pure; the party is not changed. The party's own country (any form:
 * "US", "USA", "United States") sets the region for its phone number and the rules for its
 * postcode and identifiers.
 */
export function normaliseParty(party: Party, options: NormalisePartyOptions = {}): NormalisedRecord {
  const nicknames = options.nicknames ?? defaultNicknames();
  const kind = resolvedKind(party);
  const country = normaliseCountry(party.country);

  let name = NO_NAME;
  let fullName: string | null = null;
  if (kind === "organisation") {
    const text = present(party.name)
      ? party.name
      : [party.given_name, party.middle_name, party.surname].filter(present).join(" ");
    fullName = normaliseOrganisationName(text);
  } else {
    name = parsePersonName({
      name: party.name,
      given: party.given_name,
      middle: party.middle_name,
      surname: party.surname,
    });
    fullName = name.fullName;
  }

  const city = normaliseCity(party.city);
  const address = parseAddressLine(party.address, city);
  const taxKind = kind === "organisation" ? "organisation" : "person";

  return {
    partyId: party.id,
    kind,
    given: name.given,
    givenCanonical: name.given === null ? null : canonicalGivenName(name.given, nicknames),
    middle: name.middle,
    surname: name.surname,
    suffix: name.suffix,
    fullName,
    birth: parseBirthDate(party.birth_date, party.birth_date_raw, options.dates),
    houseNumber: address.houseNumber,
    street: address.street,
    unit: address.unit,
    city,
    postcode: normalisePostcode(party.postcode, country),
    country,
    phone: normalisePhone(party.phone, phoneRegion(country, options.defaultRegion ?? "US")),
    email: normaliseEmail(party.email),
    nationalId: normaliseNationalId(party.national_id, country),
    taxId: normaliseTaxId(party.tax_id, country, taxKind),
    passport: normalisePassport(party.passport),
    account: party.account,
  };
}
