import { describe, expect, it } from "vitest";
import type { Detector } from "../../src/detect/detector.js";
import { htController } from "../../src/detect/detectors/ht-controller.js";
import { runDetectors } from "../../src/detect/run-detectors.js";
import {
  ACH,
  CARD,
  CASH,
  type DetailedRow,
  edgesOf,
  expectIncrementalAsFull,
  ledger,
  onAmlworldFields,
  P2P,
  runOn,
  subjectsOf,
} from "./ht-rows.js";

/** Each payer hands C about 500 every 7 days (hour by hour apart), `weeks` times from day 3. */
function handovers(payers: string[], weeks = 5, gap = (w: number) => 7 * w): DetailedRow[] {
  return payers.flatMap((v, i) =>
    Array.from({ length: weeks }, (_, w) => [v, "C", 3 + gap(w) + i / 24, 500 + 10 * i, P2P] as DetailedRow),
  );
}

/** The payers' own ordinary spending: groceries once a week. */
const groceries = (payers: string[]): DetailedRow[] =>
  payers.flatMap((v) =>
    [0, 8, 16, 24, 32].map((d) => [v, "MART", d + 0.5, 60, CARD, { mcc: "5411" }] as DetailedRow),
  );

describe("ht-controller: fires on victims paying a controller week after week", () => {
  it("three weekly payers, with cash deposits in three cities and motel and ad spending", () => {
    const rows: DetailedRow[] = [
      ...handovers(["V1", "V2", "V3"]),
      ...groceries(["V1", "V2", "V3"]),
      ["", "C", 6, 900, CASH, { city: "Reno", conductor: "P1" }],
      ["", "C", 12, 800, CASH, { city: "Fresno", conductor: "P2" }],
      ["", "C", 20, 700, CASH, { city: "Boise", conductor: "P1" }],
      ["C", "MOTEL", 7, 90, CARD, { mcc: "7011" }],
      ["C", "MOTEL", 14, 90, CARD, { mcc: "7011" }],
      ["C", "ADS", 15, 40, CARD, { mcc: "7311" }],
    ];
    const l = ledger(rows);
    const findings = runOn(htController, l);
    expect(findings).toHaveLength(1);
    const f = findings[0] as (typeof findings)[number];
    expect(subjectsOf(l, f)).toEqual([
      ["C", "hub"],
      ["V1", "originator"],
      ["V2", "originator"],
      ["V3", "originator"],
    ]);
    // The 15 handovers, the 3 cash deposits and the 3 lodging and ad payments.
    expect(f.edges).toHaveLength(21);
    expect(edgesOf(l, f).filter(([from]) => from === "C")).toEqual([
      ["C", "MOTEL", 7],
      ["C", "MOTEL", 14],
      ["C", "ADS", 15],
    ]);
    expect(f.reasons[0]).toMatch(
      /^3 accounts paid C at a steady 7-day cadence for 28\.1 days: 15 payments, 7,650 USD/,
    );
    expect(f.reasons[1]).toMatch(
      /^3 cash deposits into it in 3 different cities \(Boise, Fresno, Reno\), 2,400 USD/,
    );
    expect(f.reasons[2]).toMatch(/^it paid for lodging 2 time\(s\) and online advertising 1 time\(s\)/);
    expect(f.reasons).toHaveLength(3);
    expect(f.score).toBeCloseTo(0.5 + 0.025 + 0.1 + 0.15, 6);
    expect(f.sarActivities).toEqual(["927"]);
  });

  it("payers with no ordinary spending of their own raise the score", () => {
    const l = ledger(handovers(["V1", "V2", "V3"]));
    const [f] = runOn(htController, l);
    expect(f?.reasons[1]).toMatch(/^3 of the payers spend less than 5% .*: V1, V2, V3$/);
    expect(f?.score).toBeCloseTo(0.5 + 0.025 + 0.1, 6);
  });
});

