import { describeTimeFormat } from "../../ingest/date-pattern.js";
import { TRANSACTION_MAPPING_FIELDS } from "../../ingest/mapping.js";
import type { ReadPlan } from "../../ingest/plan.js";
import { Channel } from "../../model/channel.js";
import { DERIVED_ID_PREFIX_HEX } from "../../model/ids.js";
import { PARTY_MAPPING_FIELDS } from "../../model/party.js";
import { lit, reEscape } from "../../util/sql.js";
import type { RowTarget } from "./row-target.js";
import { dateSql, decimalSql, isDecimalSql, timestampSql } from "./value-sql.js";

/**
 * Compiles a ReadPlan into DuckDB's bulk-load SQL. The file is first read as one text column per
 * physical line, into a table whose row ids number the lines (so that a broken quote can never
 * swallow the lines after it, and every record keeps its exact line number); then one vectorised
 * pass splits, types and checks the lines and writes those that pass. Each statement is a pure
 * function of the plan: tests read them, the store runs them.
 */

export const LINES = "ingest_lines";
export const REJECTS = "ingest_rejects";
export const SCANS = "ingest_scans";
export const SHIFT = "ingest_shift";
export const REST = "ingest_rest";
export const STAGED = "ingest_staged";

/**
 * Reads the file into a temporary table of lines, in file order, so that a line's number is its
 * row id. (A streaming read numbered WITH ORDINALITY runs on one thread: twice as slow here.)
 */
