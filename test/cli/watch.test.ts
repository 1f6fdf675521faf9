import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dropInto, startWatch } from "../../bench/watched-run.js";
import { detectSnapshotDir } from "../../src/cli/detect.js";
import { readGraphSnapshot, readSnapshotManifest } from "../../src/graph/graph-snapshot.js";
import { projectRoot } from "../../src/util/project-root.js";
import { plantedRows } from "../generated-workspace.js";
import { cli, tempDir, withStore } from "../helpers.js";

/**
 * `moneytrail watch` (docs/watch.md): the files a feed drops in an inbox are ingested and moved
 * out, then detect runs on the graph the last run left in memory, and the alerts are those the
 * commands leave after the same files, byte for byte.
 */
const t = tempDir();
afterAll(t.cleanup);

let mapping: string;
let header: string;
let rows: string[];

beforeAll(async () => {
  ({ mapping, header, rows } = await plantedRows(t.dir, 4, { accounts: 2000, transactions: 40_000 }));
}, 120_000);

const csv = (lines: string[]) => `${[header, ...lines].join("\n")}\n`;

/** `watch`'s arguments for an inbox of the world's generic files. */
const watchArgs = (ws: string, inbox: string, ...more: string[]) => [
  "--workspace",
  ws,
  "watch",
  inbox,
  "--format",
  "csv",
  "--mapping",
  mapping,
  ...more,
];

