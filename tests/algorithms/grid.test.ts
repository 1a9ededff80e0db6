import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmin, grid, gridSpace, hp, HyperoptArgumentError } from "../../src/index.js";
import { compile } from "../../src/space/index.js";
import { assignmentKey, enumerateGrid } from "../../src/algorithms/grid.js";

describe("grid search", () => {
  it("visits each combination of the plain config form exactly once, then stops", async () => {
    const seen: string[] = [];
    const r = await fmin({
      fn: (p) => {
        seen.push(JSON.stringify(p));
        return p.lr * p.batch + (p.optimizer === "adam" ? 0 : 1);
      },
      space: gridSpace({ lr: [0.01, 0.001], batch: [16, 32], optimizer: ["adam", "sgd"] }),
      algo: grid.suggest,
      showProgressbar: false,
    });
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(r.stopReason).toBe("exhausted");
    expect(r.bestParams).toEqual({ lr: 0.001, batch: 16, optimizer: "adam" });
    expect(r.best).toEqual({ lr: 1, batch: 0, optimizer: 0 });
  });

  it("enumerates only the active combinations of a conditional space", () => {
    const space = {
      model: hp.choice("model", [
        { kind: "svm", C: hp.quniform("C", 1, 3, 1) },
        { kind: "tree", depth: hp.randint("depth", 2, 4), crit: hp.choice("crit", ["gini", "entropy"]) },
      ]),
      scale: hp.uniformint("scale", 0, 1),
    };
    const points = enumerateGrid(compile(space));
    expect(points).toHaveLength((3 + 2 * 2) * 2);
    expect(points.filter((p) => p.model === 0).every((p) => !("depth" in p) && !("crit" in p))).toBe(true);
    expect(points.filter((p) => p.model === 1).every((p) => !("C" in p))).toBe(true);
  });

  it("takes explicit values or a number of points for continuous parameters", () => {
    const space = { x: hp.uniform("x", 0, 1), lr: hp.loguniform("lr", Math.log(1e-4), Math.log(1e-1)) };
    const points = enumerateGrid(compile(space), { points: { x: [0.25, 0.75], lr: 4 } });
    expect(points).toHaveLength(8);
    const lrs = [...new Set(points.map((p) => p.lr))];
    expect(lrs.map((v) => Number((v as number).toPrecision(6)))).toEqual([1e-4, 1e-3, 1e-2, 1e-1]);
  });

  it("explains what a continuous or unbounded parameter needs", () => {
    expect(() => enumerateGrid(compile({ x: hp.uniform("x", 0, 1) }))).toThrow(/parameter "x" is continuous \(uniform\)/);
    expect(() => enumerateGrid(compile({ x: hp.normal("x", 0, 1) }), { points: { x: 3 } })).toThrow(/unbounded \(normal\)/);
    expect(() => enumerateGrid(compile({ x: hp.uniform("x", 0, 1) }), { points: { x: [2] } })).toThrow(HyperoptArgumentError);
    expect(() => enumerateGrid(compile({ x: hp.uniform("x", 0, 1) }), { points: { y: 2, x: 2 } })).toThrow(/names "y", which is not a label/);
  });

  it("shuffles the order by seed, the same for the same seed", async () => {
    const order = async (seed: number) => {
      const r = await fmin({ fn: () => 0, space: { a: hp.randint("a", 6), b: hp.choice("b", [1, 2]) }, algo: grid.configure({ shuffle: true }), seed, showProgressbar: false });
      return r.trials.trials.map((t) => `${t.assignment.a}-${t.assignment.b}`);
    };
    const a = await order(3);
    expect(await order(3)).toEqual(a);
    expect(await order(4)).not.toEqual(a);
    expect([...a].sort()).toEqual((await order(5)).sort());
  });

  it("property: every combination is visited exactly once, whatever maxEvals splits it into", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), async (na, nb, chunk, shuffle) => {
        const space = { a: hp.randint("a", na), b: hp.choice("b", [hp.uniformint("c", 0, nb), "none"]) };
        const algo = grid.configure({ shuffle });
        const first = await fmin({ fn: () => 1, space, algo, maxEvals: chunk, seed: 1, showProgressbar: false });
        const all = await fmin({ fn: () => 1, space, algo, trials: first.trials, showProgressbar: false });
        const keys = all.trials.trials.map((t) => assignmentKey(compile(space), t.assignment));
        expect(keys).toHaveLength(na * (nb + 1 + 1));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 30 },
    );
  });
});
