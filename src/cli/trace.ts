import { TRACE_METHODS, type TraceMethod } from "../graph/allocation.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import {
  DEFAULT_MIN_FLOW_SHARE,
  type TraceOptions,
  type TraceOrigin,
  type TraceResult,
  traceBackward,
  traceForward,
} from "../graph/trace.js";
import { type TraceRecord, traceToDot, traceToGraphml } from "../graph/trace-export.js";
import type { SourceRef } from "../model/source.js";
import type { Store } from "../store/store.js";
import { type Command, UsageError } from "./command.js";
import {
  accountIndex,
  cents,
  loadGraph,
  sourceOf,
  transactionIds,
  viewOption,
  viewRecord,
} from "./graph-refs.js";
import { parseWhen, wholeOption } from "./options.js";
import { formatTable } from "./table.js";

const DEFAULT_HOPS = 6;

/** `--min-flow`: a USD amount, or a share of the traced amount written as a percentage. */
function minFlowOption(text: string | undefined): Pick<TraceOptions, "minFlowUsd" | "minFlowShare"> {
  if (text === undefined) return { minFlowShare: DEFAULT_MIN_FLOW_SHARE };
  const percent = text.endsWith("%");
  const n = Number(percent ? text.slice(0, -1) : text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || (percent && n > 100)) {
    throw new UsageError(
      `trace: --min-flow takes a USD amount (250) or a share of the traced amount (0.01%), got "${text}"`,
    );
  }
  return percent ? { minFlowShare: n / 100 } : { minFlowUsd: n };
}

/** The trace record of DESIGN §4, with transaction ids and SourceRefs from the store. */
async function traceRecord(
  store: Store,
  g: MoneyGraph,
  result: TraceResult,
  origin: Record<string, unknown>,
  direction: "forward" | "backward",
): Promise<TraceRecord & { origin: Record<string, unknown>; dissipated: unknown[]; notes: string[] }> {
  const edges = [
    ...new Set([...result.flows.flatMap((f) => f.edges), ...result.dissipated.flatMap((d) => d.edges)]),
  ];
  const idOf = await transactionIds(store, g, edges);
  const key = (account: number) => g.accounts[account] as string;
  return {
    method: result.method,
    direction,
    origin,
    traced_usd: cents(result.tracedUsd),
    min_flow_usd: cents(result.minFlowUsd),
    holders: result.holders.map((h) => ({ account: key(h.account), amount_usd: cents(h.amountUsd) })),
    flows: result.flows.map((f) => ({
      hop: f.hop,
      from: key(f.from),
      to: key(f.to),
      amount_usd: cents(f.amountUsd),
      transactions: f.edges.map((e) => idOf.get(e) ?? null),
      sources: f.edges.map((e) => sourceOf(g, e)),
    })),
    dissipated: result.dissipated.map((d) => ({
      kind: d.kind,
      amount_usd: cents(d.amountUsd),
      transactions: d.edges.map((e) => idOf.get(e) ?? null),
    })),
    notes: result.notes,
  };
}

