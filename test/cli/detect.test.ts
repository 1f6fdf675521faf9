import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { AMLWORLD_HEADER, cli, tempDir, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

/** An AMLworld row: a transfer of `usd` US dollars from one account to another on a day of September 2022. */
const row = (day: number, from: string, to: string, usd: number, format = "Wire") =>
  `2022/09/${String(day).padStart(2, "0")} 10:00,001,${from},001,${to},${usd.toFixed(2)},US Dollar,${usd.toFixed(2)},US Dollar,${format},0`;

// Lines 2–7: six one-off senders pay hub H about 3,000 each within ten days (a fan-in).
// Lines 8–9: S takes 8,200 and 8,400 in cash on the same day (AMLworld cash is a self-transfer).
// Lines 10–11: ordinary life.
const first = [
  AMLWORLD_HEADER,
  row(1, "A1", "H", 3000),
  row(2, "A2", "H", 3010),
  row(4, "A3", "H", 2990),
  row(6, "A4", "H", 3005),
  row(8, "A5", "H", 2995),
  row(10, "A6", "H", 3020),
  row(13, "S", "S", 8200, "Cash"),
  row(13, "S", "S", 8400, "Cash"),
  row(14, "P", "Q", 40, "Credit Card"),
  row(15, "Q", "P", 25, "ACH"),
  "",
].join("\n");
const firstPath = writeFile(t.dir, "first.csv", first);
const sha = createHash("sha256").update(readFileSync(firstPath)).digest("hex");
const ws = `${t.dir}/ws`;
// The detectors these tests look at, one of which needs fields AMLworld files lack.
const pack = writeFile(
  t.dir,
  "test-pack.yaml",
  "pack: test\nversion: 3\ndetectors:\n  fan-in: {}\n  fan-out: {}\n  structuring: {}\n  ht-lodging-ads: {}\n",
);

interface Alert {
  id: string;
  typology: string;
  score: number;
  severity: string;
  status: string;
  detectors: string[];
  subjects: { account: string; role: string }[];
  transactions: string[];
  sources: { file: string; line: number }[];
  window: { from: string; to: string };
  amount_usd: number;
  reasons: string[];
  superseded_reasons?: string[];
  params: Record<string, unknown>;
  sar_activities: string[];
  pack: string;
}

async function alerts(...args: string[]): Promise<Alert[]> {
  const r = await cli(["--workspace", ws, "alerts", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Alert);
}

describe("detect and alerts", () => {
  it("raises alerts with their evidence, as the alert-record contract has them", async () => {
    expect((await cli(["--workspace", ws, "ingest", firstPath, "--format", "amlworld"])).code).toBe(0);
    const r = await cli(["--workspace", ws, "--json", "detect", "--pack", pack]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.pack).toBe("test@3");
    expect(summary.typologies).toEqual({ "fan-in": 1, structuring: 1 });
    expect(summary.alerts).toEqual({ new: 2, updated: 0, unchanged: 0, not_raised: 0, rechecked: null });
    expect(
      summary.detectors.map((d: { detector: string; status: string; missing: string[] }) => [
        d.detector,
        d.status,
        d.missing,
      ]),
    ).toEqual([
      ["fan-in@2", "ok", []],
      ["fan-out@2", "ok", []],
      ["structuring@2", "ok", []],
      // AMLworld files have no merchant categories: not evaluable, and said so.
      ["ht-lodging-ads@2", "not-evaluable", ["mcc", "merchant"]],
    ]);

    const [fan] = await alerts("--typology", "fan-in");
    expect(fan).toMatchObject({
      typology: "fan-in",
      severity: expect.stringMatching(/^(low|medium|high)$/),
      status: "new",
      detectors: ["fan-in@2"],
      window: { from: "2022-09-01T10:00:00Z", to: "2022-09-10T10:00:00Z" },
      amount_usd: 18020,
      pack: "test@3",
    });
    expect(fan?.id).toMatch(/^alr_[0-9a-f]{16}$/);
    expect(fan?.subjects).toEqual([
      { account: "001:H", role: "hub" },
      ...["A1", "A2", "A3", "A4", "A5", "A6"].map((a) => ({ account: `001:${a}`, role: "originator" })),
    ]);
    // Every transaction with its source line, in the same order.
    expect(fan?.sources).toEqual([2, 3, 4, 5, 6, 7].map((line) => ({ file: sha, line })));
    expect(fan?.transactions).toEqual([2, 3, 4, 5, 6, 7].map((line) => `${sha.slice(0, 12)}:${line}`));
    expect(fan?.reasons[0]).toMatch(/^6 distinct accounts sent money to 001:H within 9 day\(s\)/);
    expect(fan?.params).toMatchObject({ min_counterparties: 5, window_days: 30 });

    const [structuring] = await alerts("--typology", "structuring");
    expect(structuring?.subjects).toEqual([{ account: "001:S", role: "member" }]);
    expect(structuring?.sources).toEqual([8, 9].map((line) => ({ file: sha, line })));
    expect(structuring?.sar_activities).toEqual(["114"]);
    expect(structuring?.reasons.join(" ")).toMatch(/together 16,600 USD/);
  });

  it("changes nothing when run again on the same data, incrementally or in full", async () => {
    const before = await alerts();
    const again = JSON.parse((await cli(["--workspace", ws, "--json", "detect", "--pack", pack])).stdout);
    // Nothing ingested since: every evaluable detector is incremental and has nothing to look at.
    expect(again.newTransactions).toBe(0);
    expect(again.detectors.map((d: { run: string }) => d.run)).toEqual([
      "incremental",
      "incremental",
      "incremental",
      "full",
    ]);
    // Incremental detectors did not look at everything: whether old alerts would be raised is unknown.
    expect(again.alerts).toEqual({ new: 0, updated: 0, unchanged: 0, not_raised: null, rechecked: 0 });
    const full = JSON.parse(
      (await cli(["--workspace", ws, "--json", "detect", "--pack", pack, "--full"])).stdout,
    );
    expect(full.newTransactions).toBe(10);
    expect(full.detectors.every((d: { run: string }) => d.run === "full")).toBe(true);
    expect(full.alerts).toEqual({ new: 0, updated: 0, unchanged: 2, not_raised: 0, rechecked: null });
    expect(await alerts()).toEqual(before);
  });

  it("extends an alert with more data instead of raising another", async () => {
    const [before] = await alerts("--typology", "fan-in");
    const more = writeFile(t.dir, "more.csv", [AMLWORLD_HEADER, row(11, "A7", "H", 3001), ""].join("\n"));
    expect((await cli(["--workspace", ws, "ingest", more, "--format", "amlworld"])).code).toBe(0);
    const r = await cli(["--workspace", ws, "--json", "detect", "--pack", pack]);
    // Incremental: only the fan with the new payment is looked at again, and extended.
    expect(JSON.parse(r.stdout)).toMatchObject({
      newTransactions: 1,
      // The fan's alert names H, which has a new payment: looked at again, and extended.
      alerts: { new: 0, updated: 1, unchanged: 0, not_raised: null, rechecked: 1 },
    });
    const after = await alerts("--typology", "fan-in");
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before?.id);
    expect(after[0]?.transactions).toHaveLength(7);
    expect(after[0]?.subjects.map((s) => s.account)).toContain("001:A7");
    expect(after[0]?.window.to).toBe("2022-09-11T10:00:00Z");
    // The fan was looked at again, all of it: its reasons are those of seven senders, and what
    // was said of six is kept apart, not told beside them as if still true.
    expect(before?.reasons[0]).toMatch(/^6 distinct accounts sent money to 001:H within 9 day\(s\)/);
    expect(after[0]?.reasons[0]).toMatch(/^7 distinct accounts sent money to 001:H within 10 day\(s\)/);
    expect(after[0]?.reasons.filter((r) => r.startsWith("6 distinct"))).toEqual([]);
    expect(after[0]?.superseded_reasons).toContain(before?.reasons[0]);
    // A record that never had its reasons superseded has no such field.
    expect(before?.superseded_reasons).toBeUndefined();
  });

  it("looks again at an alert about an account with new transactions, as a full run would", async () => {
    const [before] = await alerts("--typology", "structuring");
    // S takes a little cash on another day: not part of its pattern, but what the alert said of
    // S's cash, with no other day, no longer holds.
    const later = writeFile(
      t.dir,
      "later.csv",
      [AMLWORLD_HEADER, row(20, "S", "S", 300, "Cash"), row(21, "Q", "P", 30, "ACH"), ""].join("\n"),
    );
    expect((await cli(["--workspace", ws, "ingest", later, "--format", "amlworld"])).code).toBe(0);
    const r = await cli(["--workspace", ws, "--json", "detect", "--pack", pack]);
    expect(r.code, r.stderr).toBe(0);
    // The structuring alert names S; the fan-in alert names none of S, Q and P.
    expect(JSON.parse(r.stdout).alerts).toEqual({
      new: 0,
      updated: 1,
      unchanged: 0,
      not_raised: null,
      rechecked: 1,
    });
    const [after] = await alerts("--typology", "structuring");
    expect(after?.id).toBe(before?.id);
    expect(after?.transactions).toEqual(before?.transactions);
    expect(after?.reasons).not.toEqual(before?.reasons);
    expect(after?.superseded_reasons?.length).toBeGreaterThan(0);
    // A full run now finds every alert as the incremental run left it.
    const full = await cli(["--workspace", ws, "--json", "detect", "--pack", pack, "--full"]);
    expect(JSON.parse(full.stdout).alerts).toMatchObject({ new: 0, updated: 0, rechecked: null });
  });

  it("filters and formats: typology, minimum score, csv and table", async () => {
    const all = await alerts();
    const scores = all.map((a) => a.score).sort((x, y) => x - y);
    expect(scores[0]).toBeLessThan(scores[1] as number);
    // Just above the lowest score: that alert is left out, the other kept.
    const above = await alerts("--min-score", String((scores[0] as number) + 0.0005));
    expect(above.map((a) => a.score)).toEqual([scores[1]]);
    expect(await alerts("--typology", "cycle")).toEqual([]);
    const csv = await cli(["--workspace", ws, "alerts", "--format", "csv"]);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "id,typology,score,severity,status,subjects,window_from,window_to,amount_usd,transactions,reasons",
    );
    expect(lines).toHaveLength(3);
    const table = await cli(["--workspace", ws, "alerts", "--format", "table"]);
    expect(table.stdout).toMatch(/fan-in/);
  });

  it("runs only the detectors asked for, from the pack given", async () => {
    const pack = writeFile(
      t.dir,
      "pack.yaml",
      "pack: strict\nversion: 2\ndetectors:\n  fan-in:\n    min_counterparties: 8\n    alike_min_counterparties: 8\n",
    );
    const ws2 = `${t.dir}/ws2`;
    expect((await cli(["--workspace", ws2, "ingest", firstPath, "--format", "amlworld"])).code).toBe(0);
    const r = await cli(["--workspace", ws2, "--json", "detect", "--pack", pack]);
    expect(r.code, r.stderr).toBe(0);
    // Six senders are fewer than eight, alike or not: nothing.
    expect(JSON.parse(r.stdout)).toMatchObject({
      pack: "strict@2",
      typologies: {},
      detectors: [{ detector: "fan-in@2", findings: 0 }],
    });
    const only = await cli(["--workspace", ws2, "--json", "detect", "--only", "structuring"]);
    expect(JSON.parse(only.stdout).typologies).toEqual({ structuring: 1 });
    // The default pack raises the fan; the strict one, run over everything, no longer does: the
    // alert is counted as not raised again, and kept (its status is the analyst's to change).
    const loose = await cli(["--workspace", ws2, "--json", "detect", "--only", "fan-in"]);
    expect(JSON.parse(loose.stdout).typologies).toEqual({ "fan-in": 1 });
    const strict = await cli(["--workspace", ws2, "--json", "detect", "--pack", pack, "--full"]);
    expect(JSON.parse(strict.stdout).alerts).toEqual({
      new: 0,
      updated: 0,
      unchanged: 0,
      not_raised: 1,
      rechecked: null,
    });
    const human = await cli(["--workspace", ws2, "detect", "--pack", pack, "--full"]);
    expect(human.stderr).toMatch(/1 stored not raised again \(kept/);
    const kept = await cli(["--workspace", ws2, "alerts", "--typology", "fan-in"]);
    expect(kept.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("ranks accounts by their alerts with the reasons (risk), in table, jsonl and csv", async () => {
    const r = await cli(["--workspace", ws, "risk", "--format", "jsonl"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { account: string; score: number; alerts: string[]; explanation: string });
    const hub = rows.find((x) => x.account === "001:H");
    const [fan] = await alerts("--typology", "fan-in");
    expect(hub?.alerts).toEqual([fan?.id]);
    expect(hub?.score).toBe(fan?.score);
    expect(hub?.explanation).toMatch(
      /^1 alert \(fan-in\) from 1 detector, citing 1 advisory or regulation \(FIN-2020-A008\)$/,
    );
    // Each payer of the fan is named as a counterparty: half the weight of its hub.
    const payer = rows.find((x) => x.account === "001:A1");
    expect(payer?.score).toBeCloseTo((fan?.score ?? 0) / 2, 2);
    expect(rows[0]?.score).toBeGreaterThanOrEqual(rows.at(-1)?.score ?? 1);
    const top = await cli(["--workspace", ws, "risk", "--top", "1", "--format", "csv"]);
    const lines = top.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "account,score,alerts,typologies,detectors,advisories,sar_activities,amount_usd,explanation",
    );
    expect(lines).toHaveLength(2);
    const table = await cli(["--workspace", ws, "risk"]);
    expect(table.stdout).toMatch(/001:H/);
    expect((await cli(["--workspace", ws, "risk", "--top", "0"])).code).toBe(2);
  });

  it("refuses a bad pack or option with exit 2", async () => {
    const unknown = writeFile(t.dir, "unknown.yaml", "pack: x\nversion: 1\ndetectors:\n  psychic: {}\n");
    const badParam = writeFile(
      t.dir,
      "bad.yaml",
      "pack: x\nversion: 1\ndetectors:\n  fan-in:\n    min_counterparties: many\n",
    );
    const extra = writeFile(
      t.dir,
      "extra.yaml",
      "pack: x\nversion: 1\ndetectors:\n  fan-in:\n    colour: red\n",
    );
    for (const args of [
      ["detect", "--pack", unknown],
      ["detect", "--pack", badParam],
      ["detect", "--pack", extra],
      ["detect", "--pack", `${t.dir}/missing.yaml`],
      ["detect", "--only", "psychic"],
      ["alerts", "--format", "pdf"],
      ["alerts", "--min-score", "2"],
    ]) {
      const r = await cli(["--workspace", ws, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});
