import { UnusableInputError } from "../ingest/errors.js";
import { AMLWORLD_PAYMENT_FORMATS } from "../model/channel.js";
import type { LabelledTransaction } from "../store/store.js";

/**
 * AMLworld's `*_Patterns.txt` (typologies.md §3.2): the laundering attempts of a data set, each a
 * block of its transactions in the transactions file's format, between
 * `BEGIN LAUNDERING ATTEMPT - <TYPE>[: <qualifier>]` and `END LAUNDERING ATTEMPT - <TYPE>`.
 * `moneytrail generate` writes one in the same format. Read here into blocks whose rows carry the
 * key a stored transaction is matched by (`transactionKey`): the file itself has no ids.
 */

export interface PatternBlock {
  /** The attempt's type as a typology id: FAN-IN is `fan-in`. */
  typology: string;
  /** What follows the colon ("Max 16-degree Fan-Out"), or "". */
  qualifier: string;
  /** The line of its BEGIN marker (1-based). */
  line: number;
  /** Its transactions: each one's line in the patterns file and its key. */
  rows: { line: number; key: string }[];
}

/** What names one transaction across files that give it no id: as a labelled transaction holds it. */
export type TransactionFields = Pick<
  LabelledTransaction,
  "ts" | "from" | "to" | "amount" | "currency" | "channel"
>;

/** A decimal without sign noise or trailing zeros: "10.000000" and "10" are one amount. */
function plainDecimal(text: string): string {
  const t = text.trim().replace(/^\+/, "");
  if (!/^-?\d*\.?\d+$/.test(t)) return t;
  const [whole = "", fraction = ""] = t.split(".");
  const w = whole.replace(/^(-?)0+(?=\d)/, "$1");
  const f = fraction.replace(/0+$/, "");
  return f === "" ? w : `${w}.${f}`;
}

export function transactionKey(t: TransactionFields): string {
  return [t.ts, t.from ?? "", t.to ?? "", plainDecimal(t.amount), t.currency, t.channel].join("|");
}

const BEGIN = /^BEGIN LAUNDERING ATTEMPT\s*-\s*([A-Za-z-]+?)\s*(?::\s*(.*))?$/;
const END = /^END LAUNDERING ATTEMPT(?:\s*-\s*([A-Za-z-]+))?\s*$/;
const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})$/;
const FORMATS = new Map(Object.entries(AMLWORLD_PAYMENT_FORMATS).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * The blocks of a patterns file's text. `currencyOf` turns a currency name or code into its ISO
 * code (the FX table's aliases), undefined when unknown. Anything that is not a marker, a row
 * inside a block or a blank line is refused with its line.
 */
export function parseAmlworldPatterns(
  text: string,
  name: string,
  currencyOf: (nameOrCode: string) => string | undefined,
): PatternBlock[] {
  const blocks: PatternBlock[] = [];
  let open: PatternBlock | null = null;
  const refused = (line: number, why: string) => new UnusableInputError(`${name}: line ${line}: ${why}`);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let last = 0;
  for (const [i, raw] of lines.entries()) {
    const n = i + 1;
    const line = raw.trim();
    if (line === "") continue;
    last = n;
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open) throw refused(n, `a BEGIN marker inside the attempt begun on line ${open.line}`);
      open = {
        typology: (begin[1] ?? "").toLowerCase(),
        qualifier: begin[2]?.trim() ?? "",
        line: n,
        rows: [],
      };
      continue;
    }
    const end = END.exec(line);
    if (end) {
      if (!open) throw refused(n, "an END marker outside any attempt");
      if (end[1] && end[1].toLowerCase() !== open.typology)
        throw refused(
          n,
          `END ${end[1]} closes the ${open.typology.toUpperCase()} attempt begun on line ${open.line}`,
        );
      blocks.push(open);
      open = null;
      continue;
    }
    if (!open) throw refused(n, `a transaction outside any attempt: "${line.slice(0, 80)}"`);
    const f = line.split(",").map((v) => v.trim());
    if (f.length !== 10 && f.length !== 11)
      throw refused(n, `expected 10 or 11 comma-separated fields, got ${f.length}`);
    const ts = TIMESTAMP.exec(f[0] ?? "");
    if (!ts) throw refused(n, `Timestamp "${f[0]}" is not yyyy/MM/dd HH:mm`);
    const currency = currencyOf(f[8] ?? "");
    if (!currency) throw refused(n, `Payment Currency "${f[8]}" is not a known currency`);
    const channel = FORMATS.get((f[9] ?? "").toLowerCase());
    if (!channel) throw refused(n, `Payment Format "${f[9]}" is not one of AMLworld's`);
    const [, y, mo, d, h, mi] = ts.map(Number) as number[];
    open.rows.push({
      line: n,
      key: transactionKey({
        ts: Date.UTC(y as number, (mo as number) - 1, d, h, mi),
        from: `${f[1]}:${f[2]}`,
        to: `${f[3]}:${f[4]}`,
        amount: f[7] ?? "",
        currency,
        channel,
      }),
    });
  }
  const unclosed = open as PatternBlock | null;
  if (unclosed) throw refused(last, `the attempt begun on line ${unclosed.line} has no END marker`);
  return blocks;
}
