import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anneal } from "../../src/algorithms/anneal.js";
import { compile, isActive } from "../../src/space/compile.js";
import { inSupport } from "../../src/space/distributions.js";
import { hp } from "../../src/space/hp.js";
import type { Trial } from "../../src/trials/trial.js";

const space = {
  u: hp.uniform("u", -3, 3),
  q: hp.quniform("q", 0, 20, 2),
  lu: hp.loguniform("lu", -5, 0),
  qln: hp.qlognormal("qln", 1, 1, 2),
  n: hp.normal("n", 0, 1),
  ri: hp.randint("ri", 2, 7),
  model: hp.choice("model", [{ depth: hp.uniformint("depth", 1, 5) }, { c: hp.pchoice("c", [[0.3, "x"], [0.7, "y"]]) }]),
};

function run(n: number, seed: number): Trial[] {
  const compiled = compile(space);
  const trials: Trial[] = [];
  for (let tid = 0; tid < n; tid++) {
    const assignment = anneal.suggest({ space: compiled, trials, tid, seed }) as Record<string, number>;
    const loss = Math.abs((assignment.u as number) - 1) + Math.abs(Math.log(assignment.lu as number) + 2);
    trials.push({ tid, status: "ok", assignment, params: assignment, loss, startTime: 0, metrics: [] });
  }
  return trials;
}

describe("anneal", () => {
  it("suggests active labels inside their support, deterministically", () => {
    const compiled = compile(space);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const trials = run(40, seed);
        for (const t of trials) {
          for (const p of compiled.params) {
            const v = t.assignment[p.label];
            if (isActive(p, t.assignment)) expect(v !== undefined && inSupport(p.distribution, v)).toBe(true);
            else expect(v).toBeUndefined();
          }
        }
        expect(run(40, seed).map((t) => t.assignment)).toEqual(trials.map((t) => t.assignment));
      }),
      { numRuns: 5 },
    );
  });

  it("narrows its search around good points as observations accumulate", () => {
    const late = run(150, 4).slice(100);
    const near = late.filter((t) => Math.abs((t.assignment.u as number) - 1) < 0.5).length;
    // random search would put about a sixth of the points there
    expect(near).toBeGreaterThan(25);
  });
});
