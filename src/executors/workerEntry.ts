import { loadObjective, type ObjectiveFunction, type ObjectiveRef } from "./objectiveSource.js";
import { errorData, type MainMessage, type WorkerMessage, type WorkerTask } from "./workerProtocol.js";

/*
 * The worker side of the pool: piscina calls the default export once per trial. The objective
 * module is imported on the first trial and kept for the worker's life.
 */

const objectives = new Map<string, Promise<ObjectiveFunction>>();

function objectiveOf(ref: ObjectiveRef): Promise<ObjectiveFunction> {
  const key = `${ref.url}#${ref.exportName}`;
  let fn = objectives.get(key);
  if (fn === undefined) {
    fn = loadObjective({ module: ref.url, export: ref.exportName });
    objectives.set(key, fn);
  }
  return fn;
}

function send(task: WorkerTask, message: WorkerMessage): void {
  task.port.postMessage(message);
}

/** Sends the outcome; a return value that cannot be cloned to the main thread becomes a failure that says so. */
function sendDone(task: WorkerTask, value: unknown): void {
  try {
    send(task, { type: "done", outcome: { kind: "returned", value } });
  } catch (cause) {
    const error = errorData(cause);
    error.message = `the objective's return value cannot be sent from the worker thread (${error.message}); return a number or an object of plain data`;
    send(task, { type: "done", outcome: { kind: "unsendable", error } });
  }
}

export default async function runTrial(task: WorkerTask): Promise<void> {
  const controller = new AbortController();
  task.port.on("message", (message: MainMessage) => {
    controller.abort(new Error(message.reason === "timeout" ? `trial ${task.tid} timed out` : `trial ${task.tid} cancelled`));
  });
  try {
    let fn: ObjectiveFunction;
    try {
      fn = await objectiveOf(task.objective);
    } catch (cause) {
      send(task, { type: "done", outcome: { kind: "load-failed", error: errorData(cause) } });
      return;
    }
    controller.signal.throwIfAborted();
    send(task, { type: "start" });
    const ctx = {
      trialId: task.tid,
      signal: controller.signal,
      report: (name: string, value: number, step?: number) => send(task, { type: "report", name, value, step }),
    };
    sendDone(task, await fn(task.params, ctx));
  } catch (cause) {
    send(task, { type: "done", outcome: { kind: "threw", error: errorData(cause) } });
  } finally {
    task.port.close();
  }
}
