import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import {
  type AccountEntity,
  type EntityLink,
  EntityRecord,
  type PartyEntityRow,
  type ResolutionEvent,
  ResolutionRun,
} from "../../model/resolution.js";
import { lit } from "../../util/sql.js";
import type {
  OverrideRow,
  PartyKeys,
  ResolutionRunTime,
  ResolutionState,
  ResolutionWrite,
} from "../store.js";
import { profiled } from "./profile.js";
import { readTextRows } from "./text-rows.js";

type Row = Record<string, unknown>;

/**
 * The resolution tables of a DuckDB workspace (migration 6). A run's result replaces entities,
 * members and links whole, and appends its run row and events, in one transaction: a killed run
 * leaves the previous resolution as it was.
 */

async function rows(db: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Row[];
}

const text = (v: unknown): string => String(v);
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** DuckDB prints a TIMESTAMP as "2026-11-30 12:00:00"; the model's instants are ISO with milliseconds. */
const iso = (v: unknown): string => {
  const s = String(v).replace(" ", "T");
  return new Date(s.endsWith("Z") ? s : `${s}Z`).toISOString();
};

export async function readResolutionState(db: DuckDBConnection): Promise<ResolutionState> {
  const members = new Map<string, string>();
  // Read as one text: a million member rows as objects cost seconds; one string split costs little.
  const joined = (
    await rows(
      db,
      "SELECT string_agg(party_id || chr(9) || entity_id, chr(10) ORDER BY party_id) AS m FROM entity_members",
    )
  )[0]?.m;
  if (joined !== null && joined !== undefined) {
    for (const line of String(joined).split("\n")) {
      const tab = line.indexOf("\t");
      members.set(line.slice(0, tab), line.slice(tab + 1));
    }
  }
  const links = await readLinks(db, "entity_links");
  const entities = await readEntities(db, "entities");
  return { members, links, entities, lastRun: await readLastRun(db), overrides: await readOverrides(db) };
}

/**
 * Rows of `from` as text fields (text-rows.ts), with row objects as the fallback it asks for:
 * links and entities number hundreds of thousands after a million parties, which row objects
 * took a minute to read.
 */
export async function textRowsOf(
  db: DuckDBConnection,
  columns: readonly string[],
  from: string,
  order: string,
): Promise<(string | null)[][]> {
  const fast = await profiled(from, () => readTextRows(db, columns, from, order));
  if (fast) return fast;
  return (await rows(db, `SELECT ${columns.join(", ")} FROM ${from} ORDER BY ${order}`)).map((r) =>
    columns.map((c) => textOrNull(r[c])),
  );
}

/** The links of `from` (entity_links, or a subquery over it with an alias), in pair order. */
export async function readLinks(db: DuckDBConnection, from: string): Promise<EntityLink[]> {
  const fields = await textRowsOf(
    db,
    ["party_a", "party_b", "weight", "probability", "status", "note"],
    from,
    "party_a, party_b",
  );
  return fields.map((f) => ({
    party_a: f[0] as EntityLink["party_a"],
    party_b: f[1] as EntityLink["party_b"],
    weight: Number(f[2]),
    probability: Number(f[3]),
    status: f[4] as EntityLink["status"],
    note: f[5] ?? null,
  }));
}

/**
 * The entities of `from` (entities, or a subquery over it with an alias) by id. Written by
 * writeResolution from checked records: rebuilt without a schema check per row.
 */
export async function readEntities(db: DuckDBConnection, from: string): Promise<Map<string, EntityRecord>> {
  const entities = new Map<string, EntityRecord>();
  const fields = await textRowsOf(
    db,
    ["id", "kind", "display_name", "members", "created_run", "updated_run"],
    from,
    "id",
  );
  for (const f of fields) {
    entities.set(f[0] as string, {
      id: f[0] as EntityRecord["id"],
      kind: f[1] as EntityRecord["kind"],
      display_name: f[2] as string,
      members: Number(f[3]),
      created_run: Number(f[4]),
      updated_run: Number(f[5]),
    });
  }
  return entities;
}

