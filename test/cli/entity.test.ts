import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../../src/generate/world.js";
import { runResolution } from "../../src/resolve/run-resolution.js";
import { cli, ingestParties, tempDir, withStore, writeFile } from "../helpers.js";

/**
 * `moneytrail entity explain|confirm|forbid|split` end to end, on a generated world's noisy party
 * records delivered in two halves: explanations agree with the model's scores, overrides win on
 * every later run (incremental, --full, after new parties), entity ids stay stable, and the
 * incremental result equals a full run's with the same model.
 */

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const ws = join(dir, "ws");
let mapping = "";
const delivery: string[] = [];

async function ingest(file: string): Promise<void> {
  const r = await ingestParties(ws, file, mapping, "bank");
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  const world = join(dir, "world");
  await generateWorld(world, { ...DEFAULT_OPTIONS, accounts: 3000, transactions: 3000, seed: 9 });
  mapping = join(world, "parties.mapping.yaml");
  // Two deliveries of the same source: every other record, so that the second adds records to
  // people the first already has, and new people.
  const [header, ...lines] = readFileSync(join(world, "parties.csv"), "utf8").trimEnd().split("\n");
  for (const half of [0, 1])
    delivery.push(
      writeFile(
        dir,
        `delivery-${half + 1}.csv`,
        `${[header, ...lines.filter((_, k) => k % 2 === half)].join("\n")}\n`,
      ),
    );
  await ingest(delivery[0] as string);
}, 120_000);

