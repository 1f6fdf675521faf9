import { parentPort, workerData } from "node:worker_threads";
import { EventBatch, type EventColumns } from "./event-batch.js";
import { type BatchTables, TransactionWriter, type WriterSetup } from "./transaction-writer.js";

/**
 * The writer's thread: formats and writes each day's transactions (and hashes the files) while
 * the main thread makes the next day. Messages: `{day: columns, tables}` → `{done}`; `{finish}`
 * → `{finished: WrittenFiles}`.
 */

const port = parentPort;
if (!port) throw new Error("write-worker.js runs as a worker thread");
const writer = new TransactionWriter(workerData as WriterSetup);
port.on("message", (message: { day?: EventColumns; tables?: BatchTables; finish?: true }) => {
  if (message.day && message.tables) {
    writer.writeDay(EventBatch.fromColumns(message.day), message.tables);
    port.postMessage({ done: true });
  } else if (message.finish) {
    port.postMessage({ finished: writer.finish() });
  }
});
