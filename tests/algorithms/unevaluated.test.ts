import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configKey, evaluatedKeys } from "../../src/algorithms/tpe/unevaluated.js";
import { tpe } from "../../src/algorithms/tpe/tpe.js";
import { compile } from "../../src/space/compile.js";
import { hp } from "../../src/space/hp.js";
import type { Trial } from "../../src/trials/trial.js";
import { runAlgorithm } from "../support/algorithmLoop.js";
import { historyOf } from "../../src/algorithms/tpe/history.js";


const finite = {
  scale: hp.choice("scale", [true, false]),
  model: hp.choice("model", [
    { kind: "a", k: hp.randint("k", 1, 6) },
    { kind: "b", w: hp.choice("w", ["u", "d"]), q: hp.quniform("q", 0, 4, 2) },
  ]),
};
// scale (2) x (a: k 5 | b: w 2 x q 3) = 2 x 11 = 22 configurations

describe("tpe (default) on finite spaces", () => {
  it("suggests N distinct configurations first on a space of N, whatever the loss", () => {
    const space = compile(finite);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 21 }), (seed, favourite) => {
        const trials = runAlgorithm(tpe.suggest, finite, 22, seed, (p) => (p.model.kind === "a" ? Math.abs(p.model.k - (favourite % 5)) : 3) + (p.scale ? 0 : 0.5));
        expect(new Set(trials.map((t) => configKey(space, t.assignment))).size).toBe(22);
      }),
      { numRuns: 15 },
    );
  });

  it("finds a root of Hyperopt's cubic over randint(2, 100) within 150 evaluations (random search's rate or better)", () => {
    const space = { t: hp.randint("t", 2, 100) };
    const cubic = (p: { t: number }) => Math.abs(p.t ** 3 - 63 * p.t ** 2 + 680 * p.t - 1500);
    for (const seed of [0, 1]) {
      const trials = runAlgorithm(tpe.suggest, space, 150, seed, cubic);
      expect(Math.min(...trials.map((t) => t.loss as number))).toBe(0);
    }
  });

  it("still repeats configurations with avoidDuplicates off (the Hyperopt preset's behaviour)", () => {
    const space = { c: hp.choice("c", [0, 1, 2]) };
    const trials = runAlgorithm(tpe.configure({ avoidDuplicates: false }), space, 30, 1, (p) => p.c);
    expect(new Set(trials.map((t) => t.assignment.c)).size).toBeLessThan(30);
    const distinct = runAlgorithm(tpe.suggest, space, 3, 1, (p) => p.c);
    expect(new Set(distinct.map((t) => t.assignment.c)).size).toBe(3);
  });
});

describe("evaluatedKeys", () => {
  it("extends with the history and rebuilds when an earlier trial is replaced", () => {
    const space = compile(finite);
    const a = { scale: 0, model: 0, k: 2 };
    const b = { scale: 1, model: 1, w: 0, q: 2 };
    const trials: Trial[] = [{ tid: 0, status: "ok", assignment: a, params: {}, loss: 1, startTime: 0, metrics: [] }];
    expect([...evaluatedKeys(space, historyOf(trials))]).toEqual([configKey(space, a)]);
    trials.push({ tid: 1, status: "running", assignment: b, params: {}, startTime: 0, metrics: [] });
    expect(evaluatedKeys(space, historyOf(trials)).has(configKey(space, b))).toBe(true);
    trials[0] = { ...(trials[0] as Trial), assignment: { scale: 1, model: 0, k: 3 } };
    expect(evaluatedKeys(space, historyOf(trials)).has(configKey(space, a))).toBe(false);
  });
});

describe("configKey", () => {
  const space = compile({ a: hp.uniform("a", -2, 2), b: hp.choice("b", [{ c: hp.normal("c", 0, 1) }, { d: hp.randint("d", 0, 4) }]), e: hp.loguniform("e", -3, 0) });
  const value = fc.constantFrom(0, -0, 1, -1, 0.1, 0.1 + 0.2, 0.3, 1e-300, 5e-324, -2.5, 2 ** 53, 3);
  const assignment = fc.record({ a: value, b: fc.constantFrom(0, 1), c: value, d: value, e: value }, { requiredKeys: ["a", "b"] });
  const decimalKey = (x: Record<string, number>): string => space.params.map((p) => (x[p.label] === undefined ? "" : `${p.label}=${x[p.label]};`)).join("");

  it("gives two configurations the same key exactly when the same labels are active with equal values", () => {
    fc.assert(
      fc.property(assignment, assignment, (x, y) => {
        expect(configKey(space, x) === configKey(space, y)).toBe(decimalKey(x) === decimalKey(y));
        expect(configKey(space, x)).toBe(configKey(space, { ...x }));
      }),
      { numRuns: 500 },
    );
  });
});
