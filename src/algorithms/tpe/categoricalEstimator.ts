import type { Rng } from "../../rng/rng.js";
import { forgettingWeights } from "./forgetting.js";
import type { CategoricalModel } from "./paramModel.js";

/**
 * The TPE model of a categorical parameter: weighted counts of the observed options plus
 * `priorWeight` pseudo-observations spread by the prior (each option gets
 * priorWeight * size * prior[k]), normalized to probabilities.
 */
export function categoricalProbabilities(observed: ArrayLike<number>, model: CategoricalModel, priorWeight: number, linearForgetting: number): Float64Array {
  const p = new Float64Array(model.size);
  const w = forgettingWeights(observed.length, linearForgetting);
  for (let i = 0; i < observed.length; i++) p[observed[i] as number] = (p[observed[i] as number] as number) + (w[i] as number);
  let total = 0;
  for (let k = 0; k < model.size; k++) {
    p[k] = (p[k] as number) + priorWeight * model.size * (model.prior[k] as number);
    total += p[k] as number;
  }
  for (let k = 0; k < model.size; k++) p[k] = (p[k] as number) / total;
  return p;
}

/** An option index drawn with the given probabilities. */
export function sampleIndex(p: Float64Array, rng: Rng): number {
  let u = rng.random();
  for (let k = 0; k < p.length; k++) {
    u -= p[k] as number;
    if (u < 0) return k;
  }
  return p.length - 1;
}
