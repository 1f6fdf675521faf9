import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readAlertsFile } from "../../src/evaluate/alerts-file.js";
import { readEntitiesFile } from "../../src/evaluate/entities-file.js";
import { readTruthDir } from "../../src/evaluate/truth-dir.js";
import { UnusableInputError } from "../../src/ingest/errors.js";

const MANIFEST = {
  generator: "moneytrail-generate",
  version: 1,
  seed: 1,
  start: "2022-09-01",
  days: 10,
  options: {},
  files: [{ name: "transactions.csv", format: "amlworld", sha256: "a".repeat(64), rows: 9 }],
};
const VALID: Record<string, string> = {
  "manifest.json": JSON.stringify(MANIFEST),
  "instances.csv":
    "instance,typology,variant,accounts,transactions,first,last\n" +
    "cycle-0001,cycle,3-cycle,3,1,2022-09-01T00:00:00Z,2022-09-01T00:00:00Z\n",
  "transactions.csv": "line,id,typology,instance\r\n5,T5,cycle,cycle-0001\r\n",
  "accounts.csv": "account,typology,instance,role\n001:A,cycle,cycle-0001,member\n",
  "hard-negatives.csv":
    "account,kind,resembles\n002:B,rent-collector,fan-in;structuring\n002:C,cash-business,\n",
  "parties.csv": "source,record_id,entity_id\nparties.csv,R1,E1",
};

// A temporary folder of our own: test/helpers.ts would load the whole CLI, which these tests do not need.
const t = { dir: mkdtempSync(join(tmpdir(), "mt-eval-in-")) };
afterAll(() => rmSync(t.dir, { recursive: true, force: true }));

function writeFile(folder: string, name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}
let n = 0;

/** A truth folder (`<world>/truth`) from VALID with some files replaced (a null removes one); returns the world. */
function world(changes: Record<string, string | null> = {}): string {
  n += 1;
  const dir = join(t.dir, `world-${n}`);
  mkdirSync(join(dir, "truth"), { recursive: true });
  for (const [name, content] of Object.entries({ ...VALID, ...changes }))
    if (content !== null) writeFile(join(dir, "truth"), name, content);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UnusableInputError); // the CLI exits 2 on these
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("reading a truth folder", () => {
  it("reads every file, from the world folder or from truth/ itself", async () => {
    const dir = world();
    const truth = await readTruthDir(dir);
    expect(truth.dir).toBe(join(dir, "truth"));
    expect(truth.manifest.seed).toBe(1);
    expect(truth.transactions).toEqual([{ line: 5, id: "T5", typology: "cycle", instance: "cycle-0001" }]);
    expect(truth.accounts).toEqual([
      { account: "001:A", typology: "cycle", instance: "cycle-0001", role: "member" },
    ]);
    expect(truth.instances[0]).toMatchObject({ instance: "cycle-0001", accounts: 3, transactions: 1 });
    expect(truth.hardNegatives).toEqual([
      { account: "002:B", kind: "rent-collector", resembles: ["fan-in", "structuring"] },
      { account: "002:C", kind: "cash-business", resembles: [] },
    ]);
    // The last line has no line break and still counts.
    expect(truth.parties).toEqual([{ source: "parties.csv", record_id: "R1", entity_id: "E1" }]);
    expect((await readTruthDir(join(dir, "truth"))).dir).toBe(join(dir, "truth"));
  });

  it("names the folder or the manifest when they are missing", async () => {
    expect((await failure(readTruthDir(join(t.dir, "nowhere")))).message).toMatch(
      /truth directory .*nowhere: not found/,
    );
    const dir = world({ "manifest.json": null });
    expect((await failure(readTruthDir(dir))).message).toMatch(
      /truth manifest .*truth\/manifest\.json: not found/,
    );
  });

  it("names the manifest when it is not JSON or not a moneytrail-generate manifest", async () => {
    expect((await failure(readTruthDir(world({ "manifest.json": "{" })))).message).toMatch(
      /manifest\.json: not readable JSON/,
    );
    const wrong = world({ "manifest.json": JSON.stringify({ ...MANIFEST, version: 2 }) });
    expect((await failure(readTruthDir(wrong))).message).toMatch(/manifest\.json: .*version/);
  });

  it("names a missing truth file", async () => {
    const error = await failure(readTruthDir(world({ "hard-negatives.csv": null })));
    expect(error.message).toMatch(/truth file .*hard-negatives\.csv: not found/);
  });

  it("names the file whose header is wrong, with the header it expects", async () => {
    const error = await failure(
      readTruthDir(world({ "accounts.csv": "account,typology,instance\n001:A,cycle,cycle-0001\n" })),
    );
    expect(error.message).toMatch(
      /accounts\.csv: the header must be exactly "account,typology,instance,role"/,
    );
  });

  it("names file and line of a bad row", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { "transactions.csv": "line,id,typology,instance\n5,T5,cycle,cycle-0001\n6,T6,cycle,cycle-0009\n" },
        /transactions\.csv:3: instance "cycle-0009" is not in instances\.csv/,
      ],
      [
        { "transactions.csv": "line,id,typology,instance\n5,T5,fan-in,cycle-0001\n" },
        /transactions\.csv:2: instance "cycle-0001" is cycle in instances\.csv, not fan-in/,
      ],
      [
        { "transactions.csv": "line,id,typology,instance\n1,T5,cycle,cycle-0001\n" },
        /transactions\.csv:2: line 1 is the header/,
      ],
      [
        { "accounts.csv": "account,typology,instance,role\n001:A,cycle,cycle-0001,boss\n" },
        /accounts\.csv:2: role "boss"/,
      ],
      [
        { "hard-negatives.csv": "account,kind,resembles\n002:B,rent-collector,fan-inn\n" },
        /hard-negatives\.csv:2: "fan-inn" is not a typology/,
      ],
      [
        { "parties.csv": "source,record_id,entity_id\np,R1,E1\np,R1,E2\n" },
        /parties\.csv:3: record p\/R1 is listed twice/,
      ],
      [{ "parties.csv": "source,record_id,entity_id\np,R1\n" }, /parties\.csv:2: expected 3 fields/],
    ];
    for (const [changes, message] of cases)
      expect((await failure(readTruthDir(world(changes)))).message).toMatch(message);
  });
});

