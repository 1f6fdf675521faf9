import { describe, expect, it } from "vitest";
import { compareAll } from "../../src/resolve/comparison-vectors.js";
import {
  addressComparison,
  birthDateComparison,
  type Comparison,
  comparisonIndex,
  comparisonSet,
  emailComparison,
  givenNameComparison,
  levelCounts,
  levelIndex,
  middleNameComparison,
  nationalIdComparison,
  ORGANISATION_COMPARISONS,
  organisationNameComparison,
  organisationTaxIdComparison,
  PERSON_COMPARISONS,
  passportComparison,
  phoneComparison,
  suffixComparison,
  surnameComparison,
  taxIdComparison,
  yearTypo,
} from "../../src/resolve/comparisons.js";
import type { NormalisedRecord } from "../../src/resolve/normalised-record.js";
import { rec } from "./record.js";

/** The label of the level c gives a and b, both ways round (every comparison is symmetric). */
function label(c: Comparison, a: Partial<NormalisedRecord>, b: Partial<NormalisedRecord>): string {
  const ab = c.level(rec(a), rec(b));
  const ba = c.level(rec(b), rec(a));
  expect(ba).toBe(ab);
  return c.levels[ab] as string;
}

const given = (g: string | null, canonical: string | null = g) => ({ given: g, givenCanonical: canonical });
const born = (year: number, month: number, day: number) => ({ birth: { year, month, day } });
const at = (houseNumber: string | null, street: string | null, unit: string | null = null) => ({
  houseNumber,
  street,
  unit,
});

describe("comparison sets", () => {
  it("label levels from missing through differs to exact, with unique ids", () => {
    for (const set of [PERSON_COMPARISONS, ORGANISATION_COMPARISONS]) {
      const ids = set.comparisons.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of set.comparisons) {
        expect(c.levels[0]).toBe("missing");
        expect(c.levels.at(-1)).toBe("exact");
        expect(new Set(c.levels).size).toBe(c.levels.length);
      }
      expect(levelCounts(set)).toEqual(set.comparisons.map((c) => c.levels.length));
    }
    expect(comparisonSet("person")).toBe(PERSON_COMPARISONS);
    expect(comparisonSet("organisation")).toBe(ORGANISATION_COMPARISONS);
    expect(comparisonIndex(PERSON_COMPARISONS, "surname")).toBe(1);
    expect(() => comparisonIndex(PERSON_COMPARISONS, "nationality")).toThrow(/comparisons: no comparison/);
    expect(() => levelIndex(surnameComparison, "nope")).toThrow(/comparisons:/);
  });

  it("adjust only names by term frequency", () => {
    const tf = (set: typeof PERSON_COMPARISONS) => set.comparisons.filter((c) => c.tfValue).map((c) => c.id);
    expect(tf(PERSON_COMPARISONS)).toEqual(["given", "surname"]);
    expect(tf(ORGANISATION_COMPARISONS)).toEqual(["name"]);
    expect(givenNameComparison.tfValue?.(rec(given("BILL", "WILLIAM")))).toBe("BILL");
  });
});

describe("given name", () => {
  it.each([
    [given("JOHN"), given("JOHN"), "exact"],
    [given("BILL", "WILLIAM"), given("WILLIAM"), "same through nickname"],
    [given("BILL", "WILLIAM"), given("WILL", "WILLIAM"), "same through nickname"],
    [given("CATHERINE"), given("CATHERNIE"), "close spelling"],
    [given("KATHRYN"), given("KATHLEEN"), "similar"], // Jaro-Winkler 0.868
    [given("ANNETTE"), given("ANNIKA"), "differs"], // Jaro-Winkler 0.643
    [given("J"), given("JOHN"), "initial agrees"],
    [given("J"), given("MARY"), "differs"],
    [given("ROBERT"), { ...given("JAMES"), middle: "ROBERT" }, "is the other's middle name"],
    [given("PEGGY", "PEGGY"), given("MARGARET"), "same through nickname"],
    [
      { ...given("OLSEN"), surname: "MARY" },
      { ...given("MARY"), surname: "OLSEN" },
      "swapped with the surname",
    ],
    [given("JOHN"), given("MARY"), "differs"],
    [given(null), given("MARY"), "missing"],
  ])("%o / %o: %s", (a, b, expected) => {
    expect(label(givenNameComparison, a, b)).toBe(expected);
  });
});

