import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/detect/detector.js";
import { bipartite } from "../../src/detect/detectors/bipartite.js";
import { stack } from "../../src/detect/detectors/stack.js";
import { absorbLegs, mergeFindings } from "../../src/detect/merge-findings.js";
import { CARD, type DetailedRow, ledger, P2P, runOn, subjectsOf, WIRE } from "./ht-rows.js";

/**
 * A stack: A1..A3 each pay M1 and M2 4,000 USD on `first` + 0..2, then M1 and M2 each pay
 * B1..B3 2,500 USD on `second` + 0..2. Everyone buys groceries for 40 USD on days 1 and 2.
 */
function stackRows(
  first = 5,
  second = 15,
  tops = ["A1", "A2", "A3"],
  bottoms = ["B1", "B2", "B3"],
): DetailedRow[] {
  const rows: DetailedRow[] = [];
  for (const x of new Set([...tops, "M1", "M2", ...bottoms]))
    rows.push([x, "SHOP", 1, 40, CARD], [x, "SHOP", 2, 40, CARD]);
  tops.forEach((a, i) => {
    for (const m of ["M1", "M2"]) rows.push([a, m, first + i, 4000, WIRE]);
  });
  bottoms.forEach((b, i) => {
    for (const m of ["M1", "M2"]) rows.push([m, b, second + i, 2500, P2P]);
  });
  return rows;
}

describe("stack", () => {
  it("fires on two layers, the first's beneficiaries the second's originators: roles, edges, amount, reasons", () => {
    const l = ledger(stackRows());
    const findings = runOn(stack, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjectsOf(l, f)).toEqual([
      ["A1", "originator"],
      ["A2", "originator"],
      ["A3", "originator"],
      ["M1", "intermediary"],
      ["M2", "intermediary"],
      ["B1", "beneficiary"],
      ["B2", "beneficiary"],
      ["B3", "beneficiary"],
    ]);
    expect(f.edges).toHaveLength(12);
    expect(f.amountUsd).toBe(24_000);
    expect(f.reasons[0]).toMatch(/^first layer: 3 accounts \(A1, A2, A3\) paid 2 accounts \(M1, M2\)/);
    expect(f.reasons[1]).toMatch(/^second layer: 2 accounts \(M1, M2\) paid 3 accounts \(B1, B2, B3\)/);
    expect(f.reasons).toContain("every payment of the second layer came after the last of the first");
  });

  it("an ordered stack scores higher than one whose layers overlap in time", () => {
    const ordered = runOn(stack, ledger(stackRows(5, 15)))[0] as Finding;
    const overlapping = runOn(stack, ledger(stackRows(5, 6)))[0] as Finding;
    expect(overlapping.reasons.some((r) => r.includes("overlap in time"))).toBe(true);
    expect(ordered.score).toBeGreaterThan(overlapping.score);
  });

  it("stays silent when the second layer mostly comes first", () => {
    expect(runOn(stack, ledger(stackRows(20, 5)))).toEqual([]);
  });

  it("stays silent when the whole spreads over more than window_days", () => {
    expect(runOn(stack, ledger(stackRows(5, 70)))).toEqual([]);
  });

  it("stays silent on a ring, where the last layer pays the first back", () => {
    expect(runOn(stack, ledger(stackRows(5, 15, ["A1", "A2", "A3"], ["A1", "A2", "A3"])))).toEqual([]);
  });

  it("absorbs the bipartite alerts of its own layers into one lead", () => {
    const l = ledger(stackRows());
    const outcome = (d: typeof stack | typeof bipartite, id: string) => ({
      detector: id,
      params: {},
      findings: runOn(d, l),
    });
    const drafts = mergeFindings([outcome(bipartite, "bipartite@1"), outcome(stack, "stack@1")]);
    expect(drafts.map((d) => d.typology).sort()).toEqual(["bipartite", "bipartite", "stack"]);
    const kept = absorbLegs(drafts);
    expect(kept.map((d) => d.typology)).toEqual(["stack"]);
    expect([...(kept[0]?.detectors ?? [])].sort()).toEqual(["bipartite@1", "stack@1"]);
  });
});
