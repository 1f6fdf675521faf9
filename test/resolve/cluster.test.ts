import { describe, expect, it } from "vitest";
import {
  type ClusterInput,
  type ClusterResult,
  clusterRecords,
  componentLeast,
  componentsTouching,
  restrictTo,
} from "../../src/resolve/cluster.js";
import { mulberry32 as random } from "../graph/columns-of.js";

type Row = readonly [number, number, number];

function linksOf(rows: readonly Row[]): ClusterInput["links"] {
  return {
    a: Int32Array.from(rows, (r) => r[0]),
    b: Int32Array.from(rows, (r) => r[1]),
    probability: Float64Array.from(rows, (r) => r[2]),
  };
}

function pairsOf(rows: readonly (readonly [number, number])[]): { a: Int32Array; b: Int32Array } {
  return { a: Int32Array.from(rows, (r) => r[0]), b: Int32Array.from(rows, (r) => r[1]) };
}

/** Pair probabilities from the links, `otherwise` for every other pair; counts and checks the calls. */
function scorer(rows: readonly Row[], otherwise: (i: number, j: number) => number) {
  const known = new Map<string, number>();
  for (const [a, b, p] of rows) known.set(`${Math.min(a, b)}-${Math.max(a, b)}`, p);
  const asked: string[] = [];
  const pairProbability = (i: number, j: number): number => {
    expect(i).toBeLessThan(j);
    asked.push(`${i}-${j}`);
    return known.get(`${i}-${j}`) ?? otherwise(i, j);
  };
  return { pairProbability, asked };
}

/** Clusters as sorted lists of records, in order of smallest record: readable partitions. */
function groups(result: ClusterResult): number[][] {
  const out: number[][] = Array.from({ length: result.count }, () => []);
  result.label.forEach((c, i) => {
    out[c]?.push(i);
  });
  return out;
}

/** The same partition relabelled by first appearance over `records`, to compare two runs. */
function canonical(label: Int32Array, records: ArrayLike<number>): number[] {
  const seen = new Map<number, number>();
  return Array.from(records, (i) => {
    const c = label[i] as number;
    if (!seen.has(c)) seen.set(c, seen.size);
    return seen.get(c) as number;
  });
}

function shuffled<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const BASE = { threshold: 0.9, cohesion: 0.5 };

