import type { EdgeColumns } from "./store.js";

/** The per-edge columns of `EdgeColumns`, in one order for every piece that copies or saves them. */
export const EDGE_COLUMN_NAMES = ["from", "to", "time", "amountUsd", "channel", "fileNo", "line"] as const;

/** Columns for `n` edges, zeroed, over these accounts and files. */
export function newEdgeColumns(n: number, accounts: string[], files: Map<number, string>): EdgeColumns {
  return {
    accounts,
    from: new Int32Array(n),
    to: new Int32Array(n),
    time: new Float64Array(n),
    amountUsd: new Float64Array(n),
    channel: new Uint8Array(n),
    fileNo: new Int32Array(n),
    line: new Int32Array(n),
    files,
  };
}
