import { approximateBetweenness, degreeCentrality, pagerank, topAccounts } from "../graph/centrality.js";
import { louvain } from "../graph/communities.js";
import { type CycleResult, cyclesInWindow, cyclesThrough } from "../graph/cycles.js";
import type { EdgeFilter } from "../graph/graph-view.js";
import type { MoneyGraph } from "../graph/money-graph.js";
import { type Direction, neighbourhood } from "../graph/neighbourhood.js";
import { shortestTemporalPath, topPathsByAmount } from "../graph/paths.js";
import { weightedUndirected } from "../graph/undirected.js";
import type { Store } from "../store/store.js";
import { type Command, type Context, type ParsedArgs, UsageError } from "./command.js";
import {
  accountIndex,
  cents,
  type LoadedGraph,
  loadGraph,
  sourceOf,
  transactionIds,
  viewOption,
  viewRecord,
} from "./graph-refs.js";
import { parseWhen, wholeOption } from "./options.js";
import { formatTable } from "./table.js";

/**
 * `moneytrail graph <query>`: the money-flow graph's queries on the command line (docs/graph.md).
 * Each prints one JSON document on stdout (every transaction with its SourceRef), and a short
 * table on stderr without `--json`.
 */

const QUERIES = ["neighbourhood", "paths", "cycles", "communities", "centrality"] as const;
type Query = (typeof QUERIES)[number];

