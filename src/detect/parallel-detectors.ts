import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { EdgeColumns } from "../store/store.js";
import { workerScript } from "../util/worker-script.js";
import { adoptMeasures, type Measures, measuresOf } from "./carried-measures.js";
import { distinctDegrees } from "./degrees.js";
import { DAY_MS, type DetectionData, type DetectionField, type Detector, detectorRef } from "./detector.js";
import { oneOffEdges } from "./one-off.js";
import type { ReferenceLists } from "./reference-lists.js";
import { type DetectorOutcome, paramsOf, runDetectors, runnablePeers } from "./run-detectors.js";
import type { TransactionDetails } from "./transaction-details.js";

/**
 * A full detection run on two threads (the "in parallel where it pays"): the detectors
 * are split in two groups of about equal cost; a worker thread runs one on the graph (its columns
 * and lists in shared memory, whether exported from the store or read from the snapshot, so read
 * where they are; an array not made so is copied) while this thread runs the other, and the
 * worker's outcomes and measures come back. The measures nearly every detector reads (degrees,
 * one-off flags) are worked out here first and sent along. Only full runs over a large graph:
 * below `PARALLEL_MIN_EDGES` starting a worker costs more than it saves, and an incremental run
 * looks at little (on two threads it was slower: both fault in memory at once, and the worker
 * starts late). The outcomes are those of `runDetectors` in one thread
 * (`test/detect/parallel-detectors.test.ts`).
 */

/** Edges below which one thread does it all. */
export const PARALLEL_MIN_EDGES = 300_000;

/**
 * Relative cost of each detector's own work on the 5M-transaction bench (seconds of a full run on
 * one thread, 2026-12-01; the shared measures, worked out before the split, left out); others
 * count as COST_DEFAULT. Measured again when a detector's cost changes much.
 */
const COST: Readonly<Record<string, number>> = {
  cycle: 1.7,
  "funnel-account": 0.9,
  structuring: 0.75,
  "pass-through": 0.65,
  bipartite: 0.5,
  "fan-out": 0.4,
  "scatter-gather": 0.25,
  "fan-in": 0.2,
  stack: 0.15,
  "gather-scatter": 0.1,
  random: 0.05,
};
/**
 * How much later the worker starts on its group than this thread on its own, in COST's units:
 * the worker loads its modules and rebuilds the graph over the shared columns (the accounts'
 * keys copied to it).
 */
const WORKER_START = 0.4;
const COST_DEFAULT = 0.3;

export interface WorkerTask {
  columns: EdgeColumns;
  lists: { out: { start: Int32Array; edges: Int32Array }; in: { start: Int32Array; edges: Int32Array } };
  available: DetectionField[];
  details?: TransactionDetails;
  ids: string[];
  params: [string, Record<string, unknown>][];
  peers: [string, Record<string, unknown>][];
  /** What this thread's memo holds of the shared measures, for the worker's to start from. */
  measures: Measures;
  /** The reference lists as the run read them (`DetectionData.lists`). */
  referenceLists?: ReferenceLists;
}

export interface WorkerResult {
  outcomes: DetectorOutcome[];
  measures: Measures;
}

/** Threads a full run uses: `MONEYTRAIL_DETECT_THREADS` (1 for one), else 2 where there are 2 cores. */
export function detectThreads(): number {
  const asked = Number(process.env.MONEYTRAIL_DETECT_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 2);
  return Math.min(2, availableParallelism());
}

/**
 * Detectors that read a costly search of another's (random reads cycle's round trips and peel
 * chains): split apart, both threads would make it.
 */
const TOGETHER: Readonly<Record<string, string>> = { random: "cycle" };

/**
 * Two groups of about equal cost: the costliest first, each to the lighter group (LPT), detectors
 * that share a search (`TOGETHER`) as one.
 */
