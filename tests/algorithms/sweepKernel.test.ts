import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modulePath, sweepModuleText, watPath } from "../../scripts/buildWasm.js";
import { Sweeper, type SweptCandidates, type SweptCategorical, type SweptMixture, type SweptNumeric } from "../../src/algorithms/tpe/sweepKernel.js";
import { normalMass } from "../../src/rng/normal.js";
import { createRng, type Rng } from "../../src/rng/rng.js";

interface Case {
  readonly m: number;
  readonly mix: SweptMixture;
  readonly cands: SweptCandidates;
}

/**
 * A random mixture and candidates: points in the continuous dimensions, cells (some reaching
 * -Infinity, some wider than the kernels) in the quantized ones, shared by candidates as a
 * search's candidates share them, and categorical tables.
 */
function randomCase(rng: Rng, m: number, w: number, quantizedCount: number, c: number, count: number): Case {
  const numeric = Array.from({ length: w }, () => ({
    mus: Float64Array.from({ length: m }, () => 20 * rng.random() - 10),
    invSigmas: Float64Array.from({ length: m }, () => 1 / (0.001 + 5 * rng.random())),
    logNorms: Float64Array.from({ length: m }, () => 2 * rng.random() - 3),
    logMass: Float64Array.from({ length: m }, () => -2 * rng.random()),
  }));
  const categorical = Array.from({ length: c }, () => {
    const size = 1 + Math.floor(4 * rng.random());
    const logTable = Float64Array.from({ length: (size + 1) * size }, () => Math.log(rng.random()));
    return {
      size,
      offset: Math.floor(3 * rng.random()),
      options: Int32Array.from({ length: m }, (_, i) => (i === 0 ? -1 : Math.floor(size * rng.random()))),
      logTable,
      rowMax: Float64Array.from({ length: size + 1 }, (_, row) => Math.max(...logTable.subarray(row * size, (row + 1) * size))),
    };
  });
  const q = quantizedCount;
  const o = c + q;
  const low = new Float64Array(count * w);
  const high = new Float64Array(count * w);
  const values = new Float64Array(count * o);
  const cellLogWidth = new Float64Array(count * q);
  const cellSlot = new Int32Array(count * q);
  let slotCount = 0;
  for (let t = 0; t < q; t++) {
    const cells = Array.from({ length: 1 + Math.floor(3 * rng.random()) }, () => {
      // some cells are exactly one bandwidth wide for some components (a power of two wide, on a grid of eighths)
      const even = rng.random() < 0.3;
      const x = even ? Math.floor(192 * rng.random() - 96) / 8 : 24 * rng.random() - 12;
      const width = even ? 2 ** Math.floor(4 * rng.random() - 1) : rng.random() < 0.8 ? 12 * rng.random() ** 3 : 0;
      if (even) for (let i = 0; i < m; i++) if (rng.random() < 0.3) (numeric[t] as SweptNumeric).invSigmas[i] = 1 / width;
      return { slot: slotCount++, value: x, lo: rng.random() < 0.1 ? -Infinity : x - width / 2, hi: x + width / 2 };
    });
    for (let j = 0; j < count; j++) {
      const cell = cells[Math.floor(cells.length * rng.random())] as (typeof cells)[number];
      low[j * w + t] = cell.lo;
      high[j * w + t] = cell.hi;
      values[j * o + c + t] = cell.value;
      cellLogWidth[j * q + t] = cell.hi > cell.lo ? Math.log(cell.hi - cell.lo) : 0;
      cellSlot[j * q + t] = cell.slot;
    }
  }
  for (let j = 0; j < count; j++) {
    for (let t = q; t < w; t++) low[j * w + t] = high[j * w + t] = 24 * rng.random() - 12;
    categorical.forEach((dim, u) => (values[j * o + u] = dim.offset + Math.floor(dim.size * rng.random())));
  }
  return {
    m,
    mix: { numeric, quantizedCount: q, categorical, logWeights: Float64Array.from({ length: m }, () => -5 * rng.random()) },
    cands: { count, width: w, otherWidth: o, low, high, values, cellLogWidth, cellSlot, slotCount },
  };
}

interface Layout {
  readonly base: Float64Array;
  readonly rest: Float64Array;
  readonly bounds2: Float64Array;
}

const layouts = new WeakMap<Case, Layout>();

/** The candidate-free parts of the components' terms as the scorer's JavaScript laid them out, dimension by dimension (once per case). */
function referenceLayout(k: Case): Layout {
  let layout = layouts.get(k);
  if (!layout) layouts.set(k, (layout = layoutOf(k)));
  return layout;
}