/** The last resolution run (with its model and figures), or null before the first. */
export async function readLastRun(db: DuckDBConnection): Promise<ResolutionRun | null> {
  const last = (await rows(db, "SELECT * FROM resolution_runs ORDER BY run DESC LIMIT 1"))[0];
  return last
    ? ResolutionRun.parse({
        ...last,
        run: Number(last.run),
        parties: Number(last.parties),
        new_parties: Number(last.new_parties),
        candidate_pairs: Number(last.candidate_pairs),
        entities: Number(last.entities),
        started_at: iso(last.started_at),
      })
    : null;
}

/** Every run, without its model and figures: when each ran, for the events that name it. */
export async function readResolutionRuns(db: DuckDBConnection): Promise<ResolutionRunTime[]> {
  return (await rows(db, "SELECT run, mode, started_at FROM resolution_runs ORDER BY run")).map((r) => ({
    run: Number(r.run),
    mode: text(r.mode) as ResolutionRunTime["mode"],
    started_at: iso(r.started_at),
  }));
}

export async function readOverrides(db: DuckDBConnection): Promise<OverrideRow[]> {
  return (await rows(db, "SELECT * FROM resolution_overrides ORDER BY created_at, id")).map((r) => ({
    id: text(r.id),
    kind: text(r.kind),
    record: text(r.record),
    created_at: iso(r.created_at),
  }));
}

export async function insertOverride(db: DuckDBConnection, row: OverrideRow): Promise<void> {
  await db.run(
    `INSERT INTO resolution_overrides VALUES (${lit(row.id)}, ${lit(row.kind)}, ${lit(row.record)}, CAST(${lit(row.created_at)} AS TIMESTAMPTZ)::TIMESTAMP)`,
  );
}

