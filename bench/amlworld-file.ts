import { closeSync, openSync, writeSync } from "node:fs";

/**
 * A fast, deterministic writer of synthetic IBM AMLworld transactions files (the shape of
 * `HI-Small_Trans.csv`): the same (rows, seed) always gives the same bytes.
 *
 * Realism, roughly: about rows/10 accounts with zero-padded bank ids and 9-hex-digit account
 * numbers, chosen with a heavy tail (a few accounts are very busy); timestamps increasing over
 * about 18 days from 2022/09/01; log-normal amounts with 2 decimals; mostly US Dollar and Euro but
 * all 15 AMLworld currencies; the 7 payment formats; about 2% cross-currency rows; about 0.1%
 * laundering labels.
 */

export const AMLWORLD_HEADER_LINE =
  "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

/** A small, fast, seedable PRNG (mulberry32): floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Currency name, weight (per 100) and approximate USD per unit in 2022. */
const CURRENCIES: [string, number, number][] = [
  ["US Dollar", 40, 1],
  ["Euro", 20, 1.05],
  ["Yuan", 6, 0.148],
  ["Yen", 5, 0.0076],
  ["Rupee", 4, 0.0126],
  ["Ruble", 4, 0.0145],
  ["Swiss Franc", 3, 1.05],
  ["Shekel", 3, 0.3],
  ["Canadian Dollar", 3, 0.77],
  ["Australian Dollar", 3, 0.69],
  ["Mexican Peso", 2, 0.05],
  ["Brazil Real", 2, 0.19],
  ["Saudi Riyal", 2, 0.266],
  ["UK Pound", 2, 1.237],
  ["Bitcoin", 1, 20000],
];
const BITCOIN = CURRENCIES.length - 1;

/** Payment formats other than Bitcoin (used only, and always, with the Bitcoin currency), weights per 100. */
const FORMATS: [string, number][] = [
  ["Cheque", 31],
  ["Credit Card", 26],
  ["ACH", 16],
  ["Cash", 12],
  ["Reinvestment", 9],
  ["Wire", 6],
];

/** A 1024-slot lookup table for a weighted choice: `table[(u * 1024) | 0]`. */
function weightedTable(weights: number[]): Uint8Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Uint8Array(1024);
  let acc = 0;
  let k = 0;
  for (let slot = 0; slot < 1024; slot++) {
    while (k < weights.length - 1 && (slot + 0.5) / 1024 > (acc + (weights[k] as number)) / total) {
      acc += weights[k] as number;
      k++;
    }
    table[slot] = k;
  }
  return table;
}

const HEX = "0123456789ABCDEF";
const BATCH = 50_000;
/** Longer than any line the writer makes (about 130 bytes at most). */
const MAX_LINE = 192;
const START_MS = Date.UTC(2022, 8, 1, 0, 0);
const SPAN_MINUTES = 18 * 24 * 60;
const COMMA = 0x2c;
/** Bytes per account in the flat pool: `bank,account,` is at most 6 + 1 + 9 + 1. */
const STRIDE = 20;
const DOT = 0x2e;
const NEWLINE = 0x0a;
const ZERO = 0x30;

function ascii(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, "latin1"));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `yyyy/MM/dd HH:mm` for a minute offset from 2022/09/01 00:00 UTC. */
function formatMinute(minute: number): string {
  const d = new Date(START_MS + minute * 60_000);
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/**
 * The account pool as one flat array: account k's `bank,account,` bytes start at k * STRIDE (a
 * line copies them from there: fast and cache-friendly), its length in `length[k]`.
 */
function accountPool(size: number, random: () => number): { bytes: Uint8Array; length: Uint8Array } {
  const bankCount = Math.max(1, Math.round(size / 8));
  const banks: string[] = [];
  for (let b = 0; b < bankCount; b++) {
    const width = 3 + Math.floor(random() * 4);
    // Skewed to small numbers so that leading zeros are common (`010`, `021174`).
    const n = Math.floor(random() * random() * 10 ** width);
    banks.push(String(n).padStart(width, "0"));
  }
  const bytes = new Uint8Array(size * STRIDE);
  const length = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    // Banks too have a heavy tail: a few large banks hold many accounts.
    const bank = banks[Math.floor(random() ** 2 * bankCount)] as string;
    let p = k * STRIDE;
    for (let c = 0; c < bank.length; c++) bytes[p++] = bank.charCodeAt(c);
    bytes[p++] = COMMA;
    bytes[p++] = 0x38; // "8"
    for (let h = 0; h < 8; h++) bytes[p++] = HEX.charCodeAt((random() * 16) | 0);
    bytes[p++] = COMMA;
    length[k] = p - k * STRIDE;
  }
  return { bytes, length };
}

/** Copies piece `k` of a flat pieces array (STRIDE bytes each) to `pos` of `to`; returns the new end. */
function putPiece(to: Uint8Array, pos: number, bytes: Uint8Array, length: Uint8Array, k: number): number {
  const start = k * STRIDE;
  const end = start + (length[k] as number);
  let p = pos;
  for (let i = start; i < end; i++) to[p++] = bytes[i] as number;
  return p;
}

