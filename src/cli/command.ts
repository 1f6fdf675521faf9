import type { ParseArgsConfig } from "node:util";
import type { Store } from "../store/store.js";

/** Usage errors exit 2 (DESIGN §4). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal: progress bars only then. */
  isTTY: boolean;
}

export interface Context {
  io: Io;
  json: boolean;
  workspaceDir: string;
  storeUrl: string | undefined;
  /** Opens the store once per command; the CLI closes it afterwards. */
  store(): Promise<Store>;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A CLI command: a declarative object in the explicit list of `commands.ts`. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines of help after the usage line. */
  help: string[];
  options: Options;
  run(ctx: Context, args: ParsedArgs): Promise<number>;
}
