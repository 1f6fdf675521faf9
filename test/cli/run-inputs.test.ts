import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/util/project-root.js";
import { ingestDetailRows, ingestPartyRows } from "../detect/detail-csv.js";
import { cli, tempDir, writeFile } from "../helpers.js";

/**
 * What detectors read besides the transactions changes between runs: a deployment edits a
 * reference list (`data/reference/`, or `MONEYTRAIL_REFERENCE_DIR`), or party records come in.
 * The next run reads the change, even in the same process (as `watch` is), and the detectors that
 * read it look at everything again, old data too, where an incremental run would have judged only
 * new payments by it: the alerts are those of a run over everything.
 */
const t = tempDir();
const lists = join(t.dir, "reference");
cpSync(join(projectRoot(), "data", "reference"), lists, { recursive: true });
const before = process.env.MONEYTRAIL_REFERENCE_DIR;
process.env.MONEYTRAIL_REFERENCE_DIR = lists;
afterAll(() => {
  if (before === undefined) delete process.env.MONEYTRAIL_REFERENCE_DIR;
  else process.env.MONEYTRAIL_REFERENCE_DIR = before;
  t.cleanup();
});

const CITIES = [
  ["Atlanta", "GA"],
  ["Chicago", "IL"],
  ["Denver", "CO"],
  ["Boston", "MA"],
  ["Seattle", "WA"],
  ["Miami", "FL"],
];
const day = (d: number) => `2022-09-${String(d).padStart(2, "0")} 10:00`;
/**
 * Six originators, each living in its own city (a purchase there), wire one beneficiary who
 * lives in `city`, 1,500–1,550 each, three days apart: a smuggling funnel's shape.
 */
const funnelRows = (city: string, state: string) => [
  `B0,${day(1)},,B,,SHOP,30.00,CARD,5411,Corner Grocer,${city},${state},,`,
  ...CITIES.map(([c, s], i) => `L${i},${day(1)},,O${i},,SHOP,30.00,CARD,5411,Corner Grocer,${c},${s},,`),
  ...CITIES.map((_, i) => `W${i},${day(10 + 3 * i)},,O${i},,B,${1500 + 10 * i}.00,WIRE,,,,,,`),
];

const ingestFunnel = (ws: string, city: string, state: string) =>
  ingestDetailRows(t.dir, ws, `funnel-${city}.csv`, funnelRows(city, state));

/** The alerts a run over everything leaves on a copy of the workspace. */
async function fullRunAlerts(ws: string, name: string, ...options: string[]): Promise<string[]> {
  const copy = join(t.dir, name);
  cpSync(ws, copy, { recursive: true });
  const full = await cli(["--workspace", copy, "--json", "detect", "--full", ...options]);
  expect(full.code, full.stderr).toBe(0);
  return alertLines(copy);
}

interface Summary {
  detectors: { detector: string; run: string; status: string }[];
  alerts: { new: number; updated: number; unchanged: number };
}

