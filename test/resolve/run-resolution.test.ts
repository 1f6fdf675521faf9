import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FellegiSunterModel, modelFitsComparisons } from "../../src/resolve/fellegi-sunter.js";
import { runResolution } from "../../src/resolve/run-resolution.js";
import { ingestParties, queryWorkspace, tempDir, withStore, writeFile } from "../helpers.js";

/**
 * `resolve` against a stored model that this version's comparisons no longer fit (a comparison's
 * levels changed, or the model format did): the run re-estimates the model on a full run and
 * says so, rather than failing or scoring new levels with old weights.
 */

const t = tempDir();
afterAll(t.cleanup);

const MAPPING = `kind: parties
columns:
  id: Id
  given_name: First
  surname: Last
  birth_date: DOB
  address: Street
  city: City
  phone: Phone
  email: Email
formats:
  birth_date: "yyyy-MM-dd"
`;

const GIVEN = [
  "Maria",
  "John",
  "Aisha",
  "Wei",
  "Olga",
  "Pedro",
  "Grace",
  "Tomas",
  "Lena",
  "Omar",
  "Ruth",
  "Ivan",
];
const SURNAME = [
  "Lopez",
  "Smith",
  "Khan",
  "Zhang",
  "Petrova",
  "Silva",
  "Okafor",
  "Novak",
  "Berg",
  "Haddad",
  "Cohen",
  "Popov",
];

/** Twelve people, each with two records (the second with a typo in the surname), plus strangers. */
function partiesCsv(): string {
  const lines = ["Id,First,Last,DOB,Street,City,Phone,Email"];
  GIVEN.forEach((given, i) => {
    const surname = SURNAME[i] as string;
    const dob = `19${60 + i}-0${(i % 9) + 1}-1${i % 10}`;
    const street = `${10 + i} Main St`;
    const phone = `(206) 555-01${String(i).padStart(2, "0")}`;
    const email = `${given.toLowerCase()}.${surname.toLowerCase()}@example.com`;
    lines.push(`A${i},${given},${surname},${dob},${street},Seattle,${phone},${email}`);
    const typo = `${surname.slice(0, -1)}${surname.at(-1) === "a" ? "e" : "a"}`;
    lines.push(`B${i},${given},${typo},${dob},${street},Seattle,${phone},${email}`);
    lines.push(
      `C${i},${GIVEN[(i + 5) % GIVEN.length]},${SURNAME[(i + 7) % SURNAME.length]},19${50 + i}-11-2${i % 10},${200 + i} Oak Ave,Tacoma,,`,
    );
  });
  return `${lines.join("\n")}\n`;
}

let ws = "";

beforeAll(async () => {
  ws = `${t.dir}/ws`;
  const mapping = writeFile(t.dir, "p.yaml", MAPPING);
  const file = writeFile(t.dir, "p.csv", partiesCsv());
  const r = await ingestParties(ws, file, mapping);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

const PARAMS = { uSamplePairs: 5000 };

/** Rewrites the last run's stored models with `change` applied to each. */
async function tamperStoredModel(change: (model: Record<string, unknown>) => void): Promise<void> {
  const rows = await queryWorkspace(ws, "SELECT run, model FROM resolution_runs ORDER BY run DESC LIMIT 1");
  const row = rows[0] as { run: number; model: string };
  const models = JSON.parse(row.model) as Record<string, Record<string, unknown>>;
  for (const model of Object.values(models)) change(model);
  const text = JSON.stringify(models).replaceAll("'", "''");
  await queryWorkspace(ws, `UPDATE resolution_runs SET model = '${text}' WHERE run = ${Number(row.run)}`);
}

async function storedModels(): Promise<FellegiSunterModel[]> {
  const state = await withStore(ws, (s) => s.resolutionState());
  const models = JSON.parse(state.lastRun?.model ?? "{}") as Record<string, unknown>;
  return Object.values(models).map((m) => FellegiSunterModel.parse(m));
}

describe("resolve with a stored model from another version of the comparisons", () => {
  it("runs incrementally on a model that fits (the control)", async () => {
    const first = await withStore(ws, (s) => runResolution(s, { params: PARAMS }));
    expect(first.mode).toBe("full");
    expect(first.notes).toEqual([]);
    const again = await withStore(ws, (s) => runResolution(s, { params: PARAMS }));
    expect(again.mode).toBe("incremental");
    expect(again.notes).toEqual([]);
    expect(again.training).toEqual([]);
  });

  it("re-estimates on a full run, with a note, when the comparison set's version differs", async () => {
    await tamperStoredModel((m) => {
      m.comparisonsVersion = Number(m.comparisonsVersion) + 100;
    });
    const before = await storedModels();
    expect(before.every(modelFitsComparisons)).toBe(false);
    const run = await withStore(ws, (s) => runResolution(s, { params: PARAMS }));
    expect(run.mode).toBe("full");
    expect(run.notes.join(" ")).toMatch(/re-estimated/);
    expect(run.training.map((r) => r.kind).sort()).toEqual(["organisation", "person"]);
    // The new model fits, so the next run is incremental again.
    expect((await storedModels()).every(modelFitsComparisons)).toBe(true);
    const next = await withStore(ws, (s) => runResolution(s, { params: PARAMS }));
    expect(next.mode).toBe("incremental");
  });

  it("re-estimates when a comparison's levels differ, and when the model format is another", async () => {
    await tamperStoredModel((m) => {
      const comparisons = m.comparisons as { levels: string[] }[];
      (comparisons[0] as { levels: string[] }).levels[1] = "renamed level";
    });
    const renamed = await withStore(ws, (s) => runResolution(s, { params: PARAMS }));
    expect(renamed.mode).toBe("full");
    expect(renamed.notes.join(" ")).toMatch(/re-estimated/);

    await tamperStoredModel((m) => {
      m.version = 99;
    });
    const format = await withStore(ws, (s) => runResolution(s, { params: PARAMS }));
    expect(format.mode).toBe("full");
    expect(format.notes.join(" ")).toMatch(/re-estimated/);
  });

  it("re-estimates a stale model even when told to keep it", async () => {
    await tamperStoredModel((m) => {
      m.comparisonsVersion = -1;
    });
    const run = await withStore(ws, (s) => runResolution(s, { full: true, keepModel: true, params: PARAMS }));
    expect(run.mode).toBe("full");
    expect(run.training.length).toBe(2);
    expect(run.notes.join(" ")).toMatch(/re-estimated/);
  });
});
