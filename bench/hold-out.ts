import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";

/**
 * An AMLworld file split in two as records reach an investigation: most of them first, then a
 * later delivery with every transaction (sent or received) of a few accounts, as a bank answers a
 * request about them. The accounts are chosen by a hash of their key, so the split is the same on
 * every run. Returns the rows written to each file.
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

export async function holdOutAccounts(
  source: string,
  base: string,
  later: string,
  /** One account in this many is held out. */
  oneIn: number,
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
    // Timestamp, From Bank, Account, To Bank, Account, …: the accounts are fields 1–4.
    const f = line.split(",", 5);
    const held = hash(`${f[1]}:${f[2]}`) % oneIn === 0 || hash(`${f[3]}:${f[4]}`) % oneIn === 0;
    if (held) counts.later++;
    else counts.base++;
    await write(held ? second : first, line);
  }
  await Promise.all([first, second].map((s) => new Promise((resolve) => s.end(resolve))));
  return counts;
}
