import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run } from "../src/cli/main.js";
import { generateWorld } from "../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../src/generate/world.js";
import { buildMoneyGraph, type MoneyGraph } from "../src/graph/money-graph.js";
import { traceForward } from "../src/graph/trace.js";
import { openStore } from "../src/store/open-store.js";

/**
 * The graph benchmark of the graph issue: a generated world of 5M transactions and 500k
 * accounts, ingested once (both are kept in bench/out between runs), then the graph built from
 * the store, its bytes per edge, and the query times the issue sets targets for.
 */

export const GRAPH_WORLD = { accounts: 500_000, transactions: 5_000_000, seed: 4 };

export interface GraphFigures {
  exportSeconds: number;
  buildSeconds: number;
  edges: number;
  accounts: number;
  bytesPerEdge: number;
  traceP95Ms: Record<string, number>;
  extra: Record<string, number | string>;
}

/** The world and its workspace, made once and reused while the world's options stay the same. */
export async function graphWorkspace(outDir: string): Promise<string> {
  const dir = join(outDir, "graph-world");
  const ws = join(outDir, "graph-ws");
  const manifest = join(dir, "truth", "manifest.json");
  const same =
    existsSync(manifest) &&
    (() => {
      const m = JSON.parse(readFileSync(manifest, "utf8")) as { options: typeof GRAPH_WORLD };
      return (
        m.options.accounts === GRAPH_WORLD.accounts &&
        m.options.transactions === GRAPH_WORLD.transactions &&
        m.options.seed === GRAPH_WORLD.seed
      );
    })();
  if (!same || !existsSync(join(ws, "moneytrail.duckdb"))) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
    process.stderr.write(
      `graph bench: generating ${GRAPH_WORLD.transactions} transactions over ${GRAPH_WORLD.accounts} accounts...\n`,
    );
    await generateWorld(dir, { ...DEFAULT_OPTIONS, ...GRAPH_WORLD });
    const quiet = { stdout: () => {}, stderr: () => {}, isTTY: false };
    const code = await run(
      ["--workspace", ws, "ingest", join(dir, "transactions.csv"), "--format", "amlworld"],
      quiet,
    );
    if (code !== 0) throw new Error(`graph bench: ingest failed (exit ${code})`);
  }
  return ws;
}

function p95(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}

/** Bytes of every typed array the graph holds, per edge (account keys left out: they are per node). */
export function bytesPerEdge(g: MoneyGraph): number {
  const arrays = [
    g.from,
    g.to,
    g.time,
    g.amountUsd,
    g.channel,
    g.fileNo,
    g.line,
    g.outStart,
    g.outEdges,
    g.inStart,
    g.inEdges,
  ];
  return arrays.reduce((sum, a) => sum + a.byteLength, 0) / Math.max(1, g.edgeCount);
}

/** The accounts sending the most transactions: the hubs traces start from. */
export function hubs(g: MoneyGraph, count: number): number[] {
  const degree = Array.from(
    { length: g.accounts.length },
    (_, a) => [a, (g.outStart[a + 1] as number) - (g.outStart[a] as number)] as const,
  );
  return degree
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, count)
    .map(([a]) => a);
}

export async function graphFigures(outDir: string): Promise<{ g: MoneyGraph; figures: GraphFigures }> {
  const ws = await graphWorkspace(outDir);
  const store = await openStore({ workspaceDir: ws });
  try {
    let t0 = performance.now();
    const columns = await store.edgeColumns();
    const exportSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const g = buildMoneyGraph(columns);
    const buildSeconds = (performance.now() - t0) / 1000;
    const traceP95Ms: Record<string, number> = {};
    for (const method of ["fifo", "libr"] as const) {
      const times = hubs(g, 20).map((hub) => {
        const t = performance.now();
        traceForward(g, { account: hub }, { method, hops: 6 });
        return performance.now() - t;
      });
      traceP95Ms[method] = p95(times);
    }
    return {
      g,
      figures: {
        exportSeconds,
        buildSeconds,
        edges: g.edgeCount,
        accounts: g.accounts.length,
        bytesPerEdge: bytesPerEdge(g),
        traceP95Ms,
        extra: {},
      },
    };
  } finally {
    await store.close();
  }
}

export { p95 };
