import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";

/** Drops every CR that ends a line (CRLF → LF), keeping all other bytes. Returns the kept bytes and a trailing CR held back. */
export function stripCrBeforeLf(chunk: Buffer, carryCr: boolean): { out: Buffer; carryCr: boolean } {
  const input = carryCr ? Buffer.concat([Buffer.from([0x0d]), chunk]) : chunk;
  const parts: Buffer[] = [];
  let start = 0;
  let cr = input.indexOf(0x0d);
  let carry = false;
  while (cr !== -1) {
    if (cr === input.length - 1) {
      // A CR at the end of the chunk: whether it ends a line depends on the next chunk.
      parts.push(input.subarray(start, cr));
      start = input.length;
      carry = true;
      break;
    }
    if (input[cr + 1] === 0x0a) {
      parts.push(input.subarray(start, cr));
      start = cr + 1;
    }
    cr = input.indexOf(0x0d, cr + 1);
  }
  parts.push(input.subarray(start));
  return { out: Buffer.concat(parts), carryCr: carry };
}

/**
 * DuckDB's reader wants one newline style per file; real exports mix CRLF and LF. Such a file is
 * copied with LF endings for reading only: line numbers stay the same, and provenance keeps the
 * original file's SHA-256.
 */
export async function writeLfCopy(source: string, target: string): Promise<void> {
  const out = createWriteStream(target);
  let carry = false;
  for await (const chunk of createReadStream(source, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    const r = stripCrBeforeLf(chunk, carry);
    carry = r.carryCr;
    if (!out.write(r.out)) await once(out, "drain");
  }
  if (carry) out.write(Buffer.from([0x0d]));
  out.end();
  await once(out, "finish");
}
