import { describe, expect, it } from "vitest";
import { relations, relationsLookup, relationsNear } from "../../src/detect/chain.js";
import { distinctDegrees } from "../../src/detect/degrees.js";
import { mulberry32 as random } from "../graph/columns-of.js";
import { graphOf, type Row } from "../graph/graph-of.js";

/**
 * `relationsNear` answers the hub test account by account; where the graph already holds its
 * distinct payers and payees (carried from the last run's graph), they bound the answer and
 * mostly settle it without counting. Either way the answers are the whole-graph pass's.
 */

/** Accounts of very different reach: a few pay or are paid by many, some pay each other back. */
function rows(seed: number): Row[] {
  const next = random(seed);
  const out: Row[] = [];
  for (let i = 0; i < 4000; i++) {
    const r = next();
    // Skewed: low-numbered accounts are counterparties of many.
    const a = `a${String(Math.floor(next() ** 3 * 300)).padStart(3, "0")}`;
    const b = `a${String(Math.floor(next() * 300)).padStart(3, "0")}`;
    // Some accounts only pay (s…), some only receive (t…): their counterparties are one side's.
    if (i % 10 === 0) out.push([`s${i % 70}`, b, i, 100]);
    else if (i % 10 === 5) out.push([a, `t${i % 90}`, i, 100]);
    else
      out.push(
        r < 0.5 ? [a, b, i, 100] : r < 0.95 ? [b, a, i, 100] : r < 0.98 ? [a, "", i, 100] : [a, a, i, 100],
      );
  }
  return out;
}

describe("relationsNear", () => {
  for (const seed of [1, 2]) {
    it(`answers the hub test as the whole-graph pass, with and without degrees at hand (seed ${seed})`, () => {
      const g = graphOf(rows(seed));
      const whole = relationsLookup(g, relations(g));
      const counted = graphOf(rows(seed));
      const bounded = graphOf(rows(seed));
      distinctDegrees(bounded);
      const byCount = relationsNear(counted);
      const byBounds = relationsNear(bounded);
      let hubs = 0;
      for (const most of [3, 10, 25, 60, 100]) {
        for (let a = 0; a < counted.accounts.length; a++) {
          const expected = whole.isHub(a, most);
          expect(byCount.isHub(a, most)).toBe(expected);
          expect(byBounds.isHub(a, most)).toBe(expected);
          if (expected) hubs++;
        }
      }
      // Both answers occur.
      expect(hubs).toBeGreaterThan(0);
      expect(hubs).toBeLessThan(5 * counted.accounts.length);
      // At each account's own bounds, where the shortcut is closest to wrong: asked first there
      // (a lookup keeps what it counted), on a fresh graph per bound.
      const { payers, payees } = distinctDegrees(counted);
      const bounds = [
        (p: number, q: number) => Math.max(p, q),
        (p: number, q: number) => Math.max(p, q) - 1,
        (p: number, q: number) => p + q,
        (p: number, q: number) => p + q - 1,
      ];
      for (const bound of bounds) {
        const g = graphOf(rows(seed));
        distinctDegrees(g);
        const lookup = relationsNear(g);
        for (let a = 0; a < g.accounts.length; a++) {
          const most = bound(payers[a] as number, payees[a] as number);
          expect(lookup.isHub(a, most)).toBe(whole.isHub(a, most));
        }
      }
    });
  }
});
