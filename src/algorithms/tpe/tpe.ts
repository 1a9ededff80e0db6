import { parseArgument } from "../../errors.js";
import { trialRng, type Rng } from "../../rng/rng.js";
import type { Assignment } from "../../space/assignment.js";
import { isActive, type CompiledParam, type CompiledSpace } from "../../space/compile.js";
import { sampleAssignment } from "../../space/sample.js";
import type { Trial } from "../../trials/trial.js";
import { defineAlgorithm, type Algorithm } from "../algorithm.js";
import { historyOf, type History } from "./history.js";
import type { GroupParam } from "./jointFit.js";
import { modelOf, suggestJoint } from "./jointSuggest.js";
import { defaultPreset, hyperoptPreset, tpeSettingsSchema, type TpeSettings } from "./presets.js";
import { groupColumns } from "./observations.js";
import { splitSides, splitTrials, type SplitHistory, type SplitSides } from "./split.js";
import { suggestLabel, suggestNumericFromColumns } from "./independent.js";
import { exploringDraw } from "./explore.js";
import { configKey, evaluatedKeys, unevaluatedDraw } from "./unevaluated.js";

const singletons = new WeakMap<CompiledParam, readonly GroupParam[]>();

/** The one-parameter group of a parameter (one array per parameter, so its columns are cached across calls). */
function singleton(param: CompiledParam): readonly GroupParam[] {
  let group = singletons.get(param);
  if (!group) singletons.set(param, (group = [{ label: param.label, model: modelOf(param) }]));
  return group;
}

function inTidOrder(trials: readonly Trial[]): boolean {
  for (let i = 1; i < trials.length; i++) if ((trials[i - 1] as Trial).tid >= (trials[i] as Trial).tid) return false;
  return true;
}

/**
 * Hyperopt's per-parameter TPE. With the trials in tid order, numeric parameters read their
 * observations from cached sorted columns (position order is then time order); otherwise from
 * the split's lists.
 */
function suggestIndependent(space: CompiledSpace, history: History, sides: SplitSides, settings: TpeSettings, rng: Rng): Assignment {
  const assignment: Assignment = {};
  const sorted = inTidOrder(history.trials);
  let split: SplitHistory | undefined;
  for (const param of space.params) {
    if (!isActive(param, assignment)) continue;
    const model = modelOf(param);
    if (sorted && model.kind === "numeric") {
      assignment[param.label] = suggestNumericFromColumns(model, groupColumns(history, singleton(param)), sides.side, settings, rng);
      continue;
    }
    split ??= splitTrials(history.trials, settings, sides);
    assignment[param.label] = suggestLabel(model, param.label, split, settings, rng);
  }
  return assignment;
}

/** A start-up draw from the prior; with `avoidDuplicates`, one not yet in the history while one can be found. */
function startupDraw(space: CompiledSpace, history: History, settings: TpeSettings, rng: Rng): Assignment {
  const drawn = sampleAssignment(space, rng);
  if (!settings.avoidDuplicates) return drawn;
  const seen = evaluatedKeys(space, history);
  return seen.has(configKey(space, drawn)) ? (unevaluatedDraw(space, seen, rng) ?? drawn) : drawn;
}

/** With `exploreEvery` k, every k-th trial after the start-up explores. */
function exploringTurn(tid: number, settings: TpeSettings): boolean {
  const k = settings.exploreEvery;
  return k > 0 && tid >= settings.nStartupJobs && (tid - settings.nStartupJobs) % k === k - 1;
}

/** The TPE suggestion for one trial under the given settings. */
export function tpeSuggest(space: CompiledSpace, trials: readonly Trial[], tid: number, seed: number, settings: TpeSettings): Assignment {
  const rng = trialRng(seed, tid, "tpe");
  const history = historyOf(trials);
  if (settings.multivariate) {
    const { side, finished } = splitSides(history, settings);
    if (finished < Math.max(settings.nStartupJobs, 1)) return startupDraw(space, history, settings, rng);
    if (exploringTurn(tid, settings)) return exploringDraw(space, trials, rng);
    return suggestJoint(space, history, side, settings, rng);
  }
  const sides = splitSides(history, settings);
  if (sides.finished < Math.max(settings.nStartupJobs, 1)) return sampleAssignment(space, rng);
  return suggestIndependent(space, history, sides, settings, rng);
}

/** A TPE algorithm with the default settings overridden by `settings`. */
function configure(settings: Partial<TpeSettings> = {}, name = "tpe"): Algorithm {
  const full: TpeSettings = { ...defaultPreset, ...parseArgument("tpe.configure", tpeSettingsSchema, settings, { label: (path) => `setting "${path}"` }) };
  return defineAlgorithm(name, { ...full }, ({ space, trials, tid, seed }) => tpeSuggest(space, trials, tid, seed, full));
}

/** Tree-structured Parzen Estimator search. */
export const tpe = {
  /** Our default settings (see docs/algorithms.md for the numbers that chose them). */
  suggest: configure(),
  /** Hyperopt's `tpe.suggest`, same defaults. */
  hyperopt: configure(hyperoptPreset, "tpe-hyperopt"),
  configure,
  presets: { default: defaultPreset, hyperopt: hyperoptPreset },
};
