import { describe, expect, it } from "vitest";
import type { Detector } from "../../src/detect/detector.js";
import { htLivingCosts } from "../../src/detect/detectors/ht-living-costs.js";
import {
  ACH,
  CARD,
  type DetailedRow,
  expectIncrementalAsFull,
  ledger,
  onAmlworldFields,
  P2P,
  runOn,
  subjectsOf,
} from "./ht-rows.js";

const HOUR = 1 / 24;

/** E pays V 800 by ACH every week (5 times from day 2); within hours V passes `share` of it to T. */
function victim(share = 0.95, extra: DetailedRow[] = []): DetailedRow[] {
  return [
    ...[2, 9, 16, 23, 30].flatMap((d) => [
      ["E", "V", d, 800, ACH] as DetailedRow,
      ["V", "T", d + 3 * HOUR, 800 * share, P2P] as DetailedRow,
    ]),
    ...extra,
  ];
}

/**
 * Business B pays its three staff by ACH on days 1 and 15, and makes `n` card payments for
 * motels, groceries and rides over 20 days.
 */
function business(n = 12, staffChannel = ACH): DetailedRow[] {
  const kinds: [string, string][] = [
    ["MOTEL", "7011"],
    ["MART", "5411"],
    ["RIDES", "4121"],
  ];
  return [
    ...[1, 15].flatMap((d) => ["S1", "S2", "S3"].map((s) => ["B", s, d, 2000, staffChannel] as DetailedRow)),
    ...Array.from({ length: n }, (_, i) => {
      const [to, mcc] = kinds[i % 3] as [string, string];
      return ["B", to, 2 + (20 * i) / n, 80, CARD, { mcc }] as DetailedRow;
    }),
  ];
}

