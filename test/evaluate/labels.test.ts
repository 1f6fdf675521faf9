import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idKey, parseAmlsimAlertTransactions } from "../../src/evaluate/amlsim-alerts.js";
import { parseAmlworldPatterns, transactionKey } from "../../src/evaluate/amlworld-patterns.js";
import { labelTruth } from "../../src/evaluate/label-truth.js";
import { UnusableInputError } from "../../src/ingest/errors.js";
import type { LabelledTransaction } from "../../src/store/store.js";
import { AMLWORLD_HEADER, cli, smallAmlworldWorkspace, tempDir, withStore, writeFile } from "../helpers.js";

const currencyOf = (c: string) => ({ "US DOLLAR": "USD", EURO: "EUR", USD: "USD" })[c.trim().toUpperCase()];
const at = (iso: string) => Date.parse(iso);

// From AMLworld's published HI-Small_Patterns.txt format: a qualifier on some markers only.
const PATTERNS = `BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out
2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1
2022/09/01 04:33,021174,800737690,020,80020C5B0,8630.40,Euro,8630.40,Euro,ACH,1
END LAUNDERING ATTEMPT - FAN-OUT

BEGIN LAUNDERING ATTEMPT - STACK
2022/09/02 17:28,023691,8021353D0,015231,80266F880,1413.09,Euro,1413.09,Euro,Wire,1
END LAUNDERING ATTEMPT - STACK
`;

describe("parseAmlworldPatterns", () => {
  it("reads attempts, their qualifiers and each row's key (banks kept as text, amounts as paid)", () => {
    const blocks = parseAmlworldPatterns(PATTERNS, "p.txt", currencyOf);
    expect(blocks.map((b) => [b.typology, b.qualifier, b.line, b.rows.map((r) => r.line)])).toEqual([
      ["fan-out", "Max 16-degree Fan-Out", 1, [2, 3]],
      ["stack", "", 6, [7]],
    ]);
    expect(blocks[0]?.rows[1]?.key).toBe(
      transactionKey({
        ts: at("2022-09-01T04:33:00Z"),
        from: "021174:800737690",
        to: "020:80020C5B0",
        amount: "8630.4",
        currency: "EUR",
        channel: "ach",
      }),
    );
  });

  it("keys equal amounts alike however they are written: 10.000000 is 10", () => {
    const t = { ts: 0, from: "1:A", to: "2:B", currency: "USD", channel: "wire" };
    expect(transactionKey({ ...t, amount: "10.000000" })).toBe(transactionKey({ ...t, amount: "10" }));
    expect(transactionKey({ ...t, amount: "010.50" })).toBe(transactionKey({ ...t, amount: "10.5" }));
    expect(transactionKey({ ...t, amount: "10.05" })).not.toBe(transactionKey({ ...t, amount: "10.5" }));
  });

  it.each([
    ["2022/09/01 00:06,1,A,2,B,1,Euro,1,Euro,ACH,1\n", "p.txt: line 1: a transaction outside any attempt"],
    [
      "BEGIN LAUNDERING ATTEMPT - CYCLE\nBEGIN LAUNDERING ATTEMPT - CYCLE\n",
      "p.txt: line 2: a BEGIN marker inside",
    ],
    ["END LAUNDERING ATTEMPT - CYCLE\n", "p.txt: line 1: an END marker outside any attempt"],
    [
      "BEGIN LAUNDERING ATTEMPT - CYCLE\nEND LAUNDERING ATTEMPT - STACK\n",
      "p.txt: line 2: END STACK closes the CYCLE",
    ],
    ["BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:06,1,A\n", "p.txt: line 2: expected 10 or 11"],
    [
      "BEGIN LAUNDERING ATTEMPT - CYCLE\n01/09/2022 00:06,1,A,2,B,1,Euro,1,Euro,ACH,1\n",
      'line 2: Timestamp "01/09/2022 00:06"',
    ],
    [
      "BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:06,1,A,2,B,1,Zloty,1,Zloty,ACH,1\n",
      'line 2: Payment Currency "Zloty"',
    ],
    [
      "BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:06,1,A,2,B,1,Euro,1,Euro,Barter,1\n",
      'line 2: Payment Format "Barter"',
    ],
    ["BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:06,1,A,2,B,1,Euro,1,Euro,ACH,1\n", "has no END marker"],
  ])("refuses what it cannot read, naming the line: %j", (text, message) => {
    expect(() => parseAmlworldPatterns(text, "p.txt", currencyOf)).toThrow(UnusableInputError);
    expect(() => parseAmlworldPatterns(text, "p.txt", currencyOf)).toThrow(message);
  });
});

