import { normalMass } from "../../rng/normal.js";
import type { JointDim, JointMixture, NumericDim } from "./jointFit.js";
import { writeQuantizedCell } from "./kernels.js";
import { toModelSpace } from "./paramModel.js";

/**
 * Components are dropped when a bound shows that together they add less than this fraction
 * to the density: each dropped one is below the best component's log kernel minus
 * log(components) + 27.7, so their sum is below 1e-12 of the total.
 */
const DROP_NATS = -Math.log(1e-12);

/**
 * The mixture laid out for scoring: the numeric dimensions (quantized ones first), per
 * component the candidate-free part of its log kernel and upper bounds on what the other
 * dimensions can add.
 */
interface ScoringLayout {
  /** Numeric dimensions, quantized ones first, then continuous ones. */
  readonly numeric: readonly NumericDim[];
  readonly numericIndex: Int32Array;
  /** Number of quantized dimensions (the first ones of `numeric`). */
  readonly quantizedCount: number;
  /** log weight plus the continuous dimensions' log normalizers. */
  readonly base: Float64Array;
  /** Categorical dimensions, then quantized ones, with their dimension indices. */
  readonly others: readonly JointDim[];
  readonly othersIndex: Int32Array;
  /**
   * Component-major, others.length + 1 per component: a bound on what others[t..] can add
   * (a categorical row's largest log probability; for a quantized cell, minus the log mass in
   * bounds, as the cell's mass is at most the component's mass in bounds).
   */
  readonly rest: Float64Array;
  /** Per component, twice its candidate-free bound: 2 * (base + rest of all others). */
  readonly bounds2: Float64Array;
}

/** The layout of a mixture, its arrays taken from `arena` (m * (categorical and quantized dimensions + 3) entries). */
function scoringLayout(mix: JointMixture, arena: Float64Array): ScoringLayout {
  const m = mix.weights.length;
  const { dims } = mix;
  let categoricalCount = 0;
  let quantizedCount = 0;
  for (const dim of dims) {
    if (dim.kind === "categorical") categoricalCount++;
    else if (dim.model.q !== undefined) quantizedCount++;
  }
  const o = categoricalCount + quantizedCount;
  const numericIndex = new Int32Array(dims.length - categoricalCount);
  const othersIndex = new Int32Array(o);
  for (let d = 0, c = 0, q = 0, u = quantizedCount; d < dims.length; d++) {
    const dim = dims[d] as JointDim;
    if (dim.kind === "categorical") othersIndex[c++] = d;
    else if (dim.model.q === undefined) numericIndex[u++] = d;
    else {
      numericIndex[q] = d;
      othersIndex[categoricalCount + q++] = d;
    }
  }
  const numeric: NumericDim[] = [];
  for (let t = 0; t < numericIndex.length; t++) numeric.push(dims[numericIndex[t] as number] as NumericDim);
  const others: JointDim[] = [];
  for (let t = 0; t < o; t++) others.push(dims[othersIndex[t] as number] as JointDim);
  const base = arena.subarray(0, m);
  base.set(mix.logWeights);
  for (let t = quantizedCount; t < numeric.length; t++) {
    const { logNorms } = numeric[t] as NumericDim;
    for (let i = 0; i < m; i++) base[i] = (base[i] as number) + (logNorms[i] as number);
  }
  const rest = arena.subarray(m, m * (o + 2));
  for (let t = o - 1; t >= 0; t--) {
    const dim = others[t] as JointDim;
    if (dim.kind === "numeric") {
      for (let i = 0; i < m; i++) rest[i * (o + 1) + t] = (rest[i * (o + 1) + t + 1] as number) - (dim.logMass[i] as number);
      continue;
    }
    const rowMax = new Float64Array(dim.size + 1).fill(-Infinity);
    for (let row = 0; row <= dim.size; row++) {
      for (let k = 0; k < dim.size; k++) rowMax[row] = Math.max(rowMax[row] as number, dim.logTable[row * dim.size + k] as number);
    }
    for (let i = 0; i < m; i++) rest[i * (o + 1) + t] = (rest[i * (o + 1) + t + 1] as number) + (rowMax[(dim.options[i] as number) + 1] as number);
  }
  const bounds2 = arena.subarray(m * (o + 2), m * (o + 3));
  for (let i = 0; i < m; i++) bounds2[i] = 2 * ((base[i] as number) + (rest[i * (o + 1)] as number));
  return { numeric, numericIndex, quantizedCount, base, others, othersIndex, rest, bounds2 };
}

