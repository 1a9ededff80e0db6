import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { treeMainEffects } from "../../src/report/fanova.js";
import type { RegressionTree, TreeNode } from "../../src/report/forest.js";
import { paramColumns } from "../../src/report/columns.js";
import { paramImportance } from "../../src/report/importance.js";
import { createRng } from "../../src/rng/rng.js";
import { hp } from "../../src/space/hp.js";
import { spaceToJSON } from "../../src/space/json.js";
import { sampleAssignment } from "../../src/space/sample.js";
import { compile } from "../../src/space/compile.js";
import type { Assignment } from "../../src/space/assignment.js";
import type { Trial } from "../../src/trials/trial.js";

const leaf = (value: number): TreeNode => ({ feature: -1, threshold: 0, left: -1, right: -1, value });
const split = (feature: number, threshold: number, left: number, right: number): TreeNode => ({ feature, threshold, left, right, value: 0 });

function searchOf(space: unknown, n: number, loss: (a: Assignment) => number, seed = 1): { columns: ReturnType<typeof paramColumns>; trials: Trial[] } {
  const compiled = compile(space);
  const rng = createRng(seed);
  const trials: Trial[] = Array.from({ length: n }, (_, tid) => {
    const assignment = sampleAssignment(compiled, rng);
    return { tid, status: "ok", assignment, params: {}, loss: loss(assignment), startTime: 0, metrics: [] };
  });
  return { columns: paramColumns(spaceToJSON(space), trials), trials };
}

describe("fANOVA of one tree", () => {
  it("gives a tree that splits on one feature all of its variance", () => {
    const tree: RegressionTree = [split(0, 0.5, 1, 2), leaf(0), leaf(1)];
    expect(treeMainEffects(tree, [0, 0], [1, 1])).toEqual([1, 0]);
  });

  it("splits an additive tree's variance between its features by their effect sizes", () => {
    // f = [x0 > 0.5] + 2·[x1 > 0.5]: main-effect variances 1/4 and 1, total 5/4.
    const tree: RegressionTree = [split(0, 0.5, 1, 4), split(1, 0.5, 2, 3), leaf(0), leaf(2), split(1, 0.5, 5, 6), leaf(1), leaf(3)];
    const effects = treeMainEffects(tree, [0, 0], [1, 1]) as number[];
    expect(effects[0]).toBeCloseTo(0.2, 12);
    expect(effects[1]).toBeCloseTo(0.8, 12);
  });

  it("gives a pure interaction (xor) no main effect", () => {
    const tree: RegressionTree = [split(0, 0.5, 1, 4), split(1, 0.5, 2, 3), leaf(0), leaf(1), split(1, 0.5, 5, 6), leaf(1), leaf(0)];
    expect(treeMainEffects(tree, [0, 0], [1, 1])).toEqual([0, 0]);
  });

  it("weighs intervals by their width in the box", () => {
    // f = [x0 > 0.75] + [x1 > 0.5]: main-effect variances 3/16 and 1/4, total 7/16.
    const tree: RegressionTree = [split(0, 0.75, 1, 4), split(1, 0.5, 2, 3), leaf(0), leaf(1), split(1, 0.5, 5, 6), leaf(1), leaf(2)];
    const effects = treeMainEffects(tree, [0, 0], [1, 1]) as number[];
    expect(effects[0]).toBeCloseTo(3 / 7, 12);
    expect(effects[1]).toBeCloseTo(4 / 7, 12);
    // The same tree over a box twice as wide in x0: x0 > 0.75 now covers 1.25 of 2.
    const wider = treeMainEffects(tree, [0, 0], [2, 1]) as number[];
    expect(wider[0]).toBeCloseTo((0.375 * 0.625) / (0.375 * 0.625 + 0.25), 12);
    expect(treeMainEffects([leaf(3)], [0], [1])).toBeUndefined();
  });
});

describe("paramImportance", () => {
  it("gives the dominant parameter most and a parameter the loss ignores nearly nothing", () => {
    const space = { x: hp.uniform("x", -5, 5), y: hp.uniform("y", -5, 5), noise: hp.uniform("noise", 0, 1) };
    const { columns, trials } = searchOf(space, 300, (a) => (a.x as number) ** 2 + 0.1 * (a.y as number) ** 2);
    const imp = paramImportance(columns, trials);
    expect(imp.x).toBeGreaterThan(0.8);
    expect(imp.y).toBeGreaterThan(imp.noise as number);
    expect(imp.noise).toBeLessThan(0.05);
    expect((imp.x as number) + (imp.y as number) + (imp.noise as number)).toBeCloseTo(1, 10);
  });

  it("finds a choice that decides the loss, and reads log-scale and conditional parameters", () => {
    const space = {
      optimizer: hp.choice("optimizer", ["adam", "sgd", "rmsprop"]),
      lr: hp.loguniform("lr", Math.log(1e-5), Math.log(1)),
      model: hp.choice("model", [{ kind: "a" }, { kind: "b", depth: hp.randint("depth", 1, 10) }]),
    };
    const { columns, trials } = searchOf(space, 300, (a) => [3, 0, 1][a.optimizer as number] as number);
    const imp = paramImportance(columns, trials);
    expect(imp.optimizer).toBeGreaterThan(0.9);
    expect(imp.lr).toBeLessThan(0.05);
    expect(imp.depth).toBeLessThan(0.05);
  });

  it("is all zero when the loss does not vary or there is too little data", () => {
    const space = { x: hp.uniform("x", 0, 1) };
    expect(paramImportance(searchOf(space, 30, () => 1).columns, searchOf(space, 30, () => 1).trials)).toEqual({ x: 0 });
    const one = searchOf(space, 1, (a) => a.x as number);
    expect(paramImportance(one.columns, one.trials)).toEqual({ x: 0 });
  });

  it("samples large histories down to maxTrials, the same way for the same seed", () => {
    const space = { x: hp.uniform("x", 0, 1), z: hp.uniform("z", 0, 1) };
    const { columns, trials } = searchOf(space, 600, (a) => a.x as number);
    const a = paramImportance(columns, trials, { maxTrials: 100, trees: 8 });
    expect(a).toEqual(paramImportance(columns, trials, { maxTrials: 100, trees: 8 }));
    expect(a.x).toBeGreaterThan(0.9);
  });

  it("property: a parameter with no effect on a linear loss gets under 5%", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 20, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (slope, offset, seed) => {
        const space = { a: hp.uniform("a", 0, 1), unused: hp.uniform("unused", 0, 1) };
        const { columns, trials } = searchOf(space, 120, (p) => slope * (p.a as number) + offset, seed);
        const imp = paramImportance(columns, trials, { trees: 8, seed });
        return (imp.unused as number) < 0.05 && (imp.a as number) > 0.95;
      }),
      { numRuns: 15 },
    );
  });
});
