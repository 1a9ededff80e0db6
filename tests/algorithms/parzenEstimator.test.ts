import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { categoricalProbabilities } from "../../src/algorithms/tpe/categoricalEstimator.js";
import { forgettingWeights } from "../../src/algorithms/tpe/forgetting.js";
import { paramModel, type CategoricalModel, type NumericModel } from "../../src/algorithms/tpe/paramModel.js";
import { adaptiveParzen, mixtureLogDensity } from "../../src/algorithms/tpe/parzenEstimator.js";
import { groupColumns } from "../../src/algorithms/tpe/observations.js";
import { normalCdf, normalMass, normalQuantile } from "../../src/rng/normal.js";
import { observedValues, parzenFromColumns } from "../../src/algorithms/tpe/independent.js";
import { sideCode } from "../../src/algorithms/tpe/split.js";
import type { Trial } from "../../src/trials/trial.js";
import { historyOf } from "../../src/algorithms/tpe/history.js";

const opts = { priorWeight: 1, linearForgetting: 25, minSigmaDivisor: 100 };
const uniform = paramModel({ kind: "uniform", low: 0, high: 10 }) as NumericModel;

describe("normal helpers", () => {
  it("match tabulated values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 7);
    expect(normalMass(-1, 1)).toBeCloseTo(0.682689492, 7);
    expect(normalMass(6, 7) / 9.853078e-10).toBeCloseTo(1, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902, 6);
  });
});

describe("parzenFromColumns", () => {
  it("equals adaptiveParzen over the side's values in time order, ties and inactive trials included", () => {
    const group = [{ label: "x", model: uniform }];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }), fc.integer({ min: 0, max: 2 })), { maxLength: 80 }), fc.integer({ min: 0, max: 30 }), (rows, linearForgetting) => {
        const trials: Trial[] = rows.map(([x], tid) => ({ tid, status: "ok", assignment: x === undefined ? {} : { x }, params: {}, loss: tid, startTime: 0, metrics: [] }) as Trial);
        const side = Uint8Array.from(rows, ([, s]) => s);
        const cols = groupColumns(historyOf(trials), group);
        for (const which of ["below", "above"] as const) {
          const values = observedValues(trials.filter((_, i) => side[i] === sideCode[which]), "x");
          const expected = adaptiveParzen(Float64Array.from(values), uniform, { ...opts, linearForgetting });
          expect(parzenFromColumns(cols, side, which, uniform, { ...opts, linearForgetting })).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("adaptiveParzen", () => {
  it("places the prior among sorted observations with neighbour-gap bandwidths", () => {
    const mix = adaptiveParzen(Float64Array.from([8, 1, 4]), uniform, opts);
    expect([...mix.mus]).toEqual([1, 4, 5, 8]);
    // gaps: 1 -> 3; 4 -> max(3, 1) = 3; prior -> 10 (prior sigma); 8 -> 3
    expect([...mix.sigmas]).toEqual([3, 3, 10, 3]);
    expect([...mix.weights]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it("clips bandwidths to [priorSigma / min(100, 1 + components), priorSigma]", () => {
    const mix = adaptiveParzen(Float64Array.from([5.01, 5.02]), uniform, opts);
    // components: prior 5, 5.01, 5.02 -> min sigma 10 / 4 = 2.5
    expect([...mix.sigmas]).toEqual([10, 2.5, 2.5]);
  });

  it("gives a single observation half the prior sigma", () => {
    const mix = adaptiveParzen(Float64Array.from([2]), uniform, opts);
    expect([...mix.mus]).toEqual([2, 5]);
    expect([...mix.sigmas]).toEqual([5, 10]);
  });

  it("weighs the prior by priorWeight", () => {
    const mix = adaptiveParzen(Float64Array.from([2, 7]), uniform, { ...opts, priorWeight: 2 });
    expect([...mix.weights]).toEqual([0.25, 0.5, 0.25]);
  });

  it("forgets old observations linearly", () => {
    expect([...forgettingWeights(3, 25)]).toEqual([1, 1, 1]);
    const w = forgettingWeights(28, 25);
    expect(w[0]).toBeCloseTo(1 / 28, 12);
    expect(w[1]).toBeCloseTo((1 / 28 + 1) / 2, 12);
    expect(w[2]).toBe(1);
    expect(w[27]).toBe(1);
  });
});

describe("mixtureLogDensity", () => {
  it("renormalizes the truncated mixture as a whole", () => {
    const mix = { weights: Float64Array.from([0.5, 0.5]), mus: Float64Array.from([0, 10]), sigmas: Float64Array.from([1, 2]) };
    const accept = 0.5 * normalMass(0, 10) + 0.5 * normalMass(-5, 0);
    const pdf = (x: number, mu: number, s: number) => Math.exp(-0.5 * ((x - mu) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
    const expected = Math.log((0.5 * pdf(3, 0, 1) + 0.5 * pdf(3, 10, 2)) / accept);
    expect(mixtureLogDensity(mix, uniform, [3])[0]).toBeCloseTo(expected, 10);
  });

  it("gives quantized values the mass of their cell, clipped at the bounds", () => {
    const q = paramModel({ kind: "quniform", low: 0, high: 10, q: 1 }) as NumericModel;
    const mix = { weights: Float64Array.from([1]), mus: Float64Array.from([5]), sigmas: Float64Array.from([2]) };
    const accept = normalMass(-2.5, 2.5);
    const [p5, p0] = mixtureLogDensity(mix, q, [5, 0]);
    expect(p5).toBeCloseTo(Math.log(normalMass(-0.25, 0.25) / accept), 10);
    // the cell of 0 is [0, 0.5]: clipped at the lower bound
    expect(p0).toBeCloseTo(Math.log(normalMass(-2.5, -2.25) / accept), 10);
  });

  it("models log distributions in log space (with the Jacobian)", () => {
    const lu = paramModel({ kind: "loguniform", low: 0, high: 2 }) as NumericModel;
    const mix = { weights: Float64Array.from([1]), mus: Float64Array.from([1]), sigmas: Float64Array.from([1]) };
    const x = Math.exp(1.5);
    const expected = -0.5 * 0.25 - 0.5 * Math.log(2 * Math.PI) - Math.log(normalMass(-1, 1)) - 1.5;
    expect(mixtureLogDensity(mix, lu, [x])[0]).toBeCloseTo(expected, 10);
  });
});

describe("categoricalProbabilities", () => {
  it("adds priorWeight pseudo-counts spread by the prior", () => {
    const model = paramModel({ kind: "choice", size: 3 }) as CategoricalModel;
    expect([...categoricalProbabilities([0, 0, 2], model, 1, 25)]).toEqual([3 / 6, 1 / 6, 2 / 6]);
    const p = paramModel({ kind: "pchoice", probabilities: [0.5, 0.5] }) as CategoricalModel;
    expect([...categoricalProbabilities([1], p, 2, 25)]).toEqual([2 / 5, 3 / 5]);
  });

  it("maps randint to options offset by low", () => {
    const model = paramModel({ kind: "randint", low: 3, high: 6 }) as CategoricalModel;
    expect(model.size).toBe(3);
    expect(model.offset).toBe(3);
  });
});
