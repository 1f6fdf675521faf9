import { describe, expect, it } from "vitest";
import { CITIES } from "../../src/generate/data/places.js";
import {
  emailFor,
  type PartyRecordText,
  pickEin,
  pickGivenName,
  pickNationalId,
  pickPhone,
  pickStreetAddress,
  pickSurname,
  recordOf,
  type TrueOrganisation,
  type TruePerson,
} from "../../src/generate/party-noise.js";
import { Rng } from "../../src/generate/random.js";
import type { AccountKey, PartyId, Sha256 } from "../../src/model/ids.js";
import type { Party } from "../../src/model/party.js";
import { parseNicknames } from "../../src/resolve/normalise/nicknames.js";
import { normaliseParty, resolvedKind } from "../../src/resolve/normalise/party.js";

const FILE = "0".repeat(64) as Sha256;

function party(fields: Partial<Party>): Party {
  return {
    id: "p1" as PartyId,
    source_record_id: null,
    source_name: "test",
    kind: "person",
    name: null,
    given_name: null,
    middle_name: null,
    surname: null,
    birth_date: null,
    birth_date_raw: null,
    address: null,
    city: null,
    postcode: null,
    region: null,
    country: null,
    phone: null,
    email: null,
    national_id: null,
    tax_id: null,
    passport: null,
    account: null,
    source: { file: FILE, line: 2 },
    ...fields,
  };
}

