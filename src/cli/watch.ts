import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type DetectSummary, detect, type GraphHolder, readyScratch } from "../detect/detect.js";
import { measuresPending, writeHeldMeasures } from "../detect/detection-graph.js";
import { referenceListDigests, referenceListFiles } from "../detect/reference-lists.js";
import type { RulePack } from "../detect/rule-pack.js";
import { UnusableInputError } from "../ingest/errors.js";
import { Inbox } from "../ingest/inbox.js";
import { type FileResult, type IngestOptions, ingestPrepared, prepareFiles } from "../ingest/ingest-file.js";
import { WorkspaceBusyError } from "../store/errors.js";
import { openStore, storeFiles } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { type Command, type Context, UsageError } from "./command.js";
import { detectSnapshotDir, packOf } from "./detect.js";
import { INGEST_HELP, INGEST_OPTIONS, ingestOptionsOf } from "./ingest.js";

/**
 * `moneytrail watch INBOX`: a monitor for a feed (docs/watch.md). Each file the feed drops in the
 * inbox is ingested as `ingest` does, then `detect` runs as the command does, on the graph the
 * last run left in this process's memory: no snapshot read back, no process started, which were
 * most of an incremental run of the command. The store is opened for each look that takes files
 * (or follows a change made elsewhere: another command's ingest, an edited reference list) and
 * closed after it, so other commands (alerts, trace, cases) can use the workspace meanwhile.
 */

const DEFAULT_INTERVAL_SECONDS = 5;

/** What one look did: the files it took, and the detection run after them. */
export interface WatchLook {
  at: string;
  files: FileResult[];
  /** Files that could not be read, moved to `failed/`. */
  failed: { path: string; error: string }[];
  /** The run after the files (null when none added anything). */
  detect: DetectSummary | null;
  /** Wall seconds: ingesting the files, and the detection run. */
  seconds: { ingest: number; detect: number };
}

interface Watch {
  ctx: Context;
  pack: RulePack;
  ingestOptions: IngestOptions;
  /** The graph of the last run, for the next (`GraphHolder`). */
  holder: GraphHolder;
  /** What the last look left (`contentOf`): a look for a change elsewhere detects only if it differs. */
  content: string | null;
}

/**
 * What the alerts depend on besides the pack and the inbox: the stored files, transactions and
 * party records (another command may ingest some), and the reference lists (a deployment may edit
 * them). Alert statuses, cases and another process's detect run change none of it.
 */
async function contentOf(store: Store): Promise<string> {
  const c = await store.counts();
  return JSON.stringify([c.source_files, c.transactions, c.parties, referenceListDigests()]);
}

/**
 * The sizes and times of files: between looks, a change to the store's (another process wrote to
 * it) or to the reference lists' (a list was edited) is worth a look at the store (`contentOf`);
 * cheap enough for every look, where opening the store is not.
 */
function stampOf(files: readonly string[]): string {
  return JSON.stringify(
    files.map((f) => {
      const s = statSync(f, { throwIfNoEntry: false });
      return s ? [s.size, s.mtimeMs] : null;
    }),
  );
}

const since = (start: number) => Math.round(performance.now() - start) / 1000;

/**
 * Writes the held graph's measures into the snapshot, which the runs leave to this process
 * (`writeHeldMeasures`): at a look with nothing to take nor arriving, and when `watch` stops, off
 * the path of a delivery, so that a `detect` after it carries them rather than works them out. The store is
 * opened for it as for a look (its lock guards the snapshot too). A graph held with a snapshot
 * another process has written since is let go: the next run would set it aside.
 */
async function settle(w: Watch): Promise<void> {
  const held = w.holder.graph;
  if (!held || !measuresPending(held)) return;
  const store = await openStore({ workspaceDir: w.ctx.workspaceDir, storeUrl: w.ctx.storeUrl });
  try {
    w.holder.graph = await writeHeldMeasures(detectSnapshotDir(w.ctx.workspaceDir), held);
  } finally {
    await store.close();
  }
}

