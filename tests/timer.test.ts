import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { after, MAX_TIMER_SECONDS } from "../src/timer.js";

const DAY = 86_400;

describe("after(seconds, fn)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires once, at the time asked, for a delay within setTimeout's range", () => {
    const fn = vi.fn();
    after(1.5, fn);
    vi.advanceTimersByTime(1499);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([MAX_TIMER_SECONDS + 1, 30 * DAY, 400 * DAY])("waits the whole %d s beyond setTimeout's 2^31 − 1 ms limit", (seconds) => {
    const fn = vi.fn();
    after(seconds, fn);
    vi.advanceTimersByTime(1);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(seconds * 1000 - 2);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("never fires once cancelled, before or after a chained step", () => {
    const early = vi.fn();
    after(30 * DAY, early)();
    const late = vi.fn();
    const cancelLate = after(30 * DAY, late);
    vi.advanceTimersByTime(26 * DAY * 1000);
    cancelLate();
    vi.advanceTimersByTime(10 * DAY * 1000);
    expect(early).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
