import type { EdgeColumns } from "../../src/store/store.js";

/** A transaction as the store holds it: payer and payee keys ("" for cash), time, file, line. */
export type Tx = [from: string, to: string, time: number, fileNo: number, line: number];

/** Graph columns of transactions as the store exports them: keys sorted, edges in (time, file, line) order. */
export function columnsOf(txs: readonly Tx[]): EdgeColumns {
  const sorted = [...txs].sort((a, b) => a[2] - b[2] || a[3] - b[3] || a[4] - b[4]);
  const accounts = [...new Set(sorted.flatMap((t) => [t[0], t[1]]).filter((k) => k !== ""))].sort();
  const at = (k: string) => (k === "" ? -1 : accounts.indexOf(k));
  return {
    accounts,
    from: Int32Array.from(sorted.map((t) => at(t[0]))),
    to: Int32Array.from(sorted.map((t) => at(t[1]))),
    time: Float64Array.from(sorted.map((t) => t[2])),
    amountUsd: Float64Array.from(sorted.map((t) => t[2] * 10 + t[4])),
    channel: Uint8Array.from(sorted.map((t) => t[4] % 7)),
    fileNo: Int32Array.from(sorted.map((t) => t[3])),
    line: Int32Array.from(sorted.map((t) => t[4])),
    files: new Map([...new Set(sorted.map((t) => t[3]))].map((f) => [f, `sha${f}`])),
  };
}

/** A deterministic stream of pseudo-random numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 2 ** 32;
  };
}

// Another deterministic stream in [0, 1), of better quality: the bench files' own.
export { mulberry32 } from "../../bench/amlworld-file.js";
