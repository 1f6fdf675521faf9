import { afterAll, describe, expect, it } from "vitest";
import type { EntityLink, EntityRecord, ResolutionRun } from "../../src/model/resolution.js";
import type { ResolutionWrite } from "../../src/store/store.js";
import { tempDir, withStore } from "../helpers.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

function run(n: number): ResolutionRun {
  return {
    run: n,
    mode: n === 1 ? "full" : "incremental",
    started_at: "2026-11-30T12:00:00.000Z",
    parties: 3,
    new_parties: 3,
    candidate_pairs: 2,
    entities: 2,
    model: '{"person":null}',
    stats: "{}",
  };
}

const entity = (id: string, members: number): EntityRecord =>
  ({
    id,
    kind: "person",
    display_name: `Name ${id}`,
    members,
    created_run: 1,
    updated_run: 1,
  }) as EntityRecord;

const link = (a: string, b: string, status: EntityLink["status"], note: string | null): EntityLink =>
  ({ party_a: a, party_b: b, weight: 12.5, probability: 0.9998, status, note }) as EntityLink;

const first: ResolutionWrite = {
  run: run(1),
  entities: [entity("E0000001", 2), entity("E0000002", 1)],
  members: { party: ["s:1", "s:2", "s:3"], entity: ["E0000001", "E0000001", "E0000002"] },
  links: [link("s:1", "s:2", "accepted", null), link("s:2", "s:3", "rejected", "not cohesive")],
  events: [
    { run: 1, seq: 0, kind: "created", entity_id: "E0000001", related: [], members: 2 },
    { run: 1, seq: 1, kind: "created", entity_id: "E0000002", related: [], members: 1 },
  ] as unknown as ResolutionWrite["events"],
};

describe("resolution tables", () => {
  it("start empty, then hold exactly what a run wrote", async () => {
    await withStore(dir, async (store) => {
      const empty = await store.resolutionState();
      expect(empty.members.size).toBe(0);
      expect(empty.lastRun).toBeNull();
      await store.writeResolution(first);
      const state = await store.resolutionState();
      expect([...state.members]).toEqual([
        ["s:1", "E0000001"],
        ["s:2", "E0000001"],
        ["s:3", "E0000002"],
      ]);
      expect(state.links).toEqual(first.links);
      expect(state.lastRun).toEqual(first.run);
      expect([...state.entities.keys()]).toEqual(["E0000001", "E0000002"]);
      expect(await store.entityEvents("E0000001")).toEqual([first.events[0]]);
    });
  });

  it("a second run replaces membership and links whole and keeps the history of events", async () => {
    await withStore(dir, async (store) => {
      await store.writeResolution({
        run: run(2),
        entities: [entity("E0000001", 3)],
        members: { party: ["s:1", "s:2", "s:3"], entity: ["E0000001", "E0000001", "E0000001"] },
        links: [link("s:1", "s:2", "accepted", null)],
        events: [
          { run: 2, seq: 0, kind: "merged", entity_id: "E0000001", related: ["E0000002"], members: 3 },
        ] as unknown as ResolutionWrite["events"],
      });
      const state = await store.resolutionState();
      expect(new Set(state.members.values())).toEqual(new Set(["E0000001"]));
      expect(state.links).toHaveLength(1);
      expect(state.lastRun?.run).toBe(2);
      // The absorbed id's history names it as related.
      expect((await store.entityEvents("E0000002")).map((e) => e.kind)).toEqual(["created", "merged"]);
    });
  });

  it("a failing write leaves the previous resolution as it was", async () => {
    await withStore(dir, async (store) => {
      const before = await store.resolutionState();
      // The run number is a primary key: writing run 2 again fails after the tables were cleared.
      await expect(store.writeResolution({ ...first, run: run(2) })).rejects.toThrow();
      const after = await store.resolutionState();
      expect([...after.members]).toEqual([...before.members]);
      expect(after.links).toEqual(before.links);
    });
  });

  it("keeps overrides in the order they were made", async () => {
    await withStore(dir, async (store) => {
      await store.addOverride({
        id: "ovr_2",
        kind: "forbid",
        record: "{}",
        created_at: "2026-11-30T12:00:02.000Z",
      });
      await store.addOverride({
        id: "ovr_1",
        kind: "confirm",
        record: "{}",
        created_at: "2026-11-30T12:00:01.000Z",
      });
      expect((await store.overrides()).map((o) => o.id)).toEqual(["ovr_1", "ovr_2"]);
    });
  });
});

describe("resolution tables: a run's result replaces the last one exactly", () => {
  const other = tempDir();
  afterAll(other.cleanup);

  it("drops members and entities the run left out, rewrites changed rows, keeps unchanged ones", async () => {
    await withStore(other.dir, async (store) => {
      await store.writeResolution(first);
      const renamed = { ...entity("E0000002", 1), display_name: "Renamed", updated_run: 2 } as EntityRecord;
      const added = { ...entity("E0000003", 1), created_run: 2, updated_run: 2 } as EntityRecord;
      const second: ResolutionWrite = {
        run: run(2),
        // E0000001 is unchanged; E0000002 changed its name; E0000003 is new.
        entities: [entity("E0000001", 2), renamed, added],
        // s:3 is gone; s:2 moved to E0000003; s:4 is new.
        members: { party: ["s:1", "s:2", "s:4"], entity: ["E0000001", "E0000003", "E0000002"] },
        links: [],
        events: [
          {
            run: 2,
            seq: 0,
            kind: "split",
            entity_id: "E0000001",
            related: ["E0000003", "E0000009"],
            members: 1,
          },
        ] as unknown as ResolutionWrite["events"],
      };
      await store.writeResolution(second);
      const state = await store.resolutionState();
      expect([...state.members]).toEqual([
        ["s:1", "E0000001"],
        ["s:2", "E0000003"],
        ["s:4", "E0000002"],
      ]);
      expect([...state.entities.values()]).toEqual([entity("E0000001", 2), renamed, added]);
      expect(state.links).toEqual([]);
      expect((await store.entityEvents("E0000009")).map((e) => e.related)).toEqual([
        ["E0000003", "E0000009"],
      ]);
      expect((await store.entityEvents("E0000002")).map((e) => e.related)).toEqual([[]]);
    });
  });
});