describe("vetoes that a government id and a second identity field lift", () => {
  const id = (nationalId: string) => ({ nationalId });
  const lifted = "differs, where a government id and the birth date agree";
  it.each([
    [
      { ...given("JONAS"), ...born(1955, 11, 22), ...id("5528813") },
      { ...given("PETRA"), ...born(1955, 11, 22), ...id("5528813") },
      lifted,
    ],
    [
      { ...given("JONAS"), ...born(1955, 11, 22), taxId: "T1" },
      { ...given("PETRA"), ...born(1955, 11, 22), taxId: "T1" },
      lifted,
    ],
    [
      { ...given("JONAS"), ...born(1955, 11, 22), ...id("5528813") },
      { ...given("PETRA"), ...born(1955, 11, 23), ...id("5528813") },
      "differs",
    ],
    [
      { ...given("JONAS"), ...born(1955, 11, 22), ...id("5528813") },
      { ...given("PETRA"), ...born(1955, 11, 22), ...id("5528814") },
      "differs",
    ],
    [{ ...given("JONAS"), ...born(1955, 11, 22) }, { ...given("PETRA"), ...born(1955, 11, 22) }, "differs"],
  ])("given name %o / %o: %s", (a, b, expected) => {
    expect(label(givenNameComparison, a, b)).toBe(expected);
  });

  const dateLifted = "differs, where a government id and the name agree";
  const ida = { ...given("IDA"), surname: "BRENNOCK" };
  it.each([
    [
      { ...ida, ...born(1981, 10, 9), ...id("6620147") },
      { ...ida, ...born(1923, 5, 17), ...id("6620147") },
      dateLifted,
    ],
    [
      { ...ida, ...born(1981, 10, 9), ...id("6620147") },
      { ...given("IDA"), surname: "BRENOCK", ...born(1923, 5, 17), ...id("6620147") },
      dateLifted,
    ],
    [
      { ...ida, ...born(1981, 10, 9), ...id("6620147") },
      { ...given("ALBA"), surname: "BRENNOCK", ...born(1923, 5, 17), ...id("6620147") },
      "differs",
    ],
    [
      { ...ida, ...born(1981, 10, 9), ...id("6620147") },
      { ...given(null), surname: "BRENNOCK", ...born(1923, 5, 17), ...id("6620147") },
      "differs",
    ],
    [{ ...ida, ...born(1981, 10, 9) }, { ...ida, ...born(1923, 5, 17) }, "differs"],
    [
      { ...ida, ...born(1981, 10, 9), ...id("6620147") },
      { ...ida, ...born(1981, 10, 19), ...id("6620147") },
      "one of year, month, day differs",
    ],
  ])("birth date %o / %o: %s", (a, b, expected) => {
    expect(label(birthDateComparison, a, b)).toBe(expected);
  });

  it("vetoes plain differences and never the lifted levels", () => {
    expect(givenNameComparison.veto?.map((l) => givenNameComparison.levels[l])).toEqual(["differs"]);
    expect(birthDateComparison.veto?.map((l) => birthDateComparison.levels[l])).toEqual(["differs"]);
  });
});

describe("names swapped between the boxes", () => {
  it.each([
    [
      { ...given("OLSEN"), surname: "MARY" },
      { ...given("MARY"), surname: "OLSEN" },
      "swapped with the surname",
    ],
    [
      { ...given("HANNAGAN"), surname: "MIKHAYLA" },
      { ...given("MIKHAYLA"), surname: "HANNAAN" },
      "swapped with the surname",
    ],
    // A two-word given name read from the other record's surname box is split into given and middle.
    [
      { ...given("WHITE"), surname: "JEAN CLAUDE" },
      { ...given("JEAN"), middle: "CLAUDE", surname: "WHITE" },
      "swapped with the surname",
    ],
    [{ ...given("OLSEN"), surname: "MARY" }, { ...given("MARY"), surname: "PETERSEN" }, "differs"],
  ])("%o / %o: %s", (a, b, expected) => {
    expect(label(givenNameComparison, a, b)).toBe(expected);
  });
});

