import { describe, expect, it, vi } from "vitest";
import { fmin, hp, rand } from "../../src/index.js";
import { formatProgress, progressDisplay, ProgressBar, ProgressLines } from "../../src/search/progress.js";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

describe("progress bar", () => {
  it("shows trials done of total, the best loss and elapsed seconds", () => {
    expect(formatProgress(5, 20, 0.0123456, 1.26)).toBe("[######..................] 5/20 trials | best loss 0.0123456 | 1.3s");
    expect(formatProgress(3, Infinity, undefined, 0)).toBe("3 trials | best loss - | 0.0s");
  });

  it("is a bar on a terminal, plain lines elsewhere when asked for, and nothing when turned off", () => {
    expect(progressDisplay(undefined, 10, fakeStream(true).stream)).toBeInstanceOf(ProgressBar);
    expect(progressDisplay(true, 10, fakeStream(false).stream)).toBeInstanceOf(ProgressLines);
    expect(progressDisplay(undefined, 10, fakeStream(false).stream)).toBeUndefined();
    expect(progressDisplay(false, 10, fakeStream(true).stream)).toBeUndefined();
  });

  it("prints a plain line once the interval has passed, and a final one", async () => {
    const { chunks, stream } = fakeStream(false);
    const lines = new ProgressLines(4, stream, 30);
    lines.update(1, 3);
    expect(chunks).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    lines.update(2, 1.5);
    lines.update(3, 1.5);
    lines.finish(4, 1.25);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatch(/^hyperopt-ts: \[#+\.+\] 2\/4 trials \| best loss 1\.50000 \| \d+\.\ds\n$/);
    expect(chunks[1]).toMatch(/^hyperopt-ts: \[#{24}\] 4\/4 trials \| best loss 1\.25000 \| \d+\.\ds\n$/);
  });

  it("reaches stderr from fmin with showProgressbar: true when stderr is not a terminal", async () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const tty = process.stderr.isTTY;
    process.stderr.isTTY = false;
    let printed: string[];
    try {
      await fmin({ fn: (p) => p.x, space: { x: hp.uniform("x", 0, 1) }, algo: rand.suggest, maxEvals: 3, seed: 1, showProgressbar: true });
      printed = write.mock.calls.map((c) => String(c[0]));
    } finally {
      process.stderr.isTTY = tty;
      write.mockRestore();
    }
    expect(printed.filter((l) => l.startsWith("hyperopt-ts: "))).toEqual([expect.stringMatching(/^hyperopt-ts: \[#{24}\] 3\/3 trials \| best loss /)]);
  });

  it("redraws one line in place and ends it when the search finishes", () => {
    const { chunks, stream } = fakeStream(true);
    const bar = new ProgressBar(10, stream);
    bar.update(1, 2, true);
    bar.finish(10, 0.5);
    expect(chunks[0]).toMatch(/^\r\x1b\[K\[##\.+\] 1\/10 trials \| best loss 2\.00000/);
    expect(chunks[1]).toMatch(/10\/10 trials \| best loss 0\.500000/);
    expect(chunks[2]).toBe("\n");
  });
});
