import type { Command } from "./command.js";
import { formatTable } from "./table.js";

export const statusCommand: Command = {
  name: "status",
  summary: "what the workspace holds: counts and ingested files",
  usage: "moneytrail status",
  help: [],
  options: {},
  async run(ctx) {
    const store = await ctx.store();
    const counts = await store.counts();
    const files = await store.sourceFiles();
    if (ctx.json) {
      ctx.io.stdout(`${JSON.stringify({ workspace: ctx.workspaceDir, counts, files })}\n`);
      return 0;
    }
    ctx.io.stderr(`workspace ${ctx.workspaceDir}\n`);
    ctx.io.stderr(
      `${formatTable(
        ["records", "count"],
        Object.entries(counts).map(([k, v]) => [k, v]),
      )}\n\n`,
    );
    ctx.io.stderr(
      `${formatTable(
        ["file", "format", "sha256", "rows", "accepted", "rejected", "duplicates"],
        files.map((f) => [
          f.name,
          f.format,
          f.sha256.slice(0, 12),
          f.rows,
          f.accepted,
          f.rejected,
          f.duplicates,
        ]),
      )}\n`,
    );
    return 0;
  },
};
