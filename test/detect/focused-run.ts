import { DETECTION_FIELDS, type Detector, type Finding } from "../../src/detect/detector.js";
import { focusOn } from "../../src/detect/focus.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { graphOf, type Row } from "../graph/graph-of.js";

/**
 * An incremental run over `rows` where the rows numbered `fresh` are the new ones: the findings
 * of the focused run, and the full run's findings that contain a new payment (each on a graph
 * of its own, so neither sees what the other worked out). Shared by the detectors' tests.
 */
export function focusedRun(
  detector: Detector,
  rows: readonly Row[],
  fresh: readonly number[],
  params: object = {},
): { focused: Finding[]; full: Finding[]; g: MoneyGraph; distance: Uint8Array } {
  const available = new Set(DETECTION_FIELDS);
  const g = graphOf(rows);
  const added = new Uint8Array(rows.length);
  for (const e of fresh) added[e] = 1;
  const focus = focusOn(g, added, 100);
  const p = detector.params.parse(params) as never;
  return {
    focused: detector.run({ graph: g, available, focus }, p),
    full: detector
      .run({ graph: graphOf(rows), available }, p)
      .filter((f) => f.edges.some((e) => added[e] === 1)),
    g,
    distance: focus.distance,
  };
}
