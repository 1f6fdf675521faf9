import { describe, expect, it } from "vitest";
import {
  DETECTION_FIELDS,
  type DetectionData,
  type DetectionField,
  type Detector,
  type Finding,
} from "../../src/detect/detector.js";
import { fanIn } from "../../src/detect/detectors/fan-in.js";
import { fanOut } from "../../src/detect/detectors/fan-out.js";
import { structuring } from "../../src/detect/detectors/structuring.js";
import { achBatchDays } from "../../src/detect/fan.js";
import { focusOn } from "../../src/detect/focus.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import type { MoneyGraph } from "../../src/graph/money-graph.js";
import { Channel } from "../../src/model/channel.js";
import { DAY, graphOf, type Row } from "../graph/graph-of.js";
import { CARD, type DetailedRow, ledger, runOn, WIRE } from "./ht-rows.js";

type FanParams = Parameters<typeof fanIn.params.parse>[0];

const dataOf = (rows: readonly Row[]): DetectionData => ({
  graph: graphOf(rows),
  available: new Set(DETECTION_FIELDS),
});

function runIn(rows: readonly Row[], params: FanParams = {}): { g: MoneyGraph; findings: Finding[] } {
  const data = dataOf(rows);
  return { g: data.graph, findings: fanIn.run(data, fanIn.params.parse(params)) };
}

function runOut(rows: readonly Row[], params: FanParams = {}): { g: MoneyGraph; findings: Finding[] } {
  const data = dataOf(rows);
  return { g: data.graph, findings: fanOut.run(data, fanOut.params.parse(params)) };
}

/** A finding's subjects as [account name, role]. */
const subjects = (g: MoneyGraph, f: Finding) => f.subjects.map((s) => [g.accounts[s.account], s.role]);

/** Row indices (= edge indices) of the rows that match. */
const rowsWhere = (rows: readonly Row[], keep: (r: Row) => boolean) =>
  rows.flatMap((r, i) => (keep(r) ? [i] : []));

/** Rows in time order (a stable sort, so rows of a day keep their order). */
const byDay = (rows: Row[]) => rows.sort((a, b) => a[2] - b[2]);

// Six one-off senders pay H about 2,000 each over days 10–14; H has no other dealings.
const FAN_IN: Row[] = [
  ["S1", "H", 10, 1900],
  ["S2", "H", 11, 2000],
  ["S3", "H", 11, 2100],
  ["S4", "H", 12, 1950],
  ["S5", "H", 13, 2050],
  ["S6", "H", 14, 2000],
];

/** The fan rule alone, without fan-in's reading of near-identical amounts. */
const NO_ALIKE = { alike_min_counterparties: 0 };

/** The fan rule alone, without either second reading (near-identical, or unlike sums). */
const RULE_ONLY = { alike_min_counterparties: 0, wide_ratio: 0 };

/** The short-history line of a fan-in about H whose `n` senders all make no other payments. */
const shortOf = (n: number, days = "0.0") =>
  `H was seen only ${days} day(s) besides the fan, too few to know its usual (short_history_days 20): ${n} of the ${n} senders paid it at least 10 times the median of their other payments, or had none`;

// X pays five one-off recipients about 1,500 each over days 20–22.
const FAN_OUT: Row[] = [
  ["X", "R1", 20, 1500],
  ["X", "R2", 20, 1600],
  ["X", "R3", 21, 1550],
  ["X", "R4", 22, 1450],
  ["X", "R5", 22, 1500],
];

