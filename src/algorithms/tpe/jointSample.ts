import type { Rng } from "../../rng/rng.js";
import type { JointDim, JointMixture } from "./jointFit.js";
import type { Truncation } from "../../rng/normal.js";
import { componentTruncation, drawValueFrom, pickComponent } from "./kernels.js";

/** Where the candidates come from: a share from one focus component, a share from the prior (component 0), the rest from the whole mixture. */
export interface CandidateSources {
  /** The focus component (-1: none). */
  readonly focus: number;
  readonly focusShare: number;
  readonly priorShare: number;
}

/** An option index drawn with the probabilities table[row .. row + size) (as sampleIndex on that row). */
function sampleRow(table: Float64Array, row: number, size: number, rng: Rng): number {
  let u = rng.random();
  for (let k = 0; k < size; k++) {
    u -= table[row + k] as number;
    if (u < 0) return k;
  }
  return size - 1;
}

const mixtureOnly: CandidateSources = { focus: -1, focusShare: 0, priorShare: 0 };

/**
 * Draws `count` points from the mixture, each as label values in the parameters' own scale
 * (views of one buffer, as a typed array of its own costs an allocation outside the heap):
 * with a focus component, the first round(focusShare * count) points come from it alone (its
 * truncations computed once for all of them); the next round(priorShare * count) from the
 * prior component; the rest from the whole mixture.
 */
export function sampleJoint(mix: JointMixture, count: number, rng: Rng, sources: CandidateSources = mixtureOnly): Float64Array[] {
  const cumulative = new Float64Array(mix.weights.length);
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = total += mix.weights[i] as number;
  const focused = sources.focus >= 0 ? Math.round(sources.focusShare * count) : 0;
  const fromPrior = focused + Math.round(sources.priorShare * count);
  const out: Float64Array[] = [];
  const { dims } = mix;
  const focusTruncations = focused > 0 ? truncationsAt(dims, sources.focus) : [];
  const points = new Float64Array(count * dims.length);
  for (let j = 0; j < count; j++) {
    const i = j < focused ? sources.focus : j < fromPrior ? 0 : pickComponent(cumulative, rng.random() * total);
    const point = points.subarray(j * dims.length, (j + 1) * dims.length);
    for (let d = 0; d < dims.length; d++) {
      const dim = dims[d] as JointDim;
      if (dim.kind === "numeric") {
        const truncation = j < focused ? (focusTruncations[d] as Truncation) : componentTruncation(dim.model, dim.mus[i] as number, dim.sigmas[i] as number);
        point[d] = drawValueFrom(dim.model, truncation, rng);
      } else point[d] = sampleRow(dim.table, ((dim.options[i] as number) + 1) * dim.size, dim.size, rng) + dim.offset;
    }
    out.push(point);
  }
  return out;
}

/** Component i's truncation in each numeric dimension (undefined for categorical ones). */
function truncationsAt(dims: readonly JointDim[], i: number): (Truncation | undefined)[] {
  const out: (Truncation | undefined)[] = [];
  for (let d = 0; d < dims.length; d++) {
    const dim = dims[d] as JointDim;
    out.push(dim.kind === "numeric" ? componentTruncation(dim.model, dim.mus[i] as number, dim.sigmas[i] as number) : undefined);
  }
  return out;
}