async function json(args: string[]) {
  const r = await cli(["--workspace", ws, "--json", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** `source:record_id` → entity id, as `entities` prints them. */
async function membership(): Promise<Map<string, string>> {
  const r = await cli(["--workspace", ws, "entities", "--format", "jsonl"]);
  expect(r.code, r.stderr).toBe(0);
  const rows = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { source: string; record_id: string; entity_id: string });
  return new Map(rows.map((x) => [`${x.source}:${x.record_id}`, x.entity_id]));
}

/** Entity id → its records, in record order. */
function groups(members: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [ref, e] of [...members].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const list = out.get(e);
    if (list) list.push(ref);
    else out.set(e, [ref]);
  }
  return out;
}

/** The partition as sorted lists of records: what runs compare, ids left out. */
function partition(members: Map<string, string>): string[] {
  return [...groups(members).values()].map((g) => g.join(" ")).sort();
}

interface ExplainedField {
  field: string;
  label: string;
  level: number;
  weight: number | null;
}
interface ExplainedLink {
  a: string;
  b: string;
  status: string;
  weight: number | null;
  probability: number;
  override: string | null;
  note: string | null;
  explanation: {
    prior: number;
    fields: ExplainedField[];
    weight: number;
    probability: number;
    summary: string;
  };
}

describe("entity explain", () => {
  let members = new Map<string, string>();
  let linked = "";

  beforeAll(async () => {
    const r = await json(["resolve"]);
    expect(r.mode).toBe("full");
    members = await membership();
    // The entity with the most records: several links to explain.
    linked = [...groups(members)].sort((x, y) => y[1].length - x[1].length)[0]?.[0] as string;
  }, 120_000);

  it("gives the entity's records and, for every link between them, each field's level and weight", async () => {
    const r = await json(["entity", "explain", linked]);
    const refs = groups(members).get(linked) as string[];
    expect(r.entity.id).toBe(linked);
    expect(r.entity.members).toBe(refs.length);
    expect(r.members.map((m: { ref: string }) => m.ref).sort()).toEqual(refs);
    const links = r.links as ExplainedLink[];
    expect(links.filter((l) => l.status === "accepted").length).toBeGreaterThanOrEqual(refs.length - 1);
    for (const l of links) {
      expect(refs).toContain(l.a);
      expect(refs).toContain(l.b);
      const e = l.explanation;
      expect(e.fields.length).toBeGreaterThan(0);
      // The explanation is what the model weighed: prior plus the fields' weights, and the stored score.
      const sum = e.prior + e.fields.reduce((s, f) => s + (f.weight as number), 0);
      expect(e.weight).toBeCloseTo(sum, 9);
      expect(e.weight).toBeCloseTo(l.weight as number, 9);
      expect(e.probability).toBeCloseTo(l.probability, 12);
    }
    expect(r.events).toEqual([
      expect.objectContaining({ run: 1, kind: "created", entity_id: linked, mode: "full" }),
    ]);
    expect(Date.parse(r.events[0].at)).not.toBeNaN();
  }, 120_000);

  it("prints the same for an investigator: every record, and the fields that agreed with their weights", async () => {
    const r = await cli(["--workspace", ws, "entity", "explain", linked]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    const data = await json(["entity", "explain", linked]);
    expect(r.stderr).toContain(linked);
    for (const m of data.members) expect(r.stderr).toContain(m.ref);
    const accepted = (data.links as ExplainedLink[]).find((l) => l.status === "accepted") as ExplainedLink;
    const agreed = accepted.explanation.fields.find((f) => f.label === "exact") as ExplainedField;
    expect(agreed).toBeDefined();
    const w = agreed.weight as number;
    expect(r.stderr).toContain(`${agreed.field} exact (${w < 0 ? "\u2212" : "+"}${Math.abs(w).toFixed(1)})`);
    expect(r.stderr).toContain(`${accepted.a} \u2014 ${accepted.b}`);
    expect(r.stderr).toMatch(/match weight [+\u2212]\d+\.\d bits/);
  }, 120_000);

  it("exits 2 naming an unknown entity", async () => {
    const r = await cli(["--workspace", ws, "entity", "explain", "E9999999"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no entity "E9999999"/);
    expect((await cli(["--workspace", ws, "entity"])).code).toBe(2);
    expect((await cli(["--workspace", ws, "entity", "describe", linked])).code).toBe(2);
  }, 120_000);
});

describe("overrides: confirm, forbid and split win on every later run", () => {
  let confirm: [string, string] = ["", ""];
  let forbid: [string, string] = ["", ""];
  let split = { entity: "", off: "", rest: [] as string[] };
  const ids: Record<"confirm" | "forbid" | "split", string> = { confirm: "", forbid: "", split: "" };

  /** Each override holds in the current membership. */
  async function holds(): Promise<Map<string, string>> {
    const m = await membership();
    expect(m.get(confirm[0])).toBe(m.get(confirm[1]));
    expect(m.get(forbid[0])).not.toBe(m.get(forbid[1]));
    for (const r of split.rest) expect(m.get(r)).not.toBe(m.get(split.off));
    return m;
  }

  beforeAll(async () => {
    const m = await membership();
    const g = [...groups(m)];
    const pair = g.find(([, refs]) => refs.length === 2) as [string, string[]];
    forbid = pair[1] as [string, string];
    const big = g.filter(([, refs]) => refs.length >= 3).sort((x, y) => x[0].localeCompare(y[0]))[0] as [
      string,
      string[],
    ];
    split = { entity: big[0], off: big[1][0] as string, rest: big[1].slice(1) };
    // Two records alone, without a scored link to anyone: the override alone can join them.
    const singles: string[] = [];
    for (const [id, refs] of g) {
      if (refs.length !== 1 || singles.length === 2) continue;
      if ((await json(["entity", "explain", id])).outside.length === 0) singles.push(refs[0] as string);
    }
    confirm = [singles[0] as string, singles[1] as string];
  }, 120_000);

  it("records them with an id, validated, and changes nothing until the next resolve", async () => {
    const before = await membership();
    // What the model decided, which the overrides reverse.
    expect(before.get(confirm[0])).not.toBe(before.get(confirm[1]));
    expect(before.get(forbid[0])).toBe(before.get(forbid[1]));
    for (const r of split.rest) expect(before.get(r)).toBe(before.get(split.off));

    const c = await json([
      "entity",
      "confirm",
      ...confirm,
      "--reason",
      "same passport scan",
      "--analyst",
      "jdoe",
    ]);
    expect(c.override).toMatchObject({
      kind: "confirm",
      analyst: "jdoe",
      reason: "same passport scan",
      records: confirm,
    });
    expect(c.takes_effect).toMatch(/next `moneytrail resolve`/);
    const f = await json(["entity", "forbid", ...forbid, "--reason", "father and son"]);
    expect(f.override.kind).toBe("forbid");
    expect(f.override.analyst).toEqual(expect.any(String));
    const s = await json(["entity", "split", split.entity, split.off, "--reason", "other business"]);
    // Stored complete: the rest as the entity held it when the analyst split it.
    expect(s.override).toMatchObject({
      kind: "split",
      entity: split.entity,
      records: [split.off],
      rest: split.rest,
    });
    ids.confirm = c.override.id;
    ids.forbid = f.override.id;
    ids.split = s.override.id;
    expect(new Set(Object.values(ids)).size).toBe(3);

    const human = await cli(["--workspace", ws, "entity", "forbid", ...forbid, "--reason", "again"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/override O\d+ recorded.*\n.*takes effect on the next `moneytrail resolve`/);
    expect(await membership()).toEqual(before);
    const pending = await json(["entity", "explain", split.entity]);
    expect(pending.overrides).toContainEqual(
      expect.objectContaining({ id: ids.split, kind: "split", effect: expect.stringMatching(/^pending/) }),
    );
  }, 120_000);

  it("refuses unknown records, naming them, with exit 2", async () => {
    const unknown = await cli([
      "--workspace",
      ws,
      "entity",
      "confirm",
      confirm[0],
      "bank:NO-SUCH",
      "--reason",
      "x",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"bank:NO-SUCH"');
    const outside = await cli([
      "--workspace",
      ws,
      "entity",
      "split",
      split.entity,
      confirm[0],
      "--reason",
      "x",
    ]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain(`"${confirm[0]}" in entity ${split.entity}`);
    const all = await cli([
      "--workspace",
      ws,
      "entity",
      "split",
      split.entity,
      [split.off, ...split.rest].join(","),
      "--reason",
      "x",
    ]);
    expect(all.code).toBe(2);
    expect(all.stderr).toMatch(/every record/);
    const same = await cli(["--workspace", ws, "entity", "forbid", forbid[0], forbid[0], "--reason", "x"]);
    expect(same.code).toBe(2);
    expect((await cli(["--workspace", ws, "entity", "confirm", ...confirm])).code).toBe(2);
  }, 120_000);

  it("apply on the next resolve, show in explain with their effect, and leave merge and split events", async () => {
    const r = await json(["resolve"]);
    expect(r.mode).toBe("incremental");
    const m = await holds();
    const joined = m.get(confirm[0]) as string;
    const x = await json(["entity", "explain", joined]);
    const made = (x.links as ExplainedLink[]).find((l) => l.override === ids.confirm) as ExplainedLink;
    expect([made.a, made.b].sort()).toEqual([...confirm].sort());
    expect(made.status).toBe("confirmed");
    expect(x.overrides).toEqual([
      expect.objectContaining({
        id: ids.confirm,
        kind: "confirm",
        effect: expect.stringMatching(/^in effect/),
      }),
    ]);
    expect(x.events).toContainEqual(
      expect.objectContaining({ run: r.run, kind: "merged", entity_id: joined, mode: "incremental" }),
    );

    // The record split off: the links that held it to the rest are refused, naming the override.
    const off = await json(["entity", "explain", m.get(split.off) as string]);
    expect(off.overrides).toContainEqual(
      expect.objectContaining({ id: ids.split, effect: expect.stringMatching(/^in effect/) }),
    );
    const refused = (off.outside as ExplainedLink[]).filter((l) => split.rest.includes(l.b));
    expect(refused.length).toBeGreaterThan(0);
    for (const l of refused) {
      expect(l.note).toBe(`kept apart by override ${ids.split}`);
      // Explained as the links inside: the other entity's record is read too.
      expect(l.explanation.weight).toBeCloseTo(l.weight as number, 9);
    }
    const history = await json(["entity", "explain", split.entity]);
    expect(history.events).toContainEqual(
      expect.objectContaining({ run: r.run, kind: "split", entity_id: split.entity }),
    );
  }, 120_000);

  it("hold on a re-run with nothing new, and on --full, which re-estimates the model", async () => {
    const again = await json(["resolve"]);
    expect(again.mode).toBe("incremental");
    expect(again.events).toEqual({ created: 0, merged: 0, split: 0, retired: 0 });
    await holds();
    const full = await json(["resolve", "--full"]);
    expect(full.mode).toBe("full");
    await holds();
  }, 120_000);

  it("hold after new parties arrive; existing entities keep their ids; an incremental run equals a full one with its model", async () => {
    const before = await membership();
    await ingest(delivery[1] as string);
    const r = await json(["resolve"]);
    expect(r.mode).toBe("incremental");
    expect(r.new_parties).toBe(r.parties - before.size);
    const after = await holds();

    // Stable ids: an old entity whose records all stay together, with no other old entity's, keeps its id.
    const oldOf = (ref: string) => before.get(ref);
    const newGroups = groups(after);
    let kept = 0;
    for (const [id, refs] of groups(before)) {
      const now = after.get(refs[0] as string) as string;
      const together = refs.every((ref) => after.get(ref) === now);
      const alone = (newGroups.get(now) as string[]).every(
        (ref) => oldOf(ref) === undefined || oldOf(ref) === id,
      );
      if (together && alone) {
        expect(now).toBe(id);
        kept += 1;
      }
    }
    expect(kept).toBeGreaterThan(groups(before).size * 0.5);
    // New ids only for what is new, each with its event.
    const fresh = [...newGroups.keys()].filter((id) => !groups(before).has(id));
    expect(r.events.created).toBe(fresh.length);

    // The same data and model resolved at once (a full run keeping the stored model): same partition.
    const incremental = partition(after);
    const full = await withStore(ws, (store) => runResolution(store, { full: true, keepModel: true }));
    expect(full.mode).toBe("full");
    const once = await holds();
    expect(partition(once)).toEqual(incremental);
  }, 240_000);
  it("give way to a later override that contradicts them, which explain reports", async () => {
    const c = await json(["entity", "confirm", ...forbid, "--reason", "same person after all"]);
    const r = await json(["resolve"]);
    expect(r.overrides.conflicts).toContainEqual(
      expect.objectContaining({ override: ids.forbid, overruledBy: [c.override.id] }),
    );
    const m = await membership();
    expect(m.get(forbid[0])).toBe(m.get(forbid[1]));
    const x = await json(["entity", "explain", m.get(forbid[0]) as string]);
    expect(x.overrides).toContainEqual(
      expect.objectContaining({ id: ids.forbid, effect: expect.stringMatching(/^overruled/) }),
    );
    expect(x.overrides).toContainEqual(
      expect.objectContaining({ id: c.override.id, effect: expect.stringMatching(/^in effect/) }),
    );
  }, 120_000);
});

describe("two deliveries resolved incrementally, and all of it at once with --full", () => {
  it("agree on all but the pairs the re-estimated model scores across the threshold", async () => {
    // Workspaces of their own, without overrides. With one model the equality is exact by
    // construction (the keepModel check above, and test/resolve/incremental.test.ts). Here the
    // full run re-estimates the model on all the records while the incremental one scores the
    // second delivery with the first delivery's model, so a pair near the threshold may fall
    // either way: on this world one pair (two Rosa Harrisons at one address, one of them Jr)
    // is linked by the full run's model and not by the first delivery's.
    const inc = join(dir, "ws-incremental");
    const all = join(dir, "ws-full");
    const run = async (workspace: string, args: string[]) => {
      const r = await cli(["--workspace", workspace, "--json", ...args]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    const load = (workspace: string, files: string[]) =>
      run(workspace, ["ingest", ...files, "--format", "parties", "--mapping", mapping, "--source", "bank"]);
    await load(inc, [delivery[0] as string]);
    await run(inc, ["resolve"]);
    await load(inc, [delivery[1] as string]);
    expect(JSON.parse(await run(inc, ["resolve"])).mode).toBe("incremental");
    await load(all, delivery);
    expect(JSON.parse(await run(all, ["resolve", "--full"])).mode).toBe("full");
    const pairs = async (workspace: string) => {
      const rows = (await cli(["--workspace", workspace, "entities", "--format", "jsonl"])).stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { source: string; record_id: string; entity_id: string });
      const out = new Set<string>();
      for (const g of groups(new Map(rows.map((x) => [`${x.source}:${x.record_id}`, x.entity_id]))).values())
        for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) out.add(`${g[i]} ${g[j]}`);
      return out;
    };
    const incremental = await pairs(inc);
    const full = await pairs(all);
    // Not trivially equal: the deliveries put records of one person into both halves.
    expect(incremental.size).toBeGreaterThan(500);
    const common = [...incremental].filter((p) => full.has(p)).length;
    const union = incremental.size + full.size - common;
    expect(common / union).toBeGreaterThan(0.995);
  }, 240_000);
});
