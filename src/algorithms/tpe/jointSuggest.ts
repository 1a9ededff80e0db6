import type { Rng } from "../../rng/rng.js";
import type { Assignment } from "../../space/assignment.js";
import { isActive, type CompiledParam, type CompiledSpace } from "../../space/compile.js";
import type { Trial } from "../../trials/trial.js";
import { Arena } from "./arena.js";
import { bestCandidate } from "./bestCandidate.js";
import type { History } from "./history.js";
import { fitJoint, KeptFit, type GroupParam, type JointMixture } from "./jointFit.js";
import { sampleJoint } from "./jointSample.js";
import { jointLogDensity, JointScorer } from "./jointScore.js";
import { groupColumns, type GroupColumns } from "./observations.js";
import { ScoringCandidates } from "./scoringCandidates.js";
import { paramModel, type ParamModel } from "./paramModel.js";
import { belowObservations } from "./sideObservations.js";
import type { TpeSettings } from "./presets.js";
import { configKey, evaluatedKeys, unevaluatedDraw } from "./unevaluated.js";

interface Group {
  readonly params: readonly (GroupParam & { readonly compiled: CompiledParam })[];
}

const models = new WeakMap<CompiledParam, ParamModel>();

/** The TPE model of a parameter, built once per compiled parameter. */
export function modelOf(param: CompiledParam): ParamModel {
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
  const branchPoints = new Set(space.params.flatMap((p) => p.conditions.map((c) => c.label)));
  for (const p of space.params) {
    const key = p.conditions.map((c) => `${c.label}=${c.index}`).join("&");
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({ label: p.label, model: modelOf(p), compiled: p, branching: branchPoints.has(p.label) });
  }
  groups = [...byKey.values()].map((params) => ({ params }));
  groupCache.set(space, groups);
  return groups;
}

/** The component of the below model fitted to the lowest-loss trial (ties: the earlier one). */
function incumbentComponent(l: JointMixture, trials: readonly Trial[]): number {
  let best = -1;
  let bestLoss = Infinity;
  for (let k = 0; k < l.positions.length; k++) {
    const loss = (trials[l.positions[k] as number] as Trial).loss;
    if (loss !== undefined && loss < bestLoss) {
      bestLoss = loss;
      best = k + 1;
    }
  }
  return best;
}

/** One group's candidates (also laid out for scoring), their below log densities, the above model and the best candidate's index. */
interface GroupProposal {
  readonly candidates: readonly Float64Array[];
  readonly laid: ScoringCandidates;
  readonly ll: Float64Array;
  readonly g: JointMixture;
  readonly best: number;
}

/** Per group's columns, the "below" fit kept from the last suggestion and the arena of the "above" fit, reused by every suggestion (each proposal is done with before the next). */
interface ProposalArenas {
  readonly below: KeptFit;
  readonly above: Arena;
}

const arenas = new WeakMap<GroupColumns, ProposalArenas>();

function arenasOf(cols: GroupColumns): ProposalArenas {
  let found = arenas.get(cols);
  if (!found) arenas.set(cols, (found = { below: new KeptFit(), above: new Arena() }));
  return found;
}

function propose(group: Group, history: History, sides: Uint8Array, settings: TpeSettings, rng: Rng): GroupProposal {
  const cols = groupColumns(history, group.params);
  const arena = arenasOf(cols);
  const l = arena.below.fit(group.params, cols, belowObservations(cols, sides), "below", settings);
  const g = fitJoint(group.params, cols, sides, "above", settings, arena.above);
  const sources = { focus: incumbentComponent(l, history.trials), focusShare: settings.incumbentShare, priorShare: settings.priorShare };
  const candidates = sampleJoint(l, settings.nEiCandidates, rng, sources);
  const laid = new ScoringCandidates(l.dims, candidates);
  const ll = jointLogDensity(l, laid);
  const best = bestCandidate(new JointScorer(g, laid), ll);
  return { candidates, laid, ll, g, best };
}

/** Candidate indices by descending ll - log g (NaN scores last, ties in index order). */
function ranking(p: GroupProposal): number[] {
  const lg = jointLogDensity(p.g, p.laid);
  const score = (j: number): number => {
    const s = (p.ll[j] as number) - (lg[j] as number);
    return Number.isNaN(s) ? -Infinity : s;
  };
  return p.candidates.map((_, j) => j).sort((a, b) => score(b) - score(a) || a - b);
}

/**
 * The joint TPE suggestion: per group of parameters active together, the candidate with the
 * best l/g. With `avoidDuplicates`, a suggestion that repeats a configuration of the history
 * is replaced by the best-scoring alternative that does not (changing the deepest active group
 * first), or else by an unevaluated configuration drawn from the prior.
 */
export function suggestJoint(space: CompiledSpace, history: History, sides: Uint8Array, settings: TpeSettings, rng: Rng): Assignment {
  const proposals = new Map<Group, GroupProposal>();
  const picks = new Map<Group, number>();
  const compose = (): { assignment: Assignment; active: Group[] } => {
    const assignment: Assignment = {};
    const active: Group[] = [];
    for (const group of groupsOf(space)) {
      const first = group.params[0];
      if (first === undefined || !isActive(first.compiled, assignment)) continue;
      let p = proposals.get(group);
      if (!p) proposals.set(group, (p = propose(group, history, sides, settings, rng)));
      const chosen = p.candidates[picks.get(group) ?? p.best] as Float64Array;
      for (let d = 0; d < group.params.length; d++) assignment[(group.params[d] as GroupParam).label] = chosen[d] as number;
      active.push(group);
    }
    return { assignment, active };
  };
  const first = compose();
  if (!settings.avoidDuplicates) return first.assignment;
  const seen = evaluatedKeys(space, history);
  if (!seen.has(configKey(space, first.assignment))) return first.assignment;
  for (const group of first.active.reverse()) {
    for (const j of ranking(proposals.get(group) as GroupProposal)) {
      picks.set(group, j);
      const next = compose().assignment;
      if (!seen.has(configKey(space, next))) return next;
    }
    picks.delete(group);
  }
  return unevaluatedDraw(space, seen, rng) ?? first.assignment;
}
