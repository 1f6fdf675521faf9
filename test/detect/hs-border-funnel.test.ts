import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Detector } from "../../src/detect/detector.js";
import { hsBorderFunnel } from "../../src/detect/detectors/hs-border-funnel.js";
import { parseReferenceLists, referenceListFiles, referenceLists } from "../../src/detect/reference-lists.js";
import {
  CARD,
  CASH,
  type DetailedRow,
  edgesOf,
  expectIncrementalAsFull,
  ledger,
  MSB,
  onAmlworldFields,
  P2P,
  runOn,
  subjectsOf,
  WIRE,
} from "./ht-rows.js";

const CITIES = ["Atlanta", "Chicago", "Denver", "Boston", "Seattle", "Miami", "Omaha"];

/** Where each account lives: a card purchase there (its usual city). */
const lives = (account: string, city: string, day = 0): DetailedRow => [
  account,
  "SHOP",
  day,
  30,
  CARD,
  { mcc: "5411", city },
];

/**
 * `n` originators O1… in cities of `cities` (cycled), each paying B once by wire, MSB or P2P,
 * a few days apart from day 10, `amount` each; B lives in `bCity`.
 */
function funnel(n: number, bCity: string, amount = 1500, cities = CITIES): DetailedRow[] {
  const channels = [WIRE, MSB, P2P];
  return [
    lives("B", bCity),
    ...Array.from({ length: n }, (_, i) => lives(`O${i + 1}`, cities[i % cities.length] as string)),
    ...Array.from(
      { length: n },
      (_, i) => [`O${i + 1}`, "B", 10 + 3 * i, amount + 10 * i, channels[i % 3] as number] as DetailedRow,
    ),
  ];
}

describe("hs-border-funnel: fires on the funnel, the border raises it", () => {
  it("six originators in six cities paying a beneficiary in El Paso: a high score", () => {
    const l = ledger(funnel(6, "El Paso"));
    const findings = runOn(hsBorderFunnel, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(f.typology).toBe("hs-border-funnel");
    expect(subjectsOf(l, f)).toEqual([
      ["B", "hub"],
      ...["O1", "O2", "O3", "O4", "O5", "O6"].map((o) => [o, "originator"]),
    ]);
    expect(edgesOf(l, f)).toEqual(["O1", "O2", "O3", "O4", "O5", "O6"].map((o, i) => [o, "B", 10 + 3 * i]));
    expect(f.window).toEqual({ from: 10 * 86_400_000, to: 25 * 86_400_000 });
    expect(f.amountUsd).toBe(6 * 1500 + 10 * 15);
    expect(f.reasons[0]).toMatch(/^6 distinct originators paid B within 15\.0 day\(s\): 6 transfers/);
    expect(f.reasons[1]).toMatch(/6 different places: Atlanta, Boston, Chicago, Denver, Miami, Seattle/);
    expect(f.reasons[3]).toContain(
      `El Paso, on the southwest border list (border-cities ${referenceLists().borderCities.version})`,
    );
    expect(f.sarActivities).toEqual(["926"]);
    expect(f.score).toBeCloseTo(0.35 + 0.05 + 0.05 + 0.3, 6);
  });

  it("the same behaviour in a city off the list still fires, at a lower score", () => {
    const border = runOn(hsBorderFunnel, ledger(funnel(6, "El Paso")))[0];
    const inland = runOn(hsBorderFunnel, ledger(funnel(6, "Des Moines")))[0];
    expect(inland).toBeDefined();
    expect(inland?.score).toBeLessThan(border?.score as number);
    expect(inland?.score).toBeCloseTo((border?.score as number) - 0.3, 6);
    expect(inland?.reasons[3]).toMatch(/not known to be in a southwest border city .*usual city Des Moines/);
  });

  it("goes by the lists its run read (DetectionData.lists), not by the files as they are now", () => {
    // The run read a border list with Des Moines on it (the files have not).
    const [mccGroups, borderCities, classifiedAdMerchants, highFlowCountries] = referenceListFiles().map(
      (f) => JSON.parse(readFileSync(f, "utf8")) as { cities?: unknown[] },
    );
    borderCities?.cities?.push({ city: "Des Moines", region: "IA", country: "US" });
    const lists = parseReferenceLists({ mccGroups, borderCities, classifiedAdMerchants, highFlowCountries });
    const l = ledger(funnel(6, "Des Moines"));
    const read = runOn(hsBorderFunnel, { ...l, data: { ...l.data, lists } })[0];
    expect(read?.reasons[3]).toMatch(/Des Moines, on the southwest border list/);
    expect(runOn(hsBorderFunnel, l)[0]?.reasons[3]).toMatch(/not known to be in a southwest border city/);
  });

  it("a border city alone never fires: four originators to El Paso are not a funnel", () => {
    expect(runOn(hsBorderFunnel, ledger(funnel(4, "El Paso")))).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(funnel(5, "El Paso")))).toHaveLength(1);
  });

  it("the holder's address on the list counts when the account transacts nowhere itself", () => {
    const rows = funnel(6, "Des Moines").filter((r) => !(r[0] === "B" && r[1] === "SHOP"));
    const kyc = runOn(hsBorderFunnel, ledger(rows, { B: "Ciudad JUAREZ" }))[0];
    expect(kyc?.reasons[3]).toMatch(/B banks in Ciudad JUAREZ, on the southwest border list/);
    // A listed name in another state is another city.
    const elsewhere = runOn(hsBorderFunnel, ledger(rows, { B: "Columbus" }, { B: "OH" }))[0];
    expect(elsewhere?.reasons[3]).toMatch(/not known to be in a southwest border city .*usual city Columbus/);
    const none = runOn(hsBorderFunnel, ledger(rows))[0];
    expect(none?.reasons[3]).toMatch(/not known to be in a southwest border city \(border-cities [^;]*\)/);
  });
});

