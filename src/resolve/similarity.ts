/**
 * String similarity for comparing normalised fields: Jaro-Winkler for names, the optimal string
 * alignment distance (Damerau-Levenshtein with adjacent transpositions) for identifiers and
 * typos, and two phonetic codes for surnames (Soundex for blocking, NYSIIS for comparison).
 * Every function runs in scratch buffers held by this module and grown only when a longer string
 * arrives, so that comparing millions of pairs allocates nothing per call (the phonetic codes
 * return one short string, which blocking keys need anyway). Inputs are the upper-case ASCII
 * that normalisation produces; other characters are compared as they are.
 */

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);
let rowPrev2 = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

function growFlags(n: number): void {
  if (flagsA.length >= n) return;
  const size = Math.max(n, flagsA.length * 2);
  flagsA = new Uint8Array(size);
  flagsB = new Uint8Array(size);
}

function growRows(n: number): void {
  if (rowCur.length >= n) return;
  const size = Math.max(n, rowCur.length * 2);
  rowPrev2 = new Int32Array(size);
  rowPrev = new Int32Array(size);
  rowCur = new Int32Array(size);
}

/**
 * Jaro similarity (Jaro 1989): characters agree when equal and no further apart than half the
 * longer length less one; half the agreeing characters found out of order are transpositions.
 * 1 for equal strings (two empty strings included), 0 when nothing agrees.
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  growFlags(Math.max(la, lb));
  const fa = flagsA;
  const fb = flagsB;
  fa.fill(0, 0, la);
  fb.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const ch = a.charCodeAt(i);
    const hi = Math.min(lb - 1, i + window);
    for (let j = Math.max(0, i - window); j <= hi; j++) {
      if (fb[j] === 0 && b.charCodeAt(j) === ch) {
        fa[i] = 1;
        fb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (fa[i] === 0) continue;
    while (fb[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  return (matches / la + matches / lb + (matches - halfTranspositions / 2) / matches) / 3;
}

/** Winkler's prefix scale: how much each common leading character (at most four) adds. */
export const WINKLER_PREFIX_SCALE = 0.1;
/** At most this many common leading characters count. */
export const WINKLER_MAX_PREFIX = 4;
/**
 * Winkler boosts only strings already this similar (his strcmp95 and most libraries, DuckDB's
 * `jaro_winkler_similarity` that Splink uses among them): two different names sharing "MC" are
 * not made alike by the prefix alone.
 */
export const WINKLER_BOOST_THRESHOLD = 0.7;

/**
 * Jaro-Winkler similarity (Winkler 1990, "String Comparator Metrics and Enhanced Decision Rules
 * in the Fellegi-Sunter Model of Record Linkage"): Jaro raised by 0.1 of the remaining distance
 * for each of up to four common leading characters, because typists err less at the start of a
 * name. MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.813.
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= WINKLER_BOOST_THRESHOLD || j === 1) return j;
  const most = Math.min(WINKLER_MAX_PREFIX, a.length, b.length);
  let prefix = 0;
  while (prefix < most && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * WINKLER_PREFIX_SCALE * (1 - j);
}

/**
 * The optimal string alignment distance (Damerau-Levenshtein restricted so that no substring
 * is edited twice): insertions, deletions, substitutions and swaps of two adjacent characters
 * each cost 1, so that the commonest keying errors in identifiers (one wrong digit, two digits
 * swapped) are one edit. Returns the distance when it is at most `k`, else `k + 1`, and stops as
 * soon as a whole row of the table exceeds `k` (a row's minimum never falls in later rows), so
 * that "is this a typo?" costs little on unrelated strings.
 */
