import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { cliProcess, tempDir } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

/**
 * The CLI loads the module of the command it runs, not every command's (src/cli/commands.ts):
 * node compiles and runs every module it imports, which made each command pay for all the
 * others. Checked by a module hook that logs every module of the CLI the process loads.
 */
function loadedModules(args: string[], name: string): string[] {
  const log = join(t.dir, `${name}.log`);
  const hooks = join(t.dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  if (url.includes("/dist/src/")) appendFileSync(process.env.MONEYTRAIL_TEST_LOG, url.split("/dist/src/")[1] + "\\n");
  return next(url, context);
}\n`,
  );
  const register = join(t.dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, "");
  const r = cliProcess(args, {
    NODE_OPTIONS: `--import=${pathToFileURL(register).href}`,
    MONEYTRAIL_TEST_LOG: log,
  });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

describe("CLI start-up", () => {
  it("loads only the command it runs, and no store for help", () => {
    const loaded = loadedModules(["status", "--help"], "status");
    expect(loaded).toContain("cli/status.js");
    for (const other of ["generate", "graph", "resolve", "detect", "trace", "entity", "evaluate"])
      expect(loaded).not.toContain(`cli/${other}.js`);
    expect(loaded).not.toContain("store/open-store.js");
  });

  it("loads every command for the list `--help` prints", () => {
    const loaded = loadedModules(["--help"], "help");
    for (const c of COMMANDS) expect(loaded).toContain(`cli/${c.name}.js`);
  });
});
