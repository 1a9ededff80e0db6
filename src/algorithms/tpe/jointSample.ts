import type { Rng } from "../../rng/rng.js";
import { sampleIndex } from "./categoricalEstimator.js";
import type { JointMixture } from "./jointFit.js";
import { drawValue, pickComponent } from "./kernels.js";

/** Where the candidates come from: a share from one focus component, a share from the prior (component 0), the rest from the whole mixture. */
export interface CandidateSources {
  /** The focus component (-1: none). */
  readonly focus: number;
  readonly focusShare: number;
  readonly priorShare: number;
}

const mixtureOnly: CandidateSources = { focus: -1, focusShare: 0, priorShare: 0 };

/**
 * Draws `count` points from the mixture, each as label values in the parameters' own scale:
 * with a focus component, the first round(focusShare * count) points come from it alone; the
 * next round(priorShare * count) from the prior component; the rest from the whole mixture.
 */
export function sampleJoint(mix: JointMixture, count: number, rng: Rng, sources: CandidateSources = mixtureOnly): Float64Array[] {
  const cumulative = new Float64Array(mix.weights.length);
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = total += mix.weights[i] as number;
  const focused = sources.focus >= 0 ? Math.round(sources.focusShare * count) : 0;
  const fromPrior = focused + Math.round(sources.priorShare * count);
  const out: Float64Array[] = [];
  for (let j = 0; j < count; j++) {
    const i = j < focused ? sources.focus : j < fromPrior ? 0 : pickComponent(cumulative, rng.random() * total);
    out.push(
      Float64Array.from(mix.dims, (dim) => {
        if (dim.kind === "numeric") return drawValue(dim.model, dim.mus[i] as number, dim.sigmas[i] as number, rng);
        const row = ((dim.options[i] as number) + 1) * dim.size;
        return sampleIndex(dim.table.subarray(row, row + dim.size), rng) + dim.offset;
      }),
    );
  }
  return out;
}
