import type { Assignment } from "../space/assignment.js";
import type { TrialError } from "./result.js";

/** What an objective receives beside its parameters. */
export interface TrialContext {
  readonly trialId: number;
  /** Aborted when the trial times out or the search is cancelled. */
  readonly signal: AbortSignal;
  /** Reports an intermediate metric (step defaults to 0, 1, 2, ... per name). */
  report(name: string, value: number, step?: number): void;
}

/** One trial handed to an executor. */
export interface TrialJob {
  tid: number;
  params: unknown;
  assignment: Assignment;
  /** Aborted when the search is stopped: the executor cancels the trial. */
  signal: AbortSignal;
  report(name: string, value: number, step: number | undefined): void;
  /** Seconds this trial may run, when lower than the executor's own limit. */
  timeout?: number;
}

/** A trial that an earlier run of the same search started on a shared executor (a queue). */
export interface ResumedTrial {
  tid: number;
  assignment: Assignment;
}

/** How a trial ended, before its return value is checked. */
export type TrialOutcome =
  | { kind: "returned"; value: unknown }
  | { kind: "failed"; status: "fail" | "timeout" | "cancelled"; error: TrialError };

/** Runs trials: inline in this thread, or on a pool of workers. */
export interface Executor {
  /** How many trials may run at once. */
  readonly parallelism: number;
  run(job: TrialJob): Promise<TrialOutcome>;
  /**
   * Trials that an earlier run of this search left running or finished unseen (its driver
   * stopped), other than the `known` tids: the loop records each one and calls `run` for it,
   * which collects its outcome rather than running it again.
   */
  resume?(known: ReadonlySet<number>): Promise<ResumedTrial[]>;
  /** Releases the executor's resources (worker threads); idempotent. */
  close(): Promise<void>;
}