describe("fan-in", () => {
  it("fires on six one-off senders of alike amounts within days: hub, originators, edges, window, total", () => {
    const { g, findings } = runIn(FAN_IN);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("fan-in");
    expect(subjects(g, f)).toEqual([
      ["H", "hub"],
      ["S1", "originator"],
      ["S2", "originator"],
      ["S3", "originator"],
      ["S4", "originator"],
      ["S5", "originator"],
      ["S6", "originator"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3, 4, 5]);
    expect(f.window).toEqual({ from: 10 * DAY, to: 14 * DAY });
    expect(f.amountUsd).toBe(12_000);
    expect(f.reasons).toEqual([
      "6 distinct accounts sent money to H within 4 day(s): 6 transactions, 12,000 USD",
      "the amounts are alike: 1,900 to 2,100 USD (within a ratio of 1.5)",
      "outside this fan it has no senders",
      "they are 6 of its 6 one-off senders over that time (min_member_share 0.7)",
      shortOf(6),
    ]);
    expect(f.score).toBeGreaterThan(0);
    expect(f.score).toBeLessThanOrEqual(1);
  });

  it("is one-sided: the same fan is no fan-out, and a fan-out is no fan-in", () => {
    expect(runOut(FAN_IN).findings).toEqual([]);
    expect(runIn(FAN_OUT).findings).toEqual([]);
  });

  it("counts distinct senders, not transactions", () => {
    // Five senders, S1 twice (days 10 and 11): a fan of five, six transactions.
    const five: Row[] = [FAN_IN[0] as Row, ["S1", "H", 11, 2000], ...FAN_IN.slice(1, 5)];
    const { g, findings } = runIn(five);
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding).filter(([, role]) => role === "originator")).toHaveLength(5);
    expect(findings[0]?.edges).toEqual([0, 1, 2, 3, 4, 5]);
    expect(findings[0]?.reasons[0]).toBe(
      "5 distinct accounts sent money to H within 3 day(s): 6 transactions, 12,000 USD",
    );
    // Four senders, six transactions: below min_counterparties (5), for the rule (the
    // near-identical reading, tested below, is off).
    const four: Row[] = [...FAN_IN.slice(0, 4), ["S1", "H", 13, 2000], ["S2", "H", 14, 2000]];
    expect(runIn(four, NO_ALIKE).findings).toEqual([]);
  });

  it("cash deposits are no senders: six cash credits of 2,000 are no fan", () => {
    const cash: Row[] = FAN_IN.map(([, to, day, amount]) => ["", to, day, amount]);
    expect(runIn(cash).findings).toEqual([]);
  });

  it("window_days is inclusive: senders over exactly 30 days fire, over 31 days do not", () => {
    const over = (lastDay: number): Row[] => [
      ["S1", "H", 0, 2000],
      ["S2", "H", 10, 2000],
      ["S3", "H", 20, 2000],
      ["S4", "H", 25, 2000],
      ["S5", "H", lastDay, 2000],
    ];
    const { findings } = runIn(over(30));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.window).toEqual({ from: 0, to: 30 * DAY });
    expect(findings[0]?.reasons[0]).toContain("within 30 day(s)");
    expect(runIn(over(31), NO_ALIKE).findings).toEqual([]);
    // The window is a parameter: 31 days fit a 31-day window.
    expect(runIn(over(31), { ...NO_ALIKE, window_days: 31 }).findings).toHaveLength(1);
  });

  it("a burst against a year of one-off senders (one a month) fires, and says how many times the usual", () => {
    // B01..B12 pay H once each, 30 days apart (days 0..330); then F1..F6 within days 400..405.
    const rows: Row[] = [
      ...Array.from({ length: 12 }, (_, i): Row => [`B${String(i + 1).padStart(2, "0")}`, "H", i * 30, 2000]),
      ...Array.from({ length: 6 }, (_, i): Row => [`F${i + 1}`, "H", 400 + i, 2000]),
    ];
    const { g, findings } = runIn(rows);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.edges).toEqual([12, 13, 14, 15, 16, 17]);
    expect(subjects(g, f).map(([name]) => name)).toEqual(["H", "F1", "F2", "F3", "F4", "F5", "F6"]);
    expect(f.window).toEqual({ from: 400 * DAY, to: 405 * DAY });
    expect(f.amountUsd).toBe(12_000);
    // Usual: 12 one-off senders over the 400 days outside the fan's 5: 0.9 per 30 days.
    expect(f.reasons[2]).toBe(
      "outside this fan it has 0.9 distinct senders per 30 days; this is 6.7 times that",
    );
  });

  it("min_burst is a bound: exactly twice the usual fires, a little less does not", () => {
    // One-off senders of 300 (not in the fan's band, but one-off senders all the same) every
    // 10 days over days 0..390: 40 of them in the 400 days outside the fan, 3.0 per 30 days.
    const background = (n: number): Row[] =>
      Array.from(
        { length: n },
        (_, i): Row => [`B${String(i).padStart(2, "0")}`, "H", Math.min(i * 10, 395), 300],
      );
    const fan = Array.from({ length: 6 }, (_, i): Row => [`F${i + 1}`, "H", 400 + i, 2000]);
    const at = runIn([...background(40), ...fan]).findings;
    expect(at).toHaveLength(1);
    expect(at[0]?.edges).toEqual([40, 41, 42, 43, 44, 45]);
    expect(at[0]?.reasons[2]).toBe(
      "outside this fan it has 3.0 distinct senders per 30 days; this is 2.0 times that",
    );
    // A 41st one-off sender (day 395): 3.075 per 30 days, and six is less than twice that.
    expect(runIn([...background(41), ...fan]).findings).toEqual([]);
    expect(runIn([...background(41), ...fan], { min_burst: 1.9 }).findings).toHaveLength(1);
  });

  it("a shop's card customers (purchases, with a merchant category code) neither make a fan nor hide one of transfers", () => {
    // 60 customers buy at shop H for 40 to 58 each over days 0..59, one a day; in days 20..27
    // eight strangers send H about 10,000 each by wire. The customers are 30 one-off senders
    // per 30 days, more than the fan's eight: as senders they would make the fan no burst, and
    // their alike amounts the largest group.
    const shop = (mcc: boolean): DetailedRow[] =>
      Array.from(
        { length: 60 },
        (_, i): DetailedRow => [
          `C${String(i).padStart(2, "0")}`,
          "H",
          i,
          40 + (i % 10) * 2,
          CARD,
          mcc ? { mcc: "5651" } : {},
        ],
      );
    const fan = Array.from(
      { length: 8 },
      (_, i): DetailedRow => [`F${i + 1}`, "H", 20 + i + 0.5, 9800 + i * 50, WIRE],
    );
    const l = ledger([...shop(true), ...fan]);
    const found = runOn(fanIn, l);
    expect(found).toHaveLength(1);
    const f = found[0] as Finding;
    expect(f.edges.map((e) => l.graph.accounts[l.graph.from[e] as number])).toEqual([
      "F1",
      "F2",
      "F3",
      "F4",
      "F5",
      "F6",
      "F7",
      "F8",
    ]);
    expect(f.reasons[2]).toBe("outside this fan it has no senders");
    // The purchases alone make no fan.
    expect(runOn(fanIn, ledger(shop(true)), { min_total_usd: 0 })).toEqual([]);
    // Without merchant categories (AMLworld's files) the customers' card payments are purchases
    // all the same: card payments settle to merchants.
    const bare = runOn(fanIn, ledger([...shop(false), ...fan]));
    expect(bare.map((f) => f.edges.length)).toEqual([8]);
    expect(bare[0]?.reasons[2]).toBe("outside this fan it has no senders");
  });

  it("hard negative: a shop with three new customers a week paying ~400 for half a year is steady, not a burst", () => {
    // 78 customers, each paying once, on days 7w, 7w+2, 7w+4; 14 or so of them in any 30 days
    // (over 5,000 USD): a fan by count, amounts and total, but no more than the shop's usual.
    const rows: Row[] = [];
    for (let w = 0; w < 26; w++) {
      for (const [j, offset] of [0, 2, 4].entries()) {
        const i = 3 * w + j;
        rows.push([`C${String(i).padStart(3, "0")}`, "M", 7 * w + offset, 380 + (i % 5) * 10]);
      }
    }
    expect(runIn(rows).findings).toEqual([]);
    // It is the burst test that keeps it silent: without it, the shop fires.
    const { g, findings } = runIn(rows, { min_burst: 1 });
    expect(findings).toHaveLength(1);
    expect(g.accounts[findings[0]?.subjects[0]?.account as number]).toBe("M");
    expect(findings[0]?.amountUsd).toBeGreaterThanOrEqual(5000);
  });

  it("hard negative: senders that deal with the hub over more than relationship_days are relationships", () => {
    // S1 also paid H on day 13, 7 days before the fan: still one-off (7 days is the bound).
    const fan: Row[] = [
      ["S1", "H", 20, 2000],
      ["S2", "H", 21, 2000],
      ["S3", "H", 22, 2000],
      ["S4", "H", 23, 2000],
      ["S5", "H", 24, 2000],
    ];
    const seven = runIn([["S1", "H", 13, 2000], ...fan]).findings;
    expect(seven).toHaveLength(1);
    expect(seven[0]?.edges).toEqual([0, 1, 2, 3, 4, 5]);
    // On day 12 (8 days before): a relationship, leaving four senders.
    expect(runIn([["S1", "H", 12, 2000], ...fan], NO_ALIKE).findings).toEqual([]);
    expect(
      runIn([["S1", "H", 12, 2000], ...fan], { ...NO_ALIKE, relationship_days: 8 }).findings,
    ).toHaveLength(1);
    // The near-identical reading sees the four others, and not S1 (a relationship).
    const withOther = runIn([["S1", "H", 12, 1000], ...fan]);
    expect(withOther.findings).toHaveLength(1);
    expect(subjects(withOther.g, withOther.findings[0] as Finding).map(([name]) => name)).toEqual([
      "H",
      "S2",
      "S3",
      "S4",
      "S5",
    ]);
  });

  it("hard negative: a fan below min_total_usd (six senders of 650 to 950, 4,800 USD)", () => {
    const amounts = [650, 950, 700, 900, 750, 850];
    const small = FAN_IN.map(([from, to, day], i): Row => [from, to, day, amounts[i] as number]);
    expect(runIn(small).findings).toEqual([]);
    const at = runIn(small, { min_total_usd: 4800 }).findings;
    expect(at).toHaveLength(1);
    expect(at[0]?.amountUsd).toBe(4800);
  });

  it("hard negative: amounts too unlike (doubling from 1,000 to 16,000; or one of 1,600 among 1,000s)", () => {
    const doubling: Row[] = [1000, 2000, 4000, 8000, 16_000].map(
      (a, i): Row => [`S${i + 1}`, "H", 10 + i, a],
    );
    expect(runIn(doubling).findings).toEqual([]);
    const ratio16: Row[] = [1000, 1000, 1000, 1000, 1600].map((a, i): Row => [`S${i + 1}`, "H", 10 + i, a]);
    const ratio14: Row[] = [1000, 1000, 1000, 1000, 1400].map((a, i): Row => [`S${i + 1}`, "H", 10 + i, a]);
    // Total 5,600 and 5,400: the amounts alone decide (for the rule: four identical 1,000s are a
    // fan of the near-identical reading).
    expect(runIn(ratio16, RULE_ONLY).findings).toEqual([]);
    const alike = runIn(ratio14).findings;
    expect(alike).toHaveLength(1);
    expect(alike[0]?.reasons[1]).toBe("the amounts are alike: 1,000 to 1,400 USD (within a ratio of 1.5)");
    expect(runIn(ratio16, { amount_ratio: 1.7 }).findings).toHaveLength(1);
    // "Within" the ratio includes it: 1,500 among 1,000s is alike, 1,500.01 is not.
    const edge = (top: number): Row[] =>
      [1000, 1000, 1000, 1000, top].map((a, i): Row => [`S${i + 1}`, "H", 10 + i, a]);
    expect(runIn(edge(1500)).findings).toHaveLength(1);
    expect(runIn(edge(1500.01), RULE_ONLY).findings).toEqual([]);
  });

  it("amounts within amount_ratio of each other make a fan wherever they fall (2,150 to 2,750: ratio 1.28)", () => {
    // Every pair here is within 1.28 < 1.5, so the five are alike by the rule. (Buckets of half
    // the ratio, 1.5^(k/2), would put them in three: 2,150 | 2,250 | 2,750, and miss the fan.)
    const rows: Row[] = [2150, 2150, 2250, 2250, 2750].map((a, i): Row => [`S${i + 1}`, "H", 10 + i, a]);
    const { findings } = runIn(rows);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.edges).toEqual([0, 1, 2, 3, 4]);
    expect(findings[0]?.amountUsd).toBe(11_550);
  });

  it("hard negative: senders that are hubs themselves (each paying more than max_counterparty_degree accounts)", () => {
    // S1..S6 each pay four others as well: five distinct payees each.
    const rows: Row[] = byDay([
      ...FAN_IN,
      ...FAN_IN.flatMap(([from], i) => [1, 2, 3, 4].map((j): Row => [from, `P${i}${j}`, i, 50])),
    ]);
    expect(runIn(rows, { max_counterparty_degree: 4 }).findings).toEqual([]);
    const five = runIn(rows, { max_counterparty_degree: 5 }).findings;
    expect(five).toHaveLength(1);
    expect(five[0]?.edges).toEqual(rowsWhere(rows, (r) => r[1] === "H"));
  });

  it("hard negative: a fan paid in one go (under min_span_hours, 24) is a batch; 24 hours is a fan", () => {
    const within = (hours: number): Row[] =>
      FAN_IN.map(([from, to, , amount], i): Row => [from, to, 10 + (i === 5 ? hours / 24 : 0), amount]);
    expect(runIn(within(0)).findings).toEqual([]);
    expect(runIn(within(23)).findings).toEqual([]);
    const day = runIn(within(24)).findings;
    expect(day).toHaveLength(1);
    expect(day[0]?.window).toEqual({ from: 10 * DAY, to: 11 * DAY });
    expect(day[0]?.reasons[0]).toBe(
      "6 distinct accounts sent money to H within 1 day(s): 6 transactions, 12,000 USD",
    );
    expect(runIn(within(23), { min_span_hours: 23 }).findings).toHaveLength(1);
  });

  it("max_hub_degree: an account with more distinct senders than that is left alone", () => {
    expect(runIn(FAN_IN, { max_hub_degree: 5 }).findings).toEqual([]);
    expect(runIn(FAN_IN, { max_hub_degree: 6 }).findings).toHaveLength(1);
  });

  it("a retail shop with more than max_hub_degree card customers is no hub: a fan of transfers into it fires", () => {
    // 120 card customers over 60 days, and eight alike wires on days 20–27.
    const shop = (mcc: boolean): DetailedRow[] =>
      Array.from(
        { length: 120 },
        (_, i): DetailedRow => [
          `C${String(i).padStart(3, "0")}`,
          "H",
          i / 2,
          40,
          CARD,
          mcc ? { mcc: "5651" } : {},
        ],
      );
    const fan = Array.from(
      { length: 8 },
      (_, i): DetailedRow => [`F${i + 1}`, "H", 20 + i + 0.7, 9800 + i * 50, WIRE],
    );
    const rows = (mcc: boolean) => [...shop(mcc), ...fan].sort((a, b) => a[2] - b[2]);
    expect(runOn(fanIn, ledger(rows(true)))).toHaveLength(1);
    // Without merchant codes the customers are payers like any: 128 distinct, a hub.
    expect(runOn(fanIn, ledger(rows(false)))).toEqual([]);
    // Over max_hub_degree in transfers alone, it is a hub either way.
    expect(runOn(fanIn, ledger(rows(true)), { max_hub_degree: 7 })).toEqual([]);
  });
});

