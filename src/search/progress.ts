/** Shows the search's progress: trials finished so far and the best loss. */
export interface ProgressDisplay {
  update(done: number, bestLoss: number | undefined): void;
  finish(done: number, bestLoss: number | undefined): void;
}

/** A one-line progress display on a terminal, redrawn in place: trials done / total, best loss, elapsed time. */
export class ProgressBar implements ProgressDisplay {
  private lastDraw = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, bestLoss: number | undefined, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\r\x1b[K${formatProgress(done, this.total, bestLoss, (now - this.started) / 1000)}`);
  }

  finish(done: number, bestLoss: number | undefined): void {
    this.update(done, bestLoss, true);
    if (this.drawn) this.stream.write("\n");
  }
}

/** Progress where stderr is not a terminal (CI, docker, a pipe): a plain line every `intervalMs`, and one at the end. */
export class ProgressLines implements ProgressDisplay {
  private readonly started = Date.now();
  private lastLine = Date.now();

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 5000,
  ) {}

  update(done: number, bestLoss: number | undefined): void {
    const now = Date.now();
    if (now - this.lastLine < this.intervalMs) return;
    this.lastLine = now;
    this.write(done, bestLoss, now);
  }

  finish(done: number, bestLoss: number | undefined): void {
    this.write(done, bestLoss, Date.now());
  }

  private write(done: number, bestLoss: number | undefined, now: number): void {
    this.stream.write(`hyperopt-ts: ${formatProgress(done, this.total, bestLoss, (now - this.started) / 1000)}\n`);
  }
}

/**
 * The progress display `showProgressbar` asks for: by default a bar on a terminal and nothing
 * elsewhere; `true` also prints plain lines where stderr is not a terminal; `false` shows nothing.
 */
export function progressDisplay(option: boolean | undefined, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressDisplay | undefined {
  if (option === false) return undefined;
  if (stream.isTTY === true) return new ProgressBar(total, stream);
  return option === true ? new ProgressLines(total, stream) : undefined;
}

export function formatProgress(done: number, total: number, bestLoss: number | undefined, seconds: number): string {
  const width = 24;
  const finite = Number.isFinite(total);
  const filled = finite && total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  const bar = finite ? `[${"#".repeat(filled)}${".".repeat(width - filled)}] ` : "";
  const count = finite ? `${done}/${total}` : `${done}`;
  const best = bestLoss === undefined ? "-" : bestLoss.toPrecision(6);
  return `${bar}${count} trials | best loss ${best} | ${seconds.toFixed(1)}s`;
}
