import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Arena } from "../../src/algorithms/tpe/arena.js";
import { bestCandidate } from "../../src/algorithms/tpe/bestCandidate.js";
import { fitJoint, KeptFit, type GroupParam } from "../../src/algorithms/tpe/jointFit.js";
import { sampleJoint } from "../../src/algorithms/tpe/jointSample.js";
import { jointLogDensity, JointScorer } from "../../src/algorithms/tpe/jointScore.js";
import { groupColumns } from "../../src/algorithms/tpe/observations.js";
import { belowObservations, thinnedSize } from "../../src/algorithms/tpe/sideObservations.js";
import { paramModel, toModelSpace } from "../../src/algorithms/tpe/paramModel.js";
import { ScoringCandidates } from "../../src/algorithms/tpe/scoringCandidates.js";
import { defaultPreset } from "../../src/algorithms/tpe/presets.js";
import { tpe } from "../../src/algorithms/tpe/tpe.js";
import { argmax } from "../../src/algorithms/tpe/independent.js";
import { normalMass } from "../../src/rng/normal.js";
import { compile } from "../../src/space/compile.js";
import { hp } from "../../src/space/hp.js";
import { createRng } from "../../src/rng/rng.js";
import type { Trial } from "../../src/trials/trial.js";
import { historyOf } from "../../src/algorithms/tpe/history.js";

const kernel = { ...defaultPreset };
const x: GroupParam = { label: "x", model: paramModel({ kind: "uniform", low: 0, high: 10 } as never) };
const c: GroupParam = { label: "c", model: paramModel({ kind: "choice", size: 3 } as never) };

function trialsOf(values: Record<string, number>[]): Trial[] {
  return values.map((assignment, tid) => ({ tid, status: "ok", assignment, params: assignment, loss: tid, startTime: 0, metrics: [] }));
}

function numericDim(mix: ReturnType<typeof fitJoint>, d: number) {
  const dim = mix.dims[d];
  if (dim?.kind !== "numeric") throw new Error("not numeric");
  return dim;
}

