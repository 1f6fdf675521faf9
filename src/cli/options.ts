import { UsageError } from "./command.js";

/** Option values the commands share the reading of; a bad one is a usage error (exit 2). */

/** `2022-09-01` (a whole day, UTC) or an ISO instant; `end` takes the day's last millisecond. */
export function parseWhen(
  command: string,
  flag: string,
  text: string | undefined,
  end: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(day ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms))
    throw new UsageError(`${command}: ${flag} takes a date (YYYY-MM-DD) or an ISO instant, got "${text}"`);
  return day && end ? ms + 86_400_000 - 1 : ms;
}

/** A whole number ≥ `min` from an option, or the default. */
export function wholeOption(command: string, flag: string, text: unknown, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(String(text).replaceAll("_", ""));
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${command}: ${flag} takes a whole number ≥ ${min} (got "${String(text)}")`);
  return n;
}
