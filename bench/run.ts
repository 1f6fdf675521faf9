import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatTable } from "../src/cli/table.js";
import { projectRoot } from "../src/util/project-root.js";
import { writeAmlworldFile } from "./amlworld-file.js";
import { graphFigures, graphWorkspace } from "./graph.js";
import { holdOutAccounts, holdOutLatest } from "./hold-out.js";
import { RESOLVE_TARGETS, resolveFigures } from "./resolve.js";
import { timedCli } from "./timed-cli.js";
import { watchedRun } from "./watched-run.js";

/**
 * `npm run bench` (`node dist/bench/run.js [--rows N] [--runs N]`): ingest throughput of an
 * AMLworld file against DuckDB's bare `read_csv` of the same file, re-ingest, generation
 * throughput of the standard synthetic world with the ingest of its parties, the graph, detection,
 * and entity resolution of a million party records (bench/resolve.ts). A measurement, not a
 * test: it exits 0 when a target is missed, and non-zero only when something fails to run.
 */

const DEFAULT_ROWS = 5_000_000;
const DEFAULT_RUNS = 3;
const SEED = 20220901;
const TARGETS = {
  ingestSeconds: 12,
  peakRssKb: 2.5 * 1024 * 1024,
  ratioToReadCsv: 4,
  reingestSeconds: 1,
  generatedPerSecond: 500_000,
  graphBuildSeconds: 3,
  bytesPerEdge: 64,
  traceP95Ms: 100,
  neighbourhoodP95Ms: 5,
  louvainSeconds: 10,
  detectSeconds: 30,
  detectRssKb: 4 * 1024 * 1024,
  incrementalShare: 0.1,
};