describe("fan-in: near-identical amounts (fewer senders, or less money)", () => {
  // Three one-off senders pay H the same 3,000 (within 2%) over days 10–16; H has no other senders.
  const THREE: Row[] = [
    ["S1", "H", 10, 3000],
    ["S2", "H", 13, 3060],
    ["S3", "H", 16, 2990],
  ];

  it("fires on three senders of one sum, says why so few sufficed, and scores below the rule", () => {
    const { g, findings } = runIn(THREE);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjects(g, f)).toEqual([
      ["H", "hub"],
      ["S1", "originator"],
      ["S2", "originator"],
      ["S3", "originator"],
    ]);
    expect(f.edges).toEqual([0, 1, 2]);
    expect(f.amountUsd).toBe(9050);
    expect(f.reasons[1]).toBe("the amounts are alike: 2,990 to 3,060 USD (within a ratio of 1.1)");
    expect(f.reasons.at(-1)).toBe(
      "3 senders, fewer than 5: a fan because the amounts are near-identical (within a ratio of 1.1), one sum shared among its payers",
    );
    // The rule's score for three senders would be 0.2 + (1 − e^(−3/3)) · 1; this is 0.8 of it.
    expect(f.score).toBeCloseTo(0.8 * Math.min(1, 0.2 + (1 - Math.exp(-1))), 10);
    // Off, or asking for four: nothing.
    expect(runIn(THREE, NO_ALIKE).findings).toEqual([]);
    expect(runIn(THREE, { alike_min_counterparties: 4 }).findings).toEqual([]);
  });

  it("fires on a light fan: eight senders of about 540 (4,336 USD, under min_total_usd)", () => {
    const rows = Array.from({ length: 8 }, (_, i): Row => [`S${i + 1}`, "H", 20 + i / 2, 535 + 2 * i]);
    const [f] = runIn(rows).findings;
    expect(f?.subjects).toHaveLength(9);
    expect(f?.reasons.at(-1)).toBe(
      "4,336 USD, under 5,000: a fan because the amounts are near-identical (within a ratio of 1.1), one sum shared among its payers",
    );
    // Under alike_min_total_usd: nothing.
    expect(runIn(rows, { alike_min_total_usd: 4337 }).findings).toEqual([]);
  });

  it("a fan the rule finds is reported as the rule finds it, once", () => {
    // FAN_IN's amounts hold a near-identical five as well (1,900 to 2,050): the same fan, not two.
    const { findings } = runIn(FAN_IN);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons).toHaveLength(5);
    expect(runIn(FAN_IN, { min_counterparties: 7 }).findings[0]?.reasons).toHaveLength(6);
  });

  it("hard negative: three alike sums that are not near-identical (2,000, 2,500, 2,900)", () => {
    const rows: Row[] = [
      ["S1", "H", 10, 2000],
      ["S2", "H", 12, 2500],
      ["S3", "H", 14, 2900],
    ];
    expect(runIn(rows).findings).toEqual([]);
    expect(runIn(rows, { alike_ratio: 1.5 }).findings).toHaveLength(1);
  });

  it("hard negative: friends sharing a bill, three times 300 (under alike_min_total_usd)", () => {
    const rows: Row[] = [
      ["S1", "H", 10, 300],
      ["S2", "H", 10.2, 300],
      ["S3", "H", 11, 300],
    ];
    expect(runIn(rows).findings).toEqual([]);
    expect(runIn(rows, { alike_min_total_usd: 900 }).findings).toHaveLength(1);
  });

  it("hard negative: a business's customers, each paying several unlike sums in a week, one of which matches", () => {
    // C1..C3 each pay H four sums within days; one of each is about 1,900. No customer pays one sum.
    const rows: Row[] = byDay([
      ...["C1", "C2", "C3"].flatMap((c, i): Row[] => [
        [c, "H", 10 + 5 * i, 850 + 10 * i],
        [c, "H", 11 + 5 * i, 4400 + 10 * i],
        [c, "H", 12 + 5 * i, 9900 + 10 * i],
        [c, "H", 13 + 5 * i, 1900 + 30 * i],
      ]),
    ]);
    expect(runIn(rows).findings).toEqual([]);
  });

  it("hard negative: a landlord's tenants paying rent on the 1st to the 5th, once each in a month of data", () => {
    // Day 0 is 1 January: eight tenants pay H 1,200 to 1,700 on days 0..4, one on day 6 (late).
    const rent = [1200, 1650, 1400, 1300, 1700, 1550, 1250, 1450];
    const rows: Row[] = [
      ...rent.slice(0, 7).map((usd, i): Row => [`T${i + 1}`, "H", i * 0.6, usd]),
      ["T8", "H", 6, rent[7] as number],
    ];
    expect(runIn(rows).findings).toEqual([]);
    // The same payments in the middle of the month are a fan; so they are with the test off.
    expect(runIn(rows.map(([f, t, d, a]): Row => [f, t, d + 10, a])).findings).toHaveLength(1);
    expect(runIn(rows, { due_days: 0 }).findings).toHaveLength(1);
    // Under due_share of them on those days: a fan.
    expect(runIn(rows, { due_share: 0.9 }).findings).toHaveLength(1);
    // The near-identical reading obeys it too: three tenants paying 1,500 on the 2nd to the 4th.
    const three: Row[] = [
      ["T1", "H", 1, 1500],
      ["T2", "H", 2, 1500],
      ["T3", "H", 3, 1510],
    ];
    expect(runIn(three).findings).toEqual([]);
    expect(runIn(three, { due_days: 0 }).findings).toHaveLength(1);
  });

  it("hard negative: six alike sums among a busy account's many one-off senders at the time (min_member_share)", () => {
    // Short data: over the fan's days 10-14, H is also paid once each by senders of unlike sums,
    // as a business by its customers. The six alike are a fan only while they are most of them.
    const unlike = [400, 900, 5200, 12_000, 26_000, 60_000];
    const others = (n: number) =>
      unlike.slice(0, n).map((usd, i): Row => [`C${i + 1}`, "H", 10.5 + i * 0.5, usd]);
    const rows = (n: number) => byDay([...FAN_IN, ...others(n)]);
    // 6 of 8 (0.75) and 6 of 9 (0.67) against the default 0.7; 6 of 12 with the test off.
    expect(runIn(rows(2), NO_ALIKE).findings.map((f) => f.reasons[3])).toEqual([
      "they are 6 of its 8 one-off senders over that time (min_member_share 0.7)",
    ]);
    expect(runIn(rows(3), NO_ALIKE).findings).toEqual([]);
    expect(runIn(rows(6), NO_ALIKE).findings).toEqual([]);
    expect(runIn(rows(6), { ...NO_ALIKE, min_member_share: 0 }).findings).toHaveLength(1);
    // A share exactly at the bound passes: 6 of 8 at 0.75.
    expect(runIn(rows(2), { ...NO_ALIKE, min_member_share: 0.75 }).findings).toHaveLength(1);
    // The sender's own relationships (paid again over more than relationship_days) do not count.
    const salary: Row[] = [0, 14, 28].map((d): Row => ["EMP", "H", d, 3000]);
    expect(runIn(byDay([...rows(2), ...salary]), NO_ALIKE).findings).toHaveLength(1);
  });

  it("hard negative: a steady stream of one-off senders makes three alike ones no burst", () => {
    // One-off senders of 300, every 10 days over days 0..390 (3.0 per 30 days), then three of 3,000.
    const rows: Row[] = [
      ...Array.from({ length: 40 }, (_, i): Row => [`B${String(i).padStart(2, "0")}`, "H", i * 10, 300]),
      ...THREE.map(([f, t, d, a]): Row => [f, t, 400 + d, a]),
    ];
    expect(runIn(rows).findings).toEqual([]);
  });
});

