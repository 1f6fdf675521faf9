import { afterAll, describe, expect, it } from "vitest";
import { ingestParties, tempDir, withStore, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);

const MAPPING = `kind: parties
columns:
  id: Id
  name: Name
  given_name: First
  middle_name: Middle
  surname: Last
  birth_date: DOB
  address: Street
  city: City
  postcode: Zip
  region: State
  country: Country
  phone: Phone
  email: Email
  national_id: SSN
  tax_id: EIN
  passport: Passport
  account: Acct
  bank: Bank
  kind: Type
formats:
  birth_date: "MM/dd/yyyy"
values:
  kind: { P: person, O: organisation }
`;

async function ingest(name: string, csv: string): Promise<string> {
  const ws = `${t.dir}/${name}`;
  const mapping = writeFile(t.dir, `${name}.yaml`, MAPPING);
  const file = writeFile(t.dir, `${name}.csv`, csv);
  const r = await ingestParties(ws, file, mapping);
  expect(r.code, r.stderr).toBe(0);
  return ws;
}

const HEADER =
  "Id,Name,First,Middle,Last,DOB,Street,City,Zip,State,Country,Phone,Email,SSN,EIN,Passport,Acct,Bank,Type";

describe("Store.parties(): every party at once (the fast path resolve reads)", () => {
  it("gives the same parties, in the same order, as the paged row-object read", async () => {
    const ws = await ingest(
      "plain",
      `${HEADER}
C2,,José,María,Núñez-García,03/14/1985,"12 Main St, Apt 4",El Paso,79901,TX,US,(915) 555-0101,jose@example.com,123-45-6789,,X123,800737690,021174,P
C1,Acme Staffing LLC,,,,,400 Oak Ave,Houston,77002,TX,US,,,,12-3456789,,800100200,021174,O
C3,,Jon,,Smith,,,,,,,,,,,,,,P
C4,,"Ann ""Annie""",,O'Brien,12/01/1970,,,,,,,,,,,,,
`,
    );
    const [fast, paged] = await withStore(ws, async (s) => [await s.parties(), await s.parties({})]);
    expect(fast.length).toBe(4);
    expect(fast).toEqual(paged);
    // Nulls stay null, dates stay ISO, lines are numbers.
    const c3 = fast.find((p) => p.source_record_id === "C3");
    expect(c3).toMatchObject({ name: null, birth_date: null, email: null, given_name: "Jon" });
    expect(typeof c3?.source.line).toBe("number");
    expect(fast.find((p) => p.source_record_id === "C2")?.birth_date).toBe("1985-03-14");
  });

  it("falls back to row objects when a value holds a separator character, with the same result", async () => {
    const ws = await ingest(
      "control",
      `${HEADER}
C1,,Ann\u001fMarie,,Lee,,,,,,,,,,,,,,P
C2,,Bob,,Ray\u001e,,,,,,,,,,,,,,P
C3,,Cy,\u001d,Ng,,,,,,,,,,,,,,P
`,
    );
    const [fast, paged] = await withStore(ws, async (s) => [await s.parties(), await s.parties({})]);
    expect(fast.length).toBe(3);
    expect(fast).toEqual(paged);
    expect(fast.map((p) => p.given_name)).toContain("Ann\u001fMarie");
    // A value that is exactly the null mark stays a value.
    expect(fast.find((p) => p.given_name === "Cy")?.middle_name).toBe("\u001d");
  });

  it("reads an empty store as no parties", async () => {
    const ws = `${t.dir}/empty`;
    expect(await withStore(ws, (s) => s.parties())).toEqual([]);
  });
});
