import { describe, expect, it } from "vitest";
import { hp, spaceEval, HyperoptArgumentError } from "../../src/index.js";
import { spaceFromJSON, spaceToJSON } from "../../src/space/index.js";

const space = {
  lr: hp.loguniform("lr", -5, 0),
  model: hp.choice("model", [
    { kind: "svm", C: hp.uniform("C", 0, 10), kernel: hp.choice("kernel", ["rbf", "linear"]) },
    { kind: "tree", depth: hp.randint("depth", 2, 12) },
  ]),
  fixed: [1, "two", null],
};

describe("spaceEval", () => {
  it("maps choice indices to their options, recursively, as Hyperopt's space_eval does", () => {
    expect(spaceEval(space, { lr: 0.01, model: 0, C: 2.5, kernel: 1 })).toEqual({
      lr: 0.01,
      model: { kind: "svm", C: 2.5, kernel: "linear" },
      fixed: [1, "two", null],
    });
    expect(spaceEval(space, { lr: 0.1, model: 1, depth: 7 })).toEqual({ lr: 0.1, model: { kind: "tree", depth: 7 }, fixed: [1, "two", null] });
  });

  it("names the missing label or the bad index", () => {
    expect(() => spaceEval(space, { lr: 0.1, model: 1 })).toThrow(/no value for active label "depth"/);
    expect(() => spaceEval(space, { lr: 0.1, model: 2 })).toThrow(/label "model" must be an option index in 0\.\.1, got 2/);
    expect(() => spaceEval(space, { lr: 0.1, model: 2 })).toThrow(HyperoptArgumentError);
  });
});

describe("JSON form", () => {
  it("writes the benchmark suite's format", () => {
    expect(spaceToJSON({ x: hp.randint("r", 3), p: hp.pchoice("p", [[0.2, "a"], [0.8, { b: hp.qnormal("q", 0, 1, 0.5) }]]) })).toEqual({
      x: { dist: "randint", label: "r", low: 0, high: 3 },
      p: { dist: "pchoice", label: "p", options: [{ p: 0.2, value: "a" }, { p: 0.8, value: { b: { dist: "qnormal", label: "q", mu: 0, sigma: 1, q: 0.5 } } }] },
    });
  });

  it("reads a space from JSON with errors that name where", () => {
    expect(() => spaceFromJSON({ a: { dist: "gamma", label: "g" } })).toThrow(/space\.a\.dist must be one of choice, pchoice, uniform/);
    expect(() => spaceFromJSON({ a: [{ dist: "uniform", label: "u", low: 2, high: 1 }] })).toThrow(/hp\.uniform\("u"\): argument "high"/);
    expect(() => spaceFromJSON({ a: { dist: "choice", label: "c", options: 3 } })).toThrow(/space\.a\.options must be an array/);
    expect(() => spaceToJSON({ a: () => 1 })).toThrow(/a constant of type function has no JSON form/);
  });
});
