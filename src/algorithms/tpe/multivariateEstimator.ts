import type { Rng } from "../../rng/rng.js";
import type { Assignment } from "../../space/assignment.js";
import { quantize } from "../../space/distributions.js";
import { sampleIndex } from "./categoricalEstimator.js";
import { forgettingWeights } from "./forgetting.js";
import { toModelSpace, type NumericModel, type ParamModel } from "./paramModel.js";
import type { TpeSettings } from "./presets.js";
import { normalMass, sampleTruncatedNormal } from "./truncatedNormal.js";

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
}

interface CategoricalDim {
  readonly kind: "categorical";
  readonly size: number;
  readonly offset: number;
  /** Row-major: component i's probability of option k at i * size + k. */
  readonly probs: Float64Array;
}

/** A product-kernel mixture over a group: component 0 is the prior, one more per observation. */
export interface JointMixture {
  readonly logWeights: Float64Array;
  readonly weights: Float64Array;
  readonly dims: readonly (NumericDim | CategoricalDim)[];
}

type KernelSettings = Pick<TpeSettings, "priorWeight" | "lf" | "minSigmaDivisor" | "bandwidth" | "bandwidthScale">;

/** Hyperopt's bandwidth rule on one dimension, prior included, returned in input order. */
function neighbourSigmas(xs: Float64Array): Float64Array {
  const m = xs.length;
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const x = xs[order[r] as number] as number;
    const left = r > 0 ? x - (xs[order[r - 1] as number] as number) : -Infinity;
    const right = r < m - 1 ? (xs[order[r + 1] as number] as number) - x : -Infinity;
    out[order[r] as number] = Math.max(left, right);
  }
  return out;
}

function numericDim(model: NumericModel, values: Float64Array, n: number, d: number, settings: KernelSettings): NumericDim {
  const m = values.length;
  const mus = values;
  let sigmas: Float64Array;
  if (settings.bandwidth === "neighbour" && m > 2) sigmas = neighbourSigmas(mus).map((s) => s * settings.bandwidthScale);
  else sigmas = new Float64Array(m).fill(settings.bandwidthScale * 0.2 * Math.max(n, 1) ** (-1 / (d + 4)) * model.priorSigma);
  const minSigma = model.priorSigma / Math.min(settings.minSigmaDivisor, 1 + m);
  for (let i = 0; i < m; i++) sigmas[i] = Math.min(Math.max(sigmas[i] as number, minSigma), model.priorSigma);
  sigmas[0] = model.priorSigma;
  const logMass = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const mu = mus[i] as number;
    const s = sigmas[i] as number;
    const a = (model.low - mu) / s;
    const b = (model.high - mu) / s;
    logMass[i] = a < -8 && b > 8 ? 0 : Math.log(normalMass(a, b));
  }
  return { kind: "numeric", model, mus, sigmas, logMass };
}

/**
 * Fits the joint estimator to the observations (assignments in tid order, every group label
 * present). Numeric dimensions get truncated Gaussian kernels; categorical ones put
 * 1 - eps on the observed option and eps spread by the prior, eps = priorWeight / (1 + priorWeight).
 */
export function fitJoint(params: readonly GroupParam[], observed: readonly Assignment[], settings: KernelSettings): JointMixture {
  const n = observed.length;
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
  const dims = params.map(({ label, model }): NumericDim | CategoricalDim => {
    if (model.kind === "numeric") {
      const values = new Float64Array(m);
      values[0] = model.priorMu;
      for (let i = 0; i < n; i++) values[i + 1] = toModelSpace(model, (observed[i] as Assignment)[label] as number);
      return numericDim(model, values, n, numericCount, settings);
    }
    const probs = new Float64Array(m * model.size);
    for (let k = 0; k < model.size; k++) probs[k] = model.prior[k] as number;
    for (let i = 0; i < n; i++) {
      const c = ((observed[i] as Assignment)[label] as number) - model.offset;
      for (let k = 0; k < model.size; k++) probs[(i + 1) * model.size + k] = eps * (model.prior[k] as number) + (k === c ? 1 - eps : 0);
    }
    return { kind: "categorical", size: model.size, offset: model.offset, probs };
  });
  return { weights, logWeights: weights.map(Math.log), dims };
}