/**
 * A component's log term in a categorical or quantized dimension at a candidate value (the cell
 * [lo, hi] for quantized ones): the midpoint rule where the cell is at most one bandwidth wide,
 * else the kernel's exact mass in the cell. With `exactToo` the exact mass is computed in either
 * case (and discarded where the midpoint rule applies); see CandidateView.exactToo.
 */
function otherTerm(dim: JointDim, i: number, value: number, lo: number, hi: number, exactToo: boolean): number {
  if (dim.kind === "categorical") return dim.logTable[((dim.options[i] as number) + 1) * dim.size + value - dim.offset] as number;
  const mu = dim.mus[i] as number;
  const inv = dim.invSigmas[i] as number;
  const width = hi - lo;
  const wide = !(width * inv <= 1);
  if (wide || exactToo) {
    const exact = Math.log(normalMass((lo - mu) * inv, (hi - mu) * inv)) - (dim.logMass[i] as number);
    if (wide) return exact;
  }
  const z = (0.5 * (lo + hi) - mu) * inv;
  return (dim.logNorms[i] as number) + (width > 0 ? Math.log(width) : 0) - 0.5 * z * z;
}

/** One candidate: its numeric values as intervals in model space (a quantized value's cell), and its categorical and quantized values. */
interface CandidateView {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly values: Float64Array;
  readonly cellLow: Float64Array;
  readonly cellHigh: Float64Array;
  /**
   * True for the first candidate a scorer loads: its quantized terms also compute the exact
   * mass. A cell wider than a kernel first occurs once bandwidths shrink, tens of trials into a
   * search; by then V8 has optimised the scoring code without that path, and taking it would
   * throw the optimised code away. Computed once per scorer, the path is known from the start.
   */
  exactToo: boolean;
}

