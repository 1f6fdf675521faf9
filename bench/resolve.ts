import { spawnSync } from "node:child_process";
import {
  closeSync,
  cpSync,
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { generateWorld } from "../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../src/generate/world.js";
import type { Party } from "../src/model/party.js";
import { BLOCKING_RULES, blockingRecall, candidatePairs } from "../src/resolve/blocking.js";
import { normaliseParty } from "../src/resolve/normalise/party.js";
import { DEFAULT_RESOLVE_PARAMS } from "../src/resolve/resolve-parties.js";
import { openStore } from "../src/store/open-store.js";
import { type TimedCli, timedCli } from "./timed-cli.js";

/**
 * The entity-resolution benchmark of issue 6: a generated world with about 1.01M noisy party
 * records, the first 1,000,000 ingested and resolved from scratch, then the other ~10,000
 * ingested and resolved incrementally against them. Both `resolve` runs are child processes
 * under /usr/bin/time (wall, peak RSS, user and system CPU). Since the world's truth is known,
 * the final entities are scored (pairwise and B-cubed, `evaluate`) and the candidate pairs'
 * blocking recall measured. The world and the first delivery's workspace stay in bench/out.
 */

export const RESOLVE_WORLD = {
  // The generator writes about 0.97 party records per account: ~1,010,000 records.
  accounts: 1_041_500,
  // Transactions are not needed here; the generator still gives every account some activity.
  transactions: 100_000,
  seed: 20221201,
};
export const FIRST_DELIVERY = 1_000_000;

export const RESOLVE_TARGETS = {
  fullSeconds: 300,
  fullRssKb: 6 * 1024 * 1024,
  incrementalSeconds: 15,
};

/** The first `count` records of a CSV party file and the rest, each with the header. */
async function splitParties(file: string, first: string, rest: string, count: number): Promise<number[]> {
  const a = openSync(first, "w");
  const b = openSync(rest, "w");
  let line = -1;
  const counts = [0, 0];
  try {
    // The generator writes one record per line (no quoted line breaks).
    for await (const text of createInterface({
      input: createReadStream(file),
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      if (line < 0) {
        writeSync(a, `${text}\n`);
        writeSync(b, `${text}\n`);
      } else if (text !== "") {
        const target = line < count ? 0 : 1;
        writeSync(target === 0 ? a : b, `${text}\n`);
        counts[target] = (counts[target] as number) + 1;
      }
      line++;
    }
  } finally {
    closeSync(a);
    closeSync(b);
  }
  return counts;
}

interface ResolveWorld {
  world: string;
  baseWs: string;
  later: string;
  mapping: string;
  firstRecords: number;
  laterRecords: number;
}

/** The world, its split and the first delivery's workspace, made once per world options. */
async function resolveWorld(root: string, outDir: string): Promise<ResolveWorld> {
  const world = join(outDir, "resolve-world");
  const baseWs = join(outDir, "resolve-base-ws");
  const first = join(outDir, "resolve-first.csv");
  const later = join(outDir, "resolve-later.csv");
  const mapping = join(world, "parties.mapping.yaml");
  const stampFile = join(baseWs, "resolve-world.json");
  const stamp = JSON.stringify({ ...RESOLVE_WORLD, first: FIRST_DELIVERY });
  if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp || !existsSync(later)) {
    rmSync(world, { recursive: true, force: true });
    rmSync(baseWs, { recursive: true, force: true });
    process.stderr.write(
      `resolve bench: generating a world of ${RESOLVE_WORLD.accounts} accounts (about 1.01M party records)...\n`,
    );
    await generateWorld(world, { ...DEFAULT_OPTIONS, ...RESOLVE_WORLD });
    // Only the parties and the truth are used: the transaction files are large.
    for (const f of ["transactions.csv", "transactions-generic.csv"]) rmSync(join(world, f), { force: true });
    const [firstRecords, laterRecords] = await splitParties(
      join(world, "parties.csv"),
      first,
      later,
      FIRST_DELIVERY,
    );
    process.stderr.write(
      `resolve bench: ${firstRecords} + ${laterRecords} party records; ingesting the first...\n`,
    );
    timedCli(root, ["--workspace", baseWs, "ingest", first, "--format", "parties", "--mapping", mapping]);
    rmSync(first, { force: true });
    writeFileSync(join(baseWs, "split.json"), JSON.stringify({ firstRecords, laterRecords }));
    writeFileSync(stampFile, stamp);
  }
  const split = JSON.parse(readFileSync(join(baseWs, "split.json"), "utf8")) as {
    firstRecords: number;
    laterRecords: number;
  };
  return { world, baseWs, later, mapping, ...split };
}

/**
 * Blocking recall of the default rules on the workspace's parties against the world's truth:
 * of the pairs of records of one real person or organisation, the share that are candidates.
 */
async function measureBlockingRecall(
  ws: string,
  world: string,
): Promise<{ truePairs: number; found: number; recall: number; candidatePairs: number }> {
  const store = await openStore({ workspaceDir: ws });
  let parties: Party[];
  try {
    parties = await store.parties();
  } finally {
    await store.close();
  }
  const truth = new Map<string, number>();
  const entityNumber = new Map<string, number>();
  const lines = readFileSync(join(world, "truth", "parties.csv"), "utf8").split("\n");
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const [, record, entity] = line.split(",");
    let k = entityNumber.get(entity as string);
    if (k === undefined) {
      k = entityNumber.size;
      entityNumber.set(entity as string, k);
    }
    truth.set(record as string, k);
  }
  const records = parties.map((p) =>
    normaliseParty(p, { defaultRegion: DEFAULT_RESOLVE_PARAMS.defaultRegion }),
  );
  const pairs = candidatePairs(
    records,
    { maxBlockSize: DEFAULT_RESOLVE_PARAMS.maxBlockSize },
    BLOCKING_RULES,
  );
  const label = Int32Array.from(parties, (p) => truth.get(p.source_record_id ?? "") ?? -1);
  return { ...blockingRecall(pairs, label), candidatePairs: pairs.a.length };
}

export interface ResolveFigures {
  firstRecords: number;
  laterRecords: number;
  full: TimedCli;
  incremental: TimedCli;
  ingestLaterSeconds: number;
  quality: Record<string, unknown> | null;
  blocking: { truePairs: number; found: number; recall: number; candidatePairs: number } | null;
}

/** The resolve section's measurements (`quality: false` skips scoring and blocking recall). */
export async function resolveFigures(
  root: string,
  outDir: string,
  options: { quality: boolean } = { quality: true },
): Promise<ResolveFigures> {
  const w = await resolveWorld(root, outDir);
  const ws = join(outDir, "resolve-ws");
  rmSync(ws, { recursive: true, force: true });
  cpSync(w.baseWs, ws, { recursive: true });
  process.stderr.write(`resolve bench: resolve ${w.firstRecords} parties from scratch...\n`);
  const full = timedCli(root, ["--workspace", ws, "resolve"]);
  process.stderr.write(`resolve bench: ingest ${w.laterRecords} more, resolve incrementally...\n`);
  const ingest = timedCli(root, [
    "--workspace",
    ws,
    "ingest",
    w.later,
    "--format",
    "parties",
    "--mapping",
    w.mapping,
  ]);
  const incremental = timedCli(root, ["--workspace", ws, "resolve"]);
  let quality: Record<string, unknown> | null = null;
  let blocking: ResolveFigures["blocking"] = null;
  if (options.quality) {
    process.stderr.write("resolve bench: scoring the entities against the truth...\n");
    const entities = join(outDir, "resolve-entities.csv");
    const e = spawnSync(
      process.execPath,
      [join(root, "bin", "moneytrail.js"), "--workspace", ws, "entities", "--format", "csv"],
      { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
    );
    if (e.status !== 0) throw new Error(`moneytrail entities failed: ${e.stderr}`);
    writeFileSync(entities, e.stdout);
    const scored = timedCli(root, ["evaluate", "--truth", w.world, "--entities", entities]);
    quality = (scored.out as { resolution?: Record<string, unknown> }).resolution ?? null;
    rmSync(entities, { force: true });
    blocking = await measureBlockingRecall(ws, w.world);
  }
  return {
    firstRecords: w.firstRecords,
    laterRecords: w.laterRecords,
    full,
    incremental,
    ingestLaterSeconds: ingest.wallSeconds,
    quality,
    blocking,
  };
}
