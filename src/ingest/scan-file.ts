import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { Sha256 } from "../model/ids.js";
import type { FileFingerprint } from "../model/source.js";
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

interface ByteFacts {
  sha256: string;
  present: number[];
  containsQuote: boolean;
  containsCr: boolean;
}

/**
 * The byte pass itself. It runs in a worker thread, so it is written to be serialised: it uses
 * only its arguments (the modules are handed in).
 */
async function byteFacts(
  fs: typeof import("node:fs"),
  crypto: typeof import("node:crypto"),
  path: string,
  quoteByte: number,
  candidates: readonly number[],
): Promise<ByteFacts> {
  const hash = crypto.createHash("sha256");
  const present = new Set<number>();
  let containsQuote = false;
  let containsCr = false;
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    for (const c of candidates) if (!present.has(c) && chunk.indexOf(c) !== -1) present.add(c);
    if (!containsQuote && quoteByte >= 0 && chunk.indexOf(quoteByte) !== -1) containsQuote = true;
    if (!containsCr && chunk.indexOf(0x0d) !== -1) containsCr = true;
  }
  return { sha256: hash.digest("hex"), present: [...present], containsQuote, containsCr };
}

/** Runs `byteFacts` on another core, so that hashing a large file overlaps opening the store. */
function byteFactsInWorker(path: string, quoteByte: number, signal?: AbortSignal): Promise<ByteFacts> {
  const code = `const { parentPort, workerData: w } = require("node:worker_threads");
(${byteFacts.toString()})(require("node:fs"), require("node:crypto"), w.path, w.quoteByte, w.candidates)
  .then((facts) => parentPort.postMessage({ facts }), (error) => parentPort.postMessage({ error: String(error?.message ?? error) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { path, quoteByte, candidates: LINE_DELIMITER_CANDIDATES },
    });
    worker.once("message", (m: { facts?: ByteFacts; error?: string }) => {
      void worker.terminate();
      if (m.facts) resolve(m.facts);
      else reject(new Error(m.error));
    });
    worker.once("error", reject);
    signal?.addEventListener("abort", () => {
      void worker.terminate();
      reject(signal.reason);
    });
  });
}

/**
 * One streaming pass over the file: its SHA-256 (the file's identity for provenance and
 * idempotence) and the byte facts the bulk loader needs. Memory stays at one read buffer.
 */
export async function scanFile(
  path: string,
  quoteChar: string | null,
  signal?: AbortSignal,
): Promise<ScannedFile> {
  const { bytes } = statOf(path);
  let facts: ByteFacts;
  try {
    facts = await byteFactsInWorker(path, quoteChar ? quoteChar.charCodeAt(0) : -1, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new UnusableInputError(`${path}: cannot read the file (${(error as Error).message})`);
  }
  const present = new Set(facts.present);
  const { containsQuote, containsCr } = facts;
  const free = LINE_DELIMITER_CANDIDATES.find((c) => !present.has(c));
  if (free === undefined) {
    throw new UnusableInputError(`${path}: holds binary control characters throughout; is it a text file?`);
  }
  return {
    path,
    name: basename(path),
    sha256: facts.sha256 as Sha256,
    bytes,
    lineDelimiter: String.fromCharCode(free),
    containsQuote,
    containsCr,
    readPath: path,
  };
}

/** The file-system facts that identify a file's content as unchanged (see FileFingerprint). */
export function fingerprintOf(path: string): Omit<FileFingerprint, "sha256"> {
  const st = statSync(path, { bigint: true });
  return {
    path: resolve(path),
    device: String(st.dev),
    inode: String(st.ino),
    bytes: Number(st.size),
    mtime_ns: String(st.mtimeNs),
    ctime_ns: String(st.ctimeNs),
  };
}
