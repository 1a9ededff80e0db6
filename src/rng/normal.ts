import type { Rng } from "./rng.js";

const SQRT1_2 = Math.SQRT1_2;

/**
 * Complementary error function, with a relative error below 1.2e-7 everywhere (Chebyshev
 * fit of Numerical Recipes' erfcc), so tail probabilities stay accurate.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** Standard normal survival function 1 - CDF, accurate in the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z * SQRT1_2);
}

/** P(a <= Z <= b) for a standard normal Z, computed on the side of the mean that keeps precision. */
export function normalMass(a: number, b: number): number {
  if (a >= b) return 0;
  if (a > 0) return normalSf(a) - normalSf(b);
  if (b < 0) return normalCdf(b) - normalCdf(a);
  return 1 - normalCdf(a) - normalSf(b);
}

/** Acklam's coefficients for normalQuantile. */
const [a0, a1, a2, a3, a4, a5] = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const [b0, b1, b2, b3, b4] = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const [c0, c1, c2, c3, c4, c5] = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const [d0, d1, d2, d3] = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;

/** Inverse of the standard normal CDF (Acklam's approximation plus one Halley step). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * N(mu, sigma) truncated to [low, high], ready for draws by inverting the CDF: the interval in
 * standard units [a, b] and the CDF at both ends, or, for an interval above the mean, the
 * survival function (so that far-off intervals keep their precision).
 */
export interface Truncation {
  readonly mu: number;
  readonly sigma: number;
  readonly low: number;
  readonly high: number;
  readonly a: number;
  readonly b: number;
  /** p0 and p1 are the survival function at a and b (else the CDF). */
  readonly upper: boolean;
  readonly p0: number;
  readonly p1: number;
}

/** normalSf(z) when `upper`, else normalCdf(z) (one code path for both, as truncations use either). */
function tail(z: number, upper: boolean): number {
  return 0.5 * erfc((upper ? z : -z) * SQRT1_2);
}

/** The truncation of N(mu, sigma) to [low, high]; draws from it with `drawTruncated`. */
export function truncation(mu: number, sigma: number, low: number, high: number): Truncation {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  const upper = a > 0;
  return { mu, sigma, low, high, a, b, upper, p0: tail(a, upper), p1: tail(b, upper) };
}

/** The draw from a truncation that the uniform number u in [0, 1) maps to. */
export function drawTruncated(t: Truncation, u: number): number {
  const { p0, p1, a, b } = t;
  let z = t.upper ? -normalQuantile(p1 + u * (p0 - p1)) : normalQuantile(p0 + u * (p1 - p0));
  if (!Number.isFinite(z)) z = Number.isFinite(a) ? a : b;
  const x = t.mu + t.sigma * Math.min(Math.max(z, a), b);
  return Math.min(Math.max(x, t.low), t.high);
}

/** A draw from N(mu, sigma) truncated to [low, high] (see `truncation`). */
export function sampleTruncatedNormal(mu: number, sigma: number, low: number, high: number, rng: Rng): number {
  return drawTruncated(truncation(mu, sigma, low, high), rng.random());
}
