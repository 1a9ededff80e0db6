import type { Rng } from "../../rng/rng.js";
import { normalMass } from "../../rng/normal.js";
import { forgettingWeights } from "./forgetting.js";
import { clipBandwidths, CUTOFF, drawValue, massInBounds, normalizeWeights, pickComponent, searchSorted, writeQuantizedCell } from "./kernels.js";
import type { NumericModel } from "./paramModel.js";

/** A Gaussian mixture in model space, components sorted by mean, weights summing to 1. */
export interface Mixture {
  readonly weights: Float64Array;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
}

export interface ParzenOptions {
  /** Weight of the prior component relative to one (unforgotten) observation. */
  priorWeight: number;
  /** Linear forgetting: the newest `linearForgetting` observations weigh fully, older ones less (0: off). */
  linearForgetting: number;
  /** Bandwidths are clipped below at priorSigma / min(minSigmaDivisor, 1 + components). */
  minSigmaDivisor: number;
}

/**
 * Hyperopt's adaptive Parzen estimator: one component per observation (given in time order,
 * model space) plus the prior; each observation's bandwidth is the larger gap to its sorted
 * neighbours, clipped to [priorSigma / min(divisor, 1 + components), priorSigma].
 */
export function adaptiveParzen(observed: Float64Array, model: NumericModel, options: ParzenOptions): Mixture {
  const n = observed.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (observed[a] as number) - (observed[b] as number));
  const sorted = new Float64Array(n);
  const times = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    sorted[r] = observed[order[r] as number] as number;
    times[r] = order[r] as number;
  }
  return adaptiveParzenSorted(sorted, times, model, options);
}

/**
 * The same estimator from observations already sorted by value (ties in time order), with
 * times[r] the position in time order of the r-th one.
 */
export function adaptiveParzenSorted(sorted: Float64Array, times: Int32Array, model: NumericModel, options: ParzenOptions): Mixture {
  const n = sorted.length;
  const { priorMu, priorSigma } = model;
  let priorPos = 0;
  while (priorPos < n && (sorted[priorPos] as number) < priorMu) priorPos++;
  const m = n + 1;
  const mus = new Float64Array(m);
  const weights = new Float64Array(m);
  const sigmas = new Float64Array(m);
  const forget = forgettingWeights(n, options.linearForgetting);
  for (let k = 0, i = 0; k < m; k++) {
    if (k === priorPos) {
      mus[k] = priorMu;
      weights[k] = options.priorWeight;
    } else {
      mus[k] = sorted[i] as number;
      weights[k] = forget[times[i++] as number] as number;
    }
  }
  if (n === 1) {
    sigmas.fill(0.5 * priorSigma);
  } else if (n >= 2) {
    for (let k = 1; k < m - 1; k++) sigmas[k] = Math.max((mus[k] as number) - (mus[k - 1] as number), (mus[k + 1] as number) - (mus[k] as number));
    sigmas[0] = (mus[1] as number) - (mus[0] as number);
    sigmas[m - 1] = (mus[m - 1] as number) - (mus[m - 2] as number);
  }
  clipBandwidths(sigmas, priorSigma, options.minSigmaDivisor);
  sigmas[priorPos] = priorSigma;
  return { weights: normalizeWeights(weights), mus, sigmas };
}

/** Each component's probability mass inside the model's bounds. */
function componentMasses(mix: Mixture, model: NumericModel): Float64Array {
  return Float64Array.from(mix.mus, (mu, k) => massInBounds(model, mu, mix.sigmas[k] as number));
}

/**
 * Log density (log probability for quantized parameters) of the mixture at each value
 * (values in the parameter's own scale). The mixture is truncated to the bounds as a whole,
 * as Hyperopt's rejection sampler makes it; a quantized value's probability is the mixture's
 * mass over its cell. Components further than 8 sigma from a value are skipped.
 */
export function mixtureLogDensity(mix: Mixture, model: NumericModel, values: ArrayLike<number>): Float64Array {
  const m = values.length;
  const idx = Array.from({ length: m }, (_, j) => j).sort((a, b) => (values[a] as number) - (values[b] as number));
  const lo = new Float64Array(m);
  const hi = new Float64Array(m);
  const q = model.q;
  for (let r = 0; r < m; r++) {
    const v = values[idx[r] as number] as number;
    if (q === undefined) {
      const x = model.logScale ? Math.log(v) : v;
      lo[r] = x;
      hi[r] = x;
    } else {
      writeQuantizedCell(model, v, lo, hi, r);
    }
  }
  const mass = componentMasses(mix, model);
  let accept = 0;
  for (let k = 0; k < mass.length; k++) accept += (mix.weights[k] as number) * (mass[k] as number);
  const sum = new Float64Array(m);
  for (let k = 0; k < mix.mus.length; k++) {
    const mu = mix.mus[k] as number;
    const s = mix.sigmas[k] as number;
    const w = mix.weights[k] as number;
    const first = searchSorted(hi, mu - CUTOFF * s, "left");
    const last = searchSorted(lo, mu + CUTOFF * s, "right");
    for (let r = first; r < last; r++) {
      if (q === undefined) {
        const z = ((lo[r] as number) - mu) / s;
        sum[r] = (sum[r] as number) + (w / s) * Math.exp(-0.5 * z * z);
      } else {
        sum[r] = (sum[r] as number) + w * normalMass(((lo[r] as number) - mu) / s, ((hi[r] as number) - mu) / s);
      }
    }
  }
  const out = new Float64Array(m);
  const logAccept = Math.log(accept);
  for (let r = 0; r < m; r++) {
    const j = idx[r] as number;
    const base = q === undefined ? Math.log(sum[r] as number) - 0.5 * Math.log(2 * Math.PI) : Math.log(sum[r] as number);
    const jacobian = q === undefined && model.logScale ? lo[r] as number : 0;
    out[j] = base - logAccept - jacobian;
  }
  return out;
}

/** Draws from the mixture truncated to the bounds, returned in the parameter's own scale. */
export function sampleMixture(mix: Mixture, model: NumericModel, count: number, rng: Rng): Float64Array {
  const mass = componentMasses(mix, model);
  const cumulative = new Float64Array(mass.length);
  let total = 0;
  for (let k = 0; k < mass.length; k++) {
    total += (mix.weights[k] as number) * (mass[k] as number);
    cumulative[k] = total;
  }
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const k = pickComponent(cumulative, rng.random() * total);
    out[j] = drawValue(model, mix.mus[k] as number, mix.sigmas[k] as number, rng);
  }
  return out;
}
