import type { Rng } from "../../rng/rng.js";
import { drawTruncated, normalMass, sampleTruncatedNormal, truncation, type Truncation } from "../../rng/normal.js";
import { quantize } from "../../space/distributions.js";
import type { NumericModel } from "./paramModel.js";

/**
 * The pieces the independent (one parameter) and the joint (product-kernel) Parzen estimators
 * share: bandwidth clipping, weight normalisation, a component's mass inside the bounds, a
 * quantized value's cell, picking a component and drawing a value from it.
 */

/** Contributions beyond this many standard deviations are dropped (relative size < 1e-14). */
export const CUTOFF = 8;

/** The smallest bandwidth of m components: priorSigma / min(minSigmaDivisor, 1 + m) (Hyperopt's rule). */
export function minBandwidth(priorSigma: number, minSigmaDivisor: number, m: number): number {
  return priorSigma / Math.min(minSigmaDivisor, 1 + m);
}

/**
 * Clips bandwidths, in place, to [priorSigma / min(minSigmaDivisor, 1 + components), priorSigma]
 * (Hyperopt's rule); returns the lower bound.
 */
export function clipBandwidths(sigmas: Float64Array, priorSigma: number, minSigmaDivisor: number): number {
  const m = sigmas.length;
  const minSigma = minBandwidth(priorSigma, minSigmaDivisor, m);
  for (let k = 0; k < m; k++) sigmas[k] = Math.min(Math.max(sigmas[k] as number, minSigma), priorSigma);
  return minSigma;
}

/** Divides the weights, in place, by their sum (taken in array order). */
export function normalizeWeights(weights: Float64Array): Float64Array {
  let total = 0;
  for (let k = 0; k < weights.length; k++) total += weights[k] as number;
  for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / total;
  return weights;
}

/** The mass of N(mu, sigma) inside the model's bounds (1 when both are over 8 sigma away). */
export function massInBounds(model: NumericModel, mu: number, sigma: number): number {
  const a = (model.low - mu) / sigma;
  const b = (model.high - mu) / sigma;
  return a < -CUTOFF && b > CUTOFF ? 1 : normalMass(a, b);
}

/**
 * A quantized value's cell [value - q/2, value + q/2] in model space, clipped to the value's
 * bounds (a log cell that reaches 0 starts at -Infinity).
 */
export function writeQuantizedCell(model: NumericModel, value: number, lows: Float64Array, highs: Float64Array, at: number): void {
  const q = model.q as number;
  const lo = Math.max(value - q / 2, model.valueLow);
  const hi = Math.min(value + q / 2, model.valueHigh);
  lows[at] = model.logScale ? (lo > 0 ? Math.log(lo) : -Infinity) : lo;
  highs[at] = model.logScale ? Math.log(hi) : hi;
}

/**
 * Where x goes in xs[0..end) (sorted ascending), as numpy's searchsorted: "left" gives the
 * first index whose value is at or above x, "right" the first whose value is above x.
 */
export function searchSorted(xs: Float64Array, x: number, side: "left" | "right", end = xs.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = xs[mid] as number;
    if (v < x || (side === "right" && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The component whose cumulative weight interval holds u (u in [0, total)); the last one if none does. */
export function pickComponent(cumulative: Float64Array, u: number): number {
  return searchSorted(cumulative, u, "right", cumulative.length - 1);
}

/** A value of the model's parameter in its own scale from x in model space: exponentiated for log models, then quantized or clipped to the value's bounds. */
function valueOf(model: NumericModel, x: number): number {
  const v = model.logScale ? Math.exp(x) : x;
  return model.q === undefined ? Math.min(Math.max(v, model.valueLow), model.valueHigh) : quantize(v, model.q);
}

/** A draw from component (mu, sigma) truncated to the model's bounds, in the parameter's own scale. */
export function drawValue(model: NumericModel, mu: number, sigma: number, rng: Rng): number {
  return valueOf(model, sampleTruncatedNormal(mu, sigma, model.low, model.high, rng));
}

/** Component (mu, sigma) truncated to the model's bounds, for repeated draws with `drawValueFrom`. */
export function componentTruncation(model: NumericModel, mu: number, sigma: number): Truncation {
  return truncation(mu, sigma, model.low, model.high);
}

/** A draw from a component's truncation (see componentTruncation), in the parameter's own scale; the same as drawValue. */
export function drawValueFrom(model: NumericModel, t: Truncation, rng: Rng): number {
  return valueOf(model, drawTruncated(t, rng.random()));
}
