import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCaptured } from "../src/cli/main.js";

/**
 * `npm run demo` (`node dist/scripts/demo.js`): a small, repeatable tour on a generated world.
 * Generates a world with planted typologies, ingests its transactions and party records into
 * ./moneytrail-workspace-demo together with a bank's own export (with two bad rows, to show the
 * quarantine), ingests a file again to show that nothing is added twice, runs the later stages
 * this version has, and prints a summary: what landed, and what the world holds for them to find.
 */

const WORKSPACE = resolve("moneytrail-workspace-demo");
const WORLD = { accounts: "5000", transactions: "100000", seed: "42" };

function say(text: string): void {
  // Stderr, like the CLI's human output, so that the two keep their order when redirected.
  process.stderr.write(`${text}\n`);
}

/** A bank's own export (semicolons, day-first dates, decimal commas) naming accounts of the world. */
function bankExport(dir: string, world: string): { file: string; mapping: string } {
  const [a, b] = readFileSync(join(world, "transactions.csv"), "utf8")
    .split("\n", 3)
    .slice(1)
    .map((line) => {
      const f = line.split(",");
      return { bank: f[1] as string, account: f[2] as string };
    });
  const file = join(dir, "bank-export.csv");
  writeFileSync(
    file,
    [
      "TxnRef;Date;Sender;SenderBank;Receiver;ReceiverBank;Amount;Ccy;Type",
      `BX-1001;02.09.2022 09:15;${a?.account};${a?.bank};DE4450010517;500105;1.234,56;EUR;Wire Transfer`,
      `BX-1002;02.09.2022 16:40;;;${b?.account};${b?.bank};9.500,00;EUR;Cash Deposit`,
      // Two deliberately bad rows: a date that does not exist, an amount that is not a number.
      `BX-1003;31.09.2022 08:05;DE4450010517;500105;${a?.account};${a?.bank};75,20;EUR;Card Payment`,
      `BX-1004;07.09.2022 12:00;DE4450010517;500105;${b?.account};${b?.bank};12.OOO,00;EUR;Wire Transfer`,
      "BX-1005;09.09.2022 10:30;DE4450010517;500105;;;2.000,00;EUR;Cash Withdrawal",
      "",
    ].join("\n"),
  );
  const mapping = join(dir, "bank-export.mapping.yaml");
  writeFileSync(
    mapping,
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
  return { file, mapping };
}

/** Runs the CLI in-process, printing everything and keeping what it printed. */
async function cli(args: string[], expected = 0): Promise<string> {
  const argv = ["--workspace", WORKSPACE, ...args];
  say(`\n$ moneytrail ${argv.join(" ")}`);
  const { code, stdout, stderr } = await runCaptured(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  });
  const printed = stdout + stderr;
  if (code !== expected) throw new Error(`moneytrail ${args[0]} exited ${code}, expected ${expected}`);
  return printed;
}

/** Runs the CLI in-process and returns its stdout without printing it (for files). */
async function cliQuiet(args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCaptured(["--workspace", WORKSPACE, ...args]);
  if (code !== 0) throw new Error(`moneytrail ${args[0]} exited ${code}: ${stderr}`);
  return stdout;
}

/**
 * A sample trace: the first payment of a planted scatter-gather, followed forward three hops
 * pro-rata, which spreads the traced money over everything the receiving account pays out (FIFO
 * and LIBR may keep it where it landed, when the account has older or its own money to spend).
 * A transaction of an AMLworld file is known by its derived id, `<sha prefix>:<line>`.
 */
