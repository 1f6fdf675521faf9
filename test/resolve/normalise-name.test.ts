import { describe, expect, it } from "vitest";
import {
  looksLikeOrganisation,
  normaliseOrganisationName,
  type PersonName,
  type PersonNameInput,
  parsePersonName,
} from "../../src/resolve/normalise/name.js";

type Expected = Partial<PersonName>;

describe("parsePersonName: a full name only", () => {
  it.each<[string, Expected]>([
    [
      "SMITH, JOHN A.",
      { given: "JOHN", middle: "A", surname: "SMITH", suffix: null, fullName: "JOHN A SMITH" },
    ],
    ["Dr. Jane Doe-Smith Jr.", { given: "JANE", middle: null, surname: "DOE SMITH", suffix: "JR" }],
    ["John Smith, Jr.", { given: "JOHN", surname: "SMITH", suffix: "JR" }],
    ["Jane Doe, PhD", { given: "JANE", surname: "DOE", suffix: null }],
    ["José Núñez", { given: "JOSE", surname: "NUNEZ", fullName: "JOSE NUNEZ" }],
    ["Mr. Patrick O'Brien", { given: "PATRICK", surname: "OBRIEN" }],
    ["Ronald McDonald", { given: "RONALD", surname: "MCDONALD" }],
    ["Juan de la Cruz", { given: "JUAN", middle: null, surname: "DE LA CRUZ" }],
    ["Juan Carlos de la Cruz", { given: "JUAN", middle: "CARLOS", surname: "DE LA CRUZ" }],
    ["Pieter van der Berg", { given: "PIETER", surname: "VAN DER BERG" }],
    ["Ludwig van Beethoven", { given: "LUDWIG", surname: "VAN BEETHOVEN" }],
    ["Juan García y López", { given: "JUAN", surname: "GARCIA Y LOPEZ" }],
    ["Maria del Carmen Lopez", { given: "MARIA", middle: "DEL CARMEN", surname: "LOPEZ" }],
    ["Mary-Jane Watson", { given: "MARY", middle: "JANE", surname: "WATSON" }],
    ["GARCIA LOPEZ JR, MARIA J", { given: "MARIA", middle: "J", surname: "GARCIA LOPEZ", suffix: "JR" }],
    ["Smith, John A Jr", { given: "JOHN", middle: "A", surname: "SMITH", suffix: "JR" }],
    ["John Smith III", { given: "JOHN", surname: "SMITH", suffix: "III" }],
    ["John Smith 3rd", { surname: "SMITH", suffix: "III" }],
    ["John A. Smith V", { middle: "A", surname: "SMITH", suffix: "V" }],
    // After the comma the last letter is a middle initial, not the fifth.
    ["Smith, John V", { given: "JOHN", middle: "V", surname: "SMITH", suffix: null }],
    ["J. R. R. Tolkien", { given: "J", middle: "R R", surname: "TOLKIEN" }],
    ["Prof Dr Hans Müller", { given: "HANS", surname: "MULLER" }],
    ["Madonna", { given: null, surname: "MADONNA", fullName: "MADONNA" }],
    ["", { given: null, surname: null, fullName: null }],
  ])("%j", (name, expected) => {
    expect(parsePersonName({ name })).toMatchObject(expected);
  });
});

