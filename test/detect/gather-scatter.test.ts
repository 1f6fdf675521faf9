import { describe, expect, it } from "vitest";
import { DETECTION_FIELDS, type DetectionData, type Finding } from "../../src/detect/detector.js";
import { gatherScatter } from "../../src/detect/detectors/gather-scatter.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";
import {
  ACH,
  CARD,
  type DetailedRow,
  expectIncrementalAsFull,
  ledger,
  runOn,
  subjectsOf,
  WIRE,
} from "./ht-rows.js";

type Params = Parameters<typeof gatherScatter.params.parse>[0];

function run(rows: readonly Row[], params: Params = {}): { g: MoneyGraph; findings: Finding[] } {
  const data: DetectionData = { graph: graphOf(rows), available: new Set(DETECTION_FIELDS) };
  return { g: data.graph, findings: gatherScatter.run(data, gatherScatter.params.parse(params)) };
}

/** A finding's subjects as [account name, role]. */
const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);

/** Rows in time order (a stable sort, so rows of a day keep their order). */
const byDay = (rows: Row[]) => rows.sort((a, b) => a[2] - b[2]);

/** O1.. pay H on the `ins` [day, amount]; then H pays B1.. on the `outs`. */
const motif = (ins: [number, number][], outs: [number, number][]): Row[] =>
  byDay([
    ...ins.map(([day, amount], i): Row => [`O${i + 1}`, "H", day, amount]),
    ...outs.map(([day, amount], i): Row => ["H", `B${i + 1}`, day, amount]),
  ]);

// O1..O4 pay H 10,000 over days 1–4; H pays B1..B3 9,000 over days 10–12.
const INS: [number, number][] = [
  [1, 3000],
  [2, 2500],
  [3, 2000],
  [4, 2500],
];
const outsOf = (last: number): [number, number][] => [
  [10, 3000],
  [11, 3000],
  [12, last],
];
const GS = motif(INS, outsOf(3000));

