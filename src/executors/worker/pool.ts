import { randomUUID } from "node:crypto";
import { BroadcastChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { HyperoptArgumentError } from "../../errors.js";
import { after } from "../../timer.js";
import { trialErrorFrom } from "../result.js";
import type { Executor, TrialJob, TrialOutcome } from "../executor.js";
import { objectiveRef, type ObjectiveModule, type ObjectiveRef } from "../objectiveSource.js";
import { crashError } from "./crash.js";
import { prepareEntry, prepareObjective } from "./transpile.js";
import { workerEntryFile, workerExecArgv } from "./entryFile.js";
import { ABORT_CODES, isWorkerMessage, type AbortMessage, type AbortReason, type WorkerMessage, type WorkerOutcome, type WorkerTask } from "./protocol.js";

export interface WorkerPoolOptions {
  /** Trials run at once. */
  parallelism: number;
  /** Worker threads the trials share, started as trials need them (default `parallelism`). */
  threads?: number;
  /** Seconds a trial may run (from the objective's call) before it is stopped with status "timeout". */
  timeout?: number;
  /** Heap limit of each worker in MB; a trial that exceeds it fails as "out of memory". */
  memoryLimitMb?: number;
  /** Seconds between aborting a trial's `ctx.signal` and terminating its worker. */
  gracePeriod: number;
}

/** Milliseconds an idle thread is kept before piscina stops it. */
const IDLE_TIMEOUT_MS = 30_000;

/** What the pool knows about a trial in flight. */
interface InFlight {
  objective: ObjectiveRef;
  job: TrialJob;
  resolve: (outcome: TrialOutcome) => void;
  reject: (error: Error) => void;
  /** The thread running it, once it has said so. */
  thread?: number;
  started: boolean;
  abortReason?: AbortReason;
  /** Its thread was terminated because this trial did not stop in time. */
  culprit?: boolean;
  abortFlag: Int32Array;
  /** Cancels the trial's timeout and grace-period timers. */
  timers: Array<() => void>;
  onCancel: () => void;
}

/**
 * Runs trials on a piscina pool of worker threads, started as trials need them: up to
 * `parallelism` trials on `threads` threads. A trial that times out or is cancelled gets its
 * `ctx.signal` aborted first, and its thread terminated when it has not finished after the grace
 * period; the other trials that thread was running are run again on another thread, and piscina
 * starts a fresh one when it is needed.
 */
export class WorkerPoolExecutor implements Executor {
  readonly parallelism: number;
  /** The pool, once the entry and the objective are ready (on the first trial). */
  private pool: Piscina | undefined;
  private started: Promise<ObjectiveRef> | undefined;
  private readonly disposers: (() => void)[] = [];
  private readonly objective: ObjectiveRef;
  private readonly abortChannel = new BroadcastChannel(`hyperopt-ts:${randomUUID()}`);
  private readonly trials = new Map<number, InFlight>();
  /** Threads this pool terminated: the trials they ran were not at fault. */
  private readonly terminated = new Set<number>();
  private closed: Promise<void> | undefined;

  constructor(source: ObjectiveModule, private readonly options: WorkerPoolOptions) {
    this.parallelism = options.parallelism;
    this.objective = objectiveRef(source);
    this.abortChannel.unref();
  }

  /** Compiles what is TypeScript once (the objective; the entry when running from sources) and creates the pool; resolves to the objective as workers import it. */
  private start(): Promise<ObjectiveRef> {
    this.started ??= (async () => {
      const entry = await prepareEntry(workerEntryFile());
      this.disposers.push(entry.dispose);
      const objective = await prepareObjective(this.objective);
      this.disposers.push(objective.dispose);
      const threads = Math.min(this.options.threads ?? this.parallelism, this.parallelism);
      const { memoryLimitMb } = this.options;
      this.pool = new Piscina({
        filename: entry.filename,
        execArgv: workerExecArgv(entry.filename),
        minThreads: 0,
        maxThreads: threads,
        concurrentTasksPerWorker: Math.ceil(this.parallelism / threads),
        idleTimeout: IDLE_TIMEOUT_MS,
        atomics: "disabled",
        ...(memoryLimitMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb } }),
      });
      this.pool.on("message", (message: unknown) => {
        if (isWorkerMessage(message)) this.onMessage(message);
      });
      // A thread that dies while no trial runs on it has no trial to mark; piscina replaces it when needed.
      this.pool.on("error", () => {});
      return objective.ref;
    })();
    return this.started;
  }

  async run(job: TrialJob): Promise<TrialOutcome> {
    try {
      structuredClone(job.params);
    } catch (cause) {
      const message = `the trial's params cannot be sent to a worker thread (${cause instanceof Error ? cause.message : String(cause)}); spaces for WorkerTrials must hold plain data`;
      return { kind: "failed", status: "fail", error: { message, kind: "invalid-params" } };
    }
    const objective = await this.start();
    return new Promise((resolve, reject) => this.dispatch(objective, job, resolve, reject));
  }

  private dispatch(objective: ObjectiveRef, job: TrialJob, resolve: (outcome: TrialOutcome) => void, reject: (error: Error) => void): void {
    const trial: InFlight = {
      objective, job, resolve, reject, started: false, abortFlag: new Int32Array(new SharedArrayBuffer(4)), timers: [],
      onCancel: () => this.abort(trial, "cancelled"),
    };
    this.trials.set(job.tid, trial);
    job.signal.addEventListener("abort", trial.onCancel);
    if (job.signal.aborted) this.abort(trial, "cancelled");
    const task: WorkerTask = { objective, tid: job.tid, params: job.params, abortChannel: this.abortChannel.name, abortFlag: trial.abortFlag };
    (this.pool as Piscina).run(task).catch((cause: unknown) => this.onRejected(trial, cause));
  }

  private onMessage(message: WorkerMessage): void {
    const trial = this.trials.get(message.hyperoptTrial);
    if (trial === undefined) return;
    if (message.type === "received") {
      trial.thread = message.thread;
    } else if (message.type === "start") {
      trial.started = true;
      const timeout = trialTimeout(trial.job, this.options);
      if (timeout !== undefined) trial.timers.push(after(timeout, () => this.abort(trial, "timeout")));
    } else if (message.type === "report") {
      trial.job.report(message.name, message.value, message.step);
    } else {
      this.settle(trial, this.outcomeOf(message.outcome, trial));
    }
  }

  /** Asks the trial to stop; terminates its thread when it has not ended after the grace period. */
  private abort(trial: InFlight, reason: AbortReason): void {
    if (trial.abortReason !== undefined || this.trials.get(trial.job.tid) !== trial) return;
    trial.abortReason = reason;
    Atomics.store(trial.abortFlag, 0, ABORT_CODES[reason]);
    this.abortChannel.postMessage({ tid: trial.job.tid, reason } satisfies AbortMessage);
    trial.timers.push(after(this.options.gracePeriod, () => this.terminateThreadOf(trial)));
  }

  private terminateThreadOf(trial: InFlight): void {
    const worker = this.pool?.threads.find((t) => t.threadId === trial.thread);
    if (worker === undefined || this.terminated.has(worker.threadId)) return;
    trial.culprit = true;
    this.terminated.add(worker.threadId);
    void worker.terminate();
  }

  /**
   * piscina rejected the trial's task: its thread died, by our hand or by a fault. A trial that
   * never reached a thread, or shared one terminated for another trial (whose hang may also have
   * run out its own timeout), is not at fault and runs again, unless the search is stopping.
   */
  private onRejected(trial: InFlight, cause: unknown): void {
    if (this.trials.get(trial.job.tid) !== trial) return;
    const { abortReason, thread } = trial;
    const innocent = trial.culprit !== true && (thread === undefined || this.terminated.has(thread));
    if (innocent && abortReason !== "cancelled") {
      this.release(trial);
      this.dispatch(trial.objective, trial.job, trial.resolve, trial.reject);
    } else if (abortReason !== undefined) {
      this.settle(trial, stopped(abortReason, trial, this.options, trial.started ? "terminated" : "before-start"));
    } else {
      this.settle(trial, { kind: "failed", status: "fail", error: crashError(cause, this.options.memoryLimitMb) });
    }
  }

  private release(trial: InFlight): void {
    for (const cancel of trial.timers) cancel();
    trial.job.signal.removeEventListener("abort", trial.onCancel);
    this.trials.delete(trial.job.tid);
  }

  private settle(trial: InFlight, outcome: TrialOutcome | Error): void {
    if (this.trials.get(trial.job.tid) !== trial) return;
    this.release(trial);
    if (outcome instanceof Error) trial.reject(outcome);
    else trial.resolve(outcome);
  }

  private outcomeOf(outcome: WorkerOutcome, trial: InFlight): TrialOutcome | Error {
    const { abortReason, started } = trial;
    switch (outcome.kind) {
      case "returned":
        return abortReason === "timeout" ? stopped("timeout", trial, this.options, "returned") : { kind: "returned", value: outcome.value };
      case "threw":
        if (abortReason === undefined) return { kind: "failed", status: "fail", error: trialErrorFrom(outcome.error, "exception") };
        return stopped(abortReason, trial, this.options, started ? "returned" : "before-start");
      case "crashed": {
        const message = `the trial crashed with an uncaught exception in a callback it started: ${outcome.error.name}: ${outcome.error.message}`;
        return { kind: "failed", status: "fail", error: trialErrorFrom({ ...outcome.error, message }, "crashed") };
      }
      case "unsendable":
        return { kind: "failed", status: "fail", error: trialErrorFrom(outcome.error, "invalid-result") };
      case "load-failed":
        return outcome.error.name === "HyperoptArgumentError"
          ? new HyperoptArgumentError("fn", outcome.error.message)
          : new Error(`fn: the objective module ${this.objective.url} failed to load in a worker thread: ${outcome.error.message}`);
    }
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.started?.catch(() => undefined);
      await this.pool?.destroy();
      this.abortChannel.close();
      for (const dispose of this.disposers) dispose();
    })();
    return this.closed;
  }
}

/** The trial's own timeout when it is lower than the pool's. */
function trialTimeout(job: TrialJob, options: WorkerPoolOptions): number | undefined {
  if (job.timeout === undefined) return options.timeout;
  return options.timeout === undefined ? job.timeout : Math.min(job.timeout, options.timeout);
}

/**
 * The outcome of a trial stopped by its timeout or by the search's cancellation: before its
 * objective was called, after the objective returned or threw, or by terminating its worker.
 */
function stopped(reason: AbortReason, trial: InFlight, options: WorkerPoolOptions, how: "before-start" | "returned" | "terminated"): TrialOutcome {
  const message =
    how === "before-start"
      ? "the search was stopped before the trial started"
      : `${reason === "timeout" ? `the trial exceeded its timeout of ${trialTimeout(trial.job, options)}s` : "the search was stopped while the trial ran"}${
          how === "terminated" ? `; its worker was terminated after a grace period of ${options.gracePeriod}s` : ""
        }`;
  return { kind: "failed", status: reason, error: { message, kind: reason } };
}