describe("fans of unlike sums (wide_ratio)", () => {
  // Six one-off senders pay H unlike sums (1,000 to 2,900: a ratio of 2.9) over days 40-50. H
  // has a life of its own besides: its employer pays it every 30 days from day 0 to day 90.
  const UNLIKE = [1000, 2900, 1700, 2300, 1200, 2600];
  const salary: Row[] = [0, 30, 60, 90].map((d): Row => ["EMP", "H", d, 3000]);
  const unlikeIn = (amounts: number[] = UNLIKE): Row[] =>
    byDay([...salary, ...amounts.map((usd, i): Row => [`S${i + 1}`, "H", 40 + 2 * i, usd])]);

  it("fires where the fan is all of the hub's one-off senders and the hub has days of its own besides; says why", () => {
    const { g, findings } = runIn(unlikeIn(), NO_ALIKE);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(subjects(g, f).map(([a]) => a)).toEqual(["H", "S1", "S2", "S3", "S4", "S5", "S6"]);
    expect(f.reasons).toEqual([
      "6 distinct accounts sent money to H within 10 day(s): 6 transactions, 11,700 USD",
      "the amounts run from 1,000 to 2,900 USD, within a ratio of 3 (the rule's fans: 1.5)",
      "outside this fan it has no senders",
      "they are 6 of its 6 one-off senders over that time (wide_member_share 0.9): unlike sums make a fan only where they are nearly all of them",
    ]);
    // It scores 0.8 of what the rule would give the same fan.
    const rule = runIn(unlikeIn(), { ...NO_ALIKE, amount_ratio: 3 }).findings[0] as Finding;
    expect(f.score).toBeCloseTo(0.8 * rule.score, 10);
    expect(runIn(unlikeIn(), { ...NO_ALIKE, wide_ratio: 0 }).findings).toEqual([]);
  });

  it("hard negative: sums further apart than wide_ratio (1,000 to 3,500: no five within 3 of each other)", () => {
    const far = unlikeIn([1000, 3100, 1200, 3300, 1100, 3500]);
    expect(runIn(far, NO_ALIKE).findings).toEqual([]);
    expect(runIn(far, { ...NO_ALIKE, wide_ratio: 3.5 }).findings).toHaveLength(1);
  });

  it("hard negative: one more one-off sender at the time makes the fan under wide_member_share (6 of 7)", () => {
    const rows = byDay([...unlikeIn(), ["C1", "H", 45.5, 9000]]);
    expect(runIn(rows, NO_ALIKE).findings).toEqual([]);
    expect(runIn(rows, { ...NO_ALIKE, wide_member_share: 0.85 }).findings).toHaveLength(1);
  });

  it("short data (under short_history_days besides the fan): the senders must stand out from their own habits", () => {
    // Without the salary, H is seen only over the fan's own 10 days: no usual to burst against.
    // Senders whose payment to H is what they pay others (businesses paying suppliers) make no
    // fan; senders who pay little else (a person's shopping) do.
    const fan = unlikeIn().filter((r) => r[0] !== "EMP");
    const habits = (usd: (i: number) => number): Row[] =>
      UNLIKE.flatMap((_, i): Row[] =>
        [1, 2, 3, 5, 8].map((d): Row => [`S${i + 1}`, `V${i}${d}`, 30 + d, usd(i)]),
      );
    const trade = byDay([...fan, ...habits((i) => UNLIKE[i] as number)]);
    expect(runIn(trade, NO_ALIKE).findings).toEqual([]);
    expect(runIn(trade, { ...NO_ALIKE, standout_share: 0 }).findings).toHaveLength(1);
    // Paying others a tenth of it or less: they stand out (standout_ratio 10); a ninth: not.
    const shopping = byDay([...fan, ...habits((i) => (UNLIKE[i] as number) / 10)]);
    expect(runIn(byDay([...fan, ...habits((i) => (UNLIKE[i] as number) / 9)]), NO_ALIKE).findings).toEqual(
      [],
    );
    const found = runIn(shopping, NO_ALIKE).findings;
    expect(found.map((f) => f.reasons.at(-1))).toEqual([
      "H was seen only 0.0 day(s) besides the fan, too few to know its usual (short_history_days 20): 6 of the 6 senders paid it at least 10 times the median of their other payments, or had none",
    ]);
    // Three of six is enough (standout_share 0.4); two of six is not.
    const mixed = (n: number) =>
      byDay([...fan, ...habits((i) => (i < n ? (UNLIKE[i] as number) / 10 : (UNLIKE[i] as number)))]);
    expect(runIn(mixed(3), NO_ALIKE).findings).toHaveLength(1);
    expect(runIn(mixed(2), NO_ALIKE).findings).toEqual([]);
    // Seen 20 days besides the fan (a payment of its own on day 20; the fan is days 40-50): the
    // burst test has its usual, and the senders' habits are not asked.
    const since = (d: number) => byDay([...trade, ["H", "SHOP", d, 90]]);
    expect(runIn(since(21), NO_ALIKE).findings).toEqual([]);
    expect(runIn(since(20), NO_ALIKE).findings).toHaveLength(1);
  });

  it("a fan the rule finds is reported as the rule finds it, not again as one of unlike sums", () => {
    const alike = byDay([...salary, ...FAN_IN.map(([f, t, d, a]): Row => [f, t, d + 30, a])]);
    const findings = runIn(alike, NO_ALIKE).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]?.reasons[1]).toBe("the amounts are alike: 1,900 to 2,100 USD (within a ratio of 1.5)");
  });

  it("fan-out reads unlike sums only from wide_min_counterparties payees (10): nine are how a business buys", () => {
    const pay = (n: number): Row[] =>
      byDay([
        ...[0, 30, 60, 90].map((d): Row => ["EMP", "X", d, 9000]),
        ...Array.from({ length: n }, (_, i): Row => ["X", `R${i + 1}`, 40 + i, 1000 + 200 * i]),
      ]);
    expect(runOut(pay(9)).findings).toEqual([]);
    const ten = runOut(pay(10)).findings;
    expect(ten).toHaveLength(1);
    expect(ten[0]?.subjects).toHaveLength(11);
    expect(runOut(pay(9), { wide_min_counterparties: 9 }).findings).toHaveLength(1);
  });
});

