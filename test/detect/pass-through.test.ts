import { describe, expect, it } from "vitest";
import {
  DETECTION_FIELDS,
  type DetectionField,
  type Detector,
  type Finding,
} from "../../src/detect/detector.js";
import { passThrough } from "../../src/detect/detectors/pass-through.js";
import { findRelays, type Relays } from "../../src/detect/flows.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";

const CASH = 0;
const ACH = 1;
const WIRE = 2;
const CARD = 4;

type Params = Parameters<typeof passThrough.params.parse>[0];

function run(rows: readonly Row[], params: Params = {}): { g: MoneyGraph; findings: Finding[] } {
  const g = graphOf(rows);
  return {
    g,
    findings: passThrough.run(
      { graph: g, available: new Set(DETECTION_FIELDS) },
      passThrough.params.parse(params),
    ),
  };
}

const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);
const byDay = (rows: Row[]) => rows.sort((a, b) => a[2] - b[2]);

// M passes 90% of two one-off credits on, 12 and 24 hours later; it has no other life.
const PT: Row[] = [
  ["S1", "M", 1, 20_000, WIRE],
  ["M", "R1", 1.5, 18_000, WIRE],
  ["S2", "M", 10, 25_000, WIRE],
  ["M", "R2", 11, 22_500, ACH],
];

/** PT with each relay's amount and delay changed. */
const relays = (share: number, hours: number): Row[] => [
  ["S1", "M", 1, 20_000, WIRE],
  ["M", "R1", 1 + hours / 24, 20_000 * share, WIRE],
  ["S2", "M", 10, 25_000, WIRE],
  ["M", "R2", 10 + hours / 24, 25_000 * share, ACH],
];

