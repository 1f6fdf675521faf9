import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";

/** What `watch` reported of one look (`src/cli/watch.ts`, `WatchLook`). */
export interface WatchedLook {
  files: { accepted: number }[];
  detect: { graphFrom: string; newTransactions: number; seconds: Record<string, number> } | null;
  seconds: { ingest: number; detect: number };
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
  const child = spawn(
    process.execPath,
    [
      join(root, "bin", "moneytrail.js"),
      "--workspace",
      ws,
      "--json",
      "watch",
      inbox,
      ...format,
      "--interval",
      "0.1",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  child.stderr.on("data", (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const looks = () =>
    out
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as WatchedLook);
  const until = async (n: number) => {
    while (looks().length < n) {
      if (child.exitCode !== null) throw new Error(`watch stopped (exit ${child.exitCode}):\n${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let rss = Number.NaN;
  try {
    await until(1);
    for (const [i, file] of files.entries()) {
      // Linked under a dot name, then renamed: whole when it appears (the bench's file stays).
      const part = join(inbox, `.${basename(file)}`);
      symlinkSync(file, part);
      renameSync(part, join(inbox, basename(file)));
      await until(i + 2);
    }
  } finally {
    // Its peak RSS before it stops (Linux: the process's high-water mark, in kB).
    rss = peakRssKb(child.pid);
    child.kill("SIGTERM");
  }
  const code = await exited;
  if (code !== 0) throw new Error(`watch exited ${code}:\n${err}`);
  rmSync(inbox, { recursive: true, force: true });
  return { looks: looks(), maxRssKb: rss };
}

function peakRssKb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