interface Run {
  ctx: Context;
  values: ParsedArgs["values"];
  g: MoneyGraph;
  loaded: LoadedGraph;
  store: Store;
  filter: EdgeFilter;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Transactions of a list of edges, as ids and SourceRefs in the same order. */
async function evidence(
  run: Run,
  edges: readonly number[],
): Promise<{ transactions: (string | null)[]; sources: ReturnType<typeof sourceOf>[] }> {
  const ids = await transactionIds(run.store, run.g, edges);
  return {
    transactions: edges.map((e) => ids.get(e) ?? null),
    sources: edges.map((e) => sourceOf(run.g, e)),
  };
}

function required(values: ParsedArgs["values"], flag: string, query: string): string {
  const v = values[flag];
  if (typeof v !== "string" || v === "") throw new UsageError(`graph ${query}: --${flag} is required`);
  return v;
}

async function neighbourhoodQuery(run: Run): Promise<Record<string, unknown>> {
  const { g, values } = run;
  const key = required(values, "account", "neighbourhood");
  const direction = ((values.direction as string | undefined) ?? "both") as Direction;
  if (!["in", "out", "both"].includes(direction))
    throw new UsageError(`graph neighbourhood: --direction must be in, out or both`);
  const hops = wholeOption("graph neighbourhood", "--hops", values.hops, 2);
  const n = neighbourhood(g, accountIndex(run.loaded, key, "graph neighbourhood"), {
    hops,
    direction,
    filter: run.filter,
    maxNodes: wholeOption("graph neighbourhood", "--limit", values.limit, 1000),
  });
  return {
    account: key,
    hops,
    direction,
    accounts: n.accounts.map((a) => ({ account: g.accounts[a.account], hop: a.hop })),
    counterparties: n.counterparties.map((c) => ({
      account: c.account < 0 ? null : g.accounts[c.account],
      direction: c.direction,
      count: c.count,
      total_usd: cents(c.totalUsd),
      first: iso(c.first),
      last: iso(c.last),
    })),
    truncated: n.truncated,
  };
}

async function pathsQuery(run: Run): Promise<Record<string, unknown>> {
  const { g, values } = run;
  const from = accountIndex(run.loaded, required(values, "account", "paths"), "graph paths");
  const to = accountIndex(run.loaded, required(values, "to-account", "paths"), "graph paths");
  const maxHops = wholeOption("graph paths", "--hops", values.hops, 4);
  const filter = run.filter;
  const shortest = shortestTemporalPath(g, from, to, { filter, maxHops });
  const top = topPathsByAmount(g, from, to, {
    filter,
    maxHops,
    k: wholeOption("graph paths", "--limit", values.limit, 5),
  });
  const describe = async (edges: number[], amount?: number) => ({
    hops: edges.length,
    accounts: [from, ...edges.map((e) => g.to[e] as number)].map((a) => g.accounts[a]),
    ...(amount === undefined ? {} : { amount_usd: cents(amount) }),
    ...(await evidence(run, edges)),
  });
  return {
    from: g.accounts[from],
    to: g.accounts[to],
    shortest: shortest ? await describe(shortest.edges) : null,
    top: await Promise.all(top.paths.map((p) => describe(p.edges, p.amountUsd))),
    truncated: top.truncated,
  };
}

async function cyclesQuery(run: Run): Promise<Record<string, unknown>> {
  const { g, values } = run;
  const options = {
    filter: run.filter,
    maxLength: wholeOption("graph cycles", "--max-length", values["max-length"], 12, 2),
    maxCycles: wholeOption("graph cycles", "--limit", values.limit, 100),
  };
  const key = values.account as string | undefined;
  const result: CycleResult = key
    ? cyclesThrough(g, accountIndex(run.loaded, key, "graph cycles"), options)
    : cyclesInWindow(g, {
        ...options,
        from: run.filter.from ?? Number.NEGATIVE_INFINITY,
        to: run.filter.to ?? Number.POSITIVE_INFINITY,
      });
  return {
    ...(key ? { account: key } : {}),
    cycles: await Promise.all(
      result.cycles.map(async (c) => ({
        accounts: c.accounts.map((a) => g.accounts[a]),
        span_days: Math.round((c.spanMs / 86_400_000) * 100) / 100,
        min_retention: Math.round(c.minRetention * 1000) / 1000,
        ...(await evidence(run, c.edges)),
      })),
    ),
    truncated: result.truncated,
  };
}

async function communitiesQuery(run: Run): Promise<Record<string, unknown>> {
  const { g, values } = run;
  const weight = ((values.weight as string | undefined) ?? "amount") as "amount" | "count";
  if (weight !== "amount" && weight !== "count")
    throw new UsageError("graph communities: --weight must be amount or count");
  const u = weightedUndirected(g, { weight, ...run.filter });
  const result = louvain(u, { seed: wholeOption("graph communities", "--seed", values.seed, 1, 0) });
  const members = new Map<number, number[]>();
  for (let a = 0; a < result.community.length; a++) {
    const c = result.community[a] as number;
    const list = members.get(c);
    if (list) list.push(a);
    else members.set(c, [a]);
  }
  const limit = wholeOption("graph communities", "--limit", values.limit, 20);
  return {
    count: result.count,
    modularity: Math.round(result.modularity * 10_000) / 10_000,
    weight,
    communities: [...members]
      .sort((x, y) => y[1].length - x[1].length || x[0] - y[0])
      .slice(0, limit)
      .map(([id, list]) => ({
        id,
        size: list.length,
        accounts: list.slice(0, 50).map((a) => g.accounts[a]),
      })),
  };
}

async function centralityQuery(run: Run): Promise<Record<string, unknown>> {
  const { g, values } = run;
  const window = { from: run.filter.from, to: run.filter.to };
  const ranks = pagerank(g, { window });
  const degree = degreeCentrality(g, window);
  const samples =
    values.betweenness === undefined
      ? 0
      : wholeOption("graph centrality", "--betweenness", values.betweenness, 64);
  const between = samples > 0 ? approximateBetweenness(g, { samples, window }) : null;
  const top = topAccounts(ranks, wholeOption("graph centrality", "--limit", values.limit, 20));
  return {
    accounts: top.map((a) => ({
      account: g.accounts[a],
      pagerank: Number((ranks[a] as number).toPrecision(6)),
      in_degree: degree.inDegree[a],
      out_degree: degree.outDegree[a],
      in_usd: cents(degree.inUsd[a] as number),
      out_usd: cents(degree.outUsd[a] as number),
      ...(between ? { betweenness: Number((between[a] as number).toPrecision(6)) } : {}),
    })),
  };
}

const RUNNERS: Record<Query, (run: Run) => Promise<Record<string, unknown>>> = {
  neighbourhood: neighbourhoodQuery,
  paths: pathsQuery,
  cycles: cyclesQuery,
  communities: communitiesQuery,
  centrality: centralityQuery,
};

/** The first array of records in a result, as a table for people (stderr). */
function summary(result: Record<string, unknown>): string {
  const rows = Object.values(result).find(
    (v) => Array.isArray(v) && v.length > 0 && typeof v[0] === "object",
  ) as Record<string, unknown>[] | undefined;
  if (!rows) return "nothing found\n";
  const columns = Object.keys(rows[0] as object).filter((k) => !["transactions", "sources"].includes(k));
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(" > ") : String(v ?? ""));
  return `${formatTable(
    columns,
    rows.slice(0, 20).map((r) => columns.map((c) => cell(r[c]))),
  )}\n`;
}

