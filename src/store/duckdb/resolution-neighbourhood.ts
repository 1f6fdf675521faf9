import type { DuckDBConnection } from "@duckdb/node-api";
import type { EntityLink } from "../../model/resolution.js";
import { lit } from "../../util/sql.js";
import type { Neighbourhood, NeighbourhoodRequest, ResolutionHead } from "../store.js";
import { profiled } from "./profile.js";
import {
  append,
  appendKeys,
  readEntities,
  readLastRun,
  readLinks,
  readOverrides,
  textRowsOf,
} from "./resolution-tables.js";

/**
 * What an incremental `resolve` reads instead of every party (issue 6: 10,000 new parties against
 * a million resolved ones). The stored blocking keys (resolution_keys) find each new party's
 * candidates and count block sizes in SQL, with the cap applied exactly as a full run applies it
 * (over all parties, new ones included); the stored components (resolution_components) widen
 * those candidates to the whole components they lie in, which are what may be re-clustered.
 * Everything is staged in temp tables of this connection and dropped at the end.
 */

type Row = Record<string, unknown>;

async function run(db: DuckDBConnection, sql: string): Promise<void> {
  await profiled(sql, () => db.run(sql));
}

async function rows(db: DuckDBConnection, sql: string): Promise<Row[]> {
  return profiled(sql, async () => (await db.runAndReadAll(sql)).getRowObjectsJson() as Row[]);
}

export async function readResolutionHead(db: DuckDBConnection): Promise<ResolutionHead> {
  const counts = (
    await rows(
      db,
      `SELECT (SELECT count(*) FROM parties) AS parties,
         (SELECT coalesce(max(TRY_CAST(substr(id, 2) AS BIGINT)), 0) FROM entities WHERE regexp_full_match(id, 'E[0-9]+')) AS max_entity`,
    )
  )[0] as Row;
  return {
    lastRun: await readLastRun(db),
    overrides: await readOverrides(db),
    parties: Number(counts.parties),
    maxEntityNumber: Number(counts.max_entity),
  };
}

/** The parties without an entity, as a subquery over `parties` (for party-rows.ts). */
export const UNRESOLVED_PARTIES =
  "(SELECT p.* FROM parties p WHERE NOT EXISTS (SELECT 1 FROM entity_members m WHERE m.party_id = p.id)) u";

/** The neighbourhood's parties, as a subquery over `parties` (valid while readNeighbourhood runs). */
export const NEIGHBOURHOOD_PARTIES = "(SELECT p.* FROM parties p SEMI JOIN hood h ON h.party_id = p.id) n";

/**
 * Stages the neighbourhood (temp table `hood`), lets `readParties` read its parties, and reads
 * its members, links, entities and the capped blocks among its keys.
 */
