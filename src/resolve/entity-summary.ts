import type { Party } from "../model/party.js";
import type { EntityRecord } from "../model/resolution.js";
import type { NormalisedRecord } from "./normalised-record.js";

/**
 * How an entity is shown: the name its records give most often, written as a source wrote it
 * (so "Maria del Carmen Núñez", not the folded "MARIA DEL CARMEN NUNEZ"), and its kind by
 * majority of its records.
 */

function writtenName(p: Party): string {
  const parts = [p.given_name, p.middle_name, p.surname].filter((x): x is string => !!x && x.trim() !== "");
  return (p.name?.trim() || parts.join(" ")).replace(/\s+/g, " ").trim();
}

export function displayName(parties: readonly Party[]): string {
  const counts = new Map<string, number>();
  for (const p of parties) {
    const name = writtenName(p);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best = "";
  let bestCount = 0;
  // Most frequent, then the fullest (a middle name spelt out beats an initial), then alphabetical.
  for (const [name, count] of counts) {
    if (
      count > bestCount ||
      (count === bestCount && (name.length > best.length || (name.length === best.length && name < best)))
    ) {
      best = name;
      bestCount = count;
    }
  }
  return best || (parties[0]?.id ?? "");
}

export function entityKind(records: readonly NormalisedRecord[]): EntityRecord["kind"] {
  let persons = 0;
  let organisations = 0;
  for (const r of records) {
    if (r.kind === "person") persons += 1;
    else if (r.kind === "organisation") organisations += 1;
  }
  if (persons === 0 && organisations === 0) return "unknown";
  return organisations > persons ? "organisation" : "person";
}
