import { normalMass } from "../../rng/normal.js";
import { Arena, arrayOf } from "./arena.js";
import { cellMassesOf, type CellMasses } from "./cellMasses.js";
import { Sweeper } from "./sweepKernel.js";
import type { CategoricalDim, JointMixture, NumericDim } from "./jointFit.js";
import { dimOrder, laidOut, type ScoringCandidates } from "./scoringCandidates.js";

/**
 * Components are dropped when a bound shows that together they add less than this fraction
 * to the density: each dropped one is below the best component's log kernel minus
 * log(components) + 27.7, so their sum is below 1e-12 of the total.
 */
const DROP_NATS = -Math.log(1e-12);

/**
 * The mixture laid out for scoring, in DimOrder's order: per component the candidate-free part
 * of its log kernel and upper bounds on what the categorical and quantized terms can add.
 */
interface ScoringLayout {
  /** Numeric dimensions, quantized ones first, then continuous ones. */
  readonly numeric: readonly NumericDim[];
  /** Number of quantized dimensions (the first ones of `numeric`). */
  readonly quantizedCount: number;
  readonly categorical: readonly CategoricalDim[];
  /** The quantized dimensions again: their cells' terms come after the categorical ones. */
  readonly quantized: readonly NumericDim[];
  /** log weight plus the continuous dimensions' log normalizers. */
  readonly base: Float64Array;
  /**
   * Component-major, (categorical + quantized dimensions + 1) per component: a bound on what
   * the terms from the t-th on can add (a categorical row's largest log probability; for a
   * quantized cell, minus the log mass in bounds, as the cell's mass is at most the
   * component's mass in bounds).
   */
  readonly rest: Float64Array;
  /** Per component, twice its candidate-free bound: 2 * (base + rest of all terms). */
  readonly bounds2: Float64Array;
}

/** The layout of a mixture, its arrays taken from `arena` (m * (categorical and quantized dimensions + 3) entries). */
function scoringLayout(mix: JointMixture, arena: Float64Array): ScoringLayout {
  const m = mix.weights.length;
  const { dims } = mix;
  const { numericIndex, quantizedCount, othersIndex, categoricalCount } = dimOrder(dims);
  const o = othersIndex.length;
  const numeric: NumericDim[] = [];
  for (let t = 0; t < numericIndex.length; t++) numeric.push(dims[numericIndex[t] as number] as NumericDim);
  const categorical: CategoricalDim[] = [];
  for (let t = 0; t < categoricalCount; t++) categorical.push(dims[othersIndex[t] as number] as CategoricalDim);
  const quantized = numeric.slice(0, quantizedCount);
  const base = arena.subarray(0, m);
  base.set(mix.logWeights);
  for (let t = quantizedCount; t < numeric.length; t++) {
    const { logNorms } = numeric[t] as NumericDim;
    for (let i = 0; i < m; i++) base[i] = (base[i] as number) + (logNorms[i] as number);
  }
  const rest = arena.subarray(m, m * (o + 2));
  for (let i = 0; i < m; i++) rest[i * (o + 1) + o] = 0;
  for (let t = o - 1; t >= categoricalCount; t--) {
    const { logMass } = quantized[t - categoricalCount] as NumericDim;
    for (let i = 0; i < m; i++) rest[i * (o + 1) + t] = (rest[i * (o + 1) + t + 1] as number) - (logMass[i] as number);
  }
  for (let t = categoricalCount - 1; t >= 0; t--) {
    const dim = categorical[t] as CategoricalDim;
    const rowMax = new Float64Array(dim.size + 1).fill(-Infinity);
    for (let row = 0; row <= dim.size; row++) {
      for (let k = 0; k < dim.size; k++) rowMax[row] = Math.max(rowMax[row] as number, dim.logTable[row * dim.size + k] as number);
    }
    for (let i = 0; i < m; i++) rest[i * (o + 1) + t] = (rest[i * (o + 1) + t + 1] as number) + (rowMax[(dim.options[i] as number) + 1] as number);
  }
  const bounds2 = arena.subarray(m * (o + 2), m * (o + 3));
  for (let i = 0; i < m; i++) bounds2[i] = 2 * ((base[i] as number) + (rest[i * (o + 1)] as number));
  return { numeric, quantizedCount, categorical, quantized, base, rest, bounds2 };
}

/**
 * How many more quantized terms compute the cell's exact mass whatever the cell's width (the
 * mass is discarded where the midpoint rule applies). A cell wider than a kernel first occurs
 * once bandwidths shrink, tens of trials into a search; by then V8 has optimised the scoring
 * code, and a path it has no feedback for would throw the optimised code away. V8 records
 * feedback only from a function's first few calls on (its ninth on Node 20), so the path is
 * taken by the process's first 256 terms, and is known from then on.
 */
let exactMassWarmup = 256;

/**
 * A component's log term in a quantized dimension at a candidate's cell [lo, hi] (of log width
 * `logWidth`, the cell of `value`): the midpoint rule where the cell is at most one bandwidth
 * wide, else the kernel's exact mass in the cell (kept in `masses` when given, see CellMasses).
 */
function quantizedTerm(dim: NumericDim, i: number, lo: number, hi: number, logWidth: number, value: number, masses: CellMasses | undefined): number {
  const mu = dim.mus[i] as number;
  const inv = dim.invSigmas[i] as number;
  const wide = !((hi - lo) * inv <= 1);
  if (wide || exactMassWarmup > 0) {
    if (exactMassWarmup > 0) exactMassWarmup--;
    const sigma = dim.sigmas[i] as number;
    let exact = masses ? masses.get(mu, sigma, value) : NaN;
    if (Number.isNaN(exact)) {
      exact = Math.log(normalMass((lo - mu) * inv, (hi - mu) * inv)) - (dim.logMass[i] as number);
      masses?.set(mu, sigma, value, exact);
    }
    if (wide) return exact;
  }
  const z = (0.5 * (lo + hi) - mu) * inv;
  return (dim.logNorms[i] as number) + logWidth - 0.5 * z * z;
}

