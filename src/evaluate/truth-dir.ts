import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { UnusableInputError } from "../ingest/errors.js";
import { SubjectRole } from "../model/analysis.js";
import { Typology } from "../model/typology.js";
import { RowError, readHeadedCsv } from "./csv-file.js";
import { TruthManifest } from "./truth-manifest.js";

/** A planted (laundering) transaction: `line` is its line in both transaction files. */
export interface PlantedTransaction {
  line: number;
  id: string;
  typology: Typology;
  instance: string;
}

/** A member account of a planted instance; one account may be in several instances. */
export interface PlantedAccount {
  account: string;
  typology: Typology;
  instance: string;
  role: SubjectRole;
}

/** One planted instance of a typology. `variant` is free text (`S3`, `max 7-degree`). */
export interface PlantedInstance {
  instance: string;
  typology: Typology;
  variant: string;
  accounts: number;
  transactions: number;
  first: string;
  last: string;
}

/** A legitimate account that looks suspicious, and the typologies it resembles. */
export interface HardNegative {
  account: string;
  kind: string;
  resembles: Typology[];
}

/** The true entity of one party record. */
export interface TruthParty {
  source: string;
  record_id: string;
  entity_id: string;
}

/** Everything `generate` wrote into `truth/`. */
export interface Truth {
  /** The `truth/` folder itself, resolved. */
  dir: string;
  manifest: TruthManifest;
  transactions: PlantedTransaction[];
  accounts: PlantedAccount[];
  instances: PlantedInstance[];
  hardNegatives: HardNegative[];
  parties: TruthParty[];
}

/** The header of each truth file, exactly as `generate` writes it. */
export const TRUTH_HEADERS = {
  "transactions.csv": ["line", "id", "typology", "instance"],
  "accounts.csv": ["account", "typology", "instance", "role"],
  "instances.csv": ["instance", "typology", "variant", "accounts", "transactions", "first", "last"],
  "hard-negatives.csv": ["account", "kind", "resembles"],
  "parties.csv": ["source", "record_id", "entity_id"],
} as const;

/**
 * Reads a generated world's ground truth. `dir` is either the folder `generate --out` wrote (holding
 * `truth/`) or the `truth/` folder itself. Every file is checked: a missing file, a wrong header, a
 * bad value, or a row naming an instance that `instances.csv` lacks raises UnusableInputError naming
 * the file, so that a score is never computed from half a truth.
 */
