import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CellMasses } from "../../src/algorithms/tpe/cellMasses.js";
import { fitJoint, type GroupParam } from "../../src/algorithms/tpe/jointFit.js";
import { sampleJoint } from "../../src/algorithms/tpe/jointSample.js";
import { JointScorer, jointLogDensity } from "../../src/algorithms/tpe/jointScore.js";
import { ScoringCandidates } from "../../src/algorithms/tpe/scoringCandidates.js";
import { historyOf } from "../../src/algorithms/tpe/history.js";
import { groupColumns } from "../../src/algorithms/tpe/observations.js";
import { paramModel } from "../../src/algorithms/tpe/paramModel.js";
import { defaultPreset } from "../../src/algorithms/tpe/presets.js";
import { createRng } from "../../src/rng/rng.js";
import type { Trial } from "../../src/trials/trial.js";

describe("CellMasses", () => {
  it("gives back a term only for the same mean, bandwidth and value: the last one set, or NaN once its slot was taken", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: -30, max: 30 }), fc.double({ noNaN: true })), { minLength: 1, maxLength: 3000 }),
        (entries) => {
          const masses = new CellMasses();
          const last = new Map<string, number>();
          for (const [mu, sigma, value, term] of entries) {
            masses.set(mu / 4, sigma / 8, value, term);
            last.set(`${mu} ${sigma} ${value}`, term);
          }
          let found = 0;
          for (const [key, term] of last) {
            const [mu, sigma, value] = key.split(" ").map(Number) as [number, number, number];
            const got = masses.get(mu / 4, sigma / 8, value);
            if (Number.isNaN(got)) continue;
            expect(Object.is(got, term)).toBe(true);
            found++;
          }
          // with 8192 slots, a few hundred keys rarely collide: most are still there
          expect(found).toBeGreaterThanOrEqual(Math.min(last.size, 100) / 2);
          const [mu, sigma, value, term] = entries[entries.length - 1] as [number, number, number, number];
          expect(Object.is(masses.get(mu / 4, sigma / 8, value), term)).toBe(true);
          expect(masses.get(mu / 4 + 0.5, sigma / 8, value)).toBeNaN();
          expect(masses.get(mu / 4, sigma / 8 + 0.5, value)).toBeNaN();
          expect(masses.get(mu / 4, sigma / 8, value + 0.5)).toBeNaN();
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("exact cell masses kept across scorers", () => {
  const paramsOf = (): GroupParam[] => [
    { label: "u", model: paramModel({ kind: "uniform", low: -5, high: 5 } as never) },
    { label: "q", model: paramModel({ kind: "quniform", low: 1, high: 100, q: 1 } as never) },
    { label: "ql", model: paramModel({ kind: "qloguniform", low: 0, high: 5, q: 2 } as never) },
  ];

  it("give the densities that parameters with nothing kept give, to the bit, on histories bunched enough for cells wider than kernels", () => {
    const kept = paramsOf();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 20, max: 300 }), (seed, n) => {
        const rng = createRng(seed);
        const values = Array.from({ length: n }, () => ({ u: rng.random() - 0.5, q: 40 + Math.floor(6 * rng.random()), ql: 2 * (1 + Math.floor(4 * rng.random())) }));
        const trials: Trial[] = values.map((assignment, tid) => ({ tid, status: "ok", assignment, params: assignment, loss: tid, startTime: 0, metrics: [] }));
        const side = Uint8Array.from(values, () => (rng.random() < 0.2 ? 1 : 2));
        const candidates = sampleJoint(fitJoint(kept, groupColumns(historyOf(trials), kept), side, "below", defaultPreset), 16, rng);
        for (const which of ["below", "above"] as const) {
          const fresh = paramsOf();
          const want = jointLogDensity(fitJoint(fresh, groupColumns(historyOf(trials), fresh), side, which, defaultPreset), candidates);
          // twice: the first scorer keeps the masses that the second reads
          for (let round = 0; round < 2; round++) {
            const mix = fitJoint(kept, groupColumns(historyOf([...trials]), kept), side, which, defaultPreset);
            const scorer = new JointScorer(mix, new ScoringCandidates(mix.dims, candidates), true);
            candidates.forEach((_, j) => expect(Object.is(scorer.logDensity(j), want[j])).toBe(true));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
