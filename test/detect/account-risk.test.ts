import { describe, expect, it } from "vitest";
import { accountRisk, advisoriesOf } from "../../src/detect/account-risk.js";
import { DETECTORS } from "../../src/detect/detectors/index.js";
import type { AlertRecord } from "../../src/model/analysis.js";

/** An alert record with what risk reads: typology, detectors, subjects (the first is primary), score. */
function alert(
  id: string,
  typology: string,
  detector: string,
  subjects: [string, string][],
  score: number,
): AlertRecord {
  return {
    id: `alr_${id}`,
    typology,
    score,
    severity: "medium",
    status: "new",
    detectors: [detector],
    subjects: subjects.map(([account, role]) => ({ account, role }) as AlertRecord["subjects"][number]),
    transactions: [],
    sources: [],
    window: { from: "2022-09-01T00:00:00Z", to: "2022-09-02T00:00:00Z" },
    amount_usd: 1000,
    reasons: [],
    params: {},
    sar_activities: typology === "structuring" ? ["114"] : [],
    pack: "default@1",
  };
}

describe("account risk", () => {
  it("combines an account's alerts (1 − Π(1 − s)) and says why: alerts, detectors, advisories", () => {
    const rows = accountRisk(
      [
        alert("1", "funnel-account", "funnel-account@1", [["F", "hub"]], 0.6),
        alert("2", "structuring", "structuring@2", [["F", "member"]], 0.5),
        alert(
          "3",
          "fan-in",
          "fan-in@1",
          [
            ["H", "hub"],
            ["F", "originator"],
          ],
          0.8,
        ),
      ],
      DETECTORS,
    );
    const f = rows.find((r) => r.account === "F");
    // Two alerts about F itself and one naming it as a payer, at half weight.
    expect(f?.score).toBeCloseTo(1 - 0.4 * 0.5 * 0.6, 3);
    expect(f?.alerts).toEqual(["alr_1", "alr_2", "alr_3"]);
    expect(f?.detectors).toEqual(["fan-in@1", "funnel-account@1", "structuring@2"]);
    expect(f?.advisories).toEqual(
      expect.arrayContaining(["FIN-2014-A005", "FIN-2020-A008", "31 CFR 1010.311"]),
    );
    expect(f?.sarActivities).toEqual(["114"]);
    expect(f?.explanation).toMatch(
      /^3 alerts \(fan-in, funnel-account, structuring\) from 3 detectors, citing \d+ advisories or regulations \(/,
    );
    expect(f?.explanation).toMatch(/in 1 of them as a counterparty, counted at half weight$/);
    // F ranks first: more independent evidence than H's single alert.
    expect(rows.map((r) => r.account)).toEqual(["F", "H"]);
    expect(rows[1]?.score).toBe(0.8);
  });

  it("counts an account named twice in one alert once", () => {
    const [row] = accountRisk(
      [
        alert(
          "1",
          "cycle",
          "cycle@1",
          [
            ["A", "member"],
            ["A", "member"],
          ],
          0.5,
        ),
      ],
      DETECTORS,
    );
    expect([row?.score, row?.alerts]).toEqual([0.5, ["alr_1"]]);
  });

  it("by entity: pools an entity's accounts, an alert naming two of them counted once", () => {
    const entityOf = new Map([
      ["A1", "E1"],
      ["A2", "E1"],
    ]);
    const alerts = [
      // A1 pays into H's fan (a counterparty: half weight); A2 is the hub of a fan of its own.
      alert(
        "1",
        "fan-in",
        "fan-in@1",
        [
          ["H", "hub"],
          ["A1", "originator"],
        ],
        0.8,
      ),
      alert("2", "fan-out", "fan-out@1", [["A2", "hub"]], 0.5),
      // Both of the entity's accounts in one cycle: one alert for the entity, not two.
      alert(
        "3",
        "cycle",
        "cycle@1",
        [
          ["A1", "member"],
          ["A2", "member"],
          ["X", "member"],
        ],
        0.5,
      ),
    ];
    const byEntity = accountRisk(alerts, DETECTORS, (a) => entityOf.get(a) ?? a);
    const e1 = byEntity.find((r) => r.account === "E1");
    expect(e1?.accounts).toEqual(["A1", "A2"]);
    expect(e1?.alerts).toEqual(["alr_1", "alr_2", "alr_3"]);
    expect(e1?.score).toBeCloseTo(1 - 0.6 * 0.5 * 0.5, 3);
    expect(byEntity.map((r) => r.account).sort()).toEqual(["E1", "H", "X"]);
    // By account, the same alerts are spread over A1 and A2, and neither ranks as high.
    const byAccount = accountRisk(alerts, DETECTORS);
    expect(byAccount.find((r) => r.account === "A1")?.score).toBeCloseTo(1 - 0.6 * 0.5, 3);
    expect(byAccount.find((r) => r.account === "A1")?.accounts).toBeUndefined();
  });

  it("reads advisories and regulations out of a detector's basis", () => {
    expect(
      advisoriesOf(
        "FATF–APG Financial Flows from Human Trafficking 2018 (FATF-10, FATF-5); FinCEN FIN-2020-A008 (F12(a)); FinCEN FIN-2023-Alert001 (HS23-1); 31 CFR 1010.311, 1010.313",
      ),
    ).toEqual([
      "FATF–APG Financial Flows from Human Trafficking 2018",
      "FIN-2020-A008",
      "FIN-2023-Alert001",
      "31 CFR 1010.311",
    ]);
    expect(advisoriesOf("AMLSim and AMLworld CYCLE (typologies.md §3.1–§3.3)")).toEqual([]);
  });
});