describe("ht-living-costs: a victim's wages with no living costs", () => {
  it("weekly wages, each passed on to one account within hours, nothing spent on living", () => {
    const l = ledger(victim());
    const findings = runOn(htLivingCosts, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(subjectsOf(l, f)).toEqual([
      ["V", "hub"],
      ["E", "originator"],
      ["T", "beneficiary"],
    ]);
    expect(f.edges).toHaveLength(10);
    expect(f.amountUsd).toBeCloseTo(4000 + 3800, 6);
    expect(f.reasons[0]).toBe(
      "V received 5 wages from E over 28.0 days, 4,000 USD (4,000 USD a month; at least 2,000)",
    );
    expect(f.reasons[1]).toBe("5 of them were passed on to T within 48 hours: 3,800 USD of 4,000 USD (95%)");
    expect(f.reasons[2]).toMatch(/^none of its payments meanwhile went to ordinary living/);
    expect(f.sarActivities).toEqual(["927"]);
  });

  it("an account that buys its own groceries is not one whose needs someone else pays", () => {
    const groceries: DetailedRow[] = [5, 12, 19, 26].map((d) => ["V", "MART", d, 60, CARD, { mcc: "5411" }]);
    expect(runOn(htLivingCosts, ledger(victim(0.9, groceries)))).toEqual([]);
    expect(runOn(htLivingCosts, ledger(victim(0.9, groceries)), { max_living_share: 0.1 })).toHaveLength(1);
  });

  it("passing on more than the wage is paying an invoice, not handing over pay", () => {
    expect(runOn(htLivingCosts, ledger(victim(1.5)))).toEqual([]);
    expect(runOn(htLivingCosts, ledger(victim(0.79)))).toEqual([]);
    expect(runOn(htLivingCosts, ledger(victim(0.8)))).toHaveLength(1);
  });

  it("the wages must be its income: not when others pay it more (a business paid by many)", () => {
    const others: DetailedRow[] = ["C1", "C2", "C3"].map((c, i) => [c, "V", 5 + 7 * i, 1000, P2P]);
    expect(runOn(htLivingCosts, ledger(victim(0.95, others)))).toEqual([]);
    expect(runOn(htLivingCosts, ledger(victim(0.95, others)), { min_income_share: 0.5 })).toHaveLength(1);
  });

  it("a ring of workers handing their pay to one taker is left to ht-wage-skim", () => {
    const fellows: DetailedRow[] = ["W2", "W3"].flatMap((w) => [
      ["E", w, 2, 800, ACH] as DetailedRow,
      [w, "T", 2.2, 700, P2P] as DetailedRow,
    ]);
    expect(runOn(htLivingCosts, ledger(victim(0.95, fellows)))).toEqual([]);
    expect(runOn(htLivingCosts, ledger(victim(0.95, fellows.slice(0, 2))))).toHaveLength(1);
    expect(runOn(htLivingCosts, ledger(victim(0.95, fellows)), { defer_to_wage_skim: false })).toHaveLength(
      1,
    );
  });

  it("needs min_monthly_income", () => {
    expect(runOn(htLivingCosts, ledger(victim()), { min_monthly_income: 4001 })).toEqual([]);
  });
});

describe("ht-living-costs: a business paying people's living costs", () => {
  it("an employer making twelve card payments for motels, groceries and rides", () => {
    const l = ledger(business());
    const findings = runOn(htLivingCosts, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(subjectsOf(l, f)).toEqual([["B", "hub"]]);
    expect(f.edges).toHaveLength(12);
    expect(f.reasons[0]).toBe(
      "B is run as a business: it pays wages in 2 ACH batches to 3 or more accounts within 12 hours",
    );
    expect(f.reasons[1]).toMatch(
      /^it made 12 card payments for lodging, transport, car rental and sustenance/,
    );
  });

  it("needs min_living_payments", () => {
    expect(runOn(htLivingCosts, ledger(business(9)))).toEqual([]);
    expect(runOn(htLivingCosts, ledger(business(10)))).toHaveLength(1);
  });

  it("a person buying groceries is not an employer, and one paid wages is no business", () => {
    // No payroll: the same spending from an account that pays no one wages.
    expect(runOn(htLivingCosts, ledger(business(12, P2P)))).toEqual([]);
    // …unless clients pay it: five distinct accounts, each twice, by ACH, wire or check.
    const clients: DetailedRow[] = ["K1", "K2", "K3", "K4", "K5"].flatMap((k, i) => [
      [k, "B", 3 + i, 900, ACH] as DetailedRow,
      [k, "B", 17 + i, 700, ACH] as DetailedRow,
    ]);
    const [f] = runOn(htLivingCosts, ledger([...business(12, P2P), ...clients]));
    expect(f?.reasons[0]).toBe(
      "B is run as a business: 5 or more distinct accounts paid it again and again by ACH, wire or check (clients)",
    );
    // One-off payers (a laundering pattern's) are not clients.
    expect(runOn(htLivingCosts, ledger([...business(12, P2P), ...clients.slice(1)]))).toEqual([]);
    expect(runOn(htLivingCosts, ledger([...business(12, P2P), ...clients.filter((r) => r[2] < 10)]))).toEqual(
      [],
    );
    // Paid a salary in P's payroll batches (P pays B and two others, twice alike): a person.
    const paid = (second: number): DetailedRow[] =>
      [0, 14].flatMap((d) =>
        ["B", "X1", "X2"].map((to) => ["P", to, d, d === 0 ? 3000 : second, ACH] as DetailedRow),
      );
    expect(runOn(htLivingCosts, ledger([...business(), ...paid(3100)]))).toEqual([]);
    // A customer settling invoices of different amounts with several suppliers pays no salary.
    expect(runOn(htLivingCosts, ledger([...business(), ...paid(9000)]))).toHaveLength(1);
  });
});

describe("ht-living-costs: NOT_EVALUABLE", () => {
  it("on AMLworld's fields (no MCC) it is not run", () => {
    const outcome = onAmlworldFields(htLivingCosts as unknown as Detector, ledger(victim()));
    expect(outcome).toMatchObject({ status: "not-evaluable", missing: ["mcc"], findings: [] });
  });
});

describe("ht-living-costs on an incremental run", () => {
  it("finds, with any one payment as the new one, what a full run finds with it", () => {
    expectIncrementalAsFull(htLivingCosts, ledger(victim()));
    expectIncrementalAsFull(htLivingCosts, ledger(business()));
  });
});