/** Adds to swept[i] the squared distance in sigmas from each component's mean to [lo, hi] in one dimension. */
function sweepDimension(swept: Float64Array, mus: Float64Array, invSigmas: Float64Array, lo: number, hi: number): void {
  const m = swept.length;
  if (lo === hi) {
    for (let i = 0; i < m; i++) {
      const z = (lo - (mus[i] as number)) * (invSigmas[i] as number);
      swept[i] = (swept[i] as number) + z * z;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const mu = mus[i] as number;
    const z = (Math.max(lo - mu, 0) + Math.max(mu - hi, 0)) * (invSigmas[i] as number);
    swept[i] = (swept[i] as number) + z * z;
  }
}

/**
 * Component i's full log term at the candidate, or -Infinity once its bound falls below the
 * bar. A quantized cell's mass is at most exp(-z^2 / 2) of the component's mass in bounds, z
 * the distance from the mean to the cell in sigmas, so the swept distances bound every
 * numeric dimension.
 */
function componentTerm(layout: ScoringLayout, view: CandidateView, i: number, sq: number, bar: number): number {
  const { numeric, base, rest, others, quantizedCount } = layout;
  const o = others.length;
  let quantizedSq = 0;
  for (let t = 0; t < quantizedCount; t++) {
    const dim = numeric[t] as NumericDim;
    const mu = dim.mus[i] as number;
    const z = (Math.max((view.low[t] as number) - mu, 0) + Math.max(mu - (view.high[t] as number), 0)) * (dim.invSigmas[i] as number);
    quantizedSq += z * z;
  }
  let a = (base[i] as number) - 0.5 * (sq - quantizedSq);
  for (let u = 0; u < o; u++) {
    if (a + (rest[i * (o + 1) + u] as number) < bar) return -Infinity;
    a += otherTerm(others[u] as JointDim, i, view.values[u] as number, view.cellLow[u] as number, view.cellHigh[u] as number, view.exactToo);
  }
  return a < bar ? -Infinity : a;
}

/**
 * Scores candidates against one mixture (log density, quantized dimensions contributing the
 * log mass of the value's cell, by the midpoint rule when the cell is narrower than the kernel).
 *
 * Components whose log kernel is provably below the best one's minus (log(components) + 27.7)
 * are dropped, together under 1e-12 of the density. A component's bound is its
 * candidate-free part plus the most each dimension can add, minus half its squared distance
 * in sigmas to the candidate over the numeric dimensions (summed for all components in one
 * sweep per dimension); only components whose bound reaches the bar get their full term. The
 * best component of the previous candidate (`lead`) goes first so the bar is high from the start.
 */
export class JointScorer {
  private readonly layout: ScoringLayout;
  private readonly view: CandidateView;
  private readonly swept: Float64Array;
  private readonly kept: Float64Array;
  private readonly drop: number;
  private loadedOnce = false;
  /** The component with the largest term at the last candidate scored. */
  lead = 0;

  constructor(mix: JointMixture) {
    const m = mix.weights.length;
    let o = 0;
    for (const dim of mix.dims) if (dim.kind === "categorical" || dim.model.q !== undefined) o++;
    const arena = new Float64Array(m * (o + 5));
    this.layout = scoringLayout(mix, arena);
    const c = this.layout.numeric.length;
    this.view = { low: new Float64Array(c), high: new Float64Array(c), values: new Float64Array(o), cellLow: new Float64Array(o), cellHigh: new Float64Array(o), exactToo: false };
    this.swept = arena.subarray(m * (o + 3), m * (o + 4));
    this.kept = arena.subarray(m * (o + 4), m * (o + 5));
    this.drop = DROP_NATS + Math.log(m);
  }

  private load(cand: Float64Array): void {
    const { numeric, numericIndex, quantizedCount, others, othersIndex } = this.layout;
    const { low, high, values, cellLow, cellHigh } = this.view;
    this.view.exactToo = !this.loadedOnce;
    this.loadedOnce = true;
    for (let t = 0; t < numeric.length; t++) {
      const { model } = numeric[t] as NumericDim;
      const value = cand[numericIndex[t] as number] as number;
      if (t < quantizedCount) writeQuantizedCell(model, value, low, high, t);
      else low[t] = high[t] = toModelSpace(model, value);
    }
    for (let t = 0; t < others.length; t++) {
      const dim = others[t] as JointDim;
      values[t] = cand[othersIndex[t] as number] as number;
      if (dim.kind === "numeric") writeQuantizedCell(dim.model, values[t] as number, cellLow, cellHigh, t);
    }
  }

  /** Component i's full log term at the candidate. */
  componentLogTerm(cand: Float64Array, i: number): number {
    this.load(cand);
    const { numeric } = this.layout;
    const { low, high } = this.view;
    let sq = 0;
    for (let t = 0; t < low.length; t++) {
      const dim = numeric[t] as NumericDim;
      const mu = dim.mus[i] as number;
      const z = (Math.max((low[t] as number) - mu, 0) + Math.max(mu - (high[t] as number), 0)) * (dim.invSigmas[i] as number);
      sq += z * z;
    }
    return componentTerm(this.layout, this.view, i, sq, -Infinity);
  }

  /** The mixture's log density at the candidate; `lead` becomes its best component. */
  logDensity(cand: Float64Array): number {
    this.load(cand);
    const { layout, view, swept, kept, drop } = this;
    const { numeric, bounds2 } = layout;
    const m = swept.length;
    swept.fill(0);
    for (let t = 0; t < view.low.length; t++) {
      const dim = numeric[t] as NumericDim;
      sweepDimension(swept, dim.mus, dim.invSigmas, view.low[t] as number, view.high[t] as number);
    }
    const lead = this.lead;
    let best = -Infinity;
    let bar = -Infinity;
    let count = 0;
    for (let r = -1; r < m; r++) {
      const i = r < 0 ? lead : r;
      if (r >= 0 && (!((swept[i] as number) <= (bounds2[i] as number) - 2 * bar) || i === lead)) continue;
      const a = componentTerm(layout, view, i, swept[i] as number, bar);
      if (r < 0) {
        best = a;
        bar = a - drop;
        if (a > -Infinity) kept[count++] = a;
        continue;
      }
      if (a === -Infinity) continue;
      kept[count++] = a;
      if (a > best) {
        best = a;
        bar = a - drop;
        this.lead = i;
      }
    }
    if (best === -Infinity) return -Infinity;
    let sum = 0;
    for (let r = 0; r < count; r++) sum += Math.exp((kept[r] as number) - best);
    return best + Math.log(sum);
  }
}

/** Log density of the mixture at each candidate (see JointScorer). */
export function jointLogDensity(mix: JointMixture, candidates: readonly Float64Array[]): Float64Array {
  const scorer = new JointScorer(mix);
  const out = new Float64Array(candidates.length);
  for (let j = 0; j < candidates.length; j++) out[j] = scorer.logDensity(candidates[j] as Float64Array);
  return out;
}
