import type { Rng } from "../../rng/rng.js";
import { quantize } from "../../space/distributions.js";
import { sampleIndex } from "./categoricalEstimator.js";
import { forgettingWeights } from "./forgetting.js";
import type { GroupColumns } from "./observations.js";
import { toModelSpace, type CategoricalModel, type NumericModel, type ParamModel } from "./paramModel.js";
import type { TpeSettings } from "./presets.js";
import { normalCdf, normalMass, normalSf, sampleTruncatedNormal } from "./truncatedNormal.js";

/** One parameter of a jointly modelled group. */
export interface GroupParam {
  readonly label: string;
  readonly model: ParamModel;
}

interface NumericDim {
  readonly kind: "numeric";
  readonly model: NumericModel;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Log of each component's mass inside the bounds (components are truncated one by one). */
  readonly logMass: Float64Array;
  /** 1 / sigma per component. */
  readonly invSigmas: Float64Array;
  /** Per component, the log kernel's constant: -log sigma - log sqrt(2 pi) - logMass. */
  readonly logNorms: Float64Array;
}

interface CategoricalDim {
  readonly kind: "categorical";
  readonly size: number;
  readonly offset: number;
  /** Per component, the observed option (-1 for the prior component). */
  readonly options: Int32Array;
  /**
   * Option probabilities, row-major by (observed option + 1): row 0 is the prior, row c + 1
   * puts 1 - eps on option c and eps spread by the prior.
   */
  readonly table: Float64Array;
  /** Logs of `table`. */
  readonly logTable: Float64Array;
}

/** A product-kernel mixture over a group: component 0 is the prior, one more per observation. */
export interface JointMixture {
  readonly logWeights: Float64Array;
  readonly weights: Float64Array;
  readonly dims: readonly (NumericDim | CategoricalDim)[];
  /** Trial position of each observation: component k is the trial at positions[k - 1]. */
  readonly positions: Int32Array;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

type KernelSettings = Pick<TpeSettings, "priorWeight" | "lf" | "minSigmaDivisor" | "bandwidth" | "bandwidthScale">;

/**
 * Hyperopt's bandwidth rule on one dimension, prior included: each component's larger gap to
 * its neighbours in the order of `ranked` (component indices sorted by value, ties by index).
 */
function neighbourSigmas(mus: Float64Array, ranked: Int32Array): Float64Array {
  const m = ranked.length;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const k = ranked[r] as number;
    const x = mus[k] as number;
    const left = r > 0 ? x - (mus[ranked[r - 1] as number] as number) : -Infinity;
    const right = r < m - 1 ? (mus[ranked[r + 1] as number] as number) - x : -Infinity;
    out[k] = Math.max(left, right);
  }
  return out;
}

/**
 * Component indices of one dimension in value order, ties by position (component k is the
 * observation at positions[k - 1]); the prior (component 0) goes before the first observation
 * not below its mean, as a stable sort with the prior first would place it. A large subset is
 * read off the columns' sorted positions, a small one is sorted directly: same order.
 */
function rankComponents(cols: GroupColumns, d: number, positions: Int32Array, component: Int32Array, priorMu: number): Int32Array {
  const values = cols.values[d] as Float64Array;
  const n = positions.length;
  let order: Int32Array;
  if (n * 16 < cols.activeCount) {
    order = positions.slice().sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  } else {
    const sorted = cols.sorted[d] as Int32Array;
    order = new Int32Array(n);
    for (let r = 0, at = 0; r < cols.activeCount; r++) if ((component[sorted[r] as number] as number) > 0) order[at++] = sorted[r] as number;
  }
  const ranked = new Int32Array(n + 1);
  let at = 0;
  let r = 0;
  while (r < n && (values[order[r] as number] as number) < priorMu) ranked[at++] = component[order[r++] as number] as number;
  ranked[at++] = 0;
  while (r < n) ranked[at++] = component[order[r++] as number] as number;
  return ranked;
}

