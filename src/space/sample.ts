import type { Rng } from "../rng/rng.js";
import type { Assignment } from "./assignment.js";
import { compile, isActive, type CompiledSpace } from "./compile.js";
import { quantize, type Distribution } from "./distributions.js";
import { spaceEval } from "./spaceEval.js";
import type { InferParams } from "./infer.js";

/** One draw from a distribution (a categorical gives an option index). */
export function sampleDistribution(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case "uniform":
      return rng.uniform(d.low, d.high);
    case "quniform":
      return quantize(rng.uniform(d.low, d.high), d.q);
    case "loguniform":
      return Math.exp(rng.uniform(d.low, d.high));
    case "qloguniform":
      return quantize(Math.exp(rng.uniform(d.low, d.high)), d.q);
    case "normal":
      return d.mu + d.sigma * rng.normal();
    case "qnormal":
      return quantize(d.mu + d.sigma * rng.normal(), d.q);
    case "lognormal":
      return Math.exp(d.mu + d.sigma * rng.normal());
    case "qlognormal":
      return quantize(Math.exp(d.mu + d.sigma * rng.normal()), d.q);
    case "randint":
      return d.low + rng.int(d.high - d.low);
    case "uniformint":
      return quantize(rng.uniform(d.low, d.high), 1);
    case "choice":
      return rng.int(d.size);
    case "pchoice":
      return sampleCategorical(d.probabilities, rng);
  }
}

/** Index i with probability weights[i] / sum(weights). */
export function sampleCategorical(weights: readonly number[], rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] ?? 0;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** A draw from the prior of every active parameter. */
export function sampleAssignment(space: CompiledSpace, rng: Rng): Assignment {
  const assignment: Assignment = {};
  for (const param of space.params) {
    if (isActive(param, assignment)) assignment[param.label] = sampleDistribution(param.distribution, rng);
  }
  return assignment;
}

/** Hyperopt's `stochastic.sample`: a random configuration of the space, as the objective receives it. */
export function sample<S>(space: S, rng: Rng): InferParams<S> {
  return spaceEval(space, sampleAssignment(compile(space), rng));
}
