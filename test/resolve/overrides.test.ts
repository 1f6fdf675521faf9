import { describe, expect, it } from "vitest";
import { clusterRecords } from "../../src/resolve/cluster.js";
import { constraintsFrom, Override, type OverrideConstraints } from "../../src/resolve/overrides.js";
import { inheritIds } from "../../src/resolve/stable-ids.js";

const META = { analyst: "kim", reason: "checked the passports" };

function at(minute: number): string {
  return `2024-05-01T10:${String(minute).padStart(2, "0")}:00Z`;
}

function confirm(id: string, a: string, b: string, minute = 0): Override {
  return Override.parse({ ...META, id, kind: "confirm", records: [a, b], at: at(minute) });
}

function forbid(id: string, a: string, b: string, minute = 0): Override {
  return Override.parse({ ...META, id, kind: "forbid", records: [a, b], at: at(minute) });
}

function split(id: string, entity: string, records: string[], rest?: string[], minute = 0): Override {
  return Override.parse({ ...META, id, kind: "split", entity, records, rest, at: at(minute) });
}

function indexOf(records: readonly string[]): Map<string, number> {
  return new Map(records.map((r, i) => [r, i]));
}

/** Constraint pairs as `id-id (override)` strings, for readable assertions. */
function named(c: OverrideConstraints, records: readonly string[]): { must: string[]; cannot: string[] } {
  const show = (p: { a: Int32Array; b: Int32Array }, by: string[]): string[] =>
    Array.from(p.a, (x, k) => `${records[x]}-${records[p.b[k] as number]} (${by[k]})`);
  return { must: show(c.mustLink, c.mustLinkBy), cannot: show(c.cannotLink, c.cannotLinkBy) };
}

const NO_ENTITIES = new Map<string, string[]>();

describe("override schema", () => {
  it("reads the three kinds and refuses malformed ones", () => {
    expect(confirm("o1", "p1", "p2").kind).toBe("confirm");
    expect(split("o2", "E1", ["p3"], ["p1", "p2"]).kind).toBe("split");
    expect(
      Override.safeParse({ ...META, id: "x", kind: "forbid", records: ["p1", "p1"], at: at(0) }).success,
    ).toBe(false);
    expect(
      Override.safeParse({
        ...META,
        id: "x",
        kind: "split",
        entity: "E1",
        records: ["p1"],
        rest: ["p1"],
        at: at(0),
      }).success,
    ).toBe(false);
    expect(
      Override.safeParse({ ...META, id: "x", kind: "confirm", records: ["p1", "p2"], at: "yesterday" })
        .success,
    ).toBe(false);
    expect(
      Override.safeParse({ ...META, id: "x", kind: "merge", records: ["p1", "p2"], at: at(0) }).success,
    ).toBe(false);
    expect(Override.safeParse({ id: "x", kind: "confirm", records: ["p1", "p2"], at: at(0) }).success).toBe(
      false,
    );
    expect(
      Override.safeParse({
        ...META,
        id: "x",
        kind: "confirm",
        records: ["p1", "p2"],
        at: "2024-05-01T12:00:00+02:00",
      }).success,
    ).toBe(true);
  });
});

