import type { NormalisedRecord } from "../../src/resolve/normalised-record.js";

/** A normalised person record with every field empty but those given: the resolve tests' builder. */
export function rec(fields: Partial<NormalisedRecord> = {}): NormalisedRecord {
  return {
    partyId: "p",
    kind: "person",
    given: null,
    givenCanonical: null,
    middle: null,
    surname: null,
    suffix: null,
    fullName: null,
    birth: null,
    houseNumber: null,
    street: null,
    unit: null,
    city: null,
    postcode: null,
    country: null,
    phone: null,
    email: null,
    nationalId: null,
    taxId: null,
    passport: null,
    account: null,
    ...fields,
  };
}