describe("clusterRecords: chaining", () => {
  // Family A: records 0, 1, 2 (a1, a2, a3); family B: 3, 4 (b1, b2). One spurious strong link a3–b1
  // (one shared address); across the families the model otherwise scores 0.05.
  const family = (spurious: number): Row[] => [
    [0, 1, 0.95],
    [0, 2, 0.95],
    [1, 2, 0.95],
    [3, 4, 0.95],
    [2, 3, spurious],
  ];

  // When the spurious link comes first, the final check weighs the two whole families (6 pairs);
  // when it ties with family A's links and comes after them, family A against b1 alone (3 pairs).
  const cases = [
    { spurious: 0.99, reason: "not cohesive: mean 0.21 over 6 cross pairs" },
    { spurious: 0.95, reason: "not cohesive: mean 0.35 over 3 cross pairs" },
    { spurious: 0.93, reason: "not cohesive: mean 0.20 over 6 cross pairs" },
  ];
  for (const { spurious, reason } of cases) {
    it(`does not chain two families through one shared address (spurious link ${spurious})`, () => {
      const rows = family(spurious);
      const { pairProbability } = scorer(rows, () => 0.05);
      const result = clusterRecords({ ...BASE, n: 5, links: linksOf(rows), pairProbability });
      expect(groups(result)).toEqual([
        [0, 1, 2],
        [3, 4],
      ]);
      expect(result.accepted).toEqual(Int32Array.from([0, 1, 2, 3]));
      expect(result.rejected).toEqual([{ link: 4, reason }]);
    });
  }

  it("plain components (cohesion 0) would chain them: the check is what keeps them apart", () => {
    const rows = family(0.99);
    const { pairProbability } = scorer(rows, () => 0.05);
    const result = clusterRecords({ ...BASE, cohesion: 0, n: 5, links: linksOf(rows), pairProbability });
    expect(groups(result)).toEqual([[0, 1, 2, 3, 4]]);
  });

  // Father: records 0, 1, 2 (strongly alike); son: 3, same name and address, linked strongly to one
  // father record (which lacks a birth date) but scored low against the two that have one.
  const fatherSon = (sonLink: number): Row[] => [
    [0, 1, 0.97],
    [0, 2, 0.97],
    [1, 2, 0.97],
    [0, 3, sonLink],
  ];

  for (const sonLink of [0.96, 0.99]) {
    it(`keeps a son apart from his father's records when only one links him (${sonLink})`, () => {
      const rows = fatherSon(sonLink);
      const { pairProbability } = scorer(rows, () => 0.02);
      const result = clusterRecords({ ...BASE, n: 4, links: linksOf(rows), pairProbability });
      expect(groups(result)).toEqual([[0, 1, 2], [3]]);
      expect(result.rejected.map((r) => r.link)).toEqual([3]);
      expect(result.rejected[0]?.reason).toMatch(/^not cohesive: mean 0\.3\d over 3 cross pairs$/);
    });
  }

  it("keeps a son with two records of his own as his own entity", () => {
    // Father 0, 1, 2; son 3, 4; the son's record 3 links strongly to father record 0.
    const rows: Row[] = [...fatherSon(0.99), [3, 4, 0.98]];
    const { pairProbability } = scorer(rows, () => 0.02);
    const result = clusterRecords({ ...BASE, n: 5, links: linksOf(rows), pairProbability });
    expect(groups(result)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it("still joins an entity whose members are linked in a chain but alike as a whole", () => {
    // 0–1–2–3 linked in a path (blocking missed the other pairs), all pairs alike enough.
    const rows: Row[] = [
      [0, 1, 0.97],
      [1, 2, 0.95],
      [2, 3, 0.93],
    ];
    const { pairProbability } = scorer(rows, () => 0.7);
    const result = clusterRecords({ ...BASE, n: 4, links: linksOf(rows), pairProbability });
    expect(groups(result)).toEqual([[0, 1, 2, 3]]);
    expect(result.rejected).toEqual([]);
  });

  it("counts a record that merely lacks fields (scored near the prior) less against a merge than one that disagrees", () => {
    // Record 3 links strongly to 0; scored 0.4 against 1 and 2 (nothing to compare): mean 0.6 → joins.
    const rows = fatherSon(0.96);
    const { pairProbability } = scorer(rows, () => 0.4);
    const result = clusterRecords({ ...BASE, n: 4, links: linksOf(rows), pairProbability });
    expect(groups(result)).toEqual([[0, 1, 2, 3]]);
  });
});

describe("clusterRecords: constraints and caps", () => {
  const pair: Row[] = [[0, 1, 0.99]];

  it("never joins a cannot-link pair, however strong the link", () => {
    const { pairProbability } = scorer(pair, () => 0.5);
    const result = clusterRecords({
      ...BASE,
      n: 2,
      links: linksOf(pair),
      pairProbability,
      cannotLink: pairsOf([[1, 0]]),
    });
    expect(groups(result)).toEqual([[0], [1]]);
    expect(result.rejected).toEqual([{ link: 0, reason: "cannot-link", cannotLink: 0 }]);
  });

  it("keeps a cannot-link pair apart even through third records", () => {
    // 0–1 and 1–2 strong, 0 and 2 forbidden: 1 goes with one of them, never both.
    const rows: Row[] = [
      [0, 1, 0.99],
      [1, 2, 0.98],
    ];
    const { pairProbability } = scorer(rows, () => 0.9);
    const result = clusterRecords({
      ...BASE,
      n: 3,
      links: linksOf(rows),
      pairProbability,
      cannotLink: pairsOf([[0, 2]]),
    });
    expect(groups(result)).toEqual([[0, 1], [2]]);
    expect(result.rejected).toEqual([{ link: 1, reason: "cannot-link", cannotLink: 0 }]);
  });

  it("joins must-linked records the model leaves apart, and keeps them together against cohesion", () => {
    const rows: Row[] = [[1, 2, 0.3]];
    const { pairProbability } = scorer(rows, () => 0.01);
    const result = clusterRecords({
      ...BASE,
      n: 4,
      links: linksOf(rows),
      pairProbability,
      mustLink: pairsOf([
        [0, 3],
        [3, 1],
      ]),
    });
    expect(groups(result)).toEqual([[0, 1, 3], [2]]);
  });

  it("lets a must-link overrule a cannot-link on the same records, and says so", () => {
    const { pairProbability } = scorer(pair, () => 0.5);
    const result = clusterRecords({
      ...BASE,
      n: 3,
      links: linksOf(pair),
      pairProbability,
      mustLink: pairsOf([[1, 2]]),
      cannotLink: pairsOf([
        [0, 2],
        [2, 1],
      ]),
    });
    expect(result.ignoredCannotLinks).toEqual(Int32Array.from([1]));
    expect(groups(result)).toEqual([[0], [1, 2]]);
    expect(result.rejected).toEqual([{ link: 0, reason: "cannot-link", cannotLink: 0 }]);
  });

  it("stops links from building clusters beyond the size cap", () => {
    const rows: Row[] = [
      [0, 1, 0.99],
      [1, 2, 0.98],
      [2, 3, 0.97],
    ];
    const { pairProbability } = scorer(rows, () => 0.95);
    const result = clusterRecords({
      ...BASE,
      n: 4,
      links: linksOf(rows),
      pairProbability,
      maxClusterSize: 2,
    });
    expect(groups(result)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(result.rejected).toEqual([{ link: 1, reason: "size cap" }]);
  });

  it("ignores links below the threshold, except as scores for cohesion checks", () => {
    const rows: Row[] = [
      [0, 1, 0.95],
      [1, 2, 0.6],
    ];
    const { pairProbability, asked } = scorer(rows, () => 0.5);
    const result = clusterRecords({ ...BASE, n: 3, links: linksOf(rows), pairProbability });
    expect(groups(result)).toEqual([[0, 1], [2]]);
    expect(result.accepted).toEqual(Int32Array.from([0]));
    expect(result.rejected).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("rejects bad input with the module's name", () => {
    const { pairProbability } = scorer([], () => 0.5);
    expect(() => clusterRecords({ ...BASE, n: 2, links: linksOf([[0, 2, 0.9]]), pairProbability })).toThrow(
      /^cluster: link 0 \(0, 2\) is outside records 0\.\.1$/,
    );
    expect(() => clusterRecords({ ...BASE, n: 2, links: linksOf([[1, 1, 0.9]]), pairProbability })).toThrow(
      "cluster: link 0 joins record 1 to itself",
    );
    expect(() =>
      clusterRecords({ ...BASE, n: 2, links: linksOf([[0, 1, Number.NaN]]), pairProbability }),
    ).toThrow("cluster: link 0 is NaN, not a probability");
    const rows: Row[] = [
      [0, 1, 0.95],
      [1, 2, 0.95],
    ];
    expect(() => clusterRecords({ ...BASE, n: 3, links: linksOf(rows), pairProbability: () => 1.5 })).toThrow(
      "cluster: pairProbability(0, 2) is 1.5, not a probability",
    );
  });
});

describe("clusterRecords: cost", () => {
  it("reads cross pairs that are links from the links and asks for each other pair once", () => {
    // A clique of 12 linked on every pair: no calls. Then a path of 12: each pair asked at most once.
    const clique: Row[] = [];
    for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) clique.push([i, j, 0.95]);
    const c = scorer(clique, () => 0.5);
    expect(
      groups(clusterRecords({ ...BASE, n: 12, links: linksOf(clique), pairProbability: c.pairProbability })),
    ).toHaveLength(1);
    expect(c.asked).toEqual([]);

    const path: Row[] = Array.from({ length: 11 }, (_, i) => [i, i + 1, 0.95] as const);
    const p = scorer(path, () => 0.8);
    const result = clusterRecords({
      ...BASE,
      n: 12,
      links: linksOf(path),
      pairProbability: p.pairProbability,
    });
    expect(groups(result)).toHaveLength(1);
    expect(new Set(p.asked).size).toBe(p.asked.length);
    expect(result.stats.pairCalls).toBe(p.asked.length);
  });

  it("bounds the pairs one check scores", () => {
    // Two cliques of 40 joined by one link: the check between them scores at most maxCrossPairs.
    const rows: Row[] = [];
    for (const base of [0, 40])
      for (let i = 0; i < 40; i++) for (let j = i + 1; j < 40; j++) rows.push([base + i, base + j, 0.97]);
    rows.push([39, 40, 0.93]);
    const { pairProbability, asked } = scorer(rows, () => 0.1);
    const result = clusterRecords({
      ...BASE,
      n: 80,
      links: linksOf(rows),
      pairProbability,
      maxCrossPairs: 25,
    });
    expect(groups(result)).toHaveLength(2);
    const bridge = result.rejected.find((r) => r.link === rows.length - 1);
    expect(bridge?.reason).toMatch(/^not cohesive: mean 0\.\d\d over 25 cross pairs$/);
    // Three checks: the merge pass weighs the cliques, then the move pass weighs record 39 against
    // the second clique and record 40 against the first.
    expect(asked.length).toBeLessThanOrEqual(3 * 25);
  });
});

/**
 * A generated case: `entities` people with 1–6 records each, links on most pairs inside an
 * entity and noise links between nearby records, a few of them strong (shared addresses and
 * phones); pair probabilities high inside an entity and low across, except the noise links'.
 */
function generated(seed: number, entities: number) {
  const rnd = random(seed);
  const entity: number[] = [];
  for (let e = 0; e < entities; e++) {
    const size = 1 + Math.floor(rnd() * 6);
    for (let k = 0; k < size; k++) entity.push(e);
  }
  const n = entity.length;
  const rows: Row[] = [];
  const known = new Map<string, number>();
  const add = (a: number, b: number, p: number): void => {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (known.has(key) || a === b) return;
    known.set(key, p);
    rows.push(rnd() < 0.5 ? [a, b, p] : [b, a, p]);
  };
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n && entity[b] === entity[a]; b++)
      if (rnd() < 0.8) add(a, b, 0.85 + 0.15 * rnd());
  }
  for (let k = 0; k < n; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.min(n - 1, a + 1 + Math.floor(rnd() * 12));
    if (entity[a] !== entity[b]) add(a, b, rnd() < 0.15 ? 0.9 + 0.1 * rnd() : 0.5 * rnd());
  }
  const inside = (i: number, j: number): number => {
    // A fixed pseudo-random score per pair, so that every run (and every order) sees the same one.
    const h = Math.imul(i * 7919 + j, 0x9e3779b1) >>> 0;
    return entity[i] === entity[j] ? 0.6 + 0.4 * ((h % 1000) / 1000) : 0.2 * ((h % 1000) / 1000);
  };
  const pairProbability = (i: number, j: number): number => known.get(`${i}-${j}`) ?? inside(i, j);
  return { n, rows, pairProbability, entity };
}

describe("clusterRecords: determinism and incremental runs", () => {
  it("gives the same partition and the same link verdicts whatever the order of the links", () => {
    const g = generated(7, 400);
    const rnd = random(99);
    const base = clusterRecords({
      ...BASE,
      n: g.n,
      links: linksOf(g.rows),
      pairProbability: g.pairProbability,
    });
    expect(base.rejected.length).toBeGreaterThan(10);
    const verdicts = (rows: readonly Row[], result: ClusterResult): string[] => {
      const pair = (l: number): string => {
        const [x, y] = rows[l] as Row;
        return `${Math.min(x, y)}-${Math.max(x, y)}`;
      };
      return [
        ...Array.from(result.accepted, (l) => `${pair(l)} ok`),
        ...result.rejected.map((r) => `${pair(r.link)} ${r.reason}`),
      ].sort();
    };
    for (let k = 0; k < 3; k++) {
      const rows = shuffled(g.rows, rnd).map(([a, b, p]): Row => (rnd() < 0.5 ? [b, a, p] : [a, b, p]));
      const again = clusterRecords({
        ...BASE,
        n: g.n,
        links: linksOf(rows),
        pairProbability: g.pairProbability,
      });
      expect(again.label).toEqual(base.label);
      expect(verdicts(rows, again)).toEqual(verdicts(g.rows, base));
    }
  });

  it("re-clustering only the components a change touches equals clustering everything", () => {
    const g = generated(11, 500);
    const input: ClusterInput = {
      ...BASE,
      n: g.n,
      links: linksOf(g.rows),
      pairProbability: g.pairProbability,
      cannotLink: pairsOf([
        [3, 5],
        [100, 104],
      ]),
      mustLink: pairsOf([[20, 40]]),
    };
    const full = clusterRecords(input);
    // The case exercises every step: refused merges, moves, more than one round.
    expect(full.rejected.length).toBeGreaterThan(10);
    expect(full.stats.moves).toBeGreaterThan(0);
    const rnd = random(5);
    for (let k = 0; k < 5; k++) {
      const changed = Array.from({ length: 1 + k * 3 }, () => Math.floor(rnd() * g.n));
      const touched = componentsTouching({ ...input, changed });
      for (const c of changed) expect(touched.records).toContain(c);
      const part = clusterRecords(restrictTo(input, touched));
      expect(canonical(part.label, touched.records)).toEqual(canonical(full.label, touched.records));
      // A touched component never shares a cluster with an untouched record.
      const inside = new Set(touched.records);
      const touchedLabels = new Set(Array.from(touched.records, (i) => full.label[i]));
      const leaks = Array.from(full.label).filter((c, i) => !inside.has(i) && touchedLabels.has(c));
      expect(leaks).toEqual([]);
      expect(touched.records.length).toBeLessThan(g.n / 2);
    }
  });

  it("finds the components over strong links and must-links that hold a changed record", () => {
    const rows: Row[] = [
      [0, 1, 0.95],
      [1, 2, 0.4],
      [3, 4, 0.99],
      [2, 5, 0.91],
    ];
    const touched = componentsTouching({
      n: 7,
      links: linksOf(rows),
      threshold: 0.9,
      mustLink: pairsOf([[4, 6]]),
      cannotLink: pairsOf([
        [0, 6],
        [3, 6],
      ]),
      changed: [6, 5],
    });
    expect(touched.records).toEqual(Int32Array.from([2, 3, 4, 5, 6]));
    expect(touched.links).toEqual(Int32Array.from([2, 3]));
    expect(touched.mustLinks).toEqual(Int32Array.from([0]));
    expect(touched.cannotLinks).toEqual(Int32Array.from([1]));
  });

  it("names each record's component (strong links and must-links) by its smallest record, as componentsTouching groups them", () => {
    const rows: Row[] = [
      [0, 1, 0.95],
      [1, 2, 0.4],
      [3, 4, 0.99],
      [2, 5, 0.91],
    ];
    const input = { n: 7, links: linksOf(rows), threshold: 0.9, mustLink: pairsOf([[4, 6]]) };
    const least = componentLeast(input);
    expect(Array.from(least)).toEqual([0, 0, 2, 3, 3, 2, 3]);
    for (let i = 0; i < input.n; i++) {
      const touched = componentsTouching({ ...input, changed: [i] });
      expect(Array.from(touched.records).filter((j) => least[j] === least[i])).toEqual(
        Array.from(touched.records),
      );
      expect(touched.records[0]).toBe(least[i]);
    }
  });

  it("recovers the generated entities far better than plain components", () => {
    const g = generated(3, 600);
    const pairs = (label: Int32Array) => {
      let tp = 0;
      let predicted = 0;
      let truth = 0;
      for (let i = 0; i < g.n; i++) {
        for (let j = i + 1; j < g.n; j++) {
          const same = label[i] === label[j];
          const real = g.entity[i] === g.entity[j];
          if (same) predicted++;
          if (real) truth++;
          if (same && real) tp++;
        }
      }
      return { precision: tp / predicted, recall: tp / truth };
    };
    const input = { ...BASE, n: g.n, links: linksOf(g.rows), pairProbability: g.pairProbability };
    const cohesive = pairs(clusterRecords(input).label);
    const plain = pairs(clusterRecords({ ...input, cohesion: 0 }).label);
    expect(plain.precision).toBeLessThan(0.8);
    expect(cohesive.precision).toBeGreaterThan(0.97);
    expect(cohesive.recall).toBeGreaterThan(plain.recall - 0.05);
  });
});