describe("labelTruth", () => {
  const F = "f".repeat(64);
  const tx = (line: number, from: string, to: string, amount: string): LabelledTransaction => ({
    id: `T${line}`,
    file: F,
    line,
    label: "1",
    ts: at("2022-09-01T00:06:00Z") + line * 60_000,
    from,
    to,
    amount,
    currency: "USD",
    channel: "ach",
  });
  const labelled = [tx(2, "1:A", "1:H", "100"), tx(3, "1:B", "1:H", "100"), tx(9, "1:X", "1:Y", "7")];
  const row = (t: LabelledTransaction, line: number) => ({ line, key: transactionKey(t) });

  it("types the labelled transactions an attempt holds; the others are `laundering`, each its own instance", () => {
    const blocks = [
      {
        typology: "fan-in",
        qualifier: "",
        line: 1,
        rows: [row(labelled[0] as LabelledTransaction, 2), row(labelled[1] as LabelledTransaction, 3)],
      },
    ];
    const { truth, files, patterns } = labelTruth(labelled, blocks);
    expect([files, patterns]).toEqual([1, { blocks: 1, rows: 2, matched: 2 }]);
    expect(truth.transactions).toEqual([
      { key: `${F}:2`, typology: "fan-in", instance: "attempt-0001" },
      { key: `${F}:3`, typology: "fan-in", instance: "attempt-0001" },
      { key: `${F}:9`, typology: "laundering", instance: `${F}:9` },
    ]);
    expect(truth.accounts).toContainEqual({ account: "1:H", typology: "fan-in" });
    expect(truth.accounts).toContainEqual({ account: "1:X", typology: "laundering" });
    expect(truth.keyOf({ file: F, line: 5 })).toBe(`${F}:5`);
    expect(truth.keyOf({ file: "e".repeat(64), line: 2 })).toBeNull();
  });

  it("equal rows take equal transactions in order; a row with no labelled transaction is counted unmatched", () => {
    const twins = [tx(2, "1:A", "1:H", "100"), { ...tx(2, "1:A", "1:H", "100"), line: 4 }];
    const unknown = { line: 9, key: transactionKey(tx(2, "1:Q", "1:H", "100")) };
    const blocks = [
      { typology: "cycle", qualifier: "", line: 1, rows: [row(twins[0] as LabelledTransaction, 2)] },
      { typology: "stack", qualifier: "", line: 5, rows: [row(twins[1] as LabelledTransaction, 6), unknown] },
    ];
    const { truth, patterns } = labelTruth(twins, blocks);
    expect(patterns).toEqual({ blocks: 2, rows: 3, matched: 2 });
    expect(truth.transactions.map((t) => [t.key, t.typology])).toEqual([
      [`${F}:2`, "cycle"],
      [`${F}:4`, "stack"],
    ]);
  });
});

