import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** What /usr/bin/time saw of one command, and the command's JSON output. */
export interface TimedCli {
  wallSeconds: number;
  maxRssKb: number;
  /** User plus system CPU seconds (its threads too): steadier than wall on a shared machine. */
  cpuSeconds: number;
  out: Record<string, unknown>;
}

/** One `moneytrail --json` command in a child process under /usr/bin/time. */
export function timedCli(root: string, cliArgs: string[]): TimedCli {
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%e %M %U %S", process.execPath, join(root, "bin", "moneytrail.js"), "--json", ...cliArgs],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.error) throw new Error(`cannot run /usr/bin/time: ${r.error.message}`);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  const match = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec((lines.at(-1) ?? "").trim());
  if (r.status !== 0 || !match) {
    throw new Error(`moneytrail ${cliArgs.join(" ")} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  }
  return {
    wallSeconds: Number(match[1]),
    maxRssKb: Number(match[2]),
    cpuSeconds: Number(match[3]) + Number(match[4]),
    out: JSON.parse(r.stdout || "{}"),
  };
}
