import { sharedArray } from "../util/shared-array.js";
import type { EdgeColumns } from "./store.js";

/** The per-edge columns of `EdgeColumns`, in one order for every piece that copies or saves them. */
export const EDGE_COLUMN_NAMES = ["from", "to", "time", "amountUsd", "channel", "fileNo", "line"] as const;

/**
 * Columns for `n` edges, zeroed, over these accounts and files: in shared memory, so that a
 * detection worker reads them as they are (`src/util/shared-array.ts`).
 */
export function newEdgeColumns(n: number, accounts: string[], files: Map<number, string>): EdgeColumns {
  return {
    accounts,
    from: sharedArray(Int32Array, n),
    to: sharedArray(Int32Array, n),
    time: sharedArray(Float64Array, n),
    amountUsd: sharedArray(Float64Array, n),
    channel: sharedArray(Uint8Array, n),
    fileNo: sharedArray(Int32Array, n),
    line: sharedArray(Int32Array, n),
    files,
  };
}
