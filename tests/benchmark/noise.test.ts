import { describe, expect, it } from "vitest";
import { mulberry32, noiseKey, suiteNoise } from "../../src/benchmark/noise.js";
import { publicSuite } from "../../src/benchmark/publicSuite.js";
import { readFileSync } from "node:fs";

const suite = JSON.parse(readFileSync(new URL("../../benchmarks/suite-public.json", import.meta.url), "utf8")) as {
  conventions: { noise: { test_vectors: { salt: number; seed: number; trial: number; key: number; u1: number; u2: number; z: number }[] } };
};

describe("suite noise", () => {
  it.each(suite.conventions.noise.test_vectors)("matches the test vector salt $salt seed $seed trial $trial", (v) => {
    expect(noiseKey(v.seed, v.trial, v.salt)).toBe(v.key);
    const next = mulberry32(v.key);
    expect(next()).toBe(v.u1);
    expect(next()).toBe(v.u2);
    expect(suiteNoise(v.seed, v.trial, v.salt)).toBeCloseTo(v.z, 14);
  });

  it("embeds the same problems as the suite file", () => {
    expect(publicSuite.problems.map((p) => p.name)).toEqual(["quadratic1", "branin", "rosenbrock4", "q1_lognormal", "n_arms", "gauss_wave2", "sphere10_shifted"]);
  });
});
