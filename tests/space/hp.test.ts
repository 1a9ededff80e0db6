import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError } from "../../src/index.js";
import { compile } from "../../src/space/index.js";

function error(build: () => unknown): HyperoptArgumentError {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(HyperoptArgumentError);
    return e as HyperoptArgumentError;
  }
  throw new Error("expected the builder to throw");
}

describe("hp validation", () => {
  it.each([
    ["uniform low >= high", () => hp.uniform("x", 1, 1), "high", /hp\.uniform\("x"\).*"high".*greater than low \(1\), got 1/],
    ["quniform low >= high", () => hp.quniform("x", 5, 2, 1), "high", /hp\.quniform\("x"\).*greater than low/],
    ["loguniform low >= high", () => hp.loguniform("x", 0, -1), "high", /hp\.loguniform\("x"\)/],
    ["qloguniform low >= high", () => hp.qloguniform("x", 2, 2, 1), "high", /hp\.qloguniform\("x"\)/],
    ["randint high <= low", () => hp.randint("x", 5, 5), "high", /hp\.randint\("x"\).*greater than 5/],
    ["randint upper <= 0", () => hp.randint("x", 0), "upper", /"upper" must be greater than 0/],
    ["randint non-integer", () => hp.randint("x", 2.5), "upper", /"upper" must be an integer/],
    ["uniformint high <= low", () => hp.uniformint("x", 3, 1), "high", /hp\.uniformint\("x"\)/],
    ["quniform q = 0", () => hp.quniform("x", 0, 1, 0), "q", /"q" must be a number greater than 0, got 0/],
    ["qloguniform q < 0", () => hp.qloguniform("x", 0, 1, -1), "q", /"q" must be a number greater than 0/],
    ["qnormal q = 0", () => hp.qnormal("x", 0, 1, 0), "q", /"q"/],
    ["qlognormal q = 0", () => hp.qlognormal("x", 0, 1, 0), "q", /"q"/],
    ["normal sigma = 0", () => hp.normal("x", 0, 0), "sigma", /hp\.normal\("x"\).*"sigma" must be a number greater than 0/],
    ["lognormal sigma < 0", () => hp.lognormal("x", 0, -2), "sigma", /"sigma"/],
    ["uniform NaN", () => hp.uniform("x", Number.NaN, 1), "low", /"low" must be a finite number, got NaN/],
    ["uniform Infinity", () => hp.uniform("x", 0, Infinity), "high", /"high" must be a finite number, got Infinity/],
    ["normal mu Infinity", () => hp.normal("x", -Infinity, 1), "mu", /"mu" must be a finite number/],
    ["empty label", () => hp.uniform("", 0, 1), "label", /"label" must be a non-empty string/],
    ["choice without options", () => hp.choice("c", []), "options", /hp\.choice\("c"\).*"options" must be a non-empty array/],
    ["pchoice without options", () => hp.pchoice("c", []), "options", /non-empty array/],
    ["pchoice not summing to 1", () => hp.pchoice("c", [[0.5, "a"], [0.4, "b"]]), "options", /probabilities that sum to 1, got 0\.9/],
    ["pchoice probability > 1", () => hp.pchoice("c", [[1.5, "a"], [-0.5, "b"]]), "options", /hp\.pchoice\("c"\)/],
    ["duplicate label across options", () => hp.choice("c", [{ a: hp.uniform("x", 0, 1) }, { b: hp.uniform("x", 0, 2) }]), "options", /label "x" appears twice/],
    ["choice label reused inside", () => hp.choice("c", [hp.uniform("c", 0, 1)]), "options", /label "c" appears twice/],
  ])("%s", (_name, build, argument, message) => {
    const e = error(build);
    expect(e.argument).toBe(argument);
    expect(e.message).toMatch(message);
  });

  it("rejects a label used twice anywhere in the space", () => {
    const e = error(() => compile({ a: hp.uniform("x", 0, 1), b: { c: [hp.normal("x", 0, 1)] } }));
    expect(e.argument).toBe("space");
    expect(e.message).toMatch(/label "x" appears more than once/);
  });

  it("stores -0 arguments as 0, as the JSON form does", () => {
    const node = hp.quniform("x", -0, 1, 0.5);
    expect(Object.is((node.distribution as { low: number }).low, 0)).toBe(true);
  });

  it("builds every primitive with Hyperopt's arguments", () => {
    const space = {
      c: hp.choice("c", ["a", "b"]),
      pc: hp.pchoice("pc", [[0.25, 1], [0.75, 2]]),
      r1: hp.randint("r1", 5),
      r2: hp.randint("r2", -3, 4),
      ui: hp.uniformint("ui", 1, 6),
      u: hp.uniform("u", -1, 1),
      qu: hp.quniform("qu", 0, 10, 2.5),
      lu: hp.loguniform("lu", -3, 1),
      qlu: hp.qloguniform("qlu", 0, 4, 1),
      n: hp.normal("n", 3, 2),
      qn: hp.qnormal("qn", 0, 5, 1),
      ln: hp.lognormal("ln", 0, 1),
      qln: hp.qlognormal("qln", 1, 0.5, 0.5),
    };
    const kinds = compile(space).params.map((p) => [p.label, p.distribution]);
    expect(Object.fromEntries(kinds)).toEqual({
      c: { kind: "choice", size: 2 },
      pc: { kind: "pchoice", probabilities: [0.25, 0.75] },
      r1: { kind: "randint", low: 0, high: 5 },
      r2: { kind: "randint", low: -3, high: 4 },
      ui: { kind: "uniformint", low: 1, high: 6 },
      u: { kind: "uniform", low: -1, high: 1 },
      qu: { kind: "quniform", low: 0, high: 10, q: 2.5 },
      lu: { kind: "loguniform", low: -3, high: 1 },
      qlu: { kind: "qloguniform", low: 0, high: 4, q: 1 },
      n: { kind: "normal", mu: 3, sigma: 2 },
      qn: { kind: "qnormal", mu: 0, sigma: 5, q: 1 },
      ln: { kind: "lognormal", mu: 0, sigma: 1 },
      qln: { kind: "qlognormal", mu: 1, sigma: 0.5, q: 0.5 },
    });
  });
});

