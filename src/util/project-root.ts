import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The installed package's root (where `data/` lives), whether running from `src/` or `dist/src/`. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "data"))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("moneytrail: cannot find the package root (package.json beside data/)");
    dir = parent;
  }
  cached = dir;
  return dir;
}
