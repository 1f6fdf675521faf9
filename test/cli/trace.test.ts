import { XMLParser } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { cli, tempDir, writeFile } from "../helpers.js";

/** `moneytrail trace` end to end: ingest a small ledger, follow one payment, read the record. */
const t = tempDir();
afterAll(t.cleanup);

const LEDGER = [
  "id,when,payer,payee,amount,ccy,kind",
  "T1,2022-09-01 09:00:00,X,M,500.00,USD,WIRE",
  "T2,2022-09-02 09:00:00,V,M,1000.00,USD,WIRE",
  "T3,2022-09-03 09:00:00,M,A,1200.00,USD,WIRE",
  "T4,2022-09-04 09:00:00,M,,300.00,USD,CASH",
  "T5,2022-09-05 09:00:00,A,B,600.00,USD,WIRE",
  "",
].join("\n");

const MAPPING = `kind: transactions
columns:
  id: id
  timestamp: when
  from_account: payer
  to_account: payee
  amount: amount
  currency: ccy
  channel: kind
formats:
  timestamp: "yyyy-MM-dd HH:mm:ss"
values:
  channel: { WIRE: wire, CASH: cash }
`;

describe("trace", () => {
  const ws = `${t.dir}/ws`;

  it("follows a payment forward with amounts, transactions and their source lines", async () => {
    const file = writeFile(t.dir, "ledger.csv", LEDGER);
    const mapping = writeFile(t.dir, "ledger.yaml", MAPPING);
    const ingest = await cli([
      "--workspace",
      ws,
      "--json",
      "ingest",
      file,
      "--format",
      "csv",
      "--mapping",
      mapping,
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const sha = JSON.parse(ingest.stdout).files[0].sha256;

    const r = await cli(["--workspace", ws, "--json", "trace", "--transaction", "T2", "--method", "libr"]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record).toMatchObject({
      method: "libr",
      direction: "forward",
      origin: { transaction: "T2", source: { file: sha, line: 3 } },
      traced_usd: 1000,
    });
    expect(record.flows).toEqual([
      {
        hop: 1,
        from: "V",
        to: "M",
        amount_usd: 1000,
        transactions: ["T2"],
        sources: [{ file: sha, line: 3 }],
      },
      {
        hop: 2,
        from: "M",
        to: "A",
        amount_usd: 700,
        transactions: ["T3"],
        sources: [{ file: sha, line: 4 }],
      },
      {
        hop: 3,
        from: "A",
        to: "B",
        amount_usd: 100,
        transactions: ["T5"],
        sources: [{ file: sha, line: 6 }],
      },
    ]);
    expect(record.dissipated).toEqual([{ kind: "cash-out", amount_usd: 300, transactions: ["T4"] }]);
    expect(record.holders).toEqual([
      { account: "A", amount_usd: 600 },
      { account: "B", amount_usd: 100 },
    ]);
    expect(record.notes.join(" ")).toMatch(/taken as zero/);
    // The default materiality threshold: one part in ten thousand of the 1,000 traced.
    expect(record.min_flow_usd).toBe(0.1);
  });

  it("stops at the materiality threshold given in USD or as a share of the traced amount", async () => {
    for (const threshold of ["150", "15%"]) {
      const r = await cli([
        "--workspace",
        ws,
        "--json",
        "trace",
        "--transaction",
        "T2",
        "--method",
        "libr",
        "--min-flow",
        threshold,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const record = JSON.parse(r.stdout);
      expect(record.min_flow_usd).toBe(150);
      expect(record.flows.map((f: { to: string }) => f.to)).toEqual(["M", "A"]);
      expect(record.dissipated).toEqual([
        { kind: "cash-out", amount_usd: 300, transactions: ["T4"] },
        { kind: "below-threshold", amount_usd: 100, transactions: ["T5"] },
      ]);
    }
  });

  it("traces what an account paid out, within a window", async () => {
    const r = await cli(["--workspace", ws, "--json", "trace", "--account", "M", "--to", "2022-09-03"]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record.traced_usd).toBe(1200);
    expect(record.flows.map((f: { to: string }) => f.to)).toEqual(["A"]);
  });

  it("writes GraphML that an independent parser reads back as the same flows, and DOT", async () => {
    const r = await cli([
      "--workspace",
      ws,
      "trace",
      "--transaction",
      "T2",
      "--method",
      "libr",
      "--format",
      "graphml",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (name, _path, _leaf, isAttribute) =>
        !isAttribute && ["key", "node", "edge", "data"].includes(name),
    });
    const root = parser.parse(r.stdout).graphml;
    expect(root.xmlns).toBe("http://graphml.graphdrawing.org/xmlns");
    // GraphML's structure: keys declared with domain, name and type; one directed graph; every
    // edge's ends are nodes of the graph; every data element refers to a key of its domain.
    const keys = new Map<string, { for: string }>(
      root.key.map((k: { id: string; for: string }) => [k.id, k]),
    );
    for (const k of root.key) {
      expect(["node", "edge", "graph", "all"]).toContain(k.for);
      expect(k["attr.name"]).toBeTruthy();
      expect(["boolean", "int", "long", "float", "double", "string"]).toContain(k["attr.type"]);
    }
    const graph = root.graph;
    expect(graph.edgedefault).toBe("directed");
    const nodes = new Set(graph.node.map((n: { id: string }) => n.id));
    expect([...nodes].sort()).toEqual(["A", "B", "M", "V"]);
    for (const element of [...graph.node, ...graph.edge]) {
      for (const d of element.data ?? []) expect(keys.get(d.key)?.for).toBe(element.source ? "edge" : "node");
    }
    type Edge = { source: string; target: string; data: { key: string; "#text": unknown }[] };
    const flows = graph.edge.map((e: Edge) => {
      const data = Object.fromEntries(e.data.map((d) => [d.key, d["#text"]]));
      expect(nodes.has(e.source) && nodes.has(e.target)).toBe(true);
      return [e.source, e.target, data.hop, data.amount, data.transactions];
    });
    expect(flows).toEqual([
      ["V", "M", 1, 1000, "T2"],
      ["M", "A", 2, 700, "T3"],
      ["A", "B", 3, 100, "T5"],
    ]);
    const dot = await cli(["--workspace", ws, "trace", "--transaction", "T2", "--format", "dot"]);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph trace \{/);
    expect(dot.stdout).toContain('"V" -> "M" [label="hop 1: 1000 USD"];');
  });

  it("traces backward: where a payment's money came from", async () => {
    const r = await cli([
      "--workspace",
      ws,
      "--json",
      "trace",
      "--transaction",
      "T5",
      "--direction",
      "backward",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record.direction).toBe("backward");
    expect(
      record.flows.map((f: { hop: number; from: string; to: string; amount_usd: number }) => [
        f.hop,
        f.from,
        f.to,
        f.amount_usd,
      ]),
    ).toEqual([
      [1, "A", "B", 600],
      [2, "M", "A", 600],
      [3, "V", "M", 350],
      [3, "X", "M", 250],
    ]);
    expect(record.dissipated).toEqual([
      { kind: "opening-balance", amount_usd: 600, transactions: ["T1", "T2"] },
    ]);
  });

  it("refuses what it cannot do with exit 2", async () => {
    for (const args of [
      ["trace"],
      ["trace", "--account", "M", "--direction", "backward", "--method", "libr"],
      ["trace", "--account", "M", "--direction", "sideways"],
      ["trace", "--account", "M", "--format", "pdf"],
      ["trace", "--account", "M", "--method", "average"],
      ["trace", "--account", "nobody"],
      ["trace", "--transaction", "T99"],
      ["trace", "--account", "M", "--min-flow", "-5"],
      ["trace", "--account", "M", "--min-flow", "some"],
      ["trace", "--account", "M", "--min-flow", "120%"],
    ]) {
      const r = await cli(["--workspace", ws, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});
