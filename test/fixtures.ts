import { AMLWORLD_HEADER, writeFile } from "./helpers.js";

const CURRENCIES = ["US Dollar", "Euro", "Yuan", "Yen", "Rupee", "UK Pound", "Bitcoin"];
const FORMATS = ["ACH", "Cheque", "Cash", "Credit Card", "Wire", "Reinvestment", "Bitcoin"];

/** A small deterministic AMLworld-format file: `rows` data lines after the header. */
export function writeAmlworldRows(dir: string, name: string, rows: number, seed: number): string {
  let s = seed * 2654435761;
  const rand = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const lines = [AMLWORLD_HEADER];
  for (let i = 0; i < rows; i++) {
    const minute = Math.floor((i / rows) * 20 * 24 * 60);
    const d = new Date(Date.UTC(2022, 8, 1) + minute * 60_000);
    const ts = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    const bank = () => String(Math.floor(rand() * 200)).padStart(3, "0");
    const acct = () => (0x800000000 + Math.floor(rand() * 5000)).toString(16).toUpperCase();
    const cur = CURRENCIES[Math.floor(rand() * CURRENCIES.length)] as string;
    const amt = (rand() * 10_000).toFixed(2);
    lines.push(
      `${ts},${bank()},${acct()},${bank()},${acct()},${amt},${cur},${amt},${cur},${FORMATS[Math.floor(rand() * 7)]},${rand() < 0.01 ? 1 : 0}`,
    );
  }
  return writeFile(dir, name, `${lines.join("\n")}\n`);
}
