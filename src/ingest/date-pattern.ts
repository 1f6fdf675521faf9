import { UnusableInputError } from "./errors.js";

/**
 * How a mapping says a timestamp is written (DESIGN §4): a Unicode date pattern
 * (`yyyy-MM-dd HH:mm:ss`), or `unix-s`, `unix-ms`, `days-since:YYYY-MM-DD`; or `iso` (the default:
 * ISO 8601 dates and date-times, with or without an offset).
 */
export type TimeFormat =
  | { kind: "iso" }
  | { kind: "pattern"; pattern: string; strptime: string; hasZone: boolean; zuluSuffix: boolean }
  | { kind: "unix-s" }
  | { kind: "unix-ms" }
  | { kind: "days-since"; epoch: string };

// Longest tokens first so that `MMMM` is not read as `MM` twice.
const TOKENS: [string, string][] = [
  ["yyyy", "%Y"],
  ["yy", "%y"],
  ["y", "%Y"],
  ["MMMM", "%B"],
  ["MMM", "%b"],
  ["MM", "%m"],
  ["M", "%-m"],
  ["dd", "%d"],
  ["d", "%-d"],
  ["EEEE", "%A"],
  ["EEE", "%a"],
  ["HH", "%H"],
  ["H", "%-H"],
  ["hh", "%I"],
  ["h", "%-I"],
  ["mm", "%M"],
  ["m", "%-M"],
  ["ss", "%S"],
  ["s", "%-S"],
  ["SSSSSSSSS", "%n"],
  ["SSSSSS", "%f"],
  ["SSS", "%g"],
  ["a", "%p"],
  ["XXX", "%z"],
  ["XX", "%z"],
  ["X", "%z"],
  ["xxx", "%z"],
  ["xx", "%z"],
  ["x", "%z"],
  ["ZZZZZ", "%z"],
  ["Z", "%z"],
];

const LETTER = /[A-Za-z]/;

/** Translates a Unicode (CLDR) date pattern into a strptime format. */
export function unicodeToStrptime(pattern: string): {
  strptime: string;
  hasZone: boolean;
  zuluSuffix: boolean;
} {
  let out = "";
  let hasZone = false;
  let zuluSuffix = false;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw new UnusableInputError(`date pattern "${pattern}": a quote ' never closes`);
      out += end === i + 1 ? "'" : pattern.slice(i + 1, end).replaceAll("%", "%%");
      i = end + 1;
      continue;
    }
    if (!LETTER.test(ch)) {
      out += ch === "%" ? "%%" : ch;
      i += 1;
      continue;
    }
    const token = TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (!token)
      throw new UnusableInputError(`date pattern "${pattern}": unknown field "${ch}" at position ${i + 1}`);
    if (token[1] === "%z") {
      hasZone = true;
      // X-style zones write UTC as "Z", which strptime's %z does not accept.
      if (token[0].startsWith("X")) zuluSuffix = true;
    }
    out += token[1];
    i += token[0].length;
  }
  return { strptime: out, hasZone, zuluSuffix };
}

export function parseTimeFormat(spec: string): TimeFormat {
  if (spec === "iso") return { kind: "iso" };
  if (spec === "unix-s") return { kind: "unix-s" };
  if (spec === "unix-ms") return { kind: "unix-ms" };
  if (spec.startsWith("days-since:")) {
    const epoch = spec.slice("days-since:".length);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(epoch) || Number.isNaN(Date.parse(`${epoch}T00:00:00Z`))) {
      throw new UnusableInputError(`time format "${spec}": days-since needs a date as YYYY-MM-DD`);
    }
    return { kind: "days-since", epoch };
  }
  return { kind: "pattern", pattern: spec, ...unicodeToStrptime(spec) };
}

export function describeTimeFormat(format: TimeFormat): string {
  return format.kind === "pattern"
    ? format.pattern
    : format.kind === "days-since"
      ? `days-since:${format.epoch}`
      : format.kind;
}
