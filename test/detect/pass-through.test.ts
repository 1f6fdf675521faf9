import { describe, expect, it } from "vitest";
import {
  DETECTION_FIELDS,
  type DetectionField,
  type Detector,
  type Finding,
} from "../../src/detect/detector.js";
import { passThrough } from "../../src/detect/detectors/pass-through.js";
import { accountsOfNew, findRelays, mayPassOn, oneOffCredits, type Relays } from "../../src/detect/flows.js";
import { focusOn, touchesNew } from "../../src/detect/focus.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { flaggedPositions } from "../../src/util/flagged.js";
import { DAY, graphOf, type Row, withLaterData } from "../graph/graph-of.js";

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
      "the data holds less than 31 days before and after these credits, too short to see a sender pay again: 2 of the 2 credits left in one payment of 80% to 100% of their amount (at least 75% required)",
      "little life of its own: the relayed money is 100% of all money in and out of M from 1970-01-02 to 1970-02-01 (at least 20% required)",
    ]);
    expect(f.score).toBeCloseTo(0.7);
    // On data long enough to see senders pay again, the shape need not say it.
    const [long] = run(withLaterData(PT)).findings;
    expect(long?.reasons.some((r) => r.includes("too short"))).toBe(false);
    expect(long?.edges).toEqual(f.edges);
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
    const parts: Row[] = [
      ["S1", "M", 1, 20_000, WIRE],
      ["M", "R1", 1.5, 10_000, WIRE],
      ["M", "R2", 1.6, 8_000, ACH],
      ["S2", "M", 10, 25_000, WIRE],
      ["M", "R3", 11, 22_500, ACH],
    ];
    const { g, findings } = run(withLaterData(parts));
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding).map(([a]) => a)).toEqual(["M", "S1", "S2", "R1", "R2", "R3"]);
    expect(findings[0]?.edges).toEqual([0, 1, 2, 3, 4]);
  });

  it("hard negative: on data too short to see a sender pay again, a business paying its bills from its takings (min_whole_share)", () => {
    // Clients pay M, and M pays suppliers out of the takings: every credit leaves within 48 h, but
    // as parts of larger payments, never in one payment of about its amount.
    const trade: Row[] = byDay([
      ["C1", "M", 1, 6_000, ACH],
      ["C2", "M", 1.3, 5_000, WIRE],
      ["M", "U1", 2, 10_500, WIRE],
      ["C3", "M", 8, 7_000, ACH],
      ["C4", "M", 8.2, 4_000, ACH],
      ["M", "U2", 9, 4_500, WIRE],
      ["M", "U3", 9.1, 5_800, ACH],
    ]);
    expect(run(trade).findings).toEqual([]);
    expect(run(trade, { min_whole_share: 0 }).findings).toHaveLength(1);
    // Where the data runs on, the one-off tests speak, and a relay in parts is a relay.
    expect(run(withLaterData(trade)).findings).toHaveLength(1);
    // Three of four credits passed on whole is enough (75%), two of four is not.
    const inParts: Row[] = [
      ["S4", "M", 15, 6_000, WIRE],
      ["M", "R4", 15.5, 3_000, ACH],
      ["M", "R5", 15.6, 2_500, ACH],
    ];
    const three: Row[] = byDay([
      ...PT,
      ["S3", "M", 14, 8_000, WIRE],
      ["M", "R3", 14.5, 7_500, WIRE],
      ...inParts,
    ]);
    const [f] = run(three).findings;
    expect(f?.reasons).toContain(
      "the data holds less than 31 days before and after these credits, too short to see a sender pay again: 3 of the 4 credits left in one payment of 80% to 100% of their amount (at least 75% required)",
    );
    const two: Row[] = byDay([
      ...PT,
      ["S3", "M", 14, 8_000, WIRE],
      ["M", "R3", 14.5, 4_000, WIRE],
      ["M", "R6", 14.6, 3_500, WIRE],
      ...inParts,
    ]);
    expect(run(two).findings).toEqual([]);
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
    expect(run(withLaterData(relays(1.3, 12))).findings).toEqual([]);
    expect(run(withLaterData(relays(1.2, 12))).findings).toHaveLength(1);
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
    expect(run(withLaterData(payroll), { min_senders: 1 }).findings).toEqual([]);
    expect(run(withLaterData(payroll), { min_senders: 1, relationship_days: 30 }).findings).toHaveLength(1);
  });

  it("max_hub_degree: an account paying more than 100 accounts passes money on as its trade", () => {
    const processor = (employees: number): Row[] =>
      [1, 8].flatMap((d): Row[] => [
        [`E${d}`, "P", d, 30_000, ACH],
        ...Array.from({ length: employees }, (_, k): Row => ["P", `W${k}`, d + 0.1, 27_000 / employees, ACH]),
      ]);
    expect(run(withLaterData(processor(6))).findings).toHaveLength(1);
    expect(run(withLaterData(processor(120))).findings).toEqual([]);
    expect(run(withLaterData(processor(120)), { max_hub_degree: 200 }).findings).toHaveLength(1);
  });

  it("hard negative: an account with a life of its own (min_share)", () => {
    const life: Row[] = byDay([
      ...PT,
      ["W", "M", 2, 100_000, ACH],
      ["M", "Z", 3.5, 90_000, ACH],
      ["W", "M", 16, 100_000, ACH],
      ["M", "Z", 17.5, 90_000, ACH],
    ]);
    expect(run(life).findings).toEqual([]);
    const [f] = run(life, { min_share: 0.15 }).findings;
    expect(f?.reasons.at(-1)).toBe(
      "little life of its own: the relayed money is 18% of all money in and out of M from 1970-01-02 to 1970-02-01 (at least 15% required)",
    );
  });

  it("hard negative: a business passing strangers' payments on to its standing supplier is trading (one_off_payees)", () => {
    // M pays supplier Z every two weeks; twice a payment from a one-off sender is followed by one.
    const trade: Row[] = [
      ["M", "Z", 0, 5_000, ACH],
      ["S1", "M", 14, 20_000, WIRE],
      ["M", "Z", 14.5, 18_000, ACH],
      ["S2", "M", 28, 25_000, WIRE],
      ["M", "Z", 28.5, 22_500, ACH],
      ["M", "Z", 42, 5_000, ACH],
    ];
    expect(run(trade).findings).toEqual([]);
    expect(run(trade, { one_off_payees: false }).findings).toHaveLength(1);
    // The same relays to new payees, and the supplier paid as before: a pass-through.
    const relay: Row[] = [
      ["M", "Z", 0, 5_000, ACH],
      ["S1", "M", 14, 20_000, WIRE],
      ["M", "R1", 14.5, 18_000, ACH],
      ["S2", "M", 28, 25_000, WIRE],
      ["M", "R2", 28.5, 22_500, ACH],
      ["M", "Z", 42, 5_000, ACH],
    ];
    const { g, findings } = run(relay);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding).map(([a]) => a)).toEqual(["M", "S1", "S2", "R1", "R2"]);
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

  it("hard negative: on data too short to see a month recur, five senders' relayed credits on the month's first days are dues", () => {
    // Day 0 is 1 January 1970: tenants pay a managing agent, which passes each rent on to the owner.
    const rent = (tenants: number, firstDay: number): Row[] =>
      Array.from({ length: tenants }, (_, i): Row[] => [
        [`S${i}`, "M", firstDay + i, 5_000, WIRE],
        ["M", `R${i}`, firstDay + i + 0.5, 4_500, WIRE],
      ]).flat();
    expect(run(rent(5, 0)).findings).toEqual([]);
    expect(run(rent(5, 0), { due_days: 0 }).findings).toHaveLength(1);
    expect(run(rent(4, 0)).findings).toHaveLength(1);
    expect(run(rent(5, 5)).findings).toHaveLength(1);
    // More than a month of data before or after: monthly payers would be seen again.
    expect(run([...rent(5, 0), ["Y", "Z", 4 + 32, 10, WIRE]]).findings).toHaveLength(1);
    expect(run([...rent(5, 0), ["Y", "Z", 4 + 30, 10, WIRE]]).findings).toEqual([]);
  });
});

