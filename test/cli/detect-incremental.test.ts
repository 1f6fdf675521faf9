import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantedRows } from "../generated-workspace.js";
import { cli, tempDir, writeFile } from "../helpers.js";

/**
 * The promise of `detect` after a later delivery, end to end (docs/detect.md, Incremental
 * detection): the alerts an incremental run leaves are the alerts a run over every transaction
 * leaves, byte for byte — the patterns with a new transaction found as a full run finds them, and
 * the stored alerts about accounts with new transactions looked at again. Checked on a generated
 * world with every typology planted, for a delivery about some accounts and one of the latest days.
 */
const t = tempDir();
afterAll(t.cleanup);

let world: string;
let header: string;
let rows: string[];

beforeAll(async () => {
  ({ world, header, rows } = await plantedRows(t.dir, 9));
}, 120_000);

/** FNV-1a: which accounts the later delivery is about. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

async function run(ws: string, ...args: string[]) {
  const r = await cli(["--workspace", ws, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function ingest(ws: string, name: string, lines: string[]) {
  const file = writeFile(t.dir, name, `${[header, ...lines].join("\n")}\n`);
  const mapping = join(world, "transactions-generic.mapping.yaml");
  await run(ws, "ingest", file, "--format", "csv", "--mapping", mapping);
}

const deliveries: { name: string; later: (row: string, i: number) => boolean }[] = [
  {
    // payer_bank, payer_account, payee_bank, payee_account are columns 2–5.
    name: "about one account in fifteen",
    later: (row) => {
      const f = row.split(",", 6);
      return hash(`${f[2]}:${f[3]}`) % 15 === 0 || hash(`${f[4]}:${f[5]}`) % 15 === 0;
    },
  },
  // The rows are in time order.
  { name: "of the latest days", later: (_, i) => i >= rows.length * 0.95 },
];

describe("detect after a later delivery", () => {
  for (const delivery of deliveries) {
    it(`leaves the alerts a full run leaves: a delivery ${delivery.name}`, async () => {
      const ws = join(t.dir, `ws-${deliveries.indexOf(delivery)}`);
      const first = rows.filter((r, i) => !delivery.later(r, i));
      const later = rows.filter((r, i) => delivery.later(r, i));
      await ingest(ws, `first-${deliveries.indexOf(delivery)}.csv`, first);
      await run(ws, "detect");
      await ingest(ws, `later-${deliveries.indexOf(delivery)}.csv`, later);
      const full = `${ws}-full`;
      cpSync(ws, full, { recursive: true });
      const incremental = JSON.parse(await run(ws, "--json", "detect"));
      expect(incremental.detectors.every((d: { run: string }) => d.run === "incremental")).toBe(true);
      expect(incremental.newTransactions).toBe(later.length);
      const whole = JSON.parse(await run(full, "--json", "detect", "--full"));
      expect(whole.detectors.every((d: { run: string }) => d.run === "full")).toBe(true);
      const alerts = async (dir: string) =>
        (await run(dir, "alerts", "--format", "jsonl")).split("\n").sort();
      const [a, b] = [await alerts(ws), await alerts(full)];
      expect(a.length).toBeGreaterThan(20);
      expect(a).toEqual(b);
      // The delivery changed alerts, and the incremental run looked again at some stored ones.
      expect(incremental.alerts.new + incremental.alerts.updated).toBeGreaterThan(0);
      expect(incremental.alerts.rechecked).toBeGreaterThan(0);
    }, 120_000);
  }
});
