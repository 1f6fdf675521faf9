import { open } from "node:fs/promises";
import { UnusableInputError } from "../ingest/errors.js";

/**
 * Calls `onLine` for every physical line of a UTF-8 text file with its 1-based number, without the
 * line break (`\n` or `\r\n`). Streams in chunks, so a file of millions of records never has to fit
 * in one string. An unreadable file raises UnusableInputError naming it (the CLI exits 2).
 */
export async function forEachLine(
  path: string,
  what: string,
  onLine: (text: string, line: number) => void,
): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw unreadable(path, what, error);
  }
  let rest = "";
  let line = 0;
  const emit = (text: string) => {
    line += 1;
    onLine(text.endsWith("\r") ? text.slice(0, -1) : text, line);
  };
  const emitInLoop = (text: string) => {
    try {
      emit(text);
    } catch (error) {
      throw new FromCallback(error);
    }
  };
  try {
    for await (const chunk of handle.createReadStream({ encoding: "utf8" })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        emitInLoop(text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    }
  } catch (error) {
    // Errors from onLine (a bad row, say) pass through as they are; only read errors are rephrased.
    if (error instanceof FromCallback) throw error.cause;
    throw unreadable(path, what, error);
  } finally {
    await handle.close();
  }
  // A last line without a line break is still a line.
  if (rest !== "") emit(rest);
}

function unreadable(path: string, what: string, error: unknown): UnusableInputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT"
      ? "not found"
      : code === "EISDIR"
        ? "is a folder, not a file"
        : `cannot be read (${(error as Error).message})`;
  return new UnusableInputError(`${what} ${path}: ${why}`);
}

/** Marks an error thrown by the caller's callback, to tell it apart from a read error. */
class FromCallback extends Error {
  constructor(override readonly cause: unknown) {
    super("error in a line callback");
  }
}
