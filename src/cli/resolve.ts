import { runResolution } from "../resolve/run-resolution.js";
import { type Command, UsageError } from "./command.js";
import { formatTable } from "./table.js";

export const resolveCommand: Command = {
  name: "resolve",
  summary: "entity resolution over all parties: who is who across sources, incremental",
  usage: "moneytrail resolve [--full [--keep-model]] [--threshold P]",
  help: [
    "  --full          compare every party again and re-estimate the model (default: after the first",
    "                  run, only new parties are compared, with the model the last full run estimated)",
    "  --keep-model    with --full: score with the stored model rather than re-estimate it (what an",
    "                  incremental run must equal)",
    "  --threshold P   match probability at or above which two parties are linked (default 0.95)",
    "Blocks parties on several keys, compares them field by field, weighs the agreements with a",
    "Fellegi–Sunter model estimated by EM without labels, and clusters links, refusing merges that",
    "would not hang together. Entity ids stay stable across runs; analyst overrides always win",
    "(`moneytrail entity`). Every link can be explained: `moneytrail entity explain ID`.",
  ],
  options: { full: { type: "boolean" }, "keep-model": { type: "boolean" }, threshold: { type: "string" } },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`resolve: unexpected argument "${positionals[0]}"`);
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && !(threshold > 0 && threshold < 1))
      throw new UsageError(
        `resolve: --threshold takes a probability between 0 and 1 (got "${values.threshold}")`,
      );
    if (values["keep-model"] === true && values.full !== true)
      throw new UsageError(
        "resolve: --keep-model goes with --full (an incremental run keeps the model anyway)",
      );
    const store = await ctx.store();
    const summary = await runResolution(store, {
      full: values.full === true,
      keepModel: values["keep-model"] === true,
      ...(threshold === undefined ? {} : { threshold }),
    });
    if (ctx.json) ctx.io.stdout(`${JSON.stringify(summary)}\n`);
    else {
      ctx.io.stderr(
        `${formatTable(
          ["blocking rule", "records keyed", "pairs", "blocks over cap"],
          summary.blocking.map((r) => [r.rule, r.keyed, r.pairs, r.skippedBlocks]),
        )}\n`,
      );
      for (const note of summary.notes) ctx.io.stderr(`note: ${note}\n`);
      const e = summary.events;
      ctx.io.stderr(
        `resolve (${summary.mode}, run ${summary.run}): ${summary.parties} parties (${summary.new_parties} new, ${summary.loaded} read), ` +
          `${summary.candidate_pairs} candidate pairs, ${summary.links.accepted} links accepted, ` +
          `${summary.links.rejected} refused, ${summary.links.possible} possible; ${summary.entities} entities ` +
          `(${e.created} created, ${e.merged} merged, ${e.split} split, ${e.retired} retired) in ${summary.seconds.total.toFixed(1)} s\n`,
      );
    }
    return 0;
  },
};
