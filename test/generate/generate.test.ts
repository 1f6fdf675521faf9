import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateWorld } from "../../src/generate/generate.js";
import { DEFAULT_OPTIONS, type WorldOptions } from "../../src/generate/world.js";
import { cli, tempDir } from "../helpers.js";
import { csvRecords } from "./world-files.js";

const t = tempDir();
afterAll(t.cleanup);

const SMALL: WorldOptions = { ...DEFAULT_OPTIONS, accounts: 800, transactions: 12_000, days: 30, seed: 11 };

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".yaml") || name.endsWith(".json")) {
      out.set(name, readFileSync(join(dir, name), "utf8"));
    }
  }
  return out;
}

describe("generate", () => {
  it("writes the same bytes for the same seed, in a worker thread or not, and other bytes for another seed", async () => {
    await generateWorld(join(t.dir, "a"), SMALL);
    await generateWorld(join(t.dir, "b"), SMALL, { threaded: false });
    await generateWorld(join(t.dir, "c"), { ...SMALL, seed: 12 });
    const [a, b, c] = ["a", "b", "c"].map((d) => filesOf(join(t.dir, d)));
    expect([...(a as Map<string, string>).keys()].sort()).toEqual(
      [
        "parties.csv",
        "parties.mapping.yaml",
        "patterns.txt",
        "transactions-generic.csv",
        "transactions-generic.mapping.yaml",
        "transactions.csv",
        "truth/accounts.csv",
        "truth/hard-negatives.csv",
        "truth/instances.csv",
        "truth/manifest.json",
        "truth/parties.csv",
        "truth/transactions.csv",
      ].sort(),
    );
    for (const [name, text] of a as Map<string, string>) expect(b?.get(name), name).toBe(text);
    expect(c?.get("transactions.csv")).not.toBe(a?.get("transactions.csv"));
  });

  it("writes both transaction files on the same lines, with the counts and digests the manifest gives", () => {
    const dir = join(t.dir, "a");
    const manifest = JSON.parse(readFileSync(join(dir, "truth", "manifest.json"), "utf8"));
    const aml = readFileSync(join(dir, "transactions.csv"), "utf8").trimEnd().split("\n");
    const generic = readFileSync(join(dir, "transactions-generic.csv"), "utf8").trimEnd().split("\n");
    expect(aml.length).toBe(generic.length);
    expect(manifest.files[0]).toMatchObject({
      name: "transactions.csv",
      format: "amlworld",
      rows: aml.length - 1,
    });
    // About the number asked for.
    expect(aml.length - 1).toBeGreaterThan(SMALL.transactions * 0.8);
    expect(aml.length - 1).toBeLessThan(SMALL.transactions * 1.25);
    // Labels agree: the AMLworld file's Is Laundering is 1 exactly on the truth's lines.
    const truthLines = new Set(csvRecords(join(dir, "truth", "transactions.csv")).map((r) => Number(r.line)));
    aml.forEach((line, i) => {
      if (i === 0) return;
      expect(line.endsWith(",1"), `line ${i + 1}`).toBe(truthLines.has(i + 1));
    });
    const patterns = readFileSync(join(dir, "patterns.txt"), "utf8");
    expect(patterns).toMatch(/^BEGIN LAUNDERING ATTEMPT - FAN-IN: Max \d+-degree Fan-In$/m);
    expect(patterns.match(/^BEGIN /gm)?.length).toBe(patterns.match(/^END /gm)?.length);
  });

  it("gives every party record its true entity; some people have records at several banks", () => {
    const dir = join(t.dir, "a");
    const parties = csvRecords(join(dir, "parties.csv"));
    const truth = csvRecords(join(dir, "truth", "parties.csv"));
    expect(truth.map((r) => r.record_id)).toEqual(parties.map((r) => r.record_id));
    const banksPerEntity = new Map<string, Set<string>>();
    truth.forEach((r, i) => {
      const set = banksPerEntity.get(r.entity_id as string) ?? new Set<string>();
      set.add(parties[i]?.bank as string);
      banksPerEntity.set(r.entity_id as string, set);
    });
    expect([...banksPerEntity.values()].filter((s) => s.size >= 2).length).toBeGreaterThan(10);
  });

  it("ingests cleanly in all three formats, every row accepted", async () => {
    const dir = join(t.dir, "a");
    const ws = join(t.dir, "ws");
    const runs = [
      ["ingest", join(dir, "transactions.csv"), "--format", "amlworld"],
      [
        "ingest",
        join(dir, "transactions-generic.csv"),
        "--format",
        "csv",
        "--mapping",
        join(dir, "transactions-generic.mapping.yaml"),
      ],
      [
        "ingest",
        join(dir, "parties.csv"),
        "--format",
        "parties",
        "--mapping",
        join(dir, "parties.mapping.yaml"),
      ],
    ];
    for (const args of runs) {
      const r = await cli(["--workspace", ws, "--json", ...args]);
      expect(r.code, r.stderr).toBe(0);
      const file = JSON.parse(r.stdout).files[0];
      expect(file.rejected, `${args[1]}: ${r.stderr}`).toBe(0);
      expect(file.accepted).toBe(file.rows);
    }
  }, 60_000);

  it("scores 1 for alerts and entities copied from its own truth, with no false alarm on a hard negative", async () => {
    const dir = join(t.dir, "a");
    const manifest = JSON.parse(readFileSync(join(dir, "truth", "manifest.json"), "utf8"));
    const sha = manifest.files[0].sha256 as string;
    const rows = csvRecords(join(dir, "truth", "transactions.csv"));
    const members = csvRecords(join(dir, "truth", "accounts.csv"));
    const instances = csvRecords(join(dir, "truth", "instances.csv"));
    const alerts = instances.map((i, n) => {
      const mine = rows.filter((r) => r.instance === i.instance);
      return JSON.stringify({
        id: `alr_${n}`,
        typology: i.typology,
        score: 1,
        severity: "high",
        status: "new",
        detectors: ["truth@1"],
        subjects: members
          .filter((m) => m.instance === i.instance)
          .map((m) => ({ account: m.account, role: m.role })),
        transactions: mine.map((r) => r.id),
        sources: mine.map((r) => ({ file: sha, line: Number(r.line) })),
        window: { from: i.first, to: i.last },
        amount_usd: 0,
        reasons: ["copied from the truth"],
        params: {},
      });
    });
    const alertsPath = join(t.dir, "perfect-alerts.jsonl");
    writeFileSync(alertsPath, `${alerts.join("\n")}\n`);
    const entitiesPath = join(t.dir, "perfect-entities.csv");
    writeFileSync(entitiesPath, readFileSync(join(dir, "truth", "parties.csv")));
    const r = await cli([
      "--json",
      "evaluate",
      "--truth",
      dir,
      "--alerts",
      alertsPath,
      "--entities",
      entitiesPath,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.detection.overall.transactions).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(out.detection.overall.accounts).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    for (const typology of out.detection.typologies)
      expect(typology.instances_found).toBe(typology.instances);
    for (const negative of out.detection.hard_negatives) expect(negative.alerted, negative.kind).toBe(0);
    expect(out.resolution.pairwise).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(out.resolution.bcubed).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it("prints realism figures with --json, and refuses bad options with exit 2", async () => {
    const r = await cli([
      "--json",
      "generate",
      "--out",
      join(t.dir, "cli"),
      "--accounts",
      "500",
      "--transactions",
      "5000",
      "--days",
      "20",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.realism.out_degree.max).toBeGreaterThan(out.realism.out_degree.p50);
    expect(Object.keys(out.realism.amount_usd_by_channel)).toEqual(
      expect.arrayContaining(["card", "ach", "cash", "wire"]),
    );
    expect(out.realism.typologies["fan-in"].instances).toBeGreaterThan(0);
    for (const bad of [
      ["--accounts", "ten"],
      ["--days", "3"],
      ["--prevalence", "2"],
      ["--fan-spread", "0.5"],
      ["--fan-spread", "wide"],
    ]) {
      const e = await cli(["generate", "--out", join(t.dir, "bad"), ...bad]);
      expect(e.code, bad.join(" ")).toBe(2);
    }
    expect((await cli(["generate"])).code).toBe(2);
  }, 60_000);
});
