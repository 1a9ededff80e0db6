import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError, noProgressLoss, rand, type Trial } from "../../src/index.js";

const trial = (tid: number, loss: number | undefined): Trial =>
  loss === undefined
    ? { tid, status: "fail", assignment: {}, params: {}, startTime: 0, metrics: [], error: { message: "x", kind: "exception" } }
    : { tid, status: "ok", assignment: {}, params: {}, loss, startTime: 0, metrics: [] };

describe("noProgressLoss", () => {
  it("stops after 10 trials when the first is never beaten (Hyperopt's test_no_progress_loss)", async () => {
    const r = await fmin({
      fn: (x) => x,
      space: hp.uniform("x", -5, 5),
      algo: rand.suggest,
      maxEvals: 500,
      seed: 0,
      pointsToEvaluate: [{ x: -5 }],
      earlyStop: noProgressLoss(10),
      showProgressbar: false,
    });
    expect(r.stopReason).toBe("earlyStop");
    expect(r.trials.length).toBe(10);
  });

  it("counts trials since the last improvement, the first success as one, failures as none", () => {
    const stop = noProgressLoss(3);
    expect(stop([trial(0, 5), trial(1, 6)])).toBe(false);
    expect(stop([trial(0, 5), trial(1, 6), trial(2, 7)])).toBe(true);
    expect(stop([trial(0, 5), trial(1, 4), trial(2, 6), trial(3, 6)])).toBe(false);
    expect(stop([trial(0, 5), trial(1, 4), trial(2, 6), trial(3, 6), trial(4, undefined)])).toBe(true);
    expect(stop([trial(0, undefined), trial(1, undefined), trial(2, undefined)])).toBe(true);
  });

  it("asks for more than percentIncrease percent of improvement", () => {
    const stop = noProgressLoss(2, 10);
    expect(stop([trial(0, 100), trial(1, 95)])).toBe(true);
    expect(stop([trial(0, 100), trial(1, 89)])).toBe(false);
  });

  it.each([
    [() => noProgressLoss(0), "iterations", "noProgressLoss: iterations must be a whole number >= 1, got 0"],
    [() => noProgressLoss(2.5), "iterations", "noProgressLoss: iterations must be a whole number >= 1, got 2.5"],
    [() => noProgressLoss(3, -1), "percentIncrease", "noProgressLoss: percentIncrease must be a finite number >= 0, got -1"],
  ])("refuses bad arguments (%#)", (call, argument, message) => {
    expect(call).toThrow(HyperoptArgumentError);
    expect(call).toThrow(message);
    try {
      call();
    } catch (e) {
      expect((e as HyperoptArgumentError).argument).toBe(argument);
    }
  });
});
