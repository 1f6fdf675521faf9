import { afterAll, describe, expect, it } from "vitest";
import { cli, ingestParties, tempDir, writeFile } from "../helpers.js";

/**
 * Records in the shape of the FEBRL record-linkage benchmark (made up here, not FEBRL's data):
 * ", " between fields, birth dates as yyyyMMdd, the address in three columns, a social-security
 * id, and duplicates whose given name and surname were swapped, or whose given name or birth
 * date was replaced outright. Read through a parties mapping a user would write, then resolved.
 */
const HEADER =
  "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id";
const ROWS = [
  // Given name and surname typed into each other's boxes, one of them misspelt too.
  "rec-1-org, marisol, tillett, 12, quandong street, , belconnen, 2617, act, 19700304, 4410021",
  "rec-1-dup-0, tilett, marisol, 12, quandong street, , belconnen, 2617, act, 19700304, 4410021",
  // The given name replaced; the id, birth date, surname and address agree.
  "rec-2-org, jonas, quarrie, 7, kerr place, rosedale, ainslie, 2602, act, 19551122, 5528813",
  "rec-2-dup-0, petra, quarrie, 7, kerr place, rosedale, ainslie, 2602, act, 19551122, 5528813",
  // The birth date replaced; the id and the name agree.
  "rec-3-org, ida, brennock, 40, moss street, , curtin, 2605, act, 19811009, 6620147",
  "rec-3-dup-0, ida, brennock, 41, moss street, , curtin, 2605, act, 19230517, 6620147",
  // Twins: one surname, birth date and address, but two given names and two ids: two people.
  "rec-4-org, leopold, vandermeer, 3, hume circuit, , kambah, 2902, act, 19900101, 7731502",
  "rec-5-org, annika, vandermeer, 3, hume circuit, , kambah, 2902, act, 19900101, 7731599",
  // One id written for two people who share nothing else (a misused number): two people.
  "rec-6-org, hugh, lammers, 88, bass street, , weston, 2611, act, 19480812, 8841230",
  "rec-7-org, alba, sorensen, 5, cobb place, , griffith, 2603, act, 19920330, 8841230",
  // Strangers, so that the model has non-matches to tell apart.
  "rec-8-org, oscar, penhall, 21, ranken place, , chifley, 2606, act, 19610715, 3305518",
  "rec-9-org, ruth, calloway, 14, antill street, , hackett, 2602, act, 19770228, 2290467",
  "rec-10-org, edwin, marchetti, 2, dalby street, , fisher, 2611, act, 19850909, 9017734",
];

const MAPPING = `kind: parties
columns:
  id: rec_id
  given_name: given_name
  surname: surname
  address: [street_number, address_1, address_2]
  city: suburb
  postcode: postcode
  region: state
  birth_date: date_of_birth
  national_id: soc_sec_id
formats:
  birth_date: yyyyMMdd
defaults:
  country: AU
  kind: person
delimiter: ", "
`;

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe("a FEBRL-shaped file, through a parties mapping", () => {
  it("links swaps and replaced fields that an id vouches for, and keeps twins and a shared id apart", async () => {
    const ws = `${dir}/ws`;
    const file = writeFile(dir, "febrl-like.csv", `${[HEADER, ...ROWS].join("\n")}\n`);
    const mapping = writeFile(dir, "febrl.mapping.yaml", MAPPING);
    const ingest = await ingestParties(ws, file, mapping, "febrl");
    expect(ingest.code, ingest.stderr).toBe(0);
    const resolve = await cli(["--workspace", ws, "resolve"]);
    expect(resolve.code, resolve.stderr).toBe(0);
    const entities = await cli(["--workspace", ws, "entities"]);
    expect(entities.code, entities.stderr).toBe(0);
    const entityOf = new Map(
      entities.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => {
          const [, record, entity] = line.split(",");
          return [record, entity] as const;
        }),
    );
    expect(entityOf.size).toBe(ROWS.length);
    const same = (a: string, b: string) => entityOf.get(a) === entityOf.get(b);
    expect(same("rec-1-org", "rec-1-dup-0")).toBe(true);
    expect(same("rec-2-org", "rec-2-dup-0")).toBe(true);
    expect(same("rec-3-org", "rec-3-dup-0")).toBe(true);
    expect(same("rec-4-org", "rec-5-org")).toBe(false);
    expect(same("rec-6-org", "rec-7-org")).toBe(false);
    expect(new Set(entityOf.values()).size).toBe(ROWS.length - 3);
  }, 60_000);
});
