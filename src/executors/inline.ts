import type { Executor, TrialJob, TrialOutcome } from "./executor.js";
import { loadObjective, type ObjectiveFunction, type ObjectiveSource } from "./objectiveSource.js";
import { trialErrorFrom } from "./result.js";

/**
 * Runs trials in this thread, up to `parallelism` at once: an async objective's trials overlap
 * while they wait; a synchronous objective runs one trial after the other whatever the setting.
 */
export class InlineExecutor implements Executor {
  private fn: Promise<ObjectiveFunction> | undefined;

  constructor(
    private readonly source: ObjectiveSource,
    readonly parallelism = 1,
  ) {}

  private objective(): Promise<ObjectiveFunction> {
    this.fn ??= typeof this.source === "function"
      ? Promise.resolve(this.source as ObjectiveFunction)
      : loadObjective(this.source);
    return this.fn;
  }

  async run(job: TrialJob): Promise<TrialOutcome> {
    const fn = await this.objective();
    const ctx = { trialId: job.tid, signal: job.signal, report: (name: string, value: number, step?: number) => job.report(name, value, step) };
    try {
      return { kind: "returned", value: await fn(job.params, ctx) };
    } catch (cause) {
      if (job.signal.aborted) return { kind: "failed", status: "cancelled", error: trialErrorFrom(cause, "cancelled") };
      return { kind: "failed", status: "fail", error: trialErrorFrom(cause, "exception") };
    }
  }

  async close(): Promise<void> {}
}
