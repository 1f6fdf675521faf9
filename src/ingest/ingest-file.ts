import { rmSync } from "node:fs";
import { basename, join } from "node:path";
import type { IngestFormat, SensitivityTag } from "../model/source.js";
import type { IngestOutcome, ProgressSink, Store } from "../store/store.js";
import { UnusableInputError } from "./errors.js";
import { type FxTable, loadFxTable } from "./fx.js";
import { loadMapping, type MappingFile } from "./mapping.js";
import { writeLfCopy } from "./normalise-newlines.js";
import { amlworldPlan, mappedPlan, type ReadPlan } from "./plan.js";
import { readHead, scanFile } from "./scan-file.js";
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
export async function ingestPrepared(
  /** The store, or its opening: it opens while the file is hashed. */
  storeOrOpening: Store | Promise<Store>,
  item: Prepared,
  fx: FxTable,
  options: IngestOptions,
  tempDir: string,
  progress?: ProgressSink,
): Promise<FileResult> {
  const [file, store] = await Promise.all([scanFile(item.path, item.plan.dialect.quote), storeOrOpening]);
  const existing = await store.sourceFile(file.sha256);
  if (existing) {
    return {
      path: item.path,
      sha256: file.sha256,
      rows: existing.rows,
      accepted: 0,
      rejected: 0,
      duplicates: existing.rows - existing.rejected,
      already_ingested: true,
    };
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
    return { path: item.path, ...outcome, already_ingested: false };
  } finally {
    if (lfCopy) rmSync(lfCopy, { force: true });
  }
}
