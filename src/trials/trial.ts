import type { ReportedMetric, TrialError, TrialResult } from "../executors/result.js";
import type { Assignment } from "../space/assignment.js";

/** Where a trial is in its life: `running` until it ends in one of the other four. */
export type TrialStatus = "running" | "ok" | "fail" | "timeout" | "cancelled";

export interface Trial<P = unknown> {
  /** Trial id: 0, 1, 2, ... in the order trials were created. */
  tid: number;
  status: TrialStatus;
  /** Active labels only (Hyperopt's `misc.vals`, one value per label). */
  assignment: Assignment;
  /** The objective's argument: the space evaluated at `assignment`. */
  params: P;
  /** Set when status is `ok`. */
  loss?: number;
  /** What the objective returned when it returned an object, checked, as JSON-compatible data. */
  result?: TrialResult;
  error?: TrialError;
  /** Milliseconds since the epoch. */
  startTime: number;
  endTime?: number;
  /** Values reported with `ctx.report` while the trial ran. */
  metrics: ReportedMetric[];
}

/** Whether a trial has ended, in any of the four ways. */
export function isFinished(trial: Pick<Trial, "status">): boolean {
  return trial.status !== "running";
}

/** The loss a trial ranks with: its loss when it succeeded with one that is not NaN, else Infinity. */
export function lossOf(trial: Pick<Trial, "status" | "loss">): number {
  return trial.status === "ok" && trial.loss !== undefined && !Number.isNaN(trial.loss) ? trial.loss : Infinity;
}