describe("constraintsFrom", () => {
  const records = ["a", "b", "c", "d", "e"];
  const index = indexOf(records);

  it("turns confirms into must-links, forbids and splits into cannot-links", () => {
    const c = constraintsFrom(
      [confirm("o1", "b", "a"), forbid("o2", "c", "d"), split("o3", "E1", ["e"], ["a", "b"])],
      index,
      NO_ENTITIES,
    );
    expect(named(c, records)).toEqual({
      must: ["a-b (o1)"],
      cannot: ["a-e (o3)", "b-e (o3)", "c-d (o2)"],
    });
    expect(c.conflicts).toEqual([]);
    expect(c.gaps).toEqual([]);
    expect(c.completed).toEqual([]);
  });

  it("takes a split's rest from the entity's members when the override lacks it, and returns it completed", () => {
    const members = new Map([["E1", ["a", "b", "c"]]]);
    const c = constraintsFrom([split("o1", "E1", ["c"])], index, members);
    expect(named(c, records).cannot).toEqual(["a-c (o1)", "b-c (o1)"]);
    expect(c.completed).toEqual([{ ...split("o1", "E1", ["c"]), rest: ["a", "b"] }]);
    // The completed override means the same once the entity's membership has moved on.
    const later = constraintsFrom(c.completed, index, new Map([["E1", ["a", "d"]]]));
    expect(named(later, records).cannot).toEqual(["a-c (o1)", "b-c (o1)"]);
  });

  it("skips overrides whose records are gone and reports them; a split keeps what is left", () => {
    const c = constraintsFrom(
      [
        confirm("o1", "a", "gone1"),
        forbid("o2", "gone2", "gone3"),
        split("o3", "E1", ["e", "gone4"], ["a", "gone5"]),
        split("o4", "E2", ["gone6"], ["a"]),
        split("o5", "E3", ["a"]),
      ],
      index,
      NO_ENTITIES,
    );
    expect(named(c, records)).toEqual({ must: [], cannot: ["a-e (o3)"] });
    expect(c.gaps).toEqual([
      { override: "o1", missing: ["gone1"], skipped: true },
      { override: "o2", missing: ["gone2", "gone3"], skipped: true },
      { override: "o3", missing: ["gone4", "gone5"], skipped: false },
      { override: "o4", missing: ["gone6"], skipped: true },
      { override: "o5", missing: ["E3"], skipped: true },
    ]);
  });

  it("lets the later of a confirm and a forbid on one pair win, and reports the loser", () => {
    const forbidLater = constraintsFrom(
      [confirm("o1", "a", "b", 1), forbid("o2", "b", "a", 2)],
      index,
      NO_ENTITIES,
    );
    expect(named(forbidLater, records)).toEqual({ must: [], cannot: ["a-b (o2)"] });
    expect(forbidLater.conflicts).toEqual([{ override: "o1", overruledBy: ["o2"], records: ["a", "b"] }]);

    const confirmLater = constraintsFrom(
      [confirm("o1", "a", "b", 3), forbid("o2", "b", "a", 2)],
      index,
      NO_ENTITIES,
    );
    expect(named(confirmLater, records)).toEqual({ must: ["a-b (o1)"], cannot: [] });
    expect(confirmLater.conflicts).toEqual([{ override: "o2", overruledBy: ["o1"], records: ["b", "a"] }]);
  });

  it("resolves a chain of confirms that joins a forbidden pair in favour of the latest", () => {
    // a=b (minute 3), b=c (minute 2), a≠c (minute 1): the confirms are later, the forbid loses.
    const older = constraintsFrom(
      [forbid("f", "a", "c", 1), confirm("c1", "a", "b", 3), confirm("c2", "b", "c", 2)],
      index,
      NO_ENTITIES,
    );
    expect(named(older, records)).toEqual({ must: ["a-b (c1)", "b-c (c2)"], cannot: [] });
    expect(older.conflicts).toEqual([{ override: "f", overruledBy: ["c1", "c2"], records: ["a", "c"] }]);
    // The forbid latest (minute 4): the older confirm that would close the chain loses.
    const later = constraintsFrom(
      [forbid("f", "a", "c", 4), confirm("c1", "a", "b", 3), confirm("c2", "b", "c", 2)],
      index,
      NO_ENTITIES,
    );
    expect(named(later, records)).toEqual({ must: ["a-b (c1)"], cannot: ["a-c (f)"] });
    expect(later.conflicts).toEqual([{ override: "c2", overruledBy: ["f"], records: ["b", "c"] }]);
  });

  it("drops only the pairs of a split that later confirms contradict", () => {
    const c = constraintsFrom(
      [split("s", "E1", ["d", "e"], ["a", "b"], 1), confirm("c", "e", "a", 2)],
      index,
      NO_ENTITIES,
    );
    expect(named(c, records)).toEqual({ must: ["a-e (c)"], cannot: ["a-d (s)", "b-d (s)", "b-e (s)"] });
    expect(c.conflicts).toEqual([{ override: "s", overruledBy: ["c"], records: ["e", "a"] }]);
  });

  it("orders overrides at the same time by id, and refuses duplicate ids", () => {
    const c = constraintsFrom([forbid("o2", "a", "b", 5), confirm("o1", "a", "b", 5)], index, NO_ENTITIES);
    expect(named(c, records).cannot).toEqual(["a-b (o2)"]);
    expect(() =>
      constraintsFrom([forbid("o1", "a", "b"), confirm("o1", "a", "c")], index, NO_ENTITIES),
    ).toThrow("overrides: two overrides have id o1");
  });
});

/**
 * One resolution run over named records: the model's links by record id, the overrides as
 * constraints, clustering, then stable ids from the previous run. Records are indexed in sorted
 * order, so indices shift between runs as records arrive: overrides must hold by record id.
 */
