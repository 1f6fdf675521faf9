import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../../src/generate/world.js";
import type { EntityId, PartyId } from "../../src/model/ids.js";
import type { Party } from "../../src/model/party.js";
import type { EntityRecord } from "../../src/model/resolution.js";
import type { Override } from "../../src/resolve/overrides.js";
import {
  DEFAULT_RESOLVE_PARAMS,
  type Models,
  type PreviousResolution,
  type ResolveOutput,
  type ResolveParams,
  resolveParties,
} from "../../src/resolve/resolve-parties.js";
import { ingestParties, tempDir, withStore } from "../helpers.js";

/**
 * The resolution pipeline run in deliveries, as a pure function on a generated world's noisy
 * party records: resolving the data in two (or three) deliveries, each incremental on the last,
 * gives the partition and the links that resolving it all at once gives with the same model,
 * overrides made between the deliveries included. (Stable ids and overrides across the command's
 * runs: test/cli/entity.test.ts.)
 */

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let parties: Party[] = [];

beforeAll(async () => {
  const world = join(dir, "world");
  await generateWorld(world, { ...DEFAULT_OPTIONS, accounts: 3000, transactions: 3000, seed: 5 });
  const ws = join(dir, "ws");
  const r = await ingestParties(ws, join(world, "parties.csv"), join(world, "parties.mapping.yaml"));
  expect(r.code, r.stderr).toBe(0);
  parties = await withStore(ws, (s) => s.parties());
}, 120_000);

const PARAMS: ResolveParams = { ...DEFAULT_RESOLVE_PARAMS, uSamplePairs: 200_000 };

interface Run {
  out: ResolveOutput;
  previous: PreviousResolution;
}

/** One run of the pipeline on `input`, after `before` (null: the first run); new ids are the first E<n> unused. */
function run(
  input: readonly Party[],
  before: Run | null,
  models: Models | null,
  options: { incremental: boolean; overrides?: Override[]; runNo?: number; params?: ResolveParams },
): Run {
  const used = new Set(before ? [...before.previous.entities.keys()] : []);
  let next = 1;
  const out = resolveParties({
    parties: input,
    previous: before?.previous ?? null,
    overrides: options.overrides ?? [],
    models,
    incremental: options.incremental,
    params: options.params ?? PARAMS,
    run: options.runNo ?? 1,
    mint: () => {
      while (used.has(`E${next}`)) next += 1;
      used.add(`E${next}`);
      return `E${next}`;
    },
  });
  const members = new Map<string, string>();
  out.members.party.forEach((p, i) => {
    members.set(p, out.members.entity[i] as string);
  });
  const entities = new Map<string, EntityRecord>(out.entities.map((e) => [e.id as string, e]));
  // Run N starts on 2030-01-0N: an override dated 2030-01-01T12:00 falls between runs 1 and 2.
  const startedAt = `2030-01-0${Math.min(9, options.runNo ?? 1)}T00:00:00.000Z`;
  return { out, previous: { members, links: out.links, entities, startedAt } };
}

/** The partition as sorted lists of sorted party ids: ids left out, so that runs compare. */
function partition(out: ResolveOutput): string[] {
  const groups = new Map<string, string[]>();
  out.members.party.forEach((p, i) => {
    const e = out.members.entity[i] as string;
    const list = groups.get(e);
    if (list) list.push(p);
    else groups.set(e, [p]);
  });
  return [...groups.values()].map((g) => g.sort().join(" ")).sort();
}

/** Deterministic deliveries: party k goes to delivery `k mod count`, in the file's order. */
function deliveries(count: number): Party[][] {
  const out: Party[][] = Array.from({ length: count }, () => []);
  const byLine = [...parties].sort((p, q) => p.source.line - q.source.line);
  byLine.forEach((p, k) => {
    (out[k % count] as Party[]).push(p);
  });
  return out;
}

/** Links as `a b status note`: the same candidates scored and decided the same way, for the same reasons. */
function linkSet(out: ResolveOutput): string[] {
  return out.links.map((l) => `${l.party_a} ${l.party_b} ${l.status} ${l.note ?? ""}`).sort();
}

const skipped = (out: ResolveOutput) => out.stats.blocking.reduce((n, r) => n + r.skippedBlocks, 0);

