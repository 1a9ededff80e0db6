import { trialRng, type Rng } from "../../rng/rng.js";
import type { Assignment } from "../../space/assignment.js";
import { isActive, type CompiledParam, type CompiledSpace } from "../../space/compile.js";
import { sampleAssignment } from "../../space/sample.js";
import type { Trial } from "../../trials/trial.js";
import { defineAlgorithm, type Algorithm } from "../algorithm.js";
import { bestCandidate } from "./bestCandidate.js";
import { fitJoint, type GroupParam, type JointMixture } from "./jointFit.js";
import { sampleJoint } from "./jointSample.js";
import { jointLogDensity } from "./jointScore.js";
import { paramModel, type ParamModel } from "./paramModel.js";
import { defaultPreset, hyperoptPreset, type TpeSettings } from "./presets.js";
import { groupColumns } from "./observations.js";
import { splitSides, splitTrials, type SplitHistory, type SplitSides } from "./split.js";
import { suggestLabel, suggestNumericFromColumns } from "./independent.js";

interface Group {
  readonly params: readonly (GroupParam & { readonly compiled: CompiledParam })[];
}

const models = new WeakMap<CompiledParam, ParamModel>();

function modelOf(param: CompiledParam): ParamModel {
  let model = models.get(param);
  if (!model) models.set(param, (model = paramModel(param.distribution)));
  return model;
}

const groupCache = new WeakMap<CompiledSpace, Group[]>();

/** Parameters grouped by the conditions that activate them, in order of first appearance. */
function groupsOf(space: CompiledSpace): Group[] {
  let groups = groupCache.get(space);
  if (groups) return groups;
  const byKey = new Map<string, (GroupParam & { compiled: CompiledParam })[]>();
  for (const p of space.params) {
    const key = p.conditions.map((c) => `${c.label}=${c.index}`).join("&");
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({ label: p.label, model: modelOf(p), compiled: p });
  }
  groups = [...byKey.values()].map((params) => ({ params }));
  groupCache.set(space, groups);
  return groups;
}

/** The component of the below model fitted to the lowest-loss trial (ties: the earlier one). */
function incumbentComponent(l: JointMixture, trials: readonly Trial[]): number {
  let best = -1;
  let bestLoss = Infinity;
  l.positions.forEach((pos, k) => {
    const loss = (trials[pos] as Trial).loss;
    if (loss !== undefined && loss < bestLoss) {
      bestLoss = loss;
      best = k + 1;
    }
  });
  return best;
}

function suggestJoint(space: CompiledSpace, trials: readonly Trial[], sides: Uint8Array, settings: TpeSettings, rng: Rng): Assignment {
  const assignment: Assignment = {};
  for (const group of groupsOf(space)) {
    const first = group.params[0];
    if (first === undefined || !isActive(first.compiled, assignment)) continue;
    const cols = groupColumns(trials, group.params);
    const l = fitJoint(group.params, cols, sides, "below", settings);
    const g = fitJoint(group.params, cols, sides, "above", settings);
    const candidates = sampleJoint(l, settings.nEiCandidates, rng, incumbentComponent(l, trials), settings.incumbentShare);
    const best = candidates[bestCandidate(g, candidates, jointLogDensity(l, candidates))] as Float64Array;
    group.params.forEach((p, d) => (assignment[p.label] = best[d] as number));
  }
  return assignment;
}

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
function suggestIndependent(space: CompiledSpace, trials: readonly Trial[], sides: SplitSides, settings: TpeSettings, rng: Rng): Assignment {
  const assignment: Assignment = {};
  const sorted = inTidOrder(trials);
  let history: SplitHistory | undefined;
  for (const param of space.params) {
    if (!isActive(param, assignment)) continue;
    const model = modelOf(param);
    if (sorted && model.kind === "numeric") {
      assignment[param.label] = suggestNumericFromColumns(model, groupColumns(trials, singleton(param)), sides.side, settings, rng);
      continue;
    }
    history ??= splitTrials(trials, settings, sides);
    assignment[param.label] = suggestLabel(model, param.label, history, settings, rng);
  }
  return assignment;
}

/** The TPE suggestion for one trial under the given settings. */
export function tpeSuggest(space: CompiledSpace, trials: readonly Trial[], tid: number, seed: number, settings: TpeSettings): Assignment {
  const rng = trialRng(seed, tid, "tpe");
  if (settings.multivariate) {
    const { side, finished } = splitSides(trials, settings);
    if (finished < Math.max(settings.nStartupJobs, 1)) return sampleAssignment(space, rng);
    return suggestJoint(space, trials, side, settings, rng);
  }
  const sides = splitSides(trials, settings);
  if (sides.finished < Math.max(settings.nStartupJobs, 1)) return sampleAssignment(space, rng);
  return suggestIndependent(space, trials, sides, settings, rng);
}

/** A TPE algorithm with the default settings overridden by `settings`. */
function configure(settings: Partial<TpeSettings> = {}, name = "tpe"): Algorithm {
  const full: TpeSettings = { ...defaultPreset, ...settings };
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
