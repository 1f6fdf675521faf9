import type { Command } from "./command.js";

/**
 * Every command, in the order `--help` lists them: an explicit list (no registration by import
 * side effect) of names, each with how to load its module. A command's module is imported only
 * when that command runs (or for help), so `moneytrail detect` does not pay for the modules of
 * generate, resolve or graph: node compiles and runs every module it imports, and the whole CLI
 * costs a good part of a second before a command starts (docs/cli.md).
 */
export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: "generate", load: async () => (await import("./generate.js")).generateCommand },
  { name: "ingest", load: async () => (await import("./ingest.js")).ingestCommand },
  { name: "quarantine", load: async () => (await import("./quarantine.js")).quarantineCommand },
  { name: "status", load: async () => (await import("./status.js")).statusCommand },
  { name: "resolve", load: async () => (await import("./resolve.js")).resolveCommand },
  { name: "entities", load: async () => (await import("./entities.js")).entitiesCommand },
  { name: "entity", load: async () => (await import("./entity.js")).entityCommand },
  { name: "trace", load: async () => (await import("./trace.js")).traceCommand },
  { name: "graph", load: async () => (await import("./graph.js")).graphCommand },
  { name: "detect", load: async () => (await import("./detect.js")).detectCommand },
  { name: "watch", load: async () => (await import("./watch.js")).watchCommand },
  { name: "alerts", load: async () => (await import("./alerts.js")).alertsCommand },
  { name: "risk", load: async () => (await import("./risk.js")).riskCommand },
  { name: "evaluate", load: async () => (await import("./evaluate.js")).evaluateCommand },
];

/** The command of that name, loaded; undefined when there is none. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return COMMANDS.find((c) => c.name === name)?.load();
}

/** Every command, loaded (for the list `--help` prints). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
