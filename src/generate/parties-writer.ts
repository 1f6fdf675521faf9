import { csvField, FileSink } from "./file-sink.js";
import { recordIdOf } from "./normal-life.js";
import { DEFAULT_NOISE, type PartyRecordText, pickRecordStyle, recordOf } from "./party-noise.js";
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

export function writeParties(dir: string, world: World, rng: Rng): { sha256: string; rows: number } {
  const sink = new FileSink(`${dir}/parties.csv`);
  const truth = new FileSink(`${dir}/truth/parties.csv`);
  sink.line(PARTIES_HEADER);
  truth.line("source,record_id,entity_id");
  const rendered = new Map<string, PartyRecordText>();
  // Each bank keeps its own house style (capitals, abbreviations, phone format); clerks stray from it.
  const styles = world.banks.map((b) => pickRecordStyle(rng.fork(`style:${b.id}`)));
  // Bank by bank, as the banks' files would arrive; a person's records end up far apart.
  const domestic = world.accounts.filter((a) => a.bank >= 0 && a.holder.kind !== "foreign");
  domestic.sort((a, b) => a.bank - b.bank || a.index - b.index);
  try {
    for (const a of domestic) {
      const key = `${a.holder.kind}:${a.holder.index}@${a.bank}`;
      let text = rendered.get(key);
      if (!text) {
        text = recordOf(truthOf(world, a), rng.fork(key), DEFAULT_NOISE, styles[a.bank]);
        rendered.set(key, text);
      }
      const bank = (world.banks[a.bank] as { id: string }).id;
      const id = recordIdOf(a.index);
      sink.line([id, bank, a.number, ...FIELDS.map((f) => csvField(text[f]))].join(","));
      truth.line(`parties.csv,${id},${entityOf(world, a)}`);
    }
    truth.finish();
    return { sha256: sink.finish(), rows: domestic.length };
  } catch (error) {
    sink.abandon();
    truth.abandon();
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