async function run(ws: string, ...args: string[]) {
  const r = await cli(["--workspace", ws, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const alerts = async (ws: string) => (await run(ws, "alerts", "--format", "jsonl")).split("\n").sort();

/** Whether the workspace's detection snapshot names measures (of its graph: it never names another's). */
const measuresNamed = (ws: string) => readSnapshotManifest(detectSnapshotDir(ws))?.measures !== undefined;

/** The alerts the commands leave after each of `files` ingested then detected (from the workspace's snapshot). */
async function alertsOfCommands(name: string, files: string[]): Promise<string[]> {
  const ws = join(t.dir, `${name}-commands`);
  for (const [i, file] of files.entries()) {
    await run(ws, "ingest", file, "--format", "csv", "--mapping", mapping);
    const d = JSON.parse(await run(ws, "--json", "detect"));
    expect(d.graphFrom).toBe(i === 0 ? "store" : "snapshot");
  }
  return alerts(ws);
}

interface Look {
  files: { path: string; accepted: number; already_ingested: boolean }[];
  failed: { path: string; error: string }[];
  detect: {
    graphFrom: string;
    newTransactions: number;
    detectors: { detector: string; run: string; status: string }[];
    alerts: { new: number; updated: number };
  } | null;
}

describe("watch", () => {
  it("takes each file a feed drops, once whole; detects on the graph kept in memory; leaves the alerts the commands leave", async () => {
    const ws = join(t.dir, "ws-feed");
    const inbox = join(t.dir, "inbox-feed");
    const feed = join(t.dir, "feed");
    mkdirSync(inbox);
    mkdirSync(feed);
    // Three deliveries by time: the first most of it, then the next days in two files.
    const a = Math.floor(rows.length * 0.9);
    const b = Math.floor(rows.length * 0.95);
    const files = [rows.slice(0, a), rows.slice(a, b), rows.slice(b)].map((part, i) => {
      const file = join(feed, `day-${i}.csv`);
      writeFileSync(file, csv(part));
      return file;
    });
    // Started while another process holds the workspace: its first run waits for it.
    const w = await withStore(ws, async () => {
      const started = startWatch(projectRoot(), watchArgs(ws, inbox, "--interval", "0.2"));
      try {
        await started.until(() => started.stderr().includes("in use by another moneytrail process"));
        expect(started.looks()).toHaveLength(0);
      } catch (error) {
        await started.stop();
        throw error;
      }
      return started;
    });
    const looks = () => w.looks<Look>();
    try {
      // The first look: nothing stored yet; then each delivery in turn, the next once the last is done.
      await w.until(() => looks().length === 1);
      for (const [i, file] of files.entries()) {
        if (i < 2) {
          dropInto(inbox, file);
          await w.until(() => looks().length === i + 2);
          // The run leaves its graph's measures to the process, which writes them when idle.
          if (i === 1) await vi.waitFor(() => expect(measuresNamed(ws)).toBe(true), { timeout: 20_000 });
          continue;
        }
        // Another process holds the workspace when the last file comes: it waits in the inbox,
        // and is taken at the first look after the workspace is free.
        await withStore(ws, async () => {
          dropInto(inbox, file);
          await w.until(() => w.stderr().includes("in use by another moneytrail process"));
          expect(existsSync(join(inbox, `day-${i}.csv`))).toBe(true);
          expect(looks()).toHaveLength(i + 1);
        });
        await w.until(() => looks().length === i + 2);
      }
      // A file still being written (a dot name) is left alone.
      writeFileSync(join(inbox, ".day-3.csv.part"), csv(rows.slice(0, 10)));
      await new Promise((r) => setTimeout(r, 600));
      expect(looks()).toHaveLength(4);
    } finally {
      expect(await w.stop(), w.stderr()).toBe(0);
    }
    // Nothing went wrong but the busy workspace.
    expect(
      w
        .stderr()
        .split("\n")
        .filter((l) => l !== "" && !l.includes("in use by another")),
    ).toEqual([]);
    const [, first, second, third] = looks() as [Look, Look, Look, Look];
    // Each file ingested whole, moved to ingested/.
    expect(first.files.map((f) => f.accepted)).toEqual([a]);
    expect(second.files.map((f) => f.accepted)).toEqual([b - a]);
    expect(third.files.map((f) => f.accepted)).toEqual([rows.length - b]);
    for (const l of [first, second, third])
      for (const f of l.files) {
        expect(f.path).toContain(join(inbox, "ingested"));
        expect(existsSync(f.path)).toBe(true);
      }
    // The first run over every transaction; the later ones incremental, on the graph in memory.
    expect(first.detect?.newTransactions).toBe(a);
    for (const l of [second, third]) {
      expect(l.detect?.graphFrom).toBe("memory");
      expect(l.detect?.detectors.filter((d) => d.status === "ok").every((d) => d.run === "incremental")).toBe(
        true,
      );
    }
    expect(second.detect?.newTransactions).toBe(b - a);
    expect((second.detect?.alerts.new ?? 0) + (second.detect?.alerts.updated ?? 0)).toBeGreaterThan(0);
    // Stopped, it has left the last graph's measures in the snapshot, for a detect after it.
    const snapshot = await readGraphSnapshot(detectSnapshotDir(ws));
    expect(snapshot?.measures["lists:out-start"]).toHaveLength((snapshot?.columns.accounts.length ?? 0) + 1);
    expect(snapshot?.measures["lists:out-edges"]).toHaveLength(
      snapshot?.columns.from.filter((x) => x >= 0).length ?? -1,
    );
    const watched = await alerts(ws);
    expect(watched.length).toBeGreaterThan(20);
    expect(watched).toEqual(await alertsOfCommands("feed", files));
  }, 240_000);

  it("looks into changes made elsewhere: a file another command ingested, an edited reference list; not a read", async () => {
    const ws = join(t.dir, "ws-elsewhere");
    const inbox = join(t.dir, "inbox-elsewhere");
    const lists = join(t.dir, "reference-elsewhere");
    mkdirSync(inbox);
    cpSync(join(projectRoot(), "data", "reference"), lists, { recursive: true });
    const a = Math.floor(rows.length * 0.9);
    const [first, second] = [rows.slice(0, a), rows.slice(a)].map((part, i) => {
      const file = join(t.dir, `elsewhere-${i}.csv`);
      writeFileSync(file, csv(part));
      return file;
    }) as [string, string];
    const before = process.env.MONEYTRAIL_REFERENCE_DIR;
    process.env.MONEYTRAIL_REFERENCE_DIR = lists;
    const w = startWatch(projectRoot(), watchArgs(ws, inbox, "--interval", "0.2"));
    const looks = () => w.looks<Look>();
    try {
      await w.until(() => looks().length === 1);
      dropInto(inbox, first);
      await w.until(() => looks().length === 2);
      // Another command ingests the next file: the next look runs detect on it, from memory.
      await run(ws, "ingest", second, "--format", "csv", "--mapping", mapping);
      await w.until(() => looks().length === 3, 30_000);
      const taken = looks()[2] as Look;
      expect(taken.files).toEqual([]);
      expect(taken.detect?.graphFrom).toBe("memory");
      expect(taken.detect?.newTransactions).toBe(rows.length - a);
      expect(await alerts(ws)).toEqual(await alertsOfCommands("elsewhere", [first, second]));
      // Reading the workspace (the alerts just exported) changed nothing the alerts depend on.
      await new Promise((r) => setTimeout(r, 800));
      expect(looks()).toHaveLength(3);
      // A reference list edited: the detectors that consult it look at everything again.
      const path = join(lists, "border-cities.json");
      const border = JSON.parse(readFileSync(path, "utf8")) as { cities: unknown[] };
      border.cities.push({ city: "Ames", region: "IA", country: "US" });
      writeFileSync(path, JSON.stringify(border));
      await w.until(() => looks().length === 4, 30_000);
      const edited = (looks()[3] as Look).detect;
      expect(edited?.newTransactions).toBe(0);
      expect(edited?.detectors.find((d) => d.detector.startsWith("hs-border-funnel@"))?.run).toBe("full");
    } finally {
      if (before === undefined) delete process.env.MONEYTRAIL_REFERENCE_DIR;
      else process.env.MONEYTRAIL_REFERENCE_DIR = before;
      expect(await w.stop(), w.stderr()).toBe(0);
    }
  }, 240_000);

  it("--once: ingests the inbox's files, moves one it cannot read to failed/ with the reason, detects, exits 1", async () => {
    const ws = join(t.dir, "ws-once");
    const inbox = join(t.dir, "inbox-once");
    mkdirSync(inbox);
    const good = join(t.dir, "a-good.csv");
    writeFileSync(good, csv(rows.slice(0, 5000)));
    cpSync(good, join(inbox, "a-good.csv"));
    // Not the mapping's columns: unusable, nothing of it stored.
    writeFileSync(join(inbox, "b-bad.csv"), "when,who,how much\n2022-09-01,x,1\n");
    const r = await cli(["--json", ...watchArgs(ws, inbox, "--once")]);
    expect(r.code, r.stderr).toBe(1);
    const l = JSON.parse(r.stdout) as Look;
    expect(l.files.map((f) => [f.path, f.accepted])).toEqual([[join(inbox, "ingested", "a-good.csv"), 5000]]);
    expect(l.failed.map((f) => f.path)).toEqual([join(inbox, "failed", "b-bad.csv")]);
    expect(l.failed[0]?.error).toMatch(/column/i);
    expect(readFileSync(join(inbox, "failed", "b-bad.csv.error.txt"), "utf8")).toContain(l.failed[0]?.error);
    expect(l.detect?.graphFrom).toBe("store");
    // Its graph's measures written before it exits, for the next run to carry.
    expect(measuresNamed(ws)).toBe(true);
    expect(await alerts(ws)).toEqual(await alertsOfCommands("once", [good]));
    // The same file again: already stored, moved out, nothing detected.
    cpSync(good, join(inbox, "a-good.csv"));
    const r2 = await cli(["--json", ...watchArgs(ws, inbox, "--once")]);
    expect(r2.code, r2.stderr).toBe(0);
    const again = JSON.parse(r2.stdout) as Look;
    expect(again.files.map((f) => [f.path, f.already_ingested])).toEqual([
      [join(inbox, "ingested", "a-good.csv.2"), true],
    ]);
    expect(again.detect).toBeNull();
  }, 120_000);

  it("stopped between looks, writes the measures of the graph it holds into the snapshot", async () => {
    const ws = join(t.dir, "ws-stop");
    const inbox = join(t.dir, "inbox-stop");
    mkdirSync(inbox);
    const file = join(t.dir, "stop.csv");
    writeFileSync(file, csv(rows.slice(0, 5000)));
    await run(ws, "ingest", file, "--format", "csv", "--mapping", mapping);
    // A long interval: the signal comes while it waits for the next look, before any quiet one.
    const w = startWatch(projectRoot(), watchArgs(ws, inbox, "--interval", "600"));
    try {
      await w.until(() => w.looks().length === 1);
      expect(measuresNamed(ws)).toBe(false);
    } finally {
      expect(await w.stop(), w.stderr()).toBe(0);
    }
    expect(measuresNamed(ws)).toBe(true);
  }, 120_000);

  it("refuses no inbox, an inbox that is no directory, or a bad interval, as usage errors", async () => {
    const ws = join(t.dir, "ws-usage");
    const none = await cli(["--workspace", ws, "watch", "--format", "csv", "--mapping", mapping]);
    expect(none.code).toBe(2);
    const bad = await cli(watchArgs(ws, t.dir, "--interval", "0"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--interval");
    const missing = await cli(watchArgs(ws, join(t.dir, "no-such-inbox"), "--once"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("is not a directory");
  });
});
