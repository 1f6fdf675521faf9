import { describe, expect, it } from "vitest";
import type { Detector } from "../../src/detect/detector.js";
import { hsCashToWire } from "../../src/detect/detectors/hs-cash-to-wire.js";
import {
  CARD,
  CASH,
  type DetailedRow,
  edgesOf,
  expectIncrementalAsFull,
  ledger,
  MSB,
  onAmlworldFields,
  runOn,
  subjectsOf,
  WIRE,
} from "./ht-rows.js";

const home = (day = 0): DetailedRow => [
  "A",
  "SHOP",
  day,
  40,
  CARD,
  { mcc: "5411", city: "Denver", country: "US" },
];
const deposit = (day: number, amount: number): DetailedRow => [
  "",
  "A",
  day,
  amount,
  CASH,
  { city: "Denver", country: "US" },
];
const abroad = (day: number, to: string, amount: number, country: string, channel = WIRE): DetailedRow => [
  "A",
  to,
  day,
  amount,
  channel,
  { counterpartyCountry: country },
];

/** Four deposits of 3,000 on days 10–13, then 10,000 (83%) wired abroad on days 15 and 17. */
const burst = (country = "GT", lastDay = 17): DetailedRow[] => [
  home(),
  deposit(10, 3000),
  deposit(11, 3000),
  deposit(12.5, 3000),
  deposit(13, 3000),
  abroad(15, "F1", 6000, country),
  abroad(lastDay, "F2", 4000, country, MSB),
];

describe("hs-cash-to-wire: fires on cash turned into transfers abroad", () => {
  it("a burst of cash, 83% sent to a high-flow country within days", () => {
    const l = ledger(burst());
    const findings = runOn(hsCashToWire, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(subjectsOf(l, f)).toEqual([
      ["A", "hub"],
      ["F1", "beneficiary"],
      ["F2", "beneficiary"],
    ]);
    expect(edgesOf(l, f)).toEqual([
      ["", "A", 10],
      ["", "A", 11],
      ["", "A", 12.5],
      ["", "A", 13],
      ["A", "F1", 15],
      ["A", "F2", 17],
    ]);
    expect(f.window).toEqual({ from: 10 * 86_400_000, to: 17 * 86_400_000 });
    expect(f.amountUsd).toBe(22_000);
    expect(f.reasons[0]).toBe("4 cash deposits into A within 3.0 day(s), 12,000 USD");
    expect(f.reasons[1]).toMatch(
      /^2 transfers abroad \(GT\) by wire or msb sent 10,000 USD, 83% of the cash/,
    );
    expect(f.reasons[2]).toBe("the account has no other cash deposits");
    expect(f.reasons[3]).toMatch(/destinations on the high migrant-flow list .*: GT; this raises the score/);
    expect(f.sarActivities).toEqual(["926"]);
  });

  it("a destination off the high-flow list fires too, at a lower score", () => {
    const listed = runOn(hsCashToWire, ledger(burst("GT")))[0];
    const other = runOn(hsCashToWire, ledger(burst("DE")))[0];
    expect(other).toBeDefined();
    expect(other?.score).toBeCloseTo((listed?.score as number) - 0.2, 6);
    expect(other?.reasons[3]).toMatch(/no destination is on the high migrant-flow list/);
  });

  it("turnover_days are calendar days after the last deposit's", () => {
    // Last deposit on day 13: a transfer on day 18 (end of day) counts, one on day 19 does not.
    expect(runOn(hsCashToWire, ledger(burst("GT", 18.99)))).toHaveLength(1);
    expect(runOn(hsCashToWire, ledger(burst("GT", 19)))).toEqual([]);
    expect(runOn(hsCashToWire, ledger(burst("GT", 19)), { turnover_days: 6 })).toHaveLength(1);
  });
});

describe("hs-cash-to-wire: stays silent on ordinary life", () => {
  it("a family remittance sender: part of an income sent home, not the cash passed on", () => {
    const rows: DetailedRow[] = [home()];
    for (let m = 0; m < 3; m++) {
      rows.push(deposit(1 + 30 * m, 2600), deposit(15 + 30 * m, 2600));
      rows.push(abroad(3 + 30 * m, "FAMILY", 350, "MX", MSB), abroad(17 + 30 * m, "FAMILY", 350, "MX", MSB));
    }
    expect(runOn(hsCashToWire, ledger(rows))).toEqual([]);
  });

  it("a shop banking the same cash every week: no surge over its usual", () => {
    const rows: DetailedRow[] = [home()];
    for (let w = 0; w < 12; w++) rows.push(deposit(7 * w, 3000));
    rows.push(abroad(29, "SUPPLIER", 5000, "CN"), abroad(30, "SUPPLIER", 5000, "CN"));
    expect(runOn(hsCashToWire, ledger(rows))).toEqual([]);
    expect(runOn(hsCashToWire, ledger(rows), { surge_ratio: 0 })).toHaveLength(1);
  });

  it("a counterparty in the account's own country is not abroad", () => {
    expect(runOn(hsCashToWire, ledger(burst("US")))).toEqual([]);
  });

  it("needs min_share of the cash, min_transfers and min_cash_usd", () => {
    // With the whole burst required (12,000 USD), 83% of it was sent.
    expect(runOn(hsCashToWire, ledger(burst()), { min_share: 0.84, min_cash_usd: 12_000 })).toEqual([]);
    expect(runOn(hsCashToWire, ledger(burst()), { min_share: 0.83, min_cash_usd: 12_000 })).toHaveLength(1);
    expect(runOn(hsCashToWire, ledger(burst()), { min_transfers: 3 })).toEqual([]);
    expect(runOn(hsCashToWire, ledger(burst()), { min_cash_usd: 12_001 })).toEqual([]);
    expect(runOn(hsCashToWire, ledger(burst()), { min_cash_usd: 12_000 })).toHaveLength(1);
  });
});

describe("hs-cash-to-wire: NOT_EVALUABLE", () => {
  it("on AMLworld's fields (no country, no counterparty country) it is not run", () => {
    const outcome = onAmlworldFields(hsCashToWire as unknown as Detector, ledger(burst()));
    expect(outcome).toMatchObject({
      status: "not-evaluable",
      missing: ["country", "counterparty_country"],
      findings: [],
    });
  });
});

describe("hs-cash-to-wire on an incremental run", () => {
  it("finds, with any one payment as the new one, what a full run finds with it", () => {
    expectIncrementalAsFull(hsCashToWire, ledger(burst()));
  });
});
