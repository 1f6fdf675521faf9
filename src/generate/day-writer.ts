import { Worker } from "node:worker_threads";
import { workerScript } from "../util/worker-script.js";
import { EventBatch } from "./event-batch.js";
import { type CountedFigures, RealismCounter } from "./realism.js";
import {
  type BatchTables,
  setupTransfers,
  TransactionWriter,
  type WriterSetup,
  type WrittenFiles,
} from "./transaction-writer.js";

/**
 * Writes the days either in this thread or in a worker thread that formats day d while this
 * thread makes day d+1 (the two cores share the work; the bytes are the same either way). At
 * most two days wait for the worker, so memory stays bounded however large the world. The
 * realism figures are counted where the days are written: in the worker, off the main thread,
 * which has the more work. The worker is started before the world is built (its start-up
 * overlaps the build) and told about the world once it is (`start`).
 */
export interface DayWriter {
  /** Hands over what writing needs to know of the world: once, before the first day. */
  start(setup: WriterSetup, realism: RealismSetup): void;
  /**
   * Takes the batch (after this call the caller must not reuse it). While the writer is too busy
   * to take it, `idle` is called to do a little other work (it returns false when it has none).
   */
  writeDay(batch: EventBatch, tables: BatchTables, idle?: IdleWork): Promise<void>;
  finish(): Promise<DaysWritten>;
  abandon(): void;
}

/** What the realism counter needs to know (realism.ts). */
export interface RealismSetup {
  accounts: number;
  usdPerUnit: [string, number][];
}

export interface DaysWritten {
  files: WrittenFiles;
  realism: CountedFigures;
}

/** A short piece of other work (a few milliseconds); false when there is none left. */
export type IdleWork = () => boolean;

/** Lets the event loop deliver the worker's messages between two pieces of idle work. */
function tick(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}

/** Writes and counts the days: the same in this thread and in the worker's. */
export class DayFiles {
  private readonly writer: TransactionWriter;
  private readonly realism: RealismCounter;

  constructor(setup: WriterSetup, realism: RealismSetup) {
    this.writer = new TransactionWriter(setup);
    this.realism = new RealismCounter(realism.accounts, realism.usdPerUnit);
  }

  writeDay(batch: EventBatch, tables: BatchTables): void {
    this.writer.writeDay(batch, tables);
    this.realism.addBatch(batch, tables.currencies);
  }

  finish(): DaysWritten {
    return { files: this.writer.finish(), realism: this.realism.figures() };
  }

  abandon(): void {
    this.writer.abandon();
  }
}

class InThreadWriter implements DayWriter {
  private days: DayFiles | null = null;

  start(setup: WriterSetup, realism: RealismSetup): void {
    this.days = new DayFiles(setup, realism);
  }

  private started(): DayFiles {
    if (!this.days) throw new Error("the day writer was not started");
    return this.days;
  }

  async writeDay(batch: EventBatch, tables: BatchTables): Promise<void> {
    this.started().writeDay(batch, tables);
  }

  async finish(): Promise<DaysWritten> {
    return this.started().finish();
  }

  abandon(): void {
    this.days?.abandon();
  }
}

const MAX_IN_FLIGHT = 2;

class WorkerWriter implements DayWriter {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  private failure: Error | null = null;
  private finished: ((days: DaysWritten) => void) | null = null;

  constructor() {
    this.worker = new Worker(workerScript(import.meta.url, "write-worker.js"));
    this.worker.on("message", (m: { done?: true; finished?: DaysWritten }) => {
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

  start(setup: WriterSetup, realism: RealismSetup): void {
    // The setup's account bytes move to the worker's thread (the caller does not use them again).
    this.worker.postMessage({ setup, realism }, setupTransfers(setup));
  }

  async writeDay(batch: EventBatch, tables: BatchTables, idle?: IdleWork): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure) {
      if (idle?.()) await tick();
      else await new Promise<void>((wake) => this.waiting.push(wake));
    }
    if (this.failure) throw this.failure;
    const columns = batch.columns();
    this.inFlight++;
    this.worker.postMessage({ day: columns, tables }, EventBatch.buffers(columns));
  }

  async finish(): Promise<DaysWritten> {
    if (this.failure) throw this.failure;
    const days = await new Promise<DaysWritten>((resolve, reject) => {
      this.finished = resolve;
      this.worker.once("error", reject);
      this.worker.postMessage({ finish: true });
    });
    await this.worker.terminate();
    return days;
  }

  abandon(): void {
    void this.worker.terminate();
  }
}

export function dayWriter(threaded: boolean): DayWriter {
  return threaded ? new WorkerWriter() : new InThreadWriter();
}