export function splitByCost(detectors: readonly Detector[]): [Detector[], Detector[]] {
  const items = new Map<string, { detectors: Detector[]; cost: number }>();
  for (const d of detectors) {
    const key = TOGETHER[d.id] ?? d.id;
    const item = items.get(key) ?? { detectors: [], cost: 0 };
    item.detectors.push(d);
    item.cost += COST[d.id] ?? COST_DEFAULT;
    items.set(key, item);
  }
  const groups: [Detector[], Detector[]] = [[], []];
  // The second group is the worker's.
  const load = [0, WORKER_START];
  for (const item of [...items.values()].sort((a, b) => b.cost - a.cost)) {
    const g = (load[0] as number) <= (load[1] as number) ? 0 : 1;
    groups[g].push(...item.detectors);
    load[g] = (load[g] as number) + item.cost;
  }
  return groups;
}

/** The `relationship_days` the detectors run with: the one-off flags they read. */
function relationshipDays(
  detectors: readonly Detector[],
  paramsById: ReadonlyMap<string, Record<string, unknown>>,
): Set<number> {
  const days = new Set<number>();
  for (const d of detectors) {
    const r = paramsOf(d, paramsById).relationship_days;
    if (typeof r === "number") days.add(r);
  }
  return days;
}

function inWorker(task: WorkerTask): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript(import.meta.url, "detect-worker.js"));
    worker.once("message", (result: WorkerResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the detection worker stopped with code ${code}`));
    });
    worker.postMessage(task);
  });
}

/**
 * `runDetectors` over every edge, on two threads where it pays (`threads` 2, a graph of at least
 * `minEdges` edges, and detectors for both); the outcomes in the detectors' order.
 */
export async function runDetectorsInParallel(
  data: DetectionData,
  detectors: readonly Detector[],
  paramsById: ReadonlyMap<string, Record<string, unknown>>,
  options: { threads?: number; minEdges?: number } = {},
): Promise<DetectorOutcome[]> {
  const threads = options.threads ?? detectThreads();
  const g = data.graph;
  // Those that will not run (fields missing, too few days) are reported here.
  const peers = data.peers ?? runnablePeers(data, detectors, paramsById);
  const runnable = detectors.filter((d) => peers.has(d.id));
  if (
    threads < 2 ||
    data.focus ||
    g.edgeCount < (options.minEdges ?? PARALLEL_MIN_EDGES) ||
    runnable.length < 2
  )
    return runDetectors(data, detectors, paramsById);
  const [mine, there] = splitByCost(runnable);
  const here = [...mine, ...detectors.filter((d) => !runnable.includes(d))];
  // The measures nearly every detector reads, worked out once here (or carried from the last
  // run) and sent along, rather than worked out on both threads.
  distinctDegrees(g);
  for (const days of relationshipDays(runnable, paramsById)) oneOffEdges(g, days * DAY_MS);
  const { accounts, from, to, time, amountUsd, channel, fileNo, line, files } = g;
  const task: WorkerTask = {
    columns: { accounts, from, to, time, amountUsd, channel, fileNo, line, files },
    lists: { out: { start: g.outStart, edges: g.outEdges }, in: { start: g.inStart, edges: g.inEdges } },
    available: [...data.available],
    ...(data.details ? { details: data.details } : {}),
    ids: there.map((d) => d.id),
    // Who runs is the whole run's, not the worker's share.
    peers: [...peers.entries()],
    params: [...paramsById.entries()],
    measures: measuresOf(g),
    ...(data.lists ? { referenceLists: data.lists } : {}),
  };
  // Posted (the graph copied) before this thread starts on its own group.
  const away = inWorker(task);
  away.catch(() => undefined);
  const local = runDetectors({ ...data, peers: new Map(task.peers) }, here, paramsById);
  const { outcomes, measures } = await away;
  adoptMeasures(g, measures);
  const byRef = new Map(
    [...local, ...outcomes.map((o) => ({ ...o, thread: "worker" as const }))].map((o) => [o.detector, o]),
  );
  return detectors.map((d) => byRef.get(detectorRef(d)) as DetectorOutcome);
}
