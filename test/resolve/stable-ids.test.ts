import { describe, expect, it } from "vitest";
import { inheritIds } from "../../src/resolve/stable-ids.js";

/** Mints E1, E2, … from `from`. */
function minter(from = 1): () => string {
  let next = from;
  return () => `E${next++}`;
}

/** The record → entity map a run leaves for the next one. */
function membership(clusters: readonly (readonly string[])[], ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  clusters.forEach((records, c) => {
    for (const r of records) out.set(r, ids[c] as string);
  });
  return out;
}

/** Events without run and seq, for short assertions. */
function brief(events: ReturnType<typeof inheritIds>["events"]): string[] {
  return events.map(
    (e) => `${e.kind} ${e.entity_id}${e.related.length ? ` [${e.related.join(",")}]` : ""} ${e.members}`,
  );
}

describe("inheritIds", () => {
  it("mints ids in order of each cluster's smallest record on a first run", () => {
    const { ids, events } = inheritIds(new Map(), [["r5", "r3"], ["r1"], ["r4", "r2"]], minter(), 1);
    expect(ids).toEqual(["E3", "E1", "E2"]);
    expect(brief(events)).toEqual(["created E1 1", "created E2 2", "created E3 2"]);
    expect(events.map((e) => [e.run, e.seq])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
  });

  it("gives the same ids for the same input, whatever the cluster order, and no events", () => {
    const clusters = [["a", "b"], ["c"], ["d", "e", "f"]];
    const first = inheritIds(new Map(), clusters, minter());
    const previous = membership(clusters, first.ids);
    const again = inheritIds(previous, clusters, minter(100));
    expect(again.ids).toEqual(first.ids);
    expect(again.events).toEqual([]);
    const reordered = inheritIds(previous, [["f", "e", "d"], ["c"], ["b", "a"]], minter(100));
    expect(reordered.ids).toEqual([first.ids[2], first.ids[1], first.ids[0]]);
    expect(reordered.events).toEqual([]);
  });

  it("keeps an entity's id when a record joins it, and mints for a new entity", () => {
    const previous = new Map([
      ["a", "E1"],
      ["b", "E1"],
      ["c", "E2"],
    ]);
    const { ids, events } = inheritIds(previous, [["a", "b", "new1"], ["c"], ["new2"]], minter(3));
    expect(ids).toEqual(["E1", "E2", "E3"]);
    expect(brief(events)).toEqual(["created E3 1"]);
  });

  it("keeps the larger entity's id on a merge and records the merge", () => {
    const previous = new Map([
      ["a", "E2"],
      ["b", "E2"],
      ["c", "E2"],
      ["d", "E1"],
    ]);
    const { ids, events } = inheritIds(previous, [["a", "b", "c", "d"]], minter(3));
    expect(ids).toEqual(["E2"]);
    expect(brief(events)).toEqual(["merged E2 [E1] 4", "retired E1 0"]);
  });

  it("keeps the id on the larger part of a split and records the split", () => {
    const previous = new Map(["a", "b", "c", "d", "e"].map((r) => [r, "E1"] as const));
    const { ids, events } = inheritIds(
      previous,
      [
        ["d", "e"],
        ["a", "b", "c"],
      ],
      minter(2),
    );
    expect(ids).toEqual(["E2", "E1"]);
    expect(brief(events)).toEqual(["created E2 2", "split E1 [E2] 3"]);
  });

  it("breaks ties by old entity id, then by the cluster's smallest record", () => {
    // E1 splits evenly: the part with the smaller record keeps E1.
    const split = inheritIds(
      new Map([
        ["x", "E1"],
        ["y", "E1"],
      ]),
      [["y"], ["x"]],
      minter(2),
    );
    expect(split.ids).toEqual(["E2", "E1"]);
    // Two entities of one record each merge: the smaller id by code units ("E10" < "E9") survives.
    const merged = inheritIds(
      new Map([
        ["x", "E9"],
        ["y", "E10"],
      ]),
      [["x", "y"]],
      minter(11),
    );
    expect(merged.ids).toEqual(["E10"]);
    expect(brief(merged.events)).toEqual(["merged E10 [E9] 2", "retired E9 0"]);
  });

  it("handles a merge and a split at once: each old id goes to one cluster at most", () => {
    // E1 {a,b,c,d} and E2 {e,f}; now {a,b,e,f} and {c,d}: both overlaps are 2, E1 < E2 wins the
    // first cluster (smaller record a), E2 has nowhere left to go and retires, {c,d} gets a new id.
    const previous = new Map([
      ["a", "E1"],
      ["b", "E1"],
      ["c", "E1"],
      ["d", "E1"],
      ["e", "E2"],
      ["f", "E2"],
    ]);
    const { ids, events } = inheritIds(
      previous,
      [
        ["c", "d"],
        ["a", "b", "e", "f"],
      ],
      minter(3),
    );
    expect(ids).toEqual(["E3", "E1"]);
    expect(brief(events)).toEqual(["created E3 2", "merged E1 [E2] 4", "split E1 [E3] 4", "retired E2 0"]);
  });

  it("ignores records no longer present and retires entities left with none", () => {
    const previous = new Map([
      ["a", "E1"],
      ["gone", "E1"],
      ["lost", "E2"],
    ]);
    const { ids, events } = inheritIds(previous, [["a"]], minter(3));
    expect(ids).toEqual(["E1"]);
    expect(brief(events)).toEqual(["retired E2 0"]);
  });

  it("refuses a record in two clusters, an empty cluster, and a minted id already in use", () => {
    expect(() => inheritIds(new Map(), [["a"], ["a"]], minter())).toThrow(
      "stable-ids: record a is in two clusters",
    );
    expect(() => inheritIds(new Map(), [[]], minter())).toThrow("stable-ids: cluster 0 is empty");
    expect(() => inheritIds(new Map([["a", "E1"]]), [["b"]], minter(1))).toThrow(
      "stable-ids: mint gave E1, an id already in use",
    );
  });

  it("keeps ids stable over a sequence of runs as data arrives", () => {
    // Run 1: two people. Run 2: a third record for the first, a new person. Run 3: the model now
    // splits the first person's late record off again. Ids follow the people throughout.
    const mint = minter();
    const run1 = [["p1a", "p1b"], ["p2a"]];
    const r1 = inheritIds(new Map(), run1, mint, 1);
    const run2 = [["p1a", "p1b", "p1c"], ["p2a"], ["p3a"]];
    const r2 = inheritIds(membership(run1, r1.ids), run2, mint, 2);
    expect(r2.ids.slice(0, 2)).toEqual(r1.ids);
    const run3 = [["p1a", "p1b"], ["p1c"], ["p2a"], ["p3a"]];
    const r3 = inheritIds(membership(run2, r2.ids), run3, mint, 3);
    expect(r3.ids).toEqual([r1.ids[0], "E4", r1.ids[1], r2.ids[2]]);
    expect(brief(r3.events)).toEqual(["created E4 1", `split ${r1.ids[0]} [E4] 2`]);
  });
});
