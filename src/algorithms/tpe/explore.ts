import type { Rng } from "../../rng/rng.js";
import type { Assignment } from "../../space/assignment.js";
import type { CompiledSpace } from "../../space/compile.js";
import { sampleAssignment } from "../../space/sample.js";
import type { Trial } from "../../trials/trial.js";
import { modelOf } from "./jointSuggest.js";
import { toModelSpace } from "./paramModel.js";

/** Prior draws a space-filling step chooses among. */
const DRAWS = 64;

/** A space-filling step measures its distance to at most this many of the newest trials, so its cost is bounded. */
const REFERENCE_TRIALS = 1000;

/**
 * Squared distance of two configurations, stopping early once it reaches `bound`: numeric parameters in
 * units of their prior's width (in model space), 1 per differing option, 1 per parameter active in one only.
 */
function distance2(space: CompiledSpace, a: Assignment, b: Assignment, bound: number): number {
  let sum = 0;
  for (const p of space.params) {
    const x = a[p.label];
    const y = b[p.label];
    if (x === undefined && y === undefined) continue;
    if (x === undefined || y === undefined) sum += 1;
    else {
      const model = modelOf(p);
      if (model.kind === "categorical") sum += x === y ? 0 : 1;
      else {
        const d = (toModelSpace(model, x) - toModelSpace(model, y)) / model.priorSigma;
        sum += d * d;
      }
    }
    if (sum >= bound) return sum;
  }
  return sum;
}

/** A space-filling step: of 64 prior draws, the one farthest from its nearest configuration among the newest trials. */
export function exploringDraw(space: CompiledSpace, trials: readonly Trial[], rng: Rng): Assignment {
  const first = Math.max(0, trials.length - REFERENCE_TRIALS);
  let best: Assignment | undefined;
  let bestGap = -1;
  for (let i = 0; i < DRAWS; i++) {
    const candidate = sampleAssignment(space, rng);
    let gap = Infinity;
    for (let t = first; t < trials.length && gap > bestGap; t++) gap = Math.min(gap, distance2(space, candidate, (trials[t] as Trial).assignment, gap));
    if (gap > bestGap) {
      bestGap = gap;
      best = candidate;
    }
  }
  return best as Assignment;
}
