import { afterAll, describe, expect, it } from "vitest";
import { cli, queryWorkspace, tempDir, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

describe("line numbers hold at scale", () => {
  it("every one of 300,000 rows keeps its physical line, around blank and bad lines", async () => {
    // Each row's id is its own line number, so provenance can be checked row by row.
    const lines = ["id,when,from,to,amount,currency"];
    const bad = new Set<number>();
    for (let line = 2; lines.length < 300_001; line++) {
      if (line % 9973 === 0) {
        lines.push("");
        continue;
      }
      if (line % 12_347 === 0) {
        bad.add(line);
        lines.push(`${line},2022-09-01 00:00:00,a${line % 977},b${line % 991},not-a-number,USD`);
        continue;
      }
      lines.push(`${line},2022-09-01 00:00:00,a${line % 977},b${line % 991},${line % 5000}.25,USD`);
    }
    const path = writeFile(t.dir, "numbered.csv", `${lines.join("\n")}\n`);
    const mapping = writeFile(
      t.dir,
      "m.yaml",
      "kind: transactions\ncolumns: { id: id, timestamp: when, from_account: from, to_account: to, amount: amount, currency: currency }\n",
    );
    const ws = `${t.dir}/ws`;
    const r = await cli([
      "--workspace",
      ws,
      "--json",
      "ingest",
      path,
      "--format",
      "csv",
      "--mapping",
      mapping,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const dataRows = lines.slice(1).filter((l) => l !== "").length;
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({
      rows: dataRows,
      accepted: dataRows - bad.size,
      rejected: bad.size,
    });
    const [check] = await queryWorkspace(
      ws,
      "SELECT count(*) AS n, count(*) FILTER (WHERE CAST(id AS BIGINT) <> source_line) AS wrong FROM transactions",
    );
    expect(check).toEqual({ n: String(dataRows - bad.size), wrong: "0" });
    const quarantined = await queryWorkspace(ws, "SELECT line, raw FROM quarantine ORDER BY line");
    expect(quarantined.map((q) => Number(q.line))).toEqual([...bad]);
    expect(quarantined.every((q) => String(q.raw).startsWith(`${q.line},`))).toBe(true);
  });
});
