import type { ReportedMetric, TrialError } from "../executors/result.js";
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
  /** What the objective returned when it returned an object, as JSON-compatible data. */
  result?: Record<string, unknown>;
  error?: TrialError;
  /** Milliseconds since the epoch. */
  startTime: number;
  endTime?: number;
  /** Values reported with `ctx.report` while the trial ran. */
  metrics: ReportedMetric[];
}

export const FINISHED_STATUSES: readonly TrialStatus[] = ["ok", "fail", "timeout", "cancelled"];

export function isFinished(trial: Pick<Trial, "status">): boolean {
  return trial.status !== "running";
}
