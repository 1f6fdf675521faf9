import { describe, expect, it } from "vitest";
import { usd } from "../../src/detect/motifs.js";

describe("usd", () => {
  it("writes whole dollars as the en-US locale does, thousands grouped", () => {
    const cases = [
      0, 0.4, 0.5, 7, 999.5, 1000, 12_345.49, 999_999.6, 1_234_567, 98_765_432_109, -1, -1234.5, -0.4,
    ];
    for (const x of cases) expect(usd(x)).toBe(Math.round(x).toLocaleString("en-US"));
  });

  it("agrees on large and odd values too, where it hands over to the locale", () => {
    for (const x of [2 ** 53 + 2, 1e21, Number.POSITIVE_INFINITY, Number.NaN])
      expect(usd(x)).toBe(Math.round(x).toLocaleString("en-US"));
  });
});
