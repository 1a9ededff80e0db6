import type { SearchTracker } from "../tracking/tracker.js";
import type { Trial } from "../trials/trial.js";

function formatLoss(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/** Progress as plain lines (for logs and pipes, where a redrawn bar would be noise): one per finished trial. */
export class ProgressLines implements SearchTracker {
  private done = 0;
  private best: number | undefined;

  constructor(
    private readonly total: number,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  startSearch(): void {}

  trialStarted(): void {}

  trialMetric(): void {}

  trialFinished(trial: Trial): void {
    this.done++;
    if (trial.status === "ok" && trial.loss !== undefined && (this.best === undefined || trial.loss < this.best)) this.best = trial.loss;
    const outcome = trial.status === "ok" ? `loss ${formatLoss(trial.loss as number)}` : `${trial.status}${trial.error ? `: ${trial.error.message.split("\n")[0]}` : ""}`;
    const count = Number.isFinite(this.total) ? `${this.done}/${this.total}` : `${this.done}`;
    this.write(`trial ${trial.tid} ${outcome} | ${count} done | best loss ${this.best === undefined ? "-" : formatLoss(this.best)}\n`);
  }

  async endSearch(): Promise<void> {}
}

/** One tracker that forwards every record to each of `trackers`. */
export function allOf(trackers: readonly SearchTracker[]): SearchTracker {
  return {
    startSearch: (info) => trackers.forEach((t) => t.startSearch(info)),
    trialStarted: (trial) => trackers.forEach((t) => t.trialStarted(trial)),
    trialMetric: (tid, metric) => trackers.forEach((t) => t.trialMetric(tid, metric)),
    trialFinished: (trial) => trackers.forEach((t) => t.trialFinished(trial)),
    endSearch: async (summary) => {
      await Promise.all(trackers.map((t) => t.endSearch(summary)));
    },
  };
}
