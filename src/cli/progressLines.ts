import type { Trial } from "../trials/trial.js";

function formatLoss(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/**
 * Progress as plain lines (for logs and pipes, where a redrawn bar would be noise): fmin's `onTrial`
 * that writes one line per finished trial with its loss or why it failed, the count and the best loss.
 */
export function progressLines(total: number, write: (line: string) => void = (line) => process.stderr.write(line)): (trial: Trial) => void {
  let done = 0;
  let best: number | undefined;
  return (trial) => {
    done++;
    if (trial.status === "ok" && trial.loss !== undefined && (best === undefined || trial.loss < best)) best = trial.loss;
    const outcome = trial.status === "ok" ? `loss ${formatLoss(trial.loss as number)}` : `${trial.status}${trial.error ? `: ${trial.error.message.split("\n")[0]}` : ""}`;
    const count = Number.isFinite(total) ? `${done}/${total}` : `${done}`;
    write(`trial ${trial.tid} ${outcome} | ${count} done | best loss ${best === undefined ? "-" : formatLoss(best)}\n`);
  };
}
