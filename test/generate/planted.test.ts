import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../../src/generate/generate.js";
import { DEFAULT_OPTIONS } from "../../src/generate/world.js";
import { GRAPH_PATTERNS, Typology } from "../../src/model/typology.js";
import { tempDir } from "../helpers.js";
import { type Row, readWorld, type World } from "./world-files.js";

/**
 * Every planted instance has the structure its label claims, read back from the written files
 * (not from the generator's memory), and every hard negative really crosses the simple
 * thresholds it could be mistaken by.
 */

const t = tempDir();
afterAll(t.cleanup);
let world: World;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CTR = 10_000;

/** A small world dense with planted typologies. */
const SMALL = {
  ...DEFAULT_OPTIONS,
  accounts: 3000,
  transactions: 60_000,
  seed: 7,
  days: 60,
  prevalence: 0.02,
};

beforeAll(async () => {
  await generateWorld(t.dir, SMALL);
  world = readWorld(t.dir);
}, 60_000);

function instancesOf(
  typology: string,
): { id: string; variant: string; rows: Row[]; members: Map<string, string> }[] {
  return world.instances
    .filter((i) => i.typology === typology)
    .map((i) => ({
      id: i.instance,
      variant: i.variant,
      rows: world.byInstance.get(i.instance) ?? [],
      members: world.members.get(i.instance) ?? new Map(),
    }));
}

function byRole(members: Map<string, string>, role: string): string[] {
  return [...members].filter(([, r]) => r === role).map(([a]) => a);
}

const sum = (rows: Row[]) => rows.reduce((s, r) => s + r.amount, 0);

