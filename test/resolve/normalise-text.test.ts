import { describe, expect, it } from "vitest";
import { foldOrNull, foldText, words } from "../../src/resolve/normalise/text.js";

describe("foldText", () => {
  it.each([
    ["José Núñez", "JOSE NUNEZ"],
    ["O'Brien", "OBRIEN"],
    ["O’Brien", "OBRIEN"],
    ["McDonald", "MCDONALD"],
    ["Doe-Smith", "DOE SMITH"],
    ["  john   smith  ", "JOHN SMITH"],
    ["SMITH, JOHN A.", "SMITH JOHN A"],
    ["Straße", "STRASSE"],
    ["Ærøskøbing", "AEROSKOBING"],
    ["Œuvre", "OEUVRE"],
    ["Łukasz Żółć", "LUKASZ ZOLC"],
    ["Đorđe Đoković", "DORDE DOKOVIC"],
    ["Þórunn Ðóra", "THORUNN DORA"],
    ["İstanbul ılık", "ISTANBUL ILIK"],
    ["Nguyễn Văn Thủy", "NGUYEN VAN THUY"],
    ["Ştefan Ţiriac", "STEFAN TIRIAC"],
    ["François Müller-Lüdenscheidt", "FRANCOIS MULLER LUDENSCHEIDT"],
    ["Владимир Путин", "VLADIMIR PUTIN"],
    ["Щукин Юрий", "SHCHUKIN YURIY"],
    ["Σωκράτης", "SOKRATIS"],
    ["ＡＢＣ　１２３", "ABC 123"],
    ["Müller & Söhne", "MULLER AND SOHNE"],
    ["AT&T", "AT AND T"],
    ["Jose\u0301", "JOSE"], // decomposed: e + combining acute
    ["l.l.c.", "L L C"],
    ["123 N. Main St., Apt #4B", "123 N MAIN ST APT 4B"],
    ["", ""],
    ["--", ""],
    ["漢字", ""],
  ])("%j → %j", (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it("keeps # as a word of its own when asked (addresses)", () => {
    expect(foldText("123 Main St #4B", true)).toBe("123 MAIN ST # 4B");
    expect(foldText("Apt#5", true)).toBe("APT # 5");
  });

  it("returns an already folded input itself", () => {
    const folded = "JOHN A SMITH";
    expect(foldText(folded)).toBe(folded);
  });

  it("is idempotent", () => {
    for (const s of ["José Núñez", "O'Brien & Co.", "Łódź, PL", "  a  b  "]) {
      expect(foldText(foldText(s))).toBe(foldText(s));
    }
  });

  it("handles text longer than its buffer", () => {
    const long = "Ålesund ".repeat(200);
    expect(foldText(long)).toBe(Array(200).fill("ALESUND").join(" "));
  });
});

describe("words and foldOrNull", () => {
  it("splits folded text into words; nothing for empty text", () => {
    expect(words("DE LA CRUZ")).toEqual(["DE", "LA", "CRUZ"]);
    expect(words("")).toEqual([]);
  });

  it("is null for null, blank or punctuation only", () => {
    expect(foldOrNull(null)).toBeNull();
    expect(foldOrNull(undefined)).toBeNull();
    expect(foldOrNull(" . ")).toBeNull();
    expect(foldOrNull("ok")).toBe("OK");
  });
});
