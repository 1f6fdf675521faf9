/**
 * A trace record (DESIGN §4) as a graph file for the tools investigators draw networks with:
 * GraphML (yEd, Gephi, i2-style importers, networkx) and Graphviz DOT. Accounts are nodes, with
 * the traced money each holds; flows are edges, with their hop, amount, transactions and sources.
 */

export interface TraceRecord {
  method: string;
  direction: string;
  traced_usd: number;
  /** The materiality threshold applied (0: every amount followed). */
  min_flow_usd: number;
  holders: { account: string; amount_usd: number }[];
  flows: {
    hop: number;
    from: string;
    to: string;
    amount_usd: number;
    transactions: (string | null)[];
    sources: { file: string; line: number }[];
  }[];
}

function xml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** The accounts of a trace: every flow's ends and every holder, in order of first appearance. */
function accountsOf(record: TraceRecord): string[] {
  const seen = new Set<string>();
  for (const f of record.flows) {
    seen.add(f.from);
    seen.add(f.to);
  }
  for (const h of record.holders) seen.add(h.account);
  return [...seen];
}

const KEYS: [id: string, domain: "node" | "edge", name: string, type: string][] = [
  ["holds", "node", "holds_usd", "double"],
  ["hop", "edge", "hop", "int"],
  ["amount", "edge", "amount_usd", "double"],
  ["transactions", "edge", "transactions", "string"],
  ["sources", "edge", "sources", "string"],
];

/** GraphML 1.0 (http://graphml.graphdrawing.org/): declared keys, a directed graph, typed data. */
export function traceToGraphml(record: TraceRecord): string {
  const holds = new Map(record.holders.map((h) => [h.account, h.amount_usd]));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...KEYS.map(
      ([id, domain, name, type]) =>
        `  <key id="${id}" for="${domain}" attr.name="${name}" attr.type="${type}"/>`,
    ),
    `  <graph id="trace" edgedefault="directed">`,
    `    <desc>${xml(`${record.direction} trace by ${record.method}: ${record.traced_usd} USD traced`)}</desc>`,
  ];
  for (const account of accountsOf(record)) {
    const held = holds.get(account);
    lines.push(
      held === undefined
        ? `    <node id="${xml(account)}"/>`
        : `    <node id="${xml(account)}"><data key="holds">${held}</data></node>`,
    );
  }
  record.flows.forEach((f, i) => {
    const ids = f.transactions.map((t) => t ?? "").join(" ");
    const sources = f.sources.map((s) => `${s.file}:${s.line}`).join(" ");
    lines.push(
      `    <edge id="f${i + 1}" source="${xml(f.from)}" target="${xml(f.to)}"><data key="hop">${f.hop}</data><data key="amount">${f.amount_usd}</data><data key="transactions">${xml(ids)}</data><data key="sources">${xml(sources)}</data></edge>`,
    );
  });
  lines.push("  </graph>", "</graphml>", "");
  return lines.join("\n");
}

function dotEscape(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

function dotId(text: string): string {
  return `"${dotEscape(text)}"`;
}

/** Graphviz DOT: holders drawn with what they hold, flows labelled with hop and amount. */
export function traceToDot(record: TraceRecord): string {
  const holds = new Map(record.holders.map((h) => [h.account, h.amount_usd]));
  const lines = [
    `digraph trace {`,
    `  rankdir=LR;`,
    `  label=${dotId(`${record.direction} trace by ${record.method}: ${record.traced_usd} USD`)};`,
  ];
  for (const account of accountsOf(record)) {
    const held = holds.get(account);
    // Two lines in a holder's label: DOT's own \n escape, kept out of the escaping.
    const label = `"${dotEscape(account)}\\nholds ${held} USD"`;
    lines.push(`  ${dotId(account)}${held === undefined ? "" : ` [label=${label}, peripheries=2]`};`);
  }
  for (const f of record.flows) {
    lines.push(`  ${dotId(f.from)} -> ${dotId(f.to)} [label=${dotId(`hop ${f.hop}: ${f.amount_usd} USD`)}];`);
  }
  lines.push("}", "");
  return lines.join("\n");
}
