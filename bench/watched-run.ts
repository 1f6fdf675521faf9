import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";

/** What `watch` reported of one look (`src/cli/watch.ts`, `WatchLook`). */
export interface WatchedLook {
  files: { accepted: number }[];
  detect: { graphFrom: string; newTransactions: number; seconds: Record<string, number> } | null;
  seconds: { ingest: number; detect: number };
}

/** A `moneytrail --json watch` process, and what it has printed so far. */
export interface WatchProcess {
  /** The looks it reported, one JSON document a line. */
  looks<T = WatchedLook>(): T[];
  stderr(): string;
  /** Resolves once `done` holds (looked at every 50 ms); rejects when the process stops first or after `ms`. */
  until(done: () => boolean, ms?: number): Promise<void>;
  /** Its peak RSS so far (Linux: the process's high-water mark), in kB. */
  peakRssKb(): number;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export function startWatch(root: string, args: string[]): WatchProcess {
  const child = spawn(process.execPath, [join(root, "bin", "moneytrail.js"), "--json", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  child.stderr.on("data", (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    looks: <T>() =>
      out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as T),
    stderr: () => err,
    async until(done, ms = 120_000) {
      const end = Date.now() + ms;
      while (!done()) {
        if (child.exitCode !== null) throw new Error(`watch stopped (exit ${child.exitCode}):\n${err}`);
        if (Date.now() > end) throw new Error(`watch: timed out after ${ms} ms:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    peakRssKb() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return m ? Number(m[1]) : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Drops a file in an inbox as a feed should: linked under a dot name, then renamed (whole when it appears). */
export function dropInto(inbox: string, file: string): void {
  const part = join(inbox, `.${basename(file)}`);
  symlinkSync(file, part);
  renameSync(part, join(inbox, basename(file)));
}

/**
 * `moneytrail watch` on a workspace, the files dropped in its inbox one at a time (each once the
 * look before is done), then stopped: every look it reported (the first brings the alerts up to
 * date and the graph into memory), and the process's peak RSS.
 */
export async function watchedRun(
  root: string,
  ws: string,
  files: string[],
  format: string[],
): Promise<{ looks: WatchedLook[]; maxRssKb: number }> {
  const inbox = `${ws}-inbox`;
  rmSync(inbox, { recursive: true, force: true });
  mkdirSync(inbox);
  const w = startWatch(root, ["--workspace", ws, "watch", inbox, ...format, "--interval", "0.1"]);
  let rss = Number.NaN;
  let code: number | null = null;
  try {
    await w.until(() => w.looks().length >= 1);
    for (const [i, file] of files.entries()) {
      dropInto(inbox, file);
      await w.until(() => w.looks().length >= i + 2);
    }
  } finally {
    rss = w.peakRssKb();
    code = await w.stop();
  }
  if (code !== 0) throw new Error(`watch exited ${code}:\n${w.stderr()}`);
  rmSync(inbox, { recursive: true, force: true });
  return { looks: w.looks(), maxRssKb: rss };
}
