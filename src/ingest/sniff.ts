import { splitCsvLine } from "./csv-line.js";
import { UnusableInputError } from "./errors.js";

export interface Dialect {
  delimiter: string;
  /** Null when the file uses no quoting. */
  quote: string | null;
  /** 1-based line number of the header (the first non-blank line). */
  headerLine: number;
  header: string[];
}

const DELIMITERS = [",", ";", "\t", "|"] as const;
const QUOTES = ['"', "'"] as const;
const SAMPLE_LINES = 50;

function sampleLines(head: string): { lines: string[]; firstNonBlank: number } {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const all = text.split(/\r?\n/);
  // The last piece may be cut mid-line by the sample's end.
  if (all.length > 1) all.pop();
  const firstNonBlank = all.findIndex((l) => l.trim() !== "");
  return {
    lines: all.filter((l) => l.trim() !== "").slice(0, SAMPLE_LINES),
    firstNonBlank: firstNonBlank + 1,
  };
}

function consistency(lines: string[], delimiter: string, quote: string | null): number {
  const counts = lines.map((l) => splitCsvLine(l, delimiter, quote)?.length ?? -1);
  const first = counts[0] ?? 1;
  if (first < 2) return 0;
  return counts.filter((c) => c === first).length / counts.length + first / 1000;
}

/**
 * Guesses delimiter and quote from the first lines of a file, the way a person would: the
 * candidate that splits every sampled line into the same number (≥ 2) of fields wins. A mapping may
 * fix either instead.
 */
export function sniffDialect(
  head: string,
  fixed: { delimiter?: string; quote?: string | null } = {},
  name = "file",
): Dialect {
  const { lines, firstNonBlank } = sampleLines(head);
  if (lines.length === 0) throw new UnusableInputError(`${name}: the file is empty (no header line)`);
  const quotes: (string | null)[] = fixed.quote !== undefined ? [fixed.quote] : [...QUOTES];
  const delimiters = fixed.delimiter ? [fixed.delimiter] : [...DELIMITERS];
  let best: { delimiter: string; quote: string | null; score: number } | undefined;
  for (const delimiter of delimiters) {
    for (const quote of quotes) {
      const score = consistency(lines, delimiter, quote);
      if (!best || score > best.score) best = { delimiter, quote, score };
    }
  }
  if (!best || best.score === 0) {
    if (fixed.delimiter) best = { delimiter: fixed.delimiter, quote: quotes[0] ?? null, score: 0 };
    else
      throw new UnusableInputError(
        `${name}: cannot tell the delimiter (tried , ; tab |): is this a CSV file?`,
      );
  }
  const header = splitCsvLine(lines[0] as string, best.delimiter, best.quote);
  if (!header)
    throw new UnusableInputError(`${name}: line ${firstNonBlank}: the header has a quote that never closes`);
  return {
    delimiter: best.delimiter,
    quote: best.quote,
    headerLine: firstNonBlank,
    header: header.map((h) => h.trim()),
  };
}
