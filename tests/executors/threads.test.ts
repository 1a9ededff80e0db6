import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError, rand, Trials, WorkerTrials, type Trial } from "../../src/index.js";

const threads = new URL("../fixtures/threads.mjs", import.meta.url);
const space = { x: hp.uniform("x", 0, 1) };

function search(exportName: string, maxEvals: number, trials: WorkerTrials, ms = 100) {
  return fmin({ fn: { module: threads, export: exportName }, space: { ...space, ms }, algo: rand.suggest, maxEvals, seed: 3, trials, showProgressbar: false });
}

const threadsOf = (trials: readonly Trial[]): Set<unknown> => new Set(trials.map((t) => t.result?.thread));

describe("WorkerTrials threads", { timeout: 30_000 }, () => {
  it("starts threads as trials need them: parallelism 1000 for 4 trials starts at most 4", async () => {
    const trials = new WorkerTrials({ parallelism: 1000 });
    await search("sleeper", 4, trials);
    expect(trials.statuses()).toEqual(["ok", "ok", "ok", "ok"]);
    expect(threadsOf(trials.trials).size).toBeLessThanOrEqual(4);
  });

  it("runs up to parallelism trials on fewer threads", async () => {
    const trials = new WorkerTrials({ parallelism: 8, threads: 2 });
    await search("sleeper", 16, trials, 300);
    expect(trials.statuses().every((s) => s === "ok")).toBe(true);
    expect(threadsOf(trials.trials).size).toBeLessThanOrEqual(2);
    expect(Math.max(...trials.trials.map((t) => t.result?.together as number))).toBeGreaterThan(1);
  });

  it("does not fail the next trial on a thread with a late error from a finished one", async () => {
    const trials = new WorkerTrials({ parallelism: 1 });
    await search("lateBoom", 3, trials);
    expect(trials.statuses()).toEqual(["ok", "ok", "ok"]);
    expect(threadsOf(trials.trials.slice(1)).size).toBe(1);
  });

  it("fails only the trial whose callback throws while it runs; the thread runs on", async () => {
    const trials = new WorkerTrials({ parallelism: 3, threads: 1 });
    await search("boomWhileRunning", 4, trials);
    expect(trials.trials[0]).toMatchObject({ status: "fail", error: { kind: "crashed" } });
    expect(trials.trials[0]?.error?.message).toMatch(/uncaught exception in a callback it started: Error: boom while running/);
    expect(trials.statuses().slice(1)).toEqual(["ok", "ok", "ok"]);
  });

  it("runs again, on a fresh thread, the trials that shared a thread terminated for a hung trial", async () => {
    const trials = new WorkerTrials({ parallelism: 3, threads: 1, timeout: 0.5, gracePeriod: 0.1 });
    await search("spinsOnFirst", 3, trials);
    expect(trials.trials[0]).toMatchObject({ status: "timeout", error: { kind: "timeout" } });
    expect(trials.trials[0]?.error?.message).toMatch(/worker was terminated/);
    expect(trials.statuses().slice(1)).toEqual(["ok", "ok"]);
  });

  it("refuses bad or unknown options, naming them", () => {
    expect(() => new WorkerTrials({ parallelism: 4, threads: 8 })).toThrow(/option "threads" must be a whole number from 1 to parallelism \(4\), got 8/);
    expect(() => new WorkerTrials({ threads: 0 })).toThrow(HyperoptArgumentError);
    expect(() => new WorkerTrials({ parallelism: 2, thread: 1 } as never)).toThrow(HyperoptArgumentError);
  });
});

describe("Trials({ parallelism })", () => {
  const concurrency = () => {
    let running = 0;
    let most = 0;
    const fn = async (p: { x: number }) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return p.x;
    };
    return { fn, most: () => most };
  };

  it("runs an async objective's trials concurrently in this thread", async () => {
    const c = concurrency();
    const trials = new Trials({ parallelism: 8 });
    await fmin({ fn: c.fn, space, algo: rand.suggest, maxEvals: 32, seed: 1, trials, showProgressbar: false });
    expect(trials.length).toBe(32);
    expect(c.most()).toBe(8);
  });

  it("runs one trial at a time by default", async () => {
    const c = concurrency();
    await fmin({ fn: c.fn, space, algo: rand.suggest, maxEvals: 5, seed: 1, trials: new Trials(), showProgressbar: false });
    expect(c.most()).toBe(1);
  });

  it("still starts from earlier trials", async () => {
    const first = await fmin({ fn: (p) => p.x, space, algo: rand.suggest, maxEvals: 3, seed: 2, showProgressbar: false });
    expect(new Trials(first.trials.trials).length).toBe(3);
    expect(new Trials({ parallelism: 2 }, first.trials.trials).length).toBe(3);
  });

  it("refuses bad options, naming the option, the expectation and the value", () => {
    expect(() => new Trials({ parallelism: 0 })).toThrow(/Trials: option "parallelism" must be a whole number >= 1, got 0/);
    expect(() => new Trials({ parallelism: "4" } as never)).toThrow(HyperoptArgumentError);
    expect(() => new Trials({ paralelism: 4 } as never)).toThrow(HyperoptArgumentError);
  });
});
