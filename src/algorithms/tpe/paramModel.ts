import type { Distribution } from "../../space/distributions.js";

/**
 * How TPE models one numeric parameter: a Gaussian mixture over `low..high` in model space
 * (the log of the value for log distributions), and, for quantized ones, the step `q` in the
 * parameter's own scale.
 */
export interface NumericModel {
  readonly kind: "numeric";
  readonly logScale: boolean;
  /** Bounds in model space (infinite for normal-type parameters). */
  readonly low: number;
  readonly high: number;
  readonly q: number | undefined;
  /** The prior component. */
  readonly priorMu: number;
  readonly priorSigma: number;
  /** Bounds of the value itself, for clipping quantization cells. */
  readonly valueLow: number;
  readonly valueHigh: number;
}

/** How TPE models a choice, pchoice or randint: smoothed counts over `size` options. */
export interface CategoricalModel {
  readonly kind: "categorical";
  readonly size: number;
  /** Prior probability of each option. */
  readonly prior: readonly number[];
  /** Added to an option index to get the value (randint's low). */
  readonly offset: number;
}

export type ParamModel = NumericModel | CategoricalModel;

function numeric(logScale: boolean, low: number, high: number, q: number | undefined, priorMu: number, priorSigma: number): NumericModel {
  const valueLow = logScale ? (low === -Infinity ? 0 : Math.exp(low)) : low;
  const valueHigh = logScale ? Math.exp(high) : high;
  return { kind: "numeric", logScale, low, high, q, priorMu, priorSigma, valueLow, valueHigh };
}

function bounded(logScale: boolean, low: number, high: number, q?: number): NumericModel {
  return numeric(logScale, low, high, q, 0.5 * (low + high), high - low);
}

function uniformPrior(size: number, offset = 0): CategoricalModel {
  return { kind: "categorical", size, prior: Array.from({ length: size }, () => 1 / size), offset };
}

/** The model of a distribution, as Hyperopt's TPE builds it. */
export function paramModel(d: Distribution): ParamModel {
  switch (d.kind) {
    case "uniform":
      return bounded(false, d.low, d.high);
    case "quniform":
      return bounded(false, d.low, d.high, d.q);
    case "uniformint":
      return bounded(false, d.low, d.high, 1);
    case "loguniform":
      return bounded(true, d.low, d.high);
    case "qloguniform":
      return bounded(true, d.low, d.high, d.q);
    case "normal":
      return numeric(false, -Infinity, Infinity, undefined, d.mu, d.sigma);
    case "qnormal":
      return numeric(false, -Infinity, Infinity, d.q, d.mu, d.sigma);
    case "lognormal":
      return numeric(true, -Infinity, Infinity, undefined, d.mu, d.sigma);
    case "qlognormal":
      return numeric(true, -Infinity, Infinity, d.q, d.mu, d.sigma);
    case "randint":
      return uniformPrior(d.high - d.low, d.low);
    case "choice":
      return uniformPrior(d.size);
    case "pchoice": {
      const total = d.probabilities.reduce((s, p) => s + p, 0);
      return { kind: "categorical", size: d.probabilities.length, prior: d.probabilities.map((p) => p / total), offset: 0 };
    }
  }
}

/** A value of the parameter in model space (its log for log distributions). */
export function toModelSpace(model: NumericModel, value: number): number {
  return model.logScale ? Math.log(Math.max(value, 1e-12)) : value;
}