export function readLinesSql(path: string, lineDelimiter: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${LINES} AS SELECT raw FROM read_csv(${lit(path)},
  columns={'raw': 'VARCHAR'}, header=false, delim=${lit(lineDelimiter)}, quote='', escape='',
  auto_detect=false, store_rejects=true, rejects_table='${REJECTS}', rejects_scan='${SCANS}')`;
}

/**
 * Lines that the reader refused (invalid UTF-8, too long) are missing from the lines table; this
 * maps the ordinal of each kept line back to its physical line number: a kept line after the i-th
 * refused line L_i moves down by i, and the kept ordinal where that starts is L_i - i + 1.
 */
export function shiftSql(): string {
  return `CREATE OR REPLACE TEMP TABLE ${SHIFT} AS
SELECT CAST(line - i + 1 AS BIGINT) AS from_ordinal, max(i) AS shift FROM (
  SELECT line, row_number() OVER (ORDER BY line) AS i FROM (SELECT DISTINCT line FROM ${REJECTS})
) GROUP BY 1`;
}

/** The lines table as a relation (line, raw); `shifted` when the reader refused some lines. */
export function numberedLinesSql(shifted: boolean): string {
  return shifted
    ? `(SELECT l.ord + coalesce(s.shift, 0) AS line, l.raw FROM (SELECT rowid + 1 AS ord, raw FROM ${LINES}) l ASOF LEFT JOIN ${SHIFT} s ON l.ord >= s.from_ordinal)`
    : `(SELECT rowid + 1 AS line, raw FROM ${LINES})`;
}

function splitSql(plan: ReadPlan, containsQuote: boolean): string {
  const { delimiter, quote } = plan.dialect;
  const plain = `string_split(raw, ${lit(delimiter)})`;
  if (!quote || !containsQuote) return plain;
  const q = reEscape(quote);
  const d = reEscape(delimiter);
  const field = `${q}(?:[^${q}]|${q}${q})*${q}|(?:[^${d}${q}][^${d}]*)?`;
  const line = `(?:${field})(?:${d}(?:${field}))*`;
  const unquote = `lambda x: CASE WHEN starts_with(x, ${lit(quote)}) THEN replace(x[2:-2], ${lit(quote + quote)}, ${lit(quote)}) ELSE x END`;
  return `CASE WHEN NOT contains(raw, ${lit(quote)}) THEN ${plain}
    WHEN regexp_full_match(raw, ${lit(line)}) THEN list_transform(regexp_extract_all(raw, ${lit(`(?:^|${d})(${field})`)}, 1), ${unquote})
    END`;
}

/**
 * A field's text without surrounding spaces, empty as NULL. Most fields have no spaces to trim,
 * and testing for them costs a third of trimming every value.
 */
function trimmedSql(x: string): string {
  return `(CASE WHEN ${x} = '' THEN NULL WHEN starts_with(${x}, ' ') OR ends_with(${x}, ' ') THEN nullif(trim(${x}), '') ELSE ${x} END)`;
}

/** The text of a canonical field: its column(s), trimmed, empty as NULL; else its default. */
function valueSql(plan: ReadPlan, field: string): string {
  const cols = plan.columns[field];
  let v: string;
  if (cols && cols.length === 1) v = trimmedSql(`f[${(cols[0] as number) + 1}]`);
  else if (cols) {
    const joined = `concat_ws(' ', ${cols.map((c) => `trim(f[${c + 1}])`).join(", ")})`;
    v = `nullif(trim(regexp_replace(${joined}, '\\s+', ' ', 'g')), '')`;
  } else if (plan.defaults[field] !== undefined) v = lit(plan.defaults[field] as string);
  else return "CAST(NULL AS VARCHAR)";
  const map = plan.values[field];
  if (!map || Object.keys(map).length === 0) return v;
  const whens = Object.entries(map)
    .map(([from, to]) => `WHEN ${lit(from)} THEN ${lit(to)}`)
    .join(" ");
  return `(CASE ${v} ${whens} ELSE ${v} END)`;
}

/** Data lines (after the header, not blank) of a (line, raw) relation. */
function dataLinesSql(plan: ReadPlan): string {
  // Only a line that starts with a space can be blank but for spaces; the rest skip the trim.
  return `line > ${plan.dialect.headerLine} AND raw IS NOT NULL AND raw <> '' AND (NOT starts_with(raw, ' ') OR trim(raw) <> '')`;
}

/** Rows after the header with their line number and fields (NULL fields: quoting is broken). */
function splitCte(plan: ReadPlan, containsQuote: boolean, source: string): string {
  return `split AS (
  SELECT line, raw, ${splitSql(plan, containsQuote)} AS f FROM ${source}
  WHERE ${dataLinesSql(plan)}
)`;
}

interface Check {
  field: string | null;
  failed: string;
  reason: string;
}

/** The number (1-based) of the first check a row fails, or NULL. */
function errorNumber(checks: Check[]): string {
  return `CASE ${checks.map((c, i) => `WHEN ${c.failed} THEN ${i + 1}`).join("\n      ")} END AS err_no`;
}

/**
 * The first failing check names the field and the reason, in words with the offending value.
 * The checks run once (giving its number, `errorNumber`); field and reason then only look it up.
 */
function errorColumns(checks: Check[]): string {
  const field = checks
    .map((c, i) => `WHEN ${i + 1} THEN ${c.field === null ? "NULL" : lit(c.field)}`)
    .join(" ");
  const reason = checks.map((c, i) => `WHEN ${i + 1} THEN ${c.reason}`).join("\n      ");
  return `CASE err_no ${field} END AS err_field,\n    CASE err_no ${reason} END AS err_reason`;
}

function structureChecks(plan: ReadPlan): Check[] {
  const quote = plan.dialect.quote ?? '"';
  return [
    {
      field: null,
      failed: "f IS NULL",
      reason: lit(`broken quoting: a ${quote} opens a field and does not close it on this line`),
    },
    {
      field: null,
      failed: `len(f) <> ${plan.columnCount}`,
      reason: `'expected ${plan.columnCount} columns, found ' || len(f)`,
    },
  ];
}

/**
 * Ground truth keeps positive labels only: AMLworld's `0` (and empty, false, no) means "not
 * laundering", which is what an absent label says, so 99.9% of rows need no label row.
 */
const NEGATIVE_LABELS = ["", "0", "false", "False", "FALSE", "no", "No", "NO"].map(lit).join(", ");

function labelSql(v: string): string {
  // Spelled out rather than lower(): this runs on every row of a labelled file.
  return `CASE WHEN ${v} NOT IN (${NEGATIVE_LABELS}) THEN ${v} END`;
}

/**
 * After the accepted rows have landed: the lines of the file that did not (rejected, or a
 * duplicate of a stored id), plus, where the plan reads a ground-truth label, the landed lines
 * whose label is positive. A small table: most lines are neither.
 */
export function restSql(
  plan: ReadPlan,
  target: RowTarget,
  containsQuote: boolean,
  source: string,
  allLanded: boolean,
): string {
  const labelled = plan.columns.label || plan.defaults.label !== undefined;
  const f = labelled ? `, ${splitSql(plan, containsQuote)} AS f` : "";
  // A plain test on the label's one column: this runs on every line of a labelled file.
  const col =
    plan.columns.label?.length === 1
      ? `trim(f[${(plan.columns.label[0] as number) + 1}])`
      : valueSql(plan, "label");
  const keep = labelled ? `NOT landed OR coalesce(${col} NOT IN (${NEGATIVE_LABELS}), false)` : "NOT landed";
  // When every data line landed (the usual case) no line needs looking up among the landed ones.
  const landed = allLanded
    ? `SELECT n.line, n.raw, true AS landed${f} FROM ${source} n`
    : `SELECT n.line, n.raw, l.source_line IS NOT NULL AS landed${f}
  FROM ${source} n LEFT JOIN (SELECT source_line FROM ${target.table} WHERE ${target.ofFile}) l ON l.source_line = n.line`;
  return `CREATE OR REPLACE TEMP TABLE ${REST} AS
SELECT line, raw, landed FROM (
  ${landed}
  WHERE ${dataLinesSql(plan)}
) WHERE ${keep}`;
}

/** How many data lines (after the header, not blank) a (line, raw) relation holds. */
export function dataLineCountSql(plan: ReadPlan, source: string): string {
  return `SELECT count(*) AS n FROM ${source} WHERE ${dataLinesSql(plan)}`;
}

function quoted(v: string): string {
  return `'''' || ${v} || ''''`;
}

