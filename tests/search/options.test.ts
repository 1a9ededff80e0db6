import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError } from "../../src/index.js";
import { closestKey } from "../../src/errors.js";

const space = { x: hp.uniform("x", 0, 1) };

async function rejection(options: object): Promise<HyperoptArgumentError> {
  const e = await fmin({ fn: () => 0, space, maxEvals: 1, showProgressbar: false, ...options }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(HyperoptArgumentError);
  return e as HyperoptArgumentError;
}

describe("fmin's options", () => {
  it.each([
    ["max_evals", 10, "maxEvals"],
    ["maxevals", 10, "maxEvals"],
    ["loss_threshold", 0.1, "lossThreshold"],
    ["points_to_evaluate", [], "pointsToEvaluate"],
    ["trials_save_file", "x.jsonl", "trialsSaveFile"],
    ["show_progressbar", false, "showProgressbar"],
    ["early_stop_fn", () => false, "earlyStop"],
    ["algorithm", "tpe", "algo"],
  ])("refuses the unknown key %s (value %j) and suggests %s", async (key, value, suggestion) => {
    const e = await rejection({ [key]: value });
    expect(e.argument).toBe(key);
    expect(e.message).toBe(`fmin: unknown option "${key}"; did you mean ${suggestion}?`);
    expect(e.received).toBe(JSON.stringify(key));
  });

  it("lists the known options when nothing is close", async () => {
    const e = await rejection({ verbose: 2 });
    expect(e.argument).toBe("verbose");
    expect(e.message).toMatch(/^fmin: unknown option "verbose"; expected one of fn, space, algo, maxEvals, /);
  });

  it("refuses an unknown key inside { module, export }", async () => {
    const e = await rejection({ fn: { module: "./x.js", exports: "f" } });
    expect(e.message).toMatch(/did you mean export\?/);
  });

  it("refuses a non-object and a missing space", async () => {
    await expect(fmin(5 as never)).rejects.toThrow(/fmin: expected an options object/);
    await expect(fmin({ fn: () => 0 } as never)).rejects.toMatchObject({ argument: "space", message: 'fmin: option "space" is required' });
  });

  it("refuses a tracker without the tracker's methods", async () => {
    const e = await rejection({ tracker: { startSearch: () => {} } });
    expect(e.argument).toBe("tracker");
    expect(e.message).toMatch(/option "tracker" must be an object with startSearch, trialStarted/);
  });

  it("names the argument, the expectation and the value of an out-of-range option", async () => {
    const e = await rejection({ maxEvals: -3 });
    expect([e.argument, e.expected, e.received]).toEqual(["maxEvals", "a whole number >= 0", "-3"]);
  });
});

describe("closestKey", () => {
  it("matches across case, underscores and small typos, and not across unrelated words", () => {
    const known = ["maxEvals", "nStartupJobs", "gamma", "seed"];
    expect(closestKey("n_startup_jobs", known)).toBe("nStartupJobs");
    expect(closestKey("maxEval", known)).toBe("maxEvals");
    expect(closestKey("gama", known)).toBe("gamma");
    expect(closestKey("algorithm", known)).toBeUndefined();
    expect(closestKey("x", known)).toBeUndefined();
  });
});