describe("evaluate --labels (AMLworld's own labels and patterns file)", () => {
  const t = tempDir("mt-labels-");
  let world = "";
  let ws = "";
  const run = (args: string[]) => cli(["--workspace", ws, ...args]);
  beforeAll(async () => {
    ({ world, ws } = await smallAmlworldWorkspace(t.dir, 3));
    expect((await run(["detect"])).code).toBe(0);
  }, 60_000);
  afterAll(() => t.cleanup());

  it("scores the workspace's alerts against the labels exactly as against the world's truth, transaction by transaction", async () => {
    const byTruth = JSON.parse((await run(["--json", "evaluate", "--truth", world])).stdout);
    const byLabels = JSON.parse(
      (await run(["--json", "evaluate", "--labels", "--patterns", join(world, "patterns.txt")])).stdout,
    );
    expect(byLabels.truth).toMatchObject({
      kind: "labels",
      files: 1,
      patterns: { matched: byLabels.truth.labelled },
    });
    expect(byLabels.truth.patterns.rows).toBe(byLabels.truth.labelled);
    const rows = (e: { detection: { typologies: { typology: string; transactions: unknown }[] } }) =>
      Object.fromEntries(e.detection.typologies.map((x) => [x.typology, x.transactions]));
    expect(byLabels.detection.typologies.length).toBeGreaterThan(10);
    expect(rows(byLabels)).toEqual(rows(byTruth));
    expect(byLabels.detection.overall.transactions).toEqual(byTruth.detection.overall.transactions);
    expect(byLabels.detection.graph_patterns.transactions).toEqual(
      byTruth.detection.graph_patterns.transactions,
    );
    // Something was found and something missed: the comparison is not of empty sets.
    expect(byLabels.detection.overall.transactions.tp).toBeGreaterThan(0);
    expect(byLabels.resolution).toEqual({
      available: false,
      reason: expect.stringContaining("not who is who"),
    });
  });

  it("without a patterns file, scores laundering as a whole: what the published AMLworld F1 figures measure", async () => {
    const r = await run(["evaluate", "--labels"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^truth: the data's own labels, \d+ labelled transactions in 1 file\n/);
    expect(r.stderr).toMatch(/\n\(all\) +\d+ +\d+ +\d+ +[01]\.\d{3} +[01]\.\d{3}/);
    expect(r.stderr).not.toContain("fan-in");
    const labelled = await withStore(ws, (s) => s.labelledTransactions());
    const json = JSON.parse((await run(["--json", "evaluate", "--labels"])).stdout);
    expect(json.detection.overall.transactions.actual).toBe(labelled.length);
  });

  it("refuses a usage it cannot serve (exit 2): neither or both truths, --patterns alone, no labels, a bad patterns file", async () => {
    expect((await run(["evaluate"])).stderr).toContain("give one of --truth DIR or --labels");
    expect((await run(["evaluate", "--truth", world, "--labels"])).code).toBe(2);
    expect((await run(["evaluate", "--truth", world, "--patterns", "x"])).stderr).toContain(
      "--patterns goes with --labels",
    );
    const bad = writeFile(t.dir, "bad.txt", "BEGIN LAUNDERING ATTEMPT - CYCLE\n");
    const r = await run(["evaluate", "--labels", "--patterns", bad]);
    expect([r.code, r.stderr]).toEqual([
      2,
      expect.stringContaining(`${bad}: line 1: the attempt begun on line 1 has no END marker`),
    ]);
    expect((await run(["evaluate", "--labels", "--patterns", join(t.dir, "none.txt")])).stderr).toContain(
      "no such file",
    );
    // A workspace whose file carried no positive label.
    const plain = join(t.dir, "plain");
    const csv = writeFile(
      t.dir,
      "plain.csv",
      `${AMLWORLD_HEADER}\n2022/09/01 00:06,1,A,2,B,5.00,US Dollar,5.00,US Dollar,ACH,0\n`,
    );
    expect((await cli(["--workspace", plain, "ingest", csv, "--format", "amlworld"])).code).toBe(0);
    const none = await cli(["--workspace", plain, "evaluate", "--labels"]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining("holds no labelled transactions")]);
    expect((await cli(["--workspace", join(t.dir, "nowhere"), "evaluate", "--labels"])).stderr).toContain(
      "no workspace at",
    );
  });
});

describe("AMLSim: transactions.csv through the shipped mapping, alert_transactions.csv as the patterns", () => {
  const t = tempDir("mt-amlsim-");
  afterAll(() => t.cleanup());
  const mapping = join(import.meta.dirname, "..", "..", "data", "mappings", "amlsim-transactions.yaml");
  const HEAD = "alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp";

  it("reads alerts into blocks by id, typology in our spelling; refuses a file without the columns or with a changing type", () => {
    const text = `${HEAD}\n7,fan_in,True,2,11,99,TRANSFER,180,2017-01-12T00:00:00Z\n7,fan_in,True,3,12,99,TRANSFER,181,2017-01-13T00:00:00Z\n8,gather_scatter,True,9,1,2,TRANSFER,5,2017-01-13T00:00:00Z\n`;
    expect(parseAmlsimAlertTransactions(text, "a.csv")).toEqual([
      {
        typology: "fan-in",
        qualifier: "",
        line: 2,
        rows: [
          { line: 2, key: idKey("2") },
          { line: 3, key: idKey("3") },
        ],
      },
      { typology: "gather-scatter", qualifier: "", line: 4, rows: [{ line: 4, key: idKey("9") }] },
    ]);
    expect(() => parseAmlsimAlertTransactions("alert_id,tran_id\n1,2\n", "a.csv")).toThrow(
      "a.csv: line 1: no alert_type column",
    );
    expect(() =>
      parseAmlsimAlertTransactions(
        `${HEAD}\n7,fan_in,True,2,11,99,TRANSFER,1,x\n7,cycle,True,3,11,99,TRANSFER,1,x\n`,
        "a.csv",
      ),
    ).toThrow("a.csv: line 3: alert 7 is fan-in on line 2, cycle here");
  });

  it("ingests is_sar as the label and scores the alerts by AMLSim's own alert types", async () => {
    // Six one-off senders pay account 99 alike sums mid-month (alert 7, fan_in); one more labelled
    // transaction belongs to no alert; the rest is ordinary.
    const fan = [1, 2, 3, 4, 5, 6].map(
      (k) =>
        `${k + 1},${10 + k},99,TRANSFER,${3000 + 10 * k},2017-01-${String(10 + k).padStart(2, "0")}T10:00:00Z,True,7,False`,
    );
    const rows = [
      "1,1,2,TRANSFER,150.5,2017-01-01T00:00:00Z,False,-1,False",
      ...fan,
      "8,30,31,TRANSFER,900,2017-01-20T00:00:00Z,True,-1,False",
      "9,2,1,TRANSFER,75,2017-01-21T00:00:00Z,False,-1,False",
    ];
    const csv = writeFile(
      t.dir,
      "transactions.csv",
      `tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id,is_frgn_trxn\n${rows.join("\n")}\n`,
    );
    const alerts = writeFile(
      t.dir,
      "alert_transactions.csv",
      `${HEAD}\n${[1, 2, 3, 4, 5, 6].map((k) => `7,fan_in,True,${k + 1},${10 + k},99,TRANSFER,${3000 + 10 * k},2017-01-${String(10 + k).padStart(2, "0")}T10:00:00Z`).join("\n")}\n`,
    );
    const ws = join(t.dir, "ws");
    const ingest = await cli([
      "--workspace",
      ws,
      "--json",
      "ingest",
      csv,
      "--format",
      "csv",
      "--mapping",
      mapping,
    ]);
    expect(JSON.parse(ingest.stdout).files[0]).toMatchObject({ accepted: 9, rejected: 0 });
    const labelled = await withStore(ws, (s) => s.labelledTransactions());
    expect(labelled.map((l) => [l.id, l.from, l.to, l.channel, l.currency])).toContainEqual([
      "2",
      "11",
      "99",
      "wire",
      "USD",
    ]);
    expect(labelled).toHaveLength(7);
    expect((await cli(["--workspace", ws, "detect"])).code).toBe(0);
    const r = JSON.parse(
      (await cli(["--workspace", ws, "--json", "evaluate", "--labels", "--patterns", alerts])).stdout,
    );
    expect(r.truth.patterns).toMatchObject({ blocks: 1, rows: 6, matched: 6 });
    const by = Object.fromEntries(r.detection.typologies.map((x: { typology: string }) => [x.typology, x]));
    expect(by["fan-in"]).toMatchObject({ instances: 1, transactions: { actual: 6 } });
    expect(by.laundering).toMatchObject({ instances: 1, transactions: { actual: 1 } });
    expect(r.detection.overall.transactions.actual).toBe(7);
    // The planted fan is found: the scores are of something.
    expect(by["fan-in"].transactions.tp).toBe(6);
  });

  it("a --patterns file of neither kind is refused (exit 2)", async () => {
    const ws = join(t.dir, "ws");
    const odd = writeFile(t.dir, "odd.csv", "a,b\n1,2\n");
    const r = await cli(["--workspace", ws, "evaluate", "--labels", "--patterns", odd]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining("neither an AMLworld patterns file")]);
  });
});
