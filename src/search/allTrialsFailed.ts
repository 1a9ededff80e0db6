import type { Trials } from "../trials/trials.js";

/** No trial of the search succeeded (Hyperopt's AllTrialsFailed); the history is attached. */
export class AllTrialsFailed extends Error {
  /** `cause`: what else failed for want of a successful trial (a `registerModel` registration). */
  constructor(readonly trials: Trials, cause?: unknown) {
    const reasons = [...new Set(trials.trials.map((t) => t.error?.message).filter((m) => m !== undefined))].slice(0, 3);
    super(
      trials.length === 0
        ? "fmin: no trial ran, so there is no best point"
        : `fmin: all ${trials.length} trials failed${reasons.length ? `; for example: ${reasons.join(" | ")}` : ""}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "AllTrialsFailed";
  }
}