describe("pass-through", () => {
  it("fires on money in and out again twice: intermediary, senders, recipients, edges, window, amount, reasons", () => {
    const { g, findings } = run(PT);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("pass-through");
    expect(subjects(g, f)).toEqual([
      ["M", "intermediary"],
      ["S1", "originator"],
      ["S2", "originator"],
      ["R1", "beneficiary"],
      ["R2", "beneficiary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3]);
    expect(f.window).toEqual({ from: 1 * DAY, to: 11 * DAY });
    expect(f.amountUsd).toBe(85_500);
    expect(f.reasons).toEqual([
      "M passed money on 2 times within 10 day(s): 45,000 USD came in from 2 sender(s) and 40,500 USD of it left to 2 recipient(s)",
      "each time at least 80% left within 48 h: 90% to 90% of the credit, after 12.0 to 24.0 hours",
      "the senders paid M only this once (all their payments within 7 days): not wages or a client's regular payments",
      "little life of its own: the relayed money is 100% of all money in and out of M from 1970-01-02 to 1970-02-01 (at least 40% required)",
    ]);
    expect(f.score).toBeCloseTo(0.7);
  });

  it("more relays score higher", () => {
    const more: Row[] = byDay([
      ...PT,
      ["S3", "M", 20, 30_000, WIRE],
      ["M", "R3", 20.5, 27_000, WIRE],
      ["S4", "M", 25, 30_000, WIRE],
      ["M", "R4", 25.5, 27_000, WIRE],
    ]);
    const [f] = run(more).findings;
    expect(f?.reasons[0]).toMatch(/^M passed money on 4 times/);
    expect(f?.score).toBeCloseTo(0.9);
  });

  it("a credit sent on in parts is a relay", () => {
    const { g, findings } = run([
      ["S1", "M", 1, 20_000, WIRE],
      ["M", "R1", 1.5, 10_000, WIRE],
      ["M", "R2", 1.6, 8_000, ACH],
      ["S2", "M", 10, 25_000, WIRE],
      ["M", "R3", 11, 22_500, ACH],
    ]);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding).map(([a]) => a)).toEqual(["M", "S1", "S2", "R1", "R2", "R3"]);
    expect(findings[0]?.edges).toEqual([0, 1, 2, 3, 4]);
  });

  it("a bill paid between a credit and its relay does not take the relay's place", () => {
    const { g, findings } = run([
      ["S1", "M", 1, 20_000, WIRE],
      ["M", "U", 1.2, 300, ACH],
      ["M", "R1", 1.5, 18_000, WIRE],
      ["S2", "M", 10, 25_000, WIRE],
      ["M", "R2", 11, 22_500, ACH],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.edges).toEqual([0, 2, 3, 4]);
    expect(subjects(g, findings[0] as Finding).map(([a]) => a)).not.toContain("U");
  });

  it("a relay far from the window of the first makes its own finding", () => {
    const later = PT.map(([a, b, d, x, c]): Row => [a.replace("S", "T"), b.replace("R", "Q"), d + 60, x, c]);
    const { findings } = run([...PT, ...later]);
    expect(findings.map((f) => f.window)).toEqual([
      { from: 1 * DAY, to: 11 * DAY },
      { from: 61 * DAY, to: 71 * DAY },
    ]);
  });

  it("min_episodes: once is not repeatedly; with min_episodes 1 (and one sender) it is enough", () => {
    const once = PT.slice(0, 2);
    expect(run(once).findings).toEqual([]);
    expect(run(once, { min_episodes: 1, min_senders: 1 }).findings).toHaveLength(1);
  });

  it("min_kept is a bound: 80% left fires, 79% does not", () => {
    expect(run(relays(0.8, 12)).findings).toHaveLength(1);
    expect(run(relays(0.79, 12)).findings).toEqual([]);
    expect(run(relays(0.79, 12), { min_kept: 0.75 }).findings).toHaveLength(1);
  });

  it("hours is a bound: out again after exactly 48 h fires, after 49 h does not", () => {
    expect(run(relays(0.9, 48)).findings).toHaveLength(1);
    expect(run(relays(0.9, 49)).findings).toEqual([]);
    expect(run(relays(0.9, 49), { hours: 72 }).findings).toHaveLength(1);
  });

  it("a payment mostly of other money does not pass the credit on: 130% of it does not, 120% does", () => {
    // 20,000 of 26,000 is 77% of the payment; 20,000 of 24,000 is 83%.
    expect(run(relays(1.3, 12)).findings).toEqual([]);
    expect(run(relays(1.2, 12)).findings).toHaveLength(1);
  });

  it("min_senders: one sender paying twice in a week is one dealing, not third parties' money", () => {
    const one: Row[] = [
      ["S1", "M", 1, 20_000, WIRE],
      ["M", "R1", 1.5, 18_000, WIRE],
      ["S1", "M", 6, 25_000, WIRE],
      ["M", "R2", 7, 22_500, ACH],
    ];
    expect(run(one).findings).toEqual([]);
    expect(run(one, { min_senders: 1 }).findings).toHaveLength(1);
  });

  it("min_total_usd and min_episode_usd: small relays are everyday favours", () => {
    const small: Row[] = [
      ["S1", "M", 1, 4_000, WIRE],
      ["M", "R1", 1.5, 3_600, WIRE],
      ["S2", "M", 10, 4_000, WIRE],
      ["M", "R2", 10.5, 3_600, WIRE],
    ];
    expect(run(small).findings).toEqual([]);
    expect(run(small, { min_total_usd: 8_000 }).findings).toHaveLength(1);
    expect(run(small, { min_total_usd: 8_000, min_episode_usd: 4_001 }).findings).toEqual([]);
  });

  it("window_days: two relays 20 days apart are repeated within 30 days, not within 15", () => {
    const apart: Row[] = [
      ["S1", "M", 1, 20_000, WIRE],
      ["M", "R1", 1.5, 18_000, WIRE],
      ["S2", "M", 21, 25_000, WIRE],
      ["M", "R2", 21.5, 22_500, WIRE],
    ];
    expect(run(apart).findings).toHaveLength(1);
    expect(run(apart, { window_days: 15 }).findings).toEqual([]);
  });

  it("hard negative: rent paid from a salary; the employer pays every two weeks (relationship_days)", () => {
    const salary: Row[] = [1, 15, 29, 43].flatMap((d): Row[] => [
      ["E", "P", d, 12_000, ACH],
      ["P", "L", d + 0.5, 10_000, ACH],
    ]);
    expect(run(salary).findings).toEqual([]);
    // The relationship alone keeps it quiet, with one sender allowed.
    expect(run(salary, { min_senders: 1 }).findings).toEqual([]);
    // Were the employer's payments within relationship_days of each other, they would be one-off
    // (and one sender would do).
    expect(run(salary, { relationship_days: 60, min_senders: 1 }).findings).toHaveLength(1);
  });

  it("hard negative: a travel agency paying the airline for its customers' card bookings the same day", () => {
    const agency = (channel: number): Row[] =>
      [1, 2, 3, 4].flatMap((d): Row[] => [
        [`C${d}`, "T", d, 6_000, channel],
        ["T", "A", d + 0.2, 5_400, WIRE],
      ]);
    expect(run(agency(CARD)).findings).toEqual([]);
    // Card sales are what keeps it quiet here; paid by ACH, the same flows would be relays...
    expect(run(agency(ACH)).findings).toHaveLength(1);
    // ...unless the airline is a hub (paid by more than max_counterparty_degree accounts).
    const airline: Row[] = Array.from({ length: 60 }, (_, k): Row => [`X${k}`, "A", 0.5, 300, CARD]);
    expect(run(byDay([...airline, ...agency(ACH)])).findings).toEqual([]);
  });

  it("hard negative: a payroll processor funded by the same employers every pay period", () => {
    const payroll: Row[] = [1, 15, 29].flatMap((d): Row[] => [
      ["E", "P", d, 30_000, ACH],
      ...Array.from({ length: 6 }, (_, k): Row => ["P", `W${k}`, d + 0.1, 4_500, ACH]),
    ]);
    expect(run(payroll, { min_senders: 1 }).findings).toEqual([]);
    expect(run(payroll, { min_senders: 1, relationship_days: 30 }).findings).toHaveLength(1);
  });

  it("max_hub_degree: an account paying more than 100 accounts passes money on as its trade", () => {
    const processor = (employees: number): Row[] =>
      [1, 8].flatMap((d): Row[] => [
        [`E${d}`, "P", d, 30_000, ACH],
        ...Array.from({ length: employees }, (_, k): Row => ["P", `W${k}`, d + 0.1, 27_000 / employees, ACH]),
      ]);
    expect(run(processor(6)).findings).toHaveLength(1);
    expect(run(processor(120)).findings).toEqual([]);
    expect(run(processor(120), { max_hub_degree: 200 }).findings).toHaveLength(1);
  });

  it("hard negative: an account with a life of its own (min_share)", () => {
    const life: Row[] = byDay([
      ...PT,
      ["W", "M", 2, 40_000, ACH],
      ["M", "Z", 3.5, 35_000, ACH],
      ["W", "M", 16, 40_000, ACH],
      ["M", "Z", 17.5, 35_000, ACH],
    ]);
    expect(run(life).findings).toEqual([]);
    const [f] = run(life, { min_share: 0.3 }).findings;
    expect(f?.reasons[3]).toBe(
      "little life of its own: the relayed money is 36% of all money in and out of M from 1970-01-02 to 1970-02-01 (at least 30% required)",
    );
  });

  it("cash deposits are left to the funnel detector: they have no sender", () => {
    const cash = PT.map(
      ([a, b, d, x, c]): Row => [a.startsWith("S") ? "" : a, b, d, x, a.startsWith("S") ? CASH : c],
    );
    expect(run(cash).findings).toEqual([]);
  });

  it("money sent back to its sender is a refund, not a relay", () => {
    expect(
      run([
        ["S1", "M", 1, 20_000, WIRE],
        ["M", "S1", 1.5, 19_000, WIRE],
        ["S2", "M", 10, 25_000, WIRE],
        ["M", "S2", 11, 24_000, WIRE],
      ]).findings,
    ).toEqual([]);
  });

  it("is NOT_EVALUABLE without the channel (it tells cash and card from transfers)", () => {
    const available = new Set<DetectionField>(DETECTION_FIELDS.filter((f) => f !== "channel"));
    const [outcome] = runDetectors({ graph: graphOf(PT), available }, [passThrough] as unknown as Detector[]);
    expect([outcome?.status, outcome?.missing, outcome?.findings]).toEqual([
      "not-evaluable",
      ["channel"],
      [],
    ]);
    const [ok] = runDetectors({ graph: graphOf(PT), available: new Set(DETECTION_FIELDS) }, [
      passThrough,
    ] as unknown as Detector[]);
    expect([ok?.status, ok?.findings.length]).toEqual(["ok", 1]);
  });
});

describe("findRelays", () => {
  const rules = (g: MoneyGraph) => ({
    windowMs: 48 * 3_600_000,
    minKept: 0.8,
    credit: (e: number) => g.accounts[g.to[e] as number] === "M" && (g.amountUsd[e] as number) >= 1000,
    debit: () => true,
  });
  /** Account M's slots as [credit, single, forwarded, withdrawal]. */
  const slotsOfM = (g: MoneyGraph, r: Relays) => {
    const m = g.accounts.indexOf("M");
    const out: number[][] = [];
    for (let s = r.start[m] as number; s < (r.start[m + 1] as number); s++)
      out.push([
        r.credit[s] as number,
        r.single[s] as number,
        r.forwarded[s] as number,
        r.withdrawal[s] as number,
      ]);
    return out;
  };

  it("matches a debit to the waiting credit it fits most closely, not the newest", () => {
    const g = graphOf([
      ["A", "M", 1, 16_698, WIRE],
      ["B", "M", 1.9, 21_940, WIRE],
      ["M", "X", 1.95, 14_182, ACH],
      ["M", "Y", 2.5, 19_448, WIRE],
    ]);
    expect(slotsOfM(g, findRelays(g, rules(g)))).toEqual([
      [0, 2, 14_182, 0],
      [1, 3, 19_448, 0],
    ]);
  });

  it("debits that fit no credit alone draw on the waiting ones, newest first", () => {
    const g = graphOf([
      ["A", "M", 1, 10_000, WIRE],
      ["B", "M", 1.1, 10_000, WIRE],
      ["M", "X", 1.5, 15_000, WIRE],
    ]);
    const r = findRelays(g, rules(g));
    expect(slotsOfM(g, r)).toEqual([
      [0, -1, 5_000, 0],
      [1, -1, 10_000, 0],
    ]);
    const m = g.accounts.indexOf("M");
    expect(r.draws(r.start[m] as number)).toEqual({ debits: [2], drawn: [5_000] });
  });

  it("a debit mostly of other money draws on no credit", () => {
    const g = graphOf([
      ["A", "M", 1, 5_000, WIRE],
      ["M", "X", 1.5, 40_000, WIRE],
    ]);
    expect(slotsOfM(g, findRelays(g, rules(g)))).toEqual([[0, -1, 0, 0]]);
  });

  it("a debit that passed one credit on alone draws on no other, after a withdrawal too", () => {
    const g = graphOf([
      ["M", "M", 1, 6_000, CASH],
      ["M", "M", 1.2, 5_400, CASH],
      ["B", "M", 1.3, 20_000, WIRE],
      ["A", "M", 1.4, 10_000, WIRE],
      ["M", "X", 1.5, 9_000, WIRE],
    ]);
    expect(slotsOfM(g, findRelays(g, { ...rules(g), unknown: () => true }))).toEqual([
      [0, 1, 5_400, 0],
      [1, -1, 0, 1],
      [2, -1, 0, 0],
      [3, 4, 9_000, 0],
    ]);
  });

  it("a self-transfer of unknown direction is the withdrawal of a credit it fits, else a credit", () => {
    const g = graphOf([
      ["M", "M", 1, 6_000, CASH],
      ["M", "M", 1.5, 5_400, CASH],
      ["M", "M", 3, 8_000, CASH],
    ]);
    expect(slotsOfM(g, findRelays(g, { ...rules(g), unknown: () => true }))).toEqual([
      [0, 1, 5_400, 0],
      [1, -1, 0, 1],
      [2, -1, 0, 0],
    ]);
  });
});
