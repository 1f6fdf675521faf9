import { parsePhoneNumberFromString } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { normalisePhone, phoneRegion } from "../../src/resolve/normalise/phone.js";

describe("normalisePhone", () => {
  it.each<[string, string, string | null]>([
    ["(206) 555-0123", "US", "+12065550123"],
    ["206-555-0123", "US", "+12065550123"],
    ["206.555.0123", "US", "+12065550123"],
    ["2065550123", "US", "+12065550123"],
    ["12065550123", "US", "+12065550123"],
    ["1-206-555-0123", "US", "+12065550123"],
    ["+1 206 555 0123", "US", "+12065550123"],
    ["+1 (206) 555-0123", "DE", "+12065550123"],
    ["2065550123", "CA", "+12065550123"],
    ["1-800-555-1212", "US", "+18005551212"],
    ["206-555-0123 x45", "US", "+12065550123"],
    ["(206) 555-0123 ext. 45", "US", "+12065550123"],
    ["tel: 206 555 0123", "US", "+12065550123"],
    ["+44 20 7946 0958", "US", "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["0044 20 7946 0958", "US", "+442079460958"],
    ["07700 900123", "GB", "+447700900123"],
    ["030 123456", "DE", "+4930123456"],
    ["55 1234 5678", "MX", "+525512345678"],
    ["+52 55 1234 5678", "US", "+525512345678"],
    ["525512345678", "MX", "+525512345678"],
    // Mexican mobiles written with the "1" dropped in 2019.
    ["+52 1 55 1234 5678", "US", "+525512345678"],
    ["+52 1 55 1234 5678", "MX", "+525512345678"],
    // Not numbers anyone has.
    ["555-0123", "US", null],
    ["(011) 555-1212", "US", null],
    ["(206) 055-1212", "US", null],
    ["911-555-1212", "US", null],
    ["000-000-0000", "US", null],
    ["999 999 9999", "US", null],
    ["N/A", "US", null],
    ["", "US", null],
  ])("%j in %s → %j", (text, region, expected) => {
    expect(normalisePhone(text, region)).toBe(expected);
  });

  it("reads numbers in the US when the region is unknown", () => {
    expect(normalisePhone("2065550123", "XX")).toBe("+12065550123");
    expect(normalisePhone(null)).toBeNull();
  });

  it("the fast path and libphonenumber-js agree on ten-digit numbers", () => {
    // Ten-digit numbers the fast path accepts, in the formats records use, against the library's
    // own reading of the same number with an extension (which sends it down the slow path).
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const area = 200 + (next() % 800);
      const exchange = 200 + (next() % 800);
      const line = String(next() % 10000).padStart(4, "0");
      const digits = `${area}${exchange}${line}`;
      const fast = normalisePhone(`(${area}) ${exchange}-${line}`, "US");
      const slow = normalisePhone(`${digits} ext 1`, "US");
      expect(slow).toBe(fast);
      if (fast !== null) expect(parsePhoneNumberFromString(digits, "US")?.number).toBe(fast);
      const mx = normalisePhone(digits, "MX");
      expect(mx).toBe(parsePhoneNumberFromString(digits, "MX")?.number);
    }
  });
});

describe("phoneRegion", () => {
  it("is the party's country when the library knows it, else the fallback", () => {
    expect(phoneRegion("GB")).toBe("GB");
    expect(phoneRegion(null)).toBe("US");
    expect(phoneRegion(null, "MX")).toBe("MX");
    expect(phoneRegion("AQ", "CA")).toBe("CA");
  });
});
