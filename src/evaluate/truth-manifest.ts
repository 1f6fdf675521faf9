import { z } from "zod";
import { Sha256 } from "../model/ids.js";

/** One data file of a generated world, as `truth/manifest.json` lists it (the files sit next to `truth/`). */
export const ManifestFile = z.object({
  name: z.string().min(1),
  format: z.enum(["amlworld", "csv", "parties"]),
  mapping: z.string().min(1).optional(),
  sha256: Sha256,
  rows: z.number().int().nonnegative(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** `truth/manifest.json`: what generated the world and the digest of every file it wrote. */
export const TruthManifest = z.object({
  generator: z.literal("moneytrail-generate"),
  version: z.literal(1),
  seed: z.number().int(),
  start: z.iso.date(),
  days: z.number().int().positive(),
  options: z.record(z.string(), z.unknown()),
  files: z.array(ManifestFile),
});
export type TruthManifest = z.infer<typeof TruthManifest>;

/**
 * The digests of the world's transaction files. Both hold the same transactions on the same lines,
 * so a SourceRef into either names a transaction by its line.
 */
export function transactionFileDigests(manifest: TruthManifest): Set<string> {
  return new Set(manifest.files.filter((f) => f.format !== "parties").map((f) => f.sha256));
}