describe("surname", () => {
  it.each([
    ["SMITH", "SMITH", "exact"],
    ["JOHNSON", "JOHNSTON", "close spelling"],
    ["MARTHA", "MARHTA", "close spelling"],
    ["JOHNSON", "JONSON", "close spelling"],
    ["BRAUN", "BROWN", "similar or sounds alike"], // Jaro-Winkler 0.79, NYSIIS BRAN
    ["KAUFMAN", "COFFMAN", "similar or sounds alike"],
    ["PHILLIPS", "FILIPS", "similar or sounds alike"],
    ["SMITH", "JONES", "differs"],
    [null, "JONES", "missing"],
  ])("%s / %s: %s", (a, b, expected) => {
    expect(label(surnameComparison, { surname: a }, { surname: b })).toBe(expected);
  });

  it("knows a given name and surname typed into each other's boxes", () => {
    expect(
      label(surnameComparison, { given: "OLSEN", surname: "MARY" }, { given: "MARY", surname: "OLSEN" }),
    ).toBe("swapped with the given name");
    expect(
      label(surnameComparison, { given: "OLSEN", surname: "MARY" }, { given: "ANN", surname: "OLSEN" }),
    ).toBe("differs");
  });
});

describe("middle name", () => {
  it.each([
    ["ANN", "ANN", "exact"],
    ["ELIZABETH", "ELISABETH", "close spelling"],
    ["A", "ANN", "initials agree"],
    ["A M", "ANN MARIE", "initials agree"],
    ["ANN", "ANN MARIE", "initials agree"],
    ["A", "BETH", "differs"],
    ["A M", "ANN LOUISE", "differs"],
    ["ANN", "ALICE", "differs"],
    [null, "ANN", "missing"],
  ])("%s / %s: %s", (a, b, expected) => {
    expect(label(middleNameComparison, { middle: a }, { middle: b })).toBe(expected);
  });
});

describe("generational suffix", () => {
  it.each([
    ["JR", "JR", "exact"],
    ["JR", "SR", "conflicts"],
    ["JR", null, "on one side only"],
    [null, null, "missing"],
  ])("%s / %s: %s", (a, b, expected) => {
    expect(label(suffixComparison, { suffix: a }, { suffix: b })).toBe(expected);
  });

  it("separates a father and son whose other fields agree", () => {
    const father = rec({ ...given("JOHN"), surname: "SMITH", suffix: "SR", ...at("12", "MAIN ST") });
    const son = rec({ ...given("JOHN"), surname: "SMITH", suffix: "JR", ...at("12", "MAIN ST") });
    const levels = compareAll([father, son], Int32Array.of(0), Int32Array.of(1), PERSON_COMPARISONS);
    const level = (id: string) =>
      PERSON_COMPARISONS.comparisons[comparisonIndex(PERSON_COMPARISONS, id)]?.levels[
        levels[comparisonIndex(PERSON_COMPARISONS, id)]?.[0] as number
      ];
    expect(level("given")).toBe("exact");
    expect(level("address")).toBe("exact");
    expect(level("suffix")).toBe("conflicts");
  });
});

