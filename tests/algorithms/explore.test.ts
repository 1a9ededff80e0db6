import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Algorithm } from "../../src/algorithms/algorithm.js";
import { exploringDraw } from "../../src/algorithms/tpe/explore.js";
import { tpe } from "../../src/algorithms/tpe/tpe.js";
import { createRng } from "../../src/rng/rng.js";
import { compile } from "../../src/space/compile.js";
import { hp } from "../../src/space/hp.js";
import { sampleAssignment } from "../../src/space/sample.js";
import type { Trial } from "../../src/trials/trial.js";
import { runAlgorithm } from "../support/algorithmLoop.js";


const plane = { x: hp.uniform("x", 0, 10), y: hp.uniform("y", 0, 10) };

function trialAt(tid: number, x: number, y: number): Trial {
  return { tid, status: "ok", assignment: { x, y }, params: { x, y }, loss: 0, startTime: 0, metrics: [] };
}

function nearest(trials: readonly Trial[], a: { x: number; y: number }): number {
  return Math.min(...trials.map((t) => Math.hypot((t.assignment.x as number) - a.x, (t.assignment.y as number) - a.y)));
}

describe("a space-filling step (tpe's exploreEvery)", () => {
  it("goes where the history is not", () => {
    const space = compile(plane);
    const cluster = Array.from({ length: 40 }, (_, i) => trialAt(i, 1 + (i % 5) * 0.4, 1 + Math.floor(i / 5) * 0.4));
    for (let seed = 0; seed < 20; seed++) {
      const a = exploringDraw(space, cluster, createRng(seed)) as { x: number; y: number };
      expect(nearest(cluster, a)).toBeGreaterThan(5);
    }
  });

  it("is at least as far from the history as each of the prior draws it chose among", () => {
    const space = compile(plane);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 30 }), fc.integer(), (points, seed) => {
        const history = points.map(([x, y], i) => trialAt(i, x, y));
        const chosen = exploringDraw(space, history, createRng(seed)) as { x: number; y: number };
        const rng = createRng(seed);
        for (let i = 0; i < 64; i++) expect(nearest(history, chosen)).toBeGreaterThanOrEqual(nearest(history, sampleAssignment(space, rng) as { x: number; y: number }) - 1e-9);
      }),
      { numRuns: 30 },
    );
  });

  it("counts differing options and inactive parameters as distance on conditional spaces", () => {
    const conditional = { m: hp.choice("m", [{ k: "a", u: hp.uniform("u", 0, 1) }, { k: "b" }]) };
    const space = compile(conditional);
    const history: Trial[] = Array.from({ length: 10 }, (_, i) => ({ tid: i, status: "ok", assignment: { m: 0, u: i / 10 }, params: {}, loss: 0, startTime: 0, metrics: [] }));
    for (let seed = 0; seed < 10; seed++) expect(exploringDraw(space, history, createRng(seed))).toEqual({ m: 1 });
  });

  it("replaces every k-th suggestion after the start-up, and nothing else", () => {
    const loss = (p: { x: number; y: number }): number => (p.x - 2) ** 2 + (p.y - 2) ** 2;
    const k = 4;
    const plain = runAlgorithm(tpe.configure({ nStartupJobs: 5 }), plane, 30, 7, loss);
    const exploring = runAlgorithm(tpe.configure({ nStartupJobs: 5, exploreEvery: k }), plane, 30, 7, loss);
    const firstStep = 5 + k - 1;
    expect(exploring.slice(0, firstStep).map((t) => t.assignment)).toEqual(plain.slice(0, firstStep).map((t) => t.assignment));
    expect(exploring[firstStep]?.assignment).not.toEqual(plain[firstStep]?.assignment);
    const before = exploring.slice(0, firstStep);
    expect(nearest(before, exploring[firstStep]?.assignment as { x: number; y: number })).toBeGreaterThan(nearest(before, plain[firstStep]?.assignment as { x: number; y: number }));
  });

  it("finds the narrow deep basin beside a broad one more often than the default", () => {
    const deceptive = (p: { x: number; y: number }): number =>
      -Math.exp(-((p.x - 3) ** 2 + (p.y - 3) ** 2) / (2 * 1.5 ** 2)) - 1.5 * Math.exp(-((p.x - 8) ** 2 + (p.y - 8) ** 2) / 2);
    const found = (algo: Algorithm): number =>
      Array.from({ length: 12 }, (_, seed) => Math.min(...runAlgorithm(algo, plane, 100, seed, deceptive).map((t) => t.loss as number))).filter((best) => best < -1.01).length;
    expect(found(tpe.configure({ exploreEvery: 5 }))).toBeGreaterThan(found(tpe.suggest));
  });
});
