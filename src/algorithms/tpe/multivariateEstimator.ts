import type { Rng } from "../../rng/rng.js";
import { quantize } from "../../space/distributions.js";
import { sampleIndex } from "./categoricalEstimator.js";
import { forgettingWeights } from "./forgetting.js";
import type { GroupColumns } from "./observations.js";
import { toModelSpace, type CategoricalModel, type NumericModel, type ParamModel } from "./paramModel.js";
import type { TpeSettings } from "./presets.js";
import { normalCdf, normalMass, normalSf, sampleTruncatedNormal } from "../../rng/normal.js";

/** One parameter of a jointly modelled group. */
export interface GroupParam {
  readonly label: string;
  readonly model: ParamModel;
}

interface NumericDim {
  readonly kind: "numeric";
  readonly model: NumericModel;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Log of each component's mass inside the bounds (components are truncated one by one). */
  readonly logMass: Float64Array;
  /** 1 / sigma per component. */
  readonly invSigmas: Float64Array;
  /** Per component, the log kernel's constant: -log sigma - log sqrt(2 pi) - logMass. */
  readonly logNorms: Float64Array;
}

interface CategoricalDim {
  readonly kind: "categorical";
  readonly size: number;
  readonly offset: number;
  /** Per component, the observed option (-1 for the prior component). */
  readonly options: Int32Array;
  /**
   * Option probabilities, row-major by (observed option + 1): row 0 is the prior, row c + 1
   * puts 1 - eps on option c and eps spread by the prior.
   */
  readonly table: Float64Array;
  /** Logs of `table`. */
  readonly logTable: Float64Array;
}

/** A product-kernel mixture over a group: component 0 is the prior, one more per observation. */
export interface JointMixture {
  readonly logWeights: Float64Array;
  readonly weights: Float64Array;
  readonly dims: readonly (NumericDim | CategoricalDim)[];
  /** Trial position of each observation: component k is the trial at positions[k - 1]. */
  readonly positions: Int32Array;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

type KernelSettings = Pick<TpeSettings, "priorWeight" | "lf" | "minSigmaDivisor" | "bandwidth" | "bandwidthScale">;

/**
 * Hyperopt's bandwidth rule on one dimension, prior included: each component's larger gap to
 * its neighbours in the order of `ranked` (component indices sorted by value, ties by index).
 */
function neighbourSigmas(mus: Float64Array, ranked: Int32Array): Float64Array {
  const m = ranked.length;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const k = ranked[r] as number;
    const x = mus[k] as number;
    const left = r > 0 ? x - (mus[ranked[r - 1] as number] as number) : -Infinity;
    const right = r < m - 1 ? (mus[ranked[r + 1] as number] as number) - x : -Infinity;
    out[k] = Math.max(left, right);
  }
  return out;
}

/**
 * Component indices of one dimension in value order, ties by position (component k is the
 * observation at positions[k - 1]); the prior (component 0) goes before the first observation
 * not below its mean, as a stable sort with the prior first would place it. A large subset is
 * read off the columns' sorted positions, a small one is sorted directly: same order.
 */
function rankComponents(cols: GroupColumns, d: number, positions: Int32Array, component: Int32Array, priorMu: number): Int32Array {
  const values = cols.values[d] as Float64Array;
  const n = positions.length;
  let order: Int32Array;
  if (n * 16 < cols.activeCount) {
    order = positions.slice().sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  } else {
    const sorted = cols.sorted[d] as Int32Array;
    order = new Int32Array(n);
    for (let r = 0, at = 0; r < cols.activeCount; r++) if ((component[sorted[r] as number] as number) > 0) order[at++] = sorted[r] as number;
  }
  const ranked = new Int32Array(n + 1);
  let at = 0;
  let r = 0;
  while (r < n && (values[order[r] as number] as number) < priorMu) ranked[at++] = component[order[r++] as number] as number;
  ranked[at++] = 0;
  while (r < n) ranked[at++] = component[order[r++] as number] as number;
  return ranked;
}

