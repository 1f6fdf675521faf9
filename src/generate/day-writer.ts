import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { projectRoot } from "../util/project-root.js";
import { EventBatch } from "./event-batch.js";
import {
  type BatchTables,
  TransactionWriter,
  type WriterSetup,
  type WrittenFiles,
} from "./transaction-writer.js";

/**
 * Writes the days either in this thread or in a worker thread that formats day d while this
 * thread makes day d+1 (the two cores share the work; the bytes are the same either way). At
 * most two days wait for the worker, so memory stays bounded however large the world.
 */
export interface DayWriter {
  /** Takes the batch (after this call the caller must not reuse it). */
  writeDay(batch: EventBatch, tables: BatchTables): Promise<void>;
  finish(): Promise<WrittenFiles>;
  abandon(): void;
}

class InThreadWriter implements DayWriter {
  private readonly writer: TransactionWriter;

  constructor(setup: WriterSetup) {
    this.writer = new TransactionWriter(setup);
  }

  async writeDay(batch: EventBatch, tables: BatchTables): Promise<void> {
    this.writer.writeDay(batch, tables);
  }

  async finish(): Promise<WrittenFiles> {
    return this.writer.finish();
  }

  abandon(): void {
    this.writer.abandon();
  }
}

/** The worker's script: beside this module when built; from the build when run from sources (tests). */
function workerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts")
    ? pathToFileURL(join(projectRoot(), "dist", "src", "generate", "write-worker.js"))
    : new URL("./write-worker.js", import.meta.url);
}

const MAX_IN_FLIGHT = 2;

class WorkerWriter implements DayWriter {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  private failure: Error | null = null;
  private finished: ((files: WrittenFiles) => void) | null = null;

  constructor(setup: WriterSetup) {
    this.worker = new Worker(workerUrl(), { workerData: setup });
    this.worker.on("message", (m: { done?: true; finished?: WrittenFiles }) => {
      if (m.done) {
        this.inFlight--;
        this.waiting.shift()?.();
      } else if (m.finished) this.finished?.(m.finished);
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      for (const wake of this.waiting.splice(0)) wake();
    });
  }

  async writeDay(batch: EventBatch, tables: BatchTables): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure)
      await new Promise<void>((wake) => this.waiting.push(wake));
    if (this.failure) throw this.failure;
    const columns = batch.columns();
    this.inFlight++;
    this.worker.postMessage({ day: columns, tables }, EventBatch.buffers(columns));
  }

  async finish(): Promise<WrittenFiles> {
    if (this.failure) throw this.failure;
    const files = await new Promise<WrittenFiles>((resolve, reject) => {
      this.finished = resolve;
      this.worker.once("error", reject);
      this.worker.postMessage({ finish: true });
    });
    await this.worker.terminate();
    return files;
  }

  abandon(): void {
    void this.worker.terminate();
  }
}

export function dayWriter(setup: WriterSetup, threaded: boolean): DayWriter {
  return threaded ? new WorkerWriter(setup) : new InThreadWriter(setup);
}
