import { createHash } from "node:crypto";
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { Sha256 } from "../model/ids.js";
import { UnusableInputError } from "./errors.js";

export interface ScannedFile {
  path: string;
  name: string;
  sha256: Sha256;
  bytes: number;
  /** A control byte that never occurs in the file: the store splits lines on it as a 1-column CSV. */
  lineDelimiter: string;
  /** Whether the file contains `quoteChar` anywhere (else every line takes the fast split). */
  containsQuote: boolean;
  /** Whether the file holds a carriage return (CRLF line ends, perhaps mixed with LF). */
  containsCr: boolean;
  /** What the store reads: the file itself, or an LF copy of it (see normalise-newlines.ts). */
  readPath: string;
}

const HEAD_BYTES = 64 * 1024;
// Control characters that text files practically never hold; one of them must be absent.
const LINE_DELIMITER_CANDIDATES = [0x1f, 0x1e, 0x01, 0x02] as const;

function statOf(path: string): { bytes: number } {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error("not a regular file");
    return { bytes: st.size };
  } catch (error) {
    throw new UnusableInputError(`${path}: cannot read the file (${(error as Error).message})`);
  }
}

/** Reads the first bytes of a file, for sniffing; refuses what cannot be read (exit 2). */
export function readHead(path: string): { head: string; bytes: number } {
  const { bytes } = statOf(path);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new UnusableInputError(`${path}: cannot read the file (${(error as Error).message})`);
  }
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, bytes));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { head: buf.subarray(0, n).toString("utf8"), bytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * One streaming pass over the file: its SHA-256 (the file's identity for provenance and
 * idempotence) and the byte facts the bulk loader needs. Memory stays at one read buffer.
 */
export async function scanFile(path: string, quoteChar: string | null): Promise<ScannedFile> {
  const { bytes } = statOf(path);
  const hash = createHash("sha256");
  const present = new Set<number>();
  const quoteByte = quoteChar ? quoteChar.charCodeAt(0) : -1;
  let containsQuote = false;
  let containsCr = false;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      for (const c of LINE_DELIMITER_CANDIDATES)
        if (!present.has(c) && chunk.indexOf(c) !== -1) present.add(c);
      if (!containsQuote && quoteByte >= 0 && chunk.indexOf(quoteByte) !== -1) containsQuote = true;
      if (!containsCr && chunk.indexOf(0x0d) !== -1) containsCr = true;
    }
  } catch (error) {
    throw new UnusableInputError(`${path}: cannot read the file (${(error as Error).message})`);
  }
  const free = LINE_DELIMITER_CANDIDATES.find((c) => !present.has(c));
  if (free === undefined) {
    throw new UnusableInputError(`${path}: holds binary control characters throughout; is it a text file?`);
  }
  return {
    path,
    name: basename(path),
    sha256: hash.digest("hex") as Sha256,
    bytes,
    lineDelimiter: String.fromCharCode(free),
    containsQuote,
    containsCr,
    readPath: path,
  };
}
