import { setMaxListeners } from "node:events";
import { after } from "../timer.js";
import { onStopSignals } from "./signals.js";

export type StopReason = "maxEvals" | "exhausted" | "timeout" | "lossThreshold" | "earlyStop" | "cancelled";

/** What may stop a search from outside its loop. */
export interface StopTriggers {
  /** Seconds for the whole search. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Stop on the first SIGINT / SIGTERM (a second one exits the process). */
  handleSignals: boolean;
  /** How many trials are running, for the message printed on a signal. */
  running: () => number;
}

/**
 * Why a search stops, decided once: the first reason given wins. A timeout or a cancellation
 * also aborts `signal`, which every running trial listens to.
 */
export class SearchStop {
  private stopReason: StopReason | undefined;
  private readonly controller = new AbortController();

  constructor(parallelism: number) {
    // Each trial in flight may listen for the search's cancellation.
    setMaxListeners(parallelism + 10, this.controller.signal);
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** Aborted when the search times out or is cancelled. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    if (reason === "timeout" || reason === "cancelled") {
      this.controller.abort(new Error(`search ${reason === "timeout" ? "timed out" : "cancelled"}`));
    }
  }

  /** Listens to the timeout, the user's signal and SIGINT / SIGTERM until the returned function is called. */
  watch(triggers: StopTriggers): () => void {
    const onAbort = (): void => this.stop("cancelled");
    triggers.signal?.addEventListener("abort", onAbort);
    if (triggers.signal?.aborted) this.stop("cancelled");
    const cancelTimer = triggers.timeout === undefined ? undefined : after(triggers.timeout, () => this.stop("timeout"));
    const removeSignalHandlers = triggers.handleSignals
      ? onStopSignals((signal) => {
          process.stderr.write(`\nhyperopt-ts: ${signal}: stopping the search, cancelling ${triggers.running()} running trial(s); send it again to exit at once\n`);
          this.stop("cancelled");
        })
      : undefined;
    return () => {
      cancelTimer?.();
      triggers.signal?.removeEventListener("abort", onAbort);
      removeSignalHandlers?.();
    };
  }
}
