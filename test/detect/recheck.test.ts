import { describe, expect, it } from "vitest";
import { recheckAlerts } from "../../src/detect/recheck.js";
import type { AlertRecord } from "../../src/model/analysis.js";
import type { StoredAlert } from "../../src/store/store.js";
import { graphOf, type Row } from "../graph/graph-of.js";

const FILE = "f".repeat(64);

/** A stored alert of `typology` about `accounts`, citing the rows `edges` (row i on line i + 2). */
function stored(id: string, typology: string, accounts: string[], edges: number[]): StoredAlert {
  const record = {
    id,
    typology,
    subjects: accounts.map((account) => ({ account, role: "member" })),
    sources: edges.map((e) => ({ file: FILE, line: e + 2 })),
  } as unknown as AlertRecord;
  return { record, primaryAccount: accounts[0] as string };
}

describe("recheckAlerts", () => {
  // 0–2: a pattern about H; 3: a payment between others; 4: the new payment, to H from elsewhere.
  const rows: Row[] = [
    ["A", "H", 1, 3000],
    ["B", "H", 2, 3000],
    ["C", "H", 3, 3000],
    ["D", "E", 4, 50],
    ["X", "H", 9, 20],
  ];
  const g = graphOf(rows);
  const addedAt = Int32Array.from([4]);

  it("marks the payments of an alert naming an account with a new transaction, as well as the new ones", () => {
    const r = recheckAlerts(
      g,
      addedAt,
      [stored("alr_h", "fan-in", ["H", "A", "B", "C"], [0, 1, 2])],
      new Set(["fan-in"]),
    );
    expect([...r.flags]).toEqual([1, 1, 1, 0, 1]);
    // The same edges as a list, ascending (the focus's new edges, without a scan of the flags).
    expect([...r.edges]).toEqual([0, 1, 2, 4]);
    expect([...r.alerts]).toEqual(["alr_h"]);
    // The run's list of what is new stays as it was.
    expect([...addedAt]).toEqual([4]);
  });

  it("lists the new edges and the marked payments in one ascending list, wherever the marks fall", () => {
    // New payments 1 and 4 (to H); the alert about H cites 0, 2 and 3 (3: D to H, its fourth payer).
    const h = graphOf([
      ["A", "H", 1, 3000],
      ["X", "H", 2, 20],
      ["B", "H", 3, 3000],
      ["D", "H", 4, 3000],
      ["Y", "H", 9, 20],
    ]);
    const r = recheckAlerts(
      h,
      Int32Array.from([1, 4]),
      [stored("alr_h", "fan-in", ["H", "A", "B", "D"], [0, 2, 3])],
      new Set(["fan-in"]),
    );
    expect([...r.flags]).toEqual([1, 1, 1, 1, 1]);
    expect([...r.edges]).toEqual([0, 1, 2, 3, 4]);
  });

  it("leaves alerts about other accounts, and of typologies the run does not look for incrementally", () => {
    const others = stored("alr_de", "pass-through", ["D", "E"], [3]);
    const h = stored("alr_h", "fan-in", ["H", "A", "B", "C"], [0, 1, 2]);
    const r = recheckAlerts(g, addedAt, [others, h], new Set(["pass-through"]));
    expect([...r.flags]).toEqual([0, 0, 0, 0, 1]);
    expect([...r.edges]).toEqual([4]);
    expect(r.alerts.size).toBe(0);
  });

  it("marks nothing but the new edges when there is no new transaction between accounts", () => {
    const cash = graphOf([["H", "", 1, 9000], ...rows.slice(0, 3)]);
    const r = recheckAlerts(
      cash,
      new Int32Array(0),
      [stored("alr_h", "fan-in", ["H"], [1, 2, 3])],
      new Set(["fan-in"]),
    );
    expect([...r.flags]).toEqual([0, 0, 0, 0]);
    expect([...r.edges]).toEqual([]);
    expect(r.alerts.size).toBe(0);
  });
});