function run(
  records: readonly string[],
  links: readonly [string, string, number][],
  overrides: readonly Override[],
  previous: ReadonlyMap<string, string>,
  mint: () => string,
) {
  const sorted = [...records].sort();
  const index = indexOf(sorted);
  const members = new Map<string, string[]>();
  for (const [record, entity] of previous) {
    if (!index.has(record)) continue;
    const list = members.get(entity);
    if (list) list.push(record);
    else members.set(entity, [record]);
  }
  const constraints = constraintsFrom(overrides, index, members);
  const known = new Map(links.map(([a, b, p]) => [[a, b].sort().join("|"), p]));
  const result = clusterRecords({
    n: sorted.length,
    links: {
      a: Int32Array.from(links, ([a]) => index.get(a) as number),
      b: Int32Array.from(links, ([, b]) => index.get(b) as number),
      probability: Float64Array.from(links, ([, , p]) => p),
    },
    threshold: 0.9,
    cohesion: 0.5,
    pairProbability: (i, j) => known.get(`${sorted[i]}|${sorted[j]}`) ?? 0.6,
    mustLink: constraints.mustLink,
    cannotLink: constraints.cannotLink,
  });
  const clusters: string[][] = Array.from({ length: result.count }, () => []);
  result.label.forEach((c, i) => {
    clusters[c]?.push(sorted[i] as string);
  });
  const { ids } = inheritIds(previous, clusters, mint);
  const next = new Map<string, string>();
  clusters.forEach((list, c) => {
    for (const r of list) next.set(r, ids[c] as string);
  });
  return { clusters, ids, next, constraints };
}

function minter(): () => string {
  let k = 1;
  return () => `E${k++}`;
}

describe("overrides survive re-runs", () => {
  it("keeps a forbidden pair apart, run after run, however strongly the model links it", () => {
    const mint = minter();
    const links: [string, string, number][] = [["m", "n", 0.99]];
    const o = [forbid("f", "n", "m")];
    const r1 = run(["m", "n"], links, o, new Map(), mint);
    expect(r1.clusters).toEqual([["m"], ["n"]]);
    // More records arrive (ahead of m and n in index order) and link to both strongly.
    const more: [string, string, number][] = [...links, ["a", "m", 0.97], ["a", "n", 0.97], ["b", "a", 0.98]];
    const r2 = run(["a", "b", "m", "n"], more, o, r1.next, mint);
    expect(r2.clusters.find((c) => c.includes("m"))).not.toContain("n");
    expect(r2.ids[r2.clusters.findIndex((c) => c.includes("n"))]).toBe(r1.next.get("n"));
  });

  it("joins a confirmed pair the model leaves apart, and keeps it joined", () => {
    const mint = minter();
    const links: [string, string, number][] = [["m", "n", 0.2]];
    const o = [confirm("c", "m", "n")];
    const r1 = run(["m", "n", "z"], links, o, new Map(), mint);
    expect(r1.clusters).toEqual([["m", "n"], ["z"]]);
    const r2 = run(["a", "m", "n", "z"], links, o, r1.next, mint);
    expect(r2.clusters).toEqual([["a"], ["m", "n"], ["z"]]);
    expect(r2.next.get("m")).toBe(r1.next.get("m"));
  });

  it("keeps a split entity split when the model would join it again and more records arrive", () => {
    const mint = minter();
    // The model links d (the son) to a, b, c (the father) strongly and scores the pairs high.
    const links: [string, string, number][] = [
      ["a", "b", 0.98],
      ["b", "c", 0.97],
      ["a", "c", 0.97],
      ["c", "d", 0.99],
      ["a", "d", 0.95],
    ];
    const r1 = run(["a", "b", "c", "d"], links, [], new Map(), mint);
    expect(r1.clusters).toEqual([["a", "b", "c", "d"]]);
    const father = r1.ids[0] as string;
    // The analyst splits d off; the CLI stores the override with the rest completed.
    const asked = [split("s", father, ["d"])];
    const r2 = run(["a", "b", "c", "d"], links, asked, r1.next, mint);
    expect(r2.clusters).toEqual([["a", "b", "c"], ["d"]]);
    expect(r2.ids[0]).toBe(father);
    const stored = r2.constraints.completed;
    expect(stored).toHaveLength(1);
    // Next run: e arrives, linked strongly to d and to a; the split still holds.
    const more: [string, string, number][] = [...links, ["d", "e", 0.99], ["a", "e", 0.93]];
    const r3 = run(["a", "b", "c", "d", "e"], more, stored, r2.next, mint);
    const withD = r3.clusters.find((c) => c.includes("d")) ?? [];
    for (const r of ["a", "b", "c"]) expect(withD).not.toContain(r);
    expect(r3.ids[r3.clusters.findIndex((c) => c.includes("a"))]).toBe(father);
    expect(r3.ids[r3.clusters.findIndex((c) => c.includes("d"))]).toBe(r2.next.get("d"));
  });
});
