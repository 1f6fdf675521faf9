import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../util/project-root.js";
import { foldText } from "./text.js";

/**
 * Given-name nicknames and diminutives ("BILL" for WILLIAM, "PEPE" for JOSE), read from a
 * versioned CSV (`data/resolve/nicknames.csv`) that a deployment may edit or replace. A
 * nickname can stand for several names (ALEX: ALEXANDER, ALEXANDRA), so a name has a set of
 * canonicals: `canonicalGivenName` picks one of them deterministically as a blocking and
 * comparison key (the usual reading, which the file lists first: WILL is WILLIAM before WILBUR),
 * and `sameGivenName` asks whether two names share any.
 *
 * The list is general knowledge about English and Spanish given names, not the synthetic
 * generator's own list: resolution must work on records it was not tuned to.
 */
export interface Nicknames {
  /** From the file's first line, `# version: …`. */
  version: string;
  /**
   * Every name the list mentions → its canonicals, sorted. A name that is a canonical in some row
   * counts as one of its own canonicals (CATHERINE → CATHERINE, KATHERINE), so that two spelling
   * variants listed against each other agree, and a canonical name still agrees with its nicknames.
   */
  canonicals: ReadonlyMap<string, readonly string[]>;
  /**
   * Every name the list mentions → its key: itself when it is a canonical in some row (so that a
   * full name is never rewritten to another), else its first canonical in file order.
   */
  keys: ReadonlyMap<string, string>;
}

const VERSION_LINE = /^#\s*version:\s*(\S+)/;
const LINE_BREAK = /\r?\n/;
const SPACES = /\s/g;

/**
 * Parses the nicknames CSV: a first comment line `# version: V …`, further `#` comment lines
 * anywhere, a header `nickname,canonical`, then one row per pair, a nickname's usual canonical
 * in its first row. Names are folded as every
 * record's names are (upper-case ASCII); blank lines are skipped; anything else malformed is an
 * error naming the line.
 */
export function parseNicknames(text: string, source = "nicknames.csv"): Nicknames {
  const lines = text.split(LINE_BREAK);
  const version = VERSION_LINE.exec(lines[0] ?? "")?.[1];
  if (!version) throw new Error(`nicknames: ${source}: the first line must be "# version: …"`);
  const sets = new Map<string, Set<string>>();
  const firstCanonical = new Map<string, string>();
  const isCanonical = new Set<string>();
  const add = (name: string, canonical: string): void => {
    let set = sets.get(name);
    if (!set) {
      set = new Set();
      sets.set(name, set);
    }
    set.add(canonical);
  };
  let header = false;
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "" || line.startsWith("#")) continue;
    if (!header) {
      if (line.toLowerCase().replace(SPACES, "") !== "nickname,canonical")
        throw new Error(`nicknames: ${source}:${i + 1}: expected the header "nickname,canonical"`);
      header = true;
      continue;
    }
    const cells = line.split(",");
    const nickname = foldText(cells[0] ?? "");
    const canonical = foldText(cells[1] ?? "");
    if (cells.length !== 2 || nickname === "" || canonical === "")
      throw new Error(`nicknames: ${source}:${i + 1}: expected "nickname,canonical", got "${line}"`);
    add(nickname, canonical);
    add(canonical, canonical);
    isCanonical.add(canonical);
    if (!firstCanonical.has(nickname)) firstCanonical.set(nickname, canonical);
  }
  if (!header) throw new Error(`nicknames: ${source}: no header "nickname,canonical"`);
  const canonicals = new Map<string, readonly string[]>();
  const keys = new Map<string, string>();
  for (const [name, set] of sets) {
    canonicals.set(name, Object.freeze([...set].sort()));
    keys.set(name, isCanonical.has(name) ? name : (firstCanonical.get(name) as string));
  }
  return { version, canonicals, keys };
}

let defaultList: Nicknames | undefined;

/** The list shipped in `data/resolve/nicknames.csv`, read once per process. */
export function defaultNicknames(): Nicknames {
  if (!defaultList) defaultList = loadNicknames(join(projectRoot(), "data", "resolve", "nicknames.csv"));
  return defaultList;
}

/** A nicknames CSV read from `path` (a deployment's own list). */
export function loadNicknames(path: string): Nicknames {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`nicknames: ${path}: ${(error as Error).message}`);
  }
  return parseNicknames(text, path);
}

/**
 * The canonical form of a folded given name: its usual full name ("BILL" → "WILLIAM", "ALEX" →
 * "ALEXANDER"), or the name itself when it is a full name or the list does not know it.
 */
export function canonicalGivenName(name: string, nicknames: Nicknames = defaultNicknames()): string {
  return nicknames.keys.get(name) ?? name;
}

/**
 * Whether two folded given names can be the same person's: equal, or sharing a canonical
 * ("ALEX" and "ALEXANDRA", "BILL" and "WILL", "CATHERINE" and "KATE"; not "ALEXANDER" and
 * "ALEXANDRA").
 */
export function sameGivenName(a: string, b: string, nicknames: Nicknames = defaultNicknames()): boolean {
  if (a === b) return true;
  const ca = nicknames.canonicals.get(a);
  const cb = nicknames.canonicals.get(b);
  if (ca === undefined || cb === undefined) return false;
  // Both lists are short and sorted: a merge walk.
  let i = 0;
  let j = 0;
  while (i < ca.length && j < cb.length) {
    const x = ca[i] as string;
    const y = cb[j] as string;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}