export async function readTruthDir(dir: string): Promise<Truth> {
  const truthDir = locateTruthDir(dir);
  const manifest = readManifest(join(truthDir, "manifest.json"));

  const instances: PlantedInstance[] = [];
  const instanceTypology = new Map<string, Typology>();
  await read(
    truthDir,
    "instances.csv",
    ([instance, typology, variant, accounts, transactions, first, last]) => {
      const row: PlantedInstance = {
        instance: nonEmpty(instance, "instance"),
        typology: typologyOf(typology),
        variant: variant as string,
        accounts: count(accounts, "accounts"),
        transactions: count(transactions, "transactions"),
        first: timestamp(first, "first"),
        last: timestamp(last, "last"),
      };
      if (instanceTypology.has(row.instance))
        throw new RowError(`instance "${row.instance}" is listed twice`);
      instanceTypology.set(row.instance, row.typology);
      instances.push(row);
    },
  );

  // Rows of the other files name instances; each must exist, under the same typology.
  const knownInstance = (instance: string, typology: Typology): string => {
    const listed = instanceTypology.get(instance);
    if (listed === undefined) throw new RowError(`instance "${instance}" is not in instances.csv`);
    if (listed !== typology)
      throw new RowError(`instance "${instance}" is ${listed} in instances.csv, not ${typology}`);
    return instance;
  };

  const transactions: PlantedTransaction[] = [];
  await read(truthDir, "transactions.csv", ([line, id, typology, instance]) => {
    const t = typologyOf(typology);
    transactions.push({
      line: lineNumber(line),
      id: nonEmpty(id, "id"),
      typology: t,
      instance: knownInstance(instance as string, t),
    });
  });

  const accounts: PlantedAccount[] = [];
  await read(truthDir, "accounts.csv", ([account, typology, instance, role]) => {
    const t = typologyOf(typology);
    const r = SubjectRole.safeParse(role);
    if (!r.success) throw new RowError(`role "${role}" is not one of ${SubjectRole.options.join(", ")}`);
    accounts.push({
      account: nonEmpty(account, "account"),
      typology: t,
      instance: knownInstance(instance as string, t),
      role: r.data,
    });
  });

  const hardNegatives: HardNegative[] = [];
  await read(truthDir, "hard-negatives.csv", ([account, kind, resembles]) => {
    hardNegatives.push({
      account: nonEmpty(account, "account"),
      kind: nonEmpty(kind, "kind"),
      resembles: (resembles as string)
        .split(";")
        .filter((t) => t !== "")
        .map(typologyOf),
    });
  });

  const parties: TruthParty[] = [];
  // Record ids are unique in a generated world, so they alone are checked until one repeats; from
  // then on a record is told apart by source and id, as resolution scoring matches them.
  const recordIds = new Set<string>();
  let sourceAndIds: Set<string> | undefined;
  const sourceAndId = (p: TruthParty) => `${p.source}\u0000${p.record_id}`;
  await read(truthDir, "parties.csv", ([source, record_id, entity_id]) => {
    const party = {
      source: source as string,
      record_id: nonEmpty(record_id, "record_id"),
      entity_id: nonEmpty(entity_id, "entity_id"),
    };
    if (sourceAndIds === undefined) {
      if (!recordIds.has(party.record_id)) {
        recordIds.add(party.record_id);
        parties.push(party);
        return;
      }
      sourceAndIds = new Set(parties.map(sourceAndId));
    }
    if (sourceAndIds.has(sourceAndId(party)))
      throw new RowError(`record ${party.source}/${party.record_id} is listed twice`);
    sourceAndIds.add(sourceAndId(party));
    parties.push(party);
  });

  return { dir: truthDir, manifest, transactions, accounts, instances, hardNegatives, parties };
}

function locateTruthDir(dir: string): string {
  const given = resolve(dir);
  if (!existsSync(given)) throw new UnusableInputError(`truth directory ${given}: not found`);
  if (!statSync(given).isDirectory())
    throw new UnusableInputError(`truth directory ${given}: is a file, not a folder`);
  const nested = join(given, "truth");
  if (existsSync(join(nested, "manifest.json"))) return nested;
  if (existsSync(join(given, "manifest.json"))) return given;
  throw new UnusableInputError(
    `truth manifest ${join(nested, "manifest.json")}: not found (nor ${join(given, "manifest.json")}); ` +
      "--truth takes the folder that `moneytrail generate --out` wrote",
  );
}

function readManifest(path: string): TruthManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UnusableInputError(`truth manifest ${path}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = TruthManifest.safeParse(json);
  if (!parsed.success)
    throw new UnusableInputError(
      `truth manifest ${path}: ${z.prettifyError(parsed.error).replaceAll("\n", " ")}`,
    );
  return parsed.data;
}

function read(truthDir: string, name: keyof typeof TRUTH_HEADERS, onRow: (fields: string[]) => void) {
  return readHeadedCsv(join(truthDir, name), "truth file", TRUTH_HEADERS[name], onRow);
}

function typologyOf(value: string | undefined): Typology {
  const parsed = Typology.safeParse(value);
  if (!parsed.success) throw new RowError(`"${value}" is not a typology id (see src/model/typology.ts)`);
  return parsed.data;
}

function nonEmpty(value: string | undefined, field: string): string {
  if (!value) throw new RowError(`${field} is empty`);
  return value;
}

function count(value: string | undefined, field: string): number {
  if (!/^\d+$/.test(value ?? "")) throw new RowError(`${field} "${value}" is not a whole number`);
  return Number(value);
}

/** Line 1 of a transaction file is its header, so a planted transaction is on line 2 or later. */
function lineNumber(value: string | undefined): number {
  const n = count(value, "line");
  if (n < 2) throw new RowError(`line ${n} is the header of the transaction files, not a transaction`);
  return n;
}

function timestamp(value: string | undefined, field: string): string {
  if (!value || Number.isNaN(Date.parse(value))) throw new RowError(`${field} "${value}" is not a timestamp`);
  return value;
}
