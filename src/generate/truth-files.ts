import type { Calendar } from "./calendar.js";
import { MINUTES_PER_DAY } from "./events.js";
import { FileSink } from "./file-sink.js";
import type { Instance } from "./planter.js";
import type { World } from "./world.js";

/**
 * The ground truth beside the data (docs/evaluate.md describes each file): the member accounts
 * of every planted instance with their roles, the instances themselves, the hard negatives, and
 * AMLworld's own `patterns.txt` for tools that read that format.
 */

function iso(calendar: Calendar, minute: number): string {
  const day = Math.floor(minute / MINUTES_PER_DAY);
  const m = minute - day * MINUTES_PER_DAY;
  const hh = String(Math.floor(m / 60)).padStart(2, "0");
  const mm = String(m % 60).padStart(2, "0");
  return `${calendar.isoDate(day)}T${hh}:${mm}:00Z`;
}

export function writeInstanceTruth(
  dir: string,
  world: World,
  calendar: Calendar,
  instances: Instance[],
): void {
  const accounts = new FileSink(`${dir}/truth/accounts.csv`);
  accounts.line("account,typology,instance,role");
  const list = new FileSink(`${dir}/truth/instances.csv`);
  list.line("instance,typology,variant,accounts,transactions,first,last");
  for (const i of instances) {
    // An instance whose every transaction fell outside the world is no instance at all.
    if (i.events === 0) continue;
    for (const [account, role] of [...i.members].sort(([a], [b]) => a - b)) {
      accounts.line(`${(world.accounts[account] as { key: string }).key},${i.typology},${i.id},${role}`);
    }
    list.line(
      `${i.id},${i.typology},${i.variant},${i.members.size},${i.events},${iso(calendar, i.first)},${iso(calendar, i.last)}`,
    );
  }
  accounts.finish();
  list.finish();
}

export function writeHardNegatives(
  dir: string,
  world: World,
  negatives: { account: number; kind: string; resembles: string[] }[],
): void {
  const sink = new FileSink(`${dir}/truth/hard-negatives.csv`);
  sink.line("account,kind,resembles");
  const seen = new Set<string>();
  for (const n of negatives) {
    const key = `${n.account}:${n.kind}`;
    if (seen.has(key) || n.account < 0) continue;
    seen.add(key);
    sink.line(`${(world.accounts[n.account] as { key: string }).key},${n.kind},${n.resembles.join(";")}`);
  }
  sink.finish();
}

/** AMLworld's qualifier for a pattern block (`Max 7-degree Fan-In`, `Max 5 hops`), else the variant. */
function qualifier(i: Instance): string {
  const n = /(\d+)/.exec(i.variant)?.[1];
  switch (i.typology) {
    case "fan-in":
    case "gather-scatter":
      return `Max ${n}-degree Fan-In`;
    case "fan-out":
      return `Max ${n}-degree Fan-Out`;
    case "cycle":
    case "random":
      return `Max ${n} hops`;
    case "bipartite":
    case "stack":
    case "scatter-gather":
      return "";
    default:
      return i.variant;
  }
}

/** `patterns.txt` in AMLworld's block format: BEGIN LAUNDERING ATTEMPT - TYPE[: qualifier] … END. */
export function writePatterns(dir: string, instances: Instance[], lines: Map<number, string[]>): void {
  const sink = new FileSink(`${dir}/patterns.txt`);
  for (const i of instances) {
    const rows = lines.get(i.index);
    if (!rows || rows.length === 0) continue;
    const type = i.typology.toUpperCase();
    const q = qualifier(i);
    sink.line(`BEGIN LAUNDERING ATTEMPT - ${type}${q ? `: ${q}` : ""}`);
    for (const row of rows) sink.line(row);
    sink.line(`END LAUNDERING ATTEMPT - ${type}`);
    sink.line("");
  }
  sink.finish();
}
