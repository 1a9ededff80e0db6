import type { Rng } from "../../rng/rng.js";
import { sampleIndex } from "./categoricalEstimator.js";
import type { JointMixture } from "./jointFit.js";
import { drawValue, pickComponent } from "./kernels.js";

/**
 * Draws `count` points from the mixture, each as label values in the parameters' own scale.
 * With a `focus` component, the first round(focusShare * count) points come from that
 * component alone.
 */
export function sampleJoint(mix: JointMixture, count: number, rng: Rng, focus = -1, focusShare = 0): Float64Array[] {
  const cumulative = new Float64Array(mix.weights.length);
  let total = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = total += mix.weights[i] as number;
  const focused = focus >= 0 ? Math.round(focusShare * count) : 0;
  const out: Float64Array[] = [];
  for (let j = 0; j < count; j++) {
    const i = j < focused ? focus : pickComponent(cumulative, rng.random() * total);
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
