import { Buffer } from "node:buffer";

/**
 * The one text folding every resolution normaliser starts from: upper-case ASCII, diacritics
 * removed, letters that Unicode does not decompose transliterated (ß → SS, Æ → AE, Ø → O, Ł → L,
 * Đ → D, Þ → TH; Greek and Cyrillic letter by letter), apostrophes dropped so that O'Brien and
 * OBrien agree, every other mark a word break, and words joined by single spaces.
 *
 * It runs several times per record for a million records, so it is a char-code loop over
 * tables built once at module load, writes into one reused buffer, and returns its input
 * unchanged (no allocation) when the input is already folded, as upper-case bank exports often are.
 */

/** What an ASCII character becomes: a code below `SPECIAL_BASE` is emitted as is. */
const SEPARATOR = 0;
const DELETE = 1;
const AMPERSAND = 2;
const HASH = 3;
const SPECIAL_BASE = 32;

const ASCII_ACTION: Uint8Array = (() => {
  const table = new Uint8Array(128); // SEPARATOR by default
  for (let c = 48; c <= 57; c++) table[c] = c;
  for (let c = 65; c <= 90; c++) table[c] = c;
  for (let c = 97; c <= 122; c++) table[c] = c - 32;
  table[39] = DELETE; // '
  table[96] = DELETE; // `
  table[38] = AMPERSAND; // &
  table[35] = HASH; // #
  return table;
})();

/** Letters that canonical decomposition leaves alone, and scripts read letter by letter. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: "SS",
  ẞ: "SS",
  Æ: "AE",
  æ: "AE",
  Œ: "OE",
  œ: "OE",
  Ø: "O",
  ø: "O",
  Ł: "L",
  ł: "L",
  Đ: "D",
  đ: "D",
  Ð: "D",
  ð: "D",
  Þ: "TH",
  þ: "TH",
  ı: "I",
  İ: "I",
  Ħ: "H",
  ħ: "H",
  Ŧ: "T",
  ŧ: "T",
  Ŋ: "NG",
  ŋ: "NG",
  ĸ: "K",
  ſ: "S",
  Ĳ: "IJ",
  ĳ: "IJ",
  Ŀ: "L",
  ŀ: "L",
  ŉ: "N",
  Ƒ: "F",
  ƒ: "F",
  Ɖ: "D",
  ɖ: "D",
  Ə: "E",
  ə: "E",
  // Greek (ELOT 743, simplified)
  Α: "A",
  Β: "V",
  Γ: "G",
  Δ: "D",
  Ε: "E",
  Ζ: "Z",
  Η: "I",
  Θ: "TH",
  Ι: "I",
  Κ: "K",
  Λ: "L",
  Μ: "M",
  Ν: "N",
  Ξ: "X",
  Ο: "O",
  Π: "P",
  Ρ: "R",
  Σ: "S",
  ς: "S",
  Τ: "T",
  Υ: "Y",
  Φ: "F",
  Χ: "CH",
  Ψ: "PS",
  Ω: "O",
  // Cyrillic (Russian, Ukrainian, Belarusian, Serbian; BGN/PCGN, simplified)
  А: "A",
  Б: "B",
  В: "V",
  Г: "G",
  Ґ: "G",
  Д: "D",
  Ђ: "DJ",
  Е: "E",
  Ё: "E",
  Є: "YE",
  Ж: "ZH",
  З: "Z",
  И: "I",
  І: "I",
  Ї: "YI",
  Й: "Y",
  Ј: "J",
  К: "K",
  Л: "L",
  Љ: "LJ",
  М: "M",
  Н: "N",
  Њ: "NJ",
  О: "O",
  П: "P",
  Р: "R",
  С: "S",
  Т: "T",
  Ћ: "C",
  У: "U",
  Ў: "U",
  Ф: "F",
  Х: "KH",
  Ц: "TS",
  Ч: "CH",
  Џ: "DZ",
  Ш: "SH",
  Щ: "SHCH",
  Ъ: "",
  Ы: "Y",
  Ь: "",
  Э: "E",
  Ю: "YU",
  Я: "YA",
};

/** Code points below this have a precomputed folding in `NON_ASCII`. */
const TABLE_END = 0x2100;
/** Marks that sit inside a word: dropped rather than turned into a break. */
const WORD_INTERNAL = [0x2018, 0x2019, 0x201b, 0x2032, 0x02bc, 0x02b9, 0x00b4, 0x02bb, 0x00ad, 0x200b];

const COMBINING = /[\u0300-\u036f]/g;

/**
 * Folding of every code point 0x80–0x20FF: a string of upper-case ASCII letters, "" (dropped), or
 * undefined (a word break). Built from canonical decomposition, so every precomposed Latin letter
 * with diacritics (é, ñ, ș, ệ) is covered without listing it.
 */