describe("hs-border-funnel: stays silent on ordinary life", () => {
  it("needs min_locations places: six originators all in one city do not fire", () => {
    expect(runOn(hsBorderFunnel, ledger(funnel(6, "El Paso", 1500, ["Denver"])))).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(funnel(6, "El Paso", 1500, ["Denver", "Omaha"])))).toEqual([]);
    expect(
      runOn(hsBorderFunnel, ledger(funnel(6, "El Paso", 1500, ["Denver", "Omaha"])), { min_locations: 2 }),
    ).toHaveLength(1);
  });

  it("transfers at or above max_transfer_usd do not count; 0 lifts the cap", () => {
    expect(runOn(hsBorderFunnel, ledger(funnel(5, "El Paso", 2950)))).toHaveLength(1);
    expect(runOn(hsBorderFunnel, ledger(funnel(5, "El Paso", 3000)))).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(funnel(5, "El Paso", 3000)), { max_transfer_usd: 0 })).toHaveLength(
      1,
    );
  });

  it("friends' small payments: under min_total_usd together", () => {
    expect(runOn(hsBorderFunnel, ledger(funnel(6, "El Paso", 250)))).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(funnel(6, "El Paso", 250)), { min_total_usd: 1500 })).toHaveLength(1);
  });

  it("transfers under min_transfer_usd (a share of a meal) are not fee instalments, and do not swell a funnel", () => {
    // Six small P2P payments of 60–110: none counts, whatever the total asked.
    const small = ledger(funnel(6, "El Paso", 60));
    expect(runOn(hsBorderFunnel, small, { min_total_usd: 300 })).toEqual([]);
    expect(runOn(hsBorderFunnel, small, { min_total_usd: 300, min_transfer_usd: 0 })).toHaveLength(1);
    // A funnel of five with two bystanders' small payments in its window: they are not originators.
    const rows: DetailedRow[] = [
      ...funnel(5, "El Paso"),
      lives("F1", "Omaha"),
      lives("F2", "Miami"),
      ["F1", "B", 12, 40, P2P],
      ["F2", "B", 16, 199.99, P2P],
    ];
    const l = ledger(rows);
    const [f] = runOn(hsBorderFunnel, l);
    expect(subjectsOf(l, f as never).map(([a]) => a)).toEqual(["B", "O1", "O2", "O3", "O4", "O5"]);
    expect(f?.reasons[2]).toBe(
      "every transfer is under 3,000 USD (the recordkeeping threshold, FIN-2014-A008 HS14-1) and at least 200 USD",
    );
  });

  it("card, ACH and check payments are not funnel transfers (customers, tenants, clients)", () => {
    const rows = funnel(6, "El Paso").map((r) =>
      r[1] === "B" ? ([r[0], r[1], r[2], r[3], CARD] as DetailedRow) : r,
    );
    expect(runOn(hsBorderFunnel, ledger(rows))).toEqual([]);
  });

  it("an originator dealing with the beneficiary over more than relationship_days is a relationship", () => {
    const rows = [...funnel(5, "El Paso"), ["O1", "B", 30, 100, P2P] as DetailedRow];
    expect(runOn(hsBorderFunnel, ledger(rows))).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(rows), { relationship_days: 30 })).toHaveLength(1);
  });

  it("transfers more than window_days apart are not one funnel", () => {
    const rows = funnel(5, "El Paso").map((r) =>
      r[1] === "B" && r[0] === "O5" ? ([r[0], r[1], 60, r[3], r[4]] as DetailedRow) : r,
    );
    expect(runOn(hsBorderFunnel, ledger(rows))).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(rows), { window_days: 60 })).toHaveLength(1);
  });

  it("a beneficiary paid by more than max_hub_degree accounts is a business hub", () => {
    const rows = funnel(6, "El Paso");
    expect(runOn(hsBorderFunnel, ledger(rows), { max_hub_degree: 5 })).toEqual([]);
    expect(runOn(hsBorderFunnel, ledger(rows), { max_hub_degree: 6 })).toHaveLength(1);
  });
});