describe("fitJoint", () => {
  it("gives each observation the larger gap to its sorted neighbours, prior included, clipped to [priorSigma / (1 + m), priorSigma]", () => {
    const trials = trialsOf([{ x: 9.5 }, { x: 2 }, { x: 6 }, { x: 1 }]);
    const mix = fitJoint([x], groupColumns(historyOf(trials), [x]), new Uint8Array([2, 2, 2, 2]), "above", kernel);
    const dim = numericDim(mix, 0);
    // sorted: 1, 2, 5 (prior), 6, 9.5; gaps 1 -> 1, 2 -> 3, 6 -> 3.5, 9.5 -> 3.5; minimum 10 / 6
    expect([...dim.mus]).toEqual([5, 9.5, 2, 6, 1]);
    expect([...dim.sigmas]).toEqual([10, 3.5, 3, 3.5, 10 / 6]);
    expect([...mix.weights]).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
  });

  it("orders a subset the same whether it sorts it or walks the history's sorted order", () => {
    const values = Array.from({ length: 80 }, (_, i) => ({ x: (i * 7) % 10 }));
    const subset = (n: number) => {
      const side = new Uint8Array(n);
      side[3] = side[5] = side[13] = side[17] = side[23] = 1;
      return side;
    };
    // positions 3, 5, 13, 17, 23 hold 1, 5, 1, 9, 1: sorted 1, 1, 1, 5 (prior), 5, 9; minimum 10 / 7
    const walked = numericDim(fitJoint([x], groupColumns(historyOf(trialsOf(values.slice(0, 40))), [x]), subset(40), "below", kernel), 0);
    const sorted = numericDim(fitJoint([x], groupColumns(historyOf(trialsOf(values)), [x]), subset(80), "below", kernel), 0);
    expect([...walked.sigmas]).toEqual([10, 10 / 7, 4, 10 / 7, 4, 4]);
    expect([...sorted.sigmas]).toEqual([10, 10 / 7, 4, 10 / 7, 4, 4]);
  });

  it("gives inner duplicates a zero gap, clipped to the minimum", () => {
    const values = Array.from({ length: 40 }, (_, i) => ({ x: (i * 7) % 10 }));
    const dim = numericDim(fitJoint([x], groupColumns(historyOf(trialsOf(values)), [x]), new Uint8Array(40).fill(1), "below", kernel), 0);
    // four copies of each of 0..9 and the prior at 5 before the 5s: the first and last copy of a
    // value have gap 1, except the lowest 0, the highest 9 and the first 5 (next to the prior)
    expect(dim.sigmas[0]).toBe(10);
    expect(dim.sigmas.filter((s) => s === 1).length).toBe(17);
    expect(dim.sigmas.filter((s) => s === 10 / 42).length).toBe(23);
  });

  it("gives every component the sorted-neighbour bandwidth and its constants, on any history: ties, values at the prior's mean, any scale, a growing history", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom(1, 0.6, 1.7), (seed, steps, bandwidthScale) => {
        const rng = createRng(seed);
        const settings = { ...kernel, bandwidthScale };
        const { priorMu, priorSigma } = x.model as { priorMu: number; priorSigma: number };
        const trials = trialsOf([]);
        for (let step = 0; step < steps; step++) {
          const value = rng.random() < 0.5 ? Math.floor(11 * rng.random()) : 10 * rng.random();
          trials.push(...trialsOf([{ x: value }]).map((t) => ({ ...t, tid: trials.length })));
          const side = Uint8Array.from(trials, () => (rng.random() < 0.4 ? 1 : 2));
          const cols = groupColumns(historyOf(trials), [x]);
          for (const which of ["below", "above"] as const) {
            const mix = fitJoint([x], cols, side, which, settings);
            const dim = numericDim(mix, 0);
            const m = dim.mus.length;
            expect(dim.mus[0]).toBe(priorMu);
            mix.positions.forEach((pos, k) => expect(dim.mus[k + 1]).toBe(trials[pos]?.assignment.x));
            if (m <= 2) continue;
            // components by mean, ties by index (the prior, index 0, first)
            const ranked = Array.from({ length: m }, (_, k) => k).sort((a, b) => (dim.mus[a] as number) - (dim.mus[b] as number) || a - b);
            const minSigma = priorSigma / Math.min(settings.minSigmaDivisor, 1 + m);
            ranked.forEach((k, r) => {
              const mu = dim.mus[k] as number;
              const left = r > 0 ? mu - (dim.mus[ranked[r - 1] as number] as number) : -Infinity;
              const right = r < m - 1 ? (dim.mus[ranked[r + 1] as number] as number) - mu : -Infinity;
              const sigma = k === 0 ? priorSigma : Math.min(Math.max(bandwidthScale === 1 ? Math.max(left, right) : Math.max(left, right) * bandwidthScale, minSigma), priorSigma);
              expect(dim.sigmas[k]).toBe(sigma);
              expect(dim.invSigmas[k]).toBe(1 / sigma);
              const mass = normalMass((0 - mu) / sigma, (10 - mu) / sigma);
              const logMass = (0 - mu) / sigma < -8 && (10 - mu) / sigma > 8 ? 0 : Math.log(mass);
              expect(dim.logMass[k]).toBe(logMass);
              expect(dim.logNorms[k]).toBe(-Math.log(sigma) - 0.5 * Math.log(2 * Math.PI) - logMass);
            });
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it("puts 1 - eps on a categorical observation and eps spread by the prior", () => {
    const mix = fitJoint([c], groupColumns(historyOf(trialsOf([{ c: 1 }])), [c]), new Uint8Array([1]), "below", kernel);
    // weights 1/2 prior + 1/2 observation, eps = 1/2: p(1) = 1/2 * 1/3 + 1/2 * (1/6 + 1/2) = 1/2
    const [p0, p1, p2] = jointLogDensity(mix, [new Float64Array([0]), new Float64Array([1]), new Float64Array([2])]);
    expect(p1).toBeCloseTo(Math.log(1 / 2), 12);
    expect(p0).toBeCloseTo(Math.log(1 / 4), 12);
    expect(p2).toBeCloseTo(Math.log(1 / 4), 12);
  });
});

describe("jointLogDensity", () => {
  it("is the log of the weighted sum of the components' truncated normal densities", () => {
    const trials = trialsOf([{ x: 2, c: 0 }, { x: 8, c: 2 }]);
    const mix = fitJoint([x, c], groupColumns(historyOf(trials), [x, c]), new Uint8Array([1, 1]), "below", kernel);
    // components: prior (5, 10, p = 1/3 each), (2, 3) with c = 0, (8, 3) with c = 2; weights 1/3
    const dim = numericDim(mix, 0);
    expect([...dim.sigmas]).toEqual([10, 3, 3]);
    const pdf = (v: number, mu: number, s: number, mass: number) => Math.exp(-0.5 * ((v - mu) / s) ** 2) / (s * Math.sqrt(2 * Math.PI) * mass);
    const mass = (mu: number, s: number) => {
      // P(0 <= N(mu, s) <= 10) by numerical integration
      let total = 0;
      for (let k = 0; k < 100000; k++) total += pdf((k + 0.5) / 10000, mu, s, 1) / 10000;
      return total;
    };
    const at = 3;
    const expected = (pdf(at, 5, 10, mass(5, 10)) / 3 + (pdf(at, 2, 3, mass(2, 3)) * 2) / 3 + (pdf(at, 8, 3, mass(8, 3)) * 1) / 6) / 3;
    const [got] = jointLogDensity(mix, [new Float64Array([at, 0])]);
    expect(got).toBeCloseTo(Math.log(expected), 5);
  });
});

/** The log density summed over every component, dimension by dimension, with no cut-off. */
function everyComponentLogDensity(mix: ReturnType<typeof fitJoint>, cand: Float64Array): number {
  const terms = Array.from(mix.logWeights, (logWeight, i) =>
    mix.dims.reduce((acc, dim, d) => {
      const value = cand[d] as number;
      if (dim.kind === "categorical") return acc + (dim.logTable[((dim.options[i] as number) + 1) * dim.size + value - dim.offset] as number);
      const { model } = dim;
      const mu = dim.mus[i] as number;
      const s = dim.sigmas[i] as number;
      const logMass = dim.logMass[i] as number;
      if (model.q === undefined) {
        const x = toModelSpace(model, value);
        return acc - 0.5 * ((x - mu) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI) - logMass;
      }
      const vlo = Math.max(value - model.q / 2, model.valueLow);
      const vhi = Math.min(value + model.q / 2, model.valueHigh);
      const hi = model.logScale ? Math.log(vhi) : vhi;
      const lo = model.logScale ? (vlo > 0 ? Math.log(vlo) : hi - 30) : vlo;
      if (hi - lo <= s) return acc + Math.log(hi - lo) - 0.5 * ((0.5 * (lo + hi) - mu) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI) - logMass;
      return acc + Math.log(normalMass((lo - mu) / s, (hi - mu) / s)) - logMass;
    }, logWeight),
  );
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0));
}

describe("jointLogDensity against every component", () => {
  const params: GroupParam[] = [
    { label: "u", model: paramModel({ kind: "uniform", low: -5, high: 5 } as never) },
    { label: "l", model: paramModel({ kind: "loguniform", low: -7, high: 0 } as never) },
    { label: "q", model: paramModel({ kind: "quniform", low: 1, high: 100, q: 1 } as never) },
    { label: "ql", model: paramModel({ kind: "qloguniform", low: 0, high: 5, q: 2 } as never) },
    { label: "c", model: paramModel({ kind: "choice", size: 3 } as never) },
  ];

  it("drops less than 1e-12 of the density on random histories, bunched or spread", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 400 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (seed, n, spread) => {
        const rng = createRng(seed);
        const values = Array.from({ length: n }, () => ({
          u: 1 + spread * 10 * (rng.random() - 0.5),
          l: Math.exp(-3 + spread * 7 * (rng.random() - 0.5)),
          q: Math.round(Math.min(100, Math.max(1, 30 + spread * 99 * (rng.random() - 0.5)))),
          ql: 2 * Math.round(Math.exp(Math.min(5, 5 * rng.random() * spread)) / 2),
          c: Math.floor(rng.random() * 3),
        }));
        const side = Uint8Array.from(values, () => (rng.random() < 0.2 ? 1 : 2));
        const cols = groupColumns(historyOf(trialsOf(values)), params);
        for (const which of ["below", "above"] as const) {
          const mix = fitJoint(params, cols, side, which, kernel);
          const below = fitJoint(params, cols, side, "below", kernel);
          const candidates = sampleJoint(below, 12, rng, { focus: below.positions.length > 0 ? 1 : -1, focusShare: 0.5, priorShare: 0 });
          const got = jointLogDensity(mix, candidates);
          candidates.forEach((cand, j) => expect(Math.abs((got[j] as number) - everyComponentLogDensity(mix, cand))).toBeLessThan(1e-9));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("gives each candidate the density it has alone when candidates share quantized cells, in any order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 300 }), (seed, n) => {
        const rng = createRng(seed);
        const values = Array.from({ length: n }, () => ({ u: 10 * rng.random() - 5, l: Math.exp(-7 * rng.random()), q: 1 + Math.floor(100 * rng.random()), ql: 2 + 2 * Math.floor(74 * rng.random()), c: Math.floor(rng.random() * 3) }));
        const side = Uint8Array.from(values, () => (rng.random() < 0.3 ? 1 : 2));
        const cols = groupColumns(historyOf(trialsOf(values)), params);
        const mix = fitJoint(params, cols, side, "above", kernel);
        const drawn = sampleJoint(fitJoint(params, cols, side, "below", kernel), 8, rng);
        // mixes the drawn candidates' quantized values so that cells recur across candidates
        const candidates = drawn.flatMap((cand, j) => [cand, Float64Array.from(cand, (v, d) => (d === 2 || d === 3 ? ((drawn[(j + 1) % 8] as Float64Array)[d] as number) : v))]);
        const together = jointLogDensity(mix, candidates);
        candidates.forEach((cand, j) => {
          const [alone] = jointLogDensity(mix, [cand]);
          expect(Math.abs((together[j] as number) - (alone as number))).toBeLessThan(1e-9);
        });
      }),
      { numRuns: 40 },
    );
  });
});

/** A uniform, a quantized and a categorical parameter. */
const mixedParams: GroupParam[] = [
  { label: "u", model: paramModel({ kind: "uniform", low: -5, high: 5 } as never) },
  { label: "q", model: paramModel({ kind: "quniform", low: 1, high: 100, q: 1 } as never) },
  { label: "c", model: paramModel({ kind: "choice", size: 3 } as never) },
];

describe("fits in a reused arena", () => {
  const params = mixedParams;

  it("equal those in fresh arrays and score the same, whatever the arena held before", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 200 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (seed, n, junk) => {
        const rng = createRng(seed);
        const values = Array.from({ length: n }, () => ({ u: 10 * rng.random() - 5, q: 1 + Math.floor(100 * rng.random()), c: Math.floor(3 * rng.random()) }));
        const side = Uint8Array.from(values, () => (rng.random() < 0.3 ? 1 : 2));
        const cols = groupColumns(historyOf(trialsOf(values)), params);
        const dirty = (): Arena => {
          const arena = new Arena();
          arena.take(50_000).fill(junk);
          return arena;
        };
        for (const which of ["below", "above"] as const) {
          const fresh = fitJoint(params, cols, side, which, kernel);
          const reused = fitJoint(params, cols, side, which, kernel, dirty());
          expect(reused.dims).toEqual(fresh.dims);
          expect([...reused.logWeights]).toEqual([...fresh.logWeights]);
          const candidates = sampleJoint(fresh, 12, rng);
          expect([...jointLogDensity(reused, candidates)]).toEqual([...jointLogDensity(fresh, candidates)]);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("fitJoint's kernel constants", () => {
  const params: GroupParam[] = [
    { label: "u", model: paramModel({ kind: "uniform", low: -5, high: 5 } as never) },
    { label: "l", model: paramModel({ kind: "loguniform", low: -7, high: 0 } as never) },
    { label: "q", model: paramModel({ kind: "quniform", low: 1, high: 100, q: 1 } as never) },
  ];

  it("reused from earlier fits as the history grows and trials change sides, equal a fit on fresh columns", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 0, max: 300 }), (seed, steps, cap) => {
        const rng = createRng(seed);
        const values = Array.from({ length: steps }, () => ({ u: 10 * rng.random() - 5, l: Math.exp(-7 * rng.random()), q: 1 + Math.floor(99 * rng.random()) }));
        const settings = { ...kernel, maxAboveComponents: cap % 7 === 0 ? 0 : 1 + (cap % 40) };
        const trials = trialsOf([]);
        for (const v of values) {
          trials.push(...trialsOf([v]).map((t) => ({ ...t, tid: trials.length })));
          const side = Uint8Array.from(trials, () => (rng.random() < 0.3 ? 1 : 2));
          for (const which of ["below", "above"] as const) {
            const cached = fitJoint(params, groupColumns(historyOf(trials), params), side, which, settings);
            const fresh = fitJoint(params, groupColumns(historyOf([...trials]), params), side, which, settings);
            expect(cached.dims).toEqual(fresh.dims);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("KeptFit", () => {
  const params = mixedParams;

  it("returns its last fit while the side holds the same trials under the same settings, else a new fit equal to a fresh one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 60 }), (seed, steps) => {
        const rng = createRng(seed);
        const kept = new KeptFit();
        const trials = trialsOf([]);
        let last: ReturnType<typeof fitJoint> | undefined;
        let lastKey = "";
        let reused = 0;
        for (let step = 0; step < steps; step++) {
          const value = { u: 10 * rng.random() - 5, q: 1 + Math.floor(100 * rng.random()), c: Math.floor(3 * rng.random()) };
          trials.push(...trialsOf([value]).map((t) => ({ ...t, tid: trials.length })));
          // the below side gains a trial now and then and otherwise keeps its trials
          const side = Uint8Array.from(trials, (_, pos) => (pos % 5 === 0 && pos <= step - (step % 3) ? 1 : 2));
          const settings = step % 11 === 10 ? { ...kernel } : kernel;
          const cols = groupColumns(historyOf(trials), params);
          const mix = kept.fit(params, cols, belowObservations(cols, side), "below", settings);
          const fresh = fitJoint(params, groupColumns(historyOf([...trials]), params), side, "below", settings);
          expect(mix.dims).toEqual(fresh.dims);
          expect([...mix.logWeights]).toEqual([...fresh.logWeights]);
          expect([...mix.positions]).toEqual([...fresh.positions]);
          const key = `${[...mix.positions].join()}|${settings === kernel}`;
          if (key === lastKey) {
            expect(mix).toBe(last);
            reused++;
          } else expect(mix).not.toBe(last);
          last = mix;
          lastKey = key;
        }
        expect(reused).toBeGreaterThan(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe("bestCandidate", () => {
  const params = mixedParams;

  it("picks the argmax of ll - log g over every candidate while scoring only some", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 300 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (seed, n, spread) => {
        const rng = createRng(seed);
        const values = Array.from({ length: n }, () => ({
          u: 1 + spread * 10 * (rng.random() - 0.5),
          q: Math.round(Math.min(100, Math.max(1, 30 + spread * 99 * (rng.random() - 0.5)))),
          c: Math.floor(rng.random() * 3),
        }));
        const side = Uint8Array.from(values, () => (rng.random() < 0.2 ? 1 : 2));
        const cols = groupColumns(historyOf(trialsOf(values)), params);
        const l = fitJoint(params, cols, side, "below", kernel);
        const g = fitJoint(params, cols, side, "above", kernel);
        const candidates = sampleJoint(l, 24, rng, { focus: l.positions.length > 0 ? 1 : -1, focusShare: 0.75, priorShare: 0 });
        const ll = jointLogDensity(l, candidates);
        const lg = jointLogDensity(g, candidates);
        expect(bestCandidate(new JointScorer(g, new ScoringCandidates(g.dims, candidates)), ll)).toBe(argmax(ll.map((x, j) => x - (lg[j] as number))));
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the first of tied candidates, never picks a NaN score, and falls back to 0", () => {
    const mix = fitJoint([c], groupColumns(historyOf(trialsOf([{ c: 1 }])), [c]), new Uint8Array([2]), "above", kernel);
    const cands = new ScoringCandidates(mix.dims, [0, 1, 1, 2].map((v) => new Float64Array([v])));
    const best = (ll: number[]): number => bestCandidate(new JointScorer(mix, cands), Float64Array.from(ll));
    // log g: 1/4, 1/2, 1/2, 1/4; ll ties candidates 1 and 2 at the best score
    expect(best([Math.log(0.25), Math.log(1), Math.log(1), Math.log(0.25)])).toBe(1);
    expect(best([NaN, -Infinity, Math.log(0.5), -Infinity])).toBe(2);
    expect(best([-Infinity, -Infinity, NaN, -Infinity])).toBe(0);
  });
});

describe("sampleJoint", () => {
  it("draws the first round(share * count) candidates from the focus component alone", () => {
    const sharp = { ...kernel, priorWeight: 1e-12 };
    const mix = fitJoint([c], groupColumns(historyOf(trialsOf([{ c: 0 }, { c: 0 }, { c: 0 }, { c: 2 }])), [c]), new Uint8Array([1, 1, 1, 1]), "below", sharp);
    expect([...mix.positions]).toEqual([0, 1, 2, 3]);
    const draws = sampleJoint(mix, 24, createRng(3), { focus: 4, focusShare: 0.5, priorShare: 0 }).map((v) => v[0]);
    // component 4 observed option 2 and keeps 1 - 1e-12 of its mass there; the others put it on 0
    expect(draws.slice(0, 12)).toEqual(Array.from({ length: 12 }, () => 2));
    expect(draws.slice(12).filter((v) => v === 0).length).toBeGreaterThan(0);
  });
});

describe("tpe history cache", () => {
  const space = compile({
    x: hp.uniform("x", -5, 5),
    q: hp.quniform("q", 0, 10, 1),
    lr: hp.loguniform("lr", -6, 0),
    model: hp.choice("model", [{ kind: "a", depth: hp.uniform("depth", 0, 1) }, { kind: "b", w: hp.normal("w", 0, 1) }]),
  });
  const lossOf = (a: Record<string, number>) => Object.values(a).reduce((s, v) => s + Math.abs(v - 0.3), 0);

  it("suggests exactly what a fresh computation does while the history grows and running trials finish", () => {
    const trials: Trial[] = [];
    for (let round = 0; round < 30; round++) {
      // two workers ask, then the older running trial finishes: some trials go from running to ok between calls
      for (let k = 0; k < 2; k++) {
        const tid = trials.length;
        const cached = tpe.suggest({ space, trials, tid, seed: 4 });
        const fresh = tpe.suggest({ space, trials: [...trials], tid, seed: 4 });
        expect(cached).toEqual(fresh);
        const assignment = cached as Record<string, number>;
        trials.push({ tid, status: "running", assignment, params: assignment, startTime: 0, metrics: [] });
      }
      const oldest = trials.find((t) => t.status === "running") as Trial;
      oldest.status = "ok";
      oldest.loss = lossOf(oldest.assignment);
    }
    expect(trials.filter((t) => t.status === "ok").length).toBe(30);
  });

  it("recomputes when an earlier trial is replaced", () => {
    const trials: Trial[] = [];
    for (let tid = 0; tid < 25; tid++) {
      const assignment = tpe.suggest({ space, trials, tid, seed: 1 }) as Record<string, number>;
      trials.push({ tid, status: "ok", assignment, params: assignment, loss: lossOf(assignment), startTime: 0, metrics: [] });
    }
    const first = trials[0] as Trial;
    trials[0] = { ...first, assignment: { ...(trials[1] as Trial).assignment } };
    expect(tpe.suggest({ space, trials, tid: 25, seed: 1 })).toEqual(tpe.suggest({ space, trials: [...trials], tid: 25, seed: 1 }));
    trials.length = 20;
    expect(tpe.suggest({ space, trials, tid: 20, seed: 1 })).toEqual(tpe.suggest({ space, trials: [...trials], tid: 20, seed: 1 }));
  });
});

describe("fitJoint, long histories and branch points", () => {
  it("keeps every observation above up to maxAboveComponents, and beyond, half as many: the newest quarter and one per slot of older ones, total weight kept", () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({ x: (i * 37) % 10 }));
    const cols = groupColumns(historyOf(trialsOf(values)), [x]);
    expect(fitJoint([x], cols, new Uint8Array(1000).fill(2), "above", { ...kernel, maxAboveComponents: 1000 }).positions.length).toBe(1000);
    const mix = fitJoint([x], cols, new Uint8Array(1000).fill(2), "above", { ...kernel, maxAboveComponents: 100 });
    // the newest 25; the 975 older trials in slots of 64 (the smallest power of two giving at most 25 slots): 16 slots
    expect(mix.positions.length).toBe(41);
    expect([...mix.positions.slice(16)]).toEqual(Array.from({ length: 25 }, (_, i) => 975 + i));
    expect([...mix.positions.slice(0, 16)]).toEqual(Array.from({ length: 16 }, (_, k) => 64 * k));
    // prior weight 1 against 1000 observations, however many components carry them
    expect(mix.weights[0]).toBeCloseTo(1 / 1001, 12);
    expect(mix.weights[1]).toBeCloseTo(975 / 16 / 1001, 12);
    expect(mix.weights[41]).toBeCloseTo(1 / 1001, 12);
    const below = fitJoint([x], cols, new Uint8Array(1000).fill(1), "below", { ...kernel, maxAboveComponents: 100 });
    expect(below.positions.length).toBe(1000);
  });

  it("represents a slot of older trials by its first one on the side, so other trials changing sides leave the kept set alone", () => {
    const values = Array.from({ length: 400 }, (_, i) => ({ x: (i * 7) % 10 }));
    const cols = groupColumns(historyOf(trialsOf(values)), [x]);
    const side = new Uint8Array(400).fill(2);
    const settings = { ...kernel, maxAboveComponents: 40 };
    const before = fitJoint([x], cols, side, "above", settings);
    // the newest 10; the 390 older trials in slots of 64: 7 slots, starting at 0, 64, ..., 384
    expect([...before.positions]).toEqual([...Array.from({ length: 7 }, (_, k) => 64 * k), ...Array.from({ length: 10 }, (_, i) => 390 + i)]);
    side[33] = 1;
    side[64] = 1;
    side[65] = 1;
    const after = fitJoint([x], cols, side, "above", settings);
    expect([...after.positions.slice(0, 7)]).toEqual([0, 66, 128, 192, 256, 320, 384]);
    expect(after.weights[1]).toBeCloseTo(((390 - 3) / 7) * (after.weights[8] as number), 12);
  });

  it("changes the kept older trials by at most one as the history grows by one, except when the slots double", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 60 }), (seed, cap) => {
        const rng = createRng(seed);
        const values = Array.from({ length: 600 }, () => ({ x: 10 * rng.random() }));
        const side = Uint8Array.from(values, () => (rng.random() < 0.1 ? 1 : 2));
        const settings = { ...kernel, maxAboveComponents: cap };
        const trials = trialsOf(values);
        let last: number[] | undefined;
        for (let n = 300; n <= 600; n += 1) {
          const slice = trials.slice(0, n);
          const mix = fitJoint([x], groupColumns(historyOf(slice), [x]), side.subarray(0, n), "above", settings);
          const older = [...mix.positions].slice(0, mix.positions.length - thinnedSize(cap).recent);
          if (last) {
            const gone = last.filter((p) => !older.includes(p)).length;
            const added = older.filter((p) => !last?.includes(p)).length;
            expect(added).toBeLessThanOrEqual(1);
            if (gone > 0) expect(older.length === last.length - gone + added && gone >= Math.floor(last.length / 2) - 1).toBe(true);
          }
          last = older;
        }
      }),
      { numRuns: 10 },
    );
  });

  it("gives a branch point Hyperopt's smoothed counts: observed counts plus size * branchPriorWeight pseudo-counts", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0.5, max: 20, noNaN: true }), (options, bpw) => {
        const branch: GroupParam = { ...c, branching: true };
        const mix = fitJoint([branch], groupColumns(historyOf(trialsOf(options.map((v) => ({ c: v })))), [branch]), new Uint8Array(options.length).fill(1), "below", { ...kernel, branchPriorWeight: bpw });
        const p = jointLogDensity(mix, [0, 1, 2].map((v) => new Float64Array([v])));
        [0, 1, 2].forEach((k) => {
          const count = options.filter((v) => v === k).length;
          expect(Math.exp(p[k] as number)).toBeCloseTo((count + bpw) / (options.length + 3 * bpw), 10);
        });
      }),
      { numRuns: 50 },
    );
  });
});