interface TimedRun {
  wallSeconds: number;
  maxRssKb: number;
  result: Record<string, unknown>;
}

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a positive whole number, got "${text}"`);
  return n;
}

/**
 * `--rows N` (default 5,000,000), `--runs N` (default 3: this machine's timings vary by a quarter)
 * and `--only ingest,generate,graph,detect,resolve` (default all).
 */
function parseOptions(argv: string[]): { rows: number; runs: number; only: Set<string> } {
  const { values } = parseArgs({
    args: argv,
    options: { rows: { type: "string" }, runs: { type: "string" }, only: { type: "string" } },
    strict: true,
  });
  const only = new Set(values.only ? values.only.split(",").map((x) => x.trim()) : SECTIONS);
  for (const name of only) {
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`--only takes ${SECTIONS.join(", ")}, got "${name}"`);
  }
  return {
    rows: positiveInteger("--rows", values.rows, DEFAULT_ROWS),
    runs: positiveInteger("--runs", values.runs, DEFAULT_RUNS),
    only,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The range over runs: `5.01–5.96 s` (whole numbers for rates). */
function spread(values: number[], unit: string): string {
  const digits = unit === "tx/s" ? 0 : 2;
  return values.length > 1
    ? `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} ${unit}`
    : "";
}

/** The sample file, written once per row count (to a temporary name, so a broken run leaves none). */
function sampleFile(outDir: string, rows: number): { path: string; generatedSeconds: number | null } {
  const path = join(outDir, `amlworld-${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return { path, generatedSeconds: null };
  const partial = `${path}.partial`;
  const started = performance.now();
  writeAmlworldFile(partial, rows, SEED);
  const generatedSeconds = (performance.now() - started) / 1000;
  renameSync(partial, path);
  return { path, generatedSeconds };
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** DuckDB's own CSV reader, materialising all 11 columns as text: the floor an ingest is held to. */
async function bareReadCsv(path: string): Promise<{ seconds: number; rows: number }> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const names = [
      "timestamp",
      "from_bank",
      "from_account",
      "to_bank",
      "to_account",
      "amount_received",
      "receiving_currency",
      "amount_paid",
      "payment_currency",
      "payment_format",
      "is_laundering",
    ];
    const columns = names.map((n) => `'${n}': 'VARCHAR'`).join(", ");
    const started = performance.now();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(path)}, header=true, auto_detect=false,
      delim=',', quote='"', columns={${columns}})`);
    const seconds = (performance.now() - started) / 1000;
    const count = (await c.runAndReadAll("SELECT count(*) AS n FROM t")).getRowObjectsJson()[0]?.n;
    return { seconds, rows: Number(count) };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** One `moneytrail ingest` of an AMLworld file: wall seconds, peak RSS and the file's result. */
function timedIngest(root: string, workspace: string, file: string): TimedRun {
  const r = timedCli(root, ["--workspace", workspace, "ingest", file, "--format", "amlworld"]);
  const files = (r.out as { files: Record<string, unknown>[] }).files;
  return { wallSeconds: r.wallSeconds, maxRssKb: r.maxRssKb, result: files[0] ?? {} };
}

/**
 * `moneytrail generate` of the standard world (100k accounts, 2M transactions), then the ingest of
 * its parties file: generation throughput counts the whole command, process start included.
 */
function timedGenerate(
  root: string,
  outDir: string,
): { txPerSecond: number; wallSeconds: number; maxRssKb: number; partiesSeconds: number; parties: number } {
  const dir = join(outDir, "generated");
  rmSync(dir, { recursive: true, force: true });
  const g = timedCli(root, [
    "generate",
    "--out",
    dir,
    "--accounts",
    "100000",
    "--transactions",
    "2000000",
    "--seed",
    "1",
  ]);
  const transactions = Number(g.out.transactions);
  const workspace = join(outDir, "ws-parties");
  rmSync(workspace, { recursive: true, force: true });
  const p = timedCli(root, [
    "--workspace",
    workspace,
    "ingest",
    join(dir, "parties.csv"),
    "--format",
    "parties",
    "--mapping",
    join(dir, "parties.mapping.yaml"),
  ]);
  const parties = Number((p.out as { files: { accepted: number }[] }).files[0]?.accepted);
  return {
    txPerSecond: transactions / g.wallSeconds,
    wallSeconds: g.wallSeconds,
    maxRssKb: g.maxRssKb,
    partiesSeconds: p.wallSeconds,
    parties,
  };
}

function mark(met: boolean): string {
  return met ? "yes" : "NO";
}

type Row = (string | number)[];
interface Section {
  rows: Row[];
  json: Record<string, unknown>;
}

const gib = (kb: number) => `${(kb / 1024 / 1024).toFixed(2)} GiB`;

/** Ingest of the AMLworld sample against bare read_csv, and re-ingest (the foundation issue). */
async function ingestSection(root: string, outDir: string, rows: number, runs: number): Promise<Section> {
  const sample = sampleFile(outDir, rows);
  const bytes = statSync(sample.path).size;
  process.stderr.write(
    sample.generatedSeconds === null
      ? `reusing ${sample.path} (${rows} rows)\n`
      : `wrote ${sample.path}: ${rows} rows in ${sample.generatedSeconds.toFixed(2)} s (${Math.round(rows / sample.generatedSeconds)} rows/s)\n`,
  );
  // Each run times the bare reader and moneytrail back to back, so that both see the same machine;
  // the ratio is taken per run, and every figure reported is the median over the runs.
  const bareRuns: number[] = [];
  const ingests: TimedRun[] = [];
  const agains: TimedRun[] = [];
  const workspace = join(outDir, "ws");
  for (let run = 1; run <= runs; run++) {
    process.stderr.write(`run ${run}/${runs}: DuckDB read_csv, moneytrail ingest, ingest again...\n`);
    const bare = await bareReadCsv(sample.path);
    if (bare.rows !== rows) throw new Error(`read_csv read ${bare.rows} rows, expected ${rows}`);
    bareRuns.push(bare.seconds);
    rmSync(workspace, { recursive: true, force: true });
    const ingest = timedIngest(root, workspace, sample.path);
    if (ingest.result.accepted !== rows) {
      throw new Error(
        `ingest accepted ${String(ingest.result.accepted)} of ${rows} rows: ${JSON.stringify(ingest.result)}`,
      );
    }
    ingests.push(ingest);
    agains.push(timedIngest(root, workspace, sample.path));
  }
  const bareSeconds = median(bareRuns);
  const ingestWall = ingests.map((r) => r.wallSeconds);
  const ingestSeconds = median(ingestWall);
  const ratios = ingests.map((r, i) => r.wallSeconds / (bareRuns[i] as number));
  const ratio = median(ratios);
  const peakRssKb = Math.max(...ingests.map((r) => r.maxRssKb));
  const againWall = agains.map((r) => r.wallSeconds);
  const againSeconds = median(againWall);
  const alreadyIngested = agains.every((r) => r.result.already_ingested === true);
  const checks = {
    ingest: ingestSeconds <= TARGETS.ingestSeconds,
    peakRss: peakRssKb <= TARGETS.peakRssKb,
    ratio: ratio <= TARGETS.ratioToReadCsv,
    reingest: againSeconds <= TARGETS.reingestSeconds,
    alreadyIngested,
  };
  return {
    rows: [
      ["rows", rows, "", "", ""],
      ["file size", `${(bytes / 1024 / 1024).toFixed(1)} MiB`, "", "", ""],
      ["runs", runs, "", "", ""],
      ["DuckDB read_csv (bare)", `${bareSeconds.toFixed(2)} s`, spread(bareRuns, "s"), "", ""],
      [
        "ingest wall time",
        `${ingestSeconds.toFixed(2)} s`,
        spread(ingestWall, "s"),
        `<= ${TARGETS.ingestSeconds} s`,
        mark(checks.ingest),
      ],
      ["ingest rows/s", Math.round(rows / ingestSeconds), "", "", ""],
      ["ingest peak RSS (max)", gib(peakRssKb), "", `<= ${gib(TARGETS.peakRssKb)}`, mark(checks.peakRss)],
      [
        "ingest / read_csv",
        `${ratio.toFixed(2)}x`,
        spread(ratios, "x"),
        `<= ${TARGETS.ratioToReadCsv}x`,
        mark(checks.ratio),
      ],
      [
        "re-ingest wall time",
        `${againSeconds.toFixed(2)} s`,
        spread(againWall, "s"),
        `<= ${TARGETS.reingestSeconds} s`,
        mark(checks.reingest),
      ],
      ["re-ingest already_ingested", String(alreadyIngested), "", "true", mark(alreadyIngested)],
    ],
    json: {
      rows,
      file: sample.path,
      file_bytes: bytes,
      generated_seconds: sample.generatedSeconds,
      read_csv_seconds: bareSeconds,
      read_csv_runs: bareRuns,
      ingest: {
        wall_seconds: ingestSeconds,
        wall_runs: ingestWall,
        max_rss_kb: peakRssKb,
        result: ingests[0]?.result,
      },
      reingest: { wall_seconds: againSeconds, wall_runs: againWall, result: agains[0]?.result },
      ratio_to_read_csv: ratio,
      ratio_runs: ratios,
      met: checks,
    },
  };
}

/** Generation of the standard world and the ingest of its parties (the generator issue). */
function generateSection(root: string, outDir: string, runs: number): Section {
  process.stderr.write("generate the standard world, ingest its parties...\n");
  const generations = Array.from({ length: runs }, () => timedGenerate(root, outDir));
  const genRates = generations.map((g) => g.txPerSecond);
  const genRate = median(genRates);
  const partiesSeconds = generations.map((g) => g.partiesSeconds);
  return {
    rows: [
      [
        "generate 2M transactions, tx/s",
        Math.round(genRate),
        spread(genRates, "tx/s"),
        `>= ${TARGETS.generatedPerSecond}`,
        mark(genRate >= TARGETS.generatedPerSecond),
      ],
      ["generate peak RSS (max)", gib(Math.max(...generations.map((g) => g.maxRssKb))), "", "", ""],
      ["ingest 97k parties", `${median(partiesSeconds).toFixed(2)} s`, spread(partiesSeconds, "s"), "", ""],
    ],
    json: { tx_per_second: genRate, runs: generations },
  };
}

/** The money-flow graph of a 5M-transaction world: build, size and query times (the graph issue). */
async function graphSection(outDir: string): Promise<Section> {
  const { figures } = await graphFigures(outDir);
  const build = figures.exportSeconds + figures.buildSeconds;
  const rows: Row[] = [
    ["graph edges / accounts", `${figures.edges} / ${figures.accounts}`, "", "", ""],
    [
      "graph from the store (export + build)",
      `${build.toFixed(2)} s`,
      `${figures.exportSeconds.toFixed(2)} + ${figures.buildSeconds.toFixed(2)} s`,
      `<= ${TARGETS.graphBuildSeconds} s`,
      mark(build <= TARGETS.graphBuildSeconds),
    ],
    [
      "graph bytes per edge",
      figures.bytesPerEdge.toFixed(1),
      "",
      `<= ${TARGETS.bytesPerEdge}`,
      mark(figures.bytesPerEdge <= TARGETS.bytesPerEdge),
    ],
  ];
  rows.push([
    "3-hop neighbourhood, median account, p95",
    `${figures.neighbourhoodP95Ms.toFixed(1)} ms`,
    "200 accounts",
    `<= ${TARGETS.neighbourhoodP95Ms} ms`,
    mark(figures.neighbourhoodP95Ms <= TARGETS.neighbourhoodP95Ms),
  ]);
  for (const [method, ms] of Object.entries(figures.traceP95Ms)) {
    rows.push([
      `6-hop ${method} trace from a hub, p95`,
      `${ms.toFixed(0)} ms`,
      "top 20 hubs, --min-flow 0.01%",
      `<= ${TARGETS.traceP95Ms} ms`,
      mark(ms <= TARGETS.traceP95Ms),
    ]);
  }
  for (const [name, value] of Object.entries(figures.extra)) {
    const isOurs = name === "Louvain, moneytrail (s)";
    rows.push([
      name,
      value,
      "",
      isOurs ? `<= ${TARGETS.louvainSeconds} s` : "",
      isOurs ? mark(Number(value) <= TARGETS.louvainSeconds) : "",
    ]);
  }
  return { rows, json: { ...figures } };
}

/** A later delivery the detect bench measures an incremental run after. */
interface Delivery {
  /** Prefix of its files and workspaces in the bench's directory. */
  name: string;
  /** How its rows read in the table. */
  label: string;
  /** Its figures' key in latest.json (the first delivery's are at the section's top). */
  key?: string;
  /** The graph world's file it splits, and how that file is ingested. */
  file: string;
  format(world: string): string[];
  split(source: string, first: string, later: string): Promise<unknown>;
  /**
   * Delivered in two halves by time (the field of each row that holds it), with an incremental
   * run after each; the second is measured: a run on a snapshot that already has a delta, and
   * (with details) details kept from before the first.
   */
  halves?: { timeField: number };
}

const AMLWORLD_FILE = { file: "transactions.csv", format: () => ["--format", "amlworld"] };

/** The generic file's latest 1% (its time is the second field). */
const GENERIC_LATEST = {
  file: "transactions-generic.csv",
  format: (world: string) => [
    "--format",
    "csv",
    "--mapping",
    join(world, "transactions-generic.mapping.yaml"),
  ],
  split: (source: string, first: string, later: string) => holdOutLatest(source, first, later, 0.01, 1),
};

const DELIVERIES: readonly Delivery[] = [
  {
    name: "detect",
    label: "the later delivery",
    ...AMLWORLD_FILE,
    split: (source, first, later) => holdOutAccounts(source, first, later, 200),
  },
  {
    name: "detect-latest",
    label: "the latest days",
    key: "latestDays",
    ...AMLWORLD_FILE,
    split: (source, first, later) => holdOutLatest(source, first, later, 0.01),
  },
  {
    // The same world as a bank's export with merchants, places, branches and conductors: every
    // detector runs (AMLworld's fields leave the trafficking and smuggling ones NOT_EVALUABLE).
    name: "detect-details",
    label: "the latest days, with details",
    key: "withDetails",
    ...GENERIC_LATEST,
  },
  {
    // The same delivery in two halves: what a feed's runs cost after the first one after a full run.
    name: "detect-details-halves",
    label: "the second half of the latest days, with details",
    key: "withDetailsSecondHalf",
    ...GENERIC_LATEST,
    halves: { timeField: 1 },
  },
];

/** A full run over the first delivery, the later one ingested, and the incremental run. */
async function incrementalRun(root: string, outDir: string, delivery: Delivery) {
  const world = join(outDir, "graph-world");
  const baseWs = join(outDir, `${delivery.name}-base-ws`);
  const later = join(outDir, `${delivery.name}-later.csv`);
  // What comes after the first delivery: the later file, or its two halves by time.
  const halves = delivery.halves
    ? ([1, 2].map((k) => join(outDir, `${delivery.name}-later-${k}.csv`)) as [string, string])
    : null;
  const deliveries = halves ?? [later];
  // The first delivery's workspace and the later files, made once per graph world.
  const stamp = readFileSync(join(world, "truth", "manifest.json"), "utf8");
  const stampFile = join(baseWs, "world-manifest.json");
  const made = [later, ...deliveries].every((f) => existsSync(f));
  if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp || !made) {
    rmSync(baseWs, { recursive: true, force: true });
    const first = join(outDir, `${delivery.name}-first.csv`);
    process.stderr.write(
      `detect bench (${delivery.label}): splitting the world and ingesting the first delivery...\n`,
    );
    await delivery.split(join(world, delivery.file), first, later);
    if (halves && delivery.halves)
      await holdOutLatest(later, halves[0], halves[1], 0.5, delivery.halves.timeField);
    timedCli(root, ["--workspace", baseWs, "ingest", first, ...delivery.format(world)]);
    rmSync(first, { force: true });
    writeFileSync(stampFile, stamp);
  }
  const ws = join(outDir, `${delivery.name}-ws`);
  rmSync(ws, { recursive: true, force: true });
  cpSync(baseWs, ws, { recursive: true });
  // The copy may hold alerts and a graph snapshot from an earlier run: start without either.
  rmSync(join(ws, "cache"), { recursive: true, force: true });
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(join(ws, "moneytrail.duckdb"));
  const c = await db.connect();
  await c.run("DELETE FROM alerts");
  const n = Number(
    (await c.runAndReadAll("SELECT count(*) AS n FROM transaction_rows")).getRowObjectsJson()[0]?.n,
  );
  c.closeSync();
  db.closeSync();
  const full = timedCli(root, ["--workspace", ws, "detect"]);
  // The same workspace for `watch`, which takes the same deliveries after the commands are measured.
  const watchWs = `${ws}-watch`;
  rmSync(watchWs, { recursive: true, force: true });
  cpSync(ws, watchWs, { recursive: true });
  const ingest = (file: string) =>
    timedCli(root, ["--workspace", ws, "ingest", file, ...delivery.format(world)]);
  // Each delivery but the last with its incremental run, unmeasured; then the last, measured.
  for (const file of deliveries.slice(0, -1)) {
    ingest(file);
    timedCli(root, ["--workspace", ws, "detect"]);
  }
  const ingestLater = ingest(deliveries.at(-1) as string);
  const added = Number((ingestLater.out as { files: { accepted: number }[] }).files[0]?.accepted ?? 0);
  const again = timedCli(root, ["--workspace", ws, "detect"]);
  // In the monitor, the run after the last delivery, on the graph the run before left in memory.
  const watched = await watchedRun(root, watchWs, deliveries, delivery.format(world));
  const look = watched.looks.at(-1);
  if (look?.detect?.graphFrom !== "memory" || look.detect.newTransactions !== added)
    throw new Error(`watch did not detect on the graph in memory: ${JSON.stringify(look?.detect)}`);
  const monitored = {
    wallSeconds: look.seconds.detect,
    seconds: look.detect.seconds,
    maxRssKb: watched.maxRssKb,
  };
  rmSync(watchWs, { recursive: true, force: true });
  return { n, added, full, again, monitored };
}

/**
 * The phases `detect --json` reports (`seconds`: load, details, focus, detectors, alerts,
 * snapshot, and hold in `watch`), each the median over the runs, and (`withRest`) what is left of
 * the wall (the process's start, opening the store, and its exit), in seconds.
 */
function phasesOf(runs: { wallSeconds: number; out: Record<string, unknown> }[], withRest = true): string {
  const each = runs.map((r) => (r.out.seconds ?? {}) as Record<string, number>);
  const names = Object.keys(each[0] ?? {});
  const rest = runs.map((r, i) => r.wallSeconds - Object.values(each[i] ?? {}).reduce((a, b) => a + b, 0));
  return [
    ...(withRest ? [`start and exit ${median(rest).toFixed(2)}`] : []),
    ...names.map((name) => `${name} ${median(each.map((x) => x[name] ?? 0)).toFixed(2)}`),
  ].join(", ");
}

/**
 * Detection over the graph bench's world (5M transactions): every detector of the default pack,
 * in a workspace with no alerts, then again after a later delivery of about 1% more transactions:
 * every transaction of one account in 200 held out of the first ingest (new payments spread over
 * the whole time, in the middle of patterns), and, measured the same way, the latest 1% of the
 * transactions (a feed's next days: new payments close patterns), from the AMLworld file and from
 * the generic file with its details (where every detector runs). The second run looks only at
 * patterns with the new transactions; then `watch` takes the same deliveries on a copy of the
 * workspace as the full run left it, and its run after the last one, on the graph kept in its
 * memory, is measured against the same full run (the `watch:` rows, docs/watch.md). Each of the
 * `runs` runs is a full run then its incremental run, so the two alternate (this machine's
 * speed drifts by a quarter within minutes); the share is taken per run, and the figures are
 * medians with their range.
 */
async function detectSection(
  root: string,
  outDir: string,
  runs: number,
): Promise<{ rows: Row[]; json: Record<string, unknown> }> {
  await graphWorkspace(outDir);
  const rows: Row[] = [];
  const json: Record<string, unknown> = {};
  for (const delivery of DELIVERIES) {
    const measured: Awaited<ReturnType<typeof incrementalRun>>[] = [];
    for (let run = 1; run <= runs; run++) {
      process.stderr.write(
        `detect bench (${delivery.label}): run ${run}/${runs}, full then incremental...\n`,
      );
      measured.push(await incrementalRun(root, outDir, delivery));
    }
    const { n, added, full, again } = measured[0] as (typeof measured)[number];
    const each = (pick: (m: (typeof measured)[number]) => number) => measured.map(pick);
    const fullWall = each((m) => m.full.wallSeconds);
    const fullRss = each((m) => m.full.maxRssKb);
    const cpuShares = each((m) => m.again.cpuSeconds / m.full.cpuSeconds);
    const cpuShare = median(cpuShares);
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    const pctRange = (xs: number[]) =>
      xs.length > 1 ? `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}` : "";
    // An incremental run's wall against its full run's, per run: the row, and the median share.
    const shareOf = (label: string, wallOf: (m: (typeof measured)[number]) => number) => {
      const shares = each((m) => wallOf(m) / m.full.wallSeconds);
      const share = median(shares);
      const row: Row = [
        label,
        `${pct(share)} (${median(each(wallOf)).toFixed(2)} s)`,
        pctRange(shares),
        `<= ${TARGETS.incrementalShare * 100}%`,
        mark(share <= TARGETS.incrementalShare),
      ];
      return { share, row };
    };
    const command = shareOf(`detect after ${delivery.label} / full`, (m) => m.again.wallSeconds);
    const watched = shareOf(`watch: detect after ${delivery.label} / full`, (m) => m.monitored.wallSeconds);
    const alerts = (full.out as { alerts: { new: number } }).alerts.new;
    const first = delivery === DELIVERIES[0];
    // The first delivery's rows keep their names from before the second was measured.
    const of = first ? "" : ` (before ${delivery.label})`;
    rows.push(
      [`detect: transactions / alerts${of}`, `${n} / ${alerts}`, "", "", ""],
      [
        `detect: ${first ? "later delivery" : delivery.label} (transactions)`,
        `${added} (${((100 * added) / n).toFixed(1)}%)`,
        "",
        "",
        "",
      ],
      [
        `detect, all detectors, wall${of}`,
        `${median(fullWall).toFixed(2)} s`,
        spread(fullWall, "s"),
        `<= ${TARGETS.detectSeconds} s`,
        mark(Math.max(...fullWall) <= TARGETS.detectSeconds),
      ],
      [
        `detect peak RSS${of}`,
        gib(median(fullRss)),
        fullRss.length > 1 ? `${gib(Math.min(...fullRss))}–${gib(Math.max(...fullRss))}` : "",
        `<= ${gib(TARGETS.detectRssKb)}`,
        mark(Math.max(...fullRss) <= TARGETS.detectRssKb),
      ],
      command.row,
      [
        `detect CPU (user + system) after ${delivery.label} / full`,
        pct(cpuShare),
        pctRange(cpuShares),
        "",
        "",
      ],
      [
        `detect after ${delivery.label}: where the time goes`,
        phasesOf(measured.map((m) => m.again)),
        "",
        "",
        "",
      ],
      watched.row,
      [
        `watch: detect after ${delivery.label}: where the time goes`,
        // Timed in the process, from the call to its return: no start, no exit.
        phasesOf(
          measured.map((m) => ({
            wallSeconds: m.monitored.wallSeconds,
            out: { seconds: m.monitored.seconds },
          })),
          false,
        ),
        `peak RSS ${gib(median(each((m) => m.monitored.maxRssKb)))}`,
        "",
        "",
      ],
    );
    const figures = {
      transactions: n,
      alerts,
      added,
      full,
      again,
      incrementalShare: command.share,
      incrementalCpuShare: cpuShare,
      watchShare: watched.share,
      runs: measured.map((m) => ({
        full: { wallSeconds: m.full.wallSeconds, cpuSeconds: m.full.cpuSeconds, maxRssKb: m.full.maxRssKb },
        again: {
          wallSeconds: m.again.wallSeconds,
          cpuSeconds: m.again.cpuSeconds,
          maxRssKb: m.again.maxRssKb,
        },
        watch: m.monitored,
      })),
    };
    if (first) Object.assign(json, figures);
    else json[delivery.key ?? delivery.name] = figures;
  }
  return { rows, json };
}

/**
 * Entity resolution of 1,000,000 generated party records from scratch, then of ~10,000 more
 * incrementally (issue 6), with the quality of the result against the world's truth.
 */
async function resolveSection(root: string, outDir: string): Promise<Section> {
  const f = await resolveFigures(root, outDir);
  const { full, incremental } = f;
  const cores = full.cpuSeconds / full.wallSeconds;
  const pairwise = (f.quality?.pairwise ?? null) as { precision: number; recall: number } | null;
  const bcubed = (f.quality?.bcubed ?? null) as { precision: number; recall: number } | null;
  const ratio = (x: number | null | undefined) => (typeof x === "number" ? x.toFixed(4) : "n/a");
  const rows: Row[] = [
    ["resolve: party records, first / later", `${f.firstRecords} / ${f.laterRecords}`, "", "", ""],
    ["resolve: candidate pairs", String(full.out.candidate_pairs), "", "", ""],
    [
      `resolve ${f.firstRecords} parties, full, wall`,
      `${full.wallSeconds.toFixed(1)} s`,
      "",
      `<= ${RESOLVE_TARGETS.fullSeconds} s`,
      mark(full.wallSeconds <= RESOLVE_TARGETS.fullSeconds),
    ],
    [
      "resolve full, peak RSS",
      gib(full.maxRssKb),
      "",
      `<= ${gib(RESOLVE_TARGETS.fullRssKb)}`,
      mark(full.maxRssKb <= RESOLVE_TARGETS.fullRssKb),
    ],
    // Splink's figure is wall time on a laptop with more cores: CPU time is the comparable one.
    [
      "resolve full, CPU (user+sys) = core-seconds",
      `${full.cpuSeconds.toFixed(1)} s`,
      `${cores.toFixed(2)} cores busy on average`,
      "",
      "",
    ],
    ["resolve full, records per core-second", Math.round(f.firstRecords / full.cpuSeconds), "", "", ""],
    [
      `resolve ${f.laterRecords} new against ${f.firstRecords}, wall`,
      `${incremental.wallSeconds.toFixed(1)} s`,
      `${String(incremental.out.mode)}, peak ${gib(incremental.maxRssKb)}`,
      `<= ${RESOLVE_TARGETS.incrementalSeconds} s`,
      mark(incremental.wallSeconds <= RESOLVE_TARGETS.incrementalSeconds),
    ],
    ["resolve: ingest of the later records", `${f.ingestLaterSeconds.toFixed(1)} s`, "", "", ""],
  ];
  if (f.blocking) {
    rows.push([
      "resolve: blocking recall (true pairs among candidates)",
      ratio(f.blocking.recall),
      `${f.blocking.found} of ${f.blocking.truePairs}`,
      "",
      "",
    ]);
  }
  if (pairwise && bcubed) {
    rows.push(
      [
        "resolve: pairwise precision / recall",
        `${ratio(pairwise.precision)} / ${ratio(pairwise.recall)}`,
        "",
        "",
        "",
      ],
      [
        "resolve: B-cubed precision / recall",
        `${ratio(bcubed.precision)} / ${ratio(bcubed.recall)}`,
        "",
        "",
        "",
      ],
    );
  }
  return {
    rows,
    json: {
      ...f,
      cores_busy: cores,
      met: {
        full: full.wallSeconds <= RESOLVE_TARGETS.fullSeconds,
        fullRss: full.maxRssKb <= RESOLVE_TARGETS.fullRssKb,
        incremental: incremental.wallSeconds <= RESOLVE_TARGETS.incrementalSeconds,
      },
    },
  };
}

const SECTIONS = ["ingest", "generate", "graph", "detect", "resolve"] as const;

async function main(): Promise<number> {
  const { rows, runs, only } = parseOptions(process.argv.slice(2));
  const root = projectRoot();
  const outDir = join(root, "bench", "out");
  mkdirSync(outDir, { recursive: true });
  // Generated files (samples of hundreds of MB, a workspace) stay out of version control.
  writeFileSync(join(outDir, ".gitignore"), "*\n");

  const table: Row[] = [];
  const latest: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, runs };
  if (only.has("ingest")) {
    const s = await ingestSection(root, outDir, rows, runs);
    table.push(...s.rows);
    latest.ingest = s.json;
  }
  if (only.has("generate")) {
    const s = generateSection(root, outDir, runs);
    table.push(...s.rows);
    latest.generate = s.json;
  }
  if (only.has("graph")) {
    const s = await graphSection(outDir);
    table.push(...s.rows);
    latest.graph = s.json;
  }
  if (only.has("detect")) {
    const s = await detectSection(root, outDir, runs);
    table.push(...s.rows);
    latest.detect = s.json;
  }
  if (only.has("resolve")) {
    const s = await resolveSection(root, outDir);
    table.push(...s.rows);
    latest.resolve = s.json;
  }
  process.stdout.write(`${formatTable(["measure", "median", "range", "target", "met"], table)}\n`);
  if (only.has("ingest") && rows !== DEFAULT_ROWS) {
    process.stdout.write(`(the ingest targets are set for ${DEFAULT_ROWS} rows; this run has ${rows})\n`);
  }
  latest.targets = { ...TARGETS, resolve: RESOLVE_TARGETS };
  writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(latest, null, 2)}\n`);
  process.stderr.write(`results in ${join(outDir, "latest.json")}\n`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
