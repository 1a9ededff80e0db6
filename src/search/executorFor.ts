import { HyperoptArgumentError } from "../errors.js";
import type { Executor } from "../executors/executor.js";
import { InlineExecutor } from "../executors/inline.js";
import type { ObjectiveModule, ObjectiveSource } from "../executors/objectiveSource.js";
import type { Assignment } from "../space/assignment.js";
import { QueueTrials } from "../trials/queueTrials.js";
import type { Trial } from "../trials/trial.js";
import type { Trials } from "../trials/trials.js";
import { WorkerTrials } from "../trials/workerTrials.js";

function moduleOf(fn: ObjectiveSource, where: string): ObjectiveModule {
  if (typeof fn !== "function") return fn;
  throw new HyperoptArgumentError("fn", `fn: ${where}, which a function cannot reach; give its module instead (a URL, a path, or { module, export })`);
}

/**
 * The executor for a search: a BullMQ queue for a QueueTrials history, a worker pool for a
 * WorkerTrials one, else inline in this thread (`parallelism` trials at once). The queue driver
 * (bullmq, ioredis) and the pool (piscina) are loaded here, by the first search that uses them.
 */
export async function executorFor(trials: Trials, fn: ObjectiveSource): Promise<Executor> {
  if (trials instanceof QueueTrials) {
    const source = moduleOf(fn, "QueueTrials runs the objective in worker processes");
    const { QueueExecutor } = await import("../executors/queue/driver.js");
    return new QueueExecutor(source, trials.settings, () => ({ seed: trials.seed, space: trials.space }));
  }
  if (trials instanceof WorkerTrials) {
    const source = moduleOf(fn, "WorkerTrials runs the objective in worker threads");
    const { WorkerPoolExecutor } = await import("../executors/worker/pool.js");
    return new WorkerPoolExecutor(source, trials.poolOptions());
  }
  return new InlineExecutor(fn, trials.parallelism);
}

/**
 * Records, as running, the trials that an earlier run of this search left on its executor (a
 * queue whose driver was stopped), in tid order, and returns them for the loop to collect.
 */
export async function resumeTrials(executor: Executor, trials: Trials, paramsOf: (assignment: Assignment) => unknown): Promise<Trial[]> {
  if (executor.resume === undefined) return [];
  const resumed = await executor.resume(new Set(trials.trials.map((t) => t.tid)));
  const records: Trial[] = resumed.map(({ tid, assignment }) => ({ tid, status: "running", assignment, params: paramsOf(assignment), startTime: Date.now(), metrics: [] }));
  trials.trials.push(...records);
  trials.trials.sort((a, b) => a.tid - b.tid);
  return records;
}
