import { Worker } from "node:worker_threads";
import { moduleBeside, workerExecArgv } from "../executors/worker/entryFile.js";
import { prepareEntry } from "../executors/worker/transpile.js";
import { messageOf } from "./mlflow/errors.js";
import type { ArtifactRecipe } from "./mlflow/artifactRecipe.js";
import type { TrackingOp } from "./mlflow/ops.js";
import type { SqliteStore } from "./mlflow/sqliteStore.js";
import type { RecordSink } from "./recordSink.js";
import { RecordWriter, type WriterOptions } from "./writer.js";
import type { FromWriter, ToWriter } from "./writerProtocol.js";

/** Records wait this long (ms) on the search's thread before they are sent on together... */
const SEND_MS = 20;
/** ...or until this many have gathered. */
const SEND_COUNT = 256;
/**
 * The writer thread's least time between two commits (ms): it waits on the disk, never on the search. A commit
 * writes every page its rows touched twice (journal, then database), and the random run ids spread even a small
 * batch's rows over most index pages, so fewer, larger commits cost the thread less CPU per trial (100 ms: about
 * 10-15% less than 25 ms over a 1000-trial search). What is left to commit when the search ends, which the search
 * waits for, stays short: transactions stay short too, as other processes may be waiting to write.
 */
const THREAD_BATCH_MS = 100;

let entry: Promise<string> | undefined;

/** The writer thread's module as JavaScript, made once per process (compiled when running from the TypeScript sources). */
function writerEntry(): Promise<string> {
  entry ??= prepareEntry(moduleBeside(import.meta.url, "writerThread")).then((prepared) => prepared.filename);
  return entry;
}

/** What a writer thread tells the session (a ThreadedWriter) it serves. */
interface Session {
  readonly id: number;
  receive(message: FromWriter): void;
  /** The thread stopped. */
  stopped(reason: string): void;
}

/**
 * A writer thread. It serves one search at a time (a session, with its own connection); when the session is over,
 * the thread waits, unreferenced (the process can end), for the process's next search that records to SQLite,
 * which then finds it started and its code compiled. One waiting thread is kept per thread module; searches that
 * run at the same time each get a thread of their own, so that their SQLite work runs side by side.
 */
interface WriterThread {
  readonly file: string;
  readonly worker: Worker;
  session: Session | undefined;
  /** It stopped, or was told to. */
  ended: boolean;
}

/** Per thread module file, the thread waiting for a session. */
const waiting = new Map<string, WriterThread>();
let sessionCount = 0;

function startThread(file: string): WriterThread {
  const worker = new Worker(file, { execArgv: workerExecArgv(file) });
  worker.unref();
  const thread: WriterThread = { file, worker, session: undefined, ended: false };
  const stop = (reason: string): void => {
    if (thread.ended) return;
    thread.ended = true;
    if (waiting.get(file) === thread) waiting.delete(file);
    const session = thread.session;
    thread.session = undefined;
    session?.stopped(reason);
  };
  worker.on("message", (message: FromWriter) => {
    if (message.s === thread.session?.id) thread.session.receive(message);
  });
  worker.on("error", (error) => stop(messageOf(error)));
  worker.on("exit", (code) => stop(`it exited with code ${code}`));
  return thread;
}

/** A thread for a new session: the one waiting, or a new one. */
function takeThread(file: string, session: Session): WriterThread {
  const thread = waiting.get(file) ?? startThread(file);
  waiting.delete(file);
  thread.session = session;
  return thread;
}

/** The thread's session is over: it waits for the next one, unless another thread already does (it then ends). */
function giveBack(thread: WriterThread): void {
  thread.session = undefined;
  thread.worker.unref();
  if (thread.ended) return;
  if (!waiting.has(thread.file)) return void waiting.set(thread.file, thread);
  thread.ended = true;
  void thread.worker.terminate();
}

/**
 * Commits the records of an SQLite store on the writer thread, with a connection of its own there: the search's
 * thread only queues them and sends them on in batches. The thread reports which records are done and the ids they
 * created. When it stops unexpectedly, what it committed stays in the database and the records it had not
 * finished are stored from the search's thread instead, through `store`. Artifacts with a recipe (report.html)
 * can be left to the thread to make after `close` resolved (`defer`).
 */
export class ThreadedWriter implements RecordSink, Session {
  private readonly ids = new Map<string, string>();
  /** Records sent or still to send that the thread has not reported done, in order. */
  private readonly unfinished: TrackingOp[] = [];
  private outbox: TrackingOp[] = [];
  private readonly early: ToWriter[] = [];
  readonly id = ++sessionCount;
  private thread: WriterThread | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fallback: RecordWriter | undefined;
  private closing = false;
  /** The thread closed the session as asked. */
  private finished = false;
  private settle: (() => void) | undefined;
  /** Resolves when every record but the deferred artifacts is stored (or handed to the fallback). */
  private readonly settled = new Promise<void>((done) => (this.settle = () => ((this.isSettled = true), done())));
  private isSettled = false;
  private endSession: (() => void) | undefined;
  /**
   * Resolves when the thread is done with this search: it has closed the session (after `close` resolved, once the
   * deferred artifacts are stored) and waits for the next search, or the records went to the search's thread.
   */
  readonly sessionEnded = new Promise<void>((done) => (this.endSession = done));