describe("fan-out", () => {
  it("fires on five one-off recipients of alike amounts: hub, beneficiaries, edges, window, total", () => {
    const { g, findings } = runOut(FAN_OUT);
    expect(findings).toHaveLength(1);
    const f = findings[0] as Finding;
    expect(f.typology).toBe("fan-out");
    expect(subjects(g, f)).toEqual([
      ["X", "hub"],
      ["R1", "beneficiary"],
      ["R2", "beneficiary"],
      ["R3", "beneficiary"],
      ["R4", "beneficiary"],
      ["R5", "beneficiary"],
    ]);
    expect(f.edges).toEqual([0, 1, 2, 3, 4]);
    expect(f.window).toEqual({ from: 20 * DAY, to: 22 * DAY });
    expect(f.amountUsd).toBe(7600);
    expect(f.reasons).toEqual([
      "5 distinct accounts received money from X within 2 day(s): 5 transactions, 7,600 USD",
      "the amounts are alike: 1,450 to 1,600 USD (within a ratio of 1.5)",
      "outside this fan it has no recipients",
      "they are 5 of its 5 one-off recipients over that time (min_member_share 0.7)",
    ]);
  });

  it("hard negative: a payroll paying the same eight employees every two weeks for six months", () => {
    const rows: Row[] = [];
    for (let run = 0; run < 13; run++) {
      for (let e = 1; e <= 8; e++) rows.push(["P", `E${e}`, run * 14, 2000]);
    }
    expect(runOut(rows).findings).toEqual([]);
    // Its first pay run alone is a batch paid in one go (min_span_hours), and no fan-out either.
    const firstRun = rows.filter((r) => r[2] === 0);
    expect(runOut(firstRun).findings).toEqual([]);
    // Were batches allowed, the first run would be a fan-out: it is the repeats that make the
    // employees relationships and keep the whole payroll silent even then.
    expect(runOut(rows, { min_span_hours: 0 }).findings).toEqual([]);
    const { g, findings } = runOut(firstRun, { min_span_hours: 0 });
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding)[0]).toEqual(["P", "hub"]);
    expect(findings[0]?.subjects).toHaveLength(9);
    expect(findings[0]?.amountUsd).toBe(16_000);
    expect(findings[0]?.reasons[0]).toBe(
      "8 distinct accounts received money from P within 1 day(s): 8 transactions, 16,000 USD",
    );
  });

  it("hard negative: a month's payroll seen once (an ACH batch on pay day), with a cheque days before", () => {
    const ACH = Channel.options.indexOf("ach");
    const CHEQUE = Channel.options.indexOf("check");
    // A data set shorter than two pay periods shows each employee paid once: one-offs, alike, a
    // material sum, and spread over more than a day by the cheque.
    const rows: Row[] = [
      ["P", "C1", 27, 2600, CHEQUE],
      ...[1, 2, 3, 4, 5].map((e): Row => ["P", `E${e}`, 30, 2400 + 50 * e, ACH]),
    ];
    expect(runOut(rows).findings).toEqual([]);
    // Without the batch rule it would be a fan-out of six.
    const { findings } = runOut(rows, { batch_payees: 0 });
    expect(findings.map((f) => f.subjects.length)).toEqual([7]);
    // The same ACH payments one a day are no batch: a fan-out.
    const spread = rows.map((r, i): Row => [r[0], r[1], 25 + i, r[3], r[4] as number]);
    expect(runOut(spread).findings).toHaveLength(1);
  });

  it("ACH payments to several accounts on days running (16 payees over 4 days) are a fan-out, not payroll runs", () => {
    // The alert contract's example: 16 distinct accounts paid by one account within 4 days. Four a
    // day by ACH each day: payroll is paid on one pay day, not on four running.
    const ACH = Channel.options.indexOf("ach");
    const rows: Row[] = Array.from(
      { length: 16 },
      (_, i): Row => ["X", `R${i + 1}`, 20 + Math.floor(i / 4) + (i % 4) * 0.1, 2000 + 50 * i, ACH],
    );
    const { findings } = runOut(rows);
    expect(findings.map((f) => f.subjects.length)).toEqual([17]);
    // Two such days a week apart are two pay days: batches.
    const weekly = rows
      .filter((r) => r[2] < 22)
      .map((r): Row => [r[0], r[1], r[2] < 21 ? 20 : 27, r[3], r[4] as number]);
    expect(runOut(weekly).findings).toEqual([]);
  });

  it("bills paid by direct debit on one day are no ACH batch: a fan-out payment by ACH that day still counts", () => {
    const ACHC = Channel.options.indexOf("ach");
    // X pays five strangers about 3,150 each over days 1..21, the second by ACH on day 6, the
    // day its three utilities (MCC 4900) take their bills by ACH too.
    const bills = ["U1", "U2", "U3"].map((u): DetailedRow => ["X", u, 6, 90, ACHC, { mcc: "4900" }]);
    const fan: DetailedRow[] = [1, 6, 11, 16, 21].map(
      (d, i): DetailedRow => ["X", `R${i + 1}`, d + 0.5, 3150 + i * 20, d === 6 ? ACHC : WIRE],
    );
    const found = runOn(fanOut, ledger([...bills, ...fan]));
    expect(found).toHaveLength(1);
    expect(found[0]?.subjects).toHaveLength(6);
    // The same three payments to people (no merchant category) are a batch that day, and the
    // fan loses its member paid in it.
    const people = bills.map((r): DetailedRow => [r[0], r[1], r[2], r[3], r[4]]);
    expect(runOn(fanOut, ledger([...people, ...fan]))).toEqual([]);
  });

  it("hard negative: recipients that are hubs (merchants each receiving from more than max_counterparty_degree)", () => {
    // X pays six merchants 2,000 each on days 30–32; each merchant also has four customers of its
    // own (days 0–23), so five distinct payers each.
    const customers: Row[] = [];
    for (let m = 1; m <= 6; m++) {
      for (let c = 1; c <= 4; c++) customers.push([`C${m}${c}`, `M${m}`, (m - 1) * 4 + c - 1, 50]);
    }
    const fan: Row[] = [1, 2, 3, 4, 5, 6].map((m): Row => ["X", `M${m}`, 30 + Math.floor((m - 1) / 2), 2000]);
    const rows = [...customers, ...fan];
    expect(runOut(rows, { max_counterparty_degree: 4 }).findings).toEqual([]);
    const { g, findings } = runOut(rows, { max_counterparty_degree: 5 });
    expect(findings).toHaveLength(1);
    expect(subjects(g, findings[0] as Finding)[0]).toEqual(["X", "hub"]);
    expect(findings[0]?.edges).toEqual([24, 25, 26, 27, 28, 29]);
    // With the default (50), the merchants are ordinary recipients.
    expect(runOut(rows).findings).toHaveLength(1);
  });

  it("hard negative: five alike payments among many one-off payees of unlike sums at the time (min_member_share)", () => {
    const others: Row[] = [300, 800, 4800, 9000, 20_000].map(
      (usd, i): Row => ["X", `P${i + 1}`, 20.2 + i * 0.4, usd],
    );
    expect(runOut(byDay([...FAN_OUT, ...others])).findings).toEqual([]);
    expect(runOut(byDay([...FAN_OUT, ...others]), { min_member_share: 0 }).findings).toHaveLength(1);
  });

  it("hard negative: below min_total_usd, and too unlike", () => {
    expect(runOut(FAN_OUT, { min_total_usd: 7600.01 }).findings).toEqual([]);
    expect(runOut(FAN_OUT, { min_total_usd: 7600 }).findings).toHaveLength(1);
    const unlike: Row[] = [500, 1000, 2000, 4000, 8000].map((a, i): Row => ["X", `R${i + 1}`, 20 + i, a]);
    expect(runOut(unlike).findings).toEqual([]);
  });
});