describe("pass-through, incremental (data.focus)", () => {
  // Two pass-throughs far apart: M (PT) and N, with senders and recipients of their own; and two
  // accounts, X and Y, that deal with neither.
  const TWO: Row[] = byDay([
    ...PT,
    ["T1", "N", 2, 30_000, WIRE],
    ["N", "Q1", 2.5, 27_000, WIRE],
    ["T2", "N", 12, 35_000, WIRE],
    ["N", "Q2", 12.5, 31_500, ACH],
    ["X", "Y", 5, 2_000, ACH],
    ["M", "Z", 20, 3_000, ACH],
    ["V", "M", 25, 400, CARD],
  ]);
  const edge = (g: MoneyGraph, from: string, to: string) => {
    const e = Array.from(g.from).findIndex(
      (a, k) => g.accounts[a] === from && g.accounts[g.to[k] as number] === to,
    );
    expect(e).toBeGreaterThanOrEqual(0);
    return e;
  };
  /** The full run's findings and the run focused on the given new transactions. */
  const both = (rows: Row[], fresh: (g: MoneyGraph) => number[]) => {
    const g = graphOf(rows);
    const newEdge = new Uint8Array(g.edgeCount);
    for (const e of fresh(g)) newEdge[e] = 1;
    const focus = focusOn(g, newEdge, 100);
    const p = passThrough.params.parse({});
    const available = new Set(DETECTION_FIELDS);
    return {
      g,
      focus,
      full: passThrough.run({ graph: g, available }, p),
      focused: passThrough.run({ graph: g, available, focus }, p),
    };
  };

  it("finds the pattern a new relay or a new credit is part of, as the full run does", () => {
    for (const [from, to] of [
      ["N", "Q2"],
      ["T1", "N"],
    ] as const) {
      const { g, focus, full, focused } = both(TWO, (g) => [edge(g, from, to)]);
      expect(full.map((f) => g.accounts[f.subjects[0]?.account as number])).toEqual(["M", "N"]);
      expect(focused).toEqual(full.filter((f) => touchesNew(focus, f)));
      expect(focused.map((f) => g.accounts[f.subjects[0]?.account as number])).toEqual(["N"]);
    }
  });

  it("skips accounts far from any new transaction", () => {
    const { focus, full, focused } = both(TWO, (g) => [edge(g, "X", "Y")]);
    expect(full).toHaveLength(2);
    expect(focus.distance[full[0]?.subjects[0]?.account as number]).toBeGreaterThan(0);
    expect(focused).toEqual([]);
  });

  it("skips an intermediary whose new transactions no finding could hold", () => {
    // M's new transactions: a card sale (never relayed money) and a bill paid 10 days after its last
    // credit (nothing waits for it to pass on). M is at distance 0, and not examined.
    const { g, focus, focused } = both(TWO, (g) => [edge(g, "V", "M"), edge(g, "M", "Z")]);
    expect(focus.distance[g.accounts.indexOf("M")]).toBe(0);
    expect(focused).toEqual([]);
    // A new relay of M's, though, brings M's finding.
    const relay = both(TWO, (g) => [edge(g, "M", "R1")]);
    expect(relay.focused).toEqual(relay.full.slice(0, 1));
  });

  it("a new credit that could not be passed on leaves its account out, one that could brings it in", () => {
    const g = graphOf(byDay([...PT, ["S3", "M", 30, 20_000, WIRE], ["M", "R3", 30.5, 15_000, WIRE]]));
    const rules = {
      windowMs: 48 * 3_600_000,
      minKept: 0.8,
      credit: () => true,
      debit: () => true,
    };
    // 15,000 of 20,000 left within 48 h: 75%, short of 80%. 18,000 of 20,000 is 90%.
    expect(mayPassOn(g, rules, edge(g, "S3", "M"))).toBe(false);
    expect(mayPassOn(g, { ...rules, minKept: 0.75 }, edge(g, "S3", "M"))).toBe(true);
    expect(mayPassOn(g, rules, edge(g, "S1", "M"))).toBe(true);
    // Outside the window, or back to the payer, a debit passes nothing on.
    expect(mayPassOn(g, { ...rules, windowMs: 6 * 3_600_000 }, edge(g, "S1", "M"))).toBe(false);
    const back = graphOf([
      ["S1", "M", 1, 20_000, WIRE],
      ["M", "S1", 1.5, 20_000, WIRE],
    ]);
    expect(mayPassOn(back, rules, 0)).toBe(false);
    const newEdge = new Uint8Array(g.edgeCount);
    const wanted = () => {
      const only = accountsOfNew(g, rules, flaggedPositions(newEdge), (e) => mayPassOn(g, rules, e));
      return only && [...only].map((a) => g.accounts[a]);
    };
    newEdge[edge(g, "S3", "M")] = 1;
    expect(wanted()).toEqual([]);
    newEdge[edge(g, "S2", "M")] = 1;
    expect(wanted()).toEqual(["M"]);
  });

  it("past a share of transactions new, every account is searched: that costs less", () => {
    const g = graphOf(TWO);
    const rules = { windowMs: 48 * 3_600_000, minKept: 0.8, credit: () => true, debit: () => true };
    const newEdge = new Uint8Array(g.edgeCount);
    newEdge[edge(g, "S2", "M")] = 1;
    const few = { share: 0.1, edges: 0 };
    // One of 11 transactions new: looked near; two of 11 (18%): looked everywhere.
    expect([...(accountsOfNew(g, rules, flaggedPositions(newEdge), () => true, few) ?? [-1])]).toEqual([
      g.accounts.indexOf("M"),
    ]);
    newEdge[edge(g, "T2", "N")] = 1;
    expect(accountsOfNew(g, rules, flaggedPositions(newEdge), () => true, few)).toBeUndefined();
    // Below `edges` new transactions, it always looks near them (the default: 10,000).
    expect(accountsOfNew(g, rules, flaggedPositions(newEdge))).toBeDefined();
  });

  it("on random ledgers, the focused run finds exactly the full run's findings with a new transaction", () => {
    let seed = 11;
    const random = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    const names = (p: string, n: number) => Array.from({ length: n }, (_, k) => `${p}${k}`);
    const [senders, middles, payees] = [names("S", 400), names("M", 20), names("R", 40)];
    let compared = 0;
    for (let world = 0; world < 20; world++) {
      // Credits into the middle accounts, most passed on in one or two parts within 0–60 h, among
      // bills, card sales and cash: relays of every kind, some out of the window or too small.
      const rows: Row[] = [];
      for (let k = 0; k < 200; k++) {
        const m = pick(middles);
        const day = random() * 60;
        const x = 500 + Math.round(random() * 30_000);
        rows.push([pick(senders), m, day, x, pick([WIRE, ACH, ACH, CARD, CASH])]);
        if (random() < 0.7) {
          const parts = random() < 0.5 ? 1 : 2;
          for (let j = 0; j < parts; j++)
            rows.push([
              m,
              pick(payees),
              day + (random() * 60) / 24,
              (x * (0.6 + 0.45 * random())) / parts,
              pick([WIRE, ACH, CARD]),
            ]);
        }
        if (random() < 0.3) rows.push([m, pick(payees), random() * 60, Math.round(random() * 5_000), ACH]);
      }
      const g = graphOf(byDay(rows));
      const p = passThrough.params.parse({});
      const available = new Set(DETECTION_FIELDS);
      const full = passThrough.run({ graph: g, available }, p);
      for (const share of [0.02, 0.1, 0.3]) {
        const newEdge = Uint8Array.from({ length: g.edgeCount }, () => (random() < share ? 1 : 0));
        const focus = focusOn(g, newEdge, 100);
        const want = full.filter((f) => touchesNew(focus, f));
        const got = passThrough.run({ graph: g, available, focus }, p).filter((f) => touchesNew(focus, f));
        expect(got).toEqual(want);
        compared += want.length;
      }
    }
    // Findings with a new transaction were compared, not only empty lists.
    expect(compared).toBeGreaterThanOrEqual(25);
  });
});

