import type { TraceMethod } from "./allocation.js";
import { forEachLedgerEntry, type MoneyGraph } from "./money-graph.js";

/**
 * What each payment out of an account was made of: for every debit, the credits (by edge) it
 * drew on and how much from each, by an allocation method; money beyond the balance comes from
 * before the window (edge -1). The backward counterpart of allocation.ts: where forward tracing
 * asks how much of a payment was traced money, backward tracing asks which receipts paid it.
 */

export interface Part {
  /** The credit edge, or -1 for money from before the window (an unknown opening balance). */
  edge: number;
  amount: number;
}

const EPSILON = 1e-6;

/** Lots still in the account: the credit each came from and what is left of it. */
interface Lots {
  edges: number[];
  left: number[];
  head: number;
}

function take(lots: Lots, amount: number, method: TraceMethod): Part[] {
  const parts: Part[] = [];
  let need = amount;
  if (method === "pro-rata") {
    let total = 0;
    for (let k = lots.head; k < lots.left.length; k++) total += lots.left[k] as number;
    const share = total > 0 ? Math.min(1, need / total) : 0;
    for (let k = lots.head; k < lots.left.length && share > 0; k++) {
      const part = (lots.left[k] as number) * share;
      if (part > EPSILON) parts.push({ edge: lots.edges[k] as number, amount: part });
      lots.left[k] = (lots.left[k] as number) - part;
      need -= part;
    }
    while (lots.head < lots.left.length && (lots.left[lots.head] as number) <= EPSILON) lots.head++;
  } else {
    while (need > EPSILON && lots.left.length > lots.head) {
      const k = method === "lifo" ? lots.left.length - 1 : lots.head;
      const part = Math.min(lots.left[k] as number, need);
      parts.push({ edge: lots.edges[k] as number, amount: part });
      need -= part;
      lots.left[k] = (lots.left[k] as number) - part;
      if ((lots.left[k] as number) <= EPSILON) {
        if (method === "lifo") {
          lots.left.pop();
          lots.edges.pop();
        } else lots.head++;
      }
    }
  }
  if (need > EPSILON) parts.push({ edge: -1, amount: need });
  return parts;
}

/**
 * The composition of every debit of `account` in the window, by FIFO, LIFO or pro-rata. (LIBR
 * says how much traced money a balance keeps, not which receipt paid a payment: it has no
 * backward form.)
 */
export function debitCompositions(
  g: MoneyGraph,
  account: number,
  method: Exclude<TraceMethod, "libr">,
  inWindow: (edge: number) => boolean,
): Map<number, Part[]> {
  const lots: Lots = { edges: [], left: [], head: 0 };
  const out = new Map<number, Part[]>();
  forEachLedgerEntry(g, account, g.edgeCount, (edge, credit) => {
    if (!inWindow(edge)) return;
    const amount = g.amountUsd[edge] as number;
    if (credit) {
      lots.edges.push(edge);
      lots.left.push(amount);
    } else out.set(edge, take(lots, amount, method));
  });
  return out;
}
