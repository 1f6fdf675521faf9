import { join } from "node:path";
import { detect } from "../detect/detect.js";
import { defaultPackPath, loadRulePack, type RulePack, RulePackError } from "../detect/rule-pack.js";
import { type Command, type ParsedArgs, UsageError } from "./command.js";
import { formatTable } from "./table.js";

/** The rule pack `--pack` and `--only` choose (usage errors name `command`). */
export function packOf(command: string, values: ParsedArgs["values"]): RulePack {
  const only =
    values.only === undefined
      ? undefined
      : String(values.only)
          .split(",")
          .map((x) => x.trim());
  try {
    return loadRulePack((values.pack as string | undefined) ?? defaultPackPath(), only);
  } catch (error) {
    if (error instanceof RulePackError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

/** Where `detect` keeps its graph between runs (`detection-graph.ts`). */
export const detectSnapshotDir = (workspaceDir: string) => join(workspaceDir, "cache", "detect-graph");

export const detectCommand: Command = {
  name: "detect",
  summary: "run the detectors of a rule pack; create or extend alerts; print counts per typology",
  usage: "moneytrail detect [--pack FILE] [--only ID,…] [--full]",
  help: [
    "  --pack FILE     a rule pack (YAML): detectors and their parameters (default: packs/default.yaml)",
    "  --only ID,…     run only these detectors of the pack",
    "  --full          look at every transaction again, not only at patterns with new ones",
    "After the first run, a detector run again with the same parameters looks only at patterns that",
    "contain transactions ingested since (the workspace keeps the last run's graph in cache/).",
    "A detector whose fields the data lacks, or that needs more days than the data spans, is",
    "reported NOT_EVALUABLE with the fields or the days, and not run.",
    "Alerts about the same typology, account and period are extended, never duplicated.",
  ],
  options: { pack: { type: "string" }, only: { type: "string" }, full: { type: "boolean" } },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`detect: unexpected argument "${positionals[0]}"`);
    const pack = packOf("detect", values);
    const store = await ctx.store();
    const summary = await detect(store, pack, {
      snapshotDir: detectSnapshotDir(ctx.workspaceDir),
      full: values.full === true,
    });
    if (ctx.json) ctx.io.stdout(`${JSON.stringify(summary)}\n`);
    else {
      ctx.io.stderr(
        `${formatTable(
          ["detector", "status", "run", "findings", "missing"],
          summary.detectors.map((d) => [
            d.detector,
            d.status === "ok" ? (d.unused.length > 0 ? "partial" : "ok") : "NOT_EVALUABLE",
            d.status === "ok" ? d.run : "",
            d.findings,
            // Partial: ran, without the rules that read these optional fields.
            d.status === "ok" && d.unused.length > 0
              ? `${d.unused.join(", ")} (optional)`
              : (d.reason ?? d.missing.join(", ")),
          ]),
        )}\n`,
      );
      ctx.io.stderr(
        `${formatTable(
          ["typology", "alerts"],
          Object.entries(summary.typologies).map(([t, n]) => [t, n]),
        )}\n`,
      );
      const a = summary.alerts;
      ctx.io.stderr(
        `alerts: ${a.new} new, ${a.updated} extended, ${a.unchanged} unchanged${a.not_raised ? `, ${a.not_raised} stored not raised again (kept; see docs/detect.md)` : ""}${a.rechecked ? `; ${a.rechecked} about accounts with new transactions looked at again` : ""} (pack ${summary.pack}; ${summary.newTransactions} transactions not seen before)\n`,
      );
    }
    return 0;
  },
};
