import { writeFileSync } from "node:fs";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { UnusableInputError } from "../../ingest/errors.js";
import type { FxTable } from "../../ingest/fx.js";
import { Account } from "../../model/account.js";
import type { AlertRecord } from "../../model/analysis.js";
import { columnsOf, fromRow } from "../../model/columns.js";
import type { Sha256 } from "../../model/ids.js";
import { Party } from "../../model/party.js";
import { FileFingerprint, QuarantinedRow, SourceFile, type SourceRef } from "../../model/source.js";
import { DETAIL_TEXTS, TRANSACTION_DETAILS, Transaction } from "../../model/transaction.js";
import { IntList } from "../../util/int-list.js";
import { scratch } from "../../util/scratch-pool.js";
import { mergeKeys } from "../../util/sorted-union.js";
import { ident, lit } from "../../util/sql.js";
import { newEdgeColumns } from "../edge-columns.js";
import { WorkspaceVersionError } from "../errors.js";
import type {
  DetailColumns,
  EdgeColumns,
  EdgeExportOptions,
  IngestOutcome,
  IngestRequest,
  LabelledTransaction,
  Neighbourhood,
  NeighbourhoodRequest,
  OverrideRow,
  Page,
  ProgressSink,
  ResolutionHead,
  ResolutionState,
  ResolutionWrite,
  Store,
  StoreCounts,
  StoredAlert,
} from "../store.js";
import { type DuckDbOptions, openDuckDb } from "./connection.js";
import {
  dataLineCountSql,
  LINES,
  numberedLinesSql,
  partyRowsSql,
  REJECTS,
  REST,
  readLinesSql,
  restSql,
  SCANS,
  SHIFT,
  STAGED,
  shiftSql,
  transactionRowsSql,
} from "./ingest-sql.js";
import { MIGRATIONS } from "./migrations.js";
import { readAllParties, readPartiesFrom } from "./party-rows.js";
import { PROFILE, profileLine } from "./profile.js";
import {
  NEIGHBOURHOOD_PARTIES,
  readLinksTouching,
  readMembersOf,
  readNeighbourhood,
  readResolutionHead,
  UNRESOLVED_PARTIES,
} from "./resolution-neighbourhood.js";
import {
  insertOverride,
  readAccountEntities,
  readEntity,
  readEntityEvents,
  readOverrides,
  readPartyEntities,
  readResolutionRuns,
  readResolutionState,
  writeResolution,
} from "./resolution-tables.js";
import { partyTarget, transactionTarget } from "./row-target.js";

type Row = Record<string, unknown>;

/**
 * Test hook for the atomicity tests: with MONEYTRAIL_FAILPOINT set to this point's name, the
 * process announces the point in MONEYTRAIL_FAILPOINT_FILE and waits there to be killed.
 */
async function failpoint(name: string): Promise<void> {
  if (process.env.MONEYTRAIL_FAILPOINT !== name) return;
  const marker = process.env.MONEYTRAIL_FAILPOINT_FILE;
  if (marker) writeFileSync(marker, name);
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}

const FX_HORIZON = "2040-12-31";

function selectList(schema: Parameters<typeof columnsOf>[0]): string {
  return columnsOf(schema)
    .map((c) => ident(c.name))
    .join(", ");
}

function pageSql(page: Page | undefined, fileColumn: string, order: string): string {
  const where = page?.file ? ` WHERE ${fileColumn} = ${lit(page.file)}` : "";
  const limit = page?.limit !== undefined ? ` LIMIT ${Math.trunc(page.limit)}` : "";
  const offset = page?.offset ? ` OFFSET ${Math.trunc(page.offset)}` : "";
  return `${where} ORDER BY ${order}${limit}${offset}`;
}

/** The rows of some files, as SQL (file numbers are integers; -1 keeps the list non-empty). */
function ofFiles(files: readonly number[]): string {
  return `file_no IN (${[...files, -1].map((f) => Math.trunc(f)).join(", ")})`;
}