export function editDistanceAtMost(a: string, b: string, k: number): number {
  if (a === b) return 0;
  const bound = Math.max(0, Math.floor(k));
  let la = a.length;
  let lb = b.length;
  if (Math.abs(la - lb) > bound) return bound + 1;
  // A common prefix or suffix never needs editing: drop it.
  let start = 0;
  while (start < la && start < lb && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (la > start && lb > start && a.charCodeAt(la - 1) === b.charCodeAt(lb - 1)) {
    la--;
    lb--;
  }
  const n = la - start;
  const m = lb - start;
  if (n === 0 || m === 0) {
    const d = n + m;
    return d > bound ? bound + 1 : d;
  }
  growRows(m + 1);
  let prev2 = rowPrev2;
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(start + i - 1);
    const caBefore = i > 1 ? a.charCodeAt(start + i - 2) : -1;
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(start + j - 1);
      let v = (prev[j - 1] as number) + (ca === cb ? 0 : 1);
      const del = (prev[j] as number) + 1;
      if (del < v) v = del;
      const ins = (cur[j - 1] as number) + 1;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(start + j - 2) && caBefore === cb) {
        const swap = (prev2[j - 2] as number) + 1;
        if (swap < v) v = swap;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) return bound + 1;
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  const d = prev[m] as number;
  return d > bound ? bound + 1 : d;
}

/** The optimal string alignment distance without a bound (see `editDistanceAtMost`). */
export function editDistance(a: string, b: string): number {
  return editDistanceAtMost(a, b, Math.max(a.length, b.length));
}

/** True when a and b hold the same space-separated words in any order ("SMITH JONES" = "JONES SMITH"). */
export function sameWordsAnyOrder(a: string, b: string): boolean {
  if (a === b) return true;
  const wa = splitWords(a, 0);
  const wb = splitWords(b, 1);
  if (wa !== wb) return false;
  growFlags(wb);
  const used = flagsA;
  used.fill(0, 0, wb);
  for (let i = 0; i < wa; i++) {
    const s = wordStart[i] as number;
    const len = (wordEnd[i] as number) - s;
    let found = false;
    for (let j = 0; j < wb; j++) {
      if (used[j] === 1) continue;
      const t = wordStart[MAX_WORDS + j] as number;
      if ((wordEnd[MAX_WORDS + j] as number) - t !== len) continue;
      let same = true;
      for (let c = 0; c < len; c++) {
        if (a.charCodeAt(s + c) !== b.charCodeAt(t + c)) {
          same = false;
          break;
        }
      }
      if (same) {
        used[j] = 1;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** Word bounds of the two strings `sameWordsAnyOrder` compares; names with more words compare as more. */
const MAX_WORDS = 32;
const wordStart = new Int32Array(2 * MAX_WORDS);
const wordEnd = new Int32Array(2 * MAX_WORDS);

/** Records the words of s in slot `side` of the word buffers; returns how many (words past the cap join the last). */
function splitWords(s: string, side: number): number {
  const base = side * MAX_WORDS;
  let count = 0;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && s.charCodeAt(i) === 32) i++;
    if (i >= s.length) break;
    const begin = i;
    while (i < s.length && s.charCodeAt(i) !== 32) i++;
    if (count === MAX_WORDS) {
      wordEnd[base + count - 1] = i;
      continue;
    }
    wordStart[base + count] = begin;
    wordEnd[base + count] = i;
    count++;
  }
  return count;
}

const A = 65;
const Z = 90;

/** Soundex digit per letter A–Z; 0 for vowels and Y, −1 for H and W (which do not separate). */
const SOUNDEX_CODE = Int8Array.from("01230120022455012623010202", (c) => Number(c));
SOUNDEX_CODE["H".charCodeAt(0) - A] = -1;
SOUNDEX_CODE["W".charCodeAt(0) - A] = -1;

const soundexOut = new Uint8Array(4);

/**
 * American Soundex as the US National Archives codes surnames (NARA, "The Soundex Indexing
 * System", 2007): the first letter, then up to three digits for the consonants that follow;
 * letters with the same digit side by side, or separated only by H or W, count once; vowels
 * separate; padded with zeros. Non-letters are skipped; "" when there is no letter.
 * ROBERT and RUPERT R163, TYMCZAK T522, PFISTER P236, ASHCRAFT A261.
 */
export function soundex(s: string): string {
  let i = 0;
  let first = -1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= A && c <= Z) {
      first = c;
      i++;
      break;
    }
  }
  if (first < 0) return "";
  soundexOut[0] = first;
  let n = 1;
  let last = SOUNDEX_CODE[first - A] as number;
  for (; i < s.length && n < 4; i++) {
    const c = s.charCodeAt(i);
    if (c < A || c > Z) continue;
    const code = SOUNDEX_CODE[c - A] as number;
    if (code === -1) continue;
    if (code === 0) {
      last = 0;
      continue;
    }
    if (code !== last) soundexOut[n++] = 48 + code;
    last = code;
  }
  while (n < 4) soundexOut[n++] = 48;
  return String.fromCharCode(
    soundexOut[0] as number,
    soundexOut[1] as number,
    soundexOut[2] as number,
    soundexOut[3] as number,
  );
}

