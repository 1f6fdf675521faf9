import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DETECTION_FIELDS } from "../../src/detect/detector.js";
import {
  groupMask,
  namesListedMerchant,
  normaliseName,
  onBorderList,
  parseMccGroups,
  referenceLists,
} from "../../src/detect/reference-lists.js";
import {
  buildTransactionDetails,
  conductorAccountOf,
  detailsOf,
  detailsOfEdges,
  usualValue,
} from "../../src/detect/transaction-details.js";
import { graphOf } from "../graph/graph-of.js";
import { CARD, CASH } from "./ht-rows.js";

/**
 * The data the ht-/hs- detectors read beside the graph: transaction details joined to edges, and
 * the versioned reference lists.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("transaction details", () => {
  // Edges 0–2 on lines 2–4 of file 1.
  const g = graphOf([
    ["A", "M", 0, 10, CARD],
    ["", "A", 1, 500, CASH],
    ["A", "B", 2, 70],
  ]);

  it("joins store rows to edges by file and line, interning texts and reading 4-digit MCCs", () => {
    const { details, unmatched } = buildTransactionDetails(
      g,
      [
        { fileNo: 1, line: 2, mcc: "5411", merchant: "Corner Mart", city: "Denver", country: "US" },
        { fileNo: 1, line: 3, mcc: "54", city: " Denver ", conductor: "C0000007", conductorAccount: "B" },
        { fileNo: 1, line: 99, mcc: "7011" },
        { fileNo: 2, line: 2, mcc: "7011" },
      ],
      [
        { account: "A", city: "Boise", region: "ID" },
        { account: "A", city: "Reno" },
        { account: "nobody", city: "Reno" },
      ],
    );
    expect(unmatched).toBe(2);
    expect([...details.mcc]).toEqual([5411, -1, -1]);
    expect(details.city[0]).toBe(details.city[1]);
    expect(details.strings[details.city[0] as number]).toBe("Denver");
    expect(details.strings[details.merchant[0] as number]).toBe("Corner Mart");
    expect([...details.merchant]).toEqual([details.merchant[0], -1, -1]);
    expect(details.strings[details.conductor[1] as number]).toBe("C0000007");
    expect([0, 1, 2].map((e) => conductorAccountOf(details, e))).toEqual([-1, g.indexOf.get("B"), -1]);
    // The first party record read gives the home city.
    expect(details.strings[details.homeCity[g.indexOf.get("A") as number] as number]).toBe("Boise");
    expect(details.strings[details.homeRegion[g.indexOf.get("A") as number] as number]).toBe("ID");
    expect(details.homeCity[g.indexOf.get("B") as number]).toBe(-1);
  });

  it("detailsOf refuses data without details, or details of another graph", () => {
    const data = { graph: g, available: new Set(DETECTION_FIELDS) };
    expect(() => detailsOf(data)).toThrow(/transaction details were not loaded/);
    const other = detailsOfEdges({ edgeCount: 2, accounts: g.accounts }, {});
    expect(() => detailsOf({ ...data, details: other } as typeof data)).toThrow(
      /cover 2 edges, the graph has 3/,
    );
    const mine = detailsOfEdges(g, { 0: { mcc: "5411" } });
    expect(detailsOf({ ...data, details: mine } as typeof data)).toBe(mine);
    expect(() => detailsOfEdges(g, { 3: { mcc: "1" } })).toThrow(/no edge 3/);
  });

  it("usualValue: the place an account's own transactions carry most, not where others deposit", () => {
    const h = graphOf([
      ["A", "M", 0, 10, CARD],
      ["A", "M", 1, 10, CARD],
      ["A", "N", 2, 10, CARD],
      ["", "A", 3, 500, CASH],
      ["", "A", 4, 500, CASH],
      ["", "A", 5, 500, CASH],
    ]);
    const d = detailsOfEdges(h, {
      0: { city: "Tucson", mcc: "5411" },
      1: { city: "Tucson", mcc: "5411" },
      2: { city: "Reno", mcc: "5411" },
      3: { city: "Omaha" },
      4: { city: "Omaha" },
      5: { city: "Omaha" },
    });
    const a = h.indexOf.get("A") as number;
    expect(d.strings[usualValue(h, d, "city", a)]).toBe("Tucson");
    // M, a merchant, is where its card takings are made.
    expect(d.strings[usualValue(h, d, "city", h.indexOf.get("M") as number)]).toBe("Tucson");
    expect(usualValue(h, d, "country", a)).toBe(-1);
  });
});

describe("reference lists", () => {
  it("ship with a version and a source, and parse", () => {
    const lists = referenceLists();
    for (const v of [
      lists.mccGroups.version,
      lists.borderCities.version,
      lists.classifiedAdMerchants.version,
      lists.highFlowCountries.version,
    ])
      expect(v).toMatch(/^\d{4}\.\d{2}-\d+$/);
    expect(lists.borderCities.names.has(normaliseName("Ciudad Juárez"))).toBe(true);
    expect(lists.borderCities.names.has("el paso")).toBe(true);
    expect(lists.borderCities.names.has("denver")).toBe(false);
    // Where the data gives a state code it must match: Columbus NM is listed, Columbus OH is not.
    expect(onBorderList(lists.borderCities, "COLUMBUS", "NM")).toBe(true);
    expect(onBorderList(lists.borderCities, "Columbus", "OH")).toBe(false);
    expect(onBorderList(lists.borderCities, "Columbus", null)).toBe(true);
    expect(onBorderList(lists.borderCities, "Nogales", "SR")).toBe(true);
    expect(onBorderList(lists.borderCities, "Denver", "CO")).toBe(false);
    expect(lists.highFlowCountries.codes.has("GT")).toBe(true);
  });

  it("MCC groups: single codes and ranges, an unknown group is an error", () => {
    const g = referenceLists().mccGroups;
    const lodging = groupMask(g, "LODGING");
    expect((g.maskOf[7011] as number) & lodging).not.toBe(0);
    expect((g.maskOf[3650] as number) & lodging).not.toBe(0);
    expect((g.maskOf[3500] as number) & lodging).toBe(0);
    expect((g.maskOf[4900] as number) & groupMask(g, "UTILITIES")).not.toBe(0);
    expect(() => groupMask(g, "CASINOS")).toThrow(/has no group CASINOS/);
    expect(() => parseMccGroups({ version: "x", source: "y", groups: { A: ["5000-4000"] } })).toThrow(
      /backwards/,
    );
    expect(() => parseMccGroups({ version: "x", source: "y", groups: { A: ["50"] } })).toThrow();
  });

  it("classified-ad merchants match whole words, without case, accents or punctuation", () => {
    const listed = referenceLists().classifiedAdMerchants.names;
    expect(namesListedMerchant("SQ *SKIP-THE-GAMES.COM", listed)).toBe(true);
    expect(namesListedMerchant("craigslist.org", listed)).toBe(true);
    expect(namesListedMerchant("Backpages Bindery", listed)).toBe(false);
    expect(namesListedMerchant("GAMESTOP #1234", listed)).toBe(false);
  });

  it("are read from the folder given, so a deployment can edit them", () => {
    const dir = mkdtempSync(join(tmpdir(), "lists-"));
    dirs.push(dir);
    const shipped = referenceLists();
    writeFileSync(
      join(dir, "mcc-groups.json"),
      JSON.stringify({ version: "local-1", source: "test", groups: { LODGING: ["7011"] } }),
    );
    writeFileSync(
      join(dir, "border-cities.json"),
      JSON.stringify({
        version: "local-2",
        source: "test",
        cities: [{ city: "Denver", region: "CO", country: "US" }],
      }),
    );
    writeFileSync(
      join(dir, "classified-ad-merchants.json"),
      JSON.stringify({ version: "local-3", source: "t", merchants: [] }),
    );
    writeFileSync(
      join(dir, "high-flow-countries.json"),
      JSON.stringify({ version: "local-4", source: "t", countries: [] }),
    );
    const local = referenceLists(dir);
    expect(local.borderCities.version).toBe("local-2");
    expect(local.borderCities.names.has("denver")).toBe(true);
    expect(referenceLists()).toBe(shipped);
    writeFileSync(join(dir, "high-flow-countries.json"), "{");
    expect(() => referenceLists(join(dir, "missing"))).toThrow(/reference list .*mcc-groups\.json/);
  });
});