export const graphCommand: Command = {
  name: "graph",
  summary: "query the money-flow graph: neighbourhood, paths, cycles, communities, centrality",
  usage: `moneytrail graph ${QUERIES.join("|")} [options] [--from DATE] [--to DATE] [--min-amount USD] [--by account|entity]`,
  help: [
    "  neighbourhood --account KEY [--hops N] [--direction in|out|both] [--limit N]",
    "                accounts within N hops, and the counterparties with counts, totals, first and last",
    "  paths --account KEY --to-account KEY [--hops N] [--limit K]",
    "                the fewest-hop path in time order, and the K paths that carried the most",
    "  cycles [--account KEY] [--max-length L] [--limit N]",
    "                time-ordered cycles keeping 80% a hop, through an account or all in the window",
    "  communities [--weight amount|count] [--seed S] [--limit N]   Louvain, largest first",
    "  centrality [--limit N] [--betweenness SAMPLES]   PageRank with degree and USD in and out",
    "Every query takes --from/--to (YYYY-MM-DD or ISO) and --min-amount; see docs/graph.md.",
    "  --by entity     collapse accounts to resolved entities (after `moneytrail resolve`): KEY may",
    "                  then be an entity id or any account it holds",
  ],
  options: {
    account: { type: "string" },
    "to-account": { type: "string" },
    hops: { type: "string" },
    direction: { type: "string" },
    limit: { type: "string" },
    "max-length": { type: "string" },
    weight: { type: "string" },
    seed: { type: "string" },
    betweenness: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "min-amount": { type: "string" },
    by: { type: "string" },
  },
  async run(ctx, { values, positionals }) {
    const query = positionals[0] as Query | undefined;
    if (!query || !QUERIES.includes(query))
      throw new UsageError(`graph: name a query: ${QUERIES.join(", ")}`);
    if (positionals.length > 1) throw new UsageError(`graph: unexpected argument "${positionals[1]}"`);
    const minAmount = values["min-amount"] === undefined ? undefined : Number(values["min-amount"]);
    if (minAmount !== undefined && !(minAmount >= 0))
      throw new UsageError("graph: --min-amount takes an amount in USD");
    const from = parseWhen("graph", "--from", values.from as string | undefined, false);
    const to = parseWhen("graph", "--to", values.to as string | undefined, true);
    const filter: EdgeFilter = {
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(minAmount !== undefined ? { minAmountUsd: minAmount } : {}),
    };
    const store = await ctx.store();
    const loaded = await loadGraph(store, viewOption(`graph ${query}`, values.by), `graph ${query}`);
    const result = await RUNNERS[query]({ ctx, values, g: loaded.g, loaded, store, filter });
    ctx.io.stdout(`${JSON.stringify({ query, ...result, ...viewRecord(loaded, result) })}\n`);
    if (!ctx.json) ctx.io.stderr(summary(result));
    return 0;
  },
};