function numericDim(model: NumericModel, mus: Float64Array, ranked: () => Int32Array, n: number, d: number, settings: KernelSettings): NumericDim {
  const m = mus.length;
  let sigmas: Float64Array;
  if (settings.bandwidth === "neighbour" && m > 2) {
    sigmas = neighbourSigmas(mus, ranked());
    for (let i = 0; i < m; i++) sigmas[i] = (sigmas[i] as number) * settings.bandwidthScale;
  } else sigmas = new Float64Array(m).fill(settings.bandwidthScale * 0.2 * Math.max(n, 1) ** (-1 / (d + 4)) * model.priorSigma);
  const minSigma = model.priorSigma / Math.min(settings.minSigmaDivisor, 1 + m);
  for (let i = 0; i < m; i++) sigmas[i] = Math.min(Math.max(sigmas[i] as number, minSigma), model.priorSigma);
  sigmas[0] = model.priorSigma;
  const logMass = new Float64Array(m);
  const invSigmas = new Float64Array(m);
  const logNorms = new Float64Array(m);
  const minNorm = -Math.log(minSigma) - HALF_LOG_2PI;
  for (let i = 0; i < m; i++) {
    const mu = mus[i] as number;
    const s = sigmas[i] as number;
    const a = (model.low - mu) / s;
    const b = (model.high - mu) / s;
    const lm = a < -8 ? (b > 8 ? 0 : Math.log(normalCdf(b))) : b > 8 ? Math.log(normalSf(a)) : Math.log(normalMass(a, b));
    logMass[i] = lm;
    invSigmas[i] = 1 / s;
    logNorms[i] = (s === minSigma ? minNorm : -Math.log(s) - HALF_LOG_2PI) - lm;
  }
  return { kind: "numeric", model, mus, sigmas, logMass, invSigmas, logNorms };
}

function categoricalDim(model: CategoricalModel, options: Int32Array, eps: number): CategoricalDim {
  const { size } = model;
  const table = new Float64Array((size + 1) * size);
  for (let k = 0; k < size; k++) table[k] = model.prior[k] as number;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) table[(c + 1) * size + k] = eps * (model.prior[k] as number) + (k === c ? 1 - eps : 0);
  }
  return { kind: "categorical", size, offset: model.offset, options, table, logTable: table.map(Math.log) };
}

/**
 * Fits the joint estimator to one side of the split: the trials at positions where
 * `side[pos] === which` and the group was active, in position order. Numeric dimensions get
 * truncated Gaussian kernels; categorical ones put 1 - eps on the observed option and eps
 * spread by the prior, eps = priorWeight / (1 + priorWeight).
 */
export function fitJoint(params: readonly GroupParam[], cols: GroupColumns, side: Uint8Array, which: number, settings: KernelSettings): JointMixture {
  const component = new Int32Array(cols.count);
  const chosen: number[] = [];
  for (let pos = 0; pos < cols.count; pos++) {
    if (cols.active[pos] && side[pos] === which) {
      chosen.push(pos);
      component[pos] = chosen.length;
    }
  }
  const positions = Int32Array.from(chosen);
  const n = positions.length;
  const m = n + 1;
  const forget = forgettingWeights(n, settings.lf);
  const weights = new Float64Array(m);
  weights[0] = settings.priorWeight;
  for (let i = 0; i < n; i++) weights[i + 1] = forget[i] as number;
  let total = 0;
  for (const w of weights) total += w;
  for (let i = 0; i < m; i++) weights[i] = (weights[i] as number) / total;
  const numericCount = params.filter((p) => p.model.kind === "numeric").length;
  const eps = settings.priorWeight / (1 + settings.priorWeight);
  const dims = params.map(({ model }, d): NumericDim | CategoricalDim => {
    const values = cols.values[d] as Float64Array;
    if (model.kind === "numeric") {
      const mus = new Float64Array(m);
      mus[0] = model.priorMu;
      for (let k = 0; k < n; k++) mus[k + 1] = values[positions[k] as number] as number;
      return numericDim(model, mus, () => rankComponents(cols, d, positions, component, model.priorMu), n, numericCount, settings);
    }
    const options = new Int32Array(m);
    options[0] = -1;
    for (let k = 0; k < n; k++) options[k + 1] = values[positions[k] as number] as number;
    return categoricalDim(model, options, eps);
  });
  return { weights, logWeights: weights.map(Math.log), dims, positions };
}

/**
 * Draws `count` points from the mixture, each as label values in the parameters' own scale.
 * With a `focus` component, the first round(focusShare * count) points come from that
 * component alone.
 */
export function sampleJoint(mix: JointMixture, count: number, rng: Rng, focus = -1, focusShare = 0): Float64Array[] {
  const cumulative = new Float64Array(mix.weights.length);
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = total += mix.weights[i] as number;
  const focused = focus >= 0 ? Math.round(focusShare * count) : 0;
  const out: Float64Array[] = [];
  for (let j = 0; j < count; j++) {
    const u = j < focused ? 0 : rng.random() * total;
    let i = j < focused ? focus : 0;
    let hi = j < focused ? focus : cumulative.length - 1;
    while (i < hi) {
      const mid = (i + hi) >> 1;
      if ((cumulative[mid] as number) <= u) i = mid + 1;
      else hi = mid;
    }
    out.push(
      Float64Array.from(mix.dims, (dim) => {
        if (dim.kind === "categorical") {
          const row = ((dim.options[i] as number) + 1) * dim.size;
          return sampleIndex(dim.table.subarray(row, row + dim.size), rng) + dim.offset;
        }
        const { model } = dim;
        const x = sampleTruncatedNormal(dim.mus[i] as number, dim.sigmas[i] as number, model.low, model.high, rng);
        const v = model.logScale ? Math.exp(x) : x;
        return model.q === undefined ? Math.min(Math.max(v, model.valueLow), model.valueHigh) : quantize(v, model.q);
      }),
    );
  }
  return out;
}

