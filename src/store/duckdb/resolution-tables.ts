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
import type { OverrideRow, ResolutionState, ResolutionWrite } from "../store.js";

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
  const links: EntityLink[] = (await rows(db, "SELECT * FROM entity_links ORDER BY party_a, party_b")).map(
    (r) => ({
      party_a: text(r.party_a) as EntityLink["party_a"],
      party_b: text(r.party_b) as EntityLink["party_b"],
      weight: Number(r.weight),
      probability: Number(r.probability),
      status: text(r.status) as EntityLink["status"],
      note: textOrNull(r.note),
    }),
  );
  const entities = new Map<string, EntityRecord>();
  for (const r of await rows(db, "SELECT * FROM entities ORDER BY id")) {
    entities.set(text(r.id), EntityRecord.parse({ ...r, members: Number(r.members) }));
  }
  const last = (await rows(db, "SELECT * FROM resolution_runs ORDER BY run DESC LIMIT 1"))[0];
  const lastRun = last
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
  return { members, links, entities, lastRun, overrides: await readOverrides(db) };
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

async function append(
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

export async function writeResolution(db: DuckDBConnection, write: ResolutionWrite): Promise<void> {
  await db.run("BEGIN TRANSACTION");
  try {
    for (const table of ["entities", "entity_members", "entity_links"]) await db.run(`DELETE FROM ${table}`);
    const { entities, members, links, events, run } = write;
    await append(db, "entities", entities.length, (a, i) => {
      const e = entities[i] as EntityRecord;
      a.appendVarchar(e.id);
      a.appendVarchar(e.kind);
      a.appendVarchar(e.display_name);
      a.appendInteger(e.members);
      a.appendInteger(e.created_run);
      a.appendInteger(e.updated_run);
    });
    await append(db, "entity_members", members.party.length, (a, i) => {
      a.appendVarchar(members.party[i] as string);
      a.appendVarchar(members.entity[i] as string);
    });
    await append(db, "entity_links", links.length, (a, i) => {
      const l = links[i] as EntityLink;
      a.appendVarchar(l.party_a);
      a.appendVarchar(l.party_b);
      a.appendDouble(l.weight);
      a.appendDouble(l.probability);
      a.appendVarchar(l.status);
      appendText(a, l.note);
    });
    if (events.length > 0) {
      const values = events.map(
        (e: ResolutionEvent) =>
          `(${e.run}, ${e.seq}, ${lit(e.kind)}, ${lit(e.entity_id)}, [${e.related.map(lit).join(", ")}]::VARCHAR[], ${e.members})`,
      );
      for (let i = 0; i < values.length; i += 5000)
        await db.run(`INSERT INTO resolution_events VALUES ${values.slice(i, i + 5000).join(", ")}`);
    }
    await db.run(
      `INSERT INTO resolution_runs VALUES (${run.run}, ${lit(run.mode)}, CAST(${lit(run.started_at)} AS TIMESTAMPTZ)::TIMESTAMP, ` +
        `${run.parties}, ${run.new_parties}, ${run.candidate_pairs}, ${run.entities}, ${lit(run.model)}, ${lit(run.stats)})`,
    );
    await db.run("COMMIT");
  } catch (error) {
    await db.run("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Every party with its entity (empty before the first `resolve`), in source and record order. */
export async function readPartyEntities(db: DuckDBConnection): Promise<PartyEntityRow[]> {
  return (
    await rows(
      db,
      `SELECT p.source_name AS source, coalesce(p.source_record_id, p.id) AS record_id, coalesce(m.entity_id, '') AS entity_id
FROM parties p LEFT JOIN entity_members m ON m.party_id = p.id
ORDER BY p.source_name, record_id, p.id`,
    )
  ).map((r) => ({ source: text(r.source), record_id: text(r.record_id), entity_id: text(r.entity_id) }));
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
