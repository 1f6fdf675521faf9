import { mkdirSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import type { ReadPlan } from "../../src/ingest/plan.js";
import { Account } from "../../src/model/account.js";
import { Channel } from "../../src/model/channel.js";
import { columnsOf } from "../../src/model/columns.js";
import { Party } from "../../src/model/party.js";
import { FileFingerprint, QuarantinedRow, SourceFile } from "../../src/model/source.js";
import { TRANSACTION_DETAILS, Transaction, TruthLabel } from "../../src/model/transaction.js";
import { MIGRATIONS } from "../../src/store/duckdb/migrations.js";
import { transactionTarget } from "../../src/store/duckdb/row-target.js";
import { tempDir, withStore } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

/** A plan without a source id column: only `columns.id` matters to the stored row's layout. */
function amlworldLikePlan(): ReadPlan {
  return { columns: {}, defaults: {} } as unknown as ReadPlan;
}

async function tableColumns(dbPath: string, table: string): Promise<[string, string][]> {
  const instance = await DuckDBInstance.create(dbPath);
  const c = await instance.connect();
  const rows = (
    await c.runAndReadAll(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
    )
  ).getRows();
  c.closeSync();
  instance.closeSync();
  return rows.map(([n, ty]) => [String(n), String(ty)]);
}

describe("the migrated schema follows the model", () => {
  it.each([
    ["transactions", Transaction],
    ["parties", Party],
    ["source_files", SourceFile],
    ["truth_labels", TruthLabel],
    ["file_fingerprints", FileFingerprint],
  ] as const)("%s has exactly the model's columns and types", async (table, schema) => {
    const ws = `${t.dir}/ws-${table}`;
    await withStore(ws, async () => {});
    const stored = await tableColumns(`${ws}/moneytrail.duckdb`, table);
    const model = columnsOf(schema).map((c) => [c.name, c.type] as [string, string]);
    expect(new Map(stored)).toEqual(new Map(model));
  });

  it("stores accounts as the model has them, each with its number", async () => {
    const ws = `${t.dir}/ws-accounts`;
    await withStore(ws, async () => {});
    const stored = await tableColumns(`${ws}/moneytrail.duckdb`, "accounts");
    const model = columnsOf(Account).map((c) => [c.name, c.type] as [string, string]);
    expect(new Map(stored)).toEqual(new Map([["acc_no", "INTEGER"], ...model]));
  });

  it("stores transactions in rows the model's view is built on, with the model's channels as the enum", async () => {
    const ws = `${t.dir}/ws-rows`;
    await withStore(ws, async () => {});
    const db = `${ws}/moneytrail.duckdb`;
    const stored = await tableColumns(db, "transaction_rows");
    const model = new Map(columnsOf(Transaction).map((c) => [c.name, c.type as string]));
    // What ingest writes (row-target.ts) is exactly what the table holds.
    const written = transactionTarget(amlworldLikePlan(), 1).writes[0]?.columns.map((c) => c.name);
    expect(stored.map(([n]) => n)).toEqual(written);
    const expected = (written ?? []).map((n) => {
      if (n === "source_id") return [n, "VARCHAR"];
      if (n === "file_no" || n === "from_acc" || n === "to_acc") return [n, "INTEGER"];
      if (n === "channel") return [n, `ENUM(${Channel.options.map((o) => `'${o}'`).join(", ")})`];
      return [n, model.get(n)];
    });
    expect(stored).toEqual(expected);
  });

  it("stores a transaction's optional details apart, as the model types them", async () => {
    const ws = `${t.dir}/ws-details`;
    await withStore(ws, async () => {});
    const stored = await tableColumns(`${ws}/moneytrail.duckdb`, "transaction_details");
    const model = new Map(columnsOf(Transaction).map((c) => [c.name, c.type as string]));
    expect(stored).toEqual([
      ["file_no", "INTEGER"],
      ["source_line", "BIGINT"],
      ...TRANSACTION_DETAILS.map((n) => [n, model.get(n)]),
    ]);
    // A plan that maps some details writes those, for the rows that have one.
    const plan = {
      columns: { merchant: [4], city: [5] },
      defaults: { country: "US" },
    } as unknown as ReadPlan;
    const details = transactionTarget(plan, 1).writes[1];
    expect(details?.table).toBe("transaction_details");
    expect(details?.columns.map((c) => c.name)).toEqual([
      "file_no",
      "source_line",
      "merchant",
      "city",
      "country",
    ]);
  });

  it("quarantine holds the model's columns", async () => {
    const ws = `${t.dir}/ws-q`;
    await withStore(ws, async () => {});
    const stored = (await tableColumns(`${ws}/moneytrail.duckdb`, "quarantine")).map(([n]) => n).sort();
    expect(stored).toEqual(
      columnsOf(QuarantinedRow)
        .map((c) => c.name)
        .sort(),
    );
  });

  it("upgrades a workspace written at an older schema version, keeping its data", async () => {
    const ws = `${t.dir}/ws-old`;
    mkdirSync(ws, { recursive: true });
    // A workspace as version 1 left it: its tables, one source file, and only migration 1 recorded.
    const instance = await DuckDBInstance.create(`${ws}/moneytrail.duckdb`);
    const c = await instance.connect();
    await c.run(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
    );
    await c.run((MIGRATIONS[0] as { sql: string }).sql);
    await c.run("INSERT INTO schema_migrations VALUES (1, 'v1', now()::TIMESTAMP)");
    await c.run(
      `INSERT INTO source_files VALUES ('${"a".repeat(64)}', 'old.csv', 'amlworld', 10, 1, 1, 0, 0, now()::TIMESTAMP, NULL, NULL, [], 'old.csv', NULL)`,
    );
    // Two rows: one with an id derived from file and line, one with the source's own id.
    const row = (id: string, line: number, merchant: string) =>
      `('${id}', TIMESTAMP '2022-09-01 00:20', '001:A', '002:B', '10.50', 'EUR', NULL, NULL, 11.0, 1.05,
        DATE '2022-01-01', 'wire', NULL, ${merchant}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '${"a".repeat(64)}', ${line})`;
    await c.run(
      `INSERT INTO transactions VALUES ${row(`${"a".repeat(12)}:2`, 2, "NULL")}, ${row("TX-7", 3, "'Motel 6'")}`,
    );
    c.closeSync();
    instance.closeSync();
    await withStore(ws, async (s) => {
      const txs = await s.transactions();
      expect(txs.map((x) => [x.id, x.channel, x.amount, x.source.file, x.source.line])).toEqual([
        [`${"a".repeat(12)}:2`, "wire", "10.50", "a".repeat(64), 2],
        ["TX-7", "wire", "10.50", "a".repeat(64), 3],
      ]);
      // Version 1 kept account keys on the rows without registering them: migration 4 does.
      expect(txs.map((x) => [x.from_account, x.to_account, x.merchant])).toEqual([
        ["001:A", "002:B", null],
        ["001:A", "002:B", "Motel 6"],
      ]);
      expect((await s.accounts()).map((a) => [a.key, a.bank, a.number])).toEqual([
        ["001:A", "001", "A"],
        ["002:B", "002", "B"],
      ]);
      expect((await s.sourceFiles()).map((f) => f.name)).toEqual(["old.csv"]);
      expect(await (s as unknown as { schemaVersion(): Promise<number> }).schemaVersion()).toBe(
        MIGRATIONS.at(-1)?.version,
      );
    });
    expect((await tableColumns(`${ws}/moneytrail.duckdb`, "file_fingerprints")).length).toBeGreaterThan(0);
  });

  it("opens an existing workspace without migrating twice, and refuses a newer one", async () => {
    const ws = `${t.dir}/ws-version`;
    await withStore(ws, async () => {});
    await withStore(ws, async (s) => expect(await s.counts()).toMatchObject({ transactions: 0 }));
    const instance = await DuckDBInstance.create(`${ws}/moneytrail.duckdb`);
    const c = await instance.connect();
    await c.run("INSERT INTO schema_migrations VALUES (999, 'from the future', now()::TIMESTAMP)");
    c.closeSync();
    instance.closeSync();
    await expect(withStore(ws, async () => {})).rejects.toThrow(
      /schema version 999, newer than this moneytrail knows/,
    );
  });
});
