import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

export interface Workspace {
  dir: string;
  tempDirectory: string;
}

/** DESIGN §3: `--workspace DIR`, else `$MONEYTRAIL_WORKSPACE`, else `./moneytrail-workspace`. */
export function resolveWorkspaceDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.MONEYTRAIL_WORKSPACE ?? "moneytrail-workspace");
}

/** The embedded database's file in a workspace. */
export const DATABASE_FILE = "moneytrail.duckdb";

/** Creates the workspace folder on first use (`init` is implicit). */
export function prepareWorkspace(dir: string): Workspace {
  const tempDirectory = join(dir, "tmp");
  mkdirSync(tempDirectory, { recursive: true });
  return { dir, tempDirectory };
}
