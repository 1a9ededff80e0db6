import type { Trial } from "../trials/trial.js";

/** Decides from the history whether the search should stop (Hyperopt's early_stop_fn). */
export type EarlyStopFn = (trials: readonly Trial[]) => boolean;

/**
 * Stops once `iterations` trials in a row have ended without improving the best loss by more
 * than `percentIncrease` percent (Hyperopt's `no_progress_loss`).
 */
export function noProgressLoss(iterations: number, percentIncrease = 0): EarlyStopFn {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`noProgressLoss: argument "iterations" must be a positive integer, got ${iterations}`);
  }
  return (trials) => {
    let best: number | undefined;
    let since = 0;
    for (const t of trials) {
      if (t.status === "running") continue;
      const loss = t.status === "ok" ? t.loss : undefined;
      if (loss !== undefined && (best === undefined || loss < best - (Math.abs(best) * percentIncrease) / 100)) {
        best = loss;
        since = 0;
      } else {
        since++;
      }
    }
    return since >= iterations;
  };
}
