import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { generateWorld } from "../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../src/generate/world.js";
import { cli } from "./helpers.js";

/**
 * A small generated world with every typology planted (2% of the transactions), written to
 * `dir/world`: its path.
 */
async function plantedWorld(dir: string, seed: number, size = { accounts: 3000, transactions: 60_000 }) {
  const world = join(dir, "world");
  await generateWorld(world, { ...DEFAULT_OPTIONS, ...size, prevalence: 0.02, seed });
  return world;
}

/**
 * Such a world (`plantedWorld`) and its generic transactions export as deliveries are cut from it:
 * the header, the rows (in time order) and the mapping that reads them.
 */
export async function plantedRows(
  dir: string,
  seed: number,
  size?: { accounts: number; transactions: number },
): Promise<{ world: string; mapping: string; header: string; rows: string[] }> {
  const world = await plantedWorld(dir, seed, size);
  const lines = readFileSync(join(world, "transactions-generic.csv"), "utf8").trimEnd().split("\n");
  return {
    world,
    mapping: join(world, "transactions-generic.mapping.yaml"),
    header: lines[0] as string,
    rows: lines.slice(1),
  };
}

/**
 * A small generated world with every typology planted (3,000 accounts, 60,000 transactions, 2% of
 * them planted), written to `dir/world` and ingested into the workspace `dir/ws`: its generic
 * transactions export (with details), and its party records when `parties` is set. Shared by the
 * tests that need realistic data end to end.
 */
export async function generatedWorkspace(
  dir: string,
  seed: number,
  parties = false,
): Promise<{ world: string; ws: string }> {
  const world = await plantedWorld(dir, seed);
  const ws = join(dir, "ws");
  const files: [string, string, string][] = [
    ["transactions-generic.csv", "csv", "transactions-generic.mapping.yaml"],
  ];
  if (parties) files.push(["parties.csv", "parties", "parties.mapping.yaml"]);
  for (const [file, format, mapping] of files) {
    const r = await cli([
      "--workspace",
      ws,
      "ingest",
      join(world, file),
      "--format",
      format,
      "--mapping",
      join(world, mapping),
    ]);
    expect(r.code, r.stderr).toBe(0);
  }
  return { world, ws };
}
