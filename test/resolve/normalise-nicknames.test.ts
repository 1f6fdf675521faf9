import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  canonicalGivenName,
  defaultNicknames,
  parseNicknames,
  sameGivenName,
} from "../../src/resolve/normalise/nicknames.js";

const CSV = join(import.meta.dirname, "..", "..", "data", "resolve", "nicknames.csv");

describe("the shipped nickname list", () => {
  const list = defaultNicknames();

  it("is versioned and broad", () => {
    expect(list.version).toBe("2026-11-30");
    const rows = readFileSync(CSV, "utf8")
      .split("\n")
      .filter((l) => l.includes(",") && !l.startsWith("#"));
    expect(rows.length).toBeGreaterThan(500);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it.each([
    ["BILL", "WILLIAM"],
    ["BILLY", "WILLIAM"],
    ["WILL", "WILLIAM"],
    ["LIAM", "WILLIAM"],
    ["BOB", "ROBERT"],
    ["ROBBIE", "ROBERT"],
    ["PEGGY", "MARGARET"],
    ["DICK", "RICHARD"],
    ["PEPE", "JOSE"],
    ["PACO", "FRANCISCO"],
    ["PANCHO", "FRANCISCO"],
    ["LUPE", "GUADALUPE"],
    ["CHUCHO", "JESUS"],
    ["CHUY", "JESUS"],
    ["NACHO", "IGNACIO"],
    // Several canonicals: the usual one, listed first.
    ["ALEX", "ALEXANDER"],
    ["WILL", "WILLIAM"],
    ["JACK", "JOHN"],
    // A full name that is also listed as a nickname keeps itself.
    ["CATHERINE", "CATHERINE"],
    // A canonical name maps to itself, and an unknown name too.
    ["WILLIAM", "WILLIAM"],
    ["XOCHITL", "XOCHITL"],
  ])("%s → %s", (name, canonical) => {
    expect(canonicalGivenName(name, list)).toBe(canonical);
  });

  it.each([
    ["BILL", "WILLIAM", true],
    ["BILL", "WILL", true],
    ["ALEX", "ALEXANDRA", true],
    ["ALEX", "ALEXANDER", true],
    ["SANDY", "ALEX", true],
    ["KATE", "CATHERINE", true],
    ["CATHERINE", "KATHERINE", true],
    ["PEPE", "JOSE", true],
    ["JOHN", "JOHN", true],
    ["ALEXANDER", "ALEXANDRA", false],
    ["JOHN", "JAMES", false],
    ["BILL", "ROBERT", false],
    ["SANDRA", "ALEJANDRA", false],
    ["XOCHITL", "JOSE", false],
  ])("sameGivenName(%s, %s) = %s, both ways", (a, b, same) => {
    expect(sameGivenName(a, b, list)).toBe(same);
    expect(sameGivenName(b, a, list)).toBe(same);
  });
});

describe("parseNicknames", () => {
  it("folds names, gives every name its sorted canonicals and a key, a canonical in its own set", () => {
    const list = parseNicknames(
      "# version: v1 test\nnickname,canonical\n# comment\nAlex,Alexandra\nalex,Alexander\n\nSasha,Alexander\nKate,Catherine\nCatherine,Katherine\n",
    );
    expect(list.version).toBe("v1");
    expect(list.canonicals.get("ALEX")).toEqual(["ALEXANDER", "ALEXANDRA"]);
    expect(list.canonicals.get("ALEXANDER")).toEqual(["ALEXANDER"]);
    expect(list.canonicals.get("CATHERINE")).toEqual(["CATHERINE", "KATHERINE"]);
    expect(canonicalGivenName("ALEX", list)).toBe("ALEXANDRA"); // its first row
    expect(canonicalGivenName("CATHERINE", list)).toBe("CATHERINE");
    expect(canonicalGivenName("KATE", list)).toBe("CATHERINE");
    expect(sameGivenName("SASHA", "ALEXANDRA", list)).toBe(false);
    // Not transitive: KATE → CATHERINE and CATHERINE → KATHERINE do not make KATE a KATHERINE.
    expect(sameGivenName("KATE", "KATHERINE", list)).toBe(false);
  });

  it.each([
    ["nickname,canonical\nBILL,WILLIAM\n", /first line/],
    ["# version: 1\nBILL,WILLIAM\n", /header/],
    ["# version: 1\nnickname,canonical\nBILL\n", /:3: expected/],
    ["# version: 1\nnickname,canonical\nBILL,WILLIAM,X\n", /:3: expected/],
    ["# version: 1\n", /no header/],
  ])("rejects a malformed file: %j", (text, message) => {
    expect(() => parseNicknames(text)).toThrow(message);
  });
});