export async function readNeighbourhood(
  db: DuckDBConnection,
  request: NeighbourhoodRequest,
  readParties: () => Promise<Neighbourhood["parties"]>,
): Promise<Neighbourhood> {
  const cap = Math.trunc(request.maxBlockSize);
  try {
    await run(
      db,
      "CREATE OR REPLACE TEMP TABLE hood_new_keys (party_id VARCHAR, rule UTINYINT, key VARCHAR)",
    );
    await appendKeys(db, "hood_new_keys", request.keys);
    await run(db, "CREATE OR REPLACE TEMP TABLE hood_seeds (party_id VARCHAR)");
    await append(db, "hood_seeds", request.seeds.length, (a, i) => {
      a.appendVarchar(request.seeds[i] as string);
    });
    // The size of every block a new party is in, over stored and new parties alike, and how
    // many of them are new.
    await run(
      db,
      `CREATE OR REPLACE TEMP TABLE hood_blocks AS
      SELECT rule, key, count(*) AS size, count(*) FILTER (WHERE fresh) AS fresh FROM (
        SELECT k.rule, k.key, false AS fresh FROM resolution_keys k
          JOIN (SELECT DISTINCT rule, key FROM hood_new_keys) t USING (rule, key)
        UNION ALL SELECT rule, key, true AS fresh FROM hood_new_keys
      ) GROUP BY rule, key`,
    );
    // Candidates: stored parties in a block with a new one that is not over the cap.
    await run(
      db,
      `INSERT INTO hood_seeds
      SELECT k.party_id FROM resolution_keys k JOIN hood_blocks b USING (rule, key) WHERE b.size <= ${cap}`,
    );
    // Stored links inside a block the new parties pushed over the cap: a full run would no
    // longer make them unless another rule does, which the resolver checks on both ends. (A
    // block over the cap before them made no stored link: the last run skipped it too.)
    await run(
      db,
      `INSERT INTO hood_seeds
      WITH capped AS (
        SELECT k.party_id, k.rule, k.key FROM resolution_keys k JOIN hood_blocks b USING (rule, key) WHERE b.size > ${cap} AND b.size - b.fresh <= ${cap}
      )
      SELECT unnest([l.party_a, l.party_b]) FROM entity_links l
      JOIN capped x ON x.party_id = l.party_a
      JOIN capped y ON y.party_id = l.party_b AND y.rule = x.rule AND y.key = x.key`,
    );
    // Whole components: what a new link or constraint may change is re-clustered whole.
    await run(
      db,
      `CREATE OR REPLACE TEMP TABLE hood AS
      SELECT DISTINCT c.party_id FROM resolution_components c
      WHERE c.component IN (
        SELECT c2.component FROM resolution_components c2 SEMI JOIN hood_seeds s ON s.party_id = c2.party_id
      )`,
    );

    const parties = await profiled("neighbourhood parties", readParties);
    const members = new Map<string, string>();
    for (const f of await textRowsOf(
      db,
      ["party_id", "entity_id"],
      "(SELECT m.* FROM entity_members m SEMI JOIN hood h ON h.party_id = m.party_id) m",
      "party_id",
    )) {
      members.set(f[0] as string, f[1] as string);
    }
    const links = await readLinks(
      db,
      `(SELECT l.* FROM entity_links l SEMI JOIN hood a ON a.party_id = l.party_a
           SEMI JOIN hood b ON b.party_id = l.party_b) l`,
    );
    const entities = await readEntities(
      db,
      `(SELECT e.* FROM entities e WHERE e.id IN (
         SELECT m.entity_id FROM entity_members m SEMI JOIN hood h ON h.party_id = m.party_id)) e`,
    );
    // The blocks over the cap among the keys of the parties read, counted over every party.
    const capped = (
      await textRowsOf(
        db,
        ["rule", "key"],
        `(WITH keys AS (
            SELECT DISTINCT rule, key FROM (
              SELECT k.rule, k.key FROM resolution_keys k SEMI JOIN hood h ON h.party_id = k.party_id
              UNION ALL SELECT rule, key FROM hood_new_keys))
          SELECT rule, key FROM (
            SELECT k.rule, k.key FROM resolution_keys k JOIN keys USING (rule, key)
            UNION ALL SELECT rule, key FROM hood_new_keys)
          GROUP BY rule, key HAVING count(*) > ${cap}) c`,
        "rule, key",
      )
    ).map((f) => ({ rule: Number(f[0]), key: f[1] as string }));
    return { parties, members, links, entities, capped };
  } finally {
    for (const t of ["hood", "hood_blocks", "hood_seeds", "hood_new_keys"]) {
      await run(db, `DROP TABLE IF EXISTS ${t}`);
    }
  }
}

/** A list of ids as SQL (never empty: IN () is an error). */
const idList = (ids: readonly string[]): string => [...new Set(ids), ""].map(lit).join(", ");

/** The stored links with either end among `parties`, by party_a then party_b. */
export async function readLinksTouching(
  db: DuckDBConnection,
  parties: readonly string[],
): Promise<EntityLink[]> {
  const list = idList(parties);
  return readLinks(db, `(SELECT * FROM entity_links WHERE party_a IN (${list}) OR party_b IN (${list})) l`);
}

export async function readMembersOf(
  db: DuckDBConnection,
  parties: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of await rows(
    db,
    `SELECT party_id, entity_id FROM entity_members WHERE party_id IN (${idList(parties)}) ORDER BY party_id`,
  )) {
    out.set(String(r.party_id), String(r.entity_id));
  }
  return out;
}
