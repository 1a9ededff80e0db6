import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modulePath, sweepModuleText, watPath } from "../../scripts/buildWasm.js";
import { Sweeper, type SweptCandidates, type SweptCategorical, type SweptNumeric } from "../../src/algorithms/tpe/sweepKernel.js";
import { createRng, type Rng } from "../../src/rng/rng.js";

interface Case {
  readonly m: number;
  readonly numeric: SweptNumeric[];
  readonly quantizedCount: number;
  readonly base: Float64Array;
  readonly categorical: SweptCategorical[];
  readonly cands: SweptCandidates;
}

/** A random mixture and candidates: points and intervals (some reaching -Infinity) in the quantized dimensions, points in the others. */
function randomCase(rng: Rng, m: number, w: number, quantizedCount: number, c: number, count: number): Case {
  const numeric = Array.from({ length: w }, () => ({
    mus: Float64Array.from({ length: m }, () => 20 * rng.random() - 10),
    invSigmas: Float64Array.from({ length: m }, () => 1 / (0.001 + 5 * rng.random())),
  }));
  const categorical = Array.from({ length: c }, () => {
    const size = 1 + Math.floor(4 * rng.random());
    return {
      size,
      offset: Math.floor(3 * rng.random()),
      options: Int32Array.from({ length: m }, (_, i) => (i === 0 ? -1 : Math.floor(size * rng.random()))),
      logTable: Float64Array.from({ length: (size + 1) * size }, () => Math.log(rng.random())),
    };
  });
  const low = new Float64Array(count * w);
  const high = new Float64Array(count * w);
  for (let k = 0; k < count * w; k++) {
    const x = 24 * rng.random() - 12;
    const quantized = k % Math.max(w, 1) < quantizedCount;
    const width = quantized && rng.random() < 0.8 ? 3 * rng.random() : 0;
    low[k] = quantized && rng.random() < 0.1 ? -Infinity : x - width / 2;
    high[k] = x + width / 2;
  }
  const values = Float64Array.from({ length: count * c }, (_, k) => {
    const dim = categorical[k % c] as SweptCategorical;
    return dim.offset + Math.floor(dim.size * rng.random());
  });
  return { m, numeric, quantizedCount, base: Float64Array.from({ length: m }, () => -5 * rng.random()), categorical, cands: { count, width: w, otherWidth: c, low, high, values } };
}

/** The sweeps of candidate j as the scorer's JavaScript computed them, one dimension after another. */
function reference({ m, numeric, quantizedCount, base, categorical, cands }: Case, j: number): { swept: number[]; partial: number[] } {
  const { width: w, otherWidth: o, low, high, values } = cands;
  const add = (acc: Float64Array, t: number): void => {
    const { mus, invSigmas } = numeric[t] as SweptNumeric;
    const lo = low[j * w + t] as number;
    const hi = high[j * w + t] as number;
    for (let i = 0; i < m; i++) {
      const mu = mus[i] as number;
      const below = lo - mu;
      const above = mu - hi;
      const z = (lo === hi ? lo - mu : below > 0 ? below : above > 0 ? above : 0) * (invSigmas[i] as number);
      acc[i] = (acc[i] as number) + z * z;
    }
  };
  const quantizedSq = new Float64Array(m);
  for (let t = 0; t < quantizedCount; t++) add(quantizedSq, t);
  const swept = Float64Array.from(quantizedSq);
  for (let t = quantizedCount; t < w; t++) add(swept, t);
  const partial = Float64Array.from(base, (b, i) => b - 0.5 * ((swept[i] as number) - (quantizedSq[i] as number)));
  categorical.forEach(({ size, offset, options, logTable }, u) => {
    const column = (values[j * o + u] as number) - offset + size;
    for (let i = 0; i < m; i++) partial[i] = (partial[i] as number) + (logTable[(options[i] as number) * size + column] as number);
  });
  return { swept: [...swept], partial: [...partial] };
}

function run(sweeper: Sweeper, m: number, j: number): { swept: number[]; partial: number[] } {
  const f64 = sweeper.sweep(j);
  return { swept: [...f64.subarray(sweeper.swept, sweeper.swept + m)], partial: [...f64.subarray(sweeper.partial, sweeper.partial + m)] };
}

function sweeperOf(k: Case): Sweeper {
  return new Sweeper(k.m, k.numeric, k.quantizedCount, k.base, k.categorical, k.cands);
}

describe("the sweep kernel", () => {
  it("is the assembly of sweep.wat (npm run build:wasm)", async () => {
    expect(readFileSync(modulePath, "utf8")).toBe(await sweepModuleText(readFileSync(watPath, "utf8")));
  });

  it("gives every component the same sums as the JavaScript sweeps, to the bit, a candidate at a time or a component at a time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 41 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        (seed, m, w, q, c, count) => {
          const k = randomCase(createRng(seed), m, w, Math.min(q, w), c, count);
          const sweeper = sweeperOf(k);
          const wanted = Array.from({ length: count }, (_, j) => reference(k, j));
          for (let j = 0; j < count; j++) {
            const got = run(sweeper, m, j);
            const want = wanted[j] as ReturnType<typeof reference>;
            got.swept.forEach((v, i) => expect(Object.is(v, want.swept[i])).toBe(true));
            got.partial.forEach((v, i) => expect(Object.is(v, want.partial[i])).toBe(true));
          }
          for (let i = 0; i < m; i++) {
            const f64 = sweeper.component(i);
            wanted.forEach((want, j) => expect(Object.is(f64[sweeper.terms + j], want.partial[i])).toBe(true));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps each sweeper's results when sweepers take turns, one of them large enough to grow the memory", () => {
    const rng = createRng(7);
    const small = randomCase(rng, 9, 3, 1, 2, 3);
    const large = randomCase(rng, 60_000, 3, 1, 2, 2);
    const a = sweeperOf(small);
    const b = sweeperOf(large);
    for (const j of [0, 1, 2]) {
      expect(run(a, small.m, j)).toEqual(reference(small, j));
      expect(run(b, large.m, j % 2)).toEqual(reference(large, j % 2));
    }
  });
});
