import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { writeAmlworldRows } from "../fixtures.js";
import { AMLWORLD_HEADER, cliProcess, tempDir, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

describe("the moneytrail command, end to end in a temporary workspace", () => {
  it("prints help for itself and for every command", async () => {
    const top = cliProcess(["--help"]);
    expect(top.code).toBe(0);
    for (const entry of COMMANDS) {
      const c = await entry.load();
      expect(c.name).toBe(entry.name);
      expect(top.stdout).toContain(`  ${c.name.padEnd(12)} ${c.summary}`);
      const help = cliProcess([c.name, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`usage: ${c.usage}`);
    }
  });

  it("exits 2 on usage errors", () => {
    expect(cliProcess([]).code).toBe(2);
    const unknown = cliProcess(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badFlag = cliProcess(["--workspace", `${t.dir}/ws0`, "quarantine", "--bogus"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/Unknown option '--bogus'/);
    expect(cliProcess(["--workspace", `${t.dir}/ws0`, "ingest", "x.csv"]).stderr).toMatch(
      /--format must be one of/,
    );
  });

  it("ingests, lists quarantine and status, as JSON on stdout and words on stderr", () => {
    const ws = `${t.dir}/ws`;
    const good = writeAmlworldRows(t.dir, "good.csv", 20, 7);
    const bad = writeFile(
      t.dir,
      "bad.csv",
      `${AMLWORLD_HEADER}\n2022/09/01 00:20,010,A,011,B,5,US Dollar,5,US Dollar,Wire,0\n2022/09/01 00:21,010,A,011,B,5,US Dollar,five,US Dollar,Wire,0\n`,
    );
    const ingest = cliProcess(["--workspace", ws, "--json", "ingest", good, bad, "--format", "amlworld"]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const files = JSON.parse(ingest.stdout).files;
    expect(
      files.map((f: { rows: number; accepted: number; rejected: number }) => [
        f.rows,
        f.accepted,
        f.rejected,
      ]),
    ).toEqual([
      [20, 20, 0],
      [2, 1, 1],
    ]);
    expect(Object.keys(files[0]).sort()).toEqual(
      ["path", "sha256", "rows", "accepted", "rejected", "duplicates", "already_ingested"].sort(),
    );

    const human = cliProcess(["--workspace", ws, "quarantine"]);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(/bad\.csv\s+3\s+amount\s+amount 'five' is not a number/);

    const json = cliProcess([
      "--workspace",
      ws,
      "--json",
      "quarantine",
      "--file",
      files[1].sha256.slice(0, 10),
    ]);
    expect(JSON.parse(json.stdout).rows).toEqual([
      {
        file: files[1].sha256,
        file_name: "bad.csv",
        line: 3,
        field: "amount",
        reason: "amount 'five' is not a number",
        raw: "2022/09/01 00:21,010,A,011,B,5,US Dollar,five,US Dollar,Wire,0",
      },
    ]);
    expect(
      JSON.parse(cliProcess(["--workspace", ws, "--json", "quarantine", "--file", files[0].sha256]).stdout)
        .rows,
    ).toEqual([]);

    const status = JSON.parse(cliProcess(["--workspace", ws, "--json", "status"]).stdout);
    expect(status.counts).toMatchObject({ source_files: 2, transactions: 21, quarantine: 1 });
    expect(status.files.map((f: { name: string }) => f.name).sort()).toEqual(["bad.csv", "good.csv"]);
  });

  it("finds the workspace through $MONEYTRAIL_WORKSPACE", () => {
    const ws = `${t.dir}/ws-env`;
    const file = writeAmlworldRows(t.dir, "env.csv", 3, 8);
    expect(cliProcess(["ingest", file, "--format", "amlworld"], { MONEYTRAIL_WORKSPACE: ws }).code).toBe(0);
    const status = JSON.parse(cliProcess(["--json", "status"], { MONEYTRAIL_WORKSPACE: ws }).stdout);
    expect(status.workspace).toBe(ws);
    expect(status.counts.transactions).toBe(3);
  });

  it("refuses a store it does not have, with exit 2", () => {
    const r = cliProcess(["--workspace", `${t.dir}/ws1`, "--store", "postgres://localhost/x", "status"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PostgreSQL store is not in this version yet/);
  });
});
