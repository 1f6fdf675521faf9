import { describe, expect, it } from "vitest";
import { beforeFor, codePointBefore } from "../../src/util/code-point-order.js";
import { random } from "../graph/columns-of.js";

/** The store's order: UTF-8 bytes. */
const utf8Before = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y)) < 0;

// Characters either side of where UTF-16 and code point order part: ASCII, below and past the
// surrogates, U+E000–U+FFFF, and past U+FFFF (two surrogates, some sharing the first).
const CHARS = [
  "a",
  "z",
  "é",
  "\uD7FF",
  "\uE000",
  "\uFE0F",
  "\uFFFD",
  "\u{1F600}",
  "\u{1F601}",
  "\u{10000}",
  "\u{2A6D6}",
];

function texts(seed: number, n: number): string[] {
  const r = random(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: Math.floor(r() * 4) }, () => CHARS[Math.floor(r() * CHARS.length)]).join(""),
  );
}

describe("codePointBefore", () => {
  it("orders texts as their UTF-8 bytes do, where `<` does not", () => {
    expect("\u{1F600}" < "\uFFFD").toBe(true);
    expect(codePointBefore("\u{1F600}", "\uFFFD")).toBe(false);
    expect(codePointBefore("Caf\uFFFD", "Caf\u{1F600}")).toBe(true);
    const all = texts(3, 400);
    for (const x of all)
      for (const y of all.slice(0, 60)) expect(codePointBefore(x, y)).toBe(utf8Before(x, y));
  });
});

describe("beforeFor", () => {
  it("compares in code point order with any text when the other list has units past U+D7FF, by `<` when not", () => {
    const plain = ["a", "zé", "\uD7FFa"];
    const all = texts(5, 200);
    for (const x of all) {
      for (const y of plain) expect(beforeFor(plain)(x, y)).toBe(utf8Before(x, y));
      for (const y of all.slice(0, 40)) expect(beforeFor(all)(x, y)).toBe(utf8Before(x, y));
    }
  });
});