async function detect(ws: string, ...options: string[]): Promise<Summary> {
  const r = await cli(["--workspace", ws, "--json", "detect", ...options]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

async function alertLines(ws: string): Promise<string[]> {
  const r = await cli(["--workspace", ws, "alerts", "--format", "jsonl"]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split("\n").filter((l) => l !== "");
}

async function funnelAlert(ws: string): Promise<{ score: number; reasons: string[] }> {
  const alerts = (await alertLines(ws)).map(
    (l) => JSON.parse(l) as { detectors: string[]; score: number; reasons: string[] },
  );
  // A fan-in too (alike sums from one-off payers), which holds the border funnel's finding.
  const funnel = alerts.filter((a) => a.detectors.includes("hs-border-funnel@1"));
  expect(funnel).toHaveLength(1);
  return funnel[0] as { score: number; reasons: string[] };
}

const runOf = (s: Summary, id: string) => s.detectors.find((d) => d.detector.startsWith(`${id}@`))?.run;

describe("a reference list edited between runs", () => {
  it("is read at the next run, and the detectors that consult it run over everything again", async () => {
    const ws = join(t.dir, "ws");
    await ingestFunnel(ws, "Des Moines", "IA");
    await detect(ws);
    const inland = await funnelAlert(ws);
    expect(inland.reasons.join(" ")).toMatch(/not known to be in a southwest border city/);
    // Nothing new and nothing edited: every detector incremental, nothing changed.
    const again = await detect(ws);
    expect(runOf(again, "hs-border-funnel")).toBe("incremental");
    expect(again.alerts.updated + again.alerts.new).toBe(0);
    // Des Moines put on the border list, its version left as it was.
    const path = join(lists, "border-cities.json");
    const border = JSON.parse(readFileSync(path, "utf8")) as { cities: unknown[] };
    border.cities.push({ city: "Des Moines", region: "IA", country: "US" });
    writeFileSync(path, JSON.stringify(border, null, 2));
    const edited = await detect(ws);
    expect(runOf(edited, "hs-border-funnel")).toBe("full");
    // With it those whose alerts its findings fold into (the fan-in), or fold into its own; one
    // that consults another list, and folds with none, goes on incrementally.
    expect(runOf(edited, "fan-in")).toBe("full");
    expect(runOf(edited, "ht-living-costs")).toBe("incremental");
    expect(edited.alerts.updated).toBe(1);
    const border2 = await funnelAlert(ws);
    expect(border2.reasons.join(" ")).toMatch(/Des Moines, on the southwest border list/);
    expect(border2.score).toBeGreaterThan(inland.score);
    // The alerts a run over everything leaves with the edited list.
    expect(await alertLines(ws)).toEqual(await fullRunAlerts(ws, "ws-full"));
    // And then incremental again.
    expect(runOf(await detect(ws), "hs-border-funnel")).toBe("incremental");
  });
});

describe("party records ingested between runs", () => {
  it("make the detectors that read them (holders' addresses, conductors' accounts) look at everything again", async () => {
    const ws = join(t.dir, "ws-parties");
    await ingestFunnel(ws, "Ames", "IA");
    await detect(ws);
    expect((await funnelAlert(ws)).reasons.join(" ")).toMatch(/not known to be in a southwest border city/);
    // The beneficiary's holder lives in Laredo, Texas, on the border list.
    const r = await ingestPartyRows(t.dir, ws, "parties.csv", ["P1,,B,Ana Ruiz,Laredo,TX"]);
    expect(r.code, r.stderr).toBe(0);
    const after = await detect(ws);
    for (const id of ["hs-border-funnel", "structuring", "funnel-account", "fan-in"])
      expect(runOf(after, id), id).toBe("full");
    expect(runOf(after, "ht-living-costs")).toBe("incremental");
    expect(after.alerts.updated).toBe(1);
    expect((await funnelAlert(ws)).reasons.join(" ")).toMatch(/Laredo/);
    expect(await alertLines(ws)).toEqual(await fullRunAlerts(ws, "ws-parties-full"));
    expect(runOf(await detect(ws), "hs-border-funnel")).toBe("incremental");
  });
});

describe("a pack that changes one detector's parameters", () => {
  it("makes the detectors whose findings fold with its findings look at everything too, as one left out does", async () => {
    const ws = join(t.dir, "ws-pack");
    await ingestFunnel(ws, "Ames", "IA");
    const pack = (version: number, border: string) =>
      writeFile(
        t.dir,
        `pack-${version}.yaml`,
        `pack: funnels\nversion: ${version}\ndetectors:\n  fan-in: {}\n  hs-border-funnel: ${border}\n  ht-living-costs: {}\n`,
      );
    // Seven originators asked for: no border funnel, the fan-in alone.
    await detect(ws, "--pack", pack(1, "{ min_originators: 7 }"));
    expect((await alertLines(ws)).some((l) => l.includes("hs-border-funnel"))).toBe(false);
    // Five: the border funnel now found in old data, and folded into the fan-in's alert, as a
    // run over everything folds it (run incrementally, the fan-in would not have been found
    // again, and the border funnel would have stood alone).
    const two = pack(2, "{}");
    const after = await detect(ws, "--pack", two);
    expect(runOf(after, "hs-border-funnel")).toBe("full");
    expect(runOf(after, "fan-in")).toBe("full");
    expect(runOf(after, "ht-living-costs")).toBe("incremental");
    const lines = await alertLines(ws);
    expect(lines).toHaveLength(1);
    expect(await funnelAlert(ws)).toBeDefined();
    expect(lines).toEqual(await fullRunAlerts(ws, "ws-pack-full", "--pack", two));
    // The fan-in left out of the pack: the border funnel it took in stands alone, as in a run
    // over everything, where run incrementally it would not have been found again.
    const three = writeFile(
      t.dir,
      "pack-3.yaml",
      "pack: funnels\nversion: 3\ndetectors:\n  hs-border-funnel: {}\n  ht-living-costs: {}\n",
    );
    const without = await detect(ws, "--pack", three);
    expect(runOf(without, "hs-border-funnel")).toBe("full");
    expect(without.alerts.new).toBe(1);
    expect(await alertLines(ws)).toEqual(await fullRunAlerts(ws, "ws-pack-full-3", "--pack", three));
  });
});