function layoutOf({ m, mix, cands }: Case): Layout {
  const { numeric, quantizedCount: q, categorical, logWeights } = mix;
  const c = categorical.length;
  const o = cands.otherWidth;
  const base = Float64Array.from(logWeights);
  for (let t = q; t < numeric.length; t++) for (let i = 0; i < m; i++) base[i] = (base[i] as number) + ((numeric[t] as SweptNumeric).logNorms[i] as number);
  const rest = new Float64Array(m * (o + 1));
  for (let t = o - 1; t >= c; t--) {
    const { logMass } = numeric[t - c] as SweptNumeric;
    for (let i = 0; i < m; i++) rest[i * (o + 1) + t] = (rest[i * (o + 1) + t + 1] as number) - (logMass[i] as number);
  }
  for (let t = c - 1; t >= 0; t--) {
    const { options, rowMax } = categorical[t] as SweptCategorical;
    for (let i = 0; i < m; i++) rest[i * (o + 1) + t] = (rest[i * (o + 1) + t + 1] as number) + (rowMax[(options[i] as number) + 1] as number);
  }
  const bounds2 = Float64Array.from(base, (b, i) => 2 * (b + (rest[i * (o + 1)] as number)));
  return { base, rest, bounds2 };
}

/** The sweeps of candidate j as the scorer's JavaScript computed them, one dimension after another. */
function reference(k: Case, j: number): { swept: number[]; partial: number[] } {
  const { m, mix, cands } = k;
  const { numeric, quantizedCount, categorical } = mix;
  const { base } = referenceLayout(k);
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

/** Component i's term at candidate j from its partial term on, as the scorer's JavaScript computed it (every cell term computed afresh). */
function referenceFinish(k: Case, i: number, j: number, partial: number, bar: number): number {
  const { numeric, quantizedCount: q, categorical } = k.mix;
  const { rest } = referenceLayout(k);
  const { width: w, otherWidth: o, low, high, cellLogWidth } = k.cands;
  const c = categorical.length;
  let a = partial;
  for (let u = 0; u < q; u++) {
    if (a + (rest[i * (o + 1) + c + u] as number) < bar) return -Infinity;
    const { mus, invSigmas, logNorms, logMass } = numeric[u] as SweptNumeric;
    const lo = low[j * w + u] as number;
    const hi = high[j * w + u] as number;
    const inv = invSigmas[i] as number;
    const mu = mus[i] as number;
    if (!((hi - lo) * inv <= 1)) a += Math.log(normalMass((lo - mu) * inv, (hi - mu) * inv)) - (logMass[i] as number);
    else {
      const z = (0.5 * (lo + hi) - (mus[i] as number)) * inv;
      a += (logNorms[i] as number) + (cellLogWidth[j * q + u] as number) - 0.5 * z * z;
    }
  }
  return a < bar ? -Infinity : a;
}

/** The terms of candidate j's log density as the scorer's JavaScript chose them: the lead first, then each component whose bound reaches the bar. */
function referenceDensity(k: Case, j: number, lead: number, drop: number): { kept: number[]; best: number; lead: number } {
  const { swept, partial } = reference(k, j);
  const { bounds2 } = referenceLayout(k);
  const kept: number[] = [];
  let best = -Infinity;
  let bar = -Infinity;
  let next = lead;
  for (let r = -1; r < k.m; r++) {
    const i = r < 0 ? lead : r;
    if (r >= 0 && (!((swept[i] as number) <= (bounds2[i] as number) - 2 * bar) || i === lead)) continue;
    const a = referenceFinish(k, i, j, partial[i] as number, bar);
    if (r < 0) {
      best = a;
      bar = a - drop;
      if (a > -Infinity) kept.push(a);
      continue;
    }
    if (a === -Infinity) continue;
    kept.push(a);
    if (a > best) {
      best = a;
      bar = a - drop;
      next = i;
    }
  }
  return { kept, best, lead: next };
}

/** The case's cell slots and components whose terms need the exact mass (cells wider than the kernel), as "u slot i". */
function wideCells(k: Case): Set<string> {
  const { count, width: w, low, high, cellSlot } = k.cands;
  const q = k.mix.quantizedCount;
  const wide = new Set<string>();
  for (let u = 0; u < q; u++) {
    const { invSigmas } = k.mix.numeric[u] as SweptNumeric;
    for (let j = 0; j < count; j++) {
      for (let i = 0; i < k.m; i++) {
        if (!(((high[j * w + u] as number) - (low[j * w + u] as number)) * (invSigmas[i] as number) <= 1)) wide.add(`${u} ${cellSlot[j * q + u]} ${i}`);
      }
    }
  }
  return wide;
}

function density(sweeper: Sweeper, m: number, j: number, lead: number, drop: number): { swept: number[]; partial: number[]; kept: number[]; best: number; lead: number } {
  const count = sweeper.density(j, lead, drop);
  const f64 = sweeper.view;
  return {
    swept: [...f64.subarray(sweeper.swept, sweeper.swept + m)],
    partial: [...f64.subarray(sweeper.partial, sweeper.partial + m)],
    kept: [...f64.subarray(sweeper.kept, sweeper.kept + count)],
    best: sweeper.best,
    lead: sweeper.lead,
  };
}

const sameBits = (got: readonly number[], want: readonly number[]): void => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Object.is(v, want[i])).toBe(true));
};