describe("ht-controller: stays silent on ordinary life", () => {
  it("needs min_victims payers and min_payments each", () => {
    expect(runOn(htController, ledger(handovers(["V1", "V2"])))).toEqual([]);
    expect(runOn(htController, ledger(handovers(["V1", "V2"])), { min_victims: 2 })).toHaveLength(1);
    expect(runOn(htController, ledger(handovers(["V1", "V2", "V3"], 3)))).toEqual([]);
    expect(runOn(htController, ledger(handovers(["V1", "V2", "V3"], 4)))).toHaveLength(1);
  });

  it("an irregular series is not a cadence, whatever its mean", () => {
    const irregular = (w: number) => [0, 2, 14, 19, 28][w] as number;
    expect(runOn(htController, ledger(handovers(["V1", "V2", "V3"], 5, irregular)))).toEqual([]);
  });

  it("hard negative: a business's clients paying weekly invoices of whatever the week came to (max_amount_cv)", () => {
    // Three clients pay C every week by ACH: 6,800, 2,100, 10,500, 800, 5,400 (CV about 0.7).
    const invoices = [6800, 2100, 10_500, 800, 5400];
    const rows = ["K1", "K2", "K3"].flatMap((k, i) =>
      invoices.map((usd, w) => [k, "C", 3 + 7 * w + i / 24, usd + 10 * i, ACH] as DetailedRow),
    );
    expect(runOn(htController, ledger(rows))).toEqual([]);
    expect(runOn(htController, ledger(rows), { max_amount_cv: 0 })).toHaveLength(1);
    // Steady sums that vary by a third either way (CV about 0.25) are handovers still.
    const steady = [500, 650, 350, 600, 400];
    const quota = ["V1", "V2", "V3"].flatMap((v, i) =>
      steady.map((usd, w) => [v, "C", 3 + 7 * w + i / 24, usd, P2P] as DetailedRow),
    );
    expect(runOn(htController, ledger(quota))).toHaveLength(1);
  });

  it("a monthly payment (rent) is not the weekly cadence", () => {
    expect(runOn(htController, ledger(handovers(["V1", "V2", "V3"], 4, (w) => 30 * w)))).toEqual([]);
    expect(
      runOn(htController, ledger(handovers(["V1", "V2", "V3"], 4, (w) => 30 * w)), { period_days: 30 }),
    ).toHaveLength(1);
  });

  it("card purchases never count: a shop's weekly regulars", () => {
    const rows = handovers(["V1", "V2", "V3"]).map((r) => [r[0], r[1], r[2], r[3], CARD] as DetailedRow);
    expect(runOn(htController, ledger(rows))).toEqual([]);
  });

  it("wages paid in a batch are not handovers (an employer paying the account holder)", () => {
    // E1…E3 each pay their staff: C and two others, by ACH, every week.
    const rows: DetailedRow[] = ["E1", "E2", "E3"].flatMap((e, i) =>
      [0, 1, 2, 3, 4].flatMap((w) =>
        ["C", `${e}-S1`, `${e}-S2`].map((to) => [e, to, 3 + 7 * w + i / 24, 800, ACH] as DetailedRow),
      ),
    );
    expect(runOn(htController, ledger(rows))).toEqual([]);
    expect(runOn(htController, ledger(rows), { batch_payees: 4 })).toHaveLength(1);
  });

  it("an account paying more than max_payees accounts in the period is a business (a payroll processor)", () => {
    const staff: DetailedRow[] = Array.from(
      { length: 6 },
      (_, i) => ["C", `S${i}`, 10, 700, ACH] as DetailedRow,
    );
    const rows = [...handovers(["V1", "V2", "V3"]), ...staff];
    expect(runOn(htController, ledger(rows), { max_payees: 5 })).toEqual([]);
    expect(runOn(htController, ledger(rows), { max_payees: 6 })).toHaveLength(1);
  });
});

describe("ht-controller: NOT_EVALUABLE", () => {
  it("on data spanning less than a cadence of min_payments payments (three weeks for four weekly), it says so", () => {
    // Three weekly handovers each: the data spans 14 days and a bit.
    const l = ledger(handovers(["V1", "V2", "V3"], 3));
    const [short] = runDetectors(l.data, [htController as unknown as Detector]);
    expect(short).toMatchObject({
      status: "not-evaluable",
      missing: [],
      reason: "the data spans 14.1 days; the rule needs at least 21 with these parameters",
    });
    // Three payments make a cadence when the pack says so (two weeks).
    const [three] = runDetectors(
      l.data,
      [htController as unknown as Detector],
      new Map([["ht-controller", { min_payments: 3 }]]),
    );
    expect([three?.status, three?.findings.length]).toEqual(["ok", 1]);
  });

  it("on AMLworld's fields it is not run, and says what is missing", () => {
    const outcome = onAmlworldFields(
      htController as unknown as Detector,
      ledger(handovers(["V1", "V2", "V3"])),
    );
    expect(outcome).toMatchObject({
      status: "not-evaluable",
      missing: ["mcc", "merchant", "city"],
      findings: [],
    });
  });
});

describe("ht-controller on an incremental run", () => {
  it("finds, with any one payment as the new one, what a full run finds with it", () => {
    expectIncrementalAsFull(htController, ledger(handovers(["V1", "V2", "V3"], 4)));
  });
});
