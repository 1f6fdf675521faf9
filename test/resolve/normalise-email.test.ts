import { describe, expect, it } from "vitest";
import { normaliseEmail } from "../../src/resolve/normalise/email.js";

describe("normaliseEmail", () => {
  it.each<[string | null, string | null]>([
    ["john.doe+bank@gmail.com", "johndoe@gmail.com"],
    ["John.Doe@GMAIL.COM", "johndoe@gmail.com"],
    ["j.o.h.n.doe@googlemail.com", "johndoe@gmail.com"],
    ["  jane.doe@example.com ", "jane.doe@example.com"],
    ["Jane.Doe+Statements@Outlook.com", "jane.doe@outlook.com"],
    ["JANE_DOE@YAHOO.COM", "jane_doe@yahoo.com"],
    ["mailto:jane@example.org", "jane@example.org"],
    ["Jane Doe <Jane@Example.org>", "jane@example.org"],
    ["jane@mail.example.co.uk.", "jane@mail.example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    // Not addresses.
    ["jane.doe", null],
    ["@example.com", null],
    ["jane@", null],
    ["jane@localhost", null],
    ["jane@exa mple.com", null],
    ["jane doe@example.com", null],
    ["jane@-example.com", null],
    ["jane@example.c0m", null],
    ["+tag@example.com", null],
    ["josé@example.com", null],
    ["", null],
    [null, null],
  ])("%j → %j", (text, expected) => {
    expect(normaliseEmail(text)).toBe(expected);
  });
});