describe("birth date", () => {
  it.each([
    [born(1980, 3, 4), born(1980, 3, 4), "exact"],
    [born(1980, 3, 4), born(1980, 4, 3), "day and month swapped"],
    [born(1980, 3, 4), born(1989, 3, 4), "year mistyped"],
    [born(1985, 3, 4), born(1958, 3, 4), "year mistyped"],
    [born(1985, 3, 4), born(1995, 3, 4), "year mistyped"],
    [born(1980, 3, 4), born(1970, 3, 5), "differs"],
    [born(1980, 3, 4), born(1975, 3, 4), "one of year, month, day differs"],
    [born(1980, 3, 4), born(1980, 3, 14), "one of year, month, day differs"],
    [born(1980, 3, 4), born(1980, 5, 4), "one of year, month, day differs"],
    [born(1980, 3, 4), born(1981, 4, 3), "differs"],
    [{ birth: null }, born(1980, 3, 4), "missing"],
  ])("%o / %o: %s", (a, b, expected) => {
    expect(label(birthDateComparison, a, b)).toBe(expected);
  });

  it("knows a year typo from other year differences", () => {
    expect(yearTypo(1985, 1958)).toBe(true);
    expect(yearTypo(1985, 1986)).toBe(true);
    expect(yearTypo(1985, 9185)).toBe(true);
    expect(yearTypo(1985, 1976)).toBe(false);
    expect(yearTypo(1985, 1589)).toBe(false);
    expect(yearTypo(1985, 1985)).toBe(false);
  });
});

describe("address", () => {
  it.each([
    [at("12", "MAIN ST"), at("12", "MAIN ST"), "exact"],
    [at("12", "MAIN ST", "4B"), at("12", "MAIN ST"), "exact"],
    [at("12", "MAIN ST", "4B"), at("12", "MAIN ST", "4B"), "exact"],
    [at("12", "MAIN ST", "4B"), at("12", "MAIN ST", "7A"), "same number and street, other unit"],
    [at("12", "MAIN ST"), at("12", "MIAN ST"), "same number, street spelt alike"],
    [at("12", "MAIN ST"), at("14", "MAIN ST"), "same street, other or no number"],
    [at(null, "MAIN ST"), at("14", "MAIN ST"), "same street, other or no number"],
    [at("12", "MAIN ST"), at("12", "OAK AVE"), "differs"],
    [at("12", "MAIN ST"), at("14", "MIAN ST"), "differs"],
    [at("12", null), at("12", "MAIN ST"), "missing"],
    // Postcode and city speak when the streets do not agree, or one is missing.
    [
      { ...at("12", "MAIN ST"), postcode: "98101" },
      { ...at("7", "OAK AVE"), postcode: "98101" },
      "same postcode only",
    ],
    [
      { ...at("12", null), postcode: "98101" },
      { ...at("7", "OAK AVE"), postcode: "98101" },
      "same postcode only",
    ],
    [{ postcode: "98101", city: "SEATTLE" }, { postcode: "98104", city: "SEATTLE" }, "same city only"],
    [{ city: "SEATTLE" }, { city: "SEATTLE" }, "same city only"],
    [{ postcode: "98101", city: "SEATTLE" }, { postcode: "10001", city: "NEW YORK" }, "differs"],
    [{ city: "SEATTLE" }, { postcode: "98101" }, "missing"],
  ])("%o / %o: %s", (a, b, expected) => {
    expect(label(addressComparison, a, b)).toBe(expected);
  });
});

