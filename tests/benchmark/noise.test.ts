import { describe, expect, it } from "vitest";
import { mulberry32, noiseKey, suiteNoise } from "../../src/benchmark/noise.js";
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
});