function numericDim(model: NumericModel, mus: Float64Array, ranked: () => Int32Array, n: number, d: number, settings: KernelSettings): NumericDim {
  const m = mus.length;
  let sigmas: Float64Array;
  if (settings.bandwidth === "neighbour" && m > 2) {
    sigmas = neighbourSigmas(mus, ranked());
    for (let i = 0; i < m; i++) sigmas[i] = (sigmas[i] as number) * settings.bandwidthScale;
  } else sigmas = new Float64Array(m).fill(settings.bandwidthScale * 0.2 * Math.max(n, 1) ** (-1 / (d + 4)) * model.priorSigma);
  const minSigma = model.priorSigma / Math.min(settings.minSigmaDivisor, 1 + m);
  for (let i = 0; i < m; i++) sigmas[i] = Math.min(Math.max(sigmas[i] as number, minSigma), model.priorSigma);
  sigmas[0] = model.priorSigma;
  const logMass = new Float64Array(m);
  const invSigmas = new Float64Array(m);
  const logNorms = new Float64Array(m);
  const minNorm = -Math.log(minSigma) - HALF_LOG_2PI;
  for (let i = 0; i < m; i++) {
    const mu = mus[i] as number;
    const s = sigmas[i] as number;
    const a = (model.low - mu) / s;
    const b = (model.high - mu) / s;
    const lm = a < -8 ? (b > 8 ? 0 : Math.log(normalCdf(b))) : b > 8 ? Math.log(normalSf(a)) : Math.log(normalMass(a, b));
    logMass[i] = lm;
    invSigmas[i] = 1 / s;
    logNorms[i] = (s === minSigma ? minNorm : -Math.log(s) - HALF_LOG_2PI) - lm;
  }
  return { kind: "numeric", model, mus, sigmas, logMass, invSigmas, logNorms };
}

function categoricalDim(model: CategoricalModel, options: Int32Array, eps: number): CategoricalDim {
  const { size } = model;
  const table = new Float64Array((size + 1) * size);
  for (let k = 0; k < size; k++) table[k] = model.prior[k] as number;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) table[(c + 1) * size + k] = eps * (model.prior[k] as number) + (k === c ? 1 - eps : 0);
  }
  return { kind: "categorical", size, offset: model.offset, options, table, logTable: table.map(Math.log) };
}

/**
 * Fits the joint estimator to one side of the split: the trials at positions where
 * `side[pos] === which` and the group was active, in position order. Numeric dimensions get
 * truncated Gaussian kernels; categorical ones put 1 - eps on the observed option and eps
 * spread by the prior, eps = priorWeight / (1 + priorWeight).
 */
export function fitJoint(params: readonly GroupParam[], cols: GroupColumns, side: Uint8Array, which: number, settings: KernelSettings): JointMixture {
  const component = new Int32Array(cols.count);
  const chosen: number[] = [];
  for (let pos = 0; pos < cols.count; pos++) {
    if (cols.active[pos] && side[pos] === which) {
      chosen.push(pos);
      component[pos] = chosen.length;
    }
  }
  const positions = Int32Array.from(chosen);
  const n = positions.length;
  const m = n + 1;
  const forget = forgettingWeights(n, settings.lf);
  const weights = new Float64Array(m);
  weights[0] = settings.priorWeight;
  for (let i = 0; i < n; i++) weights[i + 1] = forget[i] as number;
  let total = 0;
  for (const w of weights) total += w;
  for (let i = 0; i < m; i++) weights[i] = (weights[i] as number) / total;
  const numericCount = params.filter((p) => p.model.kind === "numeric").length;
  const eps = settings.priorWeight / (1 + settings.priorWeight);
  const dims = params.map(({ model }, d): NumericDim | CategoricalDim => {
    const values = cols.values[d] as Float64Array;
    if (model.kind === "numeric") {
      const mus = new Float64Array(m);
      mus[0] = model.priorMu;
      for (let k = 0; k < n; k++) mus[k + 1] = values[positions[k] as number] as number;
      return numericDim(model, mus, () => rankComponents(cols, d, positions, component, model.priorMu), n, numericCount, settings);
    }
    const options = new Int32Array(m);
    options[0] = -1;
    for (let k = 0; k < n; k++) options[k + 1] = values[positions[k] as number] as number;
    return categoricalDim(model, options, eps);
  });
  return { weights, logWeights: logsOf(weights), dims, positions };
}