const NON_ASCII: (string | undefined)[] = (() => {
  const table: (string | undefined)[] = new Array(TABLE_END).fill(undefined);
  for (let c = 0x80; c < TABLE_END; c++) {
    const ch = String.fromCharCode(c);
    // Combining marks (already decomposed input): dropped.
    if (c >= 0x0300 && c <= 0x036f) {
      table[c] = "";
      continue;
    }
    const direct = TRANSLITERATIONS[ch] ?? TRANSLITERATIONS[ch.toUpperCase()];
    if (direct !== undefined) {
      table[c] = direct;
      continue;
    }
    const base = ch.normalize("NFD").replace(COMBINING, "");
    if (base.length === 0 || base === ch) continue;
    let out = "";
    for (const b of base) {
      const code = b.charCodeAt(0);
      if (code < 128) {
        const action = ASCII_ACTION[code] as number;
        if (action >= SPECIAL_BASE) out += String.fromCharCode(action);
      } else {
        const t = TRANSLITERATIONS[b] ?? TRANSLITERATIONS[b.toUpperCase()];
        if (t !== undefined) out += t;
      }
    }
    if (out.length > 0) table[c] = out;
  }
  for (const c of WORD_INTERNAL) table[c] = "";
  return table;
})();

/** The output buffer, reused by every call; a Buffer because its latin1 decoding is the fastest. */
let buffer = Buffer.alloc(256);

function ensure(capacity: number): void {
  if (capacity > buffer.length) buffer = Buffer.alloc(Math.max(capacity, buffer.length * 2));
}

/**
 * `text` folded: upper-case ASCII letters and digits in words separated by single spaces, no
 * leading or trailing space; "&" becomes the word AND. With `keepHash`, "#" stays as a word of
 * its own (addresses write units as "#4B"); otherwise it is a break like any other mark.
 *
 * "José Núñez" → "JOSE NUNEZ"; "O'Brien" → "OBRIEN"; "Doe-Smith" → "DOE SMITH";
 * "Łukasz Żółć" → "LUKASZ ZOLC"; "Müller & Söhne" → "MULLER AND SOHNE".
 */
export function foldText(text: string, keepHash = false): string {
  const length = text.length;
  // At most five bytes per character: " AND" for "&", " SHCH" for "Щ".
  ensure(length * 5 + 8);
  const out = buffer;
  let n = 0;
  /** A break is owed before the next character written. */
  let pending = false;
  /** Whether the output differs from the input so far (false: the input can be returned). */
  let changed = false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const action = ASCII_ACTION[c] as number;
      if (action >= SPECIAL_BASE) {
        if (pending) {
          if (n > 0) out[n++] = 32;
          pending = false;
        }
        if (action !== c) changed = true;
        out[n++] = action;
        continue;
      }
      if (action === SEPARATOR) {
        // A single space between two written characters is the one thing that needs no change.
        if (c !== 32 || pending || n === 0) changed = true;
        pending = true;
        continue;
      }
      changed = true;
      if (action === DELETE) continue;
      if (action === HASH && !keepHash) {
        pending = true;
        continue;
      }
      // "&" → " AND ", "#" → " # ": a word of their own.
      if (n > 0) out[n++] = 32;
      if (action === AMPERSAND) {
        out[n++] = 65;
        out[n++] = 78;
        out[n++] = 68;
      } else out[n++] = 35;
      pending = true;
      continue;
    }
    changed = true;
    let folded: string | undefined;
    if (c < TABLE_END) folded = NON_ASCII[c];
    else if (c >= 0xff01 && c <= 0xff5e) {
      // Full-width forms: the ASCII character 0xFEE0 below.
      const action = ASCII_ACTION[c - 0xfee0] as number;
      folded = action >= SPECIAL_BASE ? String.fromCharCode(action) : undefined;
    }
    if (folded === undefined) {
      pending = true;
      continue;
    }
    if (folded.length === 0) continue;
    if (pending) {
      if (n > 0) out[n++] = 32;
      pending = false;
    }
    for (let k = 0; k < folded.length; k++) out[n++] = folded.charCodeAt(k);
  }
  if (!changed && n === length) return text;
  return out.toString("latin1", 0, n);
}

/**
 * The words of a folded text. Kept apart from `foldText` so that callers that only need the
 * string do not pay for the array.
 */
export function words(folded: string): string[] {
  return folded.length === 0 ? [] : folded.split(" ");
}

/** `foldText`, or null when nothing is left (null, blank, or punctuation only). */
export function foldOrNull(text: string | null | undefined, keepHash = false): string | null {
  if (text === null || text === undefined) return null;
  const folded = foldText(text, keepHash);
  return folded.length === 0 ? null : folded;
}
