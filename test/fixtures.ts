import { join } from "node:path";
import { writeAmlworldFile } from "../bench/amlworld-file.js";

/** A deterministic AMLworld-format file of `rows` data lines, from the same writer the benchmark uses. */
export function writeAmlworldRows(dir: string, name: string, rows: number, seed: number): string {
  const path = join(dir, name);
  writeAmlworldFile(path, rows, seed);
  return path;
}
