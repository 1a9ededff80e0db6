import type { ObjectiveRef } from "../objectiveSource.js";

/** Why the main thread asks a running trial to stop. */
export type AbortReason = "timeout" | "cancelled";

/** `abortFlag[0]`: not aborted, or the `AbortReason` by its code. */
export const ABORT_CODES = { none: 0, timeout: 1, cancelled: 2 } as const;

/** One trial as posted to a worker. */
export interface WorkerTask {
  objective: ObjectiveRef;
  tid: number;
  params: unknown;
  /** Name of the BroadcastChannel on which the main thread sends `AbortMessage`s. */
  abortChannel: string;
  /**
   * Shared with the main thread, which sets it before it broadcasts an abort: the worker reads it
   * before calling the objective, so that an abort sent before it listened is not missed.
   */
  abortFlag: Int32Array;
}

/** An error as it crosses a thread: Error instances lose their class on the way. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
}

/** How the objective ended, as the worker saw it. */
export type WorkerOutcome =
  | { kind: "returned"; value: unknown }
  | { kind: "threw"; error: ErrorData }
  | { kind: "unsendable"; error: ErrorData }
  | { kind: "load-failed"; error: ErrorData }
  /** An uncaught exception in a callback the trial started (a timer, a stream) while it ran. */
  | { kind: "crashed"; error: ErrorData };

/**
 * Worker → main on the worker's parentPort (piscina re-emits them as the pool's "message"
 * events), in this order for a trial: received (by the thread `thread`), start (the objective is
 * called), any reports, done.
 */
export type WorkerMessage = { hyperoptTrial: number } & (
  | { type: "received"; thread: number }
  | { type: "start" }
  | { type: "report"; name: string; value: number; step: number | undefined }
  | { type: "done"; outcome: WorkerOutcome }
);

/** Main → workers on the abort channel, for trials already running. */
export interface AbortMessage {
  tid: number;
  reason: AbortReason;
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return typeof message === "object" && message !== null && typeof (message as { hyperoptTrial?: unknown }).hyperoptTrial === "number";
}

export function errorData(cause: unknown): ErrorData {
  if (cause instanceof Error) {
    return cause.stack === undefined ? { name: cause.name, message: cause.message } : { name: cause.name, message: cause.message, stack: cause.stack };
  }
  return { name: "Error", message: String(cause) };
}
