import { csvField } from "../generate/file-sink.js";
import { type Command, UsageError } from "./command.js";

export const entitiesCommand: Command = {
  name: "entities",
  summary: "one row per party with its entity: source,record_id,entity_id",
  usage: "moneytrail entities [--format csv|jsonl]",
  help: [
    "  --format F      csv (default; header exactly source,record_id,entity_id) or jsonl",
    "A party not yet resolved has an empty entity_id: run `moneytrail resolve` first.",
  ],
  options: { format: { type: "string" } },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`entities: unexpected argument "${positionals[0]}"`);
    const format = (values.format as string | undefined) ?? "csv";
    if (format !== "csv" && format !== "jsonl")
      throw new UsageError(`entities: --format must be csv or jsonl (got "${format}")`);
    const rows = await (await ctx.store()).partyEntities();
    if (format === "jsonl") ctx.io.stdout(rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    else
      ctx.io.stdout(
        `source,record_id,entity_id\n${rows.map((r) => `${csvField(r.source)},${csvField(r.record_id)},${csvField(r.entity_id)}\n`).join("")}`,
      );
    return 0;
  },
};
