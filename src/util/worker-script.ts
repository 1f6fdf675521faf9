import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { projectRoot } from "./project-root.js";

/**
 * The URL of a worker thread's script `name` (a `.js` file) beside the module at `moduleUrl` (its
 * `import.meta.url`): there when built; when the module runs from sources (tests run the `.ts`
 * files), the built script of the same place under `dist/`, which a worker can load.
 */
export function workerScript(moduleUrl: string, name: string): URL {
  const here = fileURLToPath(moduleUrl);
  if (!here.endsWith(".ts")) return new URL(`./${name}`, moduleUrl);
  const dir = relative(projectRoot(), join(here, ".."));
  return pathToFileURL(join(projectRoot(), "dist", dir, name));
}