describe("parsePersonName: name parts", () => {
  it.each<[PersonNameInput, Expected]>([
    [
      { given: "John", middle: "A.", surname: "Smith" },
      { given: "JOHN", middle: "A", surname: "SMITH" },
    ],
    [
      { given: "John", surname: "Smith Jr" },
      { surname: "SMITH", suffix: "JR" },
    ],
    [
      { given: "John", surname: "SMITH JR." },
      { surname: "SMITH", suffix: "JR" },
    ],
    [
      { given: "Ronald", middle: "Jr", surname: "McDonald" },
      { middle: null, suffix: "JR" },
    ],
    // A middle name merged into the given field reads as given and middle.
    [
      { given: "Maria Jose", surname: "Garcia" },
      { given: "MARIA", middle: "JOSE", surname: "GARCIA" },
    ],
    [
      { given: "Maria", middle: "Jose", surname: "Garcia" },
      { given: "MARIA", middle: "JOSE", surname: "GARCIA" },
    ],
    [
      { given: "Dr. Jane", surname: "O Brien" },
      { given: "JANE", surname: "OBRIEN" },
    ],
    [
      { given: "Seán", surname: "Ó Briain" },
      { given: "SEAN", surname: "OBRIAIN" },
    ],
    [{ given: "Ronald", surname: "Mc Donald" }, { surname: "MCDONALD" }],
    [
      { given: "J.", surname: "D'Angelo" },
      { given: "J", surname: "DANGELO" },
    ],
    [{ given: "Pieter", surname: "van der Berg" }, { surname: "VAN DER BERG" }],
    [
      { given: "Jane", surname: "Doe-Smith" },
      { surname: "DOE SMITH", fullName: "JANE DOE SMITH" },
    ],
    // A full name typed into the given field: split.
    [
      { given: "john smith", surname: "" },
      { given: "JOHN", surname: "SMITH" },
    ],
    // Parts win over `name` when both are present.
    [
      { name: "SMITH, JOHN", given: "Jon", surname: "Smith" },
      { given: "JON", surname: "SMITH" },
    ],
  ])("%j", (input, expected) => {
    expect(parsePersonName(input)).toMatchObject(expected);
  });

  it("a name written in parts and the same name written whole agree", () => {
    const parts = parsePersonName({ given: "Maria", middle: "J", surname: "Garcia Lopez" });
    expect(parsePersonName({ name: "GARCIA LOPEZ, MARIA J" })).toEqual(parts);
    expect(parsePersonName({ name: "María J. García López" })).not.toEqual(parts); // natural order: one surname word
  });
});

describe("normaliseOrganisationName", () => {
  it.each([
    ["Acme Trading, L.L.C.", "ACME TRADING"],
    ["ACME TRADING LLC", "ACME TRADING"],
    ["Acme Trading Limited Liability Company", "ACME TRADING"],
    ["The Smith & Wesson Co.", "SMITH AND WESSON"],
    ["Smith and Wesson Company", "SMITH AND WESSON"],
    ["Johnson & Co.", "JOHNSON"],
    ["Müller GmbH & Co. KG", "MULLER"],
    ["Siemens AG", "SIEMENS"],
    ["Grupo Bimbo, S.A.B. de C.V.", "GRUPO BIMBO"],
    ["Constructora del Norte, S.A. de C.V.", "CONSTRUCTORA DEL NORTE"],
    ["Acme S. de R.L. de C.V.", "ACME"],
    ["J.P. Morgan Chase & Co.", "JP MORGAN CHASE"],
    ["Bank of America, N.A.", "BANK OF AMERICA"],
    ["Samsung Electronics Co., Ltd.", "SAMSUNG ELECTRONICS"],
    ["BHP Group Pty Ltd", "BHP GROUP"],
    ["Polska Firma Sp. z o.o.", "POLSKA FIRMA"],
    ["Philips N.V.", "PHILIPS"],
    ["Nokia Oyj", "NOKIA"],
    ["Vestas Wind Systems A/S", "VESTAS WIND SYSTEMS"],
    ["Renault S.A.S.", "RENAULT"],
    ["OOO Romashka", "ROMASHKA"],
    ["Beatles, The", "BEATLES"],
    ["Acme Ltd dba Best Widgets", "ACME"],
    ["Coca-Cola Company", "COCA COLA"],
    ["Acme Corporation", "ACME"],
    ["Acme, Incorporated", "ACME"],
    // A legal form alone is a name, not nothing.
    ["Inc.", "INC"],
    ["", null],
  ])("%j → %j", (name, expected) => {
    expect(normaliseOrganisationName(name)).toBe(expected);
  });
});

describe("looksLikeOrganisation", () => {
  it.each([
    ["Acme Trading LLC", true],
    ["Acme, Inc.", true],
    ["First National Bank", true],
    ["Smith & Sons", true],
    ["Grupo Bimbo SAB de CV", true],
    ["OOO Romashka", true],
    ["The Acme Company", true],
    ["Global Holdings", true],
    ["John Smith", false],
    ["SMITH, JOHN A", false],
    ["José Sá", false],
    ["Maria de la Paz", false],
    ["Dr. Jane Doe-Smith Jr.", false],
  ])("%j: %s", (name, expected) => {
    expect(looksLikeOrganisation(name)).toBe(expected);
  });
});
