import { join } from "node:path";
import { detectSnapshotDir } from "../../src/cli/detect.js";
import { detect, type GraphHolder } from "../../src/detect/detect.js";
import { defaultPackPath, loadRulePack } from "../../src/detect/rule-pack.js";
import type { Store } from "../../src/store/store.js";

/**
 * A workspace `name` under `root` whose detect runs (the default pack, with its snapshot) keep
 * their graph for the next in `holder`, as `watch` does; `run(store, false)` is a command's run,
 * which holds nothing.
 */
export function holdingWorkspace(root: string, name: string) {
  const ws = join(root, name);
  const dir = detectSnapshotDir(ws);
  const pack = loadRulePack(defaultPackPath());
  const holder: GraphHolder = { graph: null };
  const run = (store: Store, held = true) =>
    detect(store, pack, { snapshotDir: dir, ...(held ? { holder } : {}) });
  return { ws, dir, holder, run };
}
