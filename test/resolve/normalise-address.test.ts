import { describe, expect, it } from "vitest";
import {
  DIRECTIONALS,
  normaliseCity,
  normalisePostcode,
  type ParsedAddress,
  parseAddressLine,
  STREET_TYPES,
} from "../../src/resolve/normalise/address.js";
import { COUNTRY_CODES, normaliseCountry } from "../../src/resolve/normalise/country.js";

const at = (
  houseNumber: string | null,
  street: string | null,
  unit: string | null = null,
): ParsedAddress => ({
  houseNumber,
  street,
  unit,
});

describe("parseAddressLine", () => {
  it.each<[string, ParsedAddress]>([
    ["123 N. Main St., Apt 4B", at("123", "N MAIN ST", "4B")],
    ["123 North Main Street Apartment 4B", at("123", "N MAIN ST", "4B")],
    ["123 N MAIN ST #4B", at("123", "N MAIN ST", "4B")],
    ["123 Main St Apt#5", at("123", "MAIN ST", "5")],
    ["123 Main St Unit 4-B", at("123", "MAIN ST", "4B")],
    ["APT 4B 123 MAIN ST", at("123", "MAIN ST", "4B")],
    ["350 Fifth Avenue, Suite 3300", at("350", "5TH AVE", "3300")],
    ["350 5th Ave Ste 3300", at("350", "5TH AVE", "3300")],
    ["1600 Pennsylvania Avenue NW", at("1600", "PENNSYLVANIA AVE NW")],
    ["1600 Pennsylvania Ave. N.W.", at("1600", "PENNSYLVANIA AVE NW")],
    ["45 South West Parkway", at("45", "SW PKWY")],
    ["17 W 14th St", at("17", "W 14TH ST")],
    ["742 Evergreen Terrace", at("742", "EVERGREEN TER")],
    ["742 Evergreen Terr.", at("742", "EVERGREEN TER")],
    ["9 Elm Blvd", at("9", "ELM BLVD")],
    ["9 Elm Boulevard", at("9", "ELM BLVD")],
    ["12 Oak Ct", at("12", "OAK CT")],
    ["12 Oak Court", at("12", "OAK CT")],
    ["5 Lakeview Cir", at("5", "LAKEVIEW CIR")],
    ["5 Lakeview Circle", at("5", "LAKEVIEW CIR")],
    ["8 Rose Ln", at("8", "ROSE LN")],
    ["8 Rose Lane", at("8", "ROSE LN")],
    ["77 Sunset Hwy", at("77", "SUNSET HWY")],
    ["77 Sunset Highway", at("77", "SUNSET HWY")],
    ["3 Kings Road", at("3", "KINGS RD")],
    ["3 Kings Way", at("3", "KINGS WAY")],
    ["3 Appalachian Trail", at("3", "APPALACHIAN TRL")],
    ["3 Town Square", at("3", "TOWN SQ")],
    ["1 Avenue of the Americas", at("1", "AVE OF THE AMERICAS")],
    ["123 Park Ave S", at("123", "PARK AVE S")],
    ["88 Saint James Pl", at("88", "ST JAMES PL")],
    ["88 St. James Place", at("88", "ST JAMES PL")],
    ["12 B Main Street", at("12B", "MAIN ST")],
    ["221B Baker Street", at("221B", "BAKER ST")],
    ["12 Main St Rear", at("12", "MAIN ST", "REAR")],
    // Designators that are also street words, and streets named like types.
    ["12 Front St", at("12", "FRONT ST")],
    ["123 No Name Rd", at("123", "NO NAME RD")],
    ["100 Main St FL 2", at("100", "MAIN ST", "2")],
    ["Highway 101", at(null, "HWY 101")],
    ["123 County Road 5", at("123", "COUNTY RD 5")],
    // PO boxes.
    ["PO Box 12", at(null, "PO BOX 12")],
    ["P.O. Box 345", at(null, "PO BOX 345")],
    ["Post Office Box 9", at(null, "PO BOX 9")],
    ["POB 77", at(null, "PO BOX 77")],
    ["Box 5", at(null, "PO BOX 5")],
    // The number after the street, as much of Europe writes it.
    ["Hauptstraße 5", at("5", "HAUPTSTRASSE")],
    ["Rue de Rivoli 10", at("10", "RUE DE RIVOLI")],
    ["9 Calle de Alcalá", at("9", "CALLE DE ALCALA")],
    ["Broadway", at(null, "BROADWAY")],
    ["", at(null, null)],
  ])("%j", (line, expected) => {
    expect(parseAddressLine(line)).toEqual(expected);
  });

  it("drops a trailing state and ZIP, and the city when it is given and follows the street", () => {
    expect(parseAddressLine("500 Main St, Miami, FL 33101", "MIAMI")).toEqual(at("500", "MAIN ST"));
    expect(parseAddressLine("500 Main St, Saint Louis, MO", "ST LOUIS")).toEqual(at("500", "MAIN ST"));
    expect(parseAddressLine("12 Main St Albany", "ALBANY")).toEqual(at("12", "MAIN ST"));
    // A street that ends like a state code or is named like the city stays whole.
    expect(parseAddressLine("239 S Magnolia Ct", "ALBANY")).toEqual(at("239", "S MAGNOLIA CT"));
    expect(parseAddressLine("12 Old Albany", "ALBANY")).toEqual(at("12", "OLD ALBANY"));
  });

  it("abbreviates street types to one form whichever form was written", () => {
    for (const [written, standard] of [
      ["STREET", "ST"],
      ["STR", "ST"],
      ["AVENUE", "AVE"],
      ["AV", "AVE"],
      ["DRIVE", "DR"],
      ["ROAD", "RD"],
      ["PARKWAY", "PKWY"],
      ["PLACE", "PL"],
      ["CENTRE", "CTR"],
      ["CRESCENT", "CRES"],
    ] as const) {
      expect(STREET_TYPES.get(written)).toBe(standard);
      expect(STREET_TYPES.get(standard)).toBe(standard);
    }
    expect(DIRECTIONALS.get("SOUTHWEST")).toBe("SW");
  });
});

