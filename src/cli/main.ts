import { parseArgs } from "node:util";
import { UnusableInputError } from "../ingest/errors.js";
import { WorkspaceBusyError, WorkspaceVersionError } from "../store/errors.js";
import type { Store } from "../store/store.js";
import { resolveWorkspaceDir } from "../store/workspace.js";
import { type Command, type Context, type Io, UsageError } from "./command.js";
import { COMMANDS, loadCommand, loadCommands } from "./commands.js";

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The help of moneytrail itself, with every command's summary (which loads every command). */
const globalHelp = async () => `moneytrail: from raw financial records to a court-ready case

usage: moneytrail [--workspace DIR] [--store URL] [--json] <command> [options]

  --workspace DIR   workspace folder (else $MONEYTRAIL_WORKSPACE, else ./moneytrail-workspace)
  --store URL       storage engine (default: the embedded DuckDB in the workspace)
  --json            print one JSON document on stdout; human output goes to stderr
  --help            help for moneytrail or for a command

commands:
${(await loadCommands()).map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join("\n")}

exit codes: 0 success, 1 failure while running, 2 unusable input or usage
`;

function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.summary}\n${command.help.length ? `\n${command.help.join("\n")}\n` : ""}`;
}

/** Splits the global options (allowed before or after the command) from the command's own. */
function splitGlobal(argv: string[]): { global: Record<string, string | boolean>; rest: string[] } {
  const global: Record<string, string | boolean> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") ? (arg.split(/=(.*)/s, 2) as [string, string?]) : [arg];
    if (flag === "--workspace" || flag === "--store") {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      global[flag.slice(2)] = value;
    } else if (flag === "--json") global.json = true;
    else if (flag === "--help" || flag === "-h") global.help = true;
    else rest.push(arg);
  }
  return { global, rest };
}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof UnusableInputError) return EXIT.usage;
  return EXIT.failure;
}

export function defaultIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** Runs the CLI; returns the exit code. */
export async function run(argv: string[], io: Io = defaultIo()): Promise<number> {
  let store: Store | undefined;
  try {
    const { global, rest } = splitGlobal(argv);
    const name = rest[0];
    if (!name || name === "help") {
      const topic = rest[1] ? await loadCommand(rest[1]) : undefined;
      io.stdout(topic ? commandHelp(topic) : await globalHelp());
      return global.help || name === "help" ? EXIT.ok : EXIT.usage;
    }
    const command = await loadCommand(name);
    if (!command)
      throw new UsageError(`unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(", ")}`);
    if (global.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest.slice(1),
        options: command.options,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${name}: ${(error as Error).message}\nusage: ${command.usage}`);
    }
    const workspaceDir = resolveWorkspaceDir(global.workspace as string | undefined);
    const ctx: Context = {
      io,
      json: Boolean(global.json),
      workspaceDir,
      storeUrl: global.store as string | undefined,
      async store() {
        // Loaded here: commands and help that open no store do not load DuckDB's native module.
        const { openStore } = await import("../store/open-store.js");
        store ??= await openStore({ workspaceDir, storeUrl: global.store as string | undefined });
        return store;
      },
    };
    return await command.run(ctx, parsed as Parameters<Command["run"]>[1]);
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof UnusableInputError ||
      error instanceof WorkspaceBusyError ||
      error instanceof WorkspaceVersionError;
    io.stderr(
      `moneytrail: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`,
    );
    return exitCodeOf(error);
  } finally {
    await store?.close();
  }
}

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in this process and keeps what it printed (for scripts and tests); with `echo`,
 * what it prints also goes on there as it comes.
 */
export async function runCaptured(argv: string[], echo?: Io): Promise<CapturedRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
      echo?.stdout(t);
    },
    stderr: (t) => {
      stderr += t;
      echo?.stderr(t);
    },
    isTTY: echo?.isTTY ?? false,
  });
  return { code, stdout, stderr };
}