/** The terms kept by logDensity, shared by all scorers: each call fills what it reads before reading it. */
const scratch = new Arena();

/**
 * Scores candidates against one mixture (log density, quantized dimensions contributing the
 * log mass of the value's cell, by the midpoint rule when the cell is narrower than the kernel).
 *
 * Components whose log kernel is provably below the best one's minus (log(components) + 27.7)
 * are dropped, together under 1e-12 of the density. A component's bound is its
 * candidate-free part plus the most each categorical and quantized term can add, minus half
 * its squared distance in sigmas to the candidate over the numeric dimensions; the distances
 * and the categorical terms are summed for all components in one sweep per dimension, and only
 * components whose bound reaches the bar get their quantized cells' terms. The best component
 * of the previous candidate (`lead`) goes first so the bar is high from the start. The sweeps
 * run in WebAssembly (sweepKernel.ts), over two components at a time.
 */
export class JointScorer {
  private readonly layout: ScoringLayout;
  private readonly cands: ScoringCandidates;
  /** Per component (shared scratch): the terms kept at the candidate being scored. */
  private readonly kept: Float64Array;
  private readonly sweeper: Sweeper;
  /** Per distinct quantized cell (ScoringCandidates.cellSlot), each component's term in it once computed (NaN before). */
  private readonly cellTerms: Float64Array;
  /** Per quantized dimension, the exact cell masses kept for its model, if this scorer keeps them. */
  private readonly masses: readonly CellMasses[] | undefined;
  private readonly drop: number;
  /** The component with the largest term at the last candidate scored. */
  lead = 0;

  /**
   * A scorer of `cands` (laid out for mixtures over the same parameters as `mix`) against `mix`, its arrays
   * taken from `arena` when given (the scorer is then usable until the arena's next take). With
   * `keepMasses`, exact cell masses are read from and kept in their models' CellMasses, which
   * pays once a search has repeated itself long enough (see KEPT_MASSES_FROM).
   */
  constructor(mix: JointMixture, cands: ScoringCandidates, arena?: Arena, keepMasses = false) {
    const m = mix.weights.length;
    const o = cands.otherWidth;
    const buffer = arrayOf(m * (o + 3 + cands.slotCount), arena);
    this.layout = scoringLayout(mix, buffer);
    this.cands = cands;
    this.cellTerms = buffer.subarray(m * (o + 3)).fill(NaN);
    this.kept = scratch.take(m);
    this.drop = DROP_NATS + Math.log(m);
    const { numeric, quantizedCount, base, categorical, quantized } = this.layout;
    this.sweeper = new Sweeper(m, numeric, quantizedCount, base, categorical, cands);
    this.masses = keepMasses ? quantized.map((dim) => cellMassesOf(dim.model)) : undefined;
  }

  /** Component i's log term from its partial term `a` on: the quantized cells' terms, or -Infinity once its bound falls below the bar. */
  private finish(i: number, j: number, a: number, bar: number): number {
    const { quantized, rest, categorical } = this.layout;
    const { cellLow, cellHigh, cellLogWidth, cellSlot, values, otherWidth: o } = this.cands;
    const { cellTerms, masses } = this;
    const c = categorical.length;
    const q = o - c;
    const m = this.kept.length;
    for (let u = c; u < o; u++) {
      if (a + (rest[i * (o + 1) + u] as number) < bar) return -Infinity;
      const at = (cellSlot[j * q + u - c] as number) * m + i;
      let term = cellTerms[at] as number;
      if (Number.isNaN(term)) cellTerms[at] = term = quantizedTerm(quantized[u - c] as NumericDim, i, cellLow[j * o + u] as number, cellHigh[j * o + u] as number, cellLogWidth[j * o + u] as number, values[j * o + u] as number, masses?.[u - c]);
      a += term;
    }
    return a < bar ? -Infinity : a;
  }

  /** Component i's full log term at each candidate j with skip[j] = 0, written to out[j]. */
  componentLogTerms(i: number, skip: Uint8Array, out: Float64Array): void {
    const { sweeper } = this;
    const f64 = sweeper.component(i);
    for (let j = 0; j < this.cands.count; j++) if (!skip[j]) out[j] = this.finish(i, j, f64[sweeper.terms + j] as number, -Infinity);
  }

  /** The mixture's log density at candidate j; `lead` becomes its best component. */
  logDensity(j: number): number {
    const { layout, kept, drop, sweeper } = this;
    const { bounds2 } = layout;
    const m = kept.length;
    const f64 = sweeper.sweep(j);
    const { swept, partial } = sweeper;
    const lead = this.lead;
    let best = -Infinity;
    let bar = -Infinity;
    let count = 0;
    for (let r = -1; r < m; r++) {
      const i = r < 0 ? lead : r;
      if (r >= 0 && (!((f64[swept + i] as number) <= (bounds2[i] as number) - 2 * bar) || i === lead)) continue;
      const a = this.finish(i, j, f64[partial + i] as number, bar);
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

/** Log density of the mixture at each candidate (see JointScorer; its arrays from `arena` when given). */
export function jointLogDensity(mix: JointMixture, candidates: readonly Float64Array[] | ScoringCandidates, arena?: Arena): Float64Array {
  const cands = laidOut(mix.dims, candidates);
  const scorer = new JointScorer(mix, cands, arena);
  const out = new Float64Array(cands.count);
  for (let j = 0; j < cands.count; j++) out[j] = scorer.logDensity(j);
  return out;
}
