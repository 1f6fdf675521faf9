import type { Sha256 } from "../model/ids.js";
import { type Command, UsageError } from "./command.js";
import { formatTable } from "./table.js";

export const quarantineCommand: Command = {
  name: "quarantine",
  summary: "list rejected rows: file, line, field, reason and the raw text",
  usage: "moneytrail quarantine [--file SHA256] [--limit N]",
  help: [
    "  --file SHA256    only rows of this file (the full digest or its first 8+ hex characters)",
    "  --limit N        at most N rows (default: all)",
  ],
  options: { file: { type: "string" }, limit: { type: "string" } },
  async run(ctx, { values }) {
    const store = await ctx.store();
    let file: Sha256 | undefined;
    if (values.file !== undefined) {
      const prefix = String(values.file).toLowerCase();
      if (!/^[0-9a-f]{8,64}$/.test(prefix))
        throw new UsageError("quarantine: --file takes a SHA-256 digest (8 to 64 hex characters)");
      const matches = (await store.sourceFiles()).filter((f) => f.sha256.startsWith(prefix));
      if (matches.length !== 1) {
        throw new UsageError(
          `quarantine: --file ${prefix} matches ${matches.length === 0 ? "no ingested file" : "several files"}`,
        );
      }
      file = matches[0]?.sha256;
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
      throw new UsageError("quarantine: --limit takes a whole number");
    const rows = await store.quarantine({ file, limit });
    if (ctx.json) ctx.io.stdout(`${JSON.stringify({ rows })}\n`);
    else if (rows.length === 0) ctx.io.stderr("quarantine is empty\n");
    else {
      ctx.io.stderr(
        `${formatTable(
          ["file", "line", "field", "reason", "raw"],
          rows.map((r) => [
            r.file_name,
            r.line,
            r.field,
            r.reason,
            r.raw.length > 60 ? `${r.raw.slice(0, 57)}...` : r.raw,
          ]),
        )}\n`,
      );
    }
    return 0;
  },
};
