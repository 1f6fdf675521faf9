import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DetectionReport } from "../evaluate/detection.js";
import { type EvaluateInput, type Evaluation, evaluate } from "../evaluate/evaluate.js";
import type { Prf } from "../evaluate/prf.js";
import type { ResolutionReport } from "../evaluate/resolution.js";
import { UnusableInputError } from "../ingest/errors.js";
import { type Command, type Context, type Io, UsageError } from "./command.js";
import { formatTable } from "./table.js";

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "score alerts and entities against a generated world's ground truth, or the data's own labels",
  usage: "moneytrail evaluate --truth DIR | --labels [--patterns FILE] [--alerts FILE] [--entities FILE]",
  help: [
    "  --truth DIR       the folder `moneytrail generate --out` wrote (or its truth/ folder)",
    "  --labels          instead: the labels the data came with, stored at ingest (AMLworld's",
    "                    Is Laundering, a mapping's label column): detection only",
    "  --patterns FILE   with --labels: an AMLworld *_Patterns.txt or an AMLSim alert_transactions.csv,",
    "                    whose attempts give the labelled transactions their typologies (others are",
    "                    `laundering`)",
    "  --alerts FILE     alerts to score, as JSON lines (the `alerts --format jsonl` record);",
    "                    default: the workspace's alerts",
    "  --entities FILE   entities to score, as CSV with the header source,record_id,entity_id;",
    "                    default: the workspace's entities",
    "Prints precision, recall and F1 per typology and overall, false alarms on hard negatives, and",
    "pairwise and B-cubed scores of the entities. A stage without predictions is reported as not",
    "available. See docs/evaluate.md.",
  ],
  options: {
    truth: { type: "string" },
    labels: { type: "boolean" },
    patterns: { type: "string" },
    alerts: { type: "string" },
    entities: { type: "string" },
  },
  // The store is opened only for what no file gives, and only if the workspace exists: scoring
  // must not create an empty workspace as a side effect.
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0)
      throw new UsageError(
        `evaluate: unexpected argument "${positionals[0]}"\nusage: ${evaluateCommand.usage}`,
      );
    const labels = values.labels === true;
    const truthDir = typeof values.truth === "string" && values.truth !== "" ? values.truth : undefined;
    if ((truthDir === undefined) === !labels)
      throw new UsageError(`evaluate: give one of --truth DIR or --labels\nusage: ${evaluateCommand.usage}`);
    const patternsPath = values.patterns as string | undefined;
    if (patternsPath !== undefined && !labels)
      throw new UsageError(`evaluate: --patterns goes with --labels\nusage: ${evaluateCommand.usage}`);
    const alertsPath = values.alerts as string | undefined;
    const entitiesPath = values.entities as string | undefined;
    const fromWorkspace = await workspacePredictions(
      ctx,
      alertsPath === undefined,
      entitiesPath === undefined && !labels,
    );
    const result = await evaluate({
      truthDir,
      ...(labels ? { labels: { transactions: await workspaceLabels(ctx), patternsPath } } : {}),
      alertsPath,
      entitiesPath,
      ...fromWorkspace,
    });
    if (ctx.json) ctx.io.stdout(`${JSON.stringify(result)}\n`);
    else printHuman(ctx.io, result);
    return 0;
  },
};

/** The workspace's labelled transactions: there must be a workspace, and labels in it. */
async function workspaceLabels(ctx: Context) {
  if (ctx.storeUrl === undefined && !existsSync(join(ctx.workspaceDir, "moneytrail.duckdb")))
    throw new UnusableInputError(`evaluate --labels: no workspace at ${ctx.workspaceDir}`);
  const labelled = await (await ctx.store()).labelledTransactions();
  if (labelled.length === 0)
    throw new UnusableInputError(
      `evaluate --labels: the workspace ${ctx.workspaceDir} holds no labelled transactions (ingest an AMLworld file with its Is Laundering column, or map a label column)`,
    );
  return labelled;
}

/**
 * The workspace's alerts and entities, for the stages no file is given for. A workspace without
 * alerts (or without a resolve run) has nothing to score for that stage, which is said, not
 * scored as "found nothing".
 */
async function workspacePredictions(
  ctx: Context,
  wantAlerts: boolean,
  wantEntities: boolean,
): Promise<Pick<EvaluateInput, "alerts" | "entities" | "missing">> {
  if (!wantAlerts && !wantEntities) return {};
  if (ctx.storeUrl === undefined && !existsSync(join(ctx.workspaceDir, "moneytrail.duckdb")))
    return {
      missing: {
        alerts: `no alerts to score: no workspace at ${ctx.workspaceDir} and no --alerts FILE`,
        entities: `no entities to score: no workspace at ${ctx.workspaceDir} and no --entities FILE`,
      },
    };
  const store = await ctx.store();
  const alerts = wantAlerts ? (await store.alerts()).map((a) => a.record) : [];
  const entities = wantEntities
    ? (await store.partyEntities()).filter((r) => r.entity_id !== null && r.entity_id !== "")
    : [];
  return {
    ...(alerts.length > 0 ? { alerts } : {}),
    ...(entities.length > 0
      ? {
          entities: entities.map((r) => ({
            source: r.source,
            record_id: r.record_id,
            entity_id: r.entity_id as string,
          })),
        }
      : {}),
    missing: {
      alerts: `no alerts to score: the workspace ${ctx.workspaceDir} has none (run \`moneytrail detect\`), and no --alerts FILE was given`,
      entities: `no entities to score: the workspace ${ctx.workspaceDir} has none (run \`moneytrail resolve\`), and no --entities FILE was given`,
    },
  };
}