const CH_A = 65;
const CH_C = 67;
const CH_D = 68;
const CH_E = 69;
const CH_F = 70;
const CH_G = 71;
const CH_H = 72;
const CH_I = 73;
const CH_K = 75;
const CH_M = 77;
const CH_N = 78;
const CH_P = 80;
const CH_Q = 81;
const CH_R = 82;
const CH_S = 83;
const CH_T = 84;
const CH_V = 86;
const CH_W = 87;
const CH_Y = 89;
const CH_Z = 90;

function isVowel(c: number): boolean {
  return c === CH_A || c === CH_E || c === CH_I || c === 79 || c === 85;
}

let nysiisName = new Uint8Array(64);
let nysiisKeyA = new Uint8Array(64);
let nysiisKeyB = new Uint8Array(64);

/**
 * Writes the NYSIIS key of s into key buffer `which` (A or B, grown when needed) and returns its
 * length, cut to `maxLength` when that is above 0. NYSIIS, the New York State Identification and Intelligence System
 * phonetic code (R. L. Taft, "Name Search Techniques", New York State Identification and
 * Intelligence System, Special Report No. 1, 1970), as Wikipedia's "New York State
 * Identification and Intelligence System" article sets out Taft's rules: it keeps vowel
 * positions (as A) and more consonant detail than Soundex, and Taft found it more accurate
 * on surnames. Replacements are made in the name itself, so that later rules see earlier ones'
 * output. Letters only: spaces and hyphens of compound surnames are skipped.
 */
