import { describe, expect, it } from "vitest";
import { AllTrialsFailed, fmin, hp, HyperoptArgumentError, noProgressLoss, rand, Trials } from "../../src/index.js";

const quiet = { showProgressbar: false } as const;
const space = {
  x: hp.uniform("x", -5, 5),
  model: hp.choice("model", [{ kind: "a", y: hp.uniform("y", 0, 1) }, { kind: "b" }]),
};

describe("fmin", () => {
  it("returns the best point in Hyperopt's form and as real values, with the whole history", async () => {
    const r = await fmin({ fn: (p) => p.x ** 2 + (p.model.kind === "a" ? p.model.y : 1), space, algo: rand.suggest, maxEvals: 40, seed: 7, ...quiet });
    expect(r.trials.length).toBe(40);
    expect(r.stopReason).toBe("maxEvals");
    const losses = r.trials.trials.map((t) => t.loss as number);
    expect(r.bestLoss).toBe(Math.min(...losses));
    expect(r.bestTrial.loss).toBe(r.bestLoss);
    expect(r.best).toEqual(r.bestTrial.assignment);
    expect(r.best.model).toBe(r.bestParams.model.kind === "a" ? 0 : 1);
    expect(r.bestParams.x).toBe(r.best.x);
    for (const t of r.trials.trials) {
      expect(t.status).toBe("ok");
      expect(t.endTime).toBeGreaterThanOrEqual(t.startTime);
      expect(t.tid).toBe(r.trials.trials.indexOf(t));
    }
  });

  it("gives the same search for the same seed and a different one for another", async () => {
    const run = (seed: number) => fmin({ fn: (p) => p.x, space, maxEvals: 10, seed, ...quiet }).then((r) => r.trials.trials.map((t) => t.assignment));
    expect(await run(1)).toEqual(await run(1));
    expect(await run(1)).not.toEqual(await run(2));
  });

  it("accepts async objectives and result objects with extras", async () => {
    const r = await fmin({
      fn: async (p) => ({ loss: p.x, status: "ok" as const, metrics: { acc: 0.5 }, note: "kept" }),
      space, maxEvals: 3, seed: 1, ...quiet,
    });
    expect(r.bestTrial.result).toEqual({ loss: r.bestLoss, status: "ok", metrics: { acc: 0.5 }, note: "kept" });
  });

  it("fails a trial whose objective throws, keeps message and stack, and goes on", async () => {
    let n = 0;
    const r = await fmin({
      fn: (p) => {
        if (n++ % 2 === 0) throw new Error("boom");
        return p.x;
      },
      space, maxEvals: 6, seed: 1, ...quiet,
    });
    expect(r.trials.statuses()).toEqual(["fail", "ok", "fail", "ok", "fail", "ok"]);
    const failed = r.trials.trials[0];
    expect(failed?.error?.message).toBe("boom");
    expect(failed?.error?.kind).toBe("exception");
    expect(failed?.error?.stack).toMatch(/Error: boom\n\s+at /);
  });

  it.each([
    [Number.NaN, /the objective returned NaN; expected a finite number, or an object \{ loss/],
    [Infinity, /returned Infinity/],
    ["0.5", /returned "0.5"/],
    [{ loss: "1" }, /result has loss "1"/],
    [{ status: "done", loss: 1 }, /result: status must be "ok" or "fail" \(STATUS_OK or STATUS_FAIL\), got "done"/],
    [{ status: "STATUS_OK", loss: 1 }, /got "STATUS_OK"/],
    [{ loss: 1, metrics: { a: "x" } }, /result: metrics\.a must be a finite number, got "x"/],
    [null, /returned null/],
  ])("fails a trial that returns %j with a reason", async (value, reason) => {
    const r = await fmin({ fn: (() => value) as () => number, space, maxEvals: 2, seed: 1, ...quiet }).catch((e: unknown) => e);
    expect(r).toBeInstanceOf(AllTrialsFailed);
    const trials = (r as AllTrialsFailed).trials.trials;
    expect(trials.map((t) => t.status)).toEqual(["fail", "fail"]);
    expect(trials[0]?.error?.kind).toBe("invalid-result");
    expect(trials[0]?.error?.message).toMatch(reason);
  });

  it("treats status fail as a failed trial and says so when every trial failed", async () => {
    const e = await fmin({ fn: () => ({ status: "fail" as const }), space, maxEvals: 3, seed: 1, ...quiet }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AllTrialsFailed);
    expect((e as Error).message).toMatch(/all 3 trials failed/);
    expect((e as AllTrialsFailed).trials.statuses()).toEqual(["fail", "fail", "fail"]);
  });

  it("stops at the loss threshold", async () => {
    const r = await fmin({ fn: (p) => Math.abs(p.x), space, maxEvals: 500, seed: 3, lossThreshold: 0.5, ...quiet });
    expect(r.stopReason).toBe("lossThreshold");
    expect(r.bestLoss).toBeLessThanOrEqual(0.5);
    expect(r.trials.trials.slice(0, -1).every((t) => (t.loss as number) > 0.5)).toBe(true);
  });

  it("stops early when noProgressLoss sees no improvement", async () => {
    const r = await fmin({ fn: (p) => (p.x > 0 ? 1 : 2), space, maxEvals: 500, seed: 3, earlyStop: noProgressLoss(5), ...quiet });
    expect(r.stopReason).toBe("earlyStop");
    const losses = r.trials.losses() as number[];
    const bestAt = losses.indexOf(Math.min(...losses));
    // trials without progress: those after the best, and the best itself when it is the first
    expect(losses.length - 1 - bestAt + (bestAt === 0 ? 1 : 0)).toBe(5);
  });

  it("stops at the timeout and cancels the running trial", async () => {
    let calls = 0;
    const r = await fmin({
      fn: (p, ctx) => {
        calls++;
        if (calls < 3) return p.x;
        return new Promise<number>((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted"))));
      },
      space, maxEvals: 100, seed: 1, timeout: 0.2, ...quiet,
    });
    expect(r.stopReason).toBe("timeout");
    expect(r.trials.statuses()).toEqual(["ok", "ok", "cancelled"]);
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const r = await fmin({
      fn: (p) => {
        if (p.x > 0) controller.abort();
        return p.x;
      },
      space, maxEvals: 100, seed: 1, signal: controller.signal, ...quiet,
    });
    expect(r.stopReason).toBe("cancelled");
    expect(r.trials.length).toBeLessThan(100);
    expect(r.trials.trials.at(-1)?.status).toBe("ok");
  });

  it("evaluates pointsToEvaluate first", async () => {
    const r = await fmin({ fn: (p) => p.x, space, maxEvals: 4, seed: 1, pointsToEvaluate: [{ x: 1, model: 1 }, { x: -2, model: 0, y: 0.5 }], ...quiet });
    expect(r.trials.trials.slice(0, 2).map((t) => t.params)).toEqual([{ x: 1, model: { kind: "b" } }, { x: -2, model: { kind: "a", y: 0.5 } }]);
  });

  it("rejects points outside the space, naming them", async () => {
    await expect(fmin({ fn: (p) => p.x, space, maxEvals: 2, pointsToEvaluate: [{ x: 9, model: 1 }], ...quiet })).rejects.toThrow(
      /pointsToEvaluate\[0\]: "x" = 9 lies outside its uniform distribution/,
    );
    await expect(fmin({ fn: (p) => p.x, space, maxEvals: 2, pointsToEvaluate: [{ x: 1 }], ...quiet })).rejects.toThrow(
      /pointsToEvaluate\[0\]: no value for the active label "model"/,
    );
    await expect(fmin({ fn: (p) => p.x, space, maxEvals: 2, pointsToEvaluate: [{ x: 1, model: 1, y: 0.3 }], ...quiet })).rejects.toThrow(
      /label "y" is not an active label/,
    );
  });

  it("continues a search given its Trials, counting earlier trials toward maxEvals", async () => {
    const trials = new Trials();
    await fmin({ fn: (p) => p.x, space, maxEvals: 5, seed: 9, trials, ...quiet });
    const r = await fmin({ fn: (p) => p.x, space, maxEvals: 12, trials, ...quiet });
    expect(r.trials).toBe(trials);
    expect(trials.length).toBe(12);
    const whole = await fmin({ fn: (p) => p.x, space, maxEvals: 12, seed: 9, ...quiet });
    expect(trials.trials.map((t) => t.assignment)).toEqual(whole.trials.trials.map((t) => t.assignment));
  });

  it("reports intermediate metrics into the trial", async () => {
    const r = await fmin({
      fn: (p, ctx) => {
        ctx.report("acc", 0.1);
        ctx.report("acc", 0.2);
        ctx.report("lr", 3, 10);
        expect(ctx.trialId).toBeTypeOf("number");
        return p.x;
      },
      space, maxEvals: 1, seed: 1, ...quiet,
    });
    expect(r.bestTrial.metrics.map(({ name, value, step }) => [name, value, step])).toEqual([["acc", 0.1, 0], ["acc", 0.2, 1], ["lr", 3, 10]]);
  });

  it.each([
    [{ maxEvals: -1 }, "maxEvals", /option "maxEvals" must be a whole number >= 0/],
    [{ maxEvals: 1.5 }, "maxEvals", /"maxEvals"/],
    [{ seed: 1.5 }, "seed", /option "seed" must be an integer/],
    [{ timeout: 0 }, "timeout", /option "timeout" must be a finite number of seconds > 0, got 0/],
    [{ timeout: Infinity }, "timeout", /option "timeout" must be a finite number of seconds > 0, got Infinity/],
    [{ lossThreshold: Number.NaN }, "lossThreshold", /option "lossThreshold" must be a finite number/],
    [{ algo: "tpe" }, "algo", /option "algo" must be a suggest function/],
    [{ fn: 3 }, "fn", /option "fn" must be a function, a module URL or path, or \{ module: URL or path, export\?: name \}, got 3/],
    [{ trials: [] }, "trials", /option "trials" must be a Trials instance/],
    [{ earlyStop: 5 }, "earlyStop", /"earlyStop" must be a function/],
  ])("rejects bad option %j", async (bad, argument, message) => {
    const e = await fmin({ fn: () => 0, space: { x: hp.uniform("x", 0, 1) }, maxEvals: 1, ...(bad as object) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HyperoptArgumentError);
    expect((e as HyperoptArgumentError).argument).toBe(argument);
    expect((e as Error).message).toMatch(message);
  });

  it("calls onTrial after every trial with the finished trial and the history", async () => {
    const seen: [number, string, number][] = [];
    const r = await fmin({
      fn: (p) => p.x,
      space, maxEvals: 4, seed: 2, ...quiet,
      onTrial: (trial, trials) => {
        expect(trials.trials).toContain(trial);
        expect(typeof trial.params.x).toBe("number");
        seen.push([trial.tid, trial.status, trials.length]);
      },
    });
    expect(seen).toEqual([[0, "ok", 1], [1, "ok", 2], [2, "ok", 3], [3, "ok", 4]]);
    expect(r.trials.length).toBe(4);
  });

  it("says no trial ran when maxEvals is 0", async () => {
    await expect(fmin({ fn: () => 0, space, maxEvals: 0, ...quiet })).rejects.toThrow(/no trial ran/);
  });
});
