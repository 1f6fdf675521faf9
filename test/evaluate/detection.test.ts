import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAlertsFile } from "../../src/evaluate/alerts-file.js";
import { type DetectionReport, scoreDetection, worldTruth } from "../../src/evaluate/detection.js";
import { readTruthDir } from "../../src/evaluate/truth-dir.js";

const AML = "a".repeat(64); // transactions.csv
const GENERIC = "b".repeat(64); // transactions-generic.csv: the same transactions on the same lines
const PARTIES = "c".repeat(64);
const ELSEWHERE = "d".repeat(64); // a file that is not part of the world

/**
 * A small world. fan-in: two instances (lines 2, 3 and line 4); cycle: one instance (lines 10–12).
 * Hard negatives: a payroll processor and two busy merchants.
 */
const TRUTH: Record<string, string> = {
  "manifest.json": JSON.stringify({
    generator: "moneytrail-generate",
    version: 1,
    seed: 7,
    start: "2022-09-01",
    days: 30,
    options: { accounts: 50 },
    files: [
      { name: "transactions.csv", format: "amlworld", sha256: AML, rows: 40 },
      {
        name: "transactions-generic.csv",
        format: "csv",
        mapping: "transactions-generic.mapping.yaml",
        sha256: GENERIC,
        rows: 40,
      },
      { name: "parties.csv", format: "parties", mapping: "parties.mapping.yaml", sha256: PARTIES, rows: 2 },
    ],
  }),
  "instances.csv": [
    "instance,typology,variant,accounts,transactions,first,last",
    "fan-in-0001,fan-in,max 2-degree,3,2,2022-09-01T00:00:00Z,2022-09-02T00:00:00Z",
    "fan-in-0002,fan-in,S1,1,1,2022-09-03T00:00:00Z,2022-09-03T00:00:00Z",
    "cycle-0001,cycle,3-cycle,3,3,2022-09-04T00:00:00Z,2022-09-06T00:00:00Z",
  ].join("\n"),
  "transactions.csv": [
    "line,id,typology,instance",
    "2,T2,fan-in,fan-in-0001",
    "3,T3,fan-in,fan-in-0001",
    "4,T4,fan-in,fan-in-0002",
    "10,T10,cycle,cycle-0001",
    "11,T11,cycle,cycle-0001",
    "12,T12,cycle,cycle-0001",
  ].join("\n"),
  "accounts.csv": [
    "account,typology,instance,role",
    "001:H1,fan-in,fan-in-0001,hub",
    "001:S1,fan-in,fan-in-0001,originator",
    "001:S2,fan-in,fan-in-0001,originator",
    "001:H2,fan-in,fan-in-0002,hub",
    "002:C1,cycle,cycle-0001,member",
    "002:C2,cycle,cycle-0001,member",
    "002:C3,cycle,cycle-0001,member",
  ].join("\n"),
  "hard-negatives.csv": [
    "account,kind,resembles",
    "003:P1,payroll-processor,fan-out",
    "003:M1,busy-merchant,fan-in;structuring",
    "003:M2,busy-merchant,fan-in",
  ].join("\n"),
  "parties.csv": "source,record_id,entity_id\nparties.csv,R1,E1\nparties.csv,R2,E1\n",
};

const ref = (file: string, line: number) => ({ file, line });
const alert = (
  typology: string,
  subjects: object[],
  transactions: string[],
  sources: { file: string; line: number }[],
) => ({
  id: `alr_${typology}`,
  typology,
  score: 0.9,
  severity: "high",
  status: "new",
  detectors: [`${typology}@1`],
  subjects,
  transactions,
  sources,
  window: { from: "2022-09-01T00:00:00Z", to: "2022-09-30T00:00:00Z" },
  amount_usd: 1000,
  reasons: [],
  params: {},
});

const ALERTS = [
  // Lines 2 and 3 through either file, line 20 (a legitimate transaction); M1 is a busy merchant.
  alert(
    "fan-in",
    [
      { account: "001:H1", role: "hub" },
      { account: "001:S1", role: "originator" },
      { account: "003:M1", role: "beneficiary" },
    ],
    ["T2", "T3", "T20"],
    [ref(AML, 2), ref(GENERIC, 3), ref(AML, 20)],
  ),
  // Line 10, and one transaction from outside the world; X9 is nobody's.
  alert(
    "cycle",
    [
      { account: "002:C1", role: "member" },
      { account: "002:C2", role: "member" },
      { account: "004:X9", role: "member" },
    ],
    ["T10", "Q5"],
    [ref(AML, 10), ref(ELSEWHERE, 5)],
  ),
  // A typology the world did not plant. Line 4 is fan-in-0002's; the third transaction has no SourceRef.
  alert(
    "structuring",
    [{ account: "003:M1", role: "hub" }],
    ["T4", "T30", "T31"],
    [ref(GENERIC, 4), ref(GENERIC, 30)],
  ),
  // An entity as subject: the truth knows accounts only.
  alert("fan-in", [{ entity: "ent_1", role: "hub" }], [], []),
];

// A temporary folder of our own: test/helpers.ts would load the whole CLI, which these tests do not need.
const t = { dir: mkdtempSync(join(tmpdir(), "mt-eval-")) };
let report: DetectionReport;

beforeAll(async () => {
  const truthDir = join(t.dir, "world", "truth");
  mkdirSync(truthDir, { recursive: true });
  for (const [name, content] of Object.entries(TRUTH)) writeFile(truthDir, name, content);
  const alertsPath = writeFile(t.dir, "alerts.jsonl", `${ALERTS.map((a) => JSON.stringify(a)).join("\n")}\n`);
  report = scoreDetection(
    worldTruth(await readTruthDir(join(t.dir, "world"))),
    await readAlertsFile(alertsPath),
  );
});
afterAll(() => rmSync(t.dir, { recursive: true, force: true }));

