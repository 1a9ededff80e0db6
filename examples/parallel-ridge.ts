/**
 * Tunes kernel ridge regression (penalty and RBF width, 5-fold cross-validation) with trials
 * running in parallel on worker threads. The objective lives in its own TypeScript module,
 * examples/ridge-objective.ts, because a closure cannot cross a thread; the workers import it
 * through tsx, so there is nothing to compile first.
 *
 *   npx tsx examples/parallel-ridge.ts
 */
import { availableParallelism } from "node:os";
import { fmin, hp, rand, WorkerTrials } from "../src/index.js";

const space = {
  alpha: hp.loguniform("alpha", Math.log(1e-4), Math.log(10)),
  gamma: hp.loguniform("gamma", Math.log(1e-2), Math.log(20)),
};

const trials = new WorkerTrials({ parallelism: availableParallelism(), timeout: 60 });
const started = Date.now();
const result = await fmin({
  fn: new URL("./ridge-objective.ts", import.meta.url),
  space,
  algo: rand.suggest,
  maxEvals: 40,
  seed: 7,
  trials,
});
const wall = (Date.now() - started) / 1000;
const busy = trials.trials.reduce((s, t) => s + ((t.endTime ?? t.startTime) - t.startTime), 0) / 1000;
const failed = trials.trials.filter((t) => t.status !== "ok");

console.log(`best: alpha = ${result.bestParams.alpha.toExponential(2)}, gamma = ${result.bestParams.gamma.toFixed(3)}`);
const { rmse_std: spread } = result.bestTrial.result?.metrics as { rmse_std: number };
console.log(`cross-validated RMSE ${result.bestLoss.toFixed(4)} (spread over folds ${spread.toFixed(4)})`);
console.log(`per fold: ${result.bestTrial.metrics.map((m) => m.value.toFixed(4)).join(", ")}`);
console.log(`${trials.length} trials on ${trials.parallelism} workers in ${wall.toFixed(1)} s (${busy.toFixed(1)} s of trial time, ${(busy / wall).toFixed(2)}× parallel)`);
if (failed.length > 0) console.log(`${failed.length} trials failed, e.g. ${failed[0]?.error?.message}`);