describe("contact and identifiers", () => {
  it("phone: exact, the same last seven digits, else differs", () => {
    const phone = (a: string | null, b: string | null) => label(phoneComparison, { phone: a }, { phone: b });
    expect(phone("+12065550123", "+12065550123")).toBe("exact");
    expect(phone("+12065550123", "+14255550123")).toBe("same last 7 digits");
    expect(phone("+12065550123", "+12065550124")).toBe("differs");
    expect(phone("+12065550123", null)).toBe("missing");
  });

  it("email: exact, the same mailbox at another domain, else differs", () => {
    const email = (a: string | null, b: string | null) => label(emailComparison, { email: a }, { email: b });
    expect(email("jsmith@gmail.com", "jsmith@gmail.com")).toBe("exact");
    expect(email("jsmith@gmail.com", "jsmith@yahoo.com")).toBe("same name at another domain");
    expect(email("jsmith@gmail.com", "jsmit@gmail.com")).toBe("differs");
    expect(email("jsmith@gmail.com", "jsmithx@gmail.com")).toBe("differs");
    expect(email(null, "jsmith@gmail.com")).toBe("missing");
  });

  it("national id: exact, one typo apart, else differs", () => {
    const id = (a: string | null, b: string | null) =>
      label(nationalIdComparison, { nationalId: a }, { nationalId: b });
    expect(id("123456789", "123456789")).toBe("exact");
    expect(id("123456789", "123456798")).toBe("one typo apart");
    expect(id("123456789", "123450789")).toBe("one typo apart");
    expect(id("123456789", "987654321")).toBe("differs");
    expect(id(null, "123456789")).toBe("missing");
  });

  it("an organisation's tax id: a typo is a typo, two ids are two legal entities (a veto)", () => {
    const id = (a: string | null, b: string | null) =>
      label(organisationTaxIdComparison, { taxId: a }, { taxId: b });
    expect(id("421474622", "421474622")).toBe("exact");
    expect(id("421474622", "421476422")).toBe("one typo apart");
    expect(id("421474622", "744892113")).toBe("differs");
    expect(id("421474622", null)).toBe("missing");
    const differs = organisationTaxIdComparison.levels.indexOf("differs");
    expect(organisationTaxIdComparison.veto).toEqual([differs]);
    expect(ORGANISATION_COMPARISONS.comparisons).toContain(organisationTaxIdComparison);
    // A person's tax id is no veto: an ITIN before an SSN is one person with two numbers.
    expect(taxIdComparison.veto).toBeUndefined();
  });

  it("exact-only fields: tax id, passport", () => {
    for (const [c, field] of [
      [taxIdComparison, "taxId"],
      [passportComparison, "passport"],
    ] as const) {
      expect(label(c, { [field]: "X1" }, { [field]: "X1" })).toBe("exact");
      expect(label(c, { [field]: "X1" }, { [field]: "X2" })).toBe("differs");
      expect(label(c, { [field]: "X1" }, {})).toBe("missing");
    }
  });
});

describe("organisation name", () => {
  it.each([
    ["ACME TRADING", "ACME TRADING", "exact"],
    ["SMITH AND JONES TRADING", "TRADING SMITH AND JONES", "same words, other order"],
    ["ACME TRADING", "ACME TRAIDNG", "close spelling"],
    ["ACME TRADING", "ZENITH HOLDINGS", "differs"],
    [null, "ACME", "missing"],
  ])("%s / %s: %s", (a, b, expected) => {
    expect(label(organisationNameComparison, { fullName: a }, { fullName: b })).toBe(expected);
  });
});

describe("compareAll", () => {
  it("gives one level array per comparison, one level per pair", () => {
    const records = [
      rec({ ...given("JOHN"), surname: "SMITH", ...born(1980, 3, 4) }),
      rec({ ...given("JON"), surname: "SMITH", ...born(1980, 4, 3) }),
      rec({ ...given("MARY"), surname: "JONES" }),
    ];
    const gammas = compareAll(records, Int32Array.of(0, 0, 1), Int32Array.of(1, 2, 2), PERSON_COMPARISONS);
    expect(gammas).toHaveLength(PERSON_COMPARISONS.comparisons.length);
    for (const g of gammas) expect(g).toHaveLength(3);
    const surname = gammas[comparisonIndex(PERSON_COMPARISONS, "surname")];
    const exact = surnameComparison.levels.indexOf("exact");
    expect([...(surname as Uint8Array)]).toEqual([exact, 1, 1]);
    const birth = gammas[comparisonIndex(PERSON_COMPARISONS, "birth")];
    const swapped = birthDateComparison.levels.indexOf("day and month swapped");
    expect([...(birth as Uint8Array)]).toEqual([swapped, 0, 0]);
  });

  it("rejects pairs naming records that do not exist", () => {
    expect(() => compareAll([rec()], Int32Array.of(0), Int32Array.of(1), PERSON_COMPARISONS)).toThrow(
      /comparison-vectors:/,
    );
    expect(() => compareAll([rec()], Int32Array.of(0), Int32Array.of(), PERSON_COMPARISONS)).toThrow(
      /comparison-vectors:/,
    );
  });
});