function writeFile(folder: string, name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

const typology = (id: string) => report.typologies.find((s) => s.typology === id);

describe("detection scored against a planted world", () => {
  it("counts alerts and what it cannot score", () => {
    // cycle: one SourceRef into another file; structuring: one transaction without a SourceRef.
    expect(report.alerts).toBe(4);
    expect(report.outside_world).toBe(2);
    expect(report.entity_subjects).toBe(1);
  });

  it("scores fan-in by transaction lines from either file, and by accounts", () => {
    // Predicted lines {2,3,20}, actual {2,3,4}: tp 2, P 2/3, R 2/3, F1 2/3.
    // Accounts: predicted {H1,S1,M1}, actual {H1,S1,S2,H2}: tp 2, P 2/3, R 1/2, F1 2·2/(3+4) = 4/7.
    const fanIn = typology("fan-in");
    expect(fanIn?.transactions).toMatchObject({ tp: 2, predicted: 3, actual: 3 });
    expect(fanIn?.transactions.precision).toBeCloseTo(2 / 3, 12);
    expect(fanIn?.transactions.f1).toBeCloseTo(2 / 3, 12);
    expect(fanIn?.accounts).toMatchObject({ tp: 2, predicted: 3, actual: 4, recall: 0.5 });
    expect(fanIn?.accounts.f1).toBeCloseTo(4 / 7, 12);
  });

  it("counts instances found by their own typology and flagged by any alert", () => {
    // fan-in-0001 (lines 2, 3) is in a fan-in alert; fan-in-0002 (line 4) only in the structuring one.
    expect(typology("fan-in")).toMatchObject({ instances: 2, instances_found: 1, instances_flagged_any: 2 });
    expect(typology("cycle")).toMatchObject({ instances: 1, instances_found: 1, instances_flagged_any: 1 });
  });

  it("scores cycle: one of three lines, two of three accounts", () => {
    // Lines {10} of {10,11,12}: P 1, R 1/3, F1 2·1/(1+3) = 0.5. Accounts {C1,C2,X9} of {C1,C2,C3}: 2/3 each.
    const cycle = typology("cycle");
    expect(cycle?.transactions).toMatchObject({ tp: 1, predicted: 1, actual: 3, precision: 1, f1: 0.5 });
    expect(cycle?.accounts).toMatchObject({ tp: 2, predicted: 3, actual: 3 });
    expect(cycle?.accounts.f1).toBeCloseTo(2 / 3, 12);
  });

  it("lists a typology the truth lacks, with precision 0 and no recall", () => {
    expect(typology("structuring")).toEqual({
      typology: "structuring",
      instances: 0,
      instances_found: 0,
      instances_flagged_any: 0,
      transactions: { tp: 0, predicted: 2, actual: 0, precision: 0, recall: null, f1: null },
      accounts: { tp: 0, predicted: 1, actual: 0, precision: 0, recall: null, f1: null },
    });
    // In the contract's order: fan-in, cycle, then structuring.
    expect(report.typologies.map((s) => s.typology)).toEqual(["fan-in", "cycle", "structuring"]);
  });

  it("scores overall regardless of typology", () => {
    // Lines {2,3,20,10,4,30} against {2,3,4,10,11,12}: tp 4, P = R = F1 = 4/6.
    // Accounts {H1,S1,M1,C1,C2,X9} against {H1,S1,S2,H2,C1,C2,C3}: tp 4, P 4/6, R 4/7, F1 8/13.
    const { transactions, accounts } = report.overall;
    expect(transactions).toMatchObject({ tp: 4, predicted: 6, actual: 6 });
    expect(transactions.f1).toBeCloseTo(2 / 3, 12);
    expect(accounts).toMatchObject({ tp: 4, predicted: 6, actual: 7 });
    expect(accounts.recall).toBeCloseTo(4 / 7, 12);
    expect(accounts.f1).toBeCloseTo(8 / 13, 12);
  });

  it("sums the eight graph patterns together (micro-averaged), leaving other typologies out", () => {
    const patterns = report.typologies.filter((t) => t.typology === "fan-in" || t.typology === "cycle");
    const sum = (f: (t: (typeof patterns)[number]) => number) => patterns.reduce((n, t) => n + f(t), 0);
    expect(report.graph_patterns.transactions).toMatchObject({
      tp: sum((t) => t.transactions.tp),
      predicted: sum((t) => t.transactions.predicted),
      actual: sum((t) => t.transactions.actual),
    });
    expect(report.graph_patterns.accounts.actual).toBe(sum((t) => t.accounts.actual));
    // Structuring is no graph pattern: its transactions are not in the sum.
    const structuring = report.typologies.find((t) => t.typology === "structuring");
    expect(structuring?.transactions.predicted).toBeGreaterThan(0);
    expect(report.graph_patterns.transactions.predicted).toBe(
      report.typologies.reduce((n, t) => n + t.transactions.predicted, 0) -
        (structuring?.transactions.predicted ?? 0),
    );
  });

  it("reports false alarms on hard negatives per kind", () => {
    expect(report.hard_negatives).toEqual([
      {
        kind: "busy-merchant",
        resembles: ["fan-in", "structuring"],
        accounts: 2,
        alerted: 1,
        typologies: ["fan-in", "structuring"],
      },
      { kind: "payroll-processor", resembles: ["fan-out"], accounts: 1, alerted: 0, typologies: [] },
    ]);
  });
});
