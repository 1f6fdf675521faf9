import type { ProgressSink } from "../store/store.js";
import type { Io } from "./command.js";

const WIDTH = 30;

/** A progress bar on stderr, only on a terminal; elsewhere a sink that prints nothing. */
export function progressBar(io: Io, label: string): { sink: ProgressSink | undefined; done(): void } {
  if (!io.isTTY) return { sink: undefined, done() {} };
  let last = -1;
  const sink: ProgressSink = (fraction) => {
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
    if (filled === last) return;
    last = filled;
    io.stderr(
      `\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${Math.round(fraction * 100)}%`,
    );
  };
  return { sink, done: () => io.stderr(`\r${" ".repeat(label.length + WIDTH + 8)}\r`) };
}