function idSql(plan: ReadPlan, sha: string): string {
  return plan.columns.id ? "v_id" : `${lit(`${sha.slice(0, DERIVED_ID_PREFIX_HEX)}:`)} || line`;
}

/**
 * An account key is `<bank>:<number>`, or `<number>` alone: a bank holding ':' or a bankless
 * number holding ':' would make the key ambiguous, so such rows are refused with that reason.
 */
function keyChecks(bankField: string, numberField: string): Check[] {
  const bank = `v_${bankField}`;
  const number = `v_${numberField}`;
  return [
    {
      field: bankField,
      failed: `contains(${bank}, ':')`,
      reason: `'${bankField} ' || ${quoted(bank)} || ' contains '':'', which separates bank and number in account keys'`,
    },
    {
      field: numberField,
      failed: `${bank} IS NULL AND contains(${number}, ':')`,
      reason: `'${numberField} ' || ${quoted(number)} || ' contains '':'' and has no bank: its key would read as bank:number'`,
    },
  ];
}

function accountChecks(plan: ReadPlan): Check[] {
  const presence: Check[] = plan.requireBothAccounts
    ? [
        { field: "from_account", failed: "v_from_account IS NULL", reason: lit("from_account is missing") },
        { field: "to_account", failed: "v_to_account IS NULL", reason: lit("to_account is missing") },
      ]
    : [
        {
          field: plan.columns.from_account ? "from_account" : "to_account",
          failed: "v_from_account IS NULL AND v_to_account IS NULL",
          reason: lit("no account: from_account and to_account are both empty"),
        },
      ];
  return [...presence, ...keyChecks("from_bank", "from_account"), ...keyChecks("to_bank", "to_account")];
}

