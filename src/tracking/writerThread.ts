import { existsSync } from "node:fs";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { messageOf } from "./mlflow/errors.js";
import { SqliteStore } from "./mlflow/sqliteStore.js";
import type { KeyValue } from "./mlflow/types.js";
import { RecordWriter } from "./writer.js";
import type { FromWriter, ToWriter, WriterThreadInit } from "./writerProtocol.js";

/*
 * The SQLite writer thread: its own connection to the search's database and a `RecordWriter` that commits the
 * records the search's thread sends, in batches, reporting back which are done and the ids they created.
 */

function parent(): MessagePort {
  if (parentPort === null) throw new Error("hyperopt-ts: the SQLite writer module runs only as a worker thread");
  return parentPort;
}

const port = parent();
const init = workerData as WriterThreadInit;
const post = (message: FromWriter): void => port.postMessage(message);

function open(): SqliteStore | undefined {
  try {
    return new SqliteStore(init.path, init.uri, { busyTimeoutMs: init.busyTimeoutMs, artifactRoot: init.artifactRoot });
  } catch (error) {
    post({ t: "failed", message: messageOf(error) });
    port.close();
    return undefined;
  }
}

const store = open();
if (store !== undefined) {
  let tagsArrived: (tags: KeyValue[]) => void = () => {};
  const sourceTags = new Promise<KeyValue[]>((done) => (tagsArrived = done));
  const writer = new RecordWriter(store, {
    warn: (message) => post({ t: "warn", message }),
    sourceTags,
    batchMs: init.batchMs,
    ...(init.lockWaitMs !== undefined ? { lockWaitMs: init.lockWaitMs } : {}),
    onDone: (count, ids) => post({ t: "done", count, ids }),
    makeArtifacts: () => existsSync(init.path),
  });
  port.on("message", (message: ToWriter) => {
    switch (message.t) {
      case "ops":
        for (const op of message.ops) writer.enqueue(op);
        return;
      case "adopt":
        return writer.adopt(message.ref, message.id);
      case "sourceTags":
        return tagsArrived(message.tags);
      case "close":
        void writer.close().finally(async () => {
          await store.close();
          post({ t: "closed" });
          port.close();
        });
    }
  });
}
