import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Algorithm } from "../../src/algorithms/algorithm.js";
import { rand } from "../../src/algorithms/rand.js";
import { belowCount } from "../../src/algorithms/tpe/split.js";
import { tpe } from "../../src/algorithms/tpe/tpe.js";
import { compile, isActive } from "../../src/space/compile.js";
import { inSupport } from "../../src/space/distributions.js";
import { hp } from "../../src/space/hp.js";
import { spaceEval } from "../../src/space/spaceEval.js";
import type { Trial } from "../../src/trials/trial.js";

const mixed = {
  u: hp.uniform("u", -3, 3),
  q: hp.quniform("q", 0, 20, 2),
  lu: hp.loguniform("lu", -5, 0),
  qlu: hp.qloguniform("qlu", 0, 5, 3),
  n: hp.normal("n", 1, 2),
  qn: hp.qnormal("qn", 0, 5, 1),
  ln: hp.lognormal("ln", 0, 1),
  qln: hp.qlognormal("qln", 1, 1, 2),
  ri: hp.randint("ri", 2, 7),
  ui: hp.uniformint("ui", 1, 4),
  model: hp.choice("model", [
    { kind: "a", depth: hp.uniform("depth", 0, 1) },
    { kind: "b", c: hp.pchoice("c", [[0.2, "x"], [0.8, "y"]]), w: hp.normal("w", 0, 1) },
  ]),
};

function loss(a: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(a)) s += Math.abs(Math.log1p(Math.abs(v)) - 1);
  return s;
}

function search(algo: Algorithm, space: unknown, n: number, seed: number, f: (a: Record<string, number>) => number): Trial[] {
  const compiled = compile(space);
  const trials: Trial[] = [];
  for (let tid = 0; tid < n; tid++) {
    const assignment = algo({ space: compiled, trials, tid, seed }) as Record<string, number>;
    trials.push({ tid, status: "ok", assignment, params: spaceEval(space, assignment), loss: f(assignment), startTime: 0, metrics: [] });
  }
  return trials;
}

describe.each([
  ["default", tpe.suggest],
  ["hyperopt", tpe.hyperopt],
])("tpe (%s preset)", (_, algo) => {
  const space = compile(mixed);
  it("suggests only active labels, each inside its support", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const trials = search(algo, mixed, 30, seed, loss);
        for (const t of trials.slice(20)) {
          for (const p of space.params) {
            const v = t.assignment[p.label];
            if (isActive(p, t.assignment)) expect(v !== undefined && inSupport(p.distribution, v)).toBe(true);
            else expect(v).toBeUndefined();
          }
        }
      }),
      { numRuns: 5 },
    );
  });

  it("is deterministic under a seed", () => {
    const history = search(algo, mixed, 25, 3, loss);
    const a = algo({ space, trials: history, tid: 25, seed: 9 });
    const b = algo({ space, trials: history, tid: 25, seed: 9 });
    const c = algo({ space, trials: history, tid: 25, seed: 10 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe("tpe on a 1-D quadratic", () => {
  it("concentrates near the optimum far more than random search", () => {
    const space = { x: hp.uniform("x", -10, 10) };
    const f = (a: Record<string, number>) => ((a.x as number) - 3) ** 2;
    const near = (trials: Trial[]) => trials.slice(30).filter((t) => Math.abs((t.assignment.x as number) - 3) < 1).length;
    let tpeNear = 0;
    let randNear = 0;
    for (const seed of [1, 2, 3]) {
      tpeNear += near(search(tpe.suggest, space, 60, seed, f));
      randNear += near(search(rand.suggest, space, 60, seed, f));
    }
    // 90 late suggestions: random puts about 9 within 1 of the optimum
    expect(randNear).toBeLessThan(20);
    expect(tpeNear).toBeGreaterThan(2 * randNear);
    expect(tpeNear).toBeGreaterThan(30);
  });
});

describe("parallel suggestions", () => {
  const space = compile({ x: hp.uniform("x", 0, 1), y: hp.uniform("y", 0, 1) });
  const pending = (n: number, algo: Algorithm, history: Trial[]): Trial[] => {
    const trials = [...history];
    for (let i = 0; i < n; i++) {
      const tid = trials.length;
      const assignment = algo({ space, trials, tid, seed: 5 }) as Record<string, number>;
      trials.push({ tid, status: "running", assignment, params: assignment, startTime: 0, metrics: [] });
    }
    return trials.slice(history.length);
  };
  const cellsHit = (ts: Trial[]) => new Set(ts.map((t) => `${Math.floor((t.assignment.x as number) * 4)},${Math.floor((t.assignment.y as number) * 4)}`)).size;

  it("spreads 32 suggestions with 32 pending and no finished trial like random ones", () => {
    const points = pending(32, tpe.suggest, []);
    expect(new Set(points.map((t) => t.assignment.x)).size).toBe(32);
    // 32 uniform points over a 4x4 grid hit about 14 cells on average
    expect(cellsHit(points)).toBeGreaterThanOrEqual(10);
  });

  it("never counts running trials as start-up trials", () => {
    const points = pending(40, tpe.suggest, []);
    expect(cellsHit(points)).toBeGreaterThanOrEqual(10);
  });

  it("keeps workers apart once the model is in use (constant liar)", () => {
    const f = (a: Record<string, number>) => ((a.x as number) - 0.5) ** 2 + ((a.y as number) - 0.5) ** 2;
    const history = search(tpe.suggest, { x: hp.uniform("x", 0, 1), y: hp.uniform("y", 0, 1) }, 30, 2, f);
    const points = pending(8, tpe.suggest, history);
    const liarless = pending(8, tpe.configure({ constantLiar: false }), history);
    const meanNearest = (ts: Trial[]) => {
      let total = 0;
      for (const a of ts) {
        let min = Infinity;
        for (const b of ts) if (a !== b) min = Math.min(min, Math.hypot((a.assignment.x as number) - (b.assignment.x as number), (a.assignment.y as number) - (b.assignment.y as number)));
        total += min;
      }
      return total / ts.length;
    };
    expect(new Set(points.map((t) => t.assignment.x)).size).toBe(8);
    expect(meanNearest(points)).toBeGreaterThan(1.3 * meanNearest(liarless));
  });
});

describe("belowCount", () => {
  it("follows Hyperopt's ceil(gamma sqrt(n)) capped at 25, or the linear rule", () => {
    const ho = { gamma: 0.25, split: "sqrt" as const, nBelowCap: 25 };
    expect(belowCount(20, ho)).toBe(2);
    expect(belowCount(100, ho)).toBe(3);
    expect(belowCount(1e6, ho)).toBe(25);
    expect(belowCount(55, { gamma: 0.1, split: "linear", nBelowCap: 25 })).toBe(6);
  });
});
