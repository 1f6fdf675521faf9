import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadFxTable } from "../ingest/fx.js";
import type { Channel } from "../model/channel.js";
import { projectRoot } from "../util/project-root.js";
import { Calendar } from "./calendar.js";
import { dayWriter } from "./day-writer.js";
import { currencies, EventBatch, mccs } from "./event-batch.js";
import { DayBuckets } from "./events.js";
import { type NormalLife, normalLife } from "./normal-life.js";
import { PARTIES_MAPPING, PartiesWriter } from "./parties-writer.js";
import { Planter } from "./planter.js";
import { Rng } from "./random.js";
import { type CountedFigures, type RealismReport, realismReport } from "./realism.js";
import { GENERIC_TYPE, type WrittenFiles, writerSetup } from "./transaction-writer.js";
import { writeHardNegatives, writeInstanceTruth, writePatterns } from "./truth-files.js";
import { plantAll } from "./typologies/registry.js";
import { buildWorld, type World, type WorldOptions } from "./world.js";

/**
 * `moneytrail generate`: a synthetic financial world with its ground truth. The population is
 * built first and the planted typologies scheduled; then the days are written one after another,
 * each day's ordinary activity made as the writer reaches it, so that memory holds one day of
 * transactions, whatever the size of the world.
 */

export interface GeneratedFile {
  name: string;
  format: "amlworld" | "csv" | "parties";
  mapping?: string;
  sha256: string;
  rows: number;
}

export interface GenerateResult {
  dir: string;
  options: WorldOptions;
  files: GeneratedFile[];
  transactions: number;
  planted: number;
  instances: number;
  accounts: number;
  parties: number;
  seconds: number;
  realism: RealismReport;
}

export const GENERATOR_VERSION = 1;

/** Party records written in one pause of the day loop: a few milliseconds, under a day's writing. */
const PARTY_ROWS_PER_PAUSE = 500;

/** USD per unit of each currency on the world's start date, from the shipped FX table. */
function ratesOn(date: string): Map<string, number> {
  const rates = new Map<string, number>();
  for (const r of loadFxTable().rates) if (r.date <= date) rates.set(r.currency, r.usd_per_unit);
  return rates;
}

/** AMLworld's names of currencies: the first name of each code in data/fx/currencies.json. */
function currencyNames(): Map<string, string> {
  const meta = JSON.parse(readFileSync(join(projectRoot(), "data", "fx", "currencies.json"), "utf8")) as {
    currencies: Record<string, string[]>;
  };
  return new Map(Object.entries(meta.currencies).map(([code, names]) => [code, names[0] ?? code]));
}

function genericMapping(): string {
  const values = (Object.entries(GENERIC_TYPE) as [Channel, string][])
    .map(([channel, word]) => `    "${word}": ${channel}`)
    .join("\n");
  return `# transactions-generic.csv as moneytrail generate writes it: a bank-style export with ids.
kind: transactions
columns:
  id: txn_id
  timestamp: booked_at
  from_bank: payer_bank
  from_account: payer_account
  to_bank: payee_bank
  to_account: payee_account
  amount: amount
  currency: currency
  amount_received: amount_received
  currency_received: currency_received
  channel: type
  mcc: mcc
  merchant: merchant
  city: city
  region: state
  country: country
  counterparty_country: counterparty_country
  branch: branch
  conductor: conductor
formats:
  timestamp: "yyyy-MM-dd HH:mm:ss"
values:
  channel:
${values}
defaults:
  timezone: UTC
`;
}

/** How to generate: `threaded` writes in a worker thread while the next day is made (same bytes). */
export interface GenerateRun {
  progress?: (fraction: number) => void;
  threaded?: boolean;
}

