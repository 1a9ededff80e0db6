/** A one-line progress display on stderr: trials done / total, best loss, elapsed time. */
export class ProgressBar {
  private lastDraw = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Whether a bar should be shown: wanted, and stderr is a terminal. */
  static wanted(option: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): boolean {
    return option !== false && stream.isTTY === true;
  }

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

export function formatProgress(done: number, total: number, bestLoss: number | undefined, seconds: number): string {
  const width = 24;
  const finite = Number.isFinite(total);
  const filled = finite && total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  const bar = finite ? `[${"#".repeat(filled)}${".".repeat(width - filled)}] ` : "";
  const count = finite ? `${done}/${total}` : `${done}`;
  const best = bestLoss === undefined ? "-" : bestLoss.toPrecision(6);
  return `${bar}${count} trials | best loss ${best} | ${seconds.toFixed(1)}s`;
}