/**
 * Ingests `paths` (each moved out of the inbox once handled), then detects if any added rows; the
 * first look (`paths` empty), and one after a look that failed, detect regardless ("always"): the
 * first brings the alerts up to date with the store and the graph into memory. A look for a change
 * made elsewhere ("changed") detects if the store or the lists now hold something else.
 */
async function look(
  w: Watch,
  inbox: Inbox,
  paths: string[],
  when: "added" | "always" | "changed" = "added",
): Promise<WatchLook> {
  const store = await openStore({ workspaceDir: w.ctx.workspaceDir, storeUrl: w.ctx.storeUrl });
  try {
    const at = new Date().toISOString();
    const started = performance.now();
    const files: FileResult[] = [];
    const failed: WatchLook["failed"] = [];
    for (const path of paths) {
      let result: FileResult;
      try {
        const { prepared, fx } = prepareFiles([path], w.ingestOptions);
        result = await ingestPrepared(
          store,
          prepared[0] as (typeof prepared)[0],
          fx,
          w.ingestOptions,
          join(w.ctx.workspaceDir, "tmp"),
        );
      } catch (error) {
        if (!(error instanceof UnusableInputError)) throw error;
        failed.push({ path: inbox.failed(path, error.message), error: error.message });
        continue;
      }
      files.push({ ...result, path: inbox.ingested(path) });
    }
    const ingestSeconds = since(started);
    const added = files.some((f) => !f.already_ingested);
    const content = await contentOf(store);
    const detectStart = performance.now();
    const runs = added || when === "always" || (when === "changed" && content !== w.content);
    const summary = runs
      ? await detect(store, w.pack, {
          snapshotDir: detectSnapshotDir(w.ctx.workspaceDir),
          holder: w.holder,
        })
      : null;
    w.content = content;
    return {
      at,
      files,
      failed,
      detect: summary,
      seconds: { ingest: ingestSeconds, detect: since(detectStart) },
    };
  } finally {
    await store.close();
  }
}

function report(ctx: Context, l: WatchLook): void {
  if (ctx.json) {
    ctx.io.stdout(`${JSON.stringify(l)}\n`);
    return;
  }
  for (const f of l.files)
    ctx.io.stderr(
      `${l.at} ${f.path}: ${f.already_ingested ? "already ingested, nothing added" : `${f.accepted} accepted, ${f.rejected} rejected, ${f.duplicates} duplicates`}\n`,
    );
  for (const f of l.failed) ctx.io.stderr(`${l.at} ${f.path}: not read: ${f.error}\n`);
  const d = l.detect;
  if (d)
    ctx.io.stderr(
      `${l.at} detect: ${d.newTransactions} transactions not seen before; alerts ${d.alerts.new} new, ${d.alerts.updated} extended, ${d.alerts.unchanged} unchanged (${l.seconds.detect} s)\n`,
    );
}

