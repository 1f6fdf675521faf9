import { join } from "node:path";
import { type FileResult, type IngestOptions, ingestPrepared, prepareFiles } from "../ingest/ingest-file.js";
import { IngestFormat, SensitivityTag } from "../model/source.js";
import { type Command, type Options, type ParsedArgs, UsageError } from "./command.js";
import { progressBar } from "./progress.js";
import { formatTable } from "./table.js";

/** The options that say how to read files, as `ingest` and `watch` take them. */
export const INGEST_OPTIONS = {
  format: { type: "string" },
  mapping: { type: "string" },
  source: { type: "string" },
  fx: { type: "string" },
  agency: { type: "string" },
  "legal-basis": { type: "string" },
  tag: { type: "string", multiple: true },
} as const satisfies Options;

/** Those options' help lines. */
export const INGEST_HELP = [
  "  --format F       amlworld (IBM AMLworld transactions CSV), csv (transactions through a mapping),",
  "                   parties (people and organisations through a mapping)",
  "  --mapping FILE   mapping file (YAML or JSON) for csv and parties; see docs/ingest.md",
  "  --source NAME    name of the source (default: the file name)",
  "  --fx FILE        FX rates (CSV date,currency,usd_per_unit) that override the shipped table",
  "  --agency A       agency that supplied the data; --legal-basis REF: the legal basis for holding it",
  "  --tag T          sensitivity tag (repeatable): bsa, fti-6103, grand-jury-6e, pii, law-enforcement-sensitive",
];

/** The ingest options of a command's arguments, checked (usage errors name `command`). */
export function ingestOptionsOf(command: string, values: ParsedArgs["values"]): IngestOptions {
  const format = IngestFormat.safeParse(values.format);
  if (!format.success) {
    throw new UsageError(
      `${command}: --format must be one of ${IngestFormat.options.join(", ")}${values.format ? ` (got "${values.format}")` : ""}`,
    );
  }
  const tags = ((values.tag as string[] | undefined) ?? []).map((t) => {
    const tag = SensitivityTag.safeParse(t);
    if (!tag.success)
      throw new UsageError(`${command}: unknown --tag "${t}" (known: ${SensitivityTag.options.join(", ")})`);
    return tag.data;
  });
  return {
    format: format.data,
    mappingPath: values.mapping as string | undefined,
    sourceName: values.source as string | undefined,
    fxPath: values.fx as string | undefined,
    agency: values.agency as string | undefined,
    legalBasis: values["legal-basis"] as string | undefined,
    tags,
  };
}

export const ingestCommand: Command = {
  name: "ingest",
  summary: "load records from files, with provenance; bad rows go to quarantine",
  usage: "moneytrail ingest FILE… --format amlworld|csv|parties [--mapping FILE] [--source NAME] [--fx FILE]",
  help: [
    ...INGEST_HELP,
    "Prints per file: path, sha256, rows, accepted, rejected, duplicates. The same file twice adds nothing.",
  ],
  options: INGEST_OPTIONS,
  async run(ctx, { values, positionals }) {
    if (positionals.length === 0) throw new UsageError("ingest: name at least one FILE");
    const options = ingestOptionsOf("ingest", values);
    // Every file and the mapping are checked before anything is written.
    const { prepared, fx } = prepareFiles(positionals, options);
    const store = ctx.store();
    const results: FileResult[] = [];
    for (const item of prepared) {
      const bar = progressBar(ctx.io, `ingest ${item.path}`);
      try {
        results.push(await ingestPrepared(store, item, fx, options, join(ctx.workspaceDir, "tmp"), bar.sink));
      } finally {
        bar.done();
      }
      const r = results.at(-1) as FileResult;
      if (!ctx.json) {
        ctx.io.stderr(
          r.already_ingested
            ? `${r.path}: already ingested (sha256 ${r.sha256.slice(0, 12)}…): nothing added\n`
            : `${r.path}: ${r.accepted} accepted, ${r.rejected} rejected${r.rejected ? " (see: moneytrail quarantine)" : ""}, ${r.duplicates} duplicates\n`,
        );
      }
    }
    if (ctx.json) ctx.io.stdout(`${JSON.stringify({ files: results })}\n`);
    else {
      ctx.io.stderr(
        `${formatTable(
          ["path", "sha256", "rows", "accepted", "rejected", "duplicates"],
          results.map((r) => [r.path, r.sha256.slice(0, 12), r.rows, r.accepted, r.rejected, r.duplicates]),
        )}\n`,
      );
    }
    return 0;
  },
};
