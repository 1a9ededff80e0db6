import { availableParallelism } from "node:os";
import { z } from "zod";
import { HyperoptArgumentError, parseArgument } from "../errors.js";
import type { WorkerPoolOptions } from "../executors/worker/pool.js";
import type { Trial } from "./trial.js";
import { Trials } from "./trials.js";

export interface WorkerTrialsOptions {
  /** Trials run at once, each in its own worker thread (default: the machine's available parallelism). */
  parallelism?: number;
  /** Seconds a trial may run before it ends with status "timeout" (default: no limit). */
  timeout?: number;
  /** Heap limit of each worker thread in MB; a trial that exceeds it fails with kind "out-of-memory". */
  memoryLimitMb?: number;
  /** Seconds a timed-out or cancelled trial has to return after its `ctx.signal` aborts, before its worker is terminated (default 1). */
  gracePeriod?: number;
}

const optionsSchema = z.strictObject({
  parallelism: z.number({ error: "a whole number >= 1" }).int("a whole number >= 1").min(1, "a whole number >= 1").optional(),
  timeout: z.number({ error: "a number of seconds > 0" }).positive("a number of seconds > 0").finite("a number of seconds > 0").optional(),
  memoryLimitMb: z.number({ error: "a number of MB >= 16" }).min(16, "a number of MB >= 16").finite("a number of MB >= 16").optional(),
  gracePeriod: z.number({ error: "a number of seconds >= 0" }).nonnegative("a number of seconds >= 0").finite("a number of seconds >= 0").optional(),
});

/**
 * A history whose trials run in parallel on a pool of worker threads, Hyperopt's SparkTrials on
 * one machine. fmin's `fn` must then be a module (a URL, a path, or `{ module, export }`).
 */
export class WorkerTrials extends Trials {
  readonly parallelism: number;
  readonly timeout: number | undefined;
  readonly memoryLimitMb: number | undefined;
  readonly gracePeriod: number;

  constructor(options: WorkerTrialsOptions = {}, trials: readonly Trial[] = []) {
    super(trials);
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new HyperoptArgumentError("options", "WorkerTrials: expected an options object", { expected: "an options object", received: String(options) });
    }
    const parsed = parseArgument("WorkerTrials", optionsSchema, options, { label: (path) => `option "${path}"` });
    this.parallelism = parsed.parallelism ?? availableParallelism();
    this.timeout = parsed.timeout;
    this.memoryLimitMb = parsed.memoryLimitMb;
    this.gracePeriod = parsed.gracePeriod ?? 1;
  }

  /** The settings of the pool that runs this history's trials. */
  poolOptions(): WorkerPoolOptions {
    return {
      parallelism: this.parallelism,
      gracePeriod: this.gracePeriod,
      ...(this.timeout === undefined ? {} : { timeout: this.timeout }),
      ...(this.memoryLimitMb === undefined ? {} : { memoryLimitMb: this.memoryLimitMb }),
    };
  }
}