/** Math.log of each entry, computed once per run of equal entries (the observations' weights are equal without forgetting). */
function logsOf(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = i > 0 && xs[i] === xs[i - 1] ? (out[i - 1] as number) : Math.log(xs[i] as number);
  return out;
}

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
    const u = j < focused ? 0 : rng.random() * total;
    let i = j < focused ? focus : 0;
    let hi = j < focused ? focus : cumulative.length - 1;
    while (i < hi) {
      const mid = (i + hi) >> 1;
      if ((cumulative[mid] as number) <= u) i = mid + 1;
      else hi = mid;
    }
    out.push(
      Float64Array.from(mix.dims, (dim) => {
        if (dim.kind === "categorical") {
          const row = ((dim.options[i] as number) + 1) * dim.size;
          return sampleIndex(dim.table.subarray(row, row + dim.size), rng) + dim.offset;
        }
        const { model } = dim;
        const x = sampleTruncatedNormal(dim.mus[i] as number, dim.sigmas[i] as number, model.low, model.high, rng);
        const v = model.logScale ? Math.exp(x) : x;
        return model.q === undefined ? Math.min(Math.max(v, model.valueLow), model.valueHigh) : quantize(v, model.q);
      }),
    );
  }
  return out;
}

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
  readonly others: readonly (NumericDim | CategoricalDim)[];
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