describe("incremental resolution equals full resolution on the same data", () => {
  it("two deliveries, incremental, give the partition of one full run with the same model", () => {
    const full = run(parties, null, null, { incremental: false });
    const models = full.out.models;
    // Something to compare: the world has people at several banks, so entities with several records.
    expect(full.out.entities.length).toBeLessThan(parties.length * 0.8);
    const [first, second] = deliveries(2) as [Party[], Party[]];
    const one = run(first, null, models, { incremental: false });
    const two = run([...first, ...second], one, models, { incremental: true, runNo: 2 });
    expect(two.out.mode).toBe("incremental");
    expect(two.out.stats.newParties).toBe(second.length);
    expect(two.out.stats.reclustered).toBeLessThan(parties.length);
    expect(partition(two.out)).toEqual(partition(full.out));
    expect(linkSet(two.out)).toEqual(linkSet(full.out));
  }, 120_000);

  it("three deliveries of another order give it too", () => {
    const full = run(parties, null, null, { incremental: false });
    const models = full.out.models;
    const [a, b, c] = deliveries(3) as [Party[], Party[], Party[]];
    // The later deliveries first: incremental runs see old records after new ones in id order too.
    const one = run(c, null, models, { incremental: false });
    const two = run([...c, ...a], one, models, { incremental: true, runNo: 2 });
    const three = run([...c, ...a, ...b], two, models, { incremental: true, runNo: 3 });
    expect(partition(three.out)).toEqual(partition(full.out));
    expect(linkSet(three.out)).toEqual(linkSet(full.out));
  }, 120_000);

  it("a block that new records push over the cap drops the links it found, as a full run never makes them", () => {
    // A cap of 3 makes many household blocks (address, postcode, phone) cross it when the second
    // delivery arrives: the case where an incremental run used to keep links a full run skips.
    const params = { ...PARAMS, maxBlockSize: 3 };
    const full = run(parties, null, null, { incremental: false, params });
    const models = full.out.models;
    const [first, second] = deliveries(2) as [Party[], Party[]];
    const one = run(first, null, models, { incremental: false, params });
    const two = run([...first, ...second], one, models, { incremental: true, runNo: 2, params });
    expect(skipped(two.out)).toBeGreaterThan(skipped(one.out));
    expect(partition(two.out)).toEqual(partition(full.out));
    expect(linkSet(two.out)).toEqual(linkSet(full.out));
  }, 120_000);

  it("with overrides made between the deliveries, as a full run with the same overrides", () => {
    const full = run(parties, null, null, { incremental: false });
    const models = full.out.models;
    const [first, second] = deliveries(2) as [Party[], Party[]];
    const one = run(first, null, models, { incremental: false });
    // From the first run's entities: two records apart to confirm, a linked pair to forbid, and
    // one record to split off an entity of three or more.
    const byEntity = new Map<string, string[]>();
    for (const [p, e] of one.previous.members) byEntity.set(e, [...(byEntity.get(e) ?? []), p]);
    const lists = [...byEntity.values()]
      .map((l) => l.sort())
      .sort((x, y) => (x[0] as string).localeCompare(y[0] as string));
    const pair = lists.find((l) => l.length === 2) as string[];
    const big = lists.find((l) => l.length >= 3) as string[];
    const singles = lists.filter((l) => l.length === 1).map((l) => l[0] as string);
    const entityOf = (p: string) => one.previous.members.get(p) as string;
    const meta = { analyst: "a", reason: "r", at: "2030-01-01T12:00:00.000Z" };
    const overrides: Override[] = [
      { ...meta, id: "o1", kind: "confirm", records: [singles[0], singles[1]] as [PartyId, PartyId] },
      { ...meta, id: "o2", kind: "forbid", records: [pair[0], pair[1]] as [PartyId, PartyId] },
      {
        ...meta,
        id: "o3",
        kind: "split",
        entity: entityOf(big[0] as string) as EntityId,
        records: [big[0]] as PartyId[],
        rest: big.slice(1) as PartyId[],
      },
    ];
    const two = run([...first, ...second], one, models, { incremental: true, runNo: 2, overrides });
    const once = run(parties, null, models, { incremental: false, overrides });
    const m = two.previous.members;
    expect(m.get(singles[0] as string)).toBe(m.get(singles[1] as string));
    expect(m.get(pair[0] as string)).not.toBe(m.get(pair[1] as string));
    for (const r of big.slice(1)) expect(m.get(r)).not.toBe(m.get(big[0] as string));
    expect(partition(two.out)).toEqual(partition(once.out));
    expect(linkSet(two.out)).toEqual(linkSet(once.out));
  }, 120_000);
});