/** Draws `count` points from the mixture, each as label values in the parameters' own scale. */
export function sampleJoint(mix: JointMixture, count: number, rng: Rng): Float64Array[] {
  const cumulative = new Float64Array(mix.weights.length);
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = total += mix.weights[i] as number;
  const out: Float64Array[] = [];
  for (let j = 0; j < count; j++) {
    const u = rng.random() * total;
    let i = 0;
    let hi = cumulative.length - 1;
    while (i < hi) {
      const mid = (i + hi) >> 1;
      if ((cumulative[mid] as number) <= u) i = mid + 1;
      else hi = mid;
    }
    out.push(
      Float64Array.from(mix.dims, (dim) => {
        if (dim.kind === "categorical") return sampleIndex(dim.probs.subarray(i * dim.size, (i + 1) * dim.size), rng) + dim.offset;
        const { model } = dim;
        const x = sampleTruncatedNormal(dim.mus[i] as number, dim.sigmas[i] as number, model.low, model.high, rng);
        const v = model.logScale ? Math.exp(x) : x;
        return model.q === undefined ? Math.min(Math.max(v, model.valueLow), model.valueHigh) : quantize(v, model.q);
      }),
    );
  }
  return out;
}

/** Per dimension, how a candidate value enters every component's log kernel. */
interface PreparedValue {
  /** Model-space value (continuous), cell centre (quantized) or option index (categorical). */
  x: number;
  /** Quantization cell in model space; width 0 for continuous values. */
  lo: number;
  hi: number;
}

function prepare(dim: NumericDim | CategoricalDim, value: number): PreparedValue {
  if (dim.kind === "categorical") return { x: value - dim.offset, lo: 0, hi: 0 };
  const { model } = dim;
  if (model.q === undefined) {
    const x = toModelSpace(model, value);
    return { x, lo: x, hi: x };
  }
  const lo = Math.max(value - model.q / 2, model.valueLow);
  const hi = Math.min(value + model.q / 2, model.valueHigh);
  if (!model.logScale) return { x: 0.5 * (lo + hi), lo, hi };
  const llo = lo > 0 ? Math.log(lo) : Math.log(hi) - 30;
  const lhi = Math.log(hi);
  return { x: 0.5 * (llo + lhi), lo: llo, hi: lhi };
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Components whose log kernel falls this far below the best one are skipped. */
const SKIP = 50;

/**
 * Log density of the mixture at each candidate (quantized dimensions contribute the log mass
 * of the value's cell, by the midpoint rule when the cell is narrower than the kernel).
 */
export function jointLogDensity(mix: JointMixture, candidates: readonly Float64Array[]): Float64Array {
  const m = mix.weights.length;
  const out = new Float64Array(candidates.length);
  const acc = new Float64Array(m);
  const alive = new Uint8Array(m);
  candidates.forEach((cand, j) => {
    acc.set(mix.logWeights);
    alive.fill(1);
    let best = -Infinity;
    mix.dims.forEach((dim, d) => {
      const p = prepare(dim, cand[d] as number);
      let nextBest = -Infinity;
      for (let i = 0; i < m; i++) {
        if (!alive[i]) continue;
        let term: number;
        if (dim.kind === "categorical") term = Math.log(dim.probs[i * dim.size + p.x] as number);
        else {
          const s = dim.sigmas[i] as number;
          const z = (p.x - (dim.mus[i] as number)) / s;
          const width = p.hi - p.lo;
          if (width === 0) term = -0.5 * z * z - Math.log(s) - HALF_LOG_2PI;
          else if (width <= s) term = -0.5 * z * z - HALF_LOG_2PI + Math.log(width / s);
          else term = Math.log(normalMass((p.lo - (dim.mus[i] as number)) / s, (p.hi - (dim.mus[i] as number)) / s));
          term -= dim.logMass[i] as number;
        }
        const a = (acc[i] as number) + term;
        acc[i] = a;
        if (best !== -Infinity && a < best - SKIP) alive[i] = 0;
        else if (a > nextBest) nextBest = a;
      }
      best = nextBest;
    });
    let max = -Infinity;
    for (let i = 0; i < m; i++) if (alive[i] && (acc[i] as number) > max) max = acc[i] as number;
    let sum = 0;
    if (max > -Infinity) for (let i = 0; i < m; i++) if (alive[i]) sum += Math.exp((acc[i] as number) - max);
    out[j] = max + Math.log(sum);
  });
  return out;
}
