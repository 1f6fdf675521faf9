import { afterAll, describe, expect, it } from "vitest";
import { cli, tempDir, withStore, writeFile } from "../helpers.js";

const t = tempDir();
afterAll(t.cleanup);
const ws = `${t.dir}/ws`;

const mapping = writeFile(
  t.dir,
  "bank.yaml",
  `kind: transactions
columns:
  id: TxnRef
  timestamp: Date
  from_account: Sender
  from_bank: SenderBank
  to_account: Receiver
  amount: Amount
  currency: Ccy
  channel: Type
  memo: [Note, Extra]
formats:
  timestamp: "dd.MM.yyyy HH:mm"
  amount: decimal-comma
values:
  channel: { "Wire Transfer": wire, "Cash Deposit": cash }
defaults:
  timezone: Europe/Berlin
`,
);

// BOM, semicolons, CRLF, quoted fields holding the delimiter and doubled quotes.
const bank = `\uFEFF TxnRef ;Date;Sender;SenderBank;Receiver;Amount;Ccy;Type;Note;Extra\r
T1;01.03.2022 10:00;DE01;0501;DE02;1.234,56;EUR;Wire Transfer;"rent; March";x\r
T2;15.07.2022 23:30;;;DE02;500;EUR;Cash Deposit;"said ""cash""";\r
T3;02.03.2022 08:15;DE02;0501;DE03;12,5;USD;wire;;\r
`;

describe("ingest --format csv --mapping", () => {
  it("reads through the mapping: names, patterns, zones, value maps, joined columns", async () => {
    const path = writeFile(t.dir, "bank.csv", bank);
    const r = await cli([
      "--workspace",
      ws,
      "--json",
      "ingest",
      path,
      "--format",
      "csv",
      "--mapping",
      mapping,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
    const txs = await withStore(ws, (s) => s.transactions());
    expect(txs.map((x) => [x.id, x.source.line])).toEqual([
      ["T1", 2],
      ["T2", 3],
      ["T3", 4],
    ]);
    const [a, b, c] = txs;
    // 10:00 in Berlin in March (CET, UTC+1) is 09:00 UTC; in July (CEST) 23:30 is 21:30 UTC.
    expect(a).toMatchObject({
      ts: "2022-03-01T09:00:00Z",
      from_account: "0501:DE01",
      to_account: "DE02",
      amount: "1234.56",
      currency: "EUR",
      channel: "wire",
      memo: "rent; March x",
    });
    expect(b).toMatchObject({
      ts: "2022-07-15T21:30:00Z",
      from_account: null,
      channel: "cash",
      memo: 'said "cash"',
    });
    expect(c).toMatchObject({ amount: "12.5", currency: "USD", channel: "wire", amount_usd: 12.5 });
  });

  it("counts a file that overlaps an earlier one (same ids) once", async () => {
    const overlap = writeFile(
      t.dir,
      "bank-2.csv",
      "TxnRef;Date;Sender;SenderBank;Receiver;Amount;Ccy;Type;Note;Extra\nT3;02.03.2022 08:15;DE02;0501;DE03;12,5;USD;wire;;\nT4;03.03.2022 08:15;DE02;0501;DE03;7;USD;wire;;\nT4;03.03.2022 08:15;DE02;0501;DE03;7;USD;wire;;\n",
    );
    const r = await cli([
      "--workspace",
      ws,
      "--json",
      "ingest",
      overlap,
      "--format",
      "csv",
      "--mapping",
      mapping,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ rows: 3, accepted: 1, rejected: 0, duplicates: 2 });
    const ids = (await withStore(ws, (s) => s.transactions())).map((x) => x.id).sort();
    expect(ids).toEqual(["T1", "T2", "T3", "T4"]);
  });

  it.each([
    ["unix-s", "1661991600", "2022-09-01T00:20:00Z"],
    ["unix-ms", "1661991600000", "2022-09-01T00:20:00Z"],
    ["days-since:2022-09-01", "1.5", "2022-09-02T12:00:00Z"],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", "2022-09-01T02:20:00+02:00", "2022-09-01T00:20:00Z"],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", "2022-09-01T00:20:00Z", "2022-09-01T00:20:00Z"],
    ["MM/dd/yyyy h:mm a", "09/01/2022 1:05 PM", "2022-09-01T13:05:00Z"],
    ["iso", "2022-09-01 00:20:00", "2022-09-01T00:20:00Z"],
    ["iso", "2022-09-01T00:20:00", "2022-09-01T04:20:00Z", "America/New_York"],
    ["iso", "2022-09-01T00:20:00+02:00", "2022-08-31T22:20:00Z", "America/New_York"],
  ])("reads timestamps written as %s (%s)", async (format, text, expected, zone = "UTC") => {
    const dir = tempDir();
    try {
      const m = writeFile(
        dir.dir,
        "m.yaml",
        `kind: transactions\ncolumns: { timestamp: When, from_account: A, to_account: B, amount: Amt }\nformats: { timestamp: "${format}" }\ndefaults: { currency: USD, channel: ach, timezone: ${zone} }\n`,
      );
      const f = writeFile(dir.dir, "t.csv", `When,A,B,Amt\n"${text}",a1,b1,10\n`);
      const r = await cli(["--workspace", `${dir.dir}/ws`, "ingest", f, "--format", "csv", "--mapping", m]);
      expect(r.code, r.stderr).toBe(0);
      const [tx] = await withStore(`${dir.dir}/ws`, (s) => s.transactions());
      expect(tx?.ts).toBe(expected);
      expect(tx).toMatchObject({ currency: "USD", channel: "ach", from_account: "a1", to_account: "b1" });
    } finally {
      dir.cleanup();
    }
  });
});