/**
 * Transactions read from a (line, raw) relation: typed values and, for rejected rows, the field,
 * the reason and the raw text.
 */
export function transactionRowsSql(
  plan: ReadPlan,
  sha: string,
  containsQuote: boolean,
  source: string,
): string {
  const fields = TRANSACTION_MAPPING_FIELDS;
  const values = fields.map((f) => `${valueSql(plan, f)} AS v_${f}`).join(",\n    ");
  const hasReceived = Boolean(plan.columns.amount_received || plan.columns.currency_received);
  const channelDefault = plan.columns.channel || plan.defaults.channel !== undefined ? null : "'other'";
  const fmt = describeTimeFormat(plan.timeFormat);
  const checks: Check[] = [
    ...structureChecks(plan),
    ...(plan.columns.id ? [{ field: "id", failed: "v_id IS NULL", reason: lit("id is missing") }] : []),
    { field: "timestamp", failed: "v_timestamp IS NULL", reason: lit("timestamp is missing") },
    {
      field: "timestamp",
      failed: "ts IS NULL",
      reason: `'timestamp ' || ${quoted("v_timestamp")} || ' does not match ${fmt.replaceAll("'", "''")}'`,
    },
    ...accountChecks(plan),
    { field: "amount", failed: "v_amount IS NULL", reason: lit("amount is missing") },
    {
      field: "amount",
      failed: `NOT ${isDecimalSql("amount")}`,
      reason: `'amount ' || ${quoted("v_amount")} || ' is not a number'`,
    },
    {
      field: "amount",
      failed: "starts_with(amount, '-')",
      reason: `'amount ' || ${quoted("v_amount")} || ' is negative'`,
    },
    { field: "currency", failed: "v_currency IS NULL", reason: lit("currency is missing") },
    {
      field: "currency",
      failed: "currency IS NULL",
      reason: `'currency ' || ${quoted("v_currency")} || ' is unknown (give its rates with --fx)'`,
    },
    ...(hasReceived
      ? [
          {
            field: "amount_received",
            failed: `v_amount_received IS NOT NULL AND NOT ${isDecimalSql("amount_received_n")}`,
            reason: `'amount_received ' || ${quoted("v_amount_received")} || ' is not a number'`,
          },
          {
            field: "currency_received",
            failed: "v_currency_received IS NOT NULL AND currency_received_c IS NULL",
            reason: `'currency_received ' || ${quoted("v_currency_received")} || ' is unknown (give its rates with --fx)'`,
          },
        ]
      : []),
    {
      field: "channel",
      failed: "channel IS NULL",
      reason: `'channel ' || ${quoted("coalesce(v_channel, '')")} || ' is not one of ${Channel.options.join(", ")} (map it under values.channel)'`,
    },
    {
      field: "currency",
      failed: "fx_rate IS NULL",
      reason: `'no FX rate for ' || currency || ' on ' || CAST(CAST(ts AS DATE) AS VARCHAR)`,
    },
  ];
  return `WITH ${splitCte(plan, containsQuote, source)},
v AS (
  SELECT line, raw, f,
    ${values}
  FROM split
),
t AS (
  SELECT v.*,
    ${timestampSql("v_timestamp", plan.timeFormat, plan.timezone)} AS ts,
    ${decimalSql("v_amount", plan.decimalComma)} AS amount,
    ${decimalSql("v_amount_received", plan.decimalComma)} AS amount_received_n,
    c1.code AS currency,
    c2.code AS currency_received_c,
    -- The stored type is the enum of migration 3: an unknown channel casts to NULL and is refused.
    TRY_CAST(lower(${channelDefault ?? "v_channel"}) AS channel) AS channel
  FROM v
  LEFT JOIN fx_alias c1 ON c1.alias = upper(v_currency)
  LEFT JOIN fx_alias c2 ON c2.alias = upper(v_currency_received)
),
r AS (
  SELECT t.*, d.usd_per_unit AS fx_rate, d.rate_date AS fx_date
  FROM t LEFT JOIN fx_daily d ON d.currency = t.currency AND d.day = CAST(t.ts AS DATE)
),
n AS (SELECT r.*, ${errorNumber(checks)} FROM r),
e AS (
  SELECT n.*,
    ${errorColumns(checks)}
  FROM n
)
SELECT line,
    ${idSql(plan, sha)} AS id,
    ts,
    CASE WHEN v_from_account IS NOT NULL THEN coalesce(v_from_bank || ':', '') || v_from_account END AS from_account,
    v_from_bank AS from_bank, v_from_account AS from_number,
    CASE WHEN v_to_account IS NOT NULL THEN coalesce(v_to_bank || ':', '') || v_to_account END AS to_account,
    v_to_bank AS to_bank, v_to_account AS to_number,
    amount, currency,
    CASE WHEN amount_received_n IS DISTINCT FROM amount OR currency_received_c IS DISTINCT FROM currency
      THEN amount_received_n END AS amount_received,
    CASE WHEN amount_received_n IS DISTINCT FROM amount OR currency_received_c IS DISTINCT FROM currency
      THEN currency_received_c END AS currency_received,
    try_cast(amount AS DOUBLE) * fx_rate AS amount_usd, fx_rate, fx_date,
    channel, v_mcc AS mcc, v_merchant AS merchant, v_city AS city, v_region AS region, v_country AS country,
    v_counterparty_country AS counterparty_country, v_branch AS branch, v_conductor AS conductor, v_memo AS memo,
    ${labelSql("v_label")} AS label,
    err_field, err_reason,
    CASE WHEN err_reason IS NOT NULL THEN raw END AS raw
FROM e`;
}