function nysiisInto(s: string, which: 0 | 1, maxLength: number): number {
  if (nysiisName.length < s.length + 1)
    nysiisName = new Uint8Array(Math.max(s.length + 1, nysiisName.length * 2));
  const name = nysiisName;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= A && c <= Z) name[n++] = c;
  }
  if (n === 0) return 0;
  if (which === 0 && nysiisKeyA.length < n) nysiisKeyA = new Uint8Array(Math.max(n, nysiisKeyA.length * 2));
  if (which === 1 && nysiisKeyB.length < n) nysiisKeyB = new Uint8Array(Math.max(n, nysiisKeyB.length * 2));
  const key = which === 0 ? nysiisKeyA : nysiisKeyB;
  // 1. Leading MAC → MCC, KN → NN, K → C, PH and PF → FF, SCH → SSS.
  const c0 = name[0] as number;
  const c1 = n > 1 ? (name[1] as number) : 0;
  const c2 = n > 2 ? (name[2] as number) : 0;
  if (c0 === CH_M && c1 === CH_A && c2 === CH_C) name[1] = CH_C;
  else if (c0 === CH_K && c1 === CH_N) name[0] = CH_N;
  else if (c0 === CH_K) name[0] = CH_C;
  else if (c0 === CH_P && (c1 === CH_H || c1 === CH_F)) {
    name[0] = CH_F;
    name[1] = CH_F;
  } else if (c0 === CH_S && c1 === CH_C && c2 === CH_H) {
    name[1] = CH_S;
    name[2] = CH_S;
  }
  // 2. Trailing EE and IE → Y; DT, RT, RD, NT and ND → D.
  if (n >= 2) {
    const y = name[n - 2] as number;
    const z = name[n - 1] as number;
    if (z === CH_E && (y === CH_E || y === CH_I)) {
      n--;
      name[n - 1] = CH_Y;
    } else if (
      (z === CH_T && (y === CH_D || y === CH_R || y === CH_N)) ||
      (z === CH_D && (y === CH_R || y === CH_N))
    ) {
      n--;
      name[n - 1] = CH_D;
    }
  }
  // 3. The key starts with the name's first letter.
  key[0] = name[0] as number;
  let k = 1;
  // 4. Each later letter is translated, and added unless it repeats the key's last letter.
  for (let i = 1; i < n; i++) {
    const c = name[i] as number;
    const next = i + 1 < n ? (name[i + 1] as number) : 0;
    if (isVowel(c)) {
      if (c === CH_E && next === CH_V) {
        name[i] = CH_A;
        name[i + 1] = CH_F;
      } else name[i] = CH_A;
    } else if (c === CH_Q) name[i] = CH_G;
    else if (c === CH_Z) name[i] = CH_S;
    else if (c === CH_M) name[i] = CH_N;
    else if (c === CH_K) name[i] = next === CH_N ? CH_N : CH_C;
    else if (c === CH_S && next === CH_C && i + 2 < n && name[i + 2] === CH_H) {
      name[i + 1] = CH_S;
      name[i + 2] = CH_S;
    } else if (c === CH_P && next === CH_H) {
      name[i] = CH_F;
      name[i + 1] = CH_F;
    } else if (c === CH_H) {
      // An H not between two vowels is silent: it takes the letter before it (a missing
      // following letter counts as not a vowel, so that SARAH and SARA agree).
      const before = name[i - 1] as number;
      if (!isVowel(before) || next === 0 || !isVowel(next)) name[i] = before;
    } else if (c === CH_W) {
      const before = name[i - 1] as number;
      if (isVowel(before)) name[i] = before;
    }
    const out = name[i] as number;
    if (out !== key[k - 1]) key[k++] = out;
  }
  // 5–7. A trailing S goes, a trailing AY becomes Y, a trailing A goes.
  if (k > 1 && key[k - 1] === CH_S) k--;
  if (k > 1 && key[k - 2] === CH_A && key[k - 1] === CH_Y) {
    key[k - 2] = CH_Y;
    k--;
  }
  if (k > 1 && key[k - 1] === CH_A) k--;
  return maxLength > 0 && k > maxLength ? maxLength : k;
}

/**
 * The NYSIIS phonetic key of a surname (see `nysiisInto` for the reference): KNIGHT and NIGHT
 * NAGT, BROWN and BRAUN BRAN, MACDONALD and MCDONALD MCDANALD. Taft kept six characters; by
 * default the whole key is kept (as most current libraries do), `maxLength` 6 gives Taft's.
 * "" when s has no letter.
 */
export function nysiis(s: string, maxLength = 0): string {
  const k = nysiisInto(s, 0, maxLength);
  let out = "";
  for (let i = 0; i < k; i++) out += String.fromCharCode(nysiisKeyA[i] as number);
  return out;
}

/**
 * The first character of s's NYSIIS key (its first letter after Taft's rule 1), or 0 without a
 * letter: two names whose keys start differently cannot share one, which settles most pairs
 * without computing either key.
 */
function nysiisFirst(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) < A || s.charCodeAt(i) > Z)) i++;
  if (i === s.length) return 0;
  const c = s.charCodeAt(i);
  if (c === CH_K) return s.charCodeAt(i + 1) === CH_N ? CH_N : CH_C;
  if (c === CH_P) {
    const next = s.charCodeAt(i + 1);
    return next === CH_H || next === CH_F ? CH_F : CH_P;
  }
  return c;
}

/** True when a and b have the same non-empty NYSIIS key, computed without allocating. */
export function sameNysiis(a: string, b: string, maxLength = 0): boolean {
  const first = nysiisFirst(a);
  if (first === 0 || first !== nysiisFirst(b)) return false;
  const ka = nysiisInto(a, 0, maxLength);
  const kb = nysiisInto(b, 1, maxLength);
  if (ka === 0 || ka !== kb) return false;
  for (let i = 0; i < ka; i++) if (nysiisKeyA[i] !== nysiisKeyB[i]) return false;
  return true;
}