export class DuckDbStore implements Store {
  readonly engine = "duckdb" as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
  ) {}

  static async open(path: string, options: DuckDbOptions): Promise<DuckDbStore> {
    const { instance, connection } = await openDuckDb(path, options);
    const store = new DuckDbStore(instance, connection);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Every statement goes through here; MONEYTRAIL_PROFILE=1 prints each one's time on stderr. */
  private async exec(sql: string): Promise<void> {
    const t0 = performance.now();
    await this.db.run(sql);
    if (PROFILE) profileLine(t0, sql);
  }

  private async all(sql: string): Promise<Row[]> {
    const t0 = performance.now();
    const reader = await this.db.runAndReadAll(sql);
    if (PROFILE) profileLine(t0, sql);
    return reader.getRowObjectsJson() as Row[];
  }

  private async one(sql: string): Promise<Row> {
    const rows = await this.all(sql);
    return rows[0] ?? {};
  }

  private async migrate(): Promise<void> {
    await this.db.run(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
    );
    const current = Number(
      (await this.one("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")).v,
    );
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new WorkspaceVersionError(
        `the workspace has schema version ${current}, newer than this moneytrail knows (${latest}); upgrade moneytrail`,
      );
    }
    for (const migration of MIGRATIONS.filter((m) => m.version > current)) {
      await this.db.run("BEGIN TRANSACTION");
      try {
        await this.db.run(migration.sql);
        await this.db.run(
          `INSERT INTO schema_migrations VALUES (${migration.version}, ${lit(migration.name)}, now()::TIMESTAMP)`,
        );
        await this.db.run("COMMIT");
      } catch (error) {
        await this.db.run("ROLLBACK");
        throw error;
      }
    }
  }

  async schemaVersion(): Promise<number> {
    return Number((await this.one("SELECT max(version) AS v FROM schema_migrations")).v);
  }

  async sourceFile(sha256: Sha256): Promise<SourceFile | null> {
    const rows = await this.all(
      `SELECT ${selectList(SourceFile)} FROM source_files WHERE sha256 = ${lit(sha256)}`,
    );
    return rows[0] ? fromRow(SourceFile, rows[0]) : null;
  }

  async sourceFiles(): Promise<SourceFile[]> {
    const rows = await this.all(
      `SELECT ${selectList(SourceFile)} FROM source_files ORDER BY ingested_at, sha256`,
    );
    return rows.map((r) => fromRow(SourceFile, r));
  }

  async fingerprintDigest(fp: Omit<FileFingerprint, "sha256">): Promise<Sha256 | null> {
    const rows = await this.all(`SELECT sha256 FROM file_fingerprints WHERE path = ${lit(fp.path)}
  AND device = ${lit(fp.device)} AND inode = ${lit(fp.inode)} AND bytes = ${fp.bytes}
  AND mtime_ns = ${lit(fp.mtime_ns)} AND ctime_ns = ${lit(fp.ctime_ns)}`);
    return (rows[0]?.sha256 as Sha256 | undefined) ?? null;
  }

  async rememberFingerprint(fp: FileFingerprint): Promise<void> {
    const values = columnsOf(FileFingerprint).map((c) => {
      const v = fp[c.name as keyof FileFingerprint];
      return typeof v === "number" ? String(v) : lit(v);
    });
    await this.exec("BEGIN TRANSACTION");
    try {
      await this.exec(`DELETE FROM file_fingerprints WHERE path = ${lit(fp.path)}`);
      await this.exec(`INSERT INTO file_fingerprints VALUES (${values.join(", ")})`);
      await this.exec("COMMIT");
    } catch (error) {
      await this.db.run("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  async quarantine(page?: Page): Promise<QuarantinedRow[]> {
    const rows = await this.all(
      `SELECT ${selectList(QuarantinedRow)} FROM quarantine${pageSql(page, "file", "file_name, file, line")}`,
    );
    return rows.map((r) => fromRow(QuarantinedRow, r));
  }

  async counts(): Promise<StoreCounts> {
    const tables = [
      "source_files",
      "transactions",
      "accounts",
      "parties",
      "quarantine",
      "truth_labels",
    ] as const;
    // Transactions are counted where they are stored: the view would join every row to its accounts.
    const stored = (t: string) => (t === "transactions" ? "transaction_rows" : t);
    const row = await this.one(
      `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${stored(t)}) AS ${t}`).join(", ")}`,
    );
    return Object.fromEntries(tables.map((t) => [t, Number(row[t])])) as unknown as StoreCounts;
  }

  async transactions(page?: Page): Promise<Transaction[]> {
    const rows = await this.all(
      `SELECT ${selectList(Transaction)} FROM transactions${pageSql(page, "source_file", "source_file, source_line, id")}`,
    );
    return rows.map((r) => fromRow(Transaction, r));
  }

  async accounts(page?: Page): Promise<Account[]> {
    const rows = await this.all(
      `SELECT ${selectList(Account)} FROM accounts${pageSql({ ...page, file: undefined }, "", "key")}`,
    );
    return rows.map((r) => fromRow(Account, r));
  }

  async parties(page?: Page): Promise<Party[]> {
    // All of them (what `resolve` reads): as one text, about ten times faster than row objects.
    if (page === undefined) {
      const t0 = performance.now();
      const all = await readAllParties(this.db);
      if (PROFILE) profileLine(t0, "readAllParties");
      if (all !== null) return all;
    }
    const rows = await this.all(
      `SELECT ${selectList(Party)} FROM parties${pageSql(page, "source_file", "source_file, source_line, id")}`,
    );
    return rows.map((r) => fromRow(Party, r));
  }

  async edgeColumns(options: EdgeExportOptions = {}): Promise<EdgeColumns> {
    // Only some files: their rows, and only the accounts those rows name.
    const only = options.files ? ofFiles(options.files) : null;
    if (only && options.known) return this.exportDelta(only, options.known);
    if (only) {
      // The few rows of those files, and their accounts, picked once: every query below reads them.
      await this.exec(`CREATE OR REPLACE TEMP TABLE edge_rows AS SELECT from_acc, to_acc, ts, amount_usd, channel,
  file_no, source_line FROM transaction_rows WHERE ${only}`);
      await this.exec(`CREATE OR REPLACE TEMP TABLE edge_accounts AS SELECT key, acc_no FROM accounts
WHERE acc_no IN (SELECT from_acc FROM edge_rows UNION SELECT to_acc FROM edge_rows)`);
    }
    try {
      return await this.exportEdges(
        only ? "edge_rows" : "transaction_rows",
        only ? "edge_accounts" : "accounts",
        only,
      );
    } finally {
      if (only) {
        await this.exec("DROP TABLE IF EXISTS edge_rows");
        await this.exec("DROP TABLE IF EXISTS edge_accounts");
      }
    }
  }

  /** The edge columns of the rows of table `rows`, over the accounts of table `named`. */
  private async exportEdges(rows: string, named: string, only: string | null): Promise<EdgeColumns> {
    // Accounts in key order, read as one text: string by string, 430k keys took 1.4 s, not 0.25.
    // (A key comes from one physical line of a file, so it never holds a line break.)
    const joined = (await this.one(`SELECT string_agg(key, chr(10) ORDER BY key) AS k FROM ${named} a`)).k;
    const accounts = joined === null || joined === undefined ? [] : String(joined).split("\n");
    // Each account's index in that order, by its stored number.
    const last = Number((await this.one(`SELECT coalesce(max(acc_no), 0) AS n FROM ${named} a`)).n);
    const indexOf = new Int32Array(last + 1).fill(-1);
    const accountNos = new Int32Array(accounts.length);
    let index = 0;
    const numbers = await this.db.stream(`SELECT acc_no FROM ${named} a ORDER BY key`);
    for (
      let chunk = await numbers.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await numbers.fetchChunk()
    ) {
      for (const no of (chunk.getColumnVector(0) as unknown as { items: Int32Array }).items) {
        accountNos[index] = no;
        indexOf[no] = index++;
      }
    }
    if (index !== accounts.length)
      throw new Error(`edge export read ${accounts.length} keys of ${index} accounts`);
    const columns = await this.edgeRows(rows, only);
    for (const side of [columns.from, columns.to]) {
      for (let i = 0; i < side.length; i++) side[i] = indexOf[side[i] as number] as number;
    }
    return { ...columns, accounts, accountNos };
  }

  /**
   * The rows of table `rows` as edge columns whose ends are still the store's account numbers (0
   * for none), with no accounts yet; `only` picks the files they name.
   */
  private async edgeRows(rows: string, only: string | null): Promise<EdgeColumns> {
    const files = new Map(
      // Those of the rows exported (a snapshot's delta names its own files only).
      (await this.all(`SELECT file_no, sha256 FROM file_numbers${only ? ` WHERE ${only}` : ""}`)).map((r) => [
        Number(r.file_no),
        String(r.sha256),
      ]),
    );
    const n = Number((await this.one(`SELECT count(*) AS n FROM ${rows} r`)).n);
    const columns = newEdgeColumns(n, [], files);
    // No column is NULL (a missing account is 0, which no account has), so each chunk's vectors
    // copy straight into the typed arrays. In order of the millisecond the graph holds, not of the
    // stored microseconds: within one millisecond by file and line, as the incremental merge puts
    // a later file's payments among the old (`merge-edge-columns.ts`).
    const result = await this.db.stream(`SELECT coalesce(from_acc, 0), coalesce(to_acc, 0),
  CAST(epoch_ms(ts) AS DOUBLE), amount_usd, CAST(enum_code(channel) AS INTEGER), file_no,
  CAST(source_line AS INTEGER)
FROM ${rows} r ORDER BY epoch_ms(ts), file_no, source_line`);
    const targets = [
      columns.from,
      columns.to,
      columns.time,
      columns.amountUsd,
      columns.channel,
      columns.fileNo,
      columns.line,
    ];
    let row = 0;
    for (
      let chunk = await result.fetchChunk();
      chunk && chunk.rowCount > 0;
      chunk = await result.fetchChunk()
    ) {
      targets.forEach((target, c) => {
        target.set((chunk.getColumnVector(c) as unknown as { items: ArrayLike<number> }).items, row);
      });
      row += chunk.rowCount;
    }
    if (row !== n) throw new Error(`edge export read ${row} of ${n} transactions`);
    return columns;
  }

  /**
   * Some files' rows for a graph that holds the `known` accounts: what `exportEdges` gives for
   * them, but the accounts the graph holds are named by the store's numbers, their keys taken
   * from the graph, and only the others' keys read. Picking the rows' accounts and reading every
   * one's key took 60–130 ms for 50,000 rows among 5M (430,000 accounts), however few were new.
   */
  private async exportDelta(
    only: string,
    known: NonNullable<EdgeExportOptions["known"]>,
  ): Promise<EdgeColumns> {
    const columns = await this.edgeRows(
      `(SELECT from_acc, to_acc, ts, amount_usd, channel, file_no, source_line FROM transaction_rows WHERE ${only})`,
      only,
    );
    // Indexed loops: a run's code runs cold here, where iterating 500,000 numbers with `for...of`
    // (an iterator result each, before the loop is optimized) took 15 ms more.
    let top = 0;
    for (const a of [known.accountNos, columns.from, columns.to])
      for (let i = 0; i < a.length; i++) top = Math.max(top, a[i] as number);
    // Working tables of the run (`scratch`): kept memory, not fresh.
    const inGraph = scratch.take(Int32Array, top + 1, -1);
    for (let k = 0; k < known.accountNos.length; k++) inGraph[known.accountNos[k] as number] = k;
    // The accounts the rows name (0: none): those the graph holds, by their place in it (in key
    // order), and the others, by number.
    const named = scratch.take(Uint8Array, top + 1);
    for (const side of [columns.from, columns.to])
      for (let i = 0; i < side.length; i++) named[side[i] as number] = 1;
    // Int32Arrays (`IntList`): a delivery of 1% names tens of thousands of accounts.
    const heldList = new IntList(columns.from.length);
    const othersList = new IntList();
    for (let no = 1; no <= top; no++)
      if (named[no] === 1) {
        const k = inGraph[no] as number;
        if (k >= 0) heldList.push(k);
        else othersList.push(no);
      }
    const held = heldList.view().sort();
    const others = othersList.view();
    const rows =
      others.length === 0
        ? []
        : await this.all(
            `SELECT acc_no, key FROM accounts WHERE acc_no IN (${others.join(", ")}) ORDER BY key`,
          );
    if (rows.length !== others.length)
      throw new Error(`edge export read ${rows.length} keys of ${others.length} accounts`);
    const { keys, fromA, fromB } = mergeKeys(
      heldKeys(held, known.accounts),
      rows.map((r) => String(r.key)),
    );
    // Each named account's index in the export, over the graph's table: only named numbers are
    // read from it (0, none, stays -1), and a table less is a first touch less (5 ms here).
    const indexOf = inGraph;
    const accountNos = new Int32Array(keys.length);
    // Where each account is in the graph: the held ones' places, -1 for the others (set below).
    const at = new Int32Array(keys.length);
    for (let i = 0; i < held.length; i++) {
      const k = held[i] as number;
      const no = known.accountNos[k] as number;
      indexOf[no] = fromA[i] as number;
      accountNos[fromA[i] as number] = no;
      at[fromA[i] as number] = k;
    }
    rows.forEach((r, j) => {
      const no = Number(r.acc_no);
      indexOf[no] = fromB[j] as number;
      accountNos[fromB[j] as number] = no;
      at[fromB[j] as number] = -1;
    });
    for (const side of [columns.from, columns.to]) {
      for (let i = 0; i < side.length; i++) side[i] = indexOf[side[i] as number] as number;
    }
    return { ...columns, accounts: keys, accountNos, known: { accounts: known.accounts, at } };
  }

  async fileRowCounts(): Promise<Map<number, { sha256: string; rows: number }>> {
    // Counted by number alone, the digests joined to the few groups after (a join before the
    // grouping costs a probe per row: 60 ms on 5M rows, 25 without).
    const rows = await this.all(`SELECT c.file_no, f.sha256, c.n
FROM (SELECT file_no, count(*) AS n FROM transaction_rows GROUP BY file_no) c
JOIN file_numbers f ON f.file_no = c.file_no`);
    return new Map(rows.map((r) => [Number(r.file_no), { sha256: String(r.sha256), rows: Number(r.n) }]));
  }

  async transactionIdsAt(refs: readonly { fileNo: number; line: number }[]): Promise<(string | null)[]> {
    if (refs.length === 0) return [];
    // The places as a table to join, and per file its lines as a filter DuckDB can skip row groups
    // by: a few places in a file of millions of rows (an incremental run's) are found without a
    // scan of all of them (0.05 s, not 0.1-0.3 s, on 5M rows).
    const values = refs.map((r, i) => `(${i}, ${Math.trunc(r.fileNo)}, ${Math.trunc(r.line)})`).join(", ");
    const lines = new Map<number, Set<number>>();
    for (const r of refs) {
      const f = Math.trunc(r.fileNo);
      const at = lines.get(f) ?? new Set<number>();
      lines.set(f, at.add(Math.trunc(r.line)));
    }
    const where = [...lines]
      .map(([f, at]) => `(file_no = ${f} AND source_line IN (${[...at].join(", ")}))`)
      .join(" OR ");
    const rows =
      await this.all(`SELECT w.k, coalesce(t.source_id, left(n.sha256, 12) || ':' || t.source_line) AS id
FROM (VALUES ${values}) w(k, file_no, line)
JOIN (SELECT file_no, source_line, source_id FROM transaction_rows WHERE ${where}) t
  ON t.file_no = w.file_no AND t.source_line = w.line
JOIN file_numbers n ON n.file_no = t.file_no`);
    const out: (string | null)[] = refs.map(() => null);
    for (const r of rows) out[Number(r.k)] = String(r.id);
    return out;
  }

  async transactionsAt(refs: readonly SourceRef[]): Promise<(Transaction | null)[]> {
    if (refs.length === 0) return [];
    const values = refs.map((r, i) => `(${i}, ${lit(r.file)}, ${Math.trunc(r.line)})`).join(", ");
    const rows = await this.all(`SELECT w.k, ${columnsOf(Transaction)
      .map((c) => `t.${ident(c.name)}`)
      .join(", ")}
FROM (VALUES ${values}) w(k, file, line) JOIN transactions t ON t.source_file = w.file AND t.source_line = w.line`);
    const out: (Transaction | null)[] = refs.map(() => null);
    for (const r of rows) out[Number(r.k)] = fromRow(Transaction, r);
    return out;
  }

  async findTransaction(id: string): Promise<SourceRef[]> {
    const rows = await this.all(
      `SELECT source_file, source_line FROM transactions WHERE id = ${lit(id)} ORDER BY source_file, source_line`,
    );
    return rows.map((r) => ({ file: String(r.source_file) as Sha256, line: Number(r.source_line) }));
  }

  private async loadFx(fx: FxTable): Promise<void> {
    const aliases = [...fx.aliases].map(([alias, code]) => `(${lit(alias)}, ${lit(code)})`).join(", ");
    await this.exec(
      `CREATE OR REPLACE TEMP TABLE fx_alias AS SELECT * FROM (VALUES ${aliases}) t(alias, code)`,
    );
    const rates = fx.rates
      .map((r) => `(${lit(r.currency)}, DATE ${lit(r.date)}, ${r.usd_per_unit})`)
      .join(", ");
    // One row per currency and day, so that each transaction finds its rate by an equi-join.
    await this.exec(`CREATE OR REPLACE TEMP TABLE fx_daily AS
SELECT currency, CAST(unnest(generate_series(CAST(date AS TIMESTAMP), CAST(until AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS day,
  date AS rate_date, usd_per_unit
FROM (SELECT *, coalesce(lead(date) OVER (PARTITION BY currency ORDER BY date) - 1, DATE '${FX_HORIZON}') AS until
      FROM (VALUES ${rates}) t(currency, date, usd_per_unit))`);
  }

  /**
   * Runs a statement over the row checks with filter pushdown off. Without a join in the way,
   * DuckDB 1.5 pushes the whole row check (`err_reason IS NULL`) into the table scan as an
   * expression filter, where it ran about 60 times slower: 97k party rows took 6.3 s, not 0.1 s.
   */
  private async withoutFilterPushdown<T>(fn: () => Promise<T>): Promise<T> {
    await this.exec("SET disabled_optimizers = 'filter_pushdown'");
    try {
      return await fn();
    } finally {
      await this.exec("RESET disabled_optimizers");
    }
  }

  /** Runs a long statement, reporting DuckDB's own progress on it within [from, to]; returns the rows it changed. */
  private async runWithProgress(
    sql: string,
    progress: ProgressSink | undefined,
    from: number,
    to: number,
  ): Promise<number> {
    const timer = progress
      ? setInterval(() => {
          const p = this.db.progress.percentage;
          if (p >= 0) progress(from + ((to - from) * Math.min(p, 100)) / 100);
        }, 150)
      : undefined;
    const t0 = performance.now();
    try {
      return Number((await this.db.run(sql)).rowsChanged);
    } finally {
      clearInterval(timer);
      progress?.(to);
      if (PROFILE) profileLine(t0, sql);
    }
  }

  async ingest(request: IngestRequest, progress?: ProgressSink): Promise<IngestOutcome> {
    const { file, plan } = request;
    const sha = file.sha256;
    const tx = plan.kind === "transactions";
    const header = plan.dialect.headerLine;
    if (tx) await this.loadFx(request.fx);
    // Lines are read outside the transaction, into a temporary table: the transaction then holds
    // only the writes that make the file land whole or not at all.
    await this.exec("SET preserve_insertion_order = true");
    await this.exec(`DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${SCANS}`);
    try {
      await this.runWithProgress(readLinesSql(file.readPath, file.lineDelimiter), progress, 0, 0.2);
    } catch (error) {
      throw new UnusableInputError(
        `${file.path}: cannot be read as text lines (${(error as Error).message.split("\n")[0]})`,
      );
    }
    // File order mattered only while numbering lines; now rows carry their line.
    await this.exec("SET preserve_insertion_order = false");
    const refused = await this.one(
      `SELECT count(DISTINCT line) FILTER (WHERE line > ${header}) AS rows, count(*) AS any FROM ${REJECTS}`,
    );
    const shifted = Number(refused.any) > 0;
    if (shifted) await this.exec(shiftSql());
    const lines = numberedLinesSql(shifted);
    const rowsFrom = (source: string) =>
      tx
        ? transactionRowsSql(plan, sha, file.containsQuote, source)
        : partyRowsSql(plan, sha, request.sourceName, file.containsQuote, source);

    // The next file number: the lock on the workspace keeps it ours until COMMIT registers it.
    const fileNo = tx ? await this.nextFileNumber() : 0;
    const target = tx ? transactionTarget(plan, fileNo) : partyTarget(sha, request.sourceName);
    // Overlapping files: a record id already stored, or repeated in this file, lands once.
    // An ANTI JOIN, not NOT EXISTS: with filter pushdown off (below), NOT EXISTS ran as a nested
    // scan of the stored ids, 9.6 s for 10k party rows against 1M stored, against 0.03 s.
    const storedJoin = plan.columns.id ? ` ANTI JOIN ${target.storedIds} t ON t.id = r.id` : "";
    const firstOfId = plan.columns.id
      ? " QUALIFY row_number() OVER (PARTITION BY r.id ORDER BY r.line) = 1"
      : "";
    try {
      // One pass over the lines: split, type, check, and stage the rows that pass. Staged outside
      // the transaction, like the lines: written from a temporary table made inside it, the rows
      // took twice as long to store.
      await this.withoutFilterPushdown(() =>
        this.runWithProgress(
          `CREATE OR REPLACE TEMP TABLE ${STAGED} AS
SELECT ${target.staged.map((c) => `r.${ident(c)}`).join(", ")} FROM (${rowsFrom(lines)}) r${storedJoin} WHERE err_reason IS NULL${firstOfId}`,
          progress,
          0.2,
          0.7,
        ),
      );
      await this.exec("BEGIN TRANSACTION");
      if (tx) await this.exec(`INSERT INTO file_numbers VALUES (${fileNo}, ${lit(sha)})`);
      await this.insertAccounts(target.accountKeys);
      let accepted = 0;
      for (const [i, write] of target.writes.entries()) {
        const changed = await this.runWithProgress(
          `INSERT INTO ${write.table} (${write.columns.map((c) => ident(c.name)).join(", ")})
SELECT ${write.columns.map((c) => c.value).join(", ")} FROM ${STAGED} r
${write.joins}${write.where ? `\nWHERE ${write.where}` : ""}`,
          progress,
          0.7,
          0.8,
        );
        if (i === 0) accepted = changed;
      }
      // The rest: lines that did not land (rejected or duplicates) and landed lines with a label.
      const dataLines = Number((await this.one(dataLineCountSql(plan, lines))).n);
      const allLanded = accepted === dataLines - Number(refused.rows);
      await this.runWithProgress(
        restSql(plan, target, file.containsQuote, lines, allLanded),
        progress,
        0.8,
        0.95,
      );
      const name = lit(file.name);
      const rejectedRows = await this.withoutFilterPushdown(() =>
        this.runWithProgress(
          `INSERT INTO quarantine
SELECT ${lit(sha)}, ${name}, line, err_field, err_reason, raw
FROM (${rowsFrom(`(SELECT line, raw FROM ${REST} WHERE NOT landed)`)}) WHERE err_reason IS NOT NULL`,
          progress,
          0.95,
          0.96,
        ),
      );
      await this.exec(`INSERT INTO quarantine
SELECT ${lit(sha)}, ${name}, line, NULL,
  CASE WHEN any_value(error_type) = 'INVALID ENCODING' THEN 'the line is not valid UTF-8 text'
    ELSE 'the line cannot be read: ' || any_value(error_message) END,
  any_value(csv_line)
FROM ${REJECTS} WHERE line > ${header} GROUP BY line`);
      const notLanded = Number((await this.one(`SELECT count(*) AS n FROM ${REST} WHERE NOT landed`)).n);
      if (tx && (plan.columns.label || plan.defaults.label !== undefined)) {
        await this.exec(`INSERT INTO truth_labels
SELECT id, label, ${lit(sha)}, line FROM (${rowsFrom(`(SELECT line, raw FROM ${REST} WHERE landed)`)}) WHERE label IS NOT NULL`);
      }
      const refusedRows = Number(refused.rows);
      const outcome: IngestOutcome = {
        sha256: sha,
        rows: accepted + notLanded + refusedRows,
        accepted,
        rejected: rejectedRows + refusedRows,
        duplicates: notLanded - rejectedRows,
      };
      const tags = `[${request.tags.map(lit).join(", ")}]::VARCHAR[]`;
      await this.exec(`INSERT INTO source_files (sha256, name, format, bytes, rows, accepted, rejected, duplicates,
  ingested_at, agency, legal_basis, tags, source_name, fx_version) VALUES (
  ${lit(sha)}, ${name}, ${lit(plan.format)}, ${file.bytes}, ${outcome.rows}, ${outcome.accepted}, ${outcome.rejected},
  ${outcome.duplicates}, now()::TIMESTAMP, ${request.agency ? lit(request.agency) : "NULL"},
  ${request.legalBasis ? lit(request.legalBasis) : "NULL"}, ${tags}, ${lit(request.sourceName)},
  ${tx ? lit(request.fx.version) : "NULL"})`);
      await failpoint("ingest-before-commit");
      await this.exec("COMMIT");
      progress?.(1);
      return outcome;
    } catch (error) {
      await this.db.run("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      await this.exec(
        `DROP TABLE IF EXISTS ${REST}; DROP TABLE IF EXISTS ${SHIFT}; DROP TABLE IF EXISTS ${LINES}; DROP TABLE IF EXISTS ${STAGED}`,
      );
      await this.exec("SET preserve_insertion_order = true");
    }
  }

  /** The number the next file gets (transactions store it in place of the file's SHA-256). */
  private async nextFileNumber(): Promise<number> {
    return Number((await this.one("SELECT coalesce(max(file_no), 0) + 1 AS n FROM file_numbers")).n);
  }

  /**
   * Registers the accounts that the staged rows name, once each, numbering new ones after those
   * stored (in key order, so that the same files give the same numbers). A key is
   * `<bank>:<number>` or `<number>`; ingest refuses a bank or bankless number holding ':', so the
   * first ':' splits it.
   */
  private async insertAccounts(keyColumns: string[]): Promise<void> {
    // UNION ALL then GROUP BY: a third faster here than UNION's own de-duplication.
    const keys = `SELECT key FROM (${keyColumns
      .map((c) => `SELECT ${ident(c)} AS key FROM ${STAGED}`)
      .join(" UNION ALL ")}) WHERE key IS NOT NULL GROUP BY key`;
    const last = Number((await this.one("SELECT coalesce(max(acc_no), 0) AS n FROM accounts")).n);
    await this.exec(`INSERT INTO accounts (acc_no, key, bank, number)
SELECT ${last} + CAST(row_number() OVER (ORDER BY key) AS INTEGER), key,
  CASE WHEN contains(key, ':') THEN split_part(key, ':', 1) END,
  CASE WHEN contains(key, ':') THEN substr(key, strpos(key, ':') + 1) ELSE key END
FROM (${keys}) n WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.key = n.key)`);
  }

  async transactionFields(): Promise<Set<string>> {
    // Whether any row has each field: EXISTS stops at the first (5 ms on 5M rows, where counting
    // every non-null value took 0.25 s of each detect run).
    const has = (table: string, column: string | null) =>
      `EXISTS (SELECT 1 FROM ${table}${column ? ` WHERE ${column} IS NOT NULL` : ""})`;
    const rows = await this.one(`SELECT
  ${has("transaction_rows", null)} AS ts,
  ${has("transaction_rows", "from_acc")} AS from_account,
  ${has("transaction_rows", "to_acc")} AS to_account,
  ${TRANSACTION_DETAILS.map((f) => `${has("transaction_details", f)} AS "${f}"`).join(",\n  ")}`);
    const fields = new Set<string>();
    if (rows.ts === true) for (const f of ["ts", "amount_usd", "channel"]) fields.add(f);
    if (rows.from_account === true) fields.add("from_account");
    if (rows.to_account === true) fields.add("to_account");
    for (const f of TRANSACTION_DETAILS) if (rows[f] === true) fields.add(f);
    return fields;
  }

  async detailColumns(options: { files?: readonly number[] } = {}): Promise<DetailColumns> {
    const texts = DETAIL_TEXTS;
    // Only some files' rows (an incremental run's new ones): picked once, read by both queries below.
    const rows = options.files ? "detail_rows" : "transaction_details";
    try {
      if (options.files)
        await this.exec(`CREATE OR REPLACE TEMP TABLE detail_rows AS SELECT * FROM transaction_details
WHERE ${ofFiles(options.files)}`);
      // Texts become codes in SQL, against one dictionary: integers stream into typed arrays fast,
      // strings one by one do not. (Texts come from one physical line: none holds a line break.)
      await this.exec(`CREATE OR REPLACE TEMP TABLE detail_dict AS
SELECT v, CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS code FROM (
  ${texts.map((t) => `SELECT ${t} AS v FROM ${rows}`).join(" UNION ")}
) WHERE v IS NOT NULL`);
      const joined = (await this.one("SELECT string_agg(v, chr(10) ORDER BY code) AS s FROM detail_dict")).s;
      const strings = joined === null || joined === undefined ? [] : String(joined).split("\n");
      const n = Number((await this.one(`SELECT count(*) AS n FROM ${rows}`)).n);
      const text = Object.fromEntries(texts.map((t) => [t, new Int32Array(n)])) as DetailColumns["text"];
      const columns = { fileNo: new Int32Array(n), line: new Int32Array(n), mcc: new Int16Array(n) };
      const result = await this.db.stream(`SELECT d.file_no, CAST(d.source_line AS INTEGER),
  CAST(CASE WHEN regexp_full_match(trim(d.mcc), '[0-9]{4}') THEN CAST(trim(d.mcc) AS INTEGER) ELSE -1 END AS INTEGER),
  ${texts.map((t) => `coalesce(k_${t}.code, -1)`).join(", ")}
FROM ${rows} d
${texts.map((t) => `LEFT JOIN detail_dict k_${t} ON k_${t}.v = d.${t}`).join("\n")}`);
      const targets: (Int32Array | Int16Array)[] = [
        columns.fileNo,
        columns.line,
        columns.mcc,
        ...texts.map((t) => text[t]),
      ];
      let row = 0;
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        targets.forEach((target, c) => {
          target.set((chunk.getColumnVector(c) as unknown as { items: ArrayLike<number> }).items, row);
        });
        row += chunk.rowCount;
      }
      if (row !== n) throw new Error(`detail export read ${row} of ${n} rows`);
      // A semi join from the party records: with none, the details are not read at all (an IN
      // over the distinct conductors read them: 40 ms on 5M rows, on every run).
      const conductors = await this.all(`SELECT DISTINCT p.source_record_id AS id, p.account FROM parties p
SEMI JOIN transaction_details d ON d.conductor = p.source_record_id WHERE p.account IS NOT NULL`);
      const homes = await this.all(
        "SELECT account, any_value(city) AS city, any_value(region) AS region FROM parties WHERE account IS NOT NULL GROUP BY account",
      );
      return {
        ...columns,
        text,
        strings,
        conductorAccounts: new Map(conductors.map((r) => [String(r.id), String(r.account)])),
        homes: homes.map((r) => ({
          account: String(r.account),
          city: r.city === null ? null : String(r.city),
          region: r.region === null ? null : String(r.region),
        })),
      };
    } finally {
      await this.exec("DROP TABLE IF EXISTS detail_dict");
      await this.exec("DROP TABLE IF EXISTS detail_rows");
    }
  }

  resolutionState(): Promise<ResolutionState> {
    return readResolutionState(this.db);
  }

  writeResolution(write: ResolutionWrite): Promise<void> {
    return writeResolution(this.db, write);
  }

  resolutionHead(): Promise<ResolutionHead> {
    return readResolutionHead(this.db);
  }

  unresolvedParties(): Promise<Party[]> {
    return this.partiesFrom(UNRESOLVED_PARTIES);
  }

  resolutionNeighbourhood(request: NeighbourhoodRequest): Promise<Neighbourhood> {
    return readNeighbourhood(this.db, request, () => this.partiesFrom(NEIGHBOURHOOD_PARTIES));
  }

  linksTouching(parties: readonly string[]) {
    return readLinksTouching(this.db, parties);
  }

  membersOf(parties: readonly string[]) {
    return readMembersOf(this.db, parties);
  }

  /** The parties of a subquery over `parties` (with an alias), fast (party-rows.ts) or as row objects. */
  private async partiesFrom(from: string): Promise<Party[]> {
    const fast = await readPartiesFrom(this.db, from);
    if (fast !== null) return fast;
    const rows = await this.all(
      `SELECT ${selectList(Party)} FROM ${from} ORDER BY source_file, source_line, id`,
    );
    return rows.map((r) => fromRow(Party, r));
  }

  partyEntities() {
    return readPartyEntities(this.db);
  }

  accountEntities() {
    return readAccountEntities(this.db);
  }

  entity(id: string) {
    return readEntity(this.db, id);
  }

  async entityParties(id: string): Promise<Party[]> {
    const rows = await this.all(
      `SELECT ${selectList(Party)} FROM parties WHERE id IN (SELECT party_id FROM entity_members WHERE entity_id = ${lit(id)}) ORDER BY id`,
    );
    return rows.map((r) => fromRow(Party, r));
  }

  async partiesById(ids: readonly string[]): Promise<Party[]> {
    if (ids.length === 0) return [];
    const rows = await this.all(
      `SELECT ${selectList(Party)} FROM parties WHERE id IN (${[...new Set(ids)].map(lit).join(", ")}) ORDER BY id`,
    );
    return rows.map((r) => fromRow(Party, r));
  }

  entityEvents(id: string) {
    return readEntityEvents(this.db, id);
  }

  resolutionRuns() {
    return readResolutionRuns(this.db);
  }

  addOverride(row: OverrideRow): Promise<void> {
    return insertOverride(this.db, row);
  }

  overrides(): Promise<OverrideRow[]> {
    return readOverrides(this.db);
  }

  async alerts(): Promise<StoredAlert[]> {
    const rows = await this.all("SELECT record, primary_account FROM alerts ORDER BY id");
    return rows.map((r) => ({
      record: JSON.parse(String(r.record)) as AlertRecord,
      primaryAccount: String(r.primary_account),
    }));
  }

  async labelledTransactions(): Promise<LabelledTransaction[]> {
    const rows =
      await this.all(`SELECT t.id, l.source_file AS file, l.source_line AS line, l.label, epoch_ms(t.ts) AS ts,
  t.from_account, t.to_account, t.amount, t.currency, t.channel
FROM truth_labels l JOIN transactions t ON t.source_file = l.source_file AND t.source_line = l.source_line
ORDER BY l.source_file, l.source_line`);
    return rows.map((r) => ({
      id: String(r.id),
      file: String(r.file),
      line: Number(r.line),
      label: String(r.label),
      ts: Number(r.ts),
      from: r.from_account === null ? null : String(r.from_account),
      to: r.to_account === null ? null : String(r.to_account),
      amount: String(r.amount),
      currency: String(r.currency),
      channel: String(r.channel),
    }));
  }

  async writeAlerts(alerts: readonly StoredAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    const values = alerts
      .map(
        ({ record: r, primaryAccount }) =>
          `(${lit(r.id)}, ${lit(r.typology)}, ${r.score}, ${lit(r.severity)}, ${lit(r.status)}, ${lit(primaryAccount)}, ` +
          `CAST(${lit(r.window.from)} AS TIMESTAMPTZ)::TIMESTAMP, CAST(${lit(r.window.to)} AS TIMESTAMPTZ)::TIMESTAMP, ${lit(JSON.stringify(r))})`,
      )
      .join(",\n");
    await this.exec("BEGIN TRANSACTION");
    try {
      await this.exec(`CREATE OR REPLACE TEMP TABLE alert_changes AS SELECT * FROM (VALUES ${values})
  t(id, typology, score, severity, status, primary_account, window_from, window_to, record)`);
      // An alert keeps when it was first raised; only a changed record counts as an update.
      await this.exec(`UPDATE alerts SET typology = c.typology, score = c.score, severity = c.severity,
  status = c.status, primary_account = c.primary_account, window_from = c.window_from,
  window_to = c.window_to, record = c.record, updated_at = now()::TIMESTAMP
FROM alert_changes c WHERE alerts.id = c.id AND alerts.record <> c.record`);
      await this.exec(`INSERT INTO alerts SELECT c.*, now()::TIMESTAMP, now()::TIMESTAMP FROM alert_changes c
WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = c.id)`);
      await this.exec("COMMIT");
    } catch (error) {
      await this.db.run("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      await this.exec("DROP TABLE IF EXISTS alert_changes");
    }
  }

  async close(): Promise<void> {
    this.db.closeSync();
    this.instance.closeSync();
  }
}

/**
 * The keys of the graph's accounts at `places`: a loop, where `Array.from` over the typed array
 * iterates it (an iterator result per value in code that runs once a delivery).
 */
function heldKeys(places: Int32Array, accounts: readonly string[]): string[] {
  const keys = new Array<string>(places.length);
  for (let i = 0; i < places.length; i++) keys[i] = accounts[places[i] as number] as string;
  return keys;
}