function appendText(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

/** Blocking keys as rows (party_id, rule, key) of `table`. */
export async function appendKeys(db: DuckDBConnection, table: string, keys: PartyKeys): Promise<void> {
  const { party, rule, key } = keys;
  await append(db, table, party.length, (a, i) => {
    a.appendVarchar(party[i] as string);
    a.appendUTinyInt(rule[i] as number);
    a.appendVarchar(key[i] as string);
  });
}

export async function append(
  db: DuckDBConnection,
  table: string,
  count: number,
  row: (appender: DuckDBAppender, i: number) => void,
): Promise<void> {
  const appender = await db.createAppender(table);
  try {
    for (let i = 0; i < count; i++) {
      row(appender, i);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * Replaces the table's rows with the staged ones (same columns), touching only rows that
 * changed. DuckDB re-inserting keys deleted in the same transaction into a table with a primary
 * key is very slow (1M members deleted and written back: over two minutes; the rows that changed
 * only: 6 s), and a re-run changes few rows: stable ids keep most members where they were.
 */
async function replaceChanged(
  db: DuckDBConnection,
  table: string,
  staged: string,
  columns: readonly string[],
  /** Only rows of the table that meet this (SQL) are replaced; the others stay (an incremental run). */
  within: string | null = null,
): Promise<void> {
  const key = columns[0] as string;
  const same = columns.map((c) => `${staged}.${c} IS NOT DISTINCT FROM ${table}.${c}`).join(" AND ");
  await db.run(
    `DELETE FROM ${table} WHERE ${within ?? "true"} AND NOT EXISTS (SELECT 1 FROM ${staged} WHERE ${same})`,
  );
  await db.run(
    `INSERT INTO ${table} SELECT * FROM ${staged} WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE ${table}.${key} = ${staged}.${key})`,
  );
}

/** Related ids travel as one text through the appender (ids never hold this character). */
const RELATED_SEPARATOR = "\u001f";

/**
 * Writes a run's result. A full run replaces every row; an incremental one (`scope`) replaces the
 * rows of the parties and entities it read, and the links between two of those parties, and
 * leaves the rest as it is. Changed rows only, either way (replaceChanged).
 */
export async function writeResolution(db: DuckDBConnection, write: ResolutionWrite): Promise<void> {
  const { entities, members, links, events, run, scope } = write;
  await db.run("BEGIN TRANSACTION");
  try {
    if (scope) {
      await db.run("CREATE OR REPLACE TEMP TABLE scope_parties (party_id VARCHAR)");
      await db.run("CREATE OR REPLACE TEMP TABLE scope_entities (id VARCHAR)");
      await append(db, "scope_parties", scope.parties.length, (a, i) => {
        a.appendVarchar(scope.parties[i] as string);
      });
      await append(db, "scope_entities", scope.entities.length, (a, i) => {
        a.appendVarchar(scope.entities[i] as string);
      });
    }
    const inScope = (column: string): string | null =>
      scope ? `${column} IN (SELECT party_id FROM scope_parties)` : null;
    // Staging tables live in this connection's temp schema and go with the transaction's end.
    await db.run("CREATE OR REPLACE TEMP TABLE staged_entities AS SELECT * FROM entities LIMIT 0");
    await db.run("CREATE OR REPLACE TEMP TABLE staged_members AS SELECT * FROM entity_members LIMIT 0");
    await db.run(
      "CREATE OR REPLACE TEMP TABLE staged_events (run INTEGER, seq INTEGER, kind VARCHAR, entity_id VARCHAR, related VARCHAR, members INTEGER)",
    );
    await append(db, "staged_entities", entities.length, (a, i) => {
      const e = entities[i] as EntityRecord;
      a.appendVarchar(e.id);
      a.appendVarchar(e.kind);
      a.appendVarchar(e.display_name);
      a.appendInteger(e.members);
      a.appendInteger(e.created_run);
      a.appendInteger(e.updated_run);
    });
    await append(db, "staged_members", members.party.length, (a, i) => {
      a.appendVarchar(members.party[i] as string);
      a.appendVarchar(members.entity[i] as string);
    });
    await replaceChanged(
      db,
      "entities",
      "staged_entities",
      ["id", "kind", "display_name", "members", "created_run", "updated_run"],
      scope ? "id IN (SELECT id FROM scope_entities)" : null,
    );
    await replaceChanged(
      db,
      "entity_members",
      "staged_members",
      ["party_id", "entity_id"],
      inScope("party_id"),
    );
    if (write.components) await writeComponents(db, write.components, inScope("party_id"));
    if (write.keys) {
      // Keys never change for a party under one rules version: an incremental run adds the new
      // parties' keys; a full run (perhaps under other rules) writes them all again.
      if (!scope) await db.run("DELETE FROM resolution_keys");
      await appendKeys(db, "resolution_keys", write.keys);
    }
    // Links have no key: replaced whole (an incremental run: those between two parties it read).
    if (scope) await db.run(`DELETE FROM entity_links WHERE ${inScope("party_a")} AND ${inScope("party_b")}`);
    else await db.run("DELETE FROM entity_links");
    await append(db, "entity_links", links.length, (a, i) => {
      const l = links[i] as EntityLink;
      a.appendVarchar(l.party_a);
      a.appendVarchar(l.party_b);
      a.appendDouble(l.weight);
      a.appendDouble(l.probability);
      a.appendVarchar(l.status);
      appendText(a, l.note);
    });
    await append(db, "staged_events", events.length, (a, i) => {
      const e = events[i] as ResolutionEvent;
      a.appendInteger(e.run);
      a.appendInteger(e.seq);
      a.appendVarchar(e.kind);
      a.appendVarchar(e.entity_id);
      a.appendVarchar(e.related.join(RELATED_SEPARATOR));
      a.appendInteger(e.members);
    });
    await db.run(
      `INSERT INTO resolution_events SELECT run, seq, kind, entity_id,
         CASE WHEN related = '' THEN []::VARCHAR[] ELSE string_split(related, chr(${RELATED_SEPARATOR.charCodeAt(0)})) END, members
       FROM staged_events`,
    );
    await db.run(
      `INSERT INTO resolution_runs VALUES (${run.run}, ${lit(run.mode)}, CAST(${lit(run.started_at)} AS TIMESTAMPTZ)::TIMESTAMP, ` +
        `${run.parties}, ${run.new_parties}, ${run.candidate_pairs}, ${run.entities}, ${lit(run.model)}, ${lit(run.stats)})`,
    );
    for (const t of ["staged_entities", "staged_members", "staged_events"]) await db.run(`DROP TABLE ${t}`);
    if (scope) for (const t of ["scope_parties", "scope_entities"]) await db.run(`DROP TABLE ${t}`);
    await db.run("COMMIT");
  } catch (error) {
    await db.run("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function writeComponents(
  db: DuckDBConnection,
  components: NonNullable<ResolutionWrite["components"]>,
  within: string | null,
): Promise<void> {
  await db.run(
    "CREATE OR REPLACE TEMP TABLE staged_components AS SELECT * FROM resolution_components LIMIT 0",
  );
  await append(db, "staged_components", components.party.length, (a, i) => {
    a.appendVarchar(components.party[i] as string);
    a.appendVarchar(components.component[i] as string);
  });
  await replaceChanged(db, "resolution_components", "staged_components", ["party_id", "component"], within);
  await db.run("DROP TABLE staged_components");
}

/** Every party with its entity (empty before the first `resolve`), in source and record order. */
export async function readPartyEntities(db: DuckDBConnection): Promise<PartyEntityRow[]> {
  const from = `(SELECT p.source_name AS source, coalesce(p.source_record_id, p.id) AS record_id,
      coalesce(m.entity_id, '') AS entity_id, p.id AS party_id
    FROM parties p LEFT JOIN entity_members m ON m.party_id = p.id) e`;
  const order = "source, record_id, party_id";
  // As text rows (text-rows.ts): a million row objects took about a minute.
  const fast = await readTextRows(db, ["source", "record_id", "entity_id"], from, order);
  if (fast) {
    return fast.map((f) => ({
      source: f[0] as string,
      record_id: f[1] as string,
      entity_id: f[2] as string,
    }));
  }
  return (await rows(db, `SELECT source, record_id, entity_id FROM ${from} ORDER BY ${order}`)).map((r) => ({
    source: text(r.source),
    record_id: text(r.record_id),
    entity_id: text(r.entity_id),
  }));
}

export async function readAccountEntities(db: DuckDBConnection): Promise<AccountEntity[]> {
  return (await rows(db, "SELECT account, entity_id FROM account_entities ORDER BY account, entity_id")).map(
    (r) => ({ account: text(r.account), entity_id: text(r.entity_id) }),
  );
}

export async function readEntity(db: DuckDBConnection, id: string): Promise<EntityRecord | null> {
  const r = (await rows(db, `SELECT * FROM entities WHERE id = ${lit(id)}`))[0];
  return r ? EntityRecord.parse({ ...r, members: Number(r.members) }) : null;
}

export async function readEntityEvents(db: DuckDBConnection, id: string): Promise<ResolutionEvent[]> {
  return (
    await rows(
      db,
      `SELECT * FROM resolution_events WHERE entity_id = ${lit(id)} OR list_contains(related, ${lit(id)}) ORDER BY run, seq`,
    )
  ).map((r) => ({
    run: Number(r.run),
    seq: Number(r.seq),
    kind: text(r.kind) as ResolutionEvent["kind"],
    entity_id: text(r.entity_id) as ResolutionEvent["entity_id"],
    related: (r.related as unknown[]).map(text),
    members: Number(r.members),
  }));
}
