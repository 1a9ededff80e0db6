import { describe, expect, it } from "vitest";
import { anneal, fmin, grid, hp, HyperoptArgumentError, QueueTrials, tpe, WorkerTrials } from "../../src/index.js";
import { openTracker } from "../../src/tracking/index.js";

function thrown(call: () => unknown): HyperoptArgumentError {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(HyperoptArgumentError);
    return e as HyperoptArgumentError;
  }
  throw new Error("expected an argument error");
}

describe("options objects of the public API refuse unknown keys and out-of-range values at the call", () => {
  it.each([
    [() => tpe.configure({ n_startup_jobs: 50 } as never), "n_startup_jobs", 'tpe.configure: unknown setting "n_startup_jobs"; did you mean nStartupJobs?'],
    [() => tpe.configure({ gamma: 2 }), "gamma", 'tpe.configure: setting "gamma" must be a number in (0, 1], got 2'],
    [() => tpe.configure({ gamma: Number.NaN }), "gamma", 'tpe.configure: setting "gamma" must be a number in (0, 1], got NaN'],
    [() => tpe.configure({ gamma: 0 }), "gamma", 'tpe.configure: setting "gamma" must be a number in (0, 1], got 0'],
    [() => tpe.configure({ nStartupJobs: -1 }), "nStartupJobs", 'tpe.configure: setting "nStartupJobs" must be a whole number >= 0, got -1'],
    [() => tpe.configure({ nEiCandidates: 0 }), "nEiCandidates", 'tpe.configure: setting "nEiCandidates" must be a whole number >= 1, got 0'],
    [() => tpe.configure({ split: "log" } as never), "split", 'tpe.configure: setting "split" must be "sqrt" or "linear", got "log"'],
    [() => tpe.configure({ incumbentShare: 1.5 }), "incumbentShare", 'tpe.configure: setting "incumbentShare" must be a number in [0, 1], got 1.5'],
    [() => anneal.configure({ avgBestIdx: -1 }), "avgBestIdx", 'anneal.configure: setting "avgBestIdx" must be a finite number > 0, got -1'],
    [() => anneal.configure({ shrink_coef: 0.2 } as never), "shrink_coef", 'anneal.configure: unknown setting "shrink_coef"; did you mean shrinkCoef?'],
    [() => grid.configure({ points: { x: 0 } }), "points.x", 'grid.configure: setting "points.x" must be a whole number of points >= 1, got 0'],
    [() => grid.configure({ shufle: true } as never), "shufle", 'grid.configure: unknown setting "shufle"; did you mean shuffle?'],
    [() => new WorkerTrials({ paralelism: 2 } as never), "paralelism", 'WorkerTrials: unknown option "paralelism"; did you mean parallelism?'],
    [() => new WorkerTrials({ parallelism: 0 }), "parallelism", 'WorkerTrials: option "parallelism" must be a whole number >= 1, got 0'],
    [() => new WorkerTrials({ timeout: Infinity }), "timeout", 'WorkerTrials: option "timeout" must be a finite number of seconds > 0, got Infinity'],
    [() => new QueueTrials({ redis: "redis://127.0.0.1:1", queue: "q", heartbeat: 7200 }), "heartbeat", 'QueueTrials: option "heartbeat" must be a number of seconds > 0 and <= 3600, got 7200'],
    [() => openTracker({ experiment_name: "x" } as never), "experiment_name", 'openTracker: unknown option "experiment_name"; did you mean experiment?'],
    [() => openTracker({ probeMs: -5 }), "probeMs", 'openTracker: option "probeMs" must be a number of milliseconds > 0, got -5'],
  ])("%#: %s", (call, argument, message) => {
    const e = thrown(call);
    expect(e.argument).toBe(argument);
    expect(e.message).toBe(message);
  });

  it("keeps valid settings working", async () => {
    const algo = tpe.configure({ nStartupJobs: 3, gamma: 1, nEiCandidates: 1 });
    expect(algo.settings).toMatchObject({ nStartupJobs: 3, gamma: 1, nEiCandidates: 1 });
    const r = await fmin({ fn: (p) => p.x, space: { x: hp.uniform("x", 0, 1) }, algo, maxEvals: 6, seed: 1, showProgressbar: false });
    expect(r.trials.length).toBe(6);
    expect(anneal.configure({ avgBestIdx: 3 }).settings).toEqual({ avgBestIdx: 3, shrinkCoef: 0.1 });
    expect(grid.configure({ points: { x: [0.1, 0.2] }, shuffle: true }).settings).toEqual({ points: { x: [0.1, 0.2] }, shuffle: true });
  });
});
