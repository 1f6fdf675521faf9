import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Context, UsageError } from "../../src/cli/command.js";
import { evaluateCommand } from "../../src/cli/evaluate.js";
import type { Store } from "../../src/store/store.js";

const AML = "a".repeat(64);
// A temporary folder of our own: test/helpers.ts would load the whole CLI, which these tests do not need.
const t = { dir: mkdtempSync(join(tmpdir(), "mt-eval-cli-")) };
afterAll(() => rmSync(t.dir, { recursive: true, force: true }));

function writeFile(folder: string, name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

// A world of one fan-in instance (lines 2 and 3; hub H, originator S) and three party records.
const world = join(t.dir, "world");
mkdirSync(join(world, "truth"), { recursive: true });
const truthFiles: Record<string, string> = {
  "manifest.json": JSON.stringify({
    generator: "moneytrail-generate",
    version: 1,
    seed: 42,
    start: "2022-09-01",
    days: 14,
    options: {},
    files: [
      { name: "transactions.csv", format: "amlworld", sha256: AML, rows: 9 },
      {
        name: "parties.csv",
        format: "parties",
        mapping: "parties.mapping.yaml",
        sha256: "c".repeat(64),
        rows: 3,
      },
    ],
  }),
  "instances.csv":
    "instance,typology,variant,accounts,transactions,first,last\nfan-in-0001,fan-in,S2,2,2,2022-09-01T00:00:00Z,2022-09-02T00:00:00Z\n",
  "transactions.csv": "line,id,typology,instance\n2,T2,fan-in,fan-in-0001\n3,T3,fan-in,fan-in-0001\n",
  "accounts.csv":
    "account,typology,instance,role\n001:H,fan-in,fan-in-0001,hub\n001:S,fan-in,fan-in-0001,originator\n",
  "hard-negatives.csv": "account,kind,resembles\n002:P,payroll-processor,fan-out\n",
  "parties.csv": "source,record_id,entity_id\nparties.csv,R1,E1\nparties.csv,R2,E1\nparties.csv,R3,E2\n",
};
for (const [name, content] of Object.entries(truthFiles)) writeFile(join(world, "truth"), name, content);

// One fan-in alert on line 2 only, naming the hub; entities that split R1 from R2.
const alerts = writeFile(
  t.dir,
  "alerts.jsonl",
  `${JSON.stringify({ typology: "fan-in", subjects: [{ account: "001:H", role: "hub" }], transactions: ["T2"], sources: [{ file: AML, line: 2 }] })}\n`,
);
const entities = writeFile(
  t.dir,
  "entities.csv",
  "source,record_id,entity_id\nkyc,R1,X\nkyc,R2,Y\nkyc,R3,Z\n",
);

/**
 * Runs the command with a context that captures output and, unless `store` is given (a workspace
 * that exists), has no workspace and refuses to open a store.
 */
async function run(
  values: Record<string, string>,
  json: boolean,
  positionals: string[] = [],
  store?: Pick<Store, "alerts" | "partyEntities">,
) {
  const out = { stdout: "", stderr: "" };
  const ctx: Context = {
    io: {
      stdout: (s) => {
        out.stdout += s;
      },
      stderr: (s) => {
        out.stderr += s;
      },
      isTTY: false,
    },
    json,
    workspaceDir: join(t.dir, "no-workspace"),
    // A store URL stands for a workspace that exists (a server's).
    storeUrl: store ? "postgres://127.0.0.1/test" : undefined,
    store: () => (store ? Promise.resolve(store as Store) : Promise.reject(new Error("no store to open"))),
  };
  const code = await evaluateCommand.run(ctx, { values, positionals });
  return { code, ...out };
}

describe("moneytrail evaluate", () => {
  it("prints one JSON document with both stages scored", async () => {
    const r = await run({ truth: world, alerts, entities }, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.endsWith("}\n")).toBe(true);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["truth", "detection", "resolution"]);
    expect(doc.truth).toEqual({
      kind: "world",
      dir: join(world, "truth"),
      seed: 42,
      days: 14,
      start: "2022-09-01",
    });
    // Line 2 of lines {2,3}: P 1, R 0.5, F1 2/3; account H of {H,S}: the same.
    expect(doc.detection).toMatchObject({
      available: true,
      alerts: 1,
      outside_world: 0,
      overall: { transactions: { tp: 1, predicted: 1, actual: 2, precision: 1, recall: 0.5 } },
      typologies: [
        {
          typology: "fan-in",
          instances: 1,
          instances_found: 1,
          instances_flagged_any: 1,
          accounts: { tp: 1, predicted: 1, actual: 2, precision: 1, recall: 0.5 },
        },
      ],
      hard_negatives: [{ kind: "payroll-processor", accounts: 1, alerted: 0, typologies: [] }],
    });
    expect(Object.keys(doc.detection.overall.accounts)).toEqual([
      "tp",
      "predicted",
      "actual",
      "precision",
      "recall",
      "f1",
    ]);
    // All singletons against {R1,R2} {R3}: no predicted pair (P null), the one true pair missed (R 0).
    // B-cubed: P 1; R = (1/2 + 1/2 + 1)/3 = 2/3; F1 = 2·(2/3)/(5/3) = 0.8.
    expect(doc.resolution).toMatchObject({
      available: true,
      records: 3,
      entities: 2,
      clusters: 3,
      missing: 0,
      unknown: 0,
      pairwise: { precision: null, recall: 0, f1: null, true_pairs: 1, predicted_pairs: 0, tp: 0 },
      bcubed: { precision: 1 },
    });
    expect(doc.resolution.bcubed.f1).toBeCloseTo(0.8, 12);
  });

  it("reports stages without predictions as not available, and exits 0", async () => {
    const r = await run({ truth: world }, true);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.detection).toEqual({
      available: false,
      reason: `no alerts to score: no workspace at ${join(t.dir, "no-workspace")} and no --alerts FILE`,
    });
    expect(doc.resolution).toEqual({
      available: false,
      reason: `no entities to score: no workspace at ${join(t.dir, "no-workspace")} and no --entities FILE`,
    });
    const human = await run({ truth: join(world, "truth"), entities }, false);
    expect(human.stderr).toMatch(/detection: not available \(no alerts to score/);
    expect(human.stderr).not.toMatch(/resolution: not available/);
  });

  it("scores the workspace's alerts and entities when no file is given, and says when it has none", async () => {
    const record = {
      typology: "fan-in",
      subjects: [{ account: "001:H", role: "hub" }],
      transactions: ["T2"],
      sources: [{ file: AML, line: 2 }],
    };
    const workspace = {
      alerts: async () => [{ record, primaryAccount: "001:H" }],
      partyEntities: async () => [
        { source: "parties.csv", record_id: "R1", entity_id: "E9" },
        { source: "parties.csv", record_id: "R2", entity_id: "E9" },
        { source: "parties.csv", record_id: "R3", entity_id: null },
      ],
    } as unknown as Pick<Store, "alerts" | "partyEntities">;
    const doc = JSON.parse((await run({ truth: world }, true, [], workspace)).stdout);
    expect(doc.detection).toMatchObject({ available: true, alerts: 1, overall: { transactions: { tp: 1 } } });
    // R1 and R2 together, R3 not yet resolved: the one true pair found.
    expect(doc.resolution).toMatchObject({ available: true, pairwise: { tp: 1, true_pairs: 1 } });
    // A file given wins over the workspace.
    const fromFile = JSON.parse((await run({ truth: world, entities }, true, [], workspace)).stdout);
    expect(fromFile.resolution.pairwise).toMatchObject({ tp: 0 });
    const empty = { alerts: async () => [], partyEntities: async () => [] } as unknown as Pick<
      Store,
      "alerts" | "partyEntities"
    >;
    const none = JSON.parse((await run({ truth: world }, true, [], empty)).stdout);
    expect(none.detection.reason).toMatch(/has none \(run `moneytrail detect`\)/);
    expect(none.resolution.reason).toMatch(/has none \(run `moneytrail resolve`\)/);
  });

  it("prints tables on stderr without --json: three decimals, n/a for no value", async () => {
    const r = await run({ truth: world, alerts, entities }, false);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/truth .*: seed 42, 14 days from 2022-09-01/);
    expect(r.stderr).toMatch(/\n\(all\)\s+1\s+1\s+1\s+1\s+1\s+2\s+1\.000\s+0\.500\s+0\.667\n/);
    expect(r.stderr).toMatch(/\npayroll-processor\s+fan-out\s+1\s+0\n/);
    expect(r.stderr).toMatch(/\npairwise\s+n\/a\s+0\.000\s+n\/a\s+0\s+0\s+1\n/);
    expect(r.stderr).toMatch(/\nb-cubed\s+1\.000\s+0\.667\s+0\.800\n/);
  });

  it("requires --truth and refuses stray arguments (usage errors: exit 2)", async () => {
    await expect(run({}, true)).rejects.toThrow(UsageError);
    await expect(run({}, true)).rejects.toThrow(/give one of --truth DIR or --labels/);
    await expect(run({ truth: world }, true, ["extra"])).rejects.toThrow(/unexpected argument "extra"/);
  });
});