export const watchCommand: Command = {
  name: "watch",
  summary: "monitor an inbox: ingest each file a feed drops there, then detect on the graph kept in memory",
  usage:
    "moneytrail watch INBOX --format amlworld|csv|parties [--mapping FILE] [--pack FILE] [--only ID,…] [--interval S] [--once]",
  help: [
    ...INGEST_HELP,
    "  --pack FILE      the rule pack, as for detect (default: packs/default.yaml); --only ID,… its detectors",
    `  --interval S     seconds between looks at the inbox (default ${DEFAULT_INTERVAL_SECONDS})`,
    "  --once           take the files in the inbox now (they must be whole), ingest them, detect, and exit",
    "A file is taken once its size and time stay the same from one look to the next; names starting",
    "with '.' are left alone (copy under such a name, then rename). Taken files move to INBOX/ingested/,",
    "or to INBOX/failed/ with NAME.error.txt saying why. After the files of a look, detect runs as",
    "`moneytrail detect` does, on the graph the last run left in memory (docs/watch.md); the",
    "workspace is free for other commands between looks. A file another command ingested, new party",
    "records or an edited reference list are taken in at the next look. --json: one JSON document per",
    "line and look.",
    "Stops on SIGINT or SIGTERM once the look in hand is done.",
  ],
  options: {
    ...INGEST_OPTIONS,
    pack: { type: "string" },
    only: { type: "string" },
    interval: { type: "string" },
    once: { type: "boolean" },
  },
  async run(ctx, { values, positionals }) {
    if (positionals.length !== 1) throw new UsageError("watch: name one INBOX directory");
    const dir = positionals[0] as string;
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
      throw new UsageError(`watch: ${dir} is not a directory (the inbox a feed drops its files in)`);
    const interval = Number(values.interval ?? DEFAULT_INTERVAL_SECONDS);
    if (!(interval > 0))
      throw new UsageError(`watch: --interval takes seconds above 0, got "${values.interval}"`);
    const w: Watch = {
      ctx,
      pack: packOf("watch", values),
      ingestOptions: ingestOptionsOf("watch", values),
      holder: { graph: null },
      content: null,
    };
    const inbox = new Inbox(dir);
    if (values.once === true) {
      const l = await look(w, inbox, inbox.ready(true));
      report(ctx, l);
      await settle(w);
      return l.failed.length > 0 ? 1 : 0;
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      // Files taken but not handled (the workspace busy with another command), and whether a run
      // is owed (a look that failed, perhaps after storing some files): tried again next look.
      // The first look takes no file (none has been seen twice yet) and owes a run: the alerts
      // brought up to date with the store, the graph into memory.
      let pending: string[] = [];
      let owed = true;
      // The store's and lists' files as the last look left them: a change between looks (another
      // command ingested a file or party records, a list was edited) is looked into. The store's
      // are stamped after a look (no other process writes during one, and its own writes are no
      // change), the lists' before it (an edit made during the look may have come too late).
      const storeFilesOf = storeFiles({ workspaceDir: ctx.workspaceDir, storeUrl: ctx.storeUrl });
      let stamp = { store: "", lists: "" };
      for (let first = true; !stop.signal.aborted; first = false) {
        if (!first) await sleep(interval * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
        if (stop.signal.aborted) break;
        const paths = [...new Set([...pending, ...inbox.ready()])];
        const lists = stampOf(referenceListFiles());
        const changed = stampOf(storeFilesOf) !== stamp.store || lists !== stamp.lists;
        if (paths.length === 0 && !owed && !changed) {
          // Not while a file is arriving: the run it brings would share the disk with the write.
          if (inbox.arriving()) continue;
          await settle(w).catch((error) => {
            // Busy: at a later quiet look. Else the graph is let go, its measures left to a run.
            if (error instanceof WorkspaceBusyError) return;
            w.holder.graph = null;
            ctx.io.stderr(`${new Date().toISOString()} watch: ${(error as Error).stack ?? String(error)}\n`);
          });
          continue;
        }
        try {
          const l = await look(w, inbox, paths, owed ? "always" : changed ? "changed" : "added");
          // A look into a change that changed nothing the alerts depend on says nothing.
          if (l.files.length > 0 || l.failed.length > 0 || l.detect) report(ctx, l);
          // Once reported: the next run's working tables made ready meanwhile.
          readyScratch(w.holder);
          pending = [];
          owed = false;
          stamp = { store: stampOf(storeFilesOf), lists };
        } catch (error) {
          pending = paths.filter((p) => existsSync(p));
          owed = true;
          const busy = error instanceof WorkspaceBusyError;
          ctx.io.stderr(
            `${new Date().toISOString()} watch: ${busy ? `${(error as Error).message}; trying again at the next look` : ((error as Error).stack ?? String(error))}\n`,
          );
        }
      }
      await settle(w).catch((error) => {
        if (!(error instanceof WorkspaceBusyError)) throw error;
        ctx.io.stderr(
          `${new Date().toISOString()} watch: ${error.message}; the graph's measures are left for the next run to work out\n`,
        );
      });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return 0;
  },
};
