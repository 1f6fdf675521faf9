import { z } from "zod";
import { Sha256 } from "./ids.js";
import { sql } from "./sql-meta.js";

/** Sensitivity tags a source file can carry; access control (src/access) enforces them. */
export const SensitivityTag = z.enum([
  "bsa",
  "fti-6103",
  "grand-jury-6e",
  "pii",
  "law-enforcement-sensitive",
]);
export type SensitivityTag = z.infer<typeof SensitivityTag>;

export const IngestFormat = z.enum(["amlworld", "csv", "parties", "iso20022", "ftm"]);
export type IngestFormat = z.infer<typeof IngestFormat>;

/** Where a record came from: a file by digest and a 1-based physical line in it. */
export const SourceRef = z.object({
  file: Sha256,
  line: z.number().int().positive(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const SourceFile = z.object({
  sha256: Sha256,
  name: z.string(),
  format: IngestFormat,
  bytes: z.number().int().nonnegative(),
  /** Data rows read (header and blank lines excluded). */
  rows: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** Rows whose record id was already in the store (overlapping files), counted once only. */
  duplicates: z.number().int().nonnegative(),
  ingested_at: sql(z.iso.datetime(), "TIMESTAMP"),
  agency: z.string().nullable(),
  legal_basis: z.string().nullable(),
  tags: z.array(SensitivityTag),
  /** The source's name (`ingest --source NAME`, else the file name). */
  source_name: z.string(),
  /** Version of the FX table that converted this file's amounts to USD. */
  fx_version: z.string().nullable(),
});
export type SourceFile = z.infer<typeof SourceFile>;

/** A row that failed validation, kept with the reason so nothing is lost. */
export const QuarantinedRow = z.object({
  file: Sha256,
  file_name: z.string(),
  line: z.number().int().positive(),
  field: z.string().nullable(),
  reason: z.string(),
  raw: z.string(),
});
export type QuarantinedRow = z.infer<typeof QuarantinedRow>;

/**
 * What the file system says of a file: when all of it is unchanged since the file was hashed, the
 * content is the same (any write changes the change time, which users cannot set), so a second
 * ingest of it is known to add nothing without reading it again. Git trusts the same facts.
 */
export const FileFingerprint = z.object({
  path: z.string(),
  device: z.string(),
  inode: z.string(),
  bytes: z.number().int().nonnegative(),
  mtime_ns: z.string(),
  ctime_ns: z.string(),
  sha256: Sha256,
});
export type FileFingerprint = z.infer<typeof FileFingerprint>;
