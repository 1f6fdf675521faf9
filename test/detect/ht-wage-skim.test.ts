import { describe, expect, it } from "vitest";
import type { Detector } from "../../src/detect/detector.js";
import { htWageSkim } from "../../src/detect/detectors/ht-wage-skim.js";
import {
  ACH,
  CARD,
  type DetailedRow,
  edgesOf,
  expectIncrementalAsFull,
  ledger,
  onAmlworldFields,
  P2P,
  runOn,
  subjectsOf,
} from "./ht-rows.js";

const HOUR = 1 / 24;

/**
 * Employer E pays each worker 1,000 by ACH on days 1, 15 and 29; `hours` later each worker pays
 * `share` of it to T (channel `channel`, details `detail`).
 */
function skimmed(
  workers: string[],
  share = 0.9,
  hours = 2,
  channel = P2P,
  detail?: DetailedRow[5],
): DetailedRow[] {
  return [1, 15, 29].flatMap((day) =>
    workers.flatMap((w) => [
      ["E", w, day, 1000, ACH] as DetailedRow,
      [w, "T", day + hours * HOUR, 1000 * share, channel, detail] as DetailedRow,
    ]),
  );
}

describe("ht-wage-skim: fires when several workers' pay goes to one account after each pay", () => {
  it("three workers, each passing 90% of each wage to T within two hours", () => {
    const l = ledger(skimmed(["W1", "W2", "W3"]));
    const findings = runOn(htWageSkim, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(subjectsOf(l, f)).toEqual([
      ["T", "beneficiary"],
      ["E", "originator"],
      ["W1", "intermediary"],
      ["W2", "intermediary"],
      ["W3", "intermediary"],
    ]);
    expect(f.edges).toHaveLength(18);
    // In time order: the three wages of day 1, then the three handovers two hours later.
    expect(edgesOf(l, f).slice(0, 6)).toEqual([
      ["E", "W1", 1],
      ["E", "W2", 1],
      ["E", "W3", 1],
      ["W1", "T", 1 + 2 * HOUR],
      ["W2", "T", 1 + 2 * HOUR],
      ["W3", "T", 1 + 2 * HOUR],
    ]);
    expect(f.window).toEqual({ from: 86_400_000, to: (29 + 2 * HOUR) * 86_400_000 });
    expect(f.amountUsd).toBeCloseTo(9000 + 8100, 6);
    expect(f.reasons[0]).toBe(
      "3 workers paid by E passed their pay on to T within 48 hours, 9 times over 28.1 days",
    );
    expect(f.reasons[1]).toMatch(/^8,100 USD of 9,000 USD in wages \(90%\) went to T/);
    expect(f.reasons[2]).toBe(
      "each worker: W1 3 of 3 pays, W2 3 of 3 pays, W3 3 of 3 pays (at least 2 and 75% of its pays)",
    );
    expect(f.sarActivities).toEqual(["927"]);
  });
});

describe("ht-wage-skim: stays silent on ordinary life", () => {
  it("needs min_workers workers", () => {
    expect(runOn(htWageSkim, ledger(skimmed(["W1", "W2"])))).toEqual([]);
    expect(runOn(htWageSkim, ledger(skimmed(["W1", "W2"])), { min_workers: 2 })).toHaveLength(1);
  });

  it("needs min_share of each wage", () => {
    expect(runOn(htWageSkim, ledger(skimmed(["W1", "W2", "W3"], 0.79)))).toEqual([]);
    expect(runOn(htWageSkim, ledger(skimmed(["W1", "W2", "W3"], 0.8)))).toHaveLength(1);
  });

  it("needs it within within_hours", () => {
    expect(runOn(htWageSkim, ledger(skimmed(["W1", "W2", "W3"], 0.9, 49)))).toEqual([]);
    expect(runOn(htWageSkim, ledger(skimmed(["W1", "W2", "W3"], 0.9, 47)))).toHaveLength(1);
  });

  it("rent paid after one payday in three is not a skim after each pay", () => {
    // Monthly rent to landlord T after the first pay only; the other pays are spent bit by bit.
    const rows = skimmed(["W1", "W2", "W3"]).filter((r) => !(r[1] === "T" && r[2] > 2));
    expect(runOn(htWageSkim, ledger(rows))).toEqual([]);
    expect(runOn(htWageSkim, ledger(rows), { min_skims: 1, min_skimmed_share: 0 })).toHaveLength(1);
  });

  it("a purchase from a merchant (a payment with an MCC) is not a handover", () => {
    const rows = skimmed(["W1", "W2", "W3"], 0.9, 2, CARD, { mcc: "5511" });
    expect(runOn(htWageSkim, ledger(rows))).toEqual([]);
  });

  it("wages by a channel outside wage_channels are not wages", () => {
    const rows = skimmed(["W1", "W2", "W3"]).map((r) =>
      r[0] === "E" ? ([r[0], r[1], r[2], r[3], P2P] as DetailedRow) : r,
    );
    expect(runOn(htWageSkim, ledger(rows))).toEqual([]);
    expect(runOn(htWageSkim, ledger(rows), { wage_channels: ["ach", "p2p"] })).toHaveLength(1);
  });
});

describe("ht-wage-skim: NOT_EVALUABLE", () => {
  it("on AMLworld's fields (no MCC) it is not run", () => {
    const outcome = onAmlworldFields(htWageSkim as unknown as Detector, ledger(skimmed(["W1", "W2", "W3"])));
    expect(outcome).toMatchObject({ status: "not-evaluable", missing: ["mcc"], findings: [] });
  });
});

describe("ht-wage-skim on an incremental run", () => {
  it("finds, with any one payment as the new one, what a full run finds with it", () => {
    expectIncrementalAsFull(htWageSkim, ledger(skimmed(["W1", "W2", "W3"])));
  });
});