describe("runDetectors", () => {
  const DETECTORS = [fanIn, fanOut, structuring] as unknown as Detector[];

  it("incremental: a new payment of the fan finds it as a full run does; a new one the other way does not", () => {
    const rows: Row[] = [...FAN_IN, ["H", "Z", 15, 500]];
    const data = dataOf(rows);
    const params = fanIn.params.parse({});
    const full = fanIn.run(data, params);
    expect(full).toHaveLength(1);
    const focused = (row: number) => {
      const newEdge = new Uint8Array(rows.length);
      newEdge[row] = 1;
      return fanIn.run({ ...data, focus: focusOn(data.graph, newEdge, 100) }, params);
    };
    // S3 → H is new: the fan is looked at, and found whole.
    expect(focused(2)).toEqual(full);
    // H → Z is new: H is at a new payment, but not on its fan-in side.
    expect(focused(rows.length - 1)).toEqual([]);
  });

  it("a detector whose fields are missing is not evaluable: the missing fields, no findings, not run", () => {
    const graph = graphOf(FAN_IN);
    const available = new Set<DetectionField>(DETECTION_FIELDS.filter((f) => f !== "from_account"));
    const outcomes = runDetectors({ graph, available }, DETECTORS);
    expect(outcomes.map((o) => [o.detector, o.status, o.missing, o.findings.length])).toEqual([
      ["fan-in@2", "not-evaluable", ["from_account"], 0],
      ["fan-out@2", "not-evaluable", ["from_account"], 0],
      ["structuring@2", "ok", [], 0],
    ]);
    // With every field, the fan is found.
    const all = runDetectors({ graph, available: new Set(DETECTION_FIELDS) }, DETECTORS);
    expect(all.map((o) => [o.status, o.findings.length])).toEqual([
      ["ok", 1],
      ["ok", 0],
      ["ok", 0],
    ]);
  });

  it("lists every missing field, in the detector's order", () => {
    const available = new Set<DetectionField>(["ts", "amount_usd"]);
    const outcomes = runDetectors({ graph: graphOf(FAN_IN), available }, DETECTORS);
    expect(outcomes.map((o) => o.missing)).toEqual([
      ["from_account", "to_account"],
      ["from_account", "to_account"],
      ["channel"],
    ]);
    expect(outcomes.every((o) => o.status === "not-evaluable" && o.findings.length === 0)).toBe(true);
  });

  it("runs with the given parameters over the defaults, and reports them", () => {
    const data = dataOf(FAN_IN);
    const [outcome] = runDetectors(
      data,
      [fanIn] as unknown as Detector[],
      new Map([["fan-in", { min_total_usd: 12_001, alike_min_total_usd: 12_001 }]]),
    );
    expect(outcome?.status).toBe("ok");
    expect(outcome?.findings).toEqual([]);
    expect(outcome?.params).toMatchObject({ min_total_usd: 12_001, min_counterparties: 5, window_days: 30 });
    const [defaults] = runDetectors(data, [fanIn] as unknown as Detector[]);
    expect(defaults?.params).toMatchObject({ min_total_usd: 5000 });
    expect(defaults?.findings).toHaveLength(1);
    expect(() =>
      runDetectors(data, [fanIn] as unknown as Detector[], new Map([["fan-in", { amount_ratio: 1 }]])),
    ).toThrow();
  });
});