  readonly spoolFile = undefined;

  /** `entry`: the thread's module file (the writer module, or one that wraps it). */
  constructor(
    private readonly store: SqliteStore,
    private readonly options: WriterOptions,
    entry: () => Promise<string> = writerEntry,
  ) {
    void options.sourceTags?.then((tags) => this.post({ s: this.id, t: "sourceTags", tags }));
    entry().then(
      (file) => this.start(file),
      (error: unknown) => this.fallBack(`its module could not be loaded: ${messageOf(error)}`),
    );
  }

  idOf(ref: string): string | undefined {
    return this.fallback?.idOf(ref) ?? this.ids.get(ref);
  }

  adopt(ref: string, id: string): void {
    this.ids.set(ref, id);
    if (this.fallback) return this.fallback.adopt(ref, id);
    this.send();
    this.post({ s: this.id, t: "adopt", ref, id });
  }

  enqueue(op: TrackingOp): void {
    if (this.fallback) return this.fallback.enqueue(op);
    this.unfinished.push(op);
    this.outbox.push(op);
    if (this.outbox.length >= SEND_COUNT) this.send();
    else this.timer ??= setTimeout(() => this.send(), SEND_MS).unref();
  }

  send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.outbox.length === 0 || this.fallback) return;
    const ops = this.outbox;
    this.outbox = [];
    this.post({ s: this.id, t: "ops", ops });
  }

  defer(op: TrackingOp & { kind: "artifact"; recipe: ArtifactRecipe }): boolean {
    if (this.fallback || this.thread === undefined) return false;
    this.send();
    try {
      this.thread.worker.postMessage({ s: this.id, t: "ops", ops: [op] } satisfies ToWriter);
    } catch {
      return false;
    }
    this.unfinished.push(op);
    return true;
  }

  /**
   * Sends what is left, then waits until the thread has committed every record; deferred artifacts are made and
   * stored after that, the thread kept alive (and the process with it) until it has closed the session's connection.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.fallback) {
      this.send();
      await this.options.sourceTags;
      this.post({ s: this.id, t: "close" });
      this.holdThread();
      this.settleWhenOnlyDeferred();
      await this.settled;
    }
    await this.fallback?.close();
  }

  receive(message: FromWriter): void {
    switch (message.t) {
      case "done":
        this.unfinished.splice(0, message.count);
        for (const [ref, id] of message.ids) this.ids.set(ref, id);
        return this.settleWhenOnlyDeferred();
      case "warn":
        return this.options.warn(message.message);
      case "failed":
        return this.fallBack(`the database could not be opened there: ${message.message}`);
      case "closed":
        this.finished = true;
        this.unfinished.length = 0;
        this.leaveThread();
        this.settle?.();
    }
  }

  stopped(reason: string): void {
    this.thread = undefined;
    this.fallBack(reason);
  }

  private settleWhenOnlyDeferred(): void {
    if (this.closing && this.unfinished.every((op) => op.kind === "artifact" && op.recipe !== undefined)) this.settle?.();
  }

  private start(file: string): void {
    if (this.fallback) return;
    const store = this.store;
    const thread = takeThread(file, this);
    this.thread = thread;
    const init = { path: store.path, uri: store.uri, busyTimeoutMs: store.busyTimeoutMs, artifactRoot: store.artifactRoot, batchMs: THREAD_BATCH_MS, lockWaitMs: this.options.lockWaitMs };
    thread.worker.postMessage({ s: this.id, t: "open", init } satisfies ToWriter);
    for (const message of this.early.splice(0)) thread.worker.postMessage(message);
    if (this.closing) this.holdThread();
  }

  /** Keeps the thread, and so the process, alive until it has closed the session. */
  private holdThread(): void {
    this.thread?.worker.ref();
  }

  /** The session is over on the thread: it no longer hears from it nor keeps it alive. */
  private leaveThread(): void {
    if (this.thread) giveBack(this.thread);
    this.thread = undefined;
    this.endSession?.();
  }

  private post(message: ToWriter): void {
    if (this.thread) this.thread.worker.postMessage(message);
    else if (!this.fallback) this.early.push(message);
  }

  /**
   * The thread stopped, or could not take the session, before it closed it: the records it had not reported done
   * are stored from this thread, in order, by a `RecordWriter` on the search's own connection (what the thread
   * committed stays as it is).
   */
  private fallBack(reason: string): void {
    if (this.fallback || this.finished) return;
    this.leaveThread();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.isSettled) {
      const paths = this.unfinished.map((op) => (op.kind === "artifact" ? op.path : op.kind)).join(", ");
      this.finished = true;
      return this.options.warn(`the SQLite writer thread stopped (${reason}) before it stored ${paths}`);
    }
    const writer = new RecordWriter(this.store, this.options);
    for (const [ref, id] of this.ids) writer.adopt(ref, id);
    this.options.warn(`the SQLite writer thread stopped (${reason}); the ${this.unfinished.length} records it had not stored are stored from the search's thread`);
    for (const op of this.unfinished.splice(0)) writer.enqueue(op);
    this.outbox = [];
    this.early.length = 0;
    this.fallback = writer;
    this.settle?.();
  }
}
