import { Sweeper, type SweptMixture } from "./sweepKernel.js";
import type { CategoricalDim, JointMixture, NumericDim } from "./jointFit.js";
import { laidOut, type DimOrder, type ScoringCandidates } from "./scoringCandidates.js";

/**
 * Components are dropped when a bound shows that together they add less than this fraction
 * to the density: each dropped one is below the best component's log kernel minus
 * log(components) + 27.7, so their sum is below 1e-12 of the total.
 */
const DROP_NATS = -Math.log(1e-12);

/** `mix` as the kernel reads it: its dimensions in `order` (the order of the candidates laid out for it). */
function scoringLayout(mix: JointMixture, order: DimOrder): SweptMixture {
  const { dims } = mix;
  const { numericIndex, quantizedCount, othersIndex, categoricalCount } = order;
  const numeric: NumericDim[] = [];
  for (let t = 0; t < numericIndex.length; t++) numeric.push(dims[numericIndex[t] as number] as NumericDim);
  const categorical: CategoricalDim[] = [];
  for (let t = 0; t < categoricalCount; t++) categorical.push(dims[othersIndex[t] as number] as CategoricalDim);
  return { numeric, quantizedCount, categorical, logWeights: mix.logWeights };
}

/**
 * Scores candidates against one mixture (log density, quantized dimensions contributing the
 * log mass of the value's cell, by the midpoint rule when the cell is narrower than the kernel).
 *
 * Components whose log kernel is provably below the best one's minus (log(components) + 27.7)
 * are dropped, together under 1e-12 of the density. A component's bound is its
 * candidate-free part plus the most each categorical and quantized term can add, minus half
 * its squared distance in sigmas to the candidate over the numeric dimensions; the distances
 * and the categorical terms are summed for all components in one sweep per dimension, and only
 * components whose bound reaches the bar get their quantized cells' terms, each computed once
 * per cell and component. The best component of the previous candidate (`lead`) goes first so
 * the bar is high from the start. All of this runs in WebAssembly (sweepKernel.ts, sweep.wat),
 * which keeps the exact masses of wide cells in a cache; the terms kept are summed here.
 */
export class JointScorer {
  private readonly cands: ScoringCandidates;
  private readonly sweeper: Sweeper;
  private readonly drop: number;
  /** The component with the largest term at the last candidate scored. */
  lead = 0;

  /** A scorer of `cands` (laid out for mixtures over the same parameters as `mix`) against `mix`. */
  constructor(mix: JointMixture, cands: ScoringCandidates) {
    this.cands = cands;
    this.drop = DROP_NATS + Math.log(mix.weights.length);
    this.sweeper = new Sweeper(scoringLayout(mix, cands.order), cands);
  }

  /** Component i's full log term at each candidate j with skip[j] = 0, written to out[j]. */
  componentLogTerms(i: number, skip: Uint8Array, out: Float64Array): void {
    const { sweeper } = this;
    sweeper.componentTerms(i, skip);
    const f64 = sweeper.view;
    for (let j = 0; j < this.cands.count; j++) if (!skip[j]) out[j] = f64[sweeper.terms + j] as number;
  }

  /** The mixture's log density at candidate j; `lead` becomes its best component. */
  logDensity(j: number): number {
    const { sweeper } = this;
    const count = sweeper.density(j, this.lead, this.drop);
    this.lead = sweeper.lead;
    const best = sweeper.best;
    if (best === -Infinity) return -Infinity;
    const f64 = sweeper.view;
    const kept = sweeper.kept;
    let sum = 0;
    for (let r = 0; r < count; r++) sum += Math.exp((f64[kept + r] as number) - best);
    return best + Math.log(sum);
  }
}

/** Log density of the mixture at each candidate (see JointScorer). */
export function jointLogDensity(mix: JointMixture, candidates: readonly Float64Array[] | ScoringCandidates): Float64Array {
  const cands = laidOut(mix.dims, candidates);
  const scorer = new JointScorer(mix, cands);
  const out = new Float64Array(cands.count);
  for (let j = 0; j < cands.count; j++) out[j] = scorer.logDensity(j);
  return out;
}