describe("normalisePostcode", () => {
  it.each<[string, string | null, string | null]>([
    ["98101-1234", "US", "98101"],
    ["98101", "US", "98101"],
    ["981011234", null, "98101"],
    ["2134", "US", "02134"],
    ["123456", "US", null],
    ["sw1a 1aa", "GB", "SW1A1AA"],
    ["K1A 0B1", "CA", "K1A0B1"],
    ["2000", null, "2000"],
    ["12345", "MX", "12345"],
    ["75008", "FR", "75008"],
    [" ", "US", null],
  ])("%j in %s → %j", (postcode, country, expected) => {
    expect(normalisePostcode(postcode, country)).toBe(expected);
  });
});

describe("normaliseCity", () => {
  it.each([
    ["Saint Louis", "ST LOUIS"],
    ["St. Louis", "ST LOUIS"],
    ["Fort Worth", "FT WORTH"],
    ["Mount Vernon", "MT VERNON"],
    ["Sainte-Foy", "STE FOY"],
    ["São Paulo", "SAO PAULO"],
    ["Ciudad Juárez", "CIUDAD JUAREZ"],
  ])("%j → %j", (city, expected) => {
    expect(normaliseCity(city)).toBe(expected);
  });
});

describe("normaliseCountry", () => {
  it.each([
    ["US", "US"],
    ["usa", "US"],
    ["U.S.A.", "US"],
    ["United States", "US"],
    ["United States of America", "US"],
    ["Estados Unidos", "US"],
    ["MEX", "MX"],
    ["México", "MX"],
    ["United Kingdom", "GB"],
    ["UK", "GB"],
    ["GBR", "GB"],
    ["The Netherlands", "NL"],
    ["Côte d'Ivoire", "CI"],
    ["Ivory Coast", "CI"],
    ["Deutschland", "DE"],
    ["Atlantis", null],
    ["", null],
  ])("%j → %j", (text, expected) => {
    expect(normaliseCountry(text)).toBe(expected);
  });

  it("knows every ISO 3166-1 country, each by its alpha-2 and alpha-3 code", () => {
    expect(COUNTRY_CODES.length).toBeGreaterThanOrEqual(249);
    for (const code of COUNTRY_CODES) expect(normaliseCountry(code)).toBe(code);
  });
});