export async function generateWorld(
  dir: string,
  options: WorldOptions,
  run: GenerateRun = {},
): Promise<GenerateResult> {
  const started = performance.now();
  mkdirSync(join(dir, "truth"), { recursive: true });
  // The writer's thread starts first: its start-up overlaps building the world.
  const writer = dayWriter(run.threaded ?? true);
  let partyRecords: PartiesWriter | null = null;
  try {
    const rng = new Rng(options.seed);
    const calendar = new Calendar(options.start, options.days);
    const usd = ratesOn(options.start);
    const world = buildWorld(options, rng.fork("world"));
    const buckets = new DayBuckets(options.days);
    const planter = new Planter(world, calendar, buckets, usd);
    plantAll(planter, rng.fork("plant"), Math.round(options.prevalence * options.transactions));
    const life = normalLife(
      world,
      calendar,
      usd,
      rng.fork("life"),
      Math.max(0, options.transactions - planter.planted),
    );
    writer.start(writerSetup(dir, world, calendar, planter.instances, currencyNames()), {
      accounts: world.accounts.length,
      usdPerUnit: [...usd],
    });
    // The party records are written in the time this thread would wait for the writer's thread,
    // and the rest after the last day, while that thread finishes.
    const records = new PartiesWriter(dir, world, rng.fork("parties"));
    partyRecords = records;
    const someParties = () => records.step(PARTY_ROWS_PER_PAUSE);
    let capacity = 1 << 12;
    for (let d = 0; d < options.days; d++) {
      // A fresh batch each day: the last one went to the writer's thread.
      const batch = new EventBatch(capacity);
      for (const e of buckets.take(d)) batch.addEvent(e);
      life.day(d, batch);
      capacity = Math.ceil(batch.length * 1.25) + 16;
      const tables = { currencies: currencies.values.slice(), mccs: mccs.values.slice() };
      await writer.writeDay(batch, tables, someParties);
      run.progress?.((d + 1) / options.days);
    }
    const parties = records.finish();
    const { files: written, realism: counted } = await writer.finish();
    return writeTruth(dir, options, started, { calendar, world, planter, life, written, counted, parties });
  } catch (error) {
    writer.abandon();
    partyRecords?.abandon();
    throw error;
  }
}

/** What the days produced, for the truth files and the result. */
interface Made {
  calendar: Calendar;
  world: World;
  planter: Planter;
  life: NormalLife;
  written: WrittenFiles;
  counted: CountedFigures;
  parties: { sha256: string; rows: number };
}

/** The truth files, mappings and manifest once the days are written; the result of the run. */
function writeTruth(dir: string, options: WorldOptions, started: number, made: Made): GenerateResult {
  const { calendar, world, planter, life, written, counted, parties } = made;
  writeInstanceTruth(dir, world, calendar, planter.instances);
  // An account planted into a typology is not a hard negative, however ordinary the rest of its life.
  const planted = new Set(planter.instances.flatMap((i) => [...i.members.keys()]));
  const hardNegatives = life.hardNegatives.filter((n) => !planted.has(n.account));
  writeHardNegatives(dir, world, hardNegatives);
  writePatterns(dir, planter.instances, new Map(written.patternLines));
  writeFileSync(join(dir, "transactions-generic.mapping.yaml"), genericMapping());
  writeFileSync(join(dir, "parties.mapping.yaml"), PARTIES_MAPPING);

  const files: GeneratedFile[] = [
    { name: "transactions.csv", format: "amlworld", sha256: written.amlworld, rows: written.rows },
    {
      name: "transactions-generic.csv",
      format: "csv",
      mapping: "transactions-generic.mapping.yaml",
      sha256: written.generic,
      rows: written.rows,
    },
    {
      name: "parties.csv",
      format: "parties",
      mapping: "parties.mapping.yaml",
      sha256: parties.sha256,
      rows: parties.rows,
    },
  ];
  const placed = planter.instances.filter((i) => i.events > 0);
  const typologies: RealismReport["typologies"] = {};
  for (const i of placed) {
    const t = typologies[i.typology] ?? { instances: 0, transactions: 0, prevalence: 0 };
    typologies[i.typology] = t;
    t.instances++;
    t.transactions += i.events;
  }
  for (const t of Object.values(typologies)) t.prevalence = written.rows ? t.transactions / written.rows : 0;
  const negatives: Record<string, number> = {};
  for (const n of hardNegatives) negatives[n.kind] = (negatives[n.kind] ?? 0) + 1;
  const report = realismReport(counted, typologies, negatives);
  writeFileSync(
    join(dir, "truth", "manifest.json"),
    `${JSON.stringify(
      {
        generator: "moneytrail-generate",
        version: GENERATOR_VERSION,
        seed: options.seed,
        start: options.start,
        days: options.days,
        options,
        files,
        counts: {
          transactions: written.rows,
          planted: written.planted,
          instances: placed.length,
          accounts: world.accounts.length,
          parties: parties.rows,
        },
      },
      null,
      2,
    )}\n`,
  );
  return {
    dir,
    options,
    files,
    transactions: written.rows,
    planted: written.planted,
    instances: placed.length,
    accounts: world.accounts.length,
    parties: parties.rows,
    seconds: (performance.now() - started) / 1000,
    realism: report,
  };
}
