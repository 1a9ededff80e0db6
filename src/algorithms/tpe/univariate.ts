import type { Rng } from "../../rng/rng.js";
import type { Trial } from "../../trials/trial.js";
import { categoricalProbabilities, sampleIndex } from "./categoricalEstimator.js";
import type { CategoricalModel, NumericModel, ParamModel } from "./paramModel.js";
import { toModelSpace } from "./paramModel.js";
import { adaptiveParzen, mixtureLogDensity, sampleMixture } from "./parzenEstimator.js";
import type { TpeSettings } from "./presets.js";
import type { SplitHistory } from "./split.js";

/** The values one label took in the given trials (those where it was active), in tid order. */
export function observedValues(trials: readonly Trial[], label: string): number[] {
  const out: number[] = [];
  for (const t of trials) {
    const v = t.assignment[label];
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** Index of the highest score; NaN scores never win. */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j] as number;
    if (s > bestScore) {
      bestScore = s;
      best = j;
    }
  }
  return best;
}

function suggestNumeric(model: NumericModel, below: number[], above: number[], settings: TpeSettings, rng: Rng): number {
  const options = { priorWeight: settings.priorWeight, lf: settings.lf, minSigmaDivisor: settings.minSigmaDivisor };
  const l = adaptiveParzen(Float64Array.from(below, (v) => toModelSpace(model, v)), model, options);
  const g = adaptiveParzen(Float64Array.from(above, (v) => toModelSpace(model, v)), model, options);
  const candidates = sampleMixture(l, model, settings.nEiCandidates, rng);
  const ll = mixtureLogDensity(l, model, candidates);
  const lg = mixtureLogDensity(g, model, candidates);
  return candidates[argmax(ll.map((x, j) => x - (lg[j] as number)))] as number;
}

function suggestCategorical(model: CategoricalModel, below: number[], above: number[], settings: TpeSettings, rng: Rng): number {
  const index = (v: number): number => v - model.offset;
  const pl = categoricalProbabilities(below.map(index), model, settings.priorWeight, settings.lf);
  const pg = categoricalProbabilities(above.map(index), model, settings.priorWeight, settings.lf);
  const candidates = Array.from({ length: settings.nEiCandidates }, () => sampleIndex(pl, rng));
  const scores = candidates.map((k) => Math.log(pl[k] as number) - Math.log(pg[k] as number));
  return (candidates[argmax(scores)] as number) + model.offset;
}

/**
 * Hyperopt's per-parameter TPE step: fit l (below) and g (above) on the trials where the label
 * was active, draw candidates from l, and return the one with the largest log l - log g.
 */
export function suggestLabel(model: ParamModel, label: string, history: SplitHistory, settings: TpeSettings, rng: Rng): number {
  const below = observedValues(history.below, label);
  const above = observedValues(history.above, label);
  return model.kind === "numeric"
    ? suggestNumeric(model, below, above, settings, rng)
    : suggestCategorical(model, below, above, settings, rng);
}
