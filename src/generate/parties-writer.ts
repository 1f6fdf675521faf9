import { csvField, FileSink } from "./file-sink.js";
import { recordIdOf } from "./normal-life.js";
import {
  DEFAULT_NOISE,
  type PartyRecordText,
  pickRecordStyle,
  type RecordStyle,
  recordOf,
} from "./party-noise.js";
import type { Rng } from "./random.js";
import type { Account, World } from "./world.js";

/**
 * parties.csv: each bank's record of each of its customers, one row per account held, as the
 * bank wrote it (with its typos, nicknames and formats), and truth/parties.csv with the true
 * entity of every record. A person with accounts at three banks has three differently written
 * records; two accounts at one bank share that bank's one rendering.
 */

/**
 * The columns of parties.csv: the file's own name, and the canonical party field of the mapping
 * (DESIGN §4) that reads it. The header, each row and the mapping are all made from this list.
 */
const COLUMNS: readonly [column: string, field: string][] = [
  ["record_id", "id"],
  ["bank", "bank"],
  ["account", "account"],
  ["kind", "kind"],
  ["name", "name"],
  ["given_name", "given_name"],
  ["middle_name", "middle_name"],
  ["surname", "surname"],
  ["birth_date", "birth_date"],
  ["address", "address"],
  ["city", "city"],
  ["postcode", "postcode"],
  ["state", "region"],
  ["country", "country"],
  ["phone", "phone"],
  ["email", "email"],
  ["national_id", "national_id"],
  ["tax_id", "tax_id"],
];

export const PARTIES_HEADER = COLUMNS.map(([column]) => column).join(",");

/** The rendered record's fields, in file order after record_id, bank and account. */
const FIELDS = COLUMNS.slice(3).map(([, field]) => field as keyof PartyRecordText);

/**
 * Writes the party records a few at a time (`step`), so that the generator can fill the moments its
 * main thread would otherwise spend waiting for the writer's thread. The bytes do not depend on how
 * the work is sliced: the records are rendered in the same order, from the same random stream.
 */
export class PartiesWriter {
  private readonly sink: FileSink;
  private readonly truth: FileSink;
  /**
   * Per holder and bank, the record's fields as CSV, kept while another account at that bank is
   * still to come (two accounts at one bank share one rendering), and the accounts still to come.
   * Only those: every record kept would live through many garbage collections for nothing.
   */
  private readonly rendered = new Map<number, string>();
  private readonly toCome = new Map<number, number>();
  private styles: RecordStyle[] = [];
  private domestic: Account[] | null = null;
  private next = 0;

  constructor(
    dir: string,
    private readonly world: World,
    private readonly rng: Rng,
  ) {
    this.sink = new FileSink(`${dir}/parties.csv`);
    this.truth = new FileSink(`${dir}/truth/parties.csv`);
    this.sink.line(PARTIES_HEADER);
    this.truth.line("source,record_id,entity_id");
  }

  /** The accounts with a record, in file order; set up at the first step, off the caller's hot path. */
  private accounts(): Account[] {
    if (this.domestic) return this.domestic;
    // Each bank keeps its own house style (capitals, abbreviations, phone format); clerks stray from it.
    this.styles = this.world.banks.map((b) => pickRecordStyle(this.rng.fork(`style:${b.id}`)));
    // Bank by bank, as the banks' files would arrive; a person's records end up far apart.
    const domestic = this.world.accounts.filter((a) => a.bank >= 0 && a.holder.kind !== "foreign");
    domestic.sort((a, b) => a.bank - b.bank || a.index - b.index);
    for (const a of domestic) {
      const key = this.keyOf(a);
      this.toCome.set(key, (this.toCome.get(key) ?? 0) + 1);
    }
    for (const [key, n] of this.toCome) if (n === 1) this.toCome.delete(key);
    this.domestic = domestic;
    return domestic;
  }

  /** A number for an account's holder and bank. */
  private keyOf(a: Account): number {
    return (a.holder.index * 2 + (a.holder.kind === "person" ? 0 : 1)) * this.world.banks.length + a.bank;
  }

  /** The fields of an account's record: rendered from the record's own stream, or kept from before. */
  private fields(a: Account): string {
    const key = this.keyOf(a);
    let fields = this.rendered.get(key);
    if (fields === undefined) {
      const label = `${a.holder.kind}:${a.holder.index}@${a.bank}`;
      const text = recordOf(truthOf(this.world, a), this.rng.fork(label), DEFAULT_NOISE, this.styles[a.bank]);
      fields = csvFields(text);
    }
    const left = (this.toCome.get(key) ?? 1) - 1;
    if (left > 0) {
      this.toCome.set(key, left);
      this.rendered.set(key, fields);
    } else {
      this.toCome.delete(key);
      this.rendered.delete(key);
    }
    return fields;
  }

  /** Writes up to `rows` more records; false once every record is written. */
  step(rows: number): boolean {
    const world = this.world;
    const domestic = this.accounts();
    const end = Math.min(domestic.length, this.next + rows);
    for (; this.next < end; this.next++) {
      const a = domestic[this.next] as Account;
      const fields = this.fields(a);
      const bank = (world.banks[a.bank] as { id: string }).id;
      const id = recordIdOf(a.index);
      this.sink.line(`${id},${bank},${a.number},${fields}`);
      this.truth.line(`parties.csv,${id},${entityOf(world, a)}`);
    }
    return this.next < domestic.length;
  }

  /** Writes what is left; returns parties.csv's digest and row count. */
  finish(): { sha256: string; rows: number } {
    while (this.step(1 << 16));
    this.truth.finish();
    return { sha256: this.sink.finish(), rows: this.accounts().length };
  }

  abandon(): void {
    this.sink.abandon();
    this.truth.abandon();
  }
}

/** The rendered record's fields, CSV-quoted where needed, joined in file order. */
function csvFields(text: PartyRecordText): string {
  let line = csvField(text[FIELDS[0] as keyof PartyRecordText]);
  for (let k = 1; k < FIELDS.length; k++) line += `,${csvField(text[FIELDS[k] as keyof PartyRecordText])}`;
  return line;
}

export function writeParties(dir: string, world: World, rng: Rng): { sha256: string; rows: number } {
  const writer = new PartiesWriter(dir, world, rng);
  try {
    return writer.finish();
  } catch (error) {
    writer.abandon();
    throw error;
  }
}

function truthOf(world: World, a: Account) {
  return a.holder.kind === "person"
    ? (world.persons[a.holder.index] as World["persons"][number]).truth
    : (world.orgs[a.holder.index] as World["orgs"][number]).truth;
}

function entityOf(world: World, a: Account): string {
  return a.holder.kind === "person"
    ? (world.persons[a.holder.index] as World["persons"][number]).entity
    : (world.orgs[a.holder.index] as World["orgs"][number]).entity;
}

/** The mapping that reads parties.csv (DESIGN §4 mapping contract). */
export const PARTIES_MAPPING = `# parties.csv as moneytrail generate writes it: each bank's record of each account holder.
kind: parties
columns:
${COLUMNS.map(([column, field]) => `  ${field}: ${column}`).join("\n")}
formats:
  birth_date: "yyyy-MM-dd"
`;