async function sampleTrace(world: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(world, "truth", "manifest.json"), "utf8")) as {
    files: { name: string; sha256: string }[];
  };
  const sha = manifest.files.find((f) => f.name === "transactions.csv")?.sha256 ?? "";
  const planted = readFileSync(join(world, "truth", "transactions.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  const first = planted.map((l) => l.split(",")).find((f) => f[2] === "scatter-gather");
  if (!first) return;
  const id = `${sha.slice(0, 12)}:${first[0]}`;
  say("\nFollowing the money: the first payment of a planted scatter-gather, three hops forward, pro-rata.");
  const printed = await cli(["--json", "trace", "--transaction", id, "--method", "pro-rata", "--hops", "3"]);
  const record = JSON.parse(printed) as {
    flows: { hop: number; from: string; to: string; amount_usd: number; sources: { line: number }[] }[];
    holders: { account: string; amount_usd: number }[];
  };
  for (const f of record.flows.slice(0, 8)) {
    say(
      `  hop ${f.hop}: ${f.from} -> ${f.to}  ${f.amount_usd.toFixed(2)} USD  (lines ${f.sources.map((s) => s.line).join(", ")})`,
    );
  }
  say(
    `  held at the end: ${record.holders
      .slice(0, 5)
      .map((h) => `${h.account} ${h.amount_usd.toFixed(2)}`)
      .join("; ")}`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "moneytrail-demo-"));
  const world = join(dir, "world");
  try {
    rmSync(WORKSPACE, { recursive: true, force: true });
    say("A synthetic world: people, businesses and banks living ordinary financial lives, with crime of");
    say("every typology moneytrail knows planted into it, and the ground truth beside it.");
    await cli([
      "generate",
      "--out",
      world,
      "--accounts",
      WORLD.accounts,
      "--transactions",
      WORLD.transactions,
      "--seed",
      WORLD.seed,
    ]);
    const bank = bankExport(dir, world);

    await cli(["ingest", join(world, "transactions.csv"), "--format", "amlworld"]);
    await cli([
      "ingest",
      join(world, "parties.csv"),
      "--format",
      "parties",
      "--mapping",
      join(world, "parties.mapping.yaml"),
    ]);
    await cli(["ingest", bank.file, "--format", "csv", "--mapping", bank.mapping]);
    say("\nThe same file again: recognised by its SHA-256, nothing is added twice.");
    const again = await cli(["ingest", join(world, "transactions.csv"), "--format", "amlworld"]);
    if (!again.includes("already ingested"))
      throw new Error("the second ingest did not report already ingested");
    say("\nThe rows that could not be read, with the reason and the raw text:");
    await cli(["quarantine"]);
    await cli(["status"]);

    say("\nWho is who: the banks' party records resolved into entities, every link weighed and explainable:");
    await cli(["resolve"]);
    const entitiesFile = join(dir, "entities.csv");
    writeFileSync(entitiesFile, await cliQuiet(["entities"]));
    say("\nThe detectors of the default rule pack, then the alerts they raised, each with its evidence:");
    await cli(["detect"]);
    await cli(["alerts", "--format", "table"]);
    const alertsFile = join(dir, "alerts.jsonl");
    writeFileSync(alertsFile, await cliQuiet(["alerts", "--format", "jsonl"]));
    const first = readFileSync(alertsFile, "utf8").split("\n")[0];
    if (first) {
      const a = JSON.parse(first) as { id: string; reasons: string[]; sources: unknown[] };
      say(`\nWhy ${a.id}, in words (and ${a.sources.length} transactions cited by file and line):`);
      say(a.reasons.map((r) => `  - ${r}`).join("\n"));
    }
    say("\nThe people and businesses the alerts point at most, each one's accounts pooled, and why");
    say("(leads to review, not verdicts):");
    await cli(["risk", "--top", "5", "--by", "entity"]);
    await sampleTrace(world);
    say("\nWhat the world holds for them to find (from its ground truth, not from any detector):");
    const instances = readFileSync(join(world, "truth", "instances.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1);
    const byTypology = new Map<string, number>();
    for (const line of instances) {
      const typology = line.split(",")[1] as string;
      byTypology.set(typology, (byTypology.get(typology) ?? 0) + 1);
    }
    say([...byTypology].map(([t, n]) => `  ${t}: ${n}`).join("\n"));
    await cli(["evaluate", "--truth", world, "--alerts", alertsFile, "--entities", entitiesFile]);

    say(`
What next:
  - the workspace is ${WORKSPACE}; run more commands against it with --workspace
    (e.g. node bin/moneytrail.js --workspace ${WORKSPACE} --json status)
  - the generated world stays only for this run; make your own with moneytrail generate --out DIR
  - README.md explains the commands; docs/generate.md the world; docs/ingest.md mapping files
  - npm run bench measures speed; npm run eval measures quality`);
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
