import { randomUUID } from "node:crypto";
import { BroadcastChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { HyperoptArgumentError } from "../../errors.js";
import { trialErrorFrom } from "../result.js";
import type { Executor, TrialJob, TrialOutcome } from "../executor.js";
import { objectiveRef, type ObjectiveModule, type ObjectiveRef } from "../objectiveSource.js";
import { crashError } from "./crash.js";
import { workerEntryFile, workerExecArgv } from "./entryFile.js";
import { ABORT_CODES, isWorkerMessage, type AbortMessage, type AbortReason, type WorkerMessage, type WorkerOutcome, type WorkerTask } from "./protocol.js";

export interface WorkerPoolOptions {
  /** Worker threads, each running one trial at a time. */
  parallelism: number;
  /** Seconds a trial may run (from the objective's call) before it is stopped with status "timeout". */
  timeout?: number;
  /** Heap limit of each worker in MB; a trial that exceeds it fails as "out of memory". */
  memoryLimitMb?: number;
  /** Seconds between aborting a trial's `ctx.signal` and terminating its worker. */
  gracePeriod: number;
}

/**
 * Runs trials on a piscina pool of worker threads, one trial per worker at a time. A trial that
 * times out or is cancelled gets its `ctx.signal` aborted first, and its worker terminated when
 * it has not finished after the grace period; piscina starts a fresh worker in its place.
 */
export class WorkerPoolExecutor implements Executor {
  readonly parallelism: number;
  private readonly pool: Piscina;
  private readonly objective: ObjectiveRef;
  private readonly abortChannel = new BroadcastChannel(`hyperopt-ts:${randomUUID()}`);
  /** The message handler of each trial in flight, by tid. */
  private readonly trials = new Map<number, (message: WorkerMessage) => void>();
  private closed: Promise<void> | undefined;

  constructor(source: ObjectiveModule, private readonly options: WorkerPoolOptions) {
    this.parallelism = options.parallelism;
    this.objective = objectiveRef(source);
    const filename = workerEntryFile();
    this.pool = new Piscina({
      filename,
      execArgv: workerExecArgv(filename),
      minThreads: options.parallelism,
      maxThreads: options.parallelism,
      concurrentTasksPerWorker: 1,
      atomics: "disabled",
      ...(options.memoryLimitMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb } }),
    });
    this.pool.on("message", (message: unknown) => {
      if (isWorkerMessage(message)) this.trials.get(message.hyperoptTrial)?.(message);
    });
    // A worker that fails while no trial runs on it (a callback left behind by a finished
    // trial) has no trial to mark; piscina has already replaced it.
    this.pool.on("error", () => {});
    this.abortChannel.unref();
  }

  run(job: TrialJob): Promise<TrialOutcome> {
    try {
      structuredClone(job.params);
    } catch (cause) {
      const message = `the trial's params cannot be sent to a worker thread (${cause instanceof Error ? cause.message : String(cause)}); spaces for WorkerTrials must hold plain data`;
      return Promise.resolve({ kind: "failed", status: "fail", error: { message, kind: "invalid-params" } });
    }
    return new Promise((resolve, reject) => this.dispatch(job, resolve, reject));
  }

  private dispatch(job: TrialJob, resolve: (outcome: TrialOutcome) => void, reject: (error: Error) => void): void {
    const { tid } = job;
    const kill = new AbortController();
    const abortFlag = new Int32Array(new SharedArrayBuffer(4));
    const timers: NodeJS.Timeout[] = [];
    let abortReason: AbortReason | undefined;
    let started = false;
    let settled = false;

    const settle = (outcome: TrialOutcome | Error): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      job.signal.removeEventListener("abort", onCancel);
      this.trials.delete(tid);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const abort = (reason: AbortReason): void => {
      if (abortReason !== undefined || settled) return;
      abortReason = reason;
      Atomics.store(abortFlag, 0, ABORT_CODES[reason]);
      this.abortChannel.postMessage({ tid, reason } satisfies AbortMessage);
      timers.push(setTimeout(() => kill.abort(), this.options.gracePeriod * 1000));
    };
    const onCancel = (): void => abort("cancelled");

    this.trials.set(tid, (message) => {
      if (message.type === "start") {
        started = true;
        const timeout = this.options.timeout;
        if (timeout !== undefined) timers.push(setTimeout(() => abort("timeout"), timeout * 1000));
      } else if (message.type === "report") {
        job.report(message.name, message.value, message.step);
      } else {
        settle(this.outcomeOf(message.outcome, abortReason, started));
      }
    });
    job.signal.addEventListener("abort", onCancel);
    if (job.signal.aborted) abort("cancelled");

    const task: WorkerTask = { objective: this.objective, tid, params: job.params, abortChannel: this.abortChannel.name, abortFlag };
    this.pool.run(task, { signal: kill.signal }).catch((cause: unknown) => {
      if (abortReason === undefined) settle({ kind: "failed", status: "fail", error: crashError(cause, this.options.memoryLimitMb) });
      else settle(stopped(abortReason, this.options, started ? "terminated" : "before-start"));
    });
  }

  private outcomeOf(outcome: WorkerOutcome, abortReason: AbortReason | undefined, started: boolean): TrialOutcome | Error {
    switch (outcome.kind) {
      case "returned":
        return abortReason === "timeout" ? stopped("timeout", this.options, "returned") : { kind: "returned", value: outcome.value };
      case "threw":
        if (abortReason === undefined) return { kind: "failed", status: "fail", error: trialErrorFrom(outcome.error, "exception") };
        return stopped(abortReason, this.options, started ? "returned" : "before-start");
      case "unsendable":
        return { kind: "failed", status: "fail", error: trialErrorFrom(outcome.error, "invalid-result") };
      case "load-failed":
        return outcome.error.name === "HyperoptArgumentError"
          ? new HyperoptArgumentError("fn", outcome.error.message)
          : new Error(`fn: the objective module ${this.objective.url} failed to load in a worker thread: ${outcome.error.message}`);
    }
  }

  close(): Promise<void> {
    this.closed ??= this.pool.destroy().finally(() => this.abortChannel.close());
    return this.closed;
  }
}

/**
 * The outcome of a trial stopped by its timeout or by the search's cancellation: before its
 * objective was called, after the objective returned or threw, or by terminating its worker.
 */
function stopped(reason: AbortReason, options: WorkerPoolOptions, how: "before-start" | "returned" | "terminated"): TrialOutcome {
  const message =
    how === "before-start"
      ? "the search was stopped before the trial started"
      : `${reason === "timeout" ? `the trial exceeded its timeout of ${options.timeout}s` : "the search was stopped while the trial ran"}${
          how === "terminated" ? `; its worker was terminated after a grace period of ${options.gracePeriod}s` : ""
        }`;
  return { kind: "failed", status: reason, error: { message, kind: reason } };
}
