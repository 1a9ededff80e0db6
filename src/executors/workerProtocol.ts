import type { MessagePort } from "node:worker_threads";
import type { ObjectiveRef } from "./objectiveSource.js";

/** Why the main thread asks a running trial to stop. */
export type AbortReason = "timeout" | "cancelled";

/** One trial as posted to a worker; `port` carries the messages below while it runs. */
export interface WorkerTask {
  objective: ObjectiveRef;
  tid: number;
  params: unknown;
  port: MessagePort;
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
  | { kind: "load-failed"; error: ErrorData };

/** Worker → main, in this order: start (the objective is called), any reports, done. */
export type WorkerMessage =
  | { type: "start" }
  | { type: "report"; name: string; value: number; step: number | undefined }
  | { type: "done"; outcome: WorkerOutcome };

/** Main → worker. */
export interface MainMessage {
  type: "abort";
  reason: AbortReason;
}

export function errorData(cause: unknown): ErrorData {
  if (cause instanceof Error) {
    return cause.stack === undefined ? { name: cause.name, message: cause.message } : { name: cause.name, message: cause.message, stack: cause.stack };
  }
  return { name: "Error", message: String(cause) };
}
