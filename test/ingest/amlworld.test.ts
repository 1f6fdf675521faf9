import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { AMLWORLD_HEADER, cli, labelRows, tempDir, withStore, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

// Lines: 1 header, 2-4 rows, 5 blank, 6 cross-currency row, 7 row with CRLF ending.
const csv = [
  AMLWORLD_HEADER,
  "2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0",
  "2022/09/01 00:24,0003402,80021DAD0,0003402,80021DAD0,0.01,US Dollar,0.01,US Dollar,Cash,0",
  "2022/09/02 13:05,011,8000F4580,01,800C51010,2848.96,Euro,2848.96,Euro,ACH,1",
  "",
  "2022/09/03 09:00,021174,800737690,1588,80D8B4B40,1000.50,Euro,1250.00,UK Pound,Wire,1",
  "2022/09/05 23:59,021174,800737690,001120,8006AA910,0.005,Bitcoin,0.005,Bitcoin,Bitcoin,0\r",
  "",
].join("\n");
const path = writeFile(t.dir, "HI-Small_Trans.csv", csv);
const sha = createHash("sha256").update(readFileSync(path)).digest("hex");
const ws = `${t.dir}/ws`;

describe("ingest --format amlworld", () => {
  it("loads every row with keys, ids, provenance and USD amounts", async () => {
    const r = await cli(["--workspace", ws, "--json", "ingest", path, "--format", "amlworld"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files).toEqual([
      { path, sha256: sha, rows: 5, accepted: 5, rejected: 0, duplicates: 0, already_ingested: false },
    ]);
    const txs = await withStore(ws, (s) => s.transactions());
    expect(txs.map((x) => x.source.line)).toEqual([2, 3, 4, 6, 7]);
    expect(txs.every((x) => x.source.file === sha)).toBe(true);
    expect(txs.map((x) => x.id)).toEqual([2, 3, 4, 6, 7].map((l) => `${sha.slice(0, 12)}:${l}`));
    const [a, b, c, d, e] = txs;
    // Bank ids keep their leading zeros: 0003402 is not 3402.
    expect(b?.from_account).toBe("0003402:80021DAD0");
    expect(a).toMatchObject({
      ts: "2022-09-01T00:20:00Z",
      from_account: "010:8000EBD30",
      to_account: "010:8000EBD30",
      amount: "3697.34",
      currency: "USD",
      amount_received: null,
      currency_received: null,
      channel: "internal",
      amount_usd: 3697.34,
      fx_rate: 1,
    });
    expect(b?.channel).toBe("cash");
    // Euro at the shipped 2022 rate (1.05 USD).
    expect(c).toMatchObject({ currency: "EUR", channel: "ach", fx_rate: 1.05, fx_date: "2022-01-01" });
    expect(c?.amount_usd).toBeCloseTo(2848.96 * 1.05, 6);
    // Cross-currency: paid in pounds, received in euros; both kept exactly.
    expect(d).toMatchObject({
      amount: "1250.00",
      currency: "GBP",
      amount_received: "1000.50",
      currency_received: "EUR",
    });
    expect(d?.amount_usd).toBeCloseTo(1250 * 1.237, 6);
    expect(e).toMatchObject({
      amount: "0.005",
      currency: "XBT",
      channel: "crypto",
      ts: "2022-09-05T23:59:00Z",
    });
  });

  it("keeps Is Laundering apart as ground truth, positives only", async () => {
    const labels = await labelRows(ws);
    expect(labels.map((l) => [l.transaction, l.label, Number(l.source_line)])).toEqual([
      [`${sha.slice(0, 12)}:4`, "1", 4],
      [`${sha.slice(0, 12)}:6`, "1", 6],
    ]);
    const txs = await withStore(ws, (s) => s.transactions());
    expect(Object.keys(txs[0] ?? {})).not.toContain("label");
  });

  it("registers accounts once each", async () => {
    const accounts = await withStore(ws, (s) => s.accounts());
    expect(accounts.map((x) => x.key)).toEqual(
      [
        "0003402:80021DAD0",
        "001120:8006AA910",
        "01:800C51010",
        "010:8000EBD30",
        "011:8000F4580",
        "021174:800737690",
        "1588:80D8B4B40",
      ].sort(),
    );
    expect(accounts.find((x) => x.key === "0003402:80021DAD0")).toMatchObject({
      bank: "0003402",
      number: "80021DAD0",
    });
  });

  it("numbers accounts once: later files keep earlier numbers, and a rejected row registers none", async () => {
    const ws2 = `${t.dir}/ws-numbers`;
    const numbers = async () => {
      const instance = await DuckDBInstance.create(`${ws2}/moneytrail.duckdb`);
      const c = await instance.connect();
      const rows = (await c.runAndReadAll("SELECT key, acc_no FROM accounts ORDER BY acc_no")).getRows();
      c.closeSync();
      instance.closeSync();
      return rows.map(([k, n]) => [String(k), Number(n)]);
    };
    expect((await cli(["--workspace", ws2, "ingest", path, "--format", "amlworld"])).code).toBe(0);
    const first = await numbers();
    expect(first.map(([, n]) => n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const more = writeFile(
      t.dir,
      "more.csv",
      [
        AMLWORLD_HEADER,
        "2022/09/06 10:00,010,8000EBD30,777,NEW1,5.00,US Dollar,5.00,US Dollar,Wire,0",
        "2022/09/06 11:00,888,NEVER,999,NEVER,-5.00,US Dollar,-5.00,US Dollar,Wire,0",
        "",
      ].join("\n"),
    );
    const r = await cli(["--workspace", ws2, "--json", "ingest", more, "--format", "amlworld"]);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ accepted: 1, rejected: 1 });
    expect(await numbers()).toEqual([...first, ["777:NEW1", 8]]);
    const txs = await withStore(ws2, (s) => s.transactions({ file: JSON.parse(r.stdout).files[0].sha256 }));
    expect(txs.map((x) => [x.from_account, x.to_account])).toEqual([["010:8000EBD30", "777:NEW1"]]);
  });

  it("refuses a file whose header is not AMLworld's, writing nothing", async () => {
    const other = writeFile(t.dir, "other.csv", "a,b,c\n1,2,3\n");
    const ws2 = `${t.dir}/ws-other`;
    const r = await cli(["--workspace", ws2, "ingest", other, "--format", "amlworld"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other\.csv: not an AMLworld transactions file/);
    expect(await withStore(ws2, (s) => s.counts())).toMatchObject({ source_files: 0, transactions: 0 });
  });
});
