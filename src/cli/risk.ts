import { accountRisk } from "../detect/account-risk.js";
import { DETECTORS } from "../detect/detectors/index.js";
import { csvField } from "../generate/file-sink.js";
import { accountHolders } from "../graph/entity-view.js";
import { type Command, UsageError } from "./command.js";
import { formatTable } from "./table.js";

export const riskCommand: Command = {
  name: "risk",
  summary: "rank accounts by what the alerts naming them add up to, and say why",
  usage: "moneytrail risk [--format jsonl|csv|table] [--top N] [--by account|entity]",
  help: [
    "  --format F      table (default), jsonl or csv",
    "  --top N         only the N accounts at the top",
    "  --by entity     rank resolved entities, each over all its accounts (after `moneytrail resolve`)",
    "Score: 1 − Π(1 − s) over the account's alerts, an alert naming it only as a counterparty at half weight.",
    "Each row says how many alerts, from how many detectors, citing which advisories. Leads, not verdicts.",
  ],
  options: { format: { type: "string" }, top: { type: "string" }, by: { type: "string" } },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`risk: unexpected argument "${positionals[0]}"`);
    const format = (values.format as string | undefined) ?? "table";
    if (!["jsonl", "csv", "table"].includes(format))
      throw new UsageError(`risk: --format must be jsonl, csv or table (got "${format}")`);
    const top = values.top === undefined ? Number.POSITIVE_INFINITY : Number(values.top);
    if (!(Number.isInteger(top) && top > 0) && top !== Number.POSITIVE_INFINITY)
      throw new UsageError(`risk: --top takes a whole number above 0 (got "${values.top}")`);
    const by = (values.by as string | undefined) ?? "account";
    if (by !== "account" && by !== "entity")
      throw new UsageError(`risk: --by must be account or entity (got "${by}")`);
    const store = await ctx.store();
    let subjectOf: ((account: string) => string) | undefined;
    if (by === "entity") {
      const holders = await store.accountEntities();
      if (holders.length === 0)
        throw new UsageError(
          "risk --by entity: no account has a resolved holder yet; run `moneytrail resolve` first",
        );
      const { soleHolder } = accountHolders(holders);
      subjectOf = (account) => soleHolder.get(account) ?? account;
    }
    const rows = accountRisk(
      (await store.alerts()).map((a) => a.record),
      DETECTORS,
      subjectOf,
    ).slice(0, top);
    if (format === "jsonl") ctx.io.stdout(rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    else if (format === "csv") {
      const header =
        "account,score,alerts,typologies,detectors,advisories,sar_activities,amount_usd,explanation";
      const lines = rows.map((r) =>
        [
          r.account,
          String(r.score),
          r.alerts.join(" "),
          r.typologies.join(" "),
          r.detectors.join(" "),
          r.advisories.join(" | "),
          r.sarActivities.join(" "),
          String(r.amountUsd),
          r.explanation,
        ]
          .map(csvField)
          .join(","),
      );
      ctx.io.stdout(`${[header, ...lines].join("\n")}\n`);
    } else
      ctx.io.stdout(
        `${formatTable(
          [by, "score", "alerts", "typologies", "why"],
          rows.map((r) => [
            r.accounts ? `${r.account} (${r.accounts.join(", ")})` : r.account,
            r.score,
            r.alerts.length,
            r.typologies.join(", "),
            r.explanation,
          ]),
        )}\n`,
      );
    return 0;
  },
};
