import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  DETECTION_FIELDS,
  type DetectionData,
  type DetectionField,
  type Finding,
} from "../../src/detect/detector.js";
import { DETECTORS } from "../../src/detect/detectors/index.js";
import { FAR, focusOn, near, newEdgesOf, touchesNew } from "../../src/detect/focus.js";
import { detailsFromColumns } from "../../src/detect/load-details.js";
import { buildMoneyGraph } from "../../src/graph/money-graph.js";
import { generatedWorkspace } from "../generated-workspace.js";
import { graphOf } from "../graph/graph-of.js";
import { tempDir, withStore } from "../helpers.js";

/**
 * The promise of incremental detection (docs/detect.md): after new transactions, a detector that
 * looks only near them (`data.focus`) finds exactly the patterns with a new transaction that a
 * full run finds. Checked for every detector on a generated world with every typology planted,
 * for two kinds of delivery: every transaction of one account in fifteen, as a later delivery of
 * records about some accounts brings them, and the latest quarter of the transactions, as the next
 * days' records of a feed bring them (new payments then close patterns, where the first kind
 * mostly adds them in the middle).
 */
const t = tempDir();
afterAll(t.cleanup);

let data: DetectionData;
/** The delivery of one account in fifteen. */
let added: Uint8Array;
/** The delivery of the latest quarter of the transactions. */
let latest: Uint8Array;

/** FNV-1a: which accounts the later delivery is about. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

beforeAll(async () => {
  const { ws } = await generatedWorkspace(t.dir, 5, true);
  data = await withStore(ws, async (store) => {
    const graph = buildMoneyGraph(await store.edgeColumns());
    const fields = await store.transactionFields();
    const available = new Set(DETECTION_FIELDS.filter((f) => fields.has(f))) as Set<DetectionField>;
    return { graph, available, details: detailsFromColumns(graph, await store.detailColumns()) };
  });
  const g = data.graph;
  const later = (a: number) => a >= 0 && hash(g.accounts[a] as string) % 15 === 0;
  added = new Uint8Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++)
    if (later(g.from[e] as number) || later(g.to[e] as number)) added[e] = 1;
  // Edges are in time order: the last quarter are the latest payments.
  latest = new Uint8Array(g.edgeCount);
  latest.fill(1, Math.floor(g.edgeCount * 0.75));
}, 120_000);

/** Per delivery and detector, how many findings of the full run contain a new transaction. */
const compared = new Map<string, number>();

/** A finding as comparable text: subjects, edges, window, amount, score, reasons. */
const key = (f: Finding) => JSON.stringify(f);

describe("incremental detection", () => {
  it("the focus marks the new transactions' accounts, then their counterparties, not through hubs", () => {
    const g = data.graph;
    const focus = focusOn(g, added, 100, 2);
    let ends = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      if (!added[e]) continue;
      for (const a of [g.from[e] as number, g.to[e] as number]) if (a >= 0) expect(focus.distance[a]).toBe(0);
      ends++;
    }
    expect(ends).toBeGreaterThan(0);
    // The new edges as a list, ascending, for detectors to go through.
    expect([...newEdgesOf(focus)]).toEqual([...added.keys()].filter((e) => added[e] === 1));
    const counts = [0, 0, 0, 0];
    for (const d of focus.distance) counts[d === FAR ? 3 : d] = (counts[d === FAR ? 3 : d] as number) + 1;
    // Some accounts at each distance, and some out of reach: the focus is not the whole graph.
    expect(counts.every((n) => n > 0)).toBe(true);
  });

  it("works distances out only as far as a detector asks (near widens the focus on demand)", () => {
    // A → B → C → D, and a new payment A → B: B's counterparty C is 1 away, D 2.
    const g = graphOf([
      ["A", "B", 1, 100],
      ["B", "C", 2, 100],
      ["C", "D", 3, 100],
    ]);
    const focus = focusOn(g, Uint8Array.from([1, 0, 0]), 100);
    const [, , c, d] = [0, 1, 2, 3];
    expect([focus.radius, focus.distance[c], focus.distance[d]]).toEqual([0, FAR, FAR]);
    expect(near(focus, c, 0)).toBe(false);
    expect(near(focus, c, 1)).toBe(true);
    expect([focus.radius, focus.distance[c], focus.distance[d]]).toEqual([1, 1, FAR]);
    expect(near(focus, d, 1)).toBe(false);
    expect(near(focus, d, 2)).toBe(true);
    expect(near(undefined, d, 0)).toBe(true);
  });

  const deliveries = [
    { name: "a later delivery about some accounts", flags: () => added, least: 12 },
    { name: "the latest days", flags: () => latest, least: 14 },
  ];
  for (const delivery of deliveries)
    for (const detector of DETECTORS) {
      it(`${detector.id}, ${delivery.name}: looking near the new transactions finds what a full run finds with them`, () => {
        const params = (detector.params as z.ZodObject).parse({}) as never;
        const missing = detector.needs.filter((f) => !data.available.has(f));
        expect(missing).toEqual([]);
        const focus = focusOn(data.graph, delivery.flags(), 100);
        const full = detector.run(data, params).filter((f) => touchesNew(focus, f));
        const incremental = detector.run({ ...data, focus }, params).filter((f) => touchesNew(focus, f));
        expect(incremental.map(key).sort()).toEqual(full.map(key).sort());
        compared.set(`${delivery.name}|${detector.id}`, full.length);
      });
    }

  for (const delivery of deliveries)
    it(`compared real findings: most detectors had patterns with new transactions (${delivery.name})`, () => {
      const withFindings = [...compared]
        .filter(([k, n]) => k.startsWith(`${delivery.name}|`) && n > 0)
        .map(([k]) => k);
      expect(withFindings.length, JSON.stringify([...compared])).toBeGreaterThanOrEqual(delivery.least);
      // A cycle closed by a new payment: the incremental search walks back in time from it.
      expect(compared.get(`${delivery.name}|cycle`)).toBeGreaterThan(0);
    });
});
