import type { MoneyGraph } from "../graph/money-graph.js";
import type { DetailColumns } from "../store/store.js";
import { edgesByLine, emptyDetails, type TransactionDetails } from "./transaction-details.js";

/**
 * The store's detail columns laid onto the graph's edges (joined by file number and line) and
 * its accounts (holders' cities and regions from the party records). Rows whose transaction is
 * not an edge are skipped.
 */
export function detailsFromColumns(g: MoneyGraph, c: DetailColumns): TransactionDetails {
  const details = emptyDetails(g.edgeCount, g.accounts.length);
  for (const s of c.strings) details.strings.push(s);
  const edgeAt = edgesByLine(g);
  const columns = [
    ["merchant", details.merchant],
    ["city", details.city],
    ["region", details.region],
    ["country", details.country],
    ["counterparty_country", details.counterpartyCountry],
    ["branch", details.branch],
    ["conductor", details.conductor],
  ] as const;
  for (let i = 0; i < c.fileNo.length; i++) {
    const edge = edgeAt.get(c.fileNo[i] as number)?.[c.line[i] as number] ?? -1;
    if (edge < 0) continue;
    details.mcc[edge] = c.mcc[i] as number;
    for (const [name, target] of columns) target[edge] = c.text[name][i] as number;
    const conductor = c.text.conductor[i] as number;
    if (conductor >= 0) {
      const key = c.conductorAccounts.get(c.strings[conductor] as string);
      details.conductorAccount[edge] = key === undefined ? -1 : (g.indexOf.get(key) ?? -1);
    }
  }
  const codes = new Map(details.strings.map((s, i) => [s, i]));
  const code = (s: string) => {
    let k = codes.get(s);
    if (k === undefined) {
      k = details.strings.length;
      details.strings.push(s);
      codes.set(s, k);
    }
    return k;
  };
  for (const home of c.homes) {
    const a = g.indexOf.get(home.account);
    if (a === undefined) continue;
    const city = home.city?.trim();
    const region = home.region?.trim();
    if (city) details.homeCity[a] = code(city);
    if (region) details.homeRegion[a] = code(region);
  }
  return details;
}