describe("compile", () => {
  it("flattens a conditional space with activation conditions and paths", () => {
    const space = {
      lr: hp.uniform("lr", 0, 1),
      model: hp.choice("model", [
        { kind: "svm", C: hp.loguniform("C", -5, 5) },
        { kind: "tree", depth: hp.randint("depth", 2, 12), split: hp.choice("split", ["gini", { crit: hp.uniform("w", 0, 1) }]) },
      ]),
      layers: [hp.quniform("l0", 1, 4, 1)],
    };
    const params = compile(space).params.map((p) => ({ label: p.label, conditions: p.conditions, path: p.path }));
    expect(params).toEqual([
      { label: "lr", conditions: [], path: "lr" },
      { label: "model", conditions: [], path: "model" },
      { label: "C", conditions: [{ label: "model", index: 0 }], path: "model.C" },
      { label: "depth", conditions: [{ label: "model", index: 1 }], path: "model.depth" },
      { label: "split", conditions: [{ label: "model", index: 1 }], path: "model.split" },
      { label: "w", conditions: [{ label: "model", index: 1 }, { label: "split", index: 1 }], path: "model.split.crit" },
      { label: "l0", conditions: [], path: "layers.0" },
    ]);
  });
});

describe("a space without parameters", () => {
  it.each([
    ["5", 5],
    ["null", null],
    ['"x"', "x"],
    ["{}", {}],
    ['{"x":["uniform",0,1]}', { x: ["uniform", 0, 1] }],
  ])("%s is refused by fmin before any trial runs", async (shown, space) => {
    let calls = 0;
    const e = await fmin({ fn: () => ++calls, space: space as never, maxEvals: 3, showProgressbar: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HyperoptArgumentError);
    expect((e as HyperoptArgumentError).argument).toBe("space");
    expect((e as Error).message).toBe(`space: a search space must hold at least one hp parameter (such as hp.uniform("x", 0, 1)), got ${shown}`);
    expect(calls).toBe(0);
  });
});

describe("a label used twice in a plain-object space", () => {
  it("is refused by fmin before any trial runs", async () => {
    let calls = 0;
    const space = { a: hp.uniform("x", 0, 1), b: { c: [hp.normal("x", 0, 1)] } };
    const e = await fmin({ fn: () => ++calls, space, maxEvals: 3, showProgressbar: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HyperoptArgumentError);
    expect((e as HyperoptArgumentError).argument).toBe("space");
    expect((e as Error).message).toBe('space: label "x" appears more than once; every hp label must be unique');
    expect(calls).toBe(0);
  });
});