export const traceCommand: Command = {
  name: "trace",
  summary: "follow the money forward from an account or a transaction, with amounts at each hop",
  usage:
    "moneytrail trace --account KEY|--transaction ID [--method fifo|lifo|pro-rata|libr] [--hops N] [--min-flow X] [--from DATE] [--to DATE] [--format json|graphml|dot] [--by account|entity]",
  help: [
    "  --account KEY       trace everything the account paid out in the window",
    "  --transaction ID    trace one transaction's amount from where it arrived",
    "  --method M          how a commingled account's payments are attributed (default fifo):",
    "                      fifo, lifo, pro-rata, libr (lowest intermediate balance rule)",
    `  --hops N            follow at most N hops (default ${DEFAULT_HOPS})`,
    "  --min-flow X        do not follow traced amounts under X: USD (250), or a share of the",
    `                      traced amount (0.5%); 0 follows every cent (default ${DEFAULT_MIN_FLOW_SHARE * 100}%)`,
    "  --from, --to        the window: YYYY-MM-DD (whole days, UTC) or ISO instants",
    "  --direction D       forward (where the money went, default) or backward (where it came from)",
    "  --format F          json (the trace record, default), graphml or dot (the flows as a graph)",
    "  --by entity         follow the money between resolved entities, each entity's accounts pooled",
    "                      (after `moneytrail resolve`); --account may then name an entity id",
    "Prints the trace record (docs/trace.md) on stdout: flows per hop with their transactions and",
    "SourceRefs, the holders of the traced money, what left as cash, and the assumptions made.",
  ],
  options: {
    account: { type: "string" },
    transaction: { type: "string" },
    method: { type: "string" },
    hops: { type: "string" },
    "min-flow": { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    direction: { type: "string" },
    format: { type: "string" },
    by: { type: "string" },
  },
  async run(ctx, { values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`trace: unexpected argument "${positionals[0]}"`);
    const account = values.account as string | undefined;
    const transaction = values.transaction as string | undefined;
    if ((account === undefined) === (transaction === undefined)) {
      throw new UsageError("trace: give one of --account KEY or --transaction ID");
    }
    const method = (values.method ?? "fifo") as TraceMethod;
    if (!TRACE_METHODS.includes(method)) {
      throw new UsageError(
        `trace: --method must be one of ${TRACE_METHODS.join(", ")} (got "${values.method}")`,
      );
    }
    const direction = (values.direction as string | undefined) ?? "forward";
    if (direction !== "forward" && direction !== "backward") {
      throw new UsageError(`trace: --direction must be forward or backward (got "${direction}")`);
    }
    if (direction === "backward" && method === "libr") {
      // LIBR says how much traced money a balance keeps, not which receipt paid a payment.
      throw new UsageError("trace: --method libr traces forward only; backward, use fifo, lifo or pro-rata");
    }
    const format = (values.format as string | undefined) ?? "json";
    if (!["json", "graphml", "dot"].includes(format)) {
      throw new UsageError(`trace: --format must be json, graphml or dot (got "${format}")`);
    }
    const hops = wholeOption("trace", "--hops", values.hops, DEFAULT_HOPS);
    const materiality = minFlowOption(values["min-flow"] as string | undefined);
    const from = parseWhen("trace", "--from", values.from as string | undefined, false);
    const to = parseWhen("trace", "--to", values.to as string | undefined, true);

    const store = await ctx.store();
    const loaded = await loadGraph(store, viewOption("trace", values.by), "trace");
    const g = loaded.g;
    let origin: TraceOrigin;
    let originRecord: Record<string, unknown>;
    if (account !== undefined) {
      origin = { account: accountIndex(loaded, account, "trace") };
      // On the entity view, the node traced from: the entity that holds the account named.
      originRecord = loaded.view ? { account, node: g.accounts[origin.account] } : { account };
    } else {
      const refs = await store.findTransaction(transaction as string);
      if (refs.length === 0) throw new UsageError(`trace: no transaction "${transaction}" in the workspace`);
      const ref = refs[0] as SourceRef;
      const fileNo = [...g.files].find(([, sha]) => sha === ref.file)?.[0];
      let edge = -1;
      for (let e = 0; e < g.edgeCount && edge < 0; e++)
        if (g.fileNo[e] === fileNo && g.line[e] === ref.line) edge = e;
      if (edge < 0)
        // Only the entity view leaves transactions out: those between two accounts of one entity.
        throw new UsageError(
          `trace: transaction "${transaction}" moves money between two accounts of one entity, inside one node of the entity view; trace it --by account`,
        );
      origin = { transaction: edge };
      originRecord = { transaction, source: ref };
    }
    const window = {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...materiality,
    };
    const result =
      direction === "forward"
        ? traceForward(g, origin, { method, hops, ...window })
        : traceBackward(g, origin, { method: method as Exclude<TraceMethod, "libr">, hops, ...window });
    const traced = await traceRecord(store, g, result, originRecord, direction);
    const record = { ...traced, ...viewRecord(loaded, traced) };
    if (format === "graphml") ctx.io.stdout(traceToGraphml(record));
    else if (format === "dot") ctx.io.stdout(traceToDot(record));
    else ctx.io.stdout(`${JSON.stringify(record)}\n`);
    if (!ctx.json) {
      ctx.io.stderr(
        `traced ${record.traced_usd} USD by ${method} over ${result.flows.length} flows; ${result.holders.length} holders\n`,
      );
      ctx.io.stderr(
        `${formatTable(
          ["holder", "amount_usd"],
          result.holders.slice(0, 10).map((h) => [g.accounts[h.account] as string, cents(h.amountUsd)]),
        )}\n`,
      );
      for (const note of result.notes) ctx.io.stderr(`note: ${note}\n`);
    }
    return 0;
  },
};
