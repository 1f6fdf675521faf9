import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { projectRoot } from "../util/project-root.js";
import { shortDigest } from "../util/short-digest.js";
import { UnusableInputError } from "./errors.js";

export interface FxRate {
  date: string;
  currency: string;
  usd_per_unit: number;
}

export interface FxTable {
  /** Version of the shipped table, plus the user's file when one overrides it. */
  version: string;
  /** Upper-cased name or code → ISO code. */
  aliases: Map<string, string>;
  rates: FxRate[];
}

const CurrencyFile = z.object({
  version: z.string(),
  description: z.string(),
  currencies: z.record(z.string().regex(/^[A-Z]{3}$/), z.array(z.string())),
});

function parseRates(text: string, name: string): FxRate[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines
    .shift()
    ?.split(",")
    .map((h) => h.trim());
  if (header?.join(",") !== "date,currency,usd_per_unit") {
    throw new UnusableInputError(`${name}: an FX file needs the header date,currency,usd_per_unit`);
  }
  return lines.map((line, i) => {
    const [date = "", currency = "", rate = ""] = line.split(",").map((v) => v.trim());
    const usd = Number(rate);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^[A-Z]{3}$/.test(currency) || !(usd > 0)) {
      throw new UnusableInputError(
        `${name}: line ${i + 2}: expected YYYY-MM-DD,ISO code,positive rate; got "${line}"`,
      );
    }
    return { date, currency, usd_per_unit: usd };
  });
}

/**
 * The versioned FX table shipped in `data/fx/`, optionally overridden by a user's CSV: a user rate
 * for the same currency and date replaces the shipped one; new currencies and dates are added.
 */
export function loadFxTable(overridePath?: string): FxTable {
  const dir = join(projectRoot(), "data", "fx");
  const meta = CurrencyFile.parse(JSON.parse(readFileSync(join(dir, "currencies.json"), "utf8")));
  const aliases = new Map<string, string>();
  for (const [code, names] of Object.entries(meta.currencies)) {
    aliases.set(code, code);
    for (const name of names) aliases.set(name.toUpperCase(), code);
  }
  const byKey = new Map<string, FxRate>();
  for (const rate of parseRates(readFileSync(join(dir, "rates.csv"), "utf8"), "data/fx/rates.csv")) {
    byKey.set(`${rate.currency}|${rate.date}`, rate);
  }
  let version = meta.version;
  if (overridePath) {
    let text: string;
    try {
      text = readFileSync(overridePath, "utf8");
    } catch (error) {
      throw new UnusableInputError(`FX file ${overridePath}: cannot read it (${(error as Error).message})`);
    }
    for (const rate of parseRates(text, overridePath)) {
      byKey.set(`${rate.currency}|${rate.date}`, rate);
      if (!aliases.has(rate.currency)) aliases.set(rate.currency, rate.currency);
    }
    version += `+user:${shortDigest(text, 12)}`;
  }
  const rates = [...byKey.values()].sort(
    (a, b) => a.currency.localeCompare(b.currency) || a.date.localeCompare(b.date),
  );
  return { version, aliases, rates };
}
