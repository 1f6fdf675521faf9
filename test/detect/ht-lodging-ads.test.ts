import { describe, expect, it } from "vitest";
import { runKey } from "../../src/detect/detect.js";
import { DETECTION_FIELDS, type Detector } from "../../src/detect/detector.js";
import { htController } from "../../src/detect/detectors/ht-controller.js";
import { htLodgingAds } from "../../src/detect/detectors/ht-lodging-ads.js";
import { referenceLists } from "../../src/detect/reference-lists.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import {
  CARD,
  type DetailedRow,
  expectIncrementalAsFull,
  ledger,
  onAmlworldFields,
  P2P,
  runOn,
  subjectsOf,
} from "./ht-rows.js";

const night = (day: number, motel: string, account = "A"): DetailedRow => [
  account,
  motel,
  day + 0.9,
  90,
  CARD,
  { mcc: "7011" },
];
const ad = (day: number, account = "A", detail: DetailedRow[5] = { mcc: "7311" }): DetailedRow => [
  account,
  "ADS",
  day + 0.5,
  30,
  CARD,
  detail,
];
const meal = (day: number, account = "A", amount = 20): DetailedRow => [
  account,
  "DINER",
  day + 0.6,
  amount,
  CARD,
  { mcc: "5812" },
];

/** Eight nights at three motels and four ad postings over 20 days, and a few meals. */
const pattern = (account = "A"): DetailedRow[] => [
  ...[0, 2, 5, 7, 10, 12, 15, 18].map((d, i) => night(d, ["M1", "M2", "M3"][i % 3] as string, account)),
  ...[1, 6, 11, 19].map((d) => ad(d, account)),
  ...[3, 9, 14].map((d) => meal(d, account)),
];