describe("planted typologies", () => {
  it("plants every typology, each transaction labelled in both files' lines", () => {
    const planted = new Set(world.instances.map((i) => i.typology));
    expect([...planted].sort()).toEqual([...Typology.options].sort());
    for (const i of world.instances) expect(world.byInstance.get(i.instance)?.length ?? 0).toBeGreaterThan(0);
  });

  it("fans: one hub and 2–16 distinct counterparties, all on the hub's side", () => {
    for (const [typology, side] of [
      ["fan-in", "to"],
      ["fan-out", "from"],
    ] as const) {
      for (const i of instancesOf(typology)) {
        const hubs = new Set(i.rows.map((r) => r[side]));
        expect(hubs.size, i.id).toBe(1);
        const others = new Set(i.rows.map((r) => r[side === "to" ? "from" : "to"]));
        expect(others.size).toBeGreaterThanOrEqual(2);
        expect(others.size).toBeLessThanOrEqual(16);
        expect(byRole(i.members, "hub")).toEqual([...hubs]);
        // One shared sum (AMLSim's), each payment within 3% of it.
        const amounts = i.rows.map((r) => r.amount);
        expect(Math.max(...amounts) / Math.min(...amounts), i.id).toBeLessThanOrEqual(1.03 / 0.97 + 1e-3);
      }
    }
  });

  it("cycles: a temporally ordered simple cycle, each hop keeping at least 80% of the last", () => {
    for (const i of instancesOf("cycle")) {
      const rows = i.rows.slice().sort((a, b) => a.t - b.t);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (let k = 0; k < rows.length; k++) {
        const next = rows[(k + 1) % rows.length] as Row;
        expect((rows[k] as Row).to, i.id).toBe(next.from);
        if (k + 1 < rows.length) {
          expect(next.t).toBeGreaterThan((rows[k] as Row).t);
          expect(next.amount).toBeGreaterThanOrEqual(0.8 * (rows[k] as Row).amount);
        }
      }
      expect(new Set(rows.map((r) => r.from)).size).toBe(rows.length);
    }
  });

  it("scatter-gather and gather-scatter: the first half entirely before the second, most of the money kept", () => {
    for (const i of instancesOf("scatter-gather")) {
      const [source] = byRole(i.members, "originator");
      const scatter = i.rows.filter((r) => r.from === source);
      const gather = i.rows.filter((r) => r.from !== source);
      expect(Math.max(...scatter.map((r) => r.t))).toBeLessThan(Math.min(...gather.map((r) => r.t)));
      for (const m of byRole(i.members, "intermediary")) {
        expect(i.rows.filter((r) => r.to === m)).toHaveLength(1);
        expect(i.rows.filter((r) => r.from === m)).toHaveLength(1);
      }
      const ratio = sum(gather) / sum(scatter);
      expect(ratio).toBeGreaterThanOrEqual(0.8);
      expect(ratio).toBeLessThanOrEqual(1);
    }
    for (const i of instancesOf("gather-scatter")) {
      const [hub] = byRole(i.members, "hub");
      const gathers = i.rows.filter((r) => r.to === hub);
      const scatters = i.rows.filter((r) => r.from === hub);
      expect(gathers.length).toBeGreaterThanOrEqual(3);
      expect(scatters.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...gathers.map((r) => r.t))).toBeLessThan(Math.min(...scatters.map((r) => r.t)));
      const kept = sum(scatters) / sum(gathers);
      expect(kept).toBeGreaterThanOrEqual(0.8);
      expect(kept).toBeLessThanOrEqual(1);
    }
  });

  it("bipartite and stack: dense layers, no money back up a layer", () => {
    for (const i of instancesOf("bipartite")) {
      const left = byRole(i.members, "originator");
      const right = byRole(i.members, "beneficiary");
      expect(i.rows.every((r) => left.includes(r.from ?? "") && right.includes(r.to ?? ""))).toBe(true);
      const edges = new Set(i.rows.map((r) => `${r.from}>${r.to}`));
      expect(edges.size / (left.length * right.length)).toBeGreaterThanOrEqual(0.8);
    }
    for (const i of instancesOf("stack")) {
      const [a, m, b] = ["originator", "intermediary", "beneficiary"].map((role) =>
        byRole(i.members, role),
      ) as [string[], string[], string[]];
      for (const r of i.rows) {
        const down =
          (a.includes(r.from ?? "") && m.includes(r.to ?? "")) ||
          (m.includes(r.from ?? "") && b.includes(r.to ?? ""));
        expect(down, i.id).toBe(true);
      }
    }
  });

  it("graph patterns: every member account pays or receives one of its instance's transactions", () => {
    // A member the planted money never touches is one no detector can find (a random walk need
    // not visit every account drawn for its ring).
    for (const typology of GRAPH_PATTERNS) {
      for (const i of instancesOf(typology)) {
        const touched = new Set(i.rows.flatMap((r) => [r.from, r.to]));
        for (const account of i.members.keys()) expect(touched.has(account), `${i.id} ${account}`).toBe(true);
      }
    }
  });

  it("random forwarding: each hop passes on at least 70% within a week, in time order", () => {
    for (const i of instancesOf("random")) {
      const rows = i.rows.slice().sort((a, b) => a.t - b.t);
      for (let k = 1; k < rows.length; k++) {
        const [prev, cur] = [rows[k - 1] as Row, rows[k] as Row];
        expect(cur.from, i.id).toBe(prev.to);
        expect(cur.amount).toBeGreaterThanOrEqual(0.7 * prev.amount);
        expect(cur.t - prev.t).toBeLessThanOrEqual(7 * DAY);
      }
    }
  });

  it("structuring: every deposit at or under the threshold, the total over it (S6: the $3,000 recordkeeping line)", () => {
    const variants = new Set<string>();
    for (const i of instancesOf("structuring")) {
      variants.add(i.variant);
      const limit = i.variant === "S6" ? 3000 : CTR;
      for (const r of i.rows) expect(r.amount, i.id).toBeLessThanOrEqual(limit);
      expect(sum(i.rows)).toBeGreaterThan(i.variant === "S7" ? 2 * CTR : limit);
      if (i.variant !== "S6") expect(i.rows.every((r) => r.channel === "cash" && r.from === null)).toBe(true);
      if (i.variant === "S1") for (const r of i.rows) expect(r.amount).toBeGreaterThanOrEqual(8000);
      if (i.variant === "S2") {
        expect(new Set(i.rows.map((r) => r.day)).size).toBe(1);
        expect(new Set(i.rows.map((r) => r.branch)).size).toBeGreaterThanOrEqual(2);
      }
      if (i.variant === "S3") expect(new Set(i.rows.map((r) => r.conductor)).size).toBeGreaterThanOrEqual(3);
      if (i.variant === "S4") {
        expect(new Set(i.rows.map((r) => r.conductor)).size).toBe(1);
        expect(new Set(i.rows.map((r) => r.to)).size).toBeGreaterThanOrEqual(3);
      }
      if (i.variant === "S5") expect(i.rows.filter((r) => r.amount >= 9000).length).toBeGreaterThanOrEqual(3);
    }
    expect([...variants].sort()).toEqual(["S1", "S2", "S3", "S4", "S5", "S6", "S7"]);
  });

  it("funnel accounts: five or more cash deposits away from home, most of it out again within 48 hours", () => {
    for (const i of instancesOf("funnel-account")) {
      const [hub] = byRole(i.members, "hub");
      const deposits = i.rows.filter((r) => r.to === hub && r.channel === "cash");
      const outs = i.rows.filter((r) => r.from === hub);
      expect(deposits.length).toBeGreaterThanOrEqual(5);
      expect(deposits.every((d) => d.amount <= CTR)).toBe(true);
      expect(new Set(deposits.map((d) => d.state)).size).toBeGreaterThanOrEqual(2);
      const quick = outs.filter((o) => deposits.some((d) => o.t >= d.t && o.t - d.t <= 48 * HOUR));
      expect(sum(quick) / sum(deposits)).toBeGreaterThanOrEqual(0.7);
      // Each withdrawal takes most of a deposit made before it (never of one still to come).
      for (const o of outs)
        expect(
          deposits.some((d) => d.t < o.t && o.t - d.t <= 48 * HOUR && o.amount <= 0.97 * d.amount + 0.01),
          `${i.id} ${o.id}`,
        ).toBe(true);
    }
  });

  it("pass-through: every credit leaves within 48 hours keeping 80% or more", () => {
    for (const i of instancesOf("pass-through")) {
      const [through] = byRole(i.members, "intermediary");
      const ins = i.rows.filter((r) => r.to === through);
      for (const credit of ins) {
        const out = i.rows.find(
          (r) =>
            r.from === through &&
            r.t >= credit.t &&
            r.t - credit.t <= 48 * HOUR &&
            r.amount >= 0.8 * credit.amount,
        );
        expect(out, i.id).toBeDefined();
      }
    }
  });

  it("trafficking: controller fan-in week after week, skimmed wages, lodging and ads, living costs", () => {
    for (const i of instancesOf("ht-controller")) {
      const [hub] = byRole(i.members, "hub");
      const victims = byRole(i.members, "originator");
      expect(victims.length).toBeGreaterThanOrEqual(3);
      for (const v of victims) {
        const weekly = i.rows.filter((r) => r.from === v && r.to === hub).sort((a, b) => a.t - b.t);
        expect(weekly.length).toBeGreaterThanOrEqual(4);
        for (let k = 1; k < weekly.length; k++)
          expect((weekly[k] as Row).t - (weekly[k - 1] as Row).t).toBeGreaterThan(5 * DAY);
      }
      const cashCities = new Set(
        i.rows.filter((r) => r.to === hub && r.channel === "cash").map((r) => r.city),
      );
      expect(cashCities.size).toBeGreaterThanOrEqual(3);
    }
    for (const i of instancesOf("ht-wage-skim")) {
      const [controller] = byRole(i.members, "beneficiary");
      for (const pay of i.rows.filter((r) => r.channel === "ach")) {
        const skim = i.rows.find(
          (r) => r.from === pay.to && r.to === controller && r.t - pay.t <= 48 * HOUR && r.t >= pay.t,
        );
        expect(skim && skim.amount >= 0.8 * pay.amount, i.id).toBe(true);
      }
    }
    for (const i of instancesOf("ht-lodging-ads")) {
      const lodging = i.rows.filter((r) => r.mcc === "7011");
      const perDay = new Map<string, number>();
      for (const r of lodging) perDay.set(r.day, (perDay.get(r.day) ?? 0) + 1);
      expect(Math.max(...perDay.values())).toBeGreaterThanOrEqual(2);
      expect(lodging.length).toBeGreaterThanOrEqual(8);
      expect(new Set(lodging.map((r) => r.to)).size).toBeGreaterThanOrEqual(3);
      expect(i.rows.filter((r) => r.mcc === "7311").length).toBeGreaterThanOrEqual(4);
    }
    for (const i of instancesOf("ht-living-costs")) {
      if (i.variant.startsWith("F12"))
        expect(i.rows.filter((r) => r.channel === "card").length).toBeGreaterThanOrEqual(10);
      else {
        const [hub] = byRole(i.members, "hub");
        expect(i.rows.some((r) => r.from === hub && (r.mcc === "5411" || r.mcc === "5812"))).toBe(false);
        expect(i.rows.filter((r) => r.to === hub).length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it("smuggling: many states to one border account under $3,000 each; cash out abroad within days", () => {
    for (const i of instancesOf("hs-border-funnel")) {
      expect(i.rows.every((r) => r.amount < 3000)).toBe(true);
      expect(i.rows.length).toBeGreaterThanOrEqual(5);
      const senders = new Set(i.rows.map((r) => r.from ?? r.conductor));
      expect(senders.size).toBeGreaterThanOrEqual(5);
    }
    for (const i of instancesOf("hs-cash-to-wire")) {
      const [hub] = byRole(i.members, "hub");
      const cash = i.rows.filter((r) => r.to === hub && r.channel === "cash");
      const abroad = i.rows.filter((r) => r.from === hub && r.counterpartyCountry !== "");
      expect(sum(abroad) / sum(cash)).toBeGreaterThanOrEqual(0.7);
      // Every wire abroad after the last deposit, by the end of the fifth day after it (HS14-5).
      const lastCash = Math.max(...cash.map((r) => r.t));
      for (const r of abroad) {
        expect(r.t, i.id).toBeGreaterThan(lastCash);
        expect(Math.floor(r.t / DAY) - Math.floor(lastCash / DAY), i.id).toBeLessThanOrEqual(5);
      }
    }
  });

  it("graph patterns span several banks and currencies", () => {
    for (const typology of GRAPH_PATTERNS) {
      const banks = new Set(
        instancesOf(typology).flatMap((i) => [...i.members.keys()].map((a) => a.split(":")[0])),
      );
      expect(banks.size, typology).toBeGreaterThanOrEqual(2);
    }
    const received = new Set(
      GRAPH_PATTERNS.flatMap((typology) =>
        instancesOf(typology).flatMap((i) => i.rows.map((r) => r.received)),
      ),
    );
    received.delete("");
    expect(received.size).toBeGreaterThanOrEqual(2);
  });
});

describe("hard negatives", () => {
  /** Distinct counterparties of an account on one side, in the busiest 30-day window. */
  function counterparties30d(account: string, side: "in" | "out"): number {
    const rows = world.rows
      .filter((r) => (side === "in" ? r.to === account : r.from === account))
      .sort((a, b) => a.t - b.t);
    let best = 0;
    for (let k = 0; k < rows.length; k++) {
      const start = (rows[k] as Row).t;
      const inWindow = rows.filter((r) => r.t >= start && r.t < start + 30 * DAY);
      best = Math.max(best, new Set(inWindow.map((r) => (side === "in" ? r.from : r.to))).size);
      if (best >= 50) break;
    }
    return best;
  }

  it("are labelled, of every kind", () => {
    const kinds = new Set(world.hardNegatives.map((h) => h.kind));
    for (const k of [
      "payroll-processor",
      "busy-merchant",
      "rent-collector",
      "remittance-sender",
      "cash-business",
      "same-day-business",
    ]) {
      expect(kinds.has(k), k).toBe(true);
    }
  });

  it("cross the thresholds they resemble: fans of five or more, cash near $10,000, money home abroad, same-day in and out", () => {
    for (const h of world.hardNegatives) {
      if (h.kind === "busy-merchant" || h.kind === "rent-collector")
        expect(counterparties30d(h.account, "in"), h.account).toBeGreaterThanOrEqual(5);
      if (h.kind === "payroll-processor")
        expect(counterparties30d(h.account, "out"), h.account).toBeGreaterThanOrEqual(5);
      if (h.kind === "cash-business") {
        const deposits = world.rows.filter((r) => r.to === h.account && r.channel === "cash");
        expect(
          deposits.some((d) => d.amount >= 8000),
          h.account,
        ).toBe(true);
      }
      if (h.kind === "remittance-sender") {
        expect(
          world.rows.some(
            (r) =>
              r.from === h.account &&
              r.counterpartyCountry !== "" &&
              (r.channel === "msb" || r.channel === "wire"),
          ),
        ).toBe(true);
      }
    }
    const sameDay = world.hardNegatives.filter((h) => h.kind === "same-day-business");
    const passing = sameDay.filter((h) => {
      const ins = world.rows.filter((r) => r.to === h.account);
      return ins.some((credit) =>
        world.rows.some(
          (r) =>
            r.from === h.account &&
            r.day === credit.day &&
            r.t >= credit.t &&
            r.amount >= 0.8 * credit.amount,
        ),
      );
    });
    expect(passing.length).toBeGreaterThan(0);
  });
});

describe("fans of unlike sums (--fan-spread)", () => {
  const u = tempDir();
  afterAll(u.cleanup);

  it("each member pays its own sum, within the ratio of the others, and some fans spread wide", async () => {
    await generateWorld(u.dir, { ...SMALL, fanSpread: 3 });
    const spread = readWorld(u.dir);
    const ratios = spread.instances
      .filter((i) => i.typology === "fan-in" || i.typology === "fan-out")
      .map((i) => {
        const amounts = (spread.byInstance.get(i.instance) ?? []).map((r) => r.amount);
        return Math.max(...amounts) / Math.min(...amounts);
      });
    expect(ratios.length).toBeGreaterThan(5);
    for (const r of ratios) expect(r).toBeLessThanOrEqual(3 * 1.001);
    expect(ratios.filter((r) => r > 1.5).length).toBeGreaterThan(ratios.length / 2);
  }, 60_000);
});
