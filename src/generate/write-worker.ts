import { parentPort } from "node:worker_threads";
import { DayFiles, type RealismSetup } from "./day-writer.js";
import { EventBatch, type EventColumns } from "./event-batch.js";
import type { BatchTables, WriterSetup } from "./transaction-writer.js";

/**
 * The writer's thread: formats and writes each day's transactions (hashing the files and counting
 * the realism figures) while the main thread makes the next day. Messages: `{setup, realism}`
 * first; then `{day: columns, tables}` → `{done}`; `{finish}` → `{finished: DaysWritten}`.
 */

const port = parentPort;
if (!port) throw new Error("write-worker.js runs as a worker thread");
let days: DayFiles | null = null;

interface Message {
  setup?: WriterSetup;
  realism?: RealismSetup;
  day?: EventColumns;
  tables?: BatchTables;
  finish?: true;
}

port.on("message", (message: Message) => {
  if (message.setup && message.realism) {
    days = new DayFiles(message.setup, message.realism);
    return;
  }
  if (!days) throw new Error("the writer's thread got a day before its setup");
  if (message.day && message.tables) {
    days.writeDay(EventBatch.fromColumns(message.day), message.tables);
    port.postMessage({ done: true });
  } else if (message.finish) {
    port.postMessage({ finished: days.finish() });
  }
});