describe("ht-lodging-ads: fires on repeated lodging and advertising", () => {
  it("eight nights at three properties and four ads, most of the account's card spending", () => {
    const l = ledger(pattern());
    const findings = runOn(htLodgingAds, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(subjectsOf(l, f)).toEqual([["A", "hub"]]);
    expect(f.edges).toHaveLength(12);
    expect(f.window).toEqual({ from: 0.9 * 86_400_000, to: 19.5 * 86_400_000 });
    expect(f.amountUsd).toBe(8 * 90 + 4 * 30);
    expect(f.reasons[0]).toMatch(/^A paid for online advertising 4 times within 18\.6 days, 120 USD/);
    expect(f.reasons[1]).toMatch(
      /^and for lodging 8 times at 3 different properties, up to 1 room\(s\) on one date, 720 USD/,
    );
    expect(f.reasons[2]).toMatch(/^together 93% of its card spending/);
    expect(f.reasons[3]).toBe(
      `lists: mcc-groups ${referenceLists().mccGroups.version}, classified-ad-merchants ${referenceLists().classifiedAdMerchants.version}`,
    );
    expect(f.sarActivities).toEqual(["927"]);
  });

  it("two rooms on one date suffice for the lodging side (F12(b)), and raise the score", () => {
    const rows = [night(2, "M1"), night(2, "M1"), ...[1, 6, 11, 19].map((d) => ad(d))];
    const [f] = runOn(htLodgingAds, ledger(rows));
    expect(f?.reasons[1]).toMatch(/lodging 2 times at 1 different properties, up to 2 room\(s\) on one date/);
    expect(runOn(htLodgingAds, ledger(rows), { min_rooms: 3 })).toEqual([]);
  });

  it("a listed classified-ad site counts as advertising whatever its MCC", () => {
    const rows = pattern().map((r) =>
      r[1] === "ADS"
        ? ([
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            { mcc: "5999", merchant: "SKIP THE GAMES*POST 1234" },
          ] as DetailedRow)
        : r,
    );
    expect(runOn(htLodgingAds, ledger(rows))).toHaveLength(1);
    const unlisted = rows.map((r) =>
      r[1] === "ADS"
        ? ([r[0], r[1], r[2], r[3], r[4], { mcc: "5999", merchant: "GAMESTOP" }] as DetailedRow)
        : r,
    );
    expect(runOn(htLodgingAds, ledger(unlisted))).toEqual([]);
  });
});

describe("ht-lodging-ads: stays silent on ordinary life", () => {
  it("a travelling salesperson: many hotel nights, no advertising", () => {
    const rows = [
      ...[0, 2, 4, 6, 8, 10, 12, 14, 16, 18].map((d, i) => night(d, `H${i % 5}`)),
      ...[3, 9].map((d) => meal(d)),
    ];
    expect(runOn(htLodgingAds, ledger(rows))).toEqual([]);
  });

  it("a small business advertising: ads without lodging", () => {
    expect(runOn(htLodgingAds, ledger([...[1, 6, 11, 19, 25].map((d) => ad(d)), night(3, "M1")]))).toEqual(
      [],
    );
  });

  it("needs min_ads, min_nights and min_properties", () => {
    const threeAds = pattern().filter((r) => !(r[1] === "ADS" && r[2] > 19));
    expect(runOn(htLodgingAds, ledger(threeAds))).toEqual([]);
    expect(runOn(htLodgingAds, ledger(threeAds), { min_ads: 3 })).toHaveLength(1);
    expect(runOn(htLodgingAds, ledger(pattern()), { min_nights: 9 })).toEqual([]);
    expect(runOn(htLodgingAds, ledger(pattern()), { min_properties: 4 })).toEqual([]);
  });

  it("out of proportion: not when it is a small part of the account's card spending", () => {
    const rich = [...pattern(), ...[4, 8, 13].map((d) => meal(d, "A", 1500))];
    expect(runOn(htLodgingAds, ledger(rich))).toEqual([]);
    expect(runOn(htLodgingAds, ledger(rich), { min_share: 0.15 })).toHaveLength(1);
  });

  it("a controller collecting from victims weekly is left to ht-controller", () => {
    const victims: DetailedRow[] = ["V1", "V2", "V3"].flatMap((v, i) =>
      [0, 1, 2, 3].map((w) => [v, "A", 1 + 7 * w + i / 24, 500, P2P] as DetailedRow),
    );
    const rows = [...pattern(), ...victims];
    expect(runOn(htLodgingAds, ledger(rows))).toEqual([]);
    expect(runOn(htLodgingAds, ledger(rows), { defer_to_controller: false })).toHaveLength(1);
  });

  it("leaves the controller's case to ht-controller only when it runs in the same run, as the pack sets it", () => {
    const victims: DetailedRow[] = ["V1", "V2", "V3"].flatMap((v, i) =>
      [0, 1, 2, 3].map((w) => [v, "A", 1 + 7 * w + i / 24, 500, P2P] as DetailedRow),
    );
    const { data } = ledger([...pattern(), ...victims]);
    const both = [htController, htLodgingAds] as unknown as Detector[];
    const findings = (detectors: Detector[], params = new Map<string, Record<string, unknown>>()) =>
      runDetectors(data, detectors, params).map((o) => [o.detector, o.findings.length]);
    // Together: one scheme, one alert (the controller's).
    expect(findings(both)).toEqual([
      ["ht-controller@1", 1],
      ["ht-lodging-ads@2", 0],
    ]);
    // Alone (`detect --only ht-lodging-ads`): nothing else raises it, so it does.
    expect(findings([htLodgingAds as unknown as Detector])).toEqual([["ht-lodging-ads@2", 1]]);
    // The pack asks ht-controller for four victims: it raises nothing here, and the case is not left to it.
    const four = new Map([["ht-controller", { min_victims: 4 }]]);
    expect(findings(both, four)).toEqual([
      ["ht-controller@1", 0],
      ["ht-lodging-ads@2", 1],
    ]);
  });

  it("an incremental run goes by ht-controller's parameters too, and by its lists' contents (the run key)", () => {
    const available = new Set(DETECTION_FIELDS);
    const params = htLodgingAds.params.parse({}) as Record<string, unknown>;
    const lists = {
      mccGroups: "m1",
      borderCities: "b1",
      classifiedAdMerchants: "c1",
      highFlowCountries: "h1",
    };
    const key = (peers: [string, Record<string, unknown>][], digests = lists, parties = 1) =>
      runKey(htLodgingAds as unknown as Detector, params, available, new Map(peers), {
        lists: digests,
        parties,
      });
    const base = key([["ht-controller", { min_victims: 3 }]]);
    expect(key([["ht-controller", { min_victims: 4 }]])).not.toBe(base);
    expect(key([])).not.toBe(base);
    // Another detector's parameters are not its business.
    expect(
      key([
        ["ht-controller", { min_victims: 3 }],
        ["fan-in", { min_counterparties: 9 }],
      ]),
    ).toBe(base);
    // And by the lists it consults, not by the others.
    const peers: [string, Record<string, unknown>][] = [["ht-controller", { min_victims: 3 }]];
    expect(key(peers, { ...lists, classifiedAdMerchants: "c2" })).not.toBe(base);
    expect(key(peers, { ...lists, mccGroups: "m2" })).not.toBe(base);
    expect(key(peers, { ...lists, borderCities: "b2", highFlowCountries: "h2" })).toBe(base);
    // It reads nothing from party records.
    expect(key(peers, lists, 2)).toBe(base);
  });
});

describe("ht-lodging-ads: NOT_EVALUABLE", () => {
  it("on AMLworld's fields (no MCC, no merchant) it is not run", () => {
    const outcome = onAmlworldFields(htLodgingAds as unknown as Detector, ledger(pattern()));
    expect(outcome).toMatchObject({ status: "not-evaluable", missing: ["mcc", "merchant"], findings: [] });
  });
});

describe("ht-lodging-ads on an incremental run", () => {
  it("finds, with any one payment as the new one, what a full run finds with it", () => {
    expectIncrementalAsFull(htLodgingAds, ledger(pattern()));
  });
});
