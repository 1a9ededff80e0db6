import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawTruncated, normalCdf, normalSf, sampleTruncatedNormal, truncation } from "../../src/rng/normal.js";
import { createRng } from "../../src/rng/rng.js";

const bound = fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(-Infinity, Infinity));

describe("truncation", () => {
  it("holds the tail probabilities at both bounds: the survival function above the mean, else the CDF", () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 1e-3, max: 30, noNaN: true }), bound, bound, (mu, sigma, x, y) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const t = truncation(mu, sigma, low, high);
        const a = (low - mu) / sigma;
        const b = (high - mu) / sigma;
        expect(t.upper).toBe(a > 0);
        expect([t.p0, t.p1]).toEqual(a > 0 ? [normalSf(a), normalSf(b)] : [normalCdf(a), normalCdf(b)]);
      }),
      { numRuns: 300 },
    );
  });

  it("gives sampleTruncatedNormal's draw for the same uniform number", () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 1e-3, max: 30, noNaN: true }), bound, bound, fc.nat(), (mu, sigma, x, y, seed) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        const draw = sampleTruncatedNormal(mu, sigma, low, high, createRng(seed));
        expect(drawTruncated(truncation(mu, sigma, low, high), createRng(seed).random())).toBe(draw);
        expect(draw >= low && draw <= high).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