describe("gather-scatter", () => {
  it("fires on four one-off payers, then three one-off payees of 90%: hub, originators, beneficiaries, edges, window, amount, reasons", () => {
    const { g, findings } = run(GS);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("gather-scatter");
    expect(subjects(g, f)).toEqual([
      ["H", "hub"],
      ["O1", "originator"],
      ["O2", "originator"],
      ["O3", "originator"],
      ["O4", "originator"],
      ["B1", "beneficiary"],
      ["B2", "beneficiary"],
      ["B3", "beneficiary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(f.window).toEqual({ from: 1 * DAY, to: 12 * DAY });
    expect(f.amountUsd).toBe(10_000);
    expect(f.reasons).toEqual([
      "4 accounts paid H 10,000 USD, then H paid 3 accounts 9,000 USD, within 11 day(s): 7 transactions",
      "H paid on 0.90 of what it gathered (allowed 0.8 to 1), every payment in before every payment out",
      "it had no other one-off flows in that time",
      "outside the motif H has no one-off payers of at least 2,000 USD nor payees of at least 3,000 USD",
      "the members dealt with H only within 7 day(s), share no other counterparty, and none of them, nor H, has more than 100 distinct payers or payees",
      "H was seen only 0.0 day(s) besides the motif, too few to know its usual (short_history_days 20): 4 of the 4 originators paid it at least 10 times the median of their other payments, or had none",
    ]);
    expect(f.score).toBeCloseTo(0.7, 6);
  });

  it("short data (under short_history_days besides the motif): the originators must stand out from their own habits", () => {
    // O1..O4 pay others on days 20-28 what they paid H (a business's customers) or a tenth of it.
    const habits = (share: (i: number) => number): Row[] =>
      INS.flatMap(([, usd], i): Row[] =>
        [20, 22, 24].map((d): Row => [`O${i + 1}`, `V${i}${d}`, d, usd * share(i)]),
      );
    // H is seen days 1-12 and the others' payments do not make it: 0 days besides the motif.
    expect(run(byDay([...GS, ...habits(() => 1)])).findings).toEqual([]);
    expect(run(byDay([...GS, ...habits(() => 1)]), { standout_share: 0 }).findings).toHaveLength(1);
    expect(run(byDay([...GS, ...habits(() => 0.1)])).findings).toHaveLength(1);
    expect(run(byDay([...GS, ...habits(() => 0.2)])).findings).toEqual([]);
    // Two of four standing out is enough (standout_share 0.4); one is not.
    expect(run(byDay([...GS, ...habits((i) => (i < 2 ? 0.1 : 1))])).findings).toHaveLength(1);
    expect(run(byDay([...GS, ...habits((i) => (i < 1 ? 0.1 : 1))])).findings).toEqual([]);
    // Seen 20 days besides (a payment of its own on day 32): the burst test has its usual.
    expect(run(byDay([...GS, ...habits(() => 1), ["H", "SHOP", 32, 50]])).findings).toHaveLength(1);
    expect(run(byDay([...GS, ...habits(() => 1), ["H", "SHOP", 31, 50]])).findings).toEqual([]);
  });

  it("ratio_low and ratio_high are inclusive: 0.8 and 1.0 of what came in fire, 0.7999 and 1.0001 do not", () => {
    expect(run(motif(INS, outsOf(2000))).findings).toHaveLength(1);
    expect(run(motif(INS, outsOf(1999))).findings).toEqual([]);
    expect(run(motif(INS, outsOf(4000))).findings).toHaveLength(1);
    expect(run(motif(INS, outsOf(4001))).findings).toEqual([]);
    expect(run(motif(INS, outsOf(4001)), { ratio_high: 1.01 }).findings).toHaveLength(1);
    expect(run(motif(INS, outsOf(1999)), { ratio_low: 0.79 }).findings).toHaveLength(1);
  });

  it("gathers must come before scatters: payments in and out taking turns are no motif", () => {
    const turns: Row[] = [
      ["O1", "H", 1, 3000],
      ["H", "B1", 2, 2700],
      ["O2", "H", 3, 3000],
      ["H", "B2", 4, 2700],
      ["O3", "H", 5, 3000],
      ["H", "B3", 6, 2700],
    ];
    expect(run(turns).findings).toEqual([]);
    // In order, the same payments fire.
    const inOrder = byDay(
      turns.map(([from, to, day, amount]): Row => [from, to, from === "H" ? day + 10 : day, amount]),
    );
    expect(run(inOrder).findings).toHaveLength(1);
  });

  it("max_stray_share is inclusive: a one-off payment out of 1,900 while gathering (0.1 of 19,000) is tolerated, 1,901 is not", () => {
    const withOut = (amount: number) => byDay([...GS, ["H", "X", 3, amount]]);
    const { g, findings } = run(withOut(1900));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons[2]).toBe(
      "its other one-off flows in that time (payments out while gathering, receipts while scattering, and sums too small to be members) came to 1,900 USD (at most 0.1 of the motif's)",
    );
    // X is not a member, and its payment is not the motif's.
    expect(subjects(g, findings[0] as Finding).map(([name]) => name)).not.toContain("X");
    expect(findings[0]?.edges).toHaveLength(7);
    expect(run(withOut(1901)).findings).toEqual([]);
    expect(run(withOut(1901), { max_stray_share: 0.2 }).findings).toHaveLength(1);
  });

  it("span_days is inclusive: first gather to last scatter in exactly 90 days fires, 91 does not", () => {
    const at = run(
      motif(INS, [
        [10, 3000],
        [11, 3000],
        [91, 3000],
      ]),
    ).findings;
    expect(at).toHaveLength(1);
    expect(at[0]?.window).toEqual({ from: 1 * DAY, to: 91 * DAY });
    expect(
      run(
        motif(INS, [
          [10, 3000],
          [11, 3000],
          [92, 3000],
        ]),
      ).findings,
    ).toEqual([]);
    expect(
      run(
        motif(INS, [
          [10, 3000],
          [11, 3000],
          [92, 3000],
        ]),
        { span_days: 91 },
      ).findings,
    ).toHaveLength(1);
  });

  it("min_originators and min_beneficiaries: two on a side are no motif unless the parameter allows it", () => {
    const twoIn = motif(
      [
        [1, 5000],
        [2, 5000],
      ],
      outsOf(3000),
    );
    expect(run(twoIn).findings).toEqual([]);
    expect(run(twoIn, { min_originators: 2 }).findings).toHaveLength(1);
    const twoOut = motif(INS, [
      [10, 4500],
      [11, 4500],
    ]);
    expect(run(twoOut).findings).toEqual([]);
    expect(run(twoOut, { min_beneficiaries: 2 }).findings).toHaveLength(1);
  });

  it("min_total_usd is inclusive: 5,000 USD gathered fires, 4,999 does not", () => {
    const total = (last: number) =>
      motif(
        [
          [1, 1500],
          [2, 1500],
          [3, last],
        ],
        [
          [10, 1500],
          [11, 1500],
          [12, 1500],
        ],
      );
    expect(run(total(2000)).findings).toHaveLength(1);
    expect(run(total(1999)).findings).toEqual([]);
    expect(run(total(1999), { min_total_usd: 4999 }).findings).toHaveLength(1);
  });

  it("a friend's small transfer inside the gathering is noise, not a member (min_member_share)", () => {
    const rows = byDay([...GS, ["F", "H", 3, 50]]);
    const { g, findings } = run(rows);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding).map(([name]) => name)).not.toContain("F");
    expect(findings[0]?.edges).toHaveLength(7);
    expect(findings[0]?.reasons[0]).toBe(
      "4 accounts paid H 10,000 USD, then H paid 3 accounts 9,000 USD, within 11 day(s): 7 transactions",
    );
    expect(findings[0]?.reasons[2]).toBe(
      "its other one-off flows in that time (payments out while gathering, receipts while scattering, and sums too small to be members) came to 50 USD (at most 0.1 of the motif's)",
    );
    // Stray flows add up: with eighteen small one-off payments out while gathering, 1,850 USD
    // of stray flows is within a tenth of the motif's 19,000; with nineteen, 1,950 is not.
    const shops = (n: number) =>
      Array.from({ length: n }, (_, i): Row => ["H", `X${String(i).padStart(2, "0")}`, 2, 100]);
    expect(run(byDay([...rows, ...shops(18)])).findings[0]?.reasons[2]).toContain("came to 1,850 USD");
    expect(run(byDay([...rows, ...shops(19)])).findings).toEqual([]);
    // Without the share, the friend counts (five payers on January's first days of a twelve-day
    // data set would be dues: that guard is tested on its own below).
    const all = run(rows, { min_member_share: 0, due_days: 0 }).findings[0] as Finding;
    expect(all.reasons[0]).toBe(
      "5 accounts paid H 10,050 USD, then H paid 3 accounts 9,000 USD, within 11 day(s): 8 transactions",
    );
  });

  it("hard negative: a shop's card customers, then its payroll: purchases (with a merchant category code) are no gathers", () => {
    // The same money as the motif, but each payment in is a card purchase at H (MCC 5651).
    const rows: DetailedRow[] = GS.map(
      (r): DetailedRow =>
        r[1] === "H" ? [r[0], r[1], r[2], r[3], 0, { mcc: "5651" }] : [r[0], r[1], r[2], r[3], 0],
    );
    const l = ledger(rows);
    expect(runOn(gatherScatter, l)).toEqual([]);
    // Without merchant categories (AMLworld's files) the same payments are a motif.
    expect(run(GS).findings).toHaveLength(1);
  });

  it("hard negative: a business with a new customer every four days all year, then four who pay and three contractors it pays", () => {
    // 88 one-off customers of 2,500 over days 0..348; the motif on days 400..411.
    const customers = Array.from(
      { length: 88 },
      (_, i): Row => [`C${String(i).padStart(3, "0")}`, "H", i * 4, 2500],
    );
    const later = GS.map(([from, to, day, amount]): Row => [from, to, day + 399, amount]);
    const rows = [...customers, ...later];
    expect(run(rows).findings).toEqual([]);
    // It is the burst rule that keeps it silent: 88 such payers in the 400 days outside the
    // motif make 2.4 in its 11 days, and four is less than twice that.
    const { findings } = run(rows, { min_burst: 1 });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons[3]).toBe(
      "outside the motif H has 2.4 one-off payers of at least 2,000 USD and 0.0 payees of at least 3,000 USD in as long a time (the motif needs 1 times that)",
    );
  });

  it("hard negative: a payroll processor funded by three employers every two weeks, paying their ten employees", () => {
    const rows: Row[] = [];
    for (const day of [0, 14, 28, 42, 56]) {
      for (const e of ["E1", "E2", "E3"]) rows.push([e, "P", day, 3340]);
      for (let w = 0; w < 10; w++) rows.push(["P", `W${w}`, day, 1000]);
    }
    expect(run(rows).findings).toEqual([]);
    // It is the relationship rule that keeps it silent: employers and staff recur every pay day.
    const { g, findings } = run(rows, { relationship_days: 100 });
    expect(findings.length).toBeGreaterThan(0);
    expect(subjects(g, findings[0] as Finding)[0]).toEqual(["P", "hub"]);
  });

  it("hard negative: a rent collector whose tenants pay every month, paying three contractors once", () => {
    const rows = byDay([
      ...["T1", "T2", "T3", "T4"].flatMap((t): Row[] => [
        [t, "R", 1, 2500],
        [t, "R", 31, 2500],
      ]),
      ["R", "K1", 33, 3000],
      ["R", "K2", 34, 3000],
      ["R", "K3", 35, 3000],
    ]);
    expect(run(rows).findings).toEqual([]);
  });

  it("relationship_days is inclusive: O1 paying again 7 days later is still one-off, 8 days is a relationship", () => {
    const again = (days: number) => byDay([...GS, ["O1", "H", 1 + days, 100]]);
    expect(run(again(7)).findings).toHaveLength(1);
    // O1 becomes a relationship; three originators are left, but 9,000 out of 7,000 in is too much.
    expect(run(again(8)).findings).toEqual([]);
  });

  it("hard negative: a hub of business (more than max_hub_degree distinct payees) is left alone", () => {
    const shops = Array.from({ length: 98 }, (_, i): Row => ["H", `S${String(i).padStart(3, "0")}`, 200, 10]);
    const rows = [...GS, ...shops];
    expect(run(rows).findings).toEqual([]);
    expect(run(rows, { max_hub_degree: 101 }).findings).toHaveLength(1);
  });

  it("hard negative: payers that all pay another intermediary too are a stack's layer", () => {
    const layer = byDay([...GS, ...INS.map(([day], i): Row => [`O${i + 1}`, "H2", day, 2000])]);
    expect(run(layer).findings).toEqual([]);
    // One payer paying another account is not a layer.
    const one = byDay([...GS, ["O1", "H2", 1, 2000]]);
    expect(run(one).findings).toHaveLength(1);
  });

  it("cash in and self-transfers are no members", () => {
    const cash: Row[] = GS.map(([from, to, day, amount]) => [
      from.startsWith("O") ? "" : from,
      to,
      day,
      amount,
    ]);
    expect(run(cash).findings).toEqual([]);
  });

  it("its fields are those every transaction has", () => {
    expect(gatherScatter.needs).toEqual(["ts", "amount_usd", "from_account", "to_account"]);
    expect(gatherScatter.id).toBe(gatherScatter.typology);
  });

  it("hard negative: an ACH batch (a payroll run, each employee paid once in the data) is no scatter", () => {
    const outs = (channel: number, days: number[]): Row[] =>
      days.map((day, i): Row => ["H", `B${i + 1}`, day, 3000, channel]);
    const rows = (channel: number, days: number[]) => byDay([...motif(INS, []), ...outs(channel, days)]);
    // Three employees paid by ACH on day 10: a payroll run.
    expect(run(rows(ACH, [10, 10.1, 10.2])).findings).toEqual([]);
    expect(run(rows(ACH, [10, 10.1, 10.2]), { batch_payees: 0 }).findings).toHaveLength(1);
    expect(run(rows(ACH, [10, 10.1, 10.2]), { batch_payees: 4 }).findings).toHaveLength(1);
    // The same payments by wire, or by ACH on three days, are a motif.
    expect(run(rows(WIRE, [10, 10.1, 10.2])).findings).toHaveLength(1);
    expect(run(rows(ACH, [10, 11, 12])).findings).toHaveLength(1);
  });

  it("hard negative: on data too short to see a month recur, five payers on the month's first days are dues", () => {
    // Day 0 is 1 January 1970: five payers on 1–5 January, then three payees on days 10–12.
    const dues = (payers: number, firstDay: number): Row[] =>
      motif(
        Array.from({ length: payers }, (_, i): [number, number] => [firstDay + i, 10_000 / payers]),
        outsOf(3000),
      );
    expect(run(dues(5, 0)).findings).toEqual([]);
    expect(run(dues(5, 0), { due_days: 0 }).findings).toHaveLength(1);
    // A few payers on those days are as likely a motif that began there.
    expect(run(dues(4, 0)).findings).toHaveLength(1);
    expect(run(dues(5, 0), { due_payers: 6 }).findings).toHaveLength(1);
    // Not on the first days of the month (6–10 January).
    expect(run(dues(5, 5)).findings).toHaveLength(1);
    // With more than a month of data after the gathering, tenants paying monthly would be seen
    // again (a relationship): the calendar is not asked, and the one-offs are a motif.
    const later: Row = ["Y", "Z", 4 + 32, 10];
    expect(run([...dues(5, 0), later]).findings).toHaveLength(1);
    expect(run([...dues(5, 0), ["Y", "Z", 4 + 30, 10]]).findings).toEqual([]);
  });
  it("a payee that shops at more than max_hub_degree merchants is no hub where merchant codes tell purchases", () => {
    // B3 pays 101 shops by card over days 0–50 (merchant code 5411), and is paid by H as in GS.
    const shopping = (mcc: boolean): DetailedRow[] =>
      Array.from(
        { length: 101 },
        (_, i): DetailedRow => [
          "B3",
          `S${String(i).padStart(3, "0")}`,
          i / 2,
          30,
          CARD,
          mcc ? { mcc: "5411" } : {},
        ],
      );
    const rows = (mcc: boolean): DetailedRow[] =>
      [...GS.map((r): DetailedRow => [r[0], r[1], r[2], r[3], WIRE]), ...shopping(mcc)].sort(
        (a, b) => a[2] - b[2],
      );
    const l = ledger(rows(true));
    const found = runOn(gatherScatter, l);
    expect(found).toHaveLength(1);
    expect(subjectsOf(l, found[0] as Finding)).toContainEqual(["B3", "beneficiary"]);
    // Without merchant codes B3 pays 101 accounts: a hub, no member; the rest pass on 60%.
    expect(runOn(gatherScatter, ledger(rows(false)))).toEqual([]);
    // An incremental run, with any one payment as the new one, finds what a full run finds with it.
    expectIncrementalAsFull(gatherScatter, l, GS.length);
  });
});
