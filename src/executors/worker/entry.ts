import { AsyncLocalStorage } from "node:async_hooks";
import { BroadcastChannel, parentPort, threadId } from "node:worker_threads";
import { loadObjective, type ObjectiveFunction, type ObjectiveRef } from "../objectiveSource.js";
import { ABORT_CODES, errorData, type AbortMessage, type AbortReason, type WorkerMessage, type WorkerOutcome, type WorkerTask } from "./protocol.js";

/*
 * The worker side of the pool: piscina calls the default export once per trial, and a thread
 * may run several trials at once. The objective module is imported on the first trial and kept
 * for the thread's life. Messages about a trial go to the main thread on parentPort; aborts come
 * from the pool's BroadcastChannel.
 *
 * Each trial runs in its own async context, so an exception thrown by a callback it started (a
 * timer, a stream) is traced back to it: while the trial runs, that trial fails as crashed; once
 * it has ended, the error is reported on stderr and the thread goes on with the other trials.
 */

const objectives = new Map<string, Promise<ObjectiveFunction>>();
const abortChannels = new Map<string, BroadcastChannel>();
const running = new Map<number, { controller: AbortController; crash: (error: unknown) => void }>();
const owner = new AsyncLocalStorage<number>();

function onUncaught(error: unknown): void {
  const tid = owner.getStore();
  const trial = tid === undefined ? undefined : running.get(tid);
  if (trial !== undefined) {
    trial.crash(error);
    return;
  }
  const origin = tid === undefined ? "outside any trial" : `by a callback of trial ${tid} after it ended`;
  process.stderr.write(`hyperopt-ts: an error thrown ${origin} was ignored: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}
process.on("uncaughtException", onUncaught);
// Objectives compiled from TypeScript carry inline source maps: stacks then name the .ts lines.
process.setSourceMapsEnabled(true);
process.on("unhandledRejection", onUncaught);

function objectiveOf(ref: ObjectiveRef): Promise<ObjectiveFunction> {
  const key = `${ref.url}#${ref.exportName}`;
  let fn = objectives.get(key);
  if (fn === undefined) {
    fn = loadObjective({ module: ref.url, export: ref.exportName });
    objectives.set(key, fn);
  }
  return fn;
}

function abortError(tid: number, reason: AbortReason): Error {
  return new Error(reason === "timeout" ? `trial ${tid} timed out` : `trial ${tid} cancelled`);
}

function listenForAborts(name: string): void {
  if (abortChannels.has(name)) return;
  const channel = new BroadcastChannel(name);
  channel.unref();
  channel.onmessage = (event) => {
    const { tid, reason } = event.data as AbortMessage;
    running.get(tid)?.controller.abort(abortError(tid, reason));
  };
  abortChannels.set(name, channel);
}

/** Aborts the trial's controller if the main thread flagged it before this worker listened. */
function checkAbortFlag(task: WorkerTask, controller: AbortController): void {
  const code = Atomics.load(task.abortFlag, 0);
  if (code === ABORT_CODES.timeout) controller.abort(abortError(task.tid, "timeout"));
  else if (code === ABORT_CODES.cancelled) controller.abort(abortError(task.tid, "cancelled"));
}

function send(message: WorkerMessage): void {
  (parentPort as NonNullable<typeof parentPort>).postMessage(message);
}

function sendDone(tid: number, outcome: WorkerOutcome): void {
  send({ hyperoptTrial: tid, type: "done", outcome });
}

/** Sends the return value; one that cannot be cloned to the main thread becomes a failure that says so. */
function sendReturned(tid: number, value: unknown): void {
  try {
    sendDone(tid, { kind: "returned", value });
  } catch (cause) {
    const error = errorData(cause);
    error.message = `the objective's return value cannot be sent from the worker thread (${error.message}); return a number or an object of plain data`;
    sendDone(tid, { kind: "unsendable", error });
  }
}

class TrialCrash {
  constructor(readonly error: unknown) {}
}

async function callObjective(task: WorkerTask, controller: AbortController, crashed: Promise<never>): Promise<void> {
  const { tid } = task;
  let fn: ObjectiveFunction;
  try {
    fn = await objectiveOf(task.objective);
  } catch (cause) {
    sendDone(tid, { kind: "load-failed", error: errorData(cause) });
    return;
  }
  checkAbortFlag(task, controller);
  controller.signal.throwIfAborted();
  send({ hyperoptTrial: tid, type: "start" });
  const ctx = {
    trialId: tid,
    signal: controller.signal,
    report: (name: string, value: number, step?: number) => send({ hyperoptTrial: tid, type: "report", name, value, step }),
  };
  sendReturned(tid, await Promise.race([owner.run(tid, () => fn(task.params, ctx)), crashed]));
}

export default async function runTrial(task: WorkerTask): Promise<void> {
  const { tid } = task;
  send({ hyperoptTrial: tid, type: "received", thread: threadId });
  listenForAborts(task.abortChannel);
  const controller = new AbortController();
  let crash: (error: unknown) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    crash = (error) => reject(new TrialCrash(error));
  });
  running.set(tid, { controller, crash });
  try {
    await callObjective(task, controller, crashed);
  } catch (cause) {
    if (cause instanceof TrialCrash) sendDone(tid, { kind: "crashed", error: errorData(cause.error) });
    else sendDone(tid, { kind: "threw", error: errorData(cause) });
  } finally {
    running.delete(tid);
  }
}
