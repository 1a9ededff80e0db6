import { invalidArgument } from "../errors.js";
import { isFinished, type Trial } from "../trials/trial.js";

/** Decides from the history whether the search should stop (Hyperopt's early_stop_fn). */
export type EarlyStopFn = (trials: readonly Trial[]) => boolean;

/**
 * Stops once `iterations` finished trials in a row have not improved the best loss by more than
 * `percentIncrease` percent (Hyperopt's `no_progress_loss`). As in Hyperopt, the first successful
 * trial counts as one without progress, so a first trial never beaten stops the search after
 * `iterations` trials; a failed trial never counts as progress.
 */
export function noProgressLoss(iterations: number, percentIncrease = 0): EarlyStopFn {
  if (!Number.isInteger(iterations) || iterations < 1) throw invalidArgument("noProgressLoss", "iterations", "a whole number >= 1", iterations);
  if (!Number.isFinite(percentIncrease) || percentIncrease < 0) throw invalidArgument("noProgressLoss", "percentIncrease", "a finite number >= 0", percentIncrease);
  return (trials) => {
    let best: number | undefined;
    let since = 0;
    for (const t of trials) {
      if (!isFinished(t)) continue;
      const loss = t.status === "ok" && t.loss !== undefined && !Number.isNaN(t.loss) ? t.loss : undefined;
      if (loss !== undefined && best !== undefined && loss < best - (Math.abs(best) * percentIncrease) / 100) {
        best = loss;
        since = 0;
        continue;
      }
      if (best === undefined && loss !== undefined) best = loss;
      since++;
    }
    return since >= iterations;
  };
}