describe("normaliseParty", () => {
  it("normalises every field of a person written in parts", () => {
    const input = party({
      given_name: "Bill",
      middle_name: "J.",
      surname: "O'Brien Jr.",
      birth_date_raw: "03/12/1985",
      address: "123 N. Main St., Apt 4B",
      city: "Saint Paul",
      postcode: "55101-1234",
      country: "USA",
      phone: "(651) 555-0123",
      email: "Bill.OBrien+bank@GoogleMail.com",
      national_id: "123-45-6780",
      passport: "x1234567",
      account: "BANK1:000123" as AccountKey,
    });
    const frozen = structuredClone(input);
    expect(normaliseParty(input)).toEqual({
      partyId: "p1",
      kind: "person",
      given: "BILL",
      givenCanonical: "WILLIAM",
      middle: "J",
      surname: "OBRIEN",
      suffix: "JR",
      fullName: "BILL J OBRIEN",
      birth: { year: 1985, month: 3, day: 12 },
      houseNumber: "123",
      street: "N MAIN ST",
      unit: "4B",
      city: "ST PAUL",
      postcode: "55101",
      country: "US",
      phone: "+16515550123",
      email: "billobrien@gmail.com",
      nationalId: "123456780",
      taxId: null,
      passport: "X1234567",
      account: "BANK1:000123",
    });
    expect(input).toEqual(frozen);
  });

  it("splits a person's full name and agrees with the same person written in parts", () => {
    const whole = normaliseParty(party({ name: "OBRIEN, WILLIAM J" }));
    const parts = normaliseParty(party({ given_name: "Bill", middle_name: "James", surname: "O'Brien" }));
    expect(whole).toMatchObject({
      given: "WILLIAM",
      middle: "J",
      surname: "OBRIEN",
      givenCanonical: "WILLIAM",
    });
    expect(parts.givenCanonical).toBe(whole.givenCanonical);
    expect(parts.surname).toBe(whole.surname);
  });

  it("normalises an organisation: name without legal form, EIN as tax id, country's phone region", () => {
    const r = normaliseParty(
      party({
        kind: "organisation",
        name: "Acme Trading, L.L.C.",
        address: "500 Commerce Blvd Suite 200",
        postcode: "sw1a 1aa",
        country: "United Kingdom",
        phone: "020 7946 0958",
        tax_id: "GB 123 4567 89",
      }),
    );
    expect(r).toMatchObject({
      kind: "organisation",
      given: null,
      givenCanonical: null,
      surname: null,
      fullName: "ACME TRADING",
      houseNumber: "500",
      street: "COMMERCE BLVD",
      unit: "200",
      postcode: "SW1A1AA",
      country: "GB",
      phone: "+442079460958",
      taxId: "GB123456789",
    });
    expect(normaliseParty(party({ kind: "organisation", tax_id: "12-3456789", country: "US" })).taxId).toBe(
      "123456789",
    );
    expect(normaliseParty(party({ kind: "organisation", tax_id: "07-3456789" })).taxId).toBeNull();
  });

  it("guesses the kind of an unknown party from its name", () => {
    expect(resolvedKind(party({ kind: "unknown", name: "Acme Holdings LLC" }))).toBe("organisation");
    expect(resolvedKind(party({ kind: "unknown", name: "First National Bank" }))).toBe("organisation");
    expect(resolvedKind(party({ kind: "unknown", name: "SMITH, JOHN" }))).toBe("person");
    expect(resolvedKind(party({ kind: "unknown", given_name: "Acme", surname: "Bank" }))).toBe("person");
    expect(resolvedKind(party({ kind: "unknown" }))).toBe("unknown");
    expect(normaliseParty(party({ kind: "unknown", name: "Dr. Jane Doe-Smith Jr." }))).toMatchObject({
      kind: "person",
      given: "JANE",
      surname: "DOE SMITH",
      suffix: "JR",
    });
    expect(normaliseParty(party({ kind: "unknown", name: "Acme Holdings LLC" }))).toMatchObject({
      kind: "organisation",
      fullName: "ACME HOLDINGS",
      given: null,
    });
  });

  it("uses the default region for phones when the country is unknown, and the given nickname list", () => {
    const nicknames = parseNicknames("# version: t\nnickname,canonical\nBILL,GUILLERMO\n");
    const r = normaliseParty(party({ given_name: "Bill", phone: "55 1234 5678" }), {
      defaultRegion: "MX",
      nicknames,
    });
    expect(r.phone).toBe("+525512345678");
    expect(r.givenCanonical).toBe("GUILLERMO");
  });

  it("is null wherever the source said nothing usable", () => {
    const r = normaliseParty(
      party({ email: "n/a", phone: "unknown", national_id: "000-00-0000", birth_date_raw: "?" }),
    );
    for (const key of [
      "given",
      "surname",
      "fullName",
      "birth",
      "street",
      "phone",
      "email",
      "nationalId",
    ] as const)
      expect(r[key]).toBeNull();
  });

  it("normalises 100,000 synthetic parties with noise, every record well formed", () => {
    const rng = new Rng(2026);
    const nul = (s: string): string | null => (s === "" ? null : s);
    let persons = 0;
    let withPhone = 0;
    for (let i = 0; i < 100_000; i++) {
      const city = CITIES[rng.int(CITIES.length)] as (typeof CITIES)[number];
      const address = pickStreetAddress(rng, city);
      let truth: TruePerson | TrueOrganisation;
      if (rng.chance(0.15)) {
        truth = {
          kind: "organisation",
          name: `${pickSurname(rng)} ${rng.pick(["Trading", "Holdings", "& Sons", "Foods"])}`,
          suffix: rng.pick(["Limited Liability Company", "Incorporated", null]),
          address,
          phone: pickPhone(rng, city.zip3),
          email: null,
          taxId: pickEin(rng),
        };
      } else {
        const given = pickGivenName(rng, rng.chance(0.5) ? "F" : "M");
        const surname = pickSurname(rng);
        truth = {
          kind: "person",
          given,
          middle: rng.chance(0.5) ? pickGivenName(rng, "F") : null,
          surname,
          suffix: rng.chance(0.05) ? "Jr" : null,
          birthDate: `${1940 + rng.int(65)}-0${1 + rng.int(9)}-1${rng.int(10)}`,
          address,
          phone: pickPhone(rng, city.zip3),
          email: emailFor(rng, given, surname),
          nationalId: pickNationalId(rng),
        };
      }
      const rec: PartyRecordText = recordOf(truth, rng);
      const r = normaliseParty(
        party({
          id: `p${i}` as PartyId,
          kind: rec.kind,
          name: nul(rec.name),
          given_name: nul(rec.given_name),
          middle_name: nul(rec.middle_name),
          surname: nul(rec.surname),
          birth_date_raw: nul(rec.birth_date),
          address: nul(rec.address),
          city: nul(rec.city),
          postcode: nul(rec.postcode),
          region: nul(rec.region),
          country: nul(rec.country),
          phone: nul(rec.phone),
          email: nul(rec.email),
          national_id: nul(rec.national_id),
          tax_id: nul(rec.tax_id),
        }),
      );
      expect(r.kind).toBe(rec.kind);
      if (r.kind === "person") {
        persons++;
        if (r.surname === null || !/^[A-Z]+( [A-Z]+)*$/.test(r.surname)) expect(r).toBe(rec);
      } else if (r.fullName === null || !/^[A-Z0-9]+( [A-Z0-9]+)*$/.test(r.fullName)) expect(r).toBe(rec);
      // "US", "USA", "United States", "Mexico", …: always a code when written.
      if (rec.country !== "" && r.country !== "US" && r.country !== "MX") expect(r).toBe(rec);
      if (r.phone !== null) {
        withPhone++;
        if (!/^\+[1-9]\d{9,13}$/.test(r.phone)) expect(r).toBe(rec);
      }
    }
    expect(persons).toBeGreaterThan(80_000);
    expect(withPhone).toBeGreaterThan(90_000);
  });
});
