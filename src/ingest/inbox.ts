import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * A directory that a feed drops files into, for `moneytrail watch` (docs/watch.md). A file is
 * taken once it is whole: its size and modification time the same at two looks (a copy still
 * being made grows between them), or at once when asked (`--once`, for files known to be whole).
 * Names that start with "." are left alone (a copy under a temporary name, renamed when done).
 * A taken file leaves the inbox once handled: to `ingested/` when its rows are stored (or it was
 * stored before), to `failed/` with a `NAME.error.txt` saying why when it could not be read, so
 * that the inbox holds only what is still to do and nothing is taken twice.
 */
export class Inbox {
  /** Per file name, its size and time at the last look. */
  private readonly lastLook = new Map<string, string>();
  /** Files taken, as they were then: not offered again unless they change (a file left in place). */
  private readonly taken = new Map<string, string>();

  constructor(readonly dir: string) {}

  /** The files ready to take, in name order (feeds name their files by date). */
  ready(atOnce = false): string[] {
    const now = new Map<string, string>();
    for (const name of readdirSync(this.dir).sort()) {
      if (name.startsWith(".")) continue;
      const stat = statSync(join(this.dir, name), { throwIfNoEntry: false });
      if (!stat?.isFile()) continue;
      now.set(name, `${stat.size}:${stat.mtimeMs}`);
    }
    const ready = [...now].filter(
      ([name, look]) => this.taken.get(name) !== look && (atOnce || this.lastLook.get(name) === look),
    );
    this.lastLook.clear();
    for (const [name, look] of now) this.lastLook.set(name, look);
    for (const name of this.taken.keys()) if (!now.has(name)) this.taken.delete(name);
    for (const [name, look] of ready) this.taken.set(name, look);
    return ready.map(([name]) => join(this.dir, name));
  }

  /** Whether the last look saw a file it has not taken: one being delivered, taken once whole. */
  arriving(): boolean {
    for (const name of this.lastLook.keys()) if (!this.taken.has(name)) return true;
    return false;
  }

  /** Moves a file whose rows are stored out of the inbox; returns where it went. */
  ingested(path: string): string {
    return this.moveTo("ingested", path);
  }

  /** Moves a file that could not be read out of the inbox, with the reason beside it. */
  failed(path: string, reason: string): string {
    const to = this.moveTo("failed", path);
    writeFileSync(`${to}.error.txt`, `${reason}\n`);
    return to;
  }

  private moveTo(sub: string, path: string): string {
    const dir = join(this.dir, sub);
    mkdirSync(dir, { recursive: true });
    // A later file of the same name (a feed that reuses names) does not replace the earlier one.
    let to = join(dir, basename(path));
    for (let k = 2; existsSync(to); k++) to = join(dir, `${basename(path)}.${k}`);
    renameSync(path, to);
    return to;
  }
}