/** After each dimension, components whose log kernel so far falls this far below the best one are dropped. */
const SKIP = 50;

/** Dimension indices with the cheap kernels (continuous, categorical) first, quantized ones last. */
function scoringOrder(mix: JointMixture): number[] {
  const quantized = (d: number): boolean => {
    const dim = mix.dims[d] as NumericDim | CategoricalDim;
    return dim.kind === "numeric" && dim.model.q !== undefined;
  };
  const all = mix.dims.map((_, d) => d);
  return [...all.filter((d) => !quantized(d)), ...all.filter(quantized)];
}

/**
 * Log density of the mixture at each candidate (quantized dimensions contribute the log mass
 * of the value's cell, by the midpoint rule when the cell is narrower than the kernel).
 * Dimensions are added one at a time, cheap kernels first, over the components still in play.
 */
export function jointLogDensity(mix: JointMixture, candidates: readonly Float64Array[]): Float64Array {
  const m = mix.weights.length;
  const out = new Float64Array(candidates.length);
  const acc = new Float64Array(m);
  const alive = new Int32Array(m);
  const order = scoringOrder(mix);
  for (let j = 0; j < candidates.length; j++) {
    const cand = candidates[j] as Float64Array;
    acc.set(mix.logWeights);
    let count = m;
    let max = -Infinity;
    for (let step = 0; step < order.length; step++) {
      const d = order[step] as number;
      const dim = mix.dims[d] as NumericDim | CategoricalDim;
      const value = cand[d] as number;
      const all = step === 0;
      max = -Infinity;
      if (dim.kind === "categorical") {
        const { options, logTable, size } = dim;
        const k = value - dim.offset + size;
        for (let r = 0; r < count; r++) {
          const i = all ? r : (alive[r] as number);
          const a = (acc[i] as number) + (logTable[(options[i] as number) * size + k] as number);
          acc[i] = a;
          if (a > max) max = a;
        }
      } else if (dim.model.q === undefined) {
        const { mus, invSigmas, logNorms } = dim;
        const x = toModelSpace(dim.model, value);
        for (let r = 0; r < count; r++) {
          const i = all ? r : (alive[r] as number);
          const z = (x - (mus[i] as number)) * (invSigmas[i] as number);
          const a = (acc[i] as number) + (logNorms[i] as number) - 0.5 * z * z;
          acc[i] = a;
          if (a > max) max = a;
        }
      } else {
        const { mus, invSigmas, logNorms, logMass } = dim;
        const [lo, hi] = quantizedCell(dim.model, value);
        const x = 0.5 * (lo + hi);
        const width = hi - lo;
        const logWidth = width > 0 ? Math.log(width) : 0;
        for (let r = 0; r < count; r++) {
          const i = all ? r : (alive[r] as number);
          const mu = mus[i] as number;
          const inv = invSigmas[i] as number;
          let term: number;
          if (width * inv <= 1) {
            const z = (x - mu) * inv;
            term = (logNorms[i] as number) + logWidth - 0.5 * z * z;
          } else term = Math.log(normalMass((lo - mu) * inv, (hi - mu) * inv)) - (logMass[i] as number);
          const a = (acc[i] as number) + term;
          acc[i] = a;
          if (a > max) max = a;
        }
      }
      if (max === -Infinity) break;
      const threshold = max - SKIP;
      let kept = 0;
      for (let r = 0; r < count; r++) {
        const i = all ? r : (alive[r] as number);
        if ((acc[i] as number) >= threshold) alive[kept++] = i;
      }
      count = kept;
    }
    if (max === -Infinity) {
      out[j] = -Infinity;
      continue;
    }
    let sum = 0;
    for (let r = 0; r < count; r++) sum += Math.exp((acc[alive[r] as number] as number) - max);
    out[j] = max + Math.log(sum);
  }
  return out;
}

/** A quantized value's cell in model space, clipped to the bounds (a log cell reaching 0 starts 30 nats below its top). */
function quantizedCell(model: NumericModel, value: number): [number, number] {
  const q = model.q as number;
  const lo = Math.max(value - q / 2, model.valueLow);
  const hi = Math.min(value + q / 2, model.valueHigh);
  if (!model.logScale) return [lo, hi];
  const lhi = Math.log(hi);
  return [lo > 0 ? Math.log(lo) : lhi - 30, lhi];
}
