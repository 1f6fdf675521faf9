import { describe, expect, it } from "vitest";
import {
  type IdentifierKind,
  luhnValid,
  nationalIdKind,
  normaliseIdentifier,
  normaliseNationalId,
  normalisePassport,
  normaliseTaxId,
  stripIdentifier,
} from "../../src/resolve/normalise/identifier.js";

describe("stripIdentifier", () => {
  it.each([
    ["078-05-1120", "078051120"],
    ["ab 12 34 56 c", "AB123456C"],
    ["12-3456789", "123456789"],
    ["X1234567", "X1234567"],
    ["  n°123/45 ", "N12345"],
  ])("%j → %j", (text, expected) => {
    expect(stripIdentifier(text)).toBe(expected);
  });
});

describe("normaliseIdentifier", () => {
  it.each<[string, IdentifierKind, string | null]>([
    // US SSN: SSA rules.
    ["123-45-6780", "us-ssn", "123456780"],
    ["001-01-0001", "us-ssn", "001010001"],
    ["000-12-3456", "us-ssn", null],
    ["666-12-3456", "us-ssn", null],
    ["900-12-3456", "us-ssn", null],
    ["123-00-4567", "us-ssn", null],
    ["123-45-0000", "us-ssn", null],
    // Publicly circulated numbers and placeholders.
    ["078-05-1120", "us-ssn", null],
    ["219-09-9999", "us-ssn", null],
    ["123-45-6789", "us-ssn", null],
    ["111-11-1111", "us-ssn", null],
    ["12345678", "us-ssn", null],
    ["12345678A", "us-ssn", null],
    // ITIN: 9xx with the IRS's group ranges.
    ["912-70-1234", "us-itin", "912701234"],
    ["912-93-1234", "us-itin", null],
    ["912-70-1234", "us-tin", "912701234"],
    ["123-45-6780", "us-tin", "123456780"],
    // EIN prefixes.
    ["12-3456789", "us-ein", "123456789"],
    ["07-3456789", "us-ein", null],
    ["00-3456789", "us-ein", null],
    ["98-7654321", "us-ein", "987654321"],
    // Canadian SIN: Luhn.
    // Canada's published sample SIN: checksum right, but 0 starts no assigned number.
    ["046 454 286", "ca-sin", null],
    ["130 692 544", "ca-sin", "130692544"],
    ["130 692 545", "ca-sin", null],
    // UK National Insurance number: the suffix letter is not part of the identity.
    ["AB 12 34 56 C", "gb-nino", "AB123456"],
    ["AB123456", "gb-nino", "AB123456"],
    ["GB123456A", "gb-nino", null],
    ["DA123456A", "gb-nino", null],
    // Mexico: CURP with its check digit, RFC by shape.
    ["GODE561231HDFRRN09", "mx-curp", null],
    ["HEGG560427MVZRRL04", "mx-curp", "HEGG560427MVZRRL04"],
    ["MAAR790213HMNRLF03", "mx-curp", "MAAR790213HMNRLF03"],
    ["MAAR790213HMNRLF04", "mx-curp", null],
    ["GODE561231GR8", "mx-rfc", "GODE561231GR8"],
    ["ABC680524P76", "mx-rfc", "ABC680524P76"],
    ["passport x1234567", "passport", "PASSPORTX1234567"],
    ["x1234567", "passport", "X1234567"],
    ["000000000", "passport", null],
    ["123", "passport", null],
    ["AB-1234", "generic", "AB1234"],
    ["1111", "generic", null],
  ])("%j as %s → %j", (text, kind, expected) => {
    expect(normaliseIdentifier(text, kind)).toBe(expected);
  });
});

describe("luhnValid", () => {
  it.each([
    ["79927398713", true],
    ["79927398710", false],
    ["4539578763621486", true],
    ["046454286", true],
    ["0", false],
    ["12a4", false],
  ])("%s: %s", (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});

describe("national ids, tax ids, passports by country and party kind", () => {
  it("reads nine digits as a US SSN or ITIN in the US or with no country", () => {
    expect(nationalIdKind(null, "123456780")).toBe("us-tin");
    expect(normaliseNationalId("078-05-1120", null)).toBeNull();
    expect(normaliseNationalId("123-45-6780", "US")).toBe("123456780");
    expect(normaliseNationalId("912-70-1234", "US")).toBe("912701234");
    // Other shapes are generic: the FEBRL-style seven-digit ids, a foreign number.
    expect(normaliseNationalId("1234567", null)).toBe("1234567");
    expect(normaliseNationalId("AB 12 34 56 C", "GB")).toBe("AB123456");
    expect(normaliseNationalId("130 692 544", "CA")).toBe("130692544");
    expect(normaliseNationalId("130 692 545", "CA")).toBeNull();
    expect(normaliseNationalId("X-1234-5678", "FR")).toBe("X12345678");
  });

  it("reads a US tax id by its dashes, else by the party's kind", () => {
    expect(normaliseTaxId("12-3456789", "US", "person")).toBe("123456789");
    expect(normaliseTaxId("07-3456789", "US", "person")).toBeNull();
    expect(normaliseTaxId("123-45-6780", "US", "organisation")).toBe("123456780");
    expect(normaliseTaxId("073456789", "US", "organisation")).toBeNull();
    // A person's undashed nine digits may be an SSN or an EIN.
    expect(normaliseTaxId("073456789", "US", "person")).toBe("073456789");
    expect(normaliseTaxId("666456789", null, "person")).toBe("666456789"); // an EIN with prefix 66
    expect(normaliseTaxId("GODE561231GR8", "MX", "person")).toBe("GODE561231GR8");
    expect(normaliseTaxId(null, "US", "person")).toBeNull();
  });

  it("upper-cases passports", () => {
    expect(normalisePassport("x 123 456 78")).toBe("X12345678");
    expect(normalisePassport(undefined)).toBeNull();
  });
});
