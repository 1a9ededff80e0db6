import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError, rand, Trials, WorkerTrials } from "../../src/index.js";

const space = { x: hp.uniform("x", -2, 2) };
const fixture = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url);

describe("WorkerTrials", { timeout: 30_000 }, () => {
  it("runs a TypeScript objective module on the pool and keeps the same history as inline", async () => {
    const trials = new WorkerTrials({ parallelism: 3 });
    const result = await fmin({ fn: fixture("quadratic.ts"), space, algo: rand.suggest, maxEvals: 12, seed: 5, trials, showProgressbar: false });
    const inline = await fmin({ fn: (p) => (p.x - 1) ** 2, space, algo: rand.suggest, maxEvals: 12, seed: 5, showProgressbar: false });
    expect(trials.length).toBe(12);
    expect(trials.statuses().every((s) => s === "ok")).toBe(true);
    expect(trials.trials.map((t) => t.tid)).toEqual([...Array(12).keys()]);
    expect(trials.losses()).toEqual(inline.trials.losses());
    expect(result.bestLoss).toBe(inline.bestLoss);
    expect(result.best).toEqual(inline.best);
  });

  it("delivers ctx.report metrics to the trial, in order, with explicit or counted steps", async () => {
    const trials = new WorkerTrials({ parallelism: 2 });
    await fmin({ fn: fixture("quadratic.ts"), space, maxEvals: 4, seed: 1, trials, showProgressbar: false });
    for (const t of trials.trials) {
      expect(t.metrics.map((m) => [m.name, m.value, m.step])).toEqual([
        ["half", (t.loss as number) / 2, 0],
        ["loss", t.loss, 7],
      ]);
    }
  });

  it("loads a JavaScript module given as a path", async () => {
    const trials = new WorkerTrials({ parallelism: 2 });
    const result = await fmin({ fn: fixture("quadratic.mjs").pathname, space, maxEvals: 4, seed: 2, trials, showProgressbar: false });
    expect(result.bestLoss).toBe(Math.min(...trials.losses().map((l) => l as number)));
  });

  it("runs a named export given as { module, export }, on the pool and inline", async () => {
    const fn = { module: fixture("quadratic.ts"), export: "shifted" };
    const pooled = await fmin({ fn, space, maxEvals: 4, seed: 3, trials: new WorkerTrials({ parallelism: 2 }), showProgressbar: false });
    const inline = await fmin({ fn, space, maxEvals: 4, seed: 3, trials: new Trials(), showProgressbar: false });
    expect(pooled.trials.losses()).toEqual(inline.trials.losses());
    expect(pooled.trials.trials.map((t) => t.result?.tid)).toEqual([0, 1, 2, 3]);
  });

  it("fails the search with an argument error when the export is missing", async () => {
    const fn = { module: fixture("quadratic.ts"), export: "absent" };
    await expect(fmin({ fn, space, maxEvals: 2, trials: new WorkerTrials({ parallelism: 2 }), showProgressbar: false })).rejects.toThrow(
      /must have a function as an export named "absent"/,
    );
  });

  it("refuses a function objective, and bad options, naming the argument", async () => {
    await expect(fmin({ fn: () => 1, space, maxEvals: 1, trials: new WorkerTrials({ parallelism: 1 }), showProgressbar: false })).rejects.toMatchObject({
      argument: "fn",
    });
    expect(() => new WorkerTrials({ parallelism: 0 })).toThrow(HyperoptArgumentError);
    expect(() => new WorkerTrials({ timeout: -1 })).toThrow(/option "timeout" must be a finite number of seconds > 0, got -1/);
    expect(() => new WorkerTrials({ memoryLimitMb: 1 })).toThrow(/option "memoryLimitMb"/);
    await expect(fmin({ fn: { module: 3 } as never, space, maxEvals: 1, showProgressbar: false })).rejects.toMatchObject({ argument: "fn" });
  });
});
