import { mkdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { AMLWORLD_HEADER, cli, tempDir, withStore, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

const GOOD = "2022/09/01 00:20,010,8000EBD30,011,8000F4580,10.00,US Dollar,10.00,US Dollar,ACH,0";

/** Each bad row sits between good rows; its line, field and reason must be exact. */
const BAD_ROWS: { name: string; row: string; field: string | null; reason: RegExp }[] = [
  {
    name: "bad date",
    row: "2022/13/45 00:20,010,A1,011,B1,1,US Dollar,1,US Dollar,ACH,0",
    field: "timestamp",
    reason: /^timestamp '2022\/13\/45 00:20' does not match yyyy\/MM\/dd HH:mm$/,
  },
  {
    name: "missing date",
    row: ",010,A1,011,B1,1,US Dollar,1,US Dollar,ACH,0",
    field: "timestamp",
    reason: /^timestamp is missing$/,
  },
  {
    name: "non-numeric amount",
    row: "2022/09/01 00:20,010,A1,011,B1,1,US Dollar,12x.5,US Dollar,ACH,0",
    field: "amount",
    reason: /^amount '12x\.5' is not a number$/,
  },
  {
    name: "negative amount",
    row: "2022/09/01 00:20,010,A1,011,B1,1,US Dollar,-5,US Dollar,ACH,0",
    field: "amount",
    reason: /^amount '-5' is negative$/,
  },
  {
    name: "unknown currency",
    row: "2022/09/01 00:20,010,A1,011,B1,1,US Dollar,1,Zorkmid,ACH,0",
    field: "currency",
    reason: /^currency 'Zorkmid' is unknown/,
  },
  {
    name: "unknown received currency",
    row: "2022/09/01 00:20,010,A1,011,B1,1,Zorkmid,1,US Dollar,ACH,0",
    field: "currency_received",
    reason: /^currency_received 'Zorkmid' is unknown/,
  },
  {
    name: "missing account",
    row: "2022/09/01 00:20,010,A1,011,,1,US Dollar,1,US Dollar,ACH,0",
    field: "to_account",
    reason: /^to_account is missing$/,
  },
  {
    name: "unknown payment format",
    row: "2022/09/01 00:20,010,A1,011,B1,1,US Dollar,1,US Dollar,Barter,0",
    field: "channel",
    reason: /^channel 'Barter' is not one of/,
  },
  {
    name: "too few columns",
    row: "2022/09/01 00:20,010,A1,011,B1,1,US Dollar,1,US Dollar",
    field: null,
    reason: /^expected 11 columns, found 9$/,
  },
  { name: "too many columns", row: `${GOOD},extra`, field: null, reason: /^expected 11 columns, found 12$/ },
  {
    name: "a quote that never closes",
    row: '2022/09/01 00:20,"010,A1,011,B1,1,US Dollar,1,US Dollar,ACH,0',
    field: null,
    reason: /^broken quoting: a " opens a field and does not close it on this line$/,
  },
  {
    name: "a bank id holding the key separator",
    row: "2022/09/01 00:20,01:0,A1,011,B1,1,US Dollar,1,US Dollar,ACH,0",
    field: "from_bank",
    reason: /^from_bank '01:0' contains ':', which separates bank and number in account keys$/,
  },
  {
    name: "no FX rate for the date",
    row: "2045/01/01 00:20,010,A1,011,B1,1,Euro,1,Euro,ACH,0",
    field: "currency",
    reason: /^no FX rate for EUR on 2045-01-01$/,
  },
];

describe("bad rows go to quarantine with file, line, field, reason and raw text", () => {
  it.each(BAD_ROWS)("$name", async ({ row, field, reason }) => {
    const dir = tempDir();
    try {
      // Line 2 good, 3 bad, 4 and 5 good: the rows after a bad one still land.
      const path = writeFile(dir.dir, "in.csv", [AMLWORLD_HEADER, GOOD, row, GOOD, GOOD, ""].join("\n"));
      const r = await cli(["--workspace", `${dir.dir}/ws`, "--json", "ingest", path, "--format", "amlworld"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rows: 4, accepted: 3, rejected: 1 });
      const { txs, q } = await withStore(`${dir.dir}/ws`, async (s) => ({
        txs: await s.transactions(),
        q: await s.quarantine(),
      }));
      expect(txs.map((x) => x.source.line)).toEqual([2, 4, 5]);
      expect(q).toHaveLength(1);
      expect(q[0]).toMatchObject({ file_name: "in.csv", line: 3, field, raw: row });
      expect(q[0]?.reason).toMatch(reason);
    } finally {
      dir.cleanup();
    }
  });

  it("keeps the line numbers of rows after a line that is not UTF-8", async () => {
    const path = writeFile(
      t.dir,
      "latin1.csv",
      Buffer.concat([
        Buffer.from(`${AMLWORLD_HEADER}\n${GOOD}\n`),
        Buffer.from("2022/09/01 00:20,010,M\xfcller,011,B1,1,US Dollar,1,US Dollar,ACH,0\n", "latin1"),
        Buffer.from(`${GOOD}\n\n${GOOD}\n`),
      ]),
    );
    const ws = `${t.dir}/ws-utf8`;
    const r = await cli(["--workspace", ws, "--json", "ingest", path, "--format", "amlworld"]);
    expect(r.code, r.stderr).toBe(0);
    const { txs, q } = await withStore(ws, async (s) => ({
      txs: await s.transactions(),
      q: await s.quarantine(),
    }));
    expect(txs.map((x) => x.source.line)).toEqual([2, 4, 6]);
    expect(q).toMatchObject([{ line: 3, field: null }]);
    expect(q[0]?.reason).toMatch(/not valid UTF-8/);
  });
});

describe("an unusable file or mapping exits 2 and writes nothing", () => {
  const aml = writeFile(t.dir, "ok.csv", `${AMLWORLD_HEADER}\n${GOOD}\n`);
  const csv = writeFile(t.dir, "plain.csv", "When,From,To,Amt,Ccy\n2022-09-01,a,b,1,USD\n");
  mkdirSync(`${t.dir}/a-directory`, { recursive: true });
  const withMapping = (format: string, name: string, yaml: string) => [
    csv,
    "--format",
    format,
    "--mapping",
    writeFile(t.dir, name, yaml),
  ];
  const cases: { name: string; args: string[]; message: RegExp }[] = [
    {
      name: "missing file",
      args: [`${t.dir}/nope.csv`, "--format", "amlworld"],
      message: /nope\.csv: cannot read the file/,
    },
    {
      name: "a directory",
      args: [`${t.dir}/a-directory`, "--format", "amlworld"],
      message: /a-directory: cannot read the file/,
    },
    {
      name: "empty file",
      args: [writeFile(t.dir, "empty.csv", ""), "--format", "amlworld"],
      message: /empty\.csv: the file is empty/,
    },
    { name: "unknown format", args: [aml, "--format", "xlsx"], message: /--format must be one of/ },
    {
      name: "format not yet available",
      args: [aml, "--format", "iso20022"],
      message: /iso20022: this reader is not in this version yet/,
    },
    { name: "csv without mapping", args: [csv, "--format", "csv"], message: /needs --mapping FILE/ },
    {
      name: "mapping names an absent column",
      args: withMapping(
        "csv",
        "absent.yaml",
        "kind: transactions\ncolumns: { timestamp: When, from_account: Sender, amount: Amt, currency: Ccy }\n",
      ),
      message: /the mapping names column "Sender" \(for from_account\), which the file lacks/,
    },
    {
      name: "mapping with an unknown field",
      args: withMapping("csv", "unknown.yaml", "kind: transactions\ncolumns: { when: When }\n"),
      message: /columns\.when: not a transactions field/,
    },
    {
      name: "mapping not YAML",
      args: withMapping("csv", "broken.yaml", "kind: [\n"),
      message: /not valid YAML or JSON/,
    },
    {
      name: "mapping file missing",
      args: [csv, "--format", "csv", "--mapping", `${t.dir}/none.yaml`],
      message: /mapping .*none\.yaml: cannot read it/,
    },
    {
      name: "mapping of the wrong kind",
      args: withMapping(
        "parties",
        "kind.yaml",
        "kind: transactions\ncolumns: { timestamp: When, from_account: From, amount: Amt, currency: Ccy }\n",
      ),
      message: /--format parties needs a mapping of kind parties/,
    },
    {
      name: "bad date pattern",
      args: withMapping(
        "csv",
        "pattern.yaml",
        'kind: transactions\ncolumns: { timestamp: When, from_account: From, amount: Amt, currency: Ccy }\nformats: { timestamp: "yyyy-QQ" }\n',
      ),
      message: /date pattern "yyyy-QQ": unknown field "Q"/,
    },
    {
      name: "a good file beside a bad one",
      args: [aml, `${t.dir}/nope.csv`, "--format", "amlworld"],
      message: /nope\.csv: cannot read the file/,
    },
  ];
  it.each(cases)("$name", async ({ args, message }) => {
    const ws = `${t.dir}/ws-${Math.random().toString(36).slice(2)}`;
    const r = await cli(["--workspace", ws, "ingest", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await withStore(ws, (s) => s.counts())).toEqual({
      source_files: 0,
      transactions: 0,
      accounts: 0,
      parties: 0,
      quarantine: 0,
      truth_labels: 0,
    });
  });
});