describe("findRelays", () => {
  const rules = (g: MoneyGraph) => ({
    windowMs: 48 * 3_600_000,
    minKept: 0.8,
    credit: (e: number) => g.accounts[g.to[e] as number] === "M" && (g.amountUsd[e] as number) >= 1000,
    debit: () => true,
  });
  /** Account a's slots (none when it is not among the relays' accounts). */
  const slotRange = (r: Relays, a: number): [number, number] => {
    const i = r.accounts.indexOf(a);
    return i < 0 ? [0, 0] : [r.start[i] as number, r.start[i + 1] as number];
  };
  /** Account M's slots as [credit, single, forwarded, withdrawal]. */
  const slotsOfM = (g: MoneyGraph, r: Relays) => {
    const [lo, hi] = slotRange(r, g.accounts.indexOf("M"));
    const out: number[][] = [];
    for (let s = lo; s < hi; s++)
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
    expect(r.draws(slotRange(r, m)[0])).toEqual({ debits: [2], drawn: [5_000] });
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

  it("with `only`, the wanted accounts' relays are those of a full search, the others have none", () => {
    const g = graphOf(
      byDay([
        ...PT,
        ["A", "N", 1, 10_000, WIRE],
        ["N", "X", 1.5, 9_000, WIRE],
        ["B", "Z", 2, 5_000, WIRE],
        ["Z", "Y", 2.5, 5_000, WIRE],
      ]),
    );
    const all = { ...rules(g), credit: (e: number) => (g.amountUsd[e] as number) >= 1000 };
    const full = findRelays(g, all);
    const [m, n, z] = ["M", "N", "Z"].map((a) => g.accounts.indexOf(a)) as [number, number, number];
    const some = findRelays(g, { ...all, only: [m, z] });
    expect(slotsOfM(g, some)).toEqual(slotsOfM(g, full));
    expect(slotsOfM(g, some)).toHaveLength(2);
    const slotsOf = (r: Relays, a: number) => Array.from(r.credit.subarray(...slotRange(r, a)));
    expect(slotsOf(some, z)).toEqual(slotsOf(full, z));
    expect(slotsOf(some, n)).toEqual([]);
    expect(slotsOf(full, n)).toHaveLength(1);
    expect([...some.accounts]).toEqual([m, z]);
    // Every account credited 1,000 or more has slots on a full search, each range where the last ended.
    expect([...full.accounts].map((a) => g.accounts[a])).toEqual(["M", "N", "R1", "R2", "X", "Y", "Z"]);
    expect(full.start).toHaveLength(full.accounts.length + 1);
    expect(full.start[0]).toBe(0);
    expect(full.start[full.accounts.length]).toBe(full.credit.length);
    for (let i = 0; i < full.accounts.length; i++)
      expect(full.start[i + 1] as number).toBeGreaterThan(full.start[i] as number);
  });

  it("oneOffCredits: a credit is one-off when its payer's payments to the payee span at most relationship_days, whatever is asked first", () => {
    // H is paid by 30 payers, once or several times, over up to 20 days; some payers pay many
    // others too, so that a credit is worked out from either side.
    const rows: Row[] = [];
    for (let k = 0; k < 30; k++) {
      const times = 1 + (k % 3);
      for (let j = 0; j < times; j++) rows.push([`P${k}`, "H", 1 + k / 10 + j * (k % 4) * 3, 1_000, ACH]);
      if (k % 5 === 0) for (let j = 0; j < 80; j++) rows.push([`P${k}`, `O${j}`, 2 + j / 100, 10, ACH]);
    }
    const g = graphOf(byDay(rows));
    const h = g.accounts.indexOf("H");
    const credits = Array.from({ length: g.edgeCount }, (_, e) => e).filter((e) => g.to[e] === h);
    const span = (e: number) => {
      const times = credits.filter((x) => g.from[x] === g.from[e]).map((x) => g.time[x] as number);
      return Math.max(...times) - Math.min(...times);
    };
    const expected = credits.map((e) => span(e) <= 7 * DAY);
    expect(expected).toContain(true);
    expect(expected).toContain(false);
    for (const order of [credits, [...credits].reverse()]) {
      const oneOff = oneOffCredits(g, 7 * DAY);
      const got = new Map(order.map((e) => [e, oneOff(e)]));
      expect(credits.map((e) => got.get(e))).toEqual(expected);
      // Asked again, once all were worked out at once.
      expect(credits.map((e) => oneOff(e))).toEqual(expected);
    }
  });
});
