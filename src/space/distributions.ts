/** The distribution of one parameter, as compile() and the algorithms see it. */
export type Distribution =
  | { kind: "uniform"; low: number; high: number }
  | { kind: "quniform"; low: number; high: number; q: number }
  | { kind: "loguniform"; low: number; high: number }
  | { kind: "qloguniform"; low: number; high: number; q: number }
  | { kind: "normal"; mu: number; sigma: number }
  | { kind: "qnormal"; mu: number; sigma: number; q: number }
  | { kind: "lognormal"; mu: number; sigma: number }
  | { kind: "qlognormal"; mu: number; sigma: number; q: number }
  | { kind: "randint"; low: number; high: number }
  | { kind: "uniformint"; low: number; high: number }
  | { kind: "choice"; size: number }
  | { kind: "pchoice"; probabilities: readonly number[] };

export type DistributionKind = Distribution["kind"];

export type NumericDistribution = Exclude<Distribution, { kind: "choice" } | { kind: "pchoice" }>;

export function isCategorical(d: Distribution): d is Extract<Distribution, { kind: "choice" | "pchoice" }> {
  return d.kind === "choice" || d.kind === "pchoice";
}

/** Number of options of a categorical distribution. */
export function categoryCount(d: Extract<Distribution, { kind: "choice" | "pchoice" }>): number {
  return d.kind === "choice" ? d.size : d.probabilities.length;
}

/** numpy.round: round half to even, as Hyperopt's quantized distributions do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** round(x / q) * q, the quantization every q-distribution applies. */
export function quantize(x: number, q: number): number {
  const k = roundHalfEven(x / q);
  const v = k * q;
  return Object.is(v, -0) ? 0 : v;
}

/** Whether `value` can be drawn from `d` (for a categorical: a valid option index). */
export function inSupport(d: Distribution, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  switch (d.kind) {
    case "uniform":
      return value >= d.low && value <= d.high;
    case "loguniform":
      return value >= Math.exp(d.low) * (1 - 1e-12) && value <= Math.exp(d.high) * (1 + 1e-12);
    case "quniform":
      return isMultiple(value, d.q) && value >= quantize(d.low, d.q) && value <= quantize(d.high, d.q);
    case "qloguniform":
      return isMultiple(value, d.q) && value >= quantize(Math.exp(d.low), d.q) && value <= quantize(Math.exp(d.high), d.q);
    case "normal":
      return true;
    case "qnormal":
      return isMultiple(value, d.q);
    case "lognormal":
      return value > 0;
    case "qlognormal":
      return value >= 0 && isMultiple(value, d.q);
    case "randint":
      return Number.isInteger(value) && value >= d.low && value < d.high;
    case "uniformint":
      return Number.isInteger(value) && value >= d.low && value <= d.high;
    case "choice":
    case "pchoice":
      return Number.isInteger(value) && value >= 0 && value < categoryCount(d);
  }
}

/** Whether x is an integer multiple of q, up to floating-point rounding of the product. */
export function isMultiple(x: number, q: number): boolean {
  const k = Math.round(x / q);
  return Math.abs(k * q - x) <= 1e-9 * Math.max(1, Math.abs(x));
}
