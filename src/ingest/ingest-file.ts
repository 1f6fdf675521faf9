import { rmSync } from "node:fs";
import { basename, join } from "node:path";
import type { IngestFormat, SensitivityTag, SourceFile } from "../model/source.js";
import type { IngestOutcome, ProgressSink, Store } from "../store/store.js";
import { UnusableInputError } from "./errors.js";
import { type FxTable, loadFxTable } from "./fx.js";
import { loadMapping, type MappingFile } from "./mapping.js";
import { writeLfCopy } from "./normalise-newlines.js";
import { amlworldPlan, mappedPlan, type ReadPlan } from "./plan.js";
import { fingerprintOf, readHead, scanFile } from "./scan-file.js";
import { sniffDialect } from "./sniff.js";

export interface IngestOptions {
  format: IngestFormat;
  mappingPath?: string | undefined;
  sourceName?: string | undefined;
  fxPath?: string | undefined;
  agency?: string | undefined;
  legalBasis?: string | undefined;
  tags?: SensitivityTag[] | undefined;
}

export interface FileResult extends IngestOutcome {
  path: string;
  /** True when a file with the same SHA-256 was already ingested: nothing was added. */
  already_ingested: boolean;
}

/** A file whose plan has been checked against its header. */
export interface Prepared {
  path: string;
  plan: ReadPlan;
}

function planFor(path: string, options: IngestOptions, mapping: MappingFile | undefined): ReadPlan {
  const { head } = readHead(path);
  const name = basename(path);
  switch (options.format) {
    case "amlworld":
      return amlworldPlan(sniffDialect(head, { delimiter: ",", quote: '"' }, name), name);
    case "csv":
    case "parties": {
      if (!mapping) throw new UnusableInputError(`--format ${options.format} needs --mapping FILE`);
      const fixed = {
        delimiter: mapping.delimiter,
        ...(mapping.quote !== undefined ? { quote: mapping.quote } : {}),
      };
      return mappedPlan(mapping, sniffDialect(head, fixed, name), options.format, name);
    }
    case "iso20022":
    case "ftm":
      throw new UnusableInputError(
        `--format ${options.format}: this reader is not in this version yet (use amlworld, csv or parties)`,
      );
  }
}

/**
 * Everything that can make a file unusable is checked before any row is written: the format, the
 * mapping and its columns against each file's header. Returns one prepared plan per file.
 */
export function prepareFiles(paths: string[], options: IngestOptions): { prepared: Prepared[]; fx: FxTable } {
  const mapping = options.mappingPath ? loadMapping(options.mappingPath) : undefined;
  const fx = loadFxTable(options.fxPath);
  return { prepared: paths.map((path) => ({ path, plan: planFor(path, options, mapping) })), fx };
}

/** Loads one prepared file: hash, skip if already there, else one atomic load. */
function alreadyIngested(path: string, existing: SourceFile): FileResult {
  return {
    path,
    sha256: existing.sha256,
    rows: existing.rows,
    accepted: 0,
    rejected: 0,
    duplicates: existing.rows - existing.rejected,
    already_ingested: true,
  };
}

export async function ingestPrepared(
  /** The store, or its opening: it opens while the file is hashed. */
  storeOrOpening: Store | Promise<Store>,
  item: Prepared,
  fx: FxTable,
  options: IngestOptions,
  tempDir: string,
  progress?: ProgressSink,
): Promise<FileResult> {
  const before = fingerprintOf(item.path);
  const hashing = new AbortController();
  const scanning = scanFile(item.path, item.plan.dialect.quote, hashing.signal);
  scanning.catch(() => {}); // awaited below, unless a known fingerprint makes it unneeded
  const store = await storeOrOpening;
  const known = await store.fingerprintDigest(before);
  const knownFile = known ? await store.sourceFile(known) : null;
  if (knownFile) {
    hashing.abort(new Error("the file is known by its fingerprint"));
    return alreadyIngested(item.path, knownFile);
  }
  const file = await scanning;
  // Remembered only when the file did not change while it was read.
  const remember = async () => {
    const after = fingerprintOf(item.path);
    if (JSON.stringify(after) === JSON.stringify(before))
      await store.rememberFingerprint({ ...before, sha256: file.sha256 });
  };
  const existing = await store.sourceFile(file.sha256);
  if (existing) {
    await remember();
    return alreadyIngested(item.path, existing);
  }
  let lfCopy: string | undefined;
  if (file.containsCr) {
    lfCopy = join(tempDir, `${file.sha256}.lf.csv`);
    await writeLfCopy(file.path, lfCopy);
  }
  try {
    const outcome = await store.ingest(
      {
        file: { ...file, readPath: lfCopy ?? file.path },
        plan: item.plan,
        fx,
        sourceName: options.sourceName ?? file.name,
        agency: options.agency ?? null,
        legalBasis: options.legalBasis ?? null,
        tags: options.tags ?? [],
      },
      progress,
    );
    await remember();
    return { path: item.path, ...outcome, already_ingested: false };
  } finally {
    if (lfCopy) rmSync(lfCopy, { force: true });
  }
}
