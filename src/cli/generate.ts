import { resolve } from "node:path";
import { generateWorld } from "../generate/generate.js";
import { DEFAULT_OPTIONS, type WorldOptions } from "../generate/world.js";
import { type Command, UsageError } from "./command.js";
import { wholeOption } from "./options.js";
import { progressBar } from "./progress.js";
import { formatTable } from "./table.js";

/** The options of a `generate` command line, checked: usage errors exit 2. */
export function worldOptions(values: Record<string, unknown>): WorldOptions {
  const start = (values.start as string | undefined) ?? DEFAULT_OPTIONS.start;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`))) {
    throw new UsageError(`generate: --start takes a date YYYY-MM-DD, got "${start}"`);
  }
  const prevalence = values.prevalence === undefined ? DEFAULT_OPTIONS.prevalence : Number(values.prevalence);
  if (!(prevalence > 0 && prevalence < 0.5)) {
    throw new UsageError(
      `generate: --prevalence takes a share between 0 and 0.5, got "${String(values.prevalence)}"`,
    );
  }
  const fanSpread =
    values["fan-spread"] === undefined ? DEFAULT_OPTIONS.fanSpread : Number(values["fan-spread"]);
  if (!(fanSpread >= 1 && fanSpread <= 100)) {
    throw new UsageError(
      `generate: --fan-spread takes a ratio from 1 to 100, got "${String(values["fan-spread"])}"`,
    );
  }
  const options: WorldOptions = {
    accounts: wholeOption("generate", "--accounts", values.accounts, DEFAULT_OPTIONS.accounts, 200),
    transactions: wholeOption(
      "generate",
      "--transactions",
      values.transactions,
      DEFAULT_OPTIONS.transactions,
      1000,
    ),
    seed: wholeOption("generate", "--seed", values.seed, DEFAULT_OPTIONS.seed, 0),
    days: wholeOption("generate", "--days", values.days, DEFAULT_OPTIONS.days, 14),
    banks: wholeOption("generate", "--banks", values.banks, DEFAULT_OPTIONS.banks, 2),
    start,
    prevalence,
    fanSpread,
  };
  if (options.banks > 200) throw new UsageError("generate: --banks takes at most 200");
  return options;
}

export const generateCommand: Command = {
  name: "generate",
  summary: "write a synthetic financial world with ground truth (planted typologies, noisy parties)",
  usage:
    "moneytrail generate --out DIR [--accounts N] [--transactions N] [--seed S] [--days D] [--banks B] [--start DATE] [--prevalence P] [--fan-spread R]",
  help: [
    `  --out DIR           where to write (created); files: transactions.csv (AMLworld), transactions-generic.csv`,
    "                      and its mapping, parties.csv and its mapping, patterns.txt, truth/",
    `  --accounts N        accounts in the world (default ${DEFAULT_OPTIONS.accounts})`,
    `  --transactions N    transactions, approximately (default ${DEFAULT_OPTIONS.transactions})`,
    `  --seed S            the same seed gives the same bytes (default ${DEFAULT_OPTIONS.seed})`,
    `  --days D            days covered (default ${DEFAULT_OPTIONS.days}), from --start (default ${DEFAULT_OPTIONS.start})`,
    `  --banks B           banks (default ${DEFAULT_OPTIONS.banks})`,
    `  --prevalence P      share of transactions in planted typologies (default ${DEFAULT_OPTIONS.prevalence})`,
    `  --fan-spread R      fans' members pay amounts within this ratio of each other (default ${DEFAULT_OPTIONS.fanSpread}:`,
    "                      one shared sum, AMLSim's; AMLworld's fans pay unlike sums, about 3)",
    "With --json, prints the files, counts and realism figures (degrees, amounts per channel, prevalence).",
  ],
  options: {
    out: { type: "string" },
    accounts: { type: "string" },
    transactions: { type: "string" },
    seed: { type: "string" },
    days: { type: "string" },
    banks: { type: "string" },
    start: { type: "string" },
    prevalence: { type: "string" },
    "fan-spread": { type: "string" },
  },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`generate: unexpected argument "${positionals[0]}"`);
    if (typeof values.out !== "string" || values.out === "")
      throw new UsageError("generate: --out DIR is required");
    const options = worldOptions(values);
    const dir = resolve(values.out);
    const bar = progressBar(ctx.io, "generate");
    let result: Awaited<ReturnType<typeof generateWorld>>;
    try {
      result = await generateWorld(dir, options, { progress: bar.sink });
    } finally {
      bar.done();
    }
    if (ctx.json) {
      ctx.io.stdout(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const rate = Math.round(result.transactions / result.seconds);
    ctx.io.stderr(
      `generated ${result.transactions} transactions (${result.planted} planted in ${result.instances} instances), ${result.accounts} accounts, ${result.parties} party records in ${result.seconds.toFixed(1)} s (${rate} transactions/s)\n`,
    );
    ctx.io.stderr(
      `${formatTable(
        ["file", "format", "rows", "sha256"],
        result.files.map((f) => [f.name, f.format, f.rows, f.sha256.slice(0, 12)]),
      )}\n\n`,
    );
    ctx.io.stderr(
      `${formatTable(
        ["typology", "instances", "transactions", "prevalence"],
        Object.entries(result.realism.typologies).map(([t, v]) => [
          t,
          v.instances,
          v.transactions,
          `${(v.prevalence * 100).toFixed(3)}%`,
        ]),
      )}\n`,
    );
    ctx.io.stderr(
      `ground truth in ${dir}/truth; ingest with: moneytrail ingest ${dir}/transactions.csv --format amlworld\n`,
    );
    return 0;
  },
};
