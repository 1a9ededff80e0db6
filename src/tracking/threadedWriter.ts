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

/** What a writer thread tells a session (a ThreadedWriter) about it. */
interface Session {
  receive(message: FromWriter): void;
  /** The thread stopped. */
  stopped(reason: string): void;
}

/**
 * A writer thread, started by the first search of the process that records to SQLite and kept for the next ones
 * (each a session on it, with its own connection), so that they find it started and its code compiled. It keeps
 * the process alive only while a session is closing (its last records, then its deferred artifacts).
 */
interface SharedThread {
  readonly worker: Worker;
  readonly sessions: Map<number, Session>;
  /** Sessions closing. */
  holds: number;
}

/** Per thread module file, its running thread. */
const threads = new Map<string, SharedThread>();
let sessionCount = 0;

function threadFor(file: string): SharedThread {
  const running = threads.get(file);
  if (running) return running;
  const worker = new Worker(file, { execArgv: workerExecArgv(file) });
  worker.unref();
  const thread: SharedThread = { worker, sessions: new Map(), holds: 0 };
  threads.set(file, thread);
  const stop = (reason: string): void => {
    if (threads.get(file) === thread) threads.delete(file);
    const sessions = [...thread.sessions.values()];
    thread.sessions.clear();
    for (const session of sessions) session.stopped(reason);
  };
  worker.on("message", (message: FromWriter) => thread.sessions.get(message.s)?.receive(message));
  worker.on("error", (error) => stop(messageOf(error)));
  worker.on("exit", (code) => stop(`it exited with code ${code}`));
  return thread;
}

function hold(thread: SharedThread): void {
  if (thread.holds++ === 0) thread.worker.ref();
}

function release(thread: SharedThread): void {
  if (--thread.holds === 0) thread.worker.unref();
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
  private readonly session = ++sessionCount;
  private thread: SharedThread | undefined;
  /** This session keeps the thread (and the process) alive until the thread reports it closed. */
  private holding = false;
  private timer: NodeJS.Timeout | undefined;
  private fallback: RecordWriter | undefined;
  private closing = false;
  /** The thread closed the session as asked. */
  private finished = false;
  private settle: (() => void) | undefined;
  /** Resolves when every record but the deferred artifacts is stored (or handed to the fallback). */
  private readonly settled = new Promise<void>((done) => (this.settle = () => ((this.isSettled = true), done())));
  private isSettled = false;

  readonly spoolFile = undefined;

  /** `entry`: the thread's module file (the writer module, or one that wraps it). */
  constructor(
    private readonly store: SqliteStore,
    private readonly options: WriterOptions,
    entry: () => Promise<string> = writerEntry,
  ) {
    void options.sourceTags?.then((tags) => this.post({ s: this.session, t: "sourceTags", tags }));
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
    this.post({ s: this.session, t: "adopt", ref, id });
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
    this.post({ s: this.session, t: "ops", ops });
  }

  defer(op: TrackingOp & { kind: "artifact"; recipe: ArtifactRecipe }): boolean {
    if (this.fallback || this.thread === undefined) return false;
    this.send();
    try {
      this.thread.worker.postMessage({ s: this.session, t: "ops", ops: [op] } satisfies ToWriter);
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
      this.post({ s: this.session, t: "close" });
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
    this.holding = false;
    this.fallBack(reason);
  }

  private settleWhenOnlyDeferred(): void {
    if (this.closing && this.unfinished.every((op) => op.kind === "artifact" && op.recipe !== undefined)) this.settle?.();
  }

  private start(file: string): void {
    if (this.fallback) return;
    const store = this.store;
    const thread = threadFor(file);
    this.thread = thread;
    thread.sessions.set(this.session, this);
    const init = { path: store.path, uri: store.uri, busyTimeoutMs: store.busyTimeoutMs, artifactRoot: store.artifactRoot, batchMs: THREAD_BATCH_MS, lockWaitMs: this.options.lockWaitMs };
    thread.worker.postMessage({ s: this.session, t: "open", init } satisfies ToWriter);
    for (const message of this.early.splice(0)) thread.worker.postMessage(message);
    if (this.closing) this.holdThread();
  }

  private holdThread(): void {
    if (this.thread === undefined || this.holding) return;
    this.holding = true;
    hold(this.thread);
  }

  /** The session is over on the thread: it no longer hears from it nor keeps it alive. */
  private leaveThread(): void {
    const thread = this.thread;
    if (thread === undefined) return;
    thread.sessions.delete(this.session);
    if (this.holding) release(thread);
    this.holding = false;
    this.thread = undefined;
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
