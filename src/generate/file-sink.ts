import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, renameSync, writeSync } from "node:fs";

/**
 * A text file written in large chunks, hashed (SHA-256) as it is written, under a temporary name
 * until it is complete: a generation that stops half way leaves no file that looks finished.
 */
export class FileSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  // Lines are encoded straight into one reused buffer: no joined strings, no garbage per line.
  private buf: Buffer;
  // The same bytes as a plain Uint8Array, for the byte-level writers (bytes.ts stays monomorphic).
  private bytes8: Uint8Array;
  private pos = 0;
  private closed = false;
  lines = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    chunkBytes = 4 << 20,
  ) {
    this.fd = openSync(`${path}.partial`, "w");
    this.buf = Buffer.allocUnsafeSlow(chunkBytes);
    this.bytes8 = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  private resize(bytes: number): void {
    this.buf = Buffer.allocUnsafeSlow(bytes);
    this.bytes8 = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /** Appends one line (without its newline). */
  line(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    const worst = text.length * 3 + 1;
    if (this.pos + worst > this.buf.length) {
      this.flush();
      if (worst > this.buf.length) this.resize(worst * 2);
    }
    this.pos += this.buf.write(text, this.pos, "utf8");
    this.buf[this.pos++] = 10;
    this.lines++;
  }

  /**
   * Byte-level writing for the hot path: `room` makes space for a line and gives the buffer; the
   * caller writes from `position` (see bytes.ts) and then `advance`s past what it wrote.
   */
  room(bytes: number): Uint8Array {
    if (this.pos + bytes > this.buf.length) {
      this.flush();
      if (bytes > this.buf.length) this.resize(bytes * 2);
    }
    return this.bytes8;
  }

  get position(): number {
    return this.pos;
  }

  /** Moves past `lines` lines just written by hand, ending at `to`. */
  advance(to: number, lines = 1): void {
    this.pos = to;
    this.lines += lines;
  }

  /** The text of the line that started at `start` (before any flush), without its newline. */
  textSince(start: number): string {
    const end = this.buf[this.pos - 1] === 10 ? this.pos - 1 : this.pos;
    return this.buf.toString("utf8", start, end);
  }

  private flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.hash.update(chunk);
    writeSync(this.fd, chunk);
    this.bytes += this.pos;
    this.pos = 0;
  }

  /** Writes what is left, closes, and gives the file its name; returns its SHA-256. */
  finish(): string {
    if (this.closed) throw new Error(`${this.path} is already finished`);
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    renameSync(`${this.path}.partial`, this.path);
    return this.hash.digest("hex");
  }

  /** Closes without naming the file (a failed generation). */
  abandon(): void {
    if (this.closed) return;
    closeSync(this.fd);
    this.closed = true;
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a text, for `FileSink.put`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A CSV field: quoted only when it holds the delimiter, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
