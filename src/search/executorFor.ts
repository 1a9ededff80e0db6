import { HyperoptArgumentError } from "../errors.js";
import type { Executor } from "../executors/executor.js";
import { InlineExecutor } from "../executors/inline.js";
import type { ObjectiveSource } from "../executors/objectiveSource.js";
import { WorkerPoolExecutor } from "../executors/worker/pool.js";
import type { Trials } from "../trials/trials.js";
import { WorkerTrials } from "../trials/workerTrials.js";

/** The executor for a search: a worker pool for a WorkerTrials history, else inline in this thread. */
export function executorFor(trials: Trials, fn: ObjectiveSource): Executor {
  if (!(trials instanceof WorkerTrials)) return new InlineExecutor(fn, trials.parallelism);
  if (typeof fn === "function") {
    throw new HyperoptArgumentError("fn", "fn: WorkerTrials runs the objective in worker threads, which a function cannot reach; give its module instead (a URL, a path, or { module, export })");
  }
  return new WorkerPoolExecutor(fn, trials.poolOptions());
}
