import { describe, expect, it } from "vitest";
import { splitCsvLine } from "../../src/ingest/csv-line.js";
import { parseTimeFormat, unicodeToStrptime } from "../../src/ingest/date-pattern.js";
import { loadFxTable } from "../../src/ingest/fx.js";
import { stripCrBeforeLf } from "../../src/ingest/normalise-newlines.js";
import { sniffDialect } from "../../src/ingest/sniff.js";
import { resolveWorkspaceDir } from "../../src/store/workspace.js";

describe("Unicode date patterns become strptime formats", () => {
  it.each([
    ["yyyy/MM/dd HH:mm", "%Y/%m/%d %H:%M"],
    ["dd.MM.yyyy", "%d.%m.%Y"],
    ["M/d/yy h:mm a", "%-m/%-d/%y %-I:%M %p"],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "%Y-%m-%dT%H:%M:%S.%g%z"],
    ["d MMM yyyy", "%-d %b %Y"],
    ["yyyy-MM-dd 'at' HH'h'", "%Y-%m-%d at %Hh"],
    ["''yy''", "'%y'"],
    ["100% yyyy", "100%% %Y"],
  ])("%s → %s", (pattern, strptime) => {
    expect(unicodeToStrptime(pattern).strptime).toBe(strptime);
  });

  it("knows zones and the special formats", () => {
    expect(unicodeToStrptime("yyyy-MM-ddXXX")).toMatchObject({ hasZone: true, zuluSuffix: true });
    expect(unicodeToStrptime("yyyy-MM-ddZ")).toMatchObject({ hasZone: true, zuluSuffix: false });
    expect(parseTimeFormat("unix-ms")).toEqual({ kind: "unix-ms" });
    expect(parseTimeFormat("days-since:2020-01-01")).toEqual({ kind: "days-since", epoch: "2020-01-01" });
    expect(() => parseTimeFormat("days-since:yesterday")).toThrow(/days-since needs a date/);
    expect(() => parseTimeFormat("yyyy-QQ")).toThrow(/unknown field "Q"/);
    expect(() => parseTimeFormat("yyyy 'oops")).toThrow(/never closes/);
  });
});

describe("CSV lines split like RFC 4180", () => {
  it.each([
    ["a,b,c", ",", ["a", "b", "c"]],
    ['a,"b,c",d', ",", ["a", "b,c", "d"]],
    ['"say ""hi""",x', ",", ['say "hi"', "x"]],
    ["O'Brien;12", ";", ["O'Brien", "12"]],
    ["a,,", ",", ["a", "", ""]],
  ])("%s", (line, delimiter, fields) => {
    expect(splitCsvLine(line, delimiter, '"')).toEqual(fields);
  });
  it("returns null when a quote never closes", () => {
    expect(splitCsvLine('a,"b,c', ",", '"')).toBeNull();
  });
});

describe("dialect sniffing", () => {
  it.each([
    ["a,b,c\n1,2,3\n", ",", ["a", "b", "c"]],
    ["\uFEFFa;b;c\r\n1;2,5;3\r\n", ";", ["a", "b", "c"]],
    ["a\tb\n1\t2\n", "\t", ["a", "b"]],
    ['name|amount\n"Smith | Co"|5\n', "|", ["name", "amount"]],
    ["\n\n a , b \n1,2\n", ",", ["a", "b"]],
  ])("%j", (head, delimiter, header) => {
    const d = sniffDialect(head);
    expect(d.delimiter).toBe(delimiter);
    expect(d.header).toEqual(header);
  });
  it("numbers the header line after blank lines", () => {
    expect(sniffDialect("\n\na,b\n1,2\n").headerLine).toBe(3);
  });
  it("refuses an empty file", () => {
    expect(() => sniffDialect("", {}, "x.csv")).toThrow(/x\.csv: the file is empty/);
  });
});

describe("CRLF to LF", () => {
  it("drops only the CRs that end lines, across chunk boundaries", () => {
    const chunks = ["a,b\r\n1,2\r", "\n3,\r4\n5\r", "6\r\n"].map((s) => Buffer.from(s));
    let carry = false;
    let out = "";
    for (const c of chunks) {
      const r = stripCrBeforeLf(c, carry);
      out += r.out.toString();
      carry = r.carryCr;
    }
    expect(out).toBe("a,b\n1,2\n3,\r4\n5\r6\n");
  });
});

describe("FX table", () => {
  it("ships the AMLworld currencies by name and code", () => {
    const fx = loadFxTable();
    const names = [
      "US Dollar",
      "Euro",
      "Yuan",
      "Yen",
      "Rupee",
      "Ruble",
      "Swiss Franc",
      "Shekel",
      "Canadian Dollar",
      "Australian Dollar",
      "Mexican Peso",
      "Brazil Real",
      "Saudi Riyal",
      "UK Pound",
      "Bitcoin",
    ];
    for (const n of names) {
      const code = fx.aliases.get(n.toUpperCase());
      expect(code, n).toMatch(/^[A-Z]{3}$/);
      expect(fx.aliases.get(code as string)).toBe(code);
      expect(
        fx.rates.some((r) => r.currency === code && r.date <= "2022-09-01"),
        n,
      ).toBe(true);
    }
    expect(fx.version).toMatch(/^\d{4}\.\d{2}-\d+$/);
  });
});

describe("workspace resolution", () => {
  it("takes the flag, else the environment, else ./moneytrail-workspace", () => {
    expect(resolveWorkspaceDir("/a", { MONEYTRAIL_WORKSPACE: "/b" })).toBe("/a");
    expect(resolveWorkspaceDir(undefined, { MONEYTRAIL_WORKSPACE: "/b" })).toBe("/b");
    expect(resolveWorkspaceDir(undefined, {})).toBe(`${process.cwd()}/moneytrail-workspace`);
  });
});