function scoringLayout(mix: JointMixture): ScoringLayout {
  const m = mix.weights.length;
  const continuousIndex: number[] = [];
  const categoricalIndex: number[] = [];
  const quantizedIndex: number[] = [];
  mix.dims.forEach((dim, d) => (dim.kind === "categorical" ? categoricalIndex : dim.model.q === undefined ? continuousIndex : quantizedIndex).push(d));
  const numericIndex = [...quantizedIndex, ...continuousIndex];
  const numeric = numericIndex.map((d) => mix.dims[d] as NumericDim);
  const othersIndex = [...categoricalIndex, ...quantizedIndex];
  const others = othersIndex.map((d) => mix.dims[d] as NumericDim | CategoricalDim);
  const o = others.length;
  const base = new Float64Array(mix.logWeights);
  numeric.forEach((dim, t) => {
    if (t >= quantizedIndex.length) for (let i = 0; i < m; i++) base[i] = (base[i] as number) + (dim.logNorms[i] as number);
  });
  const rest = new Float64Array(m * (o + 1));
  for (let t = o - 1; t >= 0; t--) {
    const dim = others[t] as NumericDim | CategoricalDim;
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
  const bounds2 = new Float64Array(m);
  for (let i = 0; i < m; i++) bounds2[i] = 2 * ((base[i] as number) + (rest[i * (o + 1)] as number));
  return { numeric, numericIndex: Int32Array.from(numericIndex), quantizedCount: quantizedIndex.length, base, others, othersIndex: Int32Array.from(othersIndex), rest, bounds2 };
}

/** A component's log term in a categorical or quantized dimension at a candidate value (the cell [lo, hi] for quantized ones). */
function otherTerm(dim: NumericDim | CategoricalDim, i: number, value: number, lo: number, hi: number): number {
  if (dim.kind === "categorical") return dim.logTable[((dim.options[i] as number) + 1) * dim.size + value - dim.offset] as number;
  const mu = dim.mus[i] as number;
  const inv = dim.invSigmas[i] as number;
  const width = hi - lo;
  if (width * inv <= 1) {
    const z = (0.5 * (lo + hi) - mu) * inv;
    return (dim.logNorms[i] as number) + (width > 0 ? Math.log(width) : 0) - 0.5 * z * z;
  }
  return Math.log(normalMass((lo - mu) * inv, (hi - mu) * inv)) - (dim.logMass[i] as number);
}

/** One candidate: its numeric values as intervals in model space (a quantized value's cell), and its categorical and quantized values. */
interface CandidateView {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly values: Float64Array;
  readonly cellLow: Float64Array;
  readonly cellHigh: Float64Array;
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
    a += otherTerm(others[u] as NumericDim | CategoricalDim, i, view.values[u] as number, view.cellLow[u] as number, view.cellHigh[u] as number);
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
class JointScorer {
  private readonly layout: ScoringLayout;
  private readonly view: CandidateView;
  private readonly swept: Float64Array;
  private readonly kept: Float64Array;
  private readonly drop: number;
  /** The component with the largest term at the last candidate scored. */
  lead = 0;

  constructor(mix: JointMixture) {
    const m = mix.weights.length;
    this.layout = scoringLayout(mix);
    const c = this.layout.numeric.length;
    const o = this.layout.others.length;
    this.view = { low: new Float64Array(c), high: new Float64Array(c), values: new Float64Array(o), cellLow: new Float64Array(o), cellHigh: new Float64Array(o) };
    this.swept = new Float64Array(m);
    this.kept = new Float64Array(m);
    this.drop = DROP_NATS + Math.log(m);
  }

  private load(cand: Float64Array): void {
    const { numeric, numericIndex, quantizedCount, others, othersIndex } = this.layout;
    const { low, high, values, cellLow, cellHigh } = this.view;
    for (let t = 0; t < numeric.length; t++) {
      const { model } = numeric[t] as NumericDim;
      const value = cand[numericIndex[t] as number] as number;
      if (t < quantizedCount) [low[t], high[t]] = quantizedCell(model, value);
      else low[t] = high[t] = toModelSpace(model, value);
    }
    for (let t = 0; t < others.length; t++) {
      const dim = others[t] as NumericDim | CategoricalDim;
      values[t] = cand[othersIndex[t] as number] as number;
      if (dim.kind === "numeric") [cellLow[t], cellHigh[t]] = quantizedCell(dim.model, values[t] as number);
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
    let best = componentTerm(layout, view, lead, swept[lead] as number, -Infinity);
    let bar = best - drop;
    let count = 0;
    if (best > -Infinity) kept[count++] = best;
    for (let i = 0; i < m; i++) {
      if (!((swept[i] as number) <= (bounds2[i] as number) - 2 * bar) || i === lead) continue;
      const a = componentTerm(layout, view, i, swept[i] as number, bar);
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
  return Float64Array.from(candidates, (cand) => scorer.logDensity(cand));
}

/** Slack on the lower bounds of the "above" density, covering the dropped components (under 1e-12 relative). */
const BOUND_SLACK = 1e-9;

/**
 * Index of the candidate with the largest ll - log g (ties: the first; NaN never wins; 0
 * when none is finite), the same as argmax over every candidate's score, with log g computed
 * only where needed: candidates go in order of their best possible score, ll minus a lower
 * bound on log g (the log of the summed terms of the components that were best for the
 * candidates scored so far), and the search stops when no remaining candidate can beat the
 * best score found.
 */
export function bestCandidate(g: JointMixture, candidates: readonly Float64Array[], ll: Float64Array): number {
  const scorer = new JointScorer(g);
  const n = candidates.length;
  const lower = new Float64Array(n).fill(-Infinity);
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
    const cand = candidates[pick] as Float64Array;
    done[pick] = 1;
    const score = (ll[pick] as number) - scorer.logDensity(cand);
    if (score > bestScore || (score === bestScore && pick < bestIndex)) {
      bestScore = score;
      bestIndex = pick;
    }
    const lead = scorer.lead;
    if (leads.has(lead)) continue;
    leads.add(lead);
    for (let j = 0; j < n; j++) {
      if (done[j]) continue;
      const term = scorer.componentLogTerm(candidates[j] as Float64Array, lead);
      const hi = Math.max(lower[j] as number, term);
      if (hi > -Infinity) lower[j] = hi + Math.log(Math.exp((lower[j] as number) - hi) + Math.exp(term - hi));
    }
  }
  return bestIndex < 0 ? 0 : bestIndex;
}

/** A quantized value's cell in model space, clipped to the bounds (a log cell reaching 0 starts 30 nats below its top). */
function quantizedCell(model: NumericModel, value: number): [number, number] {
  const q = model.q as number;
  const lo = Math.max(value - q / 2, model.valueLow);
  const hi = Math.min(value + q / 2, model.valueHigh);
  if (!model.logScale) return [lo, hi];
  const lhi = Math.log(hi);
  return [lo > 0 ? Math.log(lo) : lhi - 30, lhi];
}
