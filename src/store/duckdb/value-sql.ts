import type { TimeFormat } from "../../ingest/date-pattern.js";
import { lit } from "../../util/sql.js";

/** SQL over a text value `v` giving a UTC TIMESTAMP, or NULL when the text does not fit the format. */
export function timestampSql(v: string, format: TimeFormat, timezone: string): string {
  const local = (ts: string) =>
    timezone === "UTC" ? ts : `timezone('UTC', timezone(${lit(timezone)}, ${ts}))`;
  switch (format.kind) {
    case "iso": {
      const withOffset = `timezone('UTC', try_cast(${v} AS TIMESTAMPTZ))`;
      if (timezone === "UTC") return withOffset;
      // An explicit offset or Z wins over the mapping's default zone.
      return `(CASE WHEN regexp_matches(${v}, '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') THEN ${withOffset} ELSE ${local(`try_cast(${v} AS TIMESTAMP)`)} END)`;
    }
    case "pattern": {
      const text = format.zuluSuffix ? `regexp_replace(${v}, 'Z$', '+00:00')` : v;
      const parsed = `try_strptime(${text}, ${lit(format.strptime)})`;
      return format.hasZone ? `timezone('UTC', ${parsed})` : local(parsed);
    }
    case "unix-s":
      return epochMicrosSql(v, 1e6, 1e11);
    case "unix-ms":
      return epochMicrosSql(v, 1e3, 1e14);
    case "days-since":
      return `(CAST(DATE ${lit(format.epoch)} AS TIMESTAMP) + to_microseconds(${guardedMicros(v, 86_400e6, 1e6)}))`;
  }
}

function guardedMicros(v: string, factor: number, limit: number): string {
  const n = `try_cast(${v} AS DOUBLE)`;
  return `(CASE WHEN abs(${n}) < ${limit} THEN CAST(round(${n} * ${factor}) AS BIGINT) END)`;
}

function epochMicrosSql(v: string, factor: number, limit: number): string {
  return `make_timestamp(${guardedMicros(v, factor, limit)})`;
}

/** SQL giving a DATE from the first format that reads the text, else NULL. */
export function dateSql(v: string, formats: TimeFormat[]): string {
  const tries = formats.map((f) =>
    f.kind === "iso" ? `try_cast(${v} AS DATE)` : `CAST(${timestampSql(v, f, "UTC")} AS DATE)`,
  );
  return tries.length === 1 ? (tries[0] as string) : `coalesce(${tries.join(", ")})`;
}

const PLAIN_DECIMAL = "'-?[0-9]+(\\.[0-9]+)?'";

/**
 * SQL normalising an amount's text to an exact decimal string (`1,234.50` → `1234.50`, or with a
 * decimal comma `1.234,50` → `1234.50`); a text that is no number stays as it is and fails
 * `isDecimalSql`. Thousands separators are removed only where they group by three, so that `12,5`
 * is never read as 125.
 */
export function decimalSql(v: string, decimalComma: boolean): string {
  const s = `regexp_replace(${v}, '[\\s''_+]', '', 'g')`;
  const grouped = decimalComma
    ? `CASE WHEN regexp_full_match(${s}, '-?[0-9]{1,3}(\\.[0-9]{3})+(,[0-9]+)?') THEN replace(replace(${s}, '.', ''), ',', '.') ELSE replace(${s}, ',', '.') END`
    : `CASE WHEN regexp_full_match(${s}, '-?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?') THEN replace(${s}, ',', '') ELSE ${s} END`;
  // Most rows are already plain; only the rest pay for the regular expressions.
  const fast = decimalComma
    ? `regexp_full_match(${v}, '-?[0-9]+')`
    : `regexp_full_match(${v}, ${PLAIN_DECIMAL})`;
  return `(CASE WHEN ${fast} THEN ${v} ELSE ${grouped} END)`;
}

export function isDecimalSql(v: string): string {
  return `regexp_full_match(${v}, ${PLAIN_DECIMAL})`;
}