/** Short texts laid out like the pool (STRIDE bytes each) for `putPiece`. */
function pieces(texts: string[]): { bytes: Uint8Array; length: Uint8Array } {
  const bytes = new Uint8Array(texts.length * STRIDE);
  texts.forEach((t, k) => {
    if (t.length > STRIDE) throw new Error(`piece "${t}" is longer than ${STRIDE} bytes`);
    bytes.set(ascii(t), k * STRIDE);
  });
  return { bytes, length: Uint8Array.from(texts, (t) => t.length) };
}

/** Writes money from a whole number of cents (digits, a dot, two decimals) at `pos`; returns the new end. */
function putCents(buf: Uint8Array, pos: number, cents: number): number {
  let whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  // Count the digits, then write them from the right.
  let n = 1;
  for (let w = whole; w >= 10; w = Math.floor(w / 10)) n++;
  let p = pos + n;
  do {
    const q = Math.floor(whole / 10);
    buf[--p] = ZERO + (whole - q * 10);
    whole = q;
  } while (whole > 0);
  p = pos + n;
  buf[p++] = DOT;
  const tens = Math.floor(frac / 10);
  buf[p++] = ZERO + tens;
  buf[p++] = ZERO + (frac - tens * 10);
  return p;
}

/** Writes `rows` synthetic AMLworld transactions (plus the header line) to `path`, ending with a newline. */
export function writeAmlworldFile(path: string, rows: number, seed: number): void {
  const random = mulberry32(seed);
  const size = Math.max(2, Math.round(rows / 10));
  const pool = accountPool(size, random);
  const currencyTable = weightedTable(CURRENCIES.map((c) => c[1]));
  const formatTable = weightedTable(FORMATS.map((f) => f[1]));
  // Pieces of a line with their commas: `,Currency,` and `Format,` (the last one is Bitcoin's).
  const names = pieces(CURRENCIES.map((c) => `,${c[0]},`));
  const usdPerUnit = Float64Array.from(CURRENCIES.map((c) => c[2]));
  const formats = pieces([...FORMATS.map((f) => `${f[0]},`), "Bitcoin,"]);
  const bitcoinFormat = FORMATS.length;
  const reinvestment = FORMATS.findIndex((f) => f[0] === "Reinvestment");
  const buf = new Uint8Array(BATCH * MAX_LINE);

  const fd = openSync(path, "w");
  try {
    writeSync(fd, `${AMLWORLD_HEADER_LINE}\n`);
    let lastMinute = -1;
    let stamp = pieces([`${formatMinute(0)},`]);
    let spare = Number.NaN;
    for (let start = 0; start < rows; start += BATCH) {
      const end = Math.min(rows, start + BATCH);
      let pos = 0;
      for (let i = start; i < end; i++) {
        const minute = Math.floor((i * SPAN_MINUTES) / rows);
        if (minute !== lastMinute) {
          lastMinute = minute;
          stamp = pieces([`${formatMinute(minute)},`]);
        }
        // Heavy tail: u^2.5 crowds the choices onto the first accounts of the (random) pool.
        const u1 = random();
        const from = Math.floor(u1 * u1 * Math.sqrt(u1) * size);
        const paidCurrency = currencyTable[(random() * 1024) | 0] as number;
        const format =
          paidCurrency === BITCOIN ? bitcoinFormat : (formatTable[(random() * 1024) | 0] as number);
        let to = from;
        if (format !== reinvestment) {
          const u2 = random();
          to = Math.floor(u2 * u2 * Math.sqrt(u2) * size);
        }
        // Log-normal amount in USD (median about 400), by Box-Muller with its spare normal kept.
        let z: number;
        if (Number.isNaN(spare)) {
          const r = Math.sqrt(-2 * Math.log(1 - random()));
          const theta = 2 * Math.PI * random();
          z = r * Math.cos(theta);
          spare = r * Math.sin(theta);
        } else {
          z = spare;
          spare = Number.NaN;
        }
        const usd = Math.exp(6 + 1.6 * z);
        const paidCents = Math.max(1, Math.round((usd * 100) / (usdPerUnit[paidCurrency] as number)));
        let receivedCurrency = paidCurrency;
        let receivedCents = paidCents;
        if (paidCurrency !== BITCOIN && random() < 0.02) {
          let other = currencyTable[(random() * 1024) | 0] as number;
          if (other === paidCurrency || other === BITCOIN) other = paidCurrency === 0 ? 1 : 0;
          receivedCurrency = other;
          // Amount Received = Amount Paid × the paid-to-received rate.
          receivedCents = Math.max(
            1,
            Math.round((paidCents * (usdPerUnit[paidCurrency] as number)) / (usdPerUnit[other] as number)),
          );
        }
        pos = putPiece(buf, pos, stamp.bytes, stamp.length, 0);
        pos = putPiece(buf, pos, pool.bytes, pool.length, from);
        pos = putPiece(buf, pos, pool.bytes, pool.length, to);
        pos = putCents(buf, pos, receivedCents);
        pos = putPiece(buf, pos, names.bytes, names.length, receivedCurrency);
        pos = putCents(buf, pos, paidCents);
        pos = putPiece(buf, pos, names.bytes, names.length, paidCurrency);
        pos = putPiece(buf, pos, formats.bytes, formats.length, format);
        buf[pos++] = random() < 0.001 ? ZERO + 1 : ZERO;
        buf[pos++] = NEWLINE;
      }
      let written = 0;
      while (written < pos) written += writeSync(fd, buf, written, pos - written);
    }
  } finally {
    closeSync(fd);
  }
}