describe("hs-border-funnel: cash deposits", () => {
  it("counts a cash deposit's conductor as an originator and its branch city as a place", () => {
    const rows: DetailedRow[] = [
      lives("B", "Laredo"),
      ...["Atlanta", "Boston", "Chicago", "Denver", "Miami"].map(
        (city, i) => ["", "B", 10 + i, 2000, CASH, { city, conductor: `C${i}` }] as DetailedRow,
      ),
    ];
    const l = ledger(rows);
    const [f] = runOn(hsBorderFunnel, l);
    expect(f?.reasons[0]).toMatch(/^5 distinct originators paid B/);
    // Conductors are parties, not accounts: only the beneficiary is named.
    expect(subjectsOf(l, f as NonNullable<typeof f>)).toEqual([["B", "hub"]]);
    // Without a conductor a deposit has no known originator.
    const anonymous = rows.map((r) =>
      r[4] === CASH ? ([r[0], r[1], r[2], r[3], r[4], { city: r[5]?.city }] as DetailedRow) : r,
    );
    expect(runOn(hsBorderFunnel, ledger(anonymous))).toEqual([]);
  });
});

describe("hs-border-funnel: NOT_EVALUABLE", () => {
  it("on AMLworld's fields (no city) it is not run, and says what is missing", () => {
    const outcome = onAmlworldFields(hsBorderFunnel as unknown as Detector, ledger(funnel(6, "El Paso")));
    expect(outcome).toMatchObject({ status: "not-evaluable", missing: ["city"], findings: [] });
  });
});

describe("hs-border-funnel on an incremental run", () => {
  it("finds, with any one payment as the new one, what a full run finds with it", () => {
    expectIncrementalAsFull(hsBorderFunnel, ledger(funnel(5, "El Paso")));
  });
});
