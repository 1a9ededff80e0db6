import type { TrialOutcome } from "../executors/executor.js";
import { checkResult } from "../executors/result.js";
import type { Trial } from "./trial.js";

/** Ends a running trial with what its executor reported: status, loss or error, and the objective's result. */
export function recordOutcome(trial: Trial, outcome: TrialOutcome, endTime: number): void {
  trial.endTime = endTime;
  if (outcome.kind === "failed") {
    trial.status = outcome.status;
    trial.error = outcome.error;
    return;
  }
  const checked = checkResult(outcome.value);
  trial.status = checked.status;
  if (checked.result !== undefined) trial.result = checked.result;
  if (checked.status === "ok") trial.loss = checked.loss;
  else trial.error = checked.error;
}
