import { trialErrorFrom, type TrialError } from "../result.js";

/**
 * Why piscina rejected a trial that was not being stopped: its worker ran out of memory, exited
 * (process.exit), or died of an uncaught exception (an error thrown in a callback).
 */
export function crashError(cause: unknown, memoryLimitMb: number | undefined): TrialError {
  const error = cause instanceof Error ? cause : new Error(String(cause));
  if ((error as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY") {
    const limit = memoryLimitMb === undefined ? "" : ` (memoryLimitMb ${memoryLimitMb})`;
    return trialErrorFrom(error, "out-of-memory", `the trial ran out of memory${limit}: ${error.message}`);
  }
  const exit = /^worker exited with code: (-?\d+)$/.exec(error.message);
  if (exit) return { message: `the trial's worker thread exited with code ${exit[1]} (process.exit or a fatal error)`, kind: "crashed" };
  return trialErrorFrom(error, "crashed", `the trial's worker thread crashed with an uncaught exception: ${error.name}: ${error.message}`);
}
