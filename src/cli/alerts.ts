import { type AlertRecord, subjectName } from "../detect/alert-record.js";
import { csvField } from "../generate/file-sink.js";
import { type Command, UsageError } from "./command.js";
import { formatTable } from "./table.js";

const CSV_COLUMNS = [
  "id",
  "typology",
  "score",
  "severity",
  "status",
  "subjects",
  "window_from",
  "window_to",
  "amount_usd",
  "transactions",
  "reasons",
] as const;

function csvRow(a: AlertRecord): string {
  const cells = [
    a.id,
    a.typology,
    String(a.score),
    a.severity,
    a.status,
    a.subjects.map((s) => `${subjectName(s)}:${s.role}`).join(" "),
    a.window.from,
    a.window.to,
    String(a.amount_usd),
    String(a.transactions.length),
    a.reasons.join(" | "),
  ];
  return cells.map(csvField).join(",");
}

export const alertsCommand: Command = {
  name: "alerts",
  summary: "export alerts, each with its evidence: transactions and their source lines",
  usage: "moneytrail alerts [--format jsonl|csv|table] [--typology T] [--min-score S]",
  help: [
    "  --format F      jsonl (one alert record a line, DESIGN §4; default), csv or table",
    "  --typology T    only alerts of this typology",
    "  --min-score S   only alerts scoring at least S (0 to 1)",
    "Highest score first, then id.",
  ],
  options: { format: { type: "string" }, typology: { type: "string" }, "min-score": { type: "string" } },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`alerts: unexpected argument "${positionals[0]}"`);
    const format = (values.format as string | undefined) ?? "jsonl";
    if (!["jsonl", "csv", "table"].includes(format))
      throw new UsageError(`alerts: --format must be jsonl, csv or table (got "${format}")`);
    const minScore = values["min-score"] === undefined ? 0 : Number(values["min-score"]);
    if (!(Number.isFinite(minScore) && minScore >= 0 && minScore <= 1))
      throw new UsageError(`alerts: --min-score takes a number from 0 to 1 (got "${values["min-score"]}")`);
    const typology = values.typology as string | undefined;
    const store = await ctx.store();
    const alerts = (await store.alerts())
      .map((a) => a.record)
      .filter((r) => r.score >= minScore && (typology === undefined || r.typology === typology))
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
    if (format === "jsonl") ctx.io.stdout(alerts.map((a) => `${JSON.stringify(a)}\n`).join(""));
    else if (format === "csv")
      ctx.io.stdout(`${[CSV_COLUMNS.join(","), ...alerts.map(csvRow)].join("\n")}\n`);
    else {
      ctx.io.stdout(
        `${formatTable(
          [
            "id",
            "typology",
            "score",
            "severity",
            "status",
            "subject",
            "window from",
            "amount_usd",
            "transactions",
          ],
          alerts.map((a) => [
            a.id,
            a.typology,
            a.score,
            a.severity,
            a.status,
            a.subjects[0] ? subjectName(a.subjects[0]) : "",
            a.window.from,
            a.amount_usd,
            a.transactions.length,
          ]),
        )}\n`,
      );
    }
    return 0;
  },
};
