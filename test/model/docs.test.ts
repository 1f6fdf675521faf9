import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Account } from "../../src/model/account.js";
import { Entity, Finding } from "../../src/model/analysis.js";
import { Party } from "../../src/model/party.js";
import { FileFingerprint, QuarantinedRow, SourceFile } from "../../src/model/source.js";
import { Transaction, TruthLabel } from "../../src/model/transaction.js";

const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "model.md"), "utf8");

describe("docs/model.md keeps up with the model", () => {
  it.each([
    ["Transaction", Transaction],
    ["TruthLabel", TruthLabel],
    ["Account", Account],
    ["Party", Party],
    ["SourceFile", SourceFile],
    ["QuarantinedRow", QuarantinedRow],
    ["FileFingerprint", FileFingerprint],
    ["Entity", Entity],
    ["Finding", Finding],
  ] as const)("%s: every field is documented", (_name, schema) => {
    const missing = Object.keys(schema.shape).filter((field) => !doc.includes(`\`${field}\``));
    expect(missing).toEqual([]);
  });
});
