import { expect } from "vitest";
import { cli, ingestParties, writeFile } from "../helpers.js";

/**
 * A bank's export with details (merchant category, merchant, city, region, branch, conductor), as
 * the tests of details and of what detectors read besides transactions ingest it: a row is
 * `id,ts,from_bank,from_acct,to_bank,to_acct,amount,type,mcc,merchant,city,state,branch,conductor`,
 * times `yyyy-MM-dd HH:mm` in UTC, amounts in USD, types CARD, CASH or WIRE.
 */
export const DETAIL_HEADER =
  "id,ts,from_bank,from_acct,to_bank,to_acct,amount,type,mcc,merchant,city,state,branch,conductor";

export const DETAIL_MAPPING = `kind: transactions
columns:
  id: id
  timestamp: ts
  from_bank: from_bank
  from_account: from_acct
  to_bank: to_bank
  to_account: to_acct
  amount: amount
  channel: type
  mcc: mcc
  merchant: merchant
  city: city
  region: state
  branch: branch
  conductor: conductor
formats:
  timestamp: "yyyy-MM-dd HH:mm"
defaults:
  currency: USD
  timezone: UTC
values:
  channel:
    CARD: card
    CASH: cash
    WIRE: wire
`;

/** Ingests `rows` (without the header) as file `name`, written in `dir`, through `mapping`. */
export async function ingestDetailRows(
  dir: string,
  ws: string,
  name: string,
  rows: readonly string[],
  mapping = DETAIL_MAPPING,
): Promise<void> {
  const file = writeFile(dir, name, `${[DETAIL_HEADER, ...rows].join("\n")}\n`);
  const mappingFile = writeFile(dir, "detail.mapping.yaml", mapping);
  const r = await cli(["--workspace", ws, "ingest", file, "--format", "csv", "--mapping", mappingFile]);
  expect(r.code, r.stderr).toBe(0);
}

/**
 * The party records that go with it: `id,bank,account,name,city,state`, a holder's home city and
 * region for an account, or a conductor's record by its name or id.
 */
export const PARTIES_HEADER = "id,bank,account,name,city,state";

const PARTIES_MAPPING = `kind: parties
columns:
  id: id
  bank: bank
  account: account
  name: name
  city: city
  region: state
`;

/** Ingests party `rows` (without the header) as file `name`, written in `dir`; the run's result. */
export function ingestPartyRows(dir: string, ws: string, name: string, rows: readonly string[]) {
  const file = writeFile(dir, name, `${[PARTIES_HEADER, ...rows].join("\n")}\n`);
  return ingestParties(ws, file, writeFile(dir, "parties.mapping.yaml", PARTIES_MAPPING));
}

/** Six wires on day `day` of September 2022, ids `prefix`0-5, from payers `payer`0-5 at 001 to 002:B. */
export function wireRows(prefix: string, day: number, payer = "P"): string[] {
  return Array.from(
    { length: 6 },
    (_, i) =>
      `${prefix}${i},2022-09-${String(day).padStart(2, "0")} 1${i}:00,001,${payer}${i},002,B,${1500 + i}.00,WIRE,,,,,,`,
  );
}
