import { existsSync } from "node:fs";
import { parentPort, type MessagePort } from "node:worker_threads";
import { messageOf } from "./mlflow/errors.js";
import { SqliteStore } from "./mlflow/sqliteStore.js";
import type { KeyValue } from "./mlflow/types.js";
import { RecordWriter } from "./writer.js";
import type { FromWriter, ToWriter, WriterSessionInit } from "./writerProtocol.js";

/*
 * The SQLite writer thread: for the search it serves (a session), its own connection to the search's database and a
 * `RecordWriter` that commits the records the search's thread sends, in batches, reporting back which are done and
 * the ids they created. The thread outlives its sessions, so the next search of the process finds it started and
 * its code compiled.
 */

function parent(): MessagePort {
  if (parentPort === null) throw new Error("hyperopt-ts: the SQLite writer module runs only as a worker thread");
  return parentPort;
}

const port = parent();

interface Session {
  readonly s: number;
  readonly store: SqliteStore;
  readonly writer: RecordWriter;
  readonly tagsArrived: (tags: KeyValue[]) => void;
}

/** The search being served: one at a time (the next is opened once this one is closed). */
let current: Session | undefined;

function open(s: number, init: WriterSessionInit): void {
  const post = (message: FromWriter): void => port.postMessage(message);
  let store: SqliteStore;
  try {
    store = new SqliteStore(init.path, init.uri, { busyTimeoutMs: init.busyTimeoutMs, artifactRoot: init.artifactRoot });
  } catch (error) {
    return post({ s, t: "failed", message: messageOf(error) });
  }
  let tagsArrived: (tags: KeyValue[]) => void = () => {};
  const sourceTags = new Promise<KeyValue[]>((done) => (tagsArrived = done));
  const writer = new RecordWriter(store, {
    warn: (message) => post({ s, t: "warn", message }),
    sourceTags,
    batchMs: init.batchMs,
    ...(init.lockWaitMs !== undefined ? { lockWaitMs: init.lockWaitMs } : {}),
    onDone: (count, ids) => post({ s, t: "done", count, ids }),
    makeArtifacts: () => existsSync(init.path),
  });
  current = { s, store, writer, tagsArrived };
}

function close(session: Session): void {
  void session.writer.close().finally(async () => {
    await session.store.close();
    if (current === session) current = undefined;
    port.postMessage({ s: session.s, t: "closed" } satisfies FromWriter);
  });
}

port.on("message", (message: ToWriter) => {
  if (message.t === "open") return open(message.s, message.init);
  const session = current;
  if (session?.s !== message.s) return;
  switch (message.t) {
    case "ops":
      for (const op of message.ops) session.writer.enqueue(op);
      return;
    case "adopt":
      return session.writer.adopt(message.ref, message.id);
    case "sourceTags":
      return session.tagsArrived(message.tags);
    case "close":
      return close(session);
  }
});
