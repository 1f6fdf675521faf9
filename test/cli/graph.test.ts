import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeFile } from "../helpers.js";

/** `moneytrail graph` end to end on a small ledger with a ring in it. */
const t = tempDir();
afterAll(t.cleanup);
const ws = `${t.dir}/ws`;
let sha = "";

// P pays Q, Q pays R, R pays P back (a ring, each keeping 90%); S and T are a separate pair.
const LEDGER = [
  "id,when,payer,payee,amount,ccy,kind",
  "R1,2022-09-01 09:00:00,P,Q,10000.00,USD,WIRE",
  "R2,2022-09-03 09:00:00,Q,R,9000.00,USD,WIRE",
  "R3,2022-09-05 09:00:00,R,P,8100.00,USD,WIRE",
  "S1,2022-09-02 09:00:00,S,T,50.00,USD,WIRE",
  "S2,2022-09-04 09:00:00,T,S,20.00,USD,WIRE",
  "C1,2022-09-06 09:00:00,,Q,700.00,USD,CASH",
  "",
].join("\n");

const MAPPING = `kind: transactions
columns: { id: id, timestamp: when, from_account: payer, to_account: payee, amount: amount, currency: ccy, channel: kind }
formats: { timestamp: "yyyy-MM-dd HH:mm:ss" }
values: { channel: { WIRE: wire, CASH: cash } }
`;

async function query(...args: string[]) {
  const r = await cli(["--workspace", ws, "--json", "graph", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  const file = writeFile(t.dir, "ledger.csv", LEDGER);
  const mapping = writeFile(t.dir, "ledger.yaml", MAPPING);
  const r = await cli(["--workspace", ws, "--json", "ingest", file, "--format", "csv", "--mapping", mapping]);
  sha = JSON.parse(r.stdout).files[0].sha256;
});

describe("graph", () => {
  it("neighbourhood: accounts by hop and counterparties with totals", async () => {
    const n = await query("neighbourhood", "--account", "Q", "--hops", "1");
    const byName = (x: { account: string }, y: { account: string }) => x.account.localeCompare(y.account);
    expect([...n.accounts].sort(byName)).toEqual([
      { account: "P", hop: 1 },
      { account: "Q", hop: 0 },
      { account: "R", hop: 1 },
    ]);
    expect(n.counterparties).toContainEqual({
      account: "P",
      direction: "in",
      count: 1,
      total_usd: 10000,
      first: "2022-09-01T09:00:00.000Z",
      last: "2022-09-01T09:00:00.000Z",
    });
    expect(n.counterparties).toContainEqual(
      expect.objectContaining({ account: null, direction: "in", total_usd: 700 }),
    );
  });

  it("paths: in time order, with transactions and their source lines", async () => {
    const p = await query("paths", "--account", "P", "--to-account", "R");
    expect(p.shortest).toEqual({
      hops: 2,
      accounts: ["P", "Q", "R"],
      transactions: ["R1", "R2"],
      sources: [
        { file: sha, line: 2 },
        { file: sha, line: 3 },
      ],
    });
    expect(p.top[0]).toMatchObject({ amount_usd: 9000, accounts: ["P", "Q", "R"] });
    // R paid P only after P paid Q: no time-respecting path from R to Q exists.
    const back = await query("paths", "--account", "R", "--to-account", "Q");
    expect(back.shortest).toBeNull();
  });

  it("cycles: the ring, once, keeping 90% a hop", async () => {
    const c = await query("cycles");
    expect(c.cycles).toEqual([
      expect.objectContaining({
        accounts: ["P", "Q", "R"],
        transactions: ["R1", "R2", "R3"],
        span_days: 4,
        min_retention: 0.9,
      }),
    ]);
    // S and T pass 40%: not a laundering ring by the retention rule.
    expect((await query("cycles", "--account", "S")).cycles).toEqual([]);
  });

  it("communities and centrality", async () => {
    const c = await query("communities");
    expect(c.count).toBe(2);
    expect(c.communities.map((x: { accounts: string[] }) => [...x.accounts].sort())).toEqual([
      ["P", "Q", "R"],
      ["S", "T"],
    ]);
    const k = await query("centrality", "--limit", "3", "--betweenness", "10");
    expect(k.accounts).toHaveLength(3);
    expect(k.accounts[0]).toHaveProperty("betweenness");
    const sum = (await query("centrality", "--limit", "10")).accounts.reduce(
      (s: number, a: { pagerank: number }) => s + a.pagerank,
      0,
    );
    expect(sum).toBeCloseTo(1, 4);
  });

  it("refuses a missing query, a missing account and bad options with exit 2", async () => {
    for (const args of [
      [],
      ["shortest"],
      ["neighbourhood"],
      ["neighbourhood", "--account", "nobody"],
      ["paths", "--account", "P"],
      ["cycles", "--min-amount", "lots"],
    ]) {
      const r = await cli(["--workspace", ws, "graph", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});
