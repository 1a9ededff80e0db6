import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clipBandwidths, componentTruncation, drawValue, drawValueFrom, normalizeWeights, pickComponent, searchSorted, writeQuantizedCell } from "../../src/algorithms/tpe/kernels.js";
import { paramModel, type NumericModel } from "../../src/algorithms/tpe/paramModel.js";
import { createRng } from "../../src/rng/rng.js";

describe("searchSorted", () => {
  it("finds the first index at or above x (left) and above x (right), as a linear scan does", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 30 }), fc.integer({ min: -6, max: 6 }), (raw, x) => {
        const xs = Float64Array.from(raw.sort((a, b) => a - b));
        const left = xs.findIndex((v) => v >= x);
        const right = xs.findIndex((v) => v > x);
        expect(searchSorted(xs, x, "left")).toBe(left < 0 ? xs.length : left);
        expect(searchSorted(xs, x, "right")).toBe(right < 0 ? xs.length : right);
      }),
    );
  });

  it("picks the component whose cumulative interval holds u, the last one past the total", () => {
    const cumulative = Float64Array.from([0.25, 0.5, 1]);
    expect([0, 0.25, 0.49, 0.5, 0.99, 1].map((u) => pickComponent(cumulative, u))).toEqual([0, 1, 1, 2, 2, 2]);
  });
});

describe("kernel helpers", () => {
  it("clip bandwidths to [priorSigma / min(divisor, 1 + components), priorSigma]", () => {
    const sigmas = Float64Array.from([0, 0.5, 20, 3]);
    expect(clipBandwidths(sigmas, 10, 100)).toBe(2);
    expect([...sigmas]).toEqual([2, 2, 10, 3]);
    expect(clipBandwidths(Float64Array.from([0, 0, 0]), 10, 2)).toBe(5);
  });

  it("normalise weights to sum 1", () => {
    expect([...normalizeWeights(Float64Array.from([1, 3]))]).toEqual([0.25, 0.75]);
  });

  it("give a quantized value's cell in model space, clipped to the value's bounds", () => {
    const cell = (model: NumericModel, value: number): number[] => {
      const lows = new Float64Array(2);
      const highs = new Float64Array(2);
      writeQuantizedCell(model, value, lows, highs, 1);
      return [lows[1] as number, highs[1] as number];
    };
    const q = paramModel({ kind: "quniform", low: 0, high: 10, q: 2 } as never) as NumericModel;
    expect(cell(q, 4)).toEqual([3, 5]);
    expect(cell(q, 10)).toEqual([9, 10]);
    const ql = paramModel({ kind: "qlognormal", mu: 0, sigma: 1, q: 1 } as never) as NumericModel;
    expect(cell(ql, 0)).toEqual([-Infinity, Math.log(0.5)]);
    expect(cell(ql, 2)).toEqual([Math.log(1.5), Math.log(2.5)]);
  });
});

describe("drawValueFrom", () => {
  const models = [
    { kind: "uniform", low: -5, high: 5 },
    { kind: "quniform", low: 1, high: 100, q: 1 },
    { kind: "loguniform", low: -7, high: 0 },
    { kind: "normal", mu: 0, sigma: 1 },
    { kind: "qlognormal", mu: 1, sigma: 1, q: 2 },
  ].map((d) => paramModel(d as never) as NumericModel);

  it("draws from a component's truncation, computed once, exactly what drawValue draws from the component", () => {
    fc.assert(
      fc.property(fc.constantFrom(...models), fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 1e-3, max: 50, noNaN: true }), fc.nat(), (model, mu, sigma, seed) => {
        const t = componentTruncation(model, mu, sigma);
        const once = createRng(seed);
        const each = createRng(seed);
        for (let k = 0; k < 5; k++) expect(drawValueFrom(model, t, once)).toBe(drawValue(model, mu, sigma, each));
      }),
      { numRuns: 200 },
    );
  });
});