describe("the sweep kernel", () => {
  it("is the assembly of sweep.wat (npm run build:wasm)", async () => {
    expect(readFileSync(modulePath, "utf8")).toBe(await sweepModuleText(readFileSync(watPath, "utf8")));
  });

  it("gives the same layout, sums, terms and choice of components as the scorer's JavaScript, to the bit, a candidate at a time or a component at a time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 41 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (seed, m, w, q, c, count, drop) => {
          const rng = createRng(seed);
          const k = randomCase(rng, m, w, Math.min(q, w), c, count);
          const sweeper = new Sweeper(k.mix, k.cands);
          const requestsBefore = sweeper.cellMassRequests;
          let lead = Math.floor(m * rng.random());
          const layout = referenceLayout(k);
          for (let j = 0; j < count; j++) {
            const got = density(sweeper, m, j, lead, drop);
            const want = { ...reference(k, j), ...referenceDensity(k, j, lead, drop) };
            sameBits(got.swept, want.swept);
            sameBits(got.partial, want.partial);
            sameBits(got.kept, want.kept);
            expect(Object.is(got.best, want.best)).toBe(true);
            expect(got.lead).toBe(want.lead);
            lead = got.lead;
          }
          const f64 = sweeper.view;
          sameBits([...f64.subarray(sweeper.base, sweeper.base + m)], [...layout.base]);
          sameBits([...f64.subarray(sweeper.rest, sweeper.rest + m * (k.cands.otherWidth + 1))], [...layout.rest]);
          sameBits([...f64.subarray(sweeper.bounds2, sweeper.bounds2 + m)], [...layout.bounds2]);
          const skip = Uint8Array.from({ length: count }, () => (rng.random() < 0.3 ? 1 : 0));
          for (let i = 0; i < m; i++) {
            sweeper.componentTerms(i, skip);
            const f64 = sweeper.view;
            for (let j = 0; j < count; j++) {
              if (skip[j]) continue;
              expect(Object.is(f64[sweeper.terms + j], referenceFinish(k, i, j, reference(k, j).partial[i] as number, -Infinity))).toBe(true);
            }
          }
          // each cell and component's exact mass is asked of the host at most once, and not at all when cached
          expect(sweeper.cellMassRequests - requestsBefore).toBeLessThanOrEqual(wideCells(k).size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps each sweeper's results when sweepers take turns, one of them large enough to grow the memory", () => {
    const rng = createRng(7);
    const small = randomCase(rng, 9, 3, 1, 2, 3);
    const large = randomCase(rng, 60_000, 3, 1, 2, 2);
    const a = new Sweeper(small.mix, small.cands);
    const b = new Sweeper(large.mix, large.cands);
    for (const j of [0, 1, 2]) {
      expect(density(a, small.m, j, 0, 20)).toEqual({ ...reference(small, j), ...referenceDensity(small, j, 0, 20) });
      expect(density(b, large.m, j % 2, 0, 20)).toEqual({ ...reference(large, j % 2), ...referenceDensity(large, j % 2, 0, 20) });
    }
  });

  it("keeps the exact masses it computed: a second sweeper over the same mixture and cells asks the host for none", () => {
    const rng = createRng(11);
    const k = randomCase(rng, 9, 2, 2, 1, 6);
    const first = new Sweeper(k.mix, k.cands);
    const before = first.cellMassRequests;
    for (let i = 0; i < k.m; i++) first.componentTerms(i, new Uint8Array(k.cands.count));
    const asked = first.cellMassRequests - before;
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(wideCells(k).size);
    const second = new Sweeper(k.mix, k.cands);
    for (let i = 0; i < k.m; i++) {
      second.componentTerms(i, new Uint8Array(k.cands.count));
      for (let j = 0; j < k.cands.count; j++) expect(Object.is(second.view[second.terms + j], referenceFinish(k, i, j, reference(k, j).partial[i] as number, -Infinity))).toBe(true);
    }
    expect(second.cellMassRequests - before).toBe(asked);
  });
});
