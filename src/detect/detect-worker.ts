import { parentPort } from "node:worker_threads";
import { buildMoneyGraph } from "../graph/money-graph.js";
import { adoptMeasures, measuresOf } from "./carried-measures.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import type { WorkerResult, WorkerTask } from "./parallel-detectors.js";
import { runDetectors } from "./run-detectors.js";

/**
 * A worker thread's share of a full detection run (`parallel-detectors.ts`): the graph rebuilt
 * from copies of the main thread's columns and lists, its detectors run as the main thread runs
 * them, and their outcomes sent back with the measures worked out on the way.
 */
parentPort?.once("message", (task: WorkerTask) => {
  const graph = buildMoneyGraph(task.columns, task.lists);
  adoptMeasures(graph, task.measures);
  const byId = new Map(DETECTORS.map((d) => [d.id, d]));
  const detectors = task.ids.map((id) => byId.get(id) as Detector);
  const outcomes = runDetectors(
    {
      graph,
      available: new Set(task.available),
      ...(task.details ? { details: task.details } : {}),
      peers: new Map(task.peers),
      ...(task.referenceLists ? { lists: task.referenceLists } : {}),
    },
    detectors,
    new Map(task.params),
  );
  parentPort?.postMessage({ outcomes, measures: measuresOf(graph) } satisfies WorkerResult);
});