/** Stage table for parties. Birth dates that no format reads are kept as written, not rejected. */
export function partyRowsSql(
  plan: ReadPlan,
  sha: string,
  sourceName: string,
  containsQuote: boolean,
  source: string,
): string {
  const fields = PARTY_MAPPING_FIELDS;
  const values = fields.map((f) => `${valueSql(plan, f)} AS v_${f}`).join(",\n    ");
  const checks: Check[] = [
    ...structureChecks(plan),
    ...(plan.columns.id ? [{ field: "id", failed: "v_id IS NULL", reason: lit("id is missing") }] : []),
    {
      field: plan.columns.name ? "name" : plan.columns.surname ? "surname" : "given_name",
      failed: "v_name IS NULL AND v_given_name IS NULL AND v_surname IS NULL",
      reason: lit("no name: name, given_name and surname are all empty"),
    },
    ...keyChecks("bank", "account"),
  ];
  return `WITH ${splitCte(plan, containsQuote, source)},
v AS (
  SELECT line, raw, f,
    ${values}
  FROM split
)
SELECT line,
    ${plan.columns.id ? `${lit(`${sourceName}:`)} || v_id` : idSql(plan, sha)} AS id,
    v_id AS source_record_id,
    CASE WHEN lower(v_kind) IN ('person', 'organisation') THEN lower(v_kind) ELSE 'unknown' END AS kind,
    v_name AS name, v_given_name AS given_name, v_middle_name AS middle_name, v_surname AS surname,
    ${dateSql("v_birth_date", plan.dateFormats)} AS birth_date, v_birth_date AS birth_date_raw,
    v_address AS address, v_city AS city, v_postcode AS postcode, v_region AS region, v_country AS country,
    v_phone AS phone, v_email AS email, v_national_id AS national_id, v_tax_id AS tax_id, v_passport AS passport,
    CASE WHEN v_account IS NOT NULL THEN coalesce(v_bank || ':', '') || v_account END AS account,
    v_bank AS bank, v_account AS number,
    err_field, err_reason,
    CASE WHEN err_reason IS NOT NULL THEN raw END AS raw
FROM (SELECT n.*, ${errorColumns(checks)} FROM (SELECT v.*, ${errorNumber(checks)} FROM v) n)`;
}
