import { describe, expect, it } from "vitest";
import { formatProgress, ProgressBar } from "../../src/search/progress.js";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

describe("progress bar", () => {
  it("shows trials done of total, the best loss and elapsed seconds", () => {
    expect(formatProgress(5, 20, 0.0123456, 1.26)).toBe("[######..................] 5/20 trials | best loss 0.0123456 | 1.3s");
    expect(formatProgress(3, Infinity, undefined, 0)).toBe("3 trials | best loss - | 0.0s");
  });

  it("is shown only on a terminal and when not turned off", () => {
    expect(ProgressBar.wanted(undefined, fakeStream(true).stream)).toBe(true);
    expect(ProgressBar.wanted(false, fakeStream(true).stream)).toBe(false);
    expect(ProgressBar.wanted(true, fakeStream(false).stream)).toBe(false);
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
