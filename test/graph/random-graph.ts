import { buildMoneyGraph, type MoneyGraph } from "../../src/graph/money-graph.js";
import { random } from "./columns-of.js";

/**
 * A random money graph shaped like the bench world in small: a few hubs paying many, a few sinks
 * paid by many, cash in and out, self-transfers, and many payments at the same instant (minutes,
 * as in AMLworld files). For comparing a query with a plain version of it on many cases.
 */
export function randomGraph(seed: number, accounts = 60, edges = 3000): MoneyGraph {
  const rand = random(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const hubs = 3;
  const sinks = 3;
  const from = new Int32Array(edges);
  const to = new Int32Array(edges);
  const time = new Float64Array(edges);
  const amountUsd = new Float64Array(edges);
  let t = 0;
  for (let e = 0; e < edges; e++) {
    // About one payment in three at the same minute as the one before.
    if (rand() > 0.35) t += 60_000 * (1 + pick(30));
    time[e] = t;
    const r = rand();
    from[e] = r < 0.3 ? pick(hubs) : r < 0.35 ? -1 : pick(accounts);
    const s = rand();
    to[e] = s < 0.25 ? hubs + pick(sinks) : s < 0.3 ? -1 : pick(accounts);
    if (from[e] === -1 && to[e] === -1) to[e] = pick(accounts);
    if (rand() < 0.02 && (from[e] as number) >= 0) to[e] = from[e] as number;
    amountUsd[e] = Math.round(rand() ** 2 * 500_000) / 100;
  }
  return buildMoneyGraph({
    accounts: Array.from({ length: accounts }, (_, i) => `r${String(i).padStart(3, "0")}`),
    from,
    to,
    time,
    amountUsd,
    channel: Uint8Array.from({ length: edges }, () => pick(4)),
    fileNo: new Int32Array(edges).fill(1),
    line: Int32Array.from({ length: edges }, (_, i) => i + 2),
    files: new Map([[1, "f".repeat(64)]]),
  });
}
