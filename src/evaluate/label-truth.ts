import type { LabelledTransaction } from "../store/store.js";
import { idKey } from "./amlsim-alerts.js";
import { type PatternBlock, transactionKey } from "./amlworld-patterns.js";
import type { DetectionTruth } from "./detection.js";

/**
 * The truth of data that came with its own labels (`evaluate --labels`): the transactions the
 * source labelled as laundering, as stored at ingest, typed by the attempts of a patterns file
 * when one is given (AMLworld's `*_Patterns.txt`). A labelled transaction in no attempt has the
 * typology `laundering` (about 38% of HI-Small's: not every laundering transaction belongs to a
 * pattern). An AMLSim alert_transactions.csv types them the same way, by transaction id
 * (`amlsim-alerts.ts`). Accounts are both accounts of each labelled transaction, with its typology; there are
 * no hard negatives. A SourceRef is placed when its file holds labels.
 */

/** The typology of a labelled transaction that no attempt of the patterns file holds. */
export const UNPATTERNED = "laundering";

export interface PatternMatch {
  blocks: number;
  rows: number;
  /** Rows matched to a labelled transaction of the workspace. */
  matched: number;
}

export function labelTruth(
  labelled: readonly LabelledTransaction[],
  blocks?: readonly PatternBlock[],
): { truth: DetectionTruth; files: number; patterns: PatternMatch | null } {
  const files = new Set(labelled.map((t) => t.file));
  const ref = (t: LabelledTransaction) => `${t.file}:${t.line}`;
  // Typologies per labelled transaction, from the attempts that hold it (in file order).
  const typed = new Map<string, { typology: string; instance: string }[]>();
  let patterns: PatternMatch | null = null;
  if (blocks) {
    // Rows name transactions by content; equal rows are taken in order, one transaction each,
    // and a row whose transactions are all taken joins the last of them (one transaction in two attempts).
    const byKey = new Map<string, LabelledTransaction[]>();
    for (const t of labelled) for (const key of [transactionKey(t), idKey(t.id)]) listIn(byKey, key).push(t);
    const taken = new Map<string, number>();
    let matched = 0;
    blocks.forEach((b, i) => {
      const instance = `attempt-${String(i + 1).padStart(4, "0")}`;
      for (const row of b.rows) {
        const candidates = byKey.get(row.key) ?? [];
        if (candidates.length === 0) continue;
        const next = taken.get(row.key) ?? 0;
        const t = candidates[Math.min(next, candidates.length - 1)] as LabelledTransaction;
        taken.set(row.key, next + 1);
        listIn(typed, ref(t)).push({ typology: b.typology, instance });
        matched += 1;
      }
    });
    patterns = { blocks: blocks.length, rows: blocks.reduce((n, b) => n + b.rows.length, 0), matched };
  }
  const transactions: { key: string; typology: string; instance: string }[] = [];
  const accounts: { account: string; typology: string }[] = [];
  for (const t of labelled) {
    const types = typed.get(ref(t)) ?? [{ typology: UNPATTERNED, instance: ref(t) }];
    for (const { typology, instance } of types) {
      transactions.push({ key: ref(t), typology, instance });
      for (const a of new Set([t.from, t.to])) if (a !== null) accounts.push({ account: a, typology });
    }
  }
  const instances = [...new Map(transactions.map((t) => [t.instance, t.typology])).entries()].map(
    ([instance, typology]) => ({ instance, typology }),
  );
  return {
    truth: {
      keyOf: (s) => (files.has(s.file) ? `${s.file}:${s.line}` : null),
      transactions,
      accounts,
      instances,
      hardNegatives: [],
    },
    files: files.size,
    patterns,
  };
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}
