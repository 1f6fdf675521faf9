import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedWorkspace } from "../generated-workspace.js";
import { cli, tempDir, writeFile } from "../helpers.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let world = "";
let ws = "";

beforeAll(async () => {
  ({ world, ws } = await generatedWorkspace(dir, 11, true));
}, 120_000);

describe("resolve and entities, end to end on a generated world", () => {
  it("resolves the noisy party records close to the truth, and prints one row per party", async () => {
    const r = await cli(["--workspace", ws, "--json", "resolve"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.mode).toBe("full");
    expect(summary.new_parties).toBe(summary.parties);
    const e = await cli(["--workspace", ws, "entities"]);
    expect(e.code, e.stderr).toBe(0);
    const lines = e.stdout.trim().split("\n");
    expect(lines[0]).toBe("source,record_id,entity_id");
    expect(lines).toHaveLength(summary.parties + 1);
    const file = writeFile(dir, "entities.csv", e.stdout);
    const scored = await cli(["--json", "evaluate", "--truth", join(world, "truth"), "--entities", file]);
    expect(scored.code, scored.stderr).toBe(0);
    const pairwise = JSON.parse(scored.stdout).resolution.pairwise;
    // A small world (about 3,000 parties) trains the model on few pairs: the targets
    // (0.97 / 0.95) hold at the standard size (`npm run eval`); here a floor that catches a broken stage.
    expect(pairwise.precision).toBeGreaterThan(0.8);
    expect(pairwise.recall).toBeGreaterThan(0.95);
  }, 120_000);

  it("a second run with nothing new is incremental and changes no entity", async () => {
    const before = (await cli(["--workspace", ws, "entities"])).stdout;
    const r = await cli(["--workspace", ws, "--json", "resolve"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.mode).toBe("incremental");
    expect(summary.new_parties).toBe(0);
    expect(summary.events).toEqual({ created: 0, merged: 0, split: 0, retired: 0 });
    expect((await cli(["--workspace", ws, "entities"])).stdout).toBe(before);
  }, 120_000);
});
