import { describe, expect, it } from "vitest";
import {
  editDistance,
  editDistanceAtMost,
  jaro,
  jaroWinkler,
  nysiis,
  sameNysiis,
  sameWordsAnyOrder,
  soundex,
} from "../../src/resolve/similarity.js";

describe("jaroWinkler", () => {
  it.each([
    ["MARTHA", "MARHTA", 0.944, 0.961],
    ["DWAYNE", "DUANE", 0.822, 0.84],
    ["DIXON", "DICKSONX", 0.767, 0.813],
  ])("%s / %s: Jaro %f, Jaro-Winkler %f (Winkler 1990)", (a, b, j, jw) => {
    expect(jaro(a, b)).toBeCloseTo(j, 3);
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 3);
  });

  it("is symmetric", () => {
    for (const [a, b] of [
      ["JOHNSON", "JONSON"],
      ["CATHERINE", "KATHRYN"],
      ["DIXON", "DICKSONX"],
      ["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789X", "BCDEFGHIJ"],
    ] as const) {
      expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 12);
    }
  });

  it("is 1 for equal strings, 0 when nothing agrees or one side is empty", () => {
    expect(jaroWinkler("SMITH", "SMITH")).toBe(1);
    expect(jaroWinkler("", "")).toBe(1);
    expect(jaroWinkler("ABC", "")).toBe(0);
    expect(jaroWinkler("ABC", "XYZ")).toBe(0);
  });

  it("does not boost a shared prefix of otherwise unlike strings (threshold 0.7)", () => {
    const j = jaro("MCALLISTER", "MCDOWELL");
    expect(j).toBeLessThanOrEqual(0.7);
    expect(jaroWinkler("MCALLISTER", "MCDOWELL")).toBe(j);
  });

  it("handles strings longer than its scratch buffers", () => {
    const a = `${"A".repeat(300)}B`;
    const b = `${"A".repeat(300)}C`;
    expect(jaroWinkler(a, b)).toBeGreaterThan(0.99);
    expect(jaroWinkler("MARTHA", "MARHTA")).toBeCloseTo(0.961, 3);
  });
});

describe("editDistance (optimal string alignment)", () => {
  it.each([
    ["", "", 0],
    ["ABC", "", 3],
    ["KITTEN", "SITTING", 3],
    ["123456789", "123456798", 1], // adjacent digits swapped: one edit
    ["123456789", "213456789", 1],
    ["123456789", "123456780", 1],
    ["123456789", "12345678", 1],
    ["CA", "AC", 1],
    ["CA", "ABC", 3], // OSA does not edit a transposed pair again (true Damerau-Levenshtein: 2)
    ["SMITH", "SMYTHE", 2],
  ])("%s → %s: %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it("stops above the bound and says bound + 1", () => {
    expect(editDistanceAtMost("123456789", "987654321", 1)).toBe(2);
    expect(editDistanceAtMost("123456789", "987654321", 3)).toBe(4);
    expect(editDistanceAtMost("ABC", "ABCDEFG", 2)).toBe(3);
    expect(editDistanceAtMost("123456789", "123456798", 1)).toBe(1);
    expect(editDistanceAtMost("SAME", "SAME", 0)).toBe(0);
    expect(editDistanceAtMost("SAME", "SOME", 0)).toBe(1);
  });

  it("agrees with the unbounded distance whenever that is within the bound", () => {
    const words = ["", "A", "AB", "BA", "ABC", "ACB", "CAB", "ABCD", "BADC", "XABC", "ABXC", "DCBA"];
    for (const a of words) {
      for (const b of words) {
        const d = editDistance(a, b);
        for (let k = 0; k <= 4; k++) expect(editDistanceAtMost(a, b, k)).toBe(d <= k ? d : k + 1);
      }
    }
  });
});

describe("soundex", () => {
  it.each([
    ["ROBERT", "R163"],
    ["RUPERT", "R163"],
    ["TYMCZAK", "T522"],
    ["PFISTER", "P236"],
    ["ASHCRAFT", "A261"], // S and C separated by H: coded once
    ["HONEYMAN", "H555"],
    ["RUBIN", "R150"],
    ["LEE", "L000"],
    ["O CONNOR", "O256"],
  ])("%s is %s", (name, code) => {
    expect(soundex(name)).toBe(code);
  });

  it("is empty without a letter", () => {
    expect(soundex("")).toBe("");
    expect(soundex("123")).toBe("");
  });
});

describe("nysiis", () => {
  it.each([
    ["KNIGHT", "NAGT"],
    ["NIGHT", "NAGT"],
    ["BROWN", "BRAN"],
    ["BRAUN", "BRAN"],
    ["MACDONALD", "MCDANALD"],
    ["MCDONALD", "MCDANALD"],
    ["PHILLIPS", "FALAP"],
    ["FILIPS", "FALAP"],
    ["JOHNSON", "JANSAN"],
    ["JONSON", "JANSAN"],
    ["KELLY", "CALY"],
    ["KELLIE", "CALY"],
    ["SCHMIDT", "SNAD"],
    ["SARAH", "SAR"],
    ["SARA", "SAR"],
  ])("%s is %s", (name, key) => {
    expect(nysiis(name)).toBe(key);
  });

  it("keeps Taft's six characters when asked", () => {
    expect(nysiis("MACDONALD", 6)).toBe("MCDANA");
  });

  it("compares keys without building them", () => {
    expect(sameNysiis("KNIGHT", "NIGHT")).toBe(true);
    expect(sameNysiis("BROWN", "BRAUN")).toBe(true);
    expect(sameNysiis("SMITH", "JONES")).toBe(false);
    expect(sameNysiis("", "")).toBe(false);
  });
});

describe("sameWordsAnyOrder", () => {
  it("compares words as multisets", () => {
    expect(sameWordsAnyOrder("ACME TRADING", "TRADING ACME")).toBe(true);
    expect(sameWordsAnyOrder("SMITH AND JONES", "JONES AND SMITH")).toBe(true);
    expect(sameWordsAnyOrder("A A B", "A B B")).toBe(false);
    expect(sameWordsAnyOrder("ACME TRADING", "ACME TRADERS")).toBe(false);
    expect(sameWordsAnyOrder("ACME", "ACME TRADING")).toBe(false);
  });
});
