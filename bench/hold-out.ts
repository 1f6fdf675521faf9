import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";

/**
 * An AMLworld file split in two as records reach an investigation: most of them first, then a
 * later delivery, of one of two kinds. Every transaction (sent or received) of a few accounts, as
 * a bank answers a request about them (`holdOutAccounts`: the accounts chosen by a hash of their
 * key, so the split is the same on every run); or the latest transactions, as a feed brings the
 * next days' records (`holdOutLatest`). Each returns the rows written to each file.
 */

/** FNV-1a of a string: a stable, well-spread choice of accounts. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function write(out: WriteStream, line: string): Promise<void> | undefined {
  if (out.write(`${line}\n`)) return undefined;
  return new Promise((resolve) => out.once("drain", () => resolve()));
}

/** The file's rows (header first) to `base` or `later` as `isLater` says of their fields. */
async function splitRows(
  source: string,
  base: string,
  later: string,
  isLater: (fields: string[]) => boolean,
): Promise<{ base: number; later: number }> {
  const lines = createInterface({ input: createReadStream(source), crlfDelay: Number.POSITIVE_INFINITY });
  const first = createWriteStream(base);
  const second = createWriteStream(later);
  const counts = { base: 0, later: 0 };
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      await write(first, line);
      await write(second, line);
      continue;
    }
    // AMLworld's: Timestamp, From Bank, Account, To Bank, Account, …
    const held = isLater(line.split(",", 5));
    if (held) counts.later++;
    else counts.base++;
    await write(held ? second : first, line);
  }
  await Promise.all([first, second].map((s) => new Promise((resolve) => s.end(resolve))));
  return counts;
}

export function holdOutAccounts(
  source: string,
  base: string,
  later: string,
  /** One account in this many is held out. */
  oneIn: number,
): Promise<{ base: number; later: number }> {
  return splitRows(
    source,
    base,
    later,
    (f) => hash(`${f[1]}:${f[2]}`) % oneIn === 0 || hash(`${f[3]}:${f[4]}`) % oneIn === 0,
  );
}

/**
 * The transactions at or after the time by which all but about `share` of them have happened,
 * held out. The time is field `timeField` of a row (AMLworld's first, `YYYY/MM/DD HH:MM`; the
 * generated generic file's second, `YYYY-MM-DD HH:MM:SS`), which orders as text.
 */
export async function holdOutLatest(
  source: string,
  base: string,
  later: string,
  share: number,
  timeField = 0,
): Promise<{ base: number; later: number }> {
  const times: string[] = [];
  const lines = createInterface({ input: createReadStream(source), crlfDelay: Number.POSITIVE_INFINITY });
  let header = true;
  for await (const line of lines) {
    if (header) header = false;
    else times.push(line.split(",", timeField + 1)[timeField] as string);
  }
  times.sort();
  const from = times[Math.min(times.length - 1, Math.floor(times.length * (1 - share)))] ?? "";
  return splitRows(source, base, later, (f) => (f[timeField] as string) >= from);
}
