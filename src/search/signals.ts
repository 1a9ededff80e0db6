import { isMainThread } from "node:worker_threads";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

/**
 * Until the returned function is called: the first SIGINT or SIGTERM calls `stop`, a second one
 * exits the process at once with 128 + the signal's number. Outside the main thread (where
 * signals are not delivered) it does nothing.
 */
export function onStopSignals(stop: (signal: StopSignal) => void): () => void {
  if (!isMainThread) return () => {};
  let received = false;
  const handler = (signal: StopSignal): void => {
    if (received) process.exit(EXIT_CODES[signal]);
    received = true;
    stop(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
