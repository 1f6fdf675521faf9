import { afterAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeFile } from "../helpers.js";

/** `moneytrail trace` end to end: ingest a small ledger, follow one payment, read the record. */
const t = tempDir();
afterAll(t.cleanup);

const LEDGER = [
  "id,when,payer,payee,amount,ccy,kind",
  "T1,2022-09-01 09:00:00,X,M,500.00,USD,WIRE",
  "T2,2022-09-02 09:00:00,V,M,1000.00,USD,WIRE",
  "T3,2022-09-03 09:00:00,M,A,1200.00,USD,WIRE",
  "T4,2022-09-04 09:00:00,M,,300.00,USD,CASH",
  "T5,2022-09-05 09:00:00,A,B,600.00,USD,WIRE",
  "",
].join("\n");

const MAPPING = `kind: transactions
columns:
  id: id
  timestamp: when
  from_account: payer
  to_account: payee
  amount: amount
  currency: ccy
  channel: kind
formats:
  timestamp: "yyyy-MM-dd HH:mm:ss"
values:
  channel: { WIRE: wire, CASH: cash }
`;

describe("trace", () => {
  const ws = `${t.dir}/ws`;

  it("follows a payment forward with amounts, transactions and their source lines", async () => {
    const file = writeFile(t.dir, "ledger.csv", LEDGER);
    const mapping = writeFile(t.dir, "ledger.yaml", MAPPING);
    const ingest = await cli([
      "--workspace",
      ws,
      "--json",
      "ingest",
      file,
      "--format",
      "csv",
      "--mapping",
      mapping,
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const sha = JSON.parse(ingest.stdout).files[0].sha256;

    const r = await cli(["--workspace", ws, "--json", "trace", "--transaction", "T2", "--method", "libr"]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record).toMatchObject({
      method: "libr",
      direction: "forward",
      origin: { transaction: "T2", source: { file: sha, line: 3 } },
      traced_usd: 1000,
    });
    expect(record.flows).toEqual([
      {
        hop: 1,
        from: "V",
        to: "M",
        amount_usd: 1000,
        transactions: ["T2"],
        sources: [{ file: sha, line: 3 }],
      },
      {
        hop: 2,
        from: "M",
        to: "A",
        amount_usd: 700,
        transactions: ["T3"],
        sources: [{ file: sha, line: 4 }],
      },
      {
        hop: 3,
        from: "A",
        to: "B",
        amount_usd: 100,
        transactions: ["T5"],
        sources: [{ file: sha, line: 6 }],
      },
    ]);
    expect(record.dissipated).toEqual([{ kind: "cash-out", amount_usd: 300, transactions: ["T4"] }]);
    expect(record.holders).toEqual([
      { account: "A", amount_usd: 600 },
      { account: "B", amount_usd: 100 },
    ]);
    expect(record.notes.join(" ")).toMatch(/taken as zero/);
  });

  it("traces what an account paid out, within a window", async () => {
    const r = await cli(["--workspace", ws, "--json", "trace", "--account", "M", "--to", "2022-09-03"]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record.traced_usd).toBe(1200);
    expect(record.flows.map((f: { to: string }) => f.to)).toEqual(["A"]);
  });

  it("refuses what it cannot do with exit 2", async () => {
    for (const args of [
      ["trace"],
      ["trace", "--account", "M", "--direction", "backward"],
      ["trace", "--account", "M", "--format", "graphml"],
      ["trace", "--account", "M", "--method", "average"],
      ["trace", "--account", "nobody"],
      ["trace", "--transaction", "T99"],
    ]) {
      const r = await cli(["--workspace", ws, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});