describe("achBatchDays", () => {
  const ACH = Channel.options.indexOf("ach");
  const WIRE_CH = Channel.options.indexOf("wire");
  /** The rule read plainly: per day, the distinct ACH payees (no cash, no purchase); days apart. */
  function plain(g: MoneyGraph, a: number, least: number, isPurchase: (e: number) => boolean): number[] {
    const byDay = new Map<number, Set<number>>();
    for (let k = g.outStart[a] as number; k < (g.outStart[a + 1] as number); k++) {
      const e = g.outEdges[k] as number;
      if (g.channel[e] !== ACH || (g.to[e] as number) < 0 || isPurchase(e)) continue;
      const day = Math.floor((g.time[e] as number) / DAY);
      byDay.set(day, (byDay.get(day) ?? new Set()).add(g.to[e] as number));
    }
    const runs = [...byDay].filter(([, s]) => s.size >= least).map(([d]) => d);
    return runs
      .filter((d) => runs.filter((x) => x !== d && Math.abs(x - d) <= 3).length < 2)
      .sort((x, y) => x - y);
  }

  it("gives the days a plain count of distinct ACH payees per day gives, with the count table left clear", () => {
    // P pays a payroll of 4 on days 1 and 15 (one payee twice on day 1), 2 on day 8, 3 by wire on
    // day 22, 3 on days 30, 31 and 32 (too close together), and cash and purchases on day 40.
    const rows: Row[] = [];
    const pay = (day: number, payees: string[], channel = ACH) => {
      for (const [i, p] of payees.entries()) rows.push(["P", p, day + i / 100, 500, channel]);
    };
    pay(1, ["W1", "W2", "W2", "W3", "W4"]);
    pay(8, ["W1", "W2"]);
    pay(15, ["W1", "W2", "W3", "W4"]);
    pay(22, ["W1", "W2", "W3"], WIRE_CH);
    for (const day of [30, 31, 32]) pay(day, ["X1", "X2", "X3"]);
    pay(40, ["", "", "", "S1", "S2", "S3"]);
    const g = graphOf([...rows].sort((x, y) => x[2] - y[2]));
    const p = g.accounts.indexOf("P");
    const shops = new Set(["S1", "S2", "S3"].map((s) => g.accounts.indexOf(s)));
    const isPurchase = (e: number) => shops.has(g.to[e] as number);
    const lo = g.outStart[p] as number;
    const hi = g.outStart[p + 1] as number;
    for (const least of [1, 2, 3, 4, 5]) {
      const days = achBatchDays(g, g.outEdges, lo, hi, least, isPurchase);
      expect([...(days ?? [])].sort((x, y) => x - y)).toEqual(plain(g, p, least, isPurchase));
    }
    expect([...(achBatchDays(g, g.outEdges, lo, hi, 3, isPurchase) ?? [])].sort((x, y) => x - y)).toEqual([
      1, 15,
    ]);
    expect(achBatchDays(g, g.outEdges, lo, hi, 0, isPurchase)).toBeNull();
    // Asked again, the same: the table of counts it marks payees in was left clear.
    expect([...(achBatchDays(g, g.outEdges, lo, hi, 4, isPurchase) ?? [])].sort((x, y) => x - y)).toEqual([
      1, 15,
    ]);
  });
});
