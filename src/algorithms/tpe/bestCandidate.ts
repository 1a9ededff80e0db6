import type { JointScorer } from "./jointScore.js";

/** Slack on the lower bounds of the "above" density, covering the dropped components (under 1e-12 relative). */
const BOUND_SLACK = 1e-9;

/**
 * Index of the candidate with the largest ll - log g (ties: the first; NaN never wins; 0
 * when none is finite), g being the mixture `scorer` scores (its candidates are those of `ll`),
 * the same as argmax over every candidate's score, with log g computed only where needed:
 * candidates go in order of their best possible score, ll minus a lower bound on log g (the
 * log of the summed terms of the components that were best for the candidates scored so far),
 * and the search stops when no remaining candidate can beat the best score found.
 */
export function bestCandidate(scorer: JointScorer, ll: Float64Array): number {
  const n = ll.length;
  const bounds = new Float64Array(2 * n);
  const lower = bounds.subarray(0, n).fill(-Infinity);
  const terms = bounds.subarray(n);
  const done = new Uint8Array(n);
  const leads = new Set<number>();
  let bestScore = -Infinity;
  let bestIndex = -1;
  for (;;) {
    let pick = -1;
    let pickBound = -Infinity;
    for (let j = 0; j < n; j++) {
      if (done[j] || !((ll[j] as number) > -Infinity)) continue;
      const bound = (ll[j] as number) - (lower[j] as number) + BOUND_SLACK;
      if (pick < 0 || bound > pickBound) {
        pick = j;
        pickBound = bound;
      }
    }
    if (pick < 0 || pickBound < bestScore) break;
    done[pick] = 1;
    const score = (ll[pick] as number) - scorer.logDensity(pick);
    if (score > bestScore || (score === bestScore && pick < bestIndex)) {
      bestScore = score;
      bestIndex = pick;
    }
    const lead = scorer.lead;
    if (leads.has(lead)) continue;
    leads.add(lead);
    scorer.componentLogTerms(lead, done, terms);
    for (let j = 0; j < n; j++) {
      if (done[j]) continue;
      const term = terms[j] as number;
      const was = lower[j] as number;
      const hi = was > term ? was : term;
      if (hi > -Infinity) lower[j] = hi + Math.log1p(Math.exp((was > term ? term : was) - hi));
    }
  }
  return bestIndex < 0 ? 0 : bestIndex;
}
