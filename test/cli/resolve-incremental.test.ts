import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../../src/generate/world.js";
import { runResolution } from "../../src/resolve/run-resolution.js";
import { cli, ingestParties, queryWorkspace, tempDir, withStore, writeFile } from "../helpers.js";

/**
 * `moneytrail resolve` on a workspace that grows: the incremental run reads only the new parties
 * and their neighbourhood (found from the blocking keys and components the last run stored), and
 * still leaves the workspace exactly as a full run with the same model leaves a copy of it:
 * members, entities, links, and the stored keys and components. A run whose stored blocking
 * rules are another version's runs in full and says so.
 */

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let mapping = "";
let later = "";
let laterCount = 0;
const ws = join(dir, "ws");
const copy = join(dir, "ws-full");
const first = join(dir, "first.csv");

async function resolve(workspace: string, ...args: string[]) {
  const r = await cli(["--workspace", workspace, "--json", "resolve", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

async function ingest(workspace: string, file: string): Promise<void> {
  const r = await ingestParties(workspace, file, mapping);
  expect(r.code, r.stderr).toBe(0);
}

/** What a run leaves in the workspace, table by table, in a fixed order. */
async function stored(workspace: string): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => queryWorkspace(workspace, sql);
  return {
    members: await q("SELECT party_id, entity_id FROM entity_members ORDER BY ALL"),
    entities: await q("SELECT * FROM entities ORDER BY id"),
    links: await q(
      "SELECT party_a, party_b, weight, probability, status, note FROM entity_links ORDER BY ALL",
    ),
    keys: await q("SELECT party_id, rule, key FROM resolution_keys ORDER BY ALL"),
    components: await q("SELECT party_id, component FROM resolution_components ORDER BY ALL"),
  };
}

beforeAll(async () => {
  const world = join(dir, "world");
  await generateWorld(world, { ...DEFAULT_OPTIONS, accounts: 4000, transactions: 4000, seed: 13 });
  mapping = join(world, "parties.mapping.yaml");
  // A later delivery of one record in twenty: new people, and more records of known ones.
  const [header, ...lines] = readFileSync(join(world, "parties.csv"), "utf8").trimEnd().split("\n");
  const rest = lines.filter((_, k) => k % 20 === 7);
  laterCount = rest.length;
  writeFile(dir, "first.csv", `${[header, ...lines.filter((_, k) => k % 20 !== 7)].join("\n")}\n`);
  await ingest(ws, first);
  later = writeFile(dir, "later.csv", `${[header, ...rest].join("\n")}\n`);
  const r = await resolve(ws);
  expect(r.mode).toBe("full");
  await ingest(ws, later);
  cpSync(ws, copy, { recursive: true });
}, 180_000);

describe("incremental resolve against stored keys and components", () => {
  it("reads only the new parties' neighbourhood, and leaves what a full run with the same model leaves", async () => {
    const inc = await resolve(ws);
    expect(inc.mode).toBe("incremental");
    expect(inc.notes).toEqual([]);
    expect(inc.new_parties).toBe(laterCount);
    // The new parties are read, and some resolved ones around them, but far from all.
    expect(inc.loaded).toBeGreaterThan(inc.new_parties);
    expect(inc.loaded).toBeLessThan(inc.parties / 2);
    expect(inc.reclustered).toBeLessThanOrEqual(inc.loaded);

    const full = await resolve(copy, "--full", "--keep-model");
    expect(full.mode).toBe("full");
    expect(full.loaded).toBe(full.parties);
    expect(inc.parties).toBe(full.parties);
    expect(inc.entities).toBe(full.entities);
    expect(inc.links).toEqual(full.links);
    expect(inc.events).toEqual(full.events);
    const [a, b] = [await stored(ws), await stored(copy)];
    for (const table of Object.keys(a)) {
      expect((a[table] as unknown[]).length, table).toBeGreaterThan(0);
      expect(a[table], table).toEqual(b[table]);
    }
  }, 180_000);

  it("a re-run with nothing new reads no party and changes nothing", async () => {
    const before = await stored(ws);
    const r = await resolve(ws);
    expect(r.mode).toBe("incremental");
    expect(r.new_parties).toBe(0);
    expect(r.loaded).toBe(0);
    expect(await stored(ws)).toEqual(before);
  }, 120_000);

  it("runs in full with the stored model, with a note, when the stored blocking rules are another version's", async () => {
    const expected = await stored(ws);
    // As a run of a version with other rules would have left them: other keys, another version.
    await queryWorkspace(
      ws,
      `UPDATE resolution_runs SET stats = json_merge_patch(stats, '{"rulesVersion":"other"}')
       WHERE run = (SELECT max(run) FROM resolution_runs)`,
    );
    await queryWorkspace(ws, "UPDATE resolution_keys SET key = 'stale|' || key");
    const r = await resolve(ws);
    expect(r.mode).toBe("full");
    expect(r.loaded).toBe(r.parties);
    expect(r.notes).toEqual([expect.stringMatching(/blocking rules differ/)]);
    // Every party blocked again with the stored model: the same result, and this version's keys.
    expect(await stored(ws)).toEqual(expected);
    const again = await resolve(ws);
    expect(again.mode).toBe("incremental");
    expect(again.notes).toEqual([]);
  }, 180_000);

  it("with a small block cap, blocks the new parties push over it drop their links as a full run's do", async () => {
    // A cap of 3 makes many household blocks (phone, address, postcode) cross it when the later
    // delivery arrives: the stored links that only such a block found must go, found in SQL.
    const params = { maxBlockSize: 3 };
    const small = join(dir, "ws-small");
    const smallFull = join(dir, "ws-small-full");
    await ingest(small, first);
    const one = await withStore(small, (s) => runResolution(s, { params }));
    expect(one.blocking.some((r) => r.skippedBlocks > 0)).toBe(true);
    await ingest(small, later);
    cpSync(small, smallFull, { recursive: true });
    const inc = await withStore(small, (s) => runResolution(s, { params }));
    expect(inc.mode).toBe("incremental");
    expect(inc.loaded).toBeLessThan(inc.parties / 2);
    const full = await withStore(smallFull, (s) => runResolution(s, { params, full: true, keepModel: true }));
    const [a, b] = [await stored(small), await stored(smallFull)];
    // The cap changed something: fewer links than the default cap keeps.
    expect(a.links?.length).toBeLessThan((await stored(ws)).links?.length as number);
    for (const table of Object.keys(a)) expect(a[table], table).toEqual(b[table]);
    expect(inc.links).toEqual(full.links);
  }, 180_000);

  it("reads the links touching some parties, and their entities, without reading every link", async () => {
    const some = (await queryWorkspace(
      ws,
      "SELECT party_a FROM entity_links WHERE status = 'accepted' ORDER BY party_a LIMIT 3",
    )) as { party_a: string }[];
    const ids = [...some.map((r) => r.party_a), "no-such-party"];
    const list = ids.map((id) => `'${id}'`).join(", ");
    const expected = await queryWorkspace(
      ws,
      `SELECT party_a, party_b, status FROM entity_links WHERE party_a IN (${list}) OR party_b IN (${list}) ORDER BY party_a, party_b`,
    );
    const members = await queryWorkspace(
      ws,
      `SELECT party_id, entity_id FROM entity_members WHERE party_id IN (${list}) ORDER BY party_id`,
    );
    const [links, membership] = await withStore(ws, async (s) => [
      await s.linksTouching(ids),
      await s.membersOf(ids),
    ]);
    expect(expected.length).toBeGreaterThan(0);
    expect(links.map((l) => ({ party_a: l.party_a, party_b: l.party_b, status: l.status }))).toEqual(
      expected,
    );
    expect([...membership]).toEqual(members.map((m) => [m.party_id, m.entity_id]));
  }, 120_000);
});
