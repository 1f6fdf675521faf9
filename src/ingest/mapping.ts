import { readFileSync } from "node:fs";
import { z } from "zod";
import { PARTY_MAPPING_FIELDS } from "../model/party.js";
import { TRANSACTION_DETAILS } from "../model/transaction.js";
import { parseYaml } from "../util/parse-yaml.js";
import { UnusableInputError } from "./errors.js";

/** Canonical transaction fields a mapping may name (DESIGN §2, §4); `label` is ground truth (docs/ingest.md). */
export const TRANSACTION_MAPPING_FIELDS = [
  "id",
  "timestamp",
  "from_account",
  "from_bank",
  "to_account",
  "to_bank",
  "amount",
  "currency",
  "amount_received",
  "currency_received",
  "channel",
  ...TRANSACTION_DETAILS,
  "label",
] as const;
export type TransactionMappingField = (typeof TRANSACTION_MAPPING_FIELDS)[number];

const ColumnRef = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** The mapping-file contract of DESIGN §4, plus `delimiter` and `quote` to fix what sniffing guesses. */
export const MappingFile = z
  .object({
    kind: z.enum(["transactions", "parties"]),
    columns: z.record(z.string(), ColumnRef),
    formats: z.record(z.string(), z.string()).default({}),
    values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
    defaults: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({}),
    delimiter: z.string().min(1).max(4).optional(),
    quote: z.string().length(1).nullable().optional(),
  })
  .strict();
export type MappingFile = z.infer<typeof MappingFile>;

function knownFields(kind: MappingFile["kind"]): readonly string[] {
  return kind === "transactions" ? TRANSACTION_MAPPING_FIELDS : PARTY_MAPPING_FIELDS;
}

/** Reads and checks a mapping file (YAML or JSON). Any problem is unusable input: exit 2, nothing read. */
export function loadMapping(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UnusableInputError(`mapping ${path}: cannot read it (${(error as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UnusableInputError(`mapping ${path}: not valid YAML or JSON (${(error as Error).message})`);
  }
  const parsed = MappingFile.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnusableInputError(`mapping ${path}: ${issue?.path.join(".") || "(top)"}: ${issue?.message}`);
  }
  const mapping = parsed.data;
  // `ts` is the model's name for what the contract's example maps as `timestamp`.
  if (mapping.columns.ts && !mapping.columns.timestamp) {
    mapping.columns.timestamp = mapping.columns.ts;
    delete mapping.columns.ts;
  }
  const known = knownFields(mapping.kind);
  for (const section of ["columns", "formats", "values", "defaults"] as const) {
    for (const field of Object.keys(mapping[section])) {
      if (section === "defaults" && field === "timezone") continue;
      if (section === "formats" && field === "ts") continue;
      if (!known.includes(field)) {
        throw new UnusableInputError(
          `mapping ${path}: ${section}.${field}: not a ${mapping.kind} field (known: ${known.join(", ")})`,
        );
      }
    }
  }
  if (mapping.formats.ts && !mapping.formats.timestamp) mapping.formats.timestamp = mapping.formats.ts;
  return mapping;
}