describe("reading predictions", () => {
  it("reads alerts as JSON lines, only the fields it scores being required", async () => {
    const path = writeFile(
      t.dir,
      "alerts.jsonl",
      `${JSON.stringify({ typology: "cycle", subjects: [{ account: "001:A", role: "member" }], transactions: ["T5"], sources: [{ file: "a".repeat(64), line: 5 }] })}\n\n`,
    );
    expect(await readAlertsFile(path)).toEqual([
      {
        typology: "cycle",
        subjects: [{ account: "001:A", role: "member" }],
        transactions: ["T5"],
        sources: [{ file: "a".repeat(64), line: 5 }],
      },
    ]);
  });

  it("names file and line of an alert that is not JSON or not an alert", async () => {
    const bad = writeFile(
      t.dir,
      "bad.jsonl",
      '{"typology":"cycle","subjects":[],"transactions":[],"sources":[]}\nnope\n',
    );
    expect((await failure(readAlertsFile(bad))).message).toMatch(/alerts file .*bad\.jsonl:2: not JSON/);
    const partial = writeFile(t.dir, "partial.jsonl", '{"typology":"cycle"}\n');
    expect((await failure(readAlertsFile(partial))).message).toMatch(
      /partial\.jsonl:1: not an alert record: .*subjects/,
    );
    expect((await failure(readAlertsFile(join(t.dir, "none.jsonl")))).message).toMatch(
      /alerts file .*none\.jsonl: not found/,
    );
  });

  it("reads entities with the contract's header, quoted values included", async () => {
    const path = writeFile(
      t.dir,
      "entities.csv",
      'source,record_id,entity_id\nkyc,R1,E1\n"kyc, west",R2,E1\n',
    );
    expect(await readEntitiesFile(path)).toEqual([
      { source: "kyc", record_id: "R1", entity_id: "E1" },
      { source: "kyc, west", record_id: "R2", entity_id: "E1" },
    ]);
  });

  it("names the entities file whose header is not exactly source,record_id,entity_id", async () => {
    const path = writeFile(t.dir, "ents.csv", "record_id,entity_id\nR1,E1\n");
    expect((await failure(readEntitiesFile(path))).message).toMatch(
      /entities file .*ents\.csv: the header must be exactly "source,record_id,entity_id"/,
    );
    rmSync(path);
    expect((await failure(readEntitiesFile(path))).message).toMatch(/ents\.csv: not found/);
    const folder = join(t.dir, "a-folder");
    mkdirSync(folder);
    expect((await failure(readEntitiesFile(folder))).message).toMatch(/a-folder: is a folder/);
  });
});
