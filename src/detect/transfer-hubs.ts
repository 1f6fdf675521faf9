import type { MoneyGraph } from "../graph/money-graph.js";
import {
  carriedTransferHubs,
  HUB_SIDE,
  hubSide,
  TRANSFER_HUBS_KEY,
  withHubSide,
} from "./carried-measures.js";
import { transferCounterpartiesOver } from "./degrees.js";
import { memoised } from "./graph-memo.js";

/**
 * Whether an account is a hub of transfers on one side: more than `bar` distinct payees ("out")
 * or payers ("in") by payments without a merchant code. Where the data has merchant codes, a
 * shop's card customers or a person's shops make no hub of transfers; the fans and the motifs ask
 * it of the accounts over the bar by all their counterparties (there are few). Counting one costs
 * its whole list when it stays under the bar (a shop's card customers, 0.1 s a run on 5M
 * transactions with details), so each side's answer is kept per graph and carried to the next
 * run's (`carriedTransferHubs`).
 */
export interface TransferHubs {
  over(a: number, side: "in" | "out"): boolean;
}

export function transferHubs(g: MoneyGraph, bar: number, mcc: Int32Array): TransferHubs {
  return memoised(g, `transfer-hub-view:${bar}`, () => {
    const key = `${TRANSFER_HUBS_KEY}${bar}`;
    const state = memoised(
      g,
      key,
      () => carriedTransferHubs(g, key, (e) => (mcc[e] as number) < 0) ?? new Uint8Array(g.accounts.length),
    );
    // One token per count: a counterparty is counted once per count.
    const stamp = new Int32Array(g.accounts.length).fill(-1);
    let token = 0;
    return {
      over(a, side) {
        const shift = HUB_SIDE[side];
        let v = hubSide(state[a] as number, shift);
        if (v === 0) {
          const start = side === "in" ? g.inStart : g.outStart;
          const list = side === "in" ? g.inEdges : g.outEdges;
          const ends = side === "in" ? g.from : g.to;
          const lo = start[a] as number;
          const hi = start[a + 1] as number;
          v = transferCounterpartiesOver(a, lo, hi, list, ends, mcc, bar, stamp, token++) ? 1 : 2;
          state[a] = withHubSide(state[a] as number, shift, v);
        }
        return v === 1;
      },
    };
  });
}
