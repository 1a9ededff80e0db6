import type { Rng } from "../../rng/rng.js";
import type { Trial } from "../../trials/trial.js";
import { categoricalProbabilities, sampleIndex } from "./categoricalEstimator.js";
import type { CategoricalModel, NumericModel, ParamModel } from "./paramModel.js";
import { toModelSpace } from "./paramModel.js";
import type { GroupColumns } from "./observations.js";
import { adaptiveParzen, adaptiveParzenSorted, mixtureLogDensity, sampleMixture, type Mixture, type ParzenOptions } from "./parzenEstimator.js";
import type { TpeSettings } from "./presets.js";
import { sideCode, type Side, type SplitHistory } from "./split.js";

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

function parzenOptions(settings: TpeSettings): ParzenOptions {
  return { priorWeight: settings.priorWeight, linearForgetting: settings.linearForgetting, minSigmaDivisor: settings.minSigmaDivisor };
}

/** The candidate from l with the largest log l - log g, in the parameter's own scale. */
function bestNumeric(model: NumericModel, l: Mixture, g: Mixture, settings: TpeSettings, rng: Rng): number {
  const candidates = sampleMixture(l, model, settings.nEiCandidates, rng);
  const ll = mixtureLogDensity(l, model, candidates);
  const lg = mixtureLogDensity(g, model, candidates);
  return candidates[argmax(ll.map((x, j) => x - (lg[j] as number)))] as number;
}

function suggestNumeric(model: NumericModel, below: number[], above: number[], settings: TpeSettings, rng: Rng): number {
  const l = adaptiveParzen(Float64Array.from(below, (v) => toModelSpace(model, v)), model, parzenOptions(settings));
  const g = adaptiveParzen(Float64Array.from(above, (v) => toModelSpace(model, v)), model, parzenOptions(settings));
  return bestNumeric(model, l, g, settings, rng);
}

/**
 * The adaptive Parzen estimator of one side of the split (the trials on side `which`), read off a
 * one-parameter group's columns: their sorted order gives the observations by value, ties in
 * position order, so nothing is sorted. Position order is time order when the trials array
 * is in tid order.
 */
export function parzenFromColumns(cols: GroupColumns, side: Uint8Array, which: Side, model: NumericModel, options: ParzenOptions): Mixture {
  const code = sideCode[which];
  const time = new Int32Array(cols.count);
  let n = 0;
  for (let pos = 0; pos < cols.count; pos++) if (cols.active[pos] && side[pos] === code) time[pos] = n++;
  const values = cols.values[0] as Float64Array;
  const order = cols.sorted[0] as Int32Array;
  const sorted = new Float64Array(n);
  const times = new Int32Array(n);
  for (let k = 0, r = 0; k < cols.activeCount; k++) {
    const pos = order[k] as number;
    if (side[pos] !== code) continue;
    sorted[r] = values[pos] as number;
    times[r++] = time[pos] as number;
  }
  return adaptiveParzenSorted(sorted, times, model, options);
}

/** Hyperopt's TPE step for a numeric parameter, from its one-parameter group's columns (see parzenFromColumns). */
export function suggestNumericFromColumns(model: NumericModel, cols: GroupColumns, side: Uint8Array, settings: TpeSettings, rng: Rng): number {
  const options = parzenOptions(settings);
  return bestNumeric(model, parzenFromColumns(cols, side, "below", model, options), parzenFromColumns(cols, side, "above", model, options), settings, rng);
}

function suggestCategorical(model: CategoricalModel, below: number[], above: number[], settings: TpeSettings, rng: Rng): number {
  const index = (v: number): number => v - model.offset;
  const pl = categoricalProbabilities(below.map(index), model, settings.priorWeight, settings.linearForgetting);
  const pg = categoricalProbabilities(above.map(index), model, settings.priorWeight, settings.linearForgetting);
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
