import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeAmlworldFile } from "../bench/amlworld-file.js";
import { run } from "../src/cli/main.js";

/**
 * `npm run demo` (`node dist/scripts/demo.js`): a small, repeatable tour. Makes three sample files
 * (AMLworld transactions with three bad rows, a bank's own CSV export with its mapping, and a
 * parties list with its mapping), ingests them into ./moneytrail-workspace-demo, ingests the first
 * file again to show that nothing is added twice, then prints the quarantine and the status.
 */

const WORKSPACE = resolve("moneytrail-workspace-demo");
const SAMPLE_ROWS = 20_000;

function say(text: string): void {
  // Stderr, like the CLI's human output, so that the two keep their order when redirected.
  process.stderr.write(`${text}\n`);
}

/** A few real accounts (`bank`, `account`) from the generated AMLworld file, so that the files link up. */
function someAccounts(path: string, count: number): { bank: string; account: string }[] {
  const lines = readFileSync(path, "utf8")
    .split("\n", count + 1)
    .slice(1);
  return lines.map((line) => {
    const f = line.split(",");
    return { bank: f[1] as string, account: f[2] as string };
  });
}

function makeSamples(dir: string): {
  amlworld: string;
  bank: string;
  bankMapping: string;
  parties: string;
  partiesMapping: string;
} {
  const amlworld = join(dir, "HI-Sample_Trans.csv");
  writeAmlworldFile(amlworld, SAMPLE_ROWS, 7);
  // Three deliberately bad rows: a date that does not exist, an amount that is not a number, an unknown currency.
  appendFileSync(
    amlworld,
    [
      "2022/13/45 10:00,021174,800737690,0110,8000F4580,100.00,US Dollar,100.00,US Dollar,Wire,0",
      "2022/09/10 11:30,021174,800737690,0110,8000F4580,12O.50,US Dollar,12O.50,US Dollar,Cash,0",
      "2022/09/11 12:45,021174,800737690,0110,8000F4580,99.99,Zorkmid,99.99,Zorkmid,ACH,0",
      "",
    ].join("\n"),
  );

  const [a, b, c] = someAccounts(amlworld, 3);
  const bank = join(dir, "bank-export.csv");
  writeFileSync(
    bank,
    [
      "TxnRef;Date;Sender;SenderBank;Receiver;ReceiverBank;Amount;Ccy;Type",
      `BX-1001;02.09.2022 09:15;${a?.account};${a?.bank};DE4450010517;500105;1.234,56;EUR;Wire Transfer`,
      `BX-1002;02.09.2022 16:40;;;${b?.account};${b?.bank};9.500,00;EUR;Cash Deposit`,
      `BX-1003;05.09.2022 08:05;DE4450010517;500105;${c?.account};${c?.bank};75,20;EUR;Card Payment`,
      `BX-1004;07.09.2022 12:00;DE4450010517;500105;${a?.account};${a?.bank};12.000,00;EUR;Wire Transfer`,
      "BX-1005;09.09.2022 10:30;DE4450010517;500105;;;2.000,00;EUR;Cash Withdrawal",
      "",
    ].join("\n"),
  );
  const bankMapping = join(dir, "bank-export.mapping.yaml");
  writeFileSync(
    bankMapping,
    `# A bank's own export: semicolons, day-first dates, decimal commas, its own words for channels.
kind: transactions
columns:
  id: TxnRef
  timestamp: Date
  from_account: Sender
  from_bank: SenderBank
  to_account: Receiver
  to_bank: ReceiverBank
  amount: Amount
  currency: Ccy
  channel: Type
formats:
  timestamp: dd.MM.yyyy HH:mm
  amount: decimal-comma
values:
  channel:
    Wire Transfer: wire
    Cash Deposit: cash
    Cash Withdrawal: cash
    Card Payment: card
defaults:
  timezone: Europe/Berlin
`,
  );

  const parties = join(dir, "parties.csv");
  writeFileSync(
    parties,
    [
      "id,full name,dob,address,phone,account,bank",
      `P-1,"Hartmann, Ingrid",1971-03-14,"Lindenstr. 5, 10969 Berlin",+49 30 1234567,${a?.account},${a?.bank}`,
      `P-2,Rafael Ortega,14.08.1985,"12 Harbour Rd, Leith",+44 131 555 0101,${b?.account},${b?.bank}`,
      `P-3,Nordlicht Handels GmbH,,"Am Kai 2, Hamburg",+49 40 7654321,DE4450010517,500105`,
      `P-4,Mei Lin,1990/11/02,"88 Queen's Rd, Hong Kong",+852 5555 0199,${c?.account},${c?.bank}`,
      "",
    ].join("\n"),
  );
  const partiesMapping = join(dir, "parties.mapping.yaml");
  writeFileSync(
    partiesMapping,
    `# People and organisations, with the accounts they hold.
kind: parties
columns:
  id: id
  name: full name
  birth_date: dob
  address: address
  phone: phone
  account: account
  bank: bank
`,
  );
  return { amlworld, bank, bankMapping, parties, partiesMapping };
}

/** Runs the CLI in-process, printing everything and keeping what it printed. */
async function cli(args: string[], expected = 0): Promise<string> {
  const argv = ["--workspace", WORKSPACE, ...args];
  say(`\n$ moneytrail ${argv.join(" ")}`);
  let printed = "";
  const code = await run(argv, {
    stdout: (t) => {
      printed += t;
      process.stdout.write(t);
    },
    stderr: (t) => {
      printed += t;
      process.stderr.write(t);
    },
    isTTY: Boolean(process.stderr.isTTY),
  });
  if (code !== expected) throw new Error(`moneytrail ${args[0]} exited ${code}, expected ${expected}`);
  return printed;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "moneytrail-demo-"));
  try {
    rmSync(WORKSPACE, { recursive: true, force: true });
    const f = makeSamples(dir);
    say(`sample files in ${dir}:`);
    say(`  ${f.amlworld}  (${SAMPLE_ROWS} AMLworld transactions + 3 bad rows)`);
    say(`  ${f.bank}  (a bank's semicolon export) with ${f.bankMapping}`);
    say(`  ${f.parties}  (people and organisations) with ${f.partiesMapping}`);

    await cli(["ingest", f.amlworld, "--format", "amlworld"]);
    await cli(["ingest", f.bank, "--format", "csv", "--mapping", f.bankMapping]);
    await cli(["ingest", f.parties, "--format", "parties", "--mapping", f.partiesMapping]);
    say("\nThe same file again: recognised by its SHA-256, nothing is added twice.");
    const again = await cli(["ingest", f.amlworld, "--format", "amlworld"]);
    if (!again.includes("already ingested"))
      throw new Error("the second ingest did not report already ingested");
    say("\nThe rows that could not be read, with the reason and the raw text:");
    await cli(["quarantine"]);
    await cli(["status"]);

    say(`
What next:
  - the workspace is ${WORKSPACE}; run more commands against it with --workspace
    (e.g. node bin/moneytrail.js --workspace ${WORKSPACE} --json status)
  - README.md explains the commands; docs/ingest.md describes mapping files for your own exports
  - npm run bench measures ingest speed on a 5M-row AMLworld file`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
