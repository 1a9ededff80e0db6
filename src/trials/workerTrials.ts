import { availableParallelism } from "node:os";
import { z } from "zod";
import { invalidArgument, parseArgument } from "../errors.js";
import type { WorkerPoolOptions } from "../executors/worker/pool.js";
import type { Trial } from "./trial.js";
import { optionName, Trials } from "./trials.js";
import { positiveSeconds, wholeNumber } from "../optionSchemas.js";

export interface WorkerTrialsOptions {
  /** Trials run at once (default: the machine's available parallelism). */
  parallelism?: number;
  /**
   * Worker threads the trials share, started as trials need them (default `parallelism`: one
   * trial per thread). Fewer threads than trials suit async objectives that mostly wait.
   */
  threads?: number;
  /** Seconds a trial may run before it ends with status "timeout" (default: no limit). */
  timeout?: number;
  /** Heap limit of each worker thread in MB; a trial that exceeds it fails with kind "out-of-memory". */
  memoryLimitMb?: number;
  /** Seconds a timed-out or cancelled trial has to return after its `ctx.signal` aborts, before its worker is terminated (default 1). */
  gracePeriod?: number;
}

const megabytes = "a number of MB >= 16";
const grace = "a number of seconds >= 0";

const optionsSchema = z.strictObject({
  parallelism: wholeNumber(1).optional(),
  threads: wholeNumber(1).optional(),
  timeout: positiveSeconds.optional(),
  memoryLimitMb: z.number({ error: megabytes }).min(16, megabytes).finite(megabytes).optional(),
  gracePeriod: z.number({ error: grace }).nonnegative(grace).finite(grace).optional(),
});

/**
 * A history whose trials run in parallel on a pool of worker threads, Hyperopt's SparkTrials on
 * one machine. fmin's `fn` must then be a module (a URL, a path, or `{ module, export }`).
 */
export class WorkerTrials extends Trials {
  readonly threads: number;
  readonly timeout: number | undefined;
  readonly memoryLimitMb: number | undefined;
  readonly gracePeriod: number;

  constructor(options: WorkerTrialsOptions = {}, trials: readonly Trial[] = []) {
    if (typeof options !== "object" || options === null || Array.isArray(options)) throw invalidArgument("WorkerTrials", "options", "an options object", options);
    const parsed = parseArgument("WorkerTrials", optionsSchema, options, { label: optionName });
    const parallelism = parsed.parallelism ?? availableParallelism();
    super({ parallelism }, trials);
    const threads = parsed.threads ?? parallelism;
    if (threads > parallelism) throw invalidArgument("WorkerTrials", 'option "threads"', `a whole number from 1 to parallelism (${parallelism})`, threads);
    this.threads = threads;
    this.timeout = parsed.timeout;
    this.memoryLimitMb = parsed.memoryLimitMb;
    this.gracePeriod = parsed.gracePeriod ?? 1;
  }

  /** The settings of the pool that runs this history's trials. */
  poolOptions(): WorkerPoolOptions {
    return {
      parallelism: this.parallelism,
      threads: this.threads,
      gracePeriod: this.gracePeriod,
      ...(this.timeout === undefined ? {} : { timeout: this.timeout }),
      ...(this.memoryLimitMb === undefined ? {} : { memoryLimitMb: this.memoryLimitMb }),
    };
  }
}
