import { join } from "node:path";
import { expect } from "vitest";
import { generateWorld } from "../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../src/generate/world.js";
import { cli } from "./helpers.js";

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
  const world = join(dir, "world");
  const ws = join(dir, "ws");
  await generateWorld(world, {
    ...DEFAULT_OPTIONS,
    accounts: 3000,
    transactions: 60_000,
    prevalence: 0.02,
    seed,
  });
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