function printHuman(io: Io, result: Evaluation): void {
  const { truth, detection, resolution } = result;
  if (truth.kind === "world")
    io.stderr(`truth ${truth.dir}: seed ${truth.seed}, ${truth.days} days from ${truth.start}\n\n`);
  else {
    const p = truth.patterns;
    io.stderr(
      `truth: the data's own labels, ${count(truth.labelled, "labelled transaction")} in ${count(truth.files, "file")}` +
        `${p ? `; ${p.file}: ${count(p.blocks, "attempt")}, ${p.matched} of ${count(p.rows, "row")} matched to a labelled transaction` : ""}\n\n`,
    );
  }
  // Labels without a patterns file know no typologies: only the overall rows mean anything.
  const untyped = truth.kind === "labels" && truth.patterns === null;
  if (detection.available)
    printDetection(
      io,
      untyped ? { ...detection, typologies: [] } : detection,
      truth.kind === "world" ? "the world's files" : "the labelled files",
      !untyped,
    );
  else io.stderr(`detection: not available (${detection.reason})\n`);
  io.stderr("\n");
  if (resolution.available) printResolution(io, resolution);
  else io.stderr(`resolution: not available (${resolution.reason})\n`);
}

function printDetection(io: Io, d: DetectionReport, files: string, patterns: boolean): void {
  io.stderr(
    `detection: ${count(d.alerts, "alert")}; ${count(d.outside_world, "alert transaction")} outside ${files} (ignored)` +
      `${d.entity_subjects ? `; ${count(d.entity_subjects, "entity subject")} (ignored: the truth knows accounts)` : ""}\n\n`,
  );
  const sum = (pick: (t: DetectionReport["typologies"][number]) => number) =>
    d.typologies.reduce((n, t) => n + pick(t), 0);
  const prfCells = (p: Prf) => [
    p.tp,
    p.predicted,
    p.actual,
    ratio(p.precision),
    ratio(p.recall),
    ratio(p.f1),
  ];
  const head = ["tp", "predicted", "actual", "precision", "recall", "f1"];
  io.stderr(
    `transactions\n${formatTable(
      ["typology", "instances", "found", "flagged", ...head],
      [
        [
          "(all)",
          // Without typed instances there is nothing to count them by.
          ...(patterns
            ? [sum((t) => t.instances), sum((t) => t.instances_found), sum((t) => t.instances_flagged_any)]
            : ["", "", ""]),
          ...prfCells(d.overall.transactions),
        ],
        ...(patterns ? [["(graph patterns)", "", "", "", ...prfCells(d.graph_patterns.transactions)]] : []),
        ...d.typologies.map((t) => [
          t.typology,
          t.instances,
          t.instances_found,
          t.instances_flagged_any,
          ...prfCells(t.transactions),
        ]),
      ],
    )}\n\n`,
  );
  io.stderr(
    `accounts\n${formatTable(
      ["typology", ...head],
      [
        ["(all)", ...prfCells(d.overall.accounts)],
        ...(patterns ? [["(graph patterns)", ...prfCells(d.graph_patterns.accounts)]] : []),
        ...d.typologies.map((t) => [t.typology, ...prfCells(t.accounts)]),
      ],
    )}\n\n`,
  );
  if (d.hard_negatives.length === 0) return;
  io.stderr(
    `hard negatives\n${formatTable(
      ["kind", "resembles", "accounts", "alerted", "alerted as"],
      d.hard_negatives.map((h) => [
        h.kind,
        h.resembles.join(";"),
        h.accounts,
        h.alerted,
        h.typologies.join(";"),
      ]),
    )}\n`,
  );
}

function printResolution(io: Io, r: ResolutionReport): void {
  io.stderr(
    `resolution: ${count(r.records, "record")}, ${count(r.entities, "true entity", "true entities")},` +
      ` ${count(r.clusters, "predicted cluster")} (matched by ${r.matched_by});` +
      ` ${r.missing} missing from the prediction (scored as singletons), ${r.unknown} unknown to the truth (ignored)` +
      `${r.duplicates ? `, ${r.duplicates} named twice (the first row counts)` : ""}\n\n`,
  );
  io.stderr(
    `${formatTable(
      ["metric", "precision", "recall", "f1", "tp", "predicted pairs", "true pairs"],
      [
        [
          "pairwise",
          ratio(r.pairwise.precision),
          ratio(r.pairwise.recall),
          ratio(r.pairwise.f1),
          r.pairwise.tp,
          r.pairwise.predicted_pairs,
          r.pairwise.true_pairs,
        ],
        ["b-cubed", ratio(r.bcubed.precision), ratio(r.bcubed.recall), ratio(r.bcubed.f1), null, null, null],
      ],
    )}\n`,
  );
}

/** Three decimals, or `n/a` where a ratio has no denominator. */
function ratio(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(3);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
