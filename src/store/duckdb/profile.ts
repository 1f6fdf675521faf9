/**
 * MONEYTRAIL_PROFILE=1 prints each store statement's (or step's) time on stderr: where a slow
 * command spends its time, without a profiler.
 */
export const PROFILE = process.env.MONEYTRAIL_PROFILE === "1";

export function profileLine(t0: number, what: string): void {
  process.stderr.write(
    // performance.now() counts from the start of the process: the gaps show time spent outside SQL.
    `[profile] ${(t0 / 1000).toFixed(2)} s +${(performance.now() - t0).toFixed(0)} ms  ${what.replace(/\s+/g, " ").slice(0, 90)}\n`,
  );
}

/** Runs `step`, printing its time under `what` when profiling. */
export async function profiled<T>(what: string, step: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await step();
  if (PROFILE) profileLine(t0, what);
  return out;
}
