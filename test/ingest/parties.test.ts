import { afterAll, describe, expect, it } from "vitest";
import { ingestParties, tempDir, withStore, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);
const ws = `${t.dir}/ws`;

describe("ingest --format parties", () => {
  it("loads people and organisations with provenance and held accounts", async () => {
    const mapping = writeFile(
      t.dir,
      "kyc.yaml",
      `kind: parties
columns:
  id: CustomerId
  given_name: First
  surname: Last
  birth_date: DOB
  address: [Street, Unit]
  city: City
  phone: Phone
  account: Acct
  bank: Bank
  kind: Type
formats:
  birth_date: "MM/dd/yyyy"
values:
  kind: { P: person, O: organisation }
`,
    );
    const file = writeFile(
      t.dir,
      "kyc.csv",
      `CustomerId,First,Last,DOB,Street,Unit,City,Phone,Acct,Bank,Type
C1,Maria,Lopez,03/14/1985,12 Main St,Apt 4,El Paso,(915) 555-0101,800737690,021174,P
C2,,Acme Staffing LLC,,400 Oak Ave,,Houston,,800100200,021174,O
C3,Jon,Smith,14/03/1985,,,,,,,P
C4,,,,1 Nowhere,,,,,,P
`,
    );
    const r = await ingestParties(ws, file, mapping, "bank-a-kyc");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rows: 4, accepted: 3, rejected: 1 });
    const parties = await withStore(ws, (s) => s.parties());
    expect(parties.map((p) => [p.id, p.source_record_id, p.source.line])).toEqual([
      ["bank-a-kyc:C1", "C1", 2],
      ["bank-a-kyc:C2", "C2", 3],
      ["bank-a-kyc:C3", "C3", 4],
    ]);
    expect(parties[0]).toMatchObject({
      kind: "person",
      given_name: "Maria",
      surname: "Lopez",
      birth_date: "1985-03-14",
      address: "12 Main St Apt 4",
      city: "El Paso",
      phone: "(915) 555-0101",
      account: "021174:800737690",
      source_name: "bank-a-kyc",
    });
    expect(parties[1]).toMatchObject({
      kind: "organisation",
      surname: "Acme Staffing LLC",
      birth_date: null,
    });
    // A day/month swap does not parse, but the text is kept for entity resolution.
    expect(parties[2]).toMatchObject({ birth_date: null, birth_date_raw: "14/03/1985", account: null });
    const q = await withStore(ws, (s) => s.quarantine());
    expect(q).toMatchObject([
      { line: 5, field: "surname", reason: "no name: name, given_name and surname are all empty" },
    ]);
    const accounts = (await withStore(ws, (s) => s.accounts())).map((a) => a.key);
    expect(accounts).toEqual(["021174:800100200", "021174:800737690"]);
  });
});
