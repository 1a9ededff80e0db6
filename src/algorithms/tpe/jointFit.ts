import { Arena, arrayOf } from "./arena.js";
import { orderByValue } from "./componentOrder.js";
import { forgettingWeights } from "./forgetting.js";
import { kernelConstants, type KernelConstants } from "./kernelConstants.js";
import { clipBandwidths, massInBounds, minBandwidth, normalizeWeights } from "./kernels.js";
import type { GroupColumns } from "./observations.js";
import type { CategoricalModel, NumericModel, ParamModel } from "./paramModel.js";
import type { TpeSettings } from "./presets.js";
import { aboveObservations, belowObservations, type SideObservations } from "./sideObservations.js";
import type { Side } from "./split.js";

/** One parameter of a jointly modelled group. */
export interface GroupParam {
  readonly label: string;
  readonly model: ParamModel;
  /** A choice whose options hold parameters of their own (a branch point of the space). */
  readonly branching?: boolean;
}

export interface NumericDim {
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

export interface CategoricalDim {
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
  /** Per row of `logTable` (the prior's first), its largest entry. */
  readonly rowMax: Float64Array;
}

export type JointDim = NumericDim | CategoricalDim;

/** A product-kernel mixture over a group: component 0 is the prior, one more per observation. */
export interface JointMixture {
  readonly logWeights: Float64Array;
  readonly weights: Float64Array;
  readonly dims: readonly JointDim[];
  /** Trial position of each observation: component k is the trial at positions[k - 1]. */
  readonly positions: Int32Array;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export type KernelSettings = Pick<TpeSettings, "priorWeight" | "linearForgetting" | "minSigmaDivisor" | "bandwidth" | "bandwidthScale" | "branchPriorWeight" | "maxAboveComponents">;

/**
 * The share eps that a categorical observation's kernel spreads by the prior: priorWeight /
 * (1 + priorWeight); for a branch point (with branchPriorWeight > 0), chosen so that the
 * side's marginal over the options is smoothed counts, the observed counts plus size *
 * branchPriorWeight pseudo-counts spread by the prior, as Hyperopt's counts (which use
 * priorWeight): eps = (size * bpw - pw) / (observed weight + size * bpw). Branches a side has
 * seen rarely then keep a small probability in "above", so l/g favours them.
 */
function categoricalEps(settings: KernelSettings, size: number, branching: boolean, observedWeight: number): number {
  const pw = settings.priorWeight;
  if (!branching || settings.branchPriorWeight <= 0) return pw / (1 + pw);
  const pseudo = size * settings.branchPriorWeight;
  return Math.max(pseudo - pw, 0) / (observedWeight + pseudo);
}

/**
 * Hyperopt's bandwidth rule on one dimension, prior included, with each component's mean (the
 * prior's or its observation's value). `order` holds the observations' positions sorted by value,
 * ties by position; the prior goes before the first observation not below its mean, as a stable
 * sort with the prior first would place it. Each component gets its larger gap to its neighbours
 * in that order, times `scale`, clipped to [minSigma, maxSigma]. `component` maps a position to
 * its component's index.
 */
function neighbourKernels(values: Float64Array, order: Int32Array, component: Int32Array, priorMu: number, scale: number, minSigma: number, maxSigma: number, mus: Float64Array, sigmas: Float64Array): void {
  const m = order.length + 1;
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[order[mid] as number] as number) < priorMu) lo = mid + 1;
    else hi = mid;
  }
  const priorRank = lo;
  let k = 0;
  let x = priorMu;
  if (priorRank > 0) {
    const pos = order[0] as number;
    k = component[pos] as number;
    x = values[pos] as number;
  }
  let before = -Infinity;
  for (let r = 0; r < m; r++) {
    let nextK = 0;
    let next = priorMu;
    if (r === m - 1) next = NaN;
    else if (r + 1 !== priorRank) {
      const pos = order[r + 1 < priorRank ? r + 1 : r] as number;
      nextK = component[pos] as number;
      next = values[pos] as number;
    }
    mus[k] = x;
    const left = r > 0 ? x - before : -Infinity;
    const right = r < m - 1 ? next - x : -Infinity;
    let sigma = Math.max(left, right);
    if (scale !== 1) sigma = sigma * scale;
    sigmas[k] = Math.min(Math.max(sigma, minSigma), maxSigma);
    before = x;
    x = next;
    k = nextK;
  }
}

/**
 * A numeric dimension's kernels: means, bandwidths (clipped; the prior's is its own sigma) and
 * the constants the scorer needs, taken from `constants` where a kernel's bandwidth is the one
 * it had at the last fit (component k + 1 is the trial at positions[k], `component` the inverse
 * map). Neighbour bandwidths come from `order` (the positions by value, see neighbourKernels);
 * without it, Scott's rule. `buffer` holds 5 m entries.
 */
function numericDim(model: NumericModel, values: Float64Array, positions: Int32Array, order: Int32Array | undefined, component: Int32Array, constants: KernelConstants, d: number, settings: KernelSettings, buffer: Float64Array): NumericDim {
  const m = positions.length + 1;
  const mus = buffer.subarray(0, m);
  const sigmas = buffer.subarray(m, 2 * m);
  const logMass = buffer.subarray(2 * m, 3 * m);
  const invSigmas = buffer.subarray(3 * m, 4 * m);
  const logNorms = buffer.subarray(4 * m, 5 * m);
  let minSigma: number;
  if (order) {
    minSigma = minBandwidth(model.priorSigma, settings.minSigmaDivisor, m);
    neighbourKernels(values, order, component, model.priorMu, settings.bandwidthScale, minSigma, model.priorSigma, mus, sigmas);
  } else {
    mus[0] = model.priorMu;
    for (let k = 1; k < m; k++) mus[k] = values[positions[k - 1] as number] as number;
    sigmas.fill(settings.bandwidthScale * 0.2 * Math.max(m - 1, 1) ** (-1 / (d + 4)) * model.priorSigma);
    minSigma = clipBandwidths(sigmas, model.priorSigma, settings.minSigmaDivisor);
  }
  const minNorm = -Math.log(minSigma) - HALF_LOG_2PI;
  sigmas[0] = model.priorSigma;
  const { sigma: keptSigma, logMass: keptLogMass, logNorm: keptLogNorm } = constants;
  for (let i = 0; i < m; i++) {
    const s = sigmas[i] as number;
    invSigmas[i] = 1 / s;
    const pos = i > 0 ? (positions[i - 1] as number) : -1;
    if (pos >= 0 && keptSigma[pos] === s) {
      logMass[i] = keptLogMass[pos] as number;
      logNorms[i] = keptLogNorm[pos] as number;
      continue;
    }
    const mass = massInBounds(model, mus[i] as number, s);
    const lm = mass === 1 ? 0 : Math.log(mass);
    logMass[i] = lm;
    const norm = (s === minSigma ? minNorm : -Math.log(s) - HALF_LOG_2PI) - lm;
    logNorms[i] = norm;
    if (pos < 0) continue;
    keptSigma[pos] = s;
    keptLogMass[pos] = lm;
    keptLogNorm[pos] = norm;
  }
  return { kind: "numeric", model, mus, sigmas, logMass, invSigmas, logNorms };
}

/** A categorical dimension's option tables for one eps, kept per model for the next fit with the same eps (tables are never written after they are made). */
const categoricalTables = new WeakMap<CategoricalModel, { eps: number; table: Float64Array; logTable: Float64Array; rowMax: Float64Array }>();

function categoricalDim(model: CategoricalModel, options: Int32Array, eps: number): CategoricalDim {
  const { size } = model;
  let tables = categoricalTables.get(model);
  if (tables?.eps !== eps) {
    const table = new Float64Array((size + 1) * size);
    for (let k = 0; k < size; k++) table[k] = model.prior[k] as number;
    for (let c = 0; c < size; c++) {
      for (let k = 0; k < size; k++) table[(c + 1) * size + k] = eps * (model.prior[k] as number) + (k === c ? 1 - eps : 0);
    }
    const logTable = logsOf(table, new Float64Array(table.length));
    const rowMax = new Float64Array(size + 1).fill(-Infinity);
    for (let row = 0; row <= size; row++) {
      for (let k = 0; k < size; k++) rowMax[row] = Math.max(rowMax[row] as number, logTable[row * size + k] as number);
    }
    categoricalTables.set(model, (tables = { eps, table, logTable, rowMax }));
  }
  return { kind: "categorical", size, offset: model.offset, options, table: tables.table, logTable: tables.logTable, rowMax: tables.rowMax };
}

/** Writes Math.log of each entry to `out`, computed once per run of equal entries (the observations' weights are equal without forgetting). */
function logsOf(xs: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < xs.length; i++) out[i] = i > 0 && xs[i] === xs[i - 1] ? (out[i - 1] as number) : Math.log(xs[i] as number);
  return out;
}

const componentMaps = new WeakMap<GroupColumns, Int32Array>();

/** A position-to-component map kept per columns; only the entries of the positions being fitted are set and read. */
function componentMapOf(cols: GroupColumns): Int32Array {
  let map = componentMaps.get(cols);
  if (!map || map.length < cols.count) componentMaps.set(cols, (map = new Int32Array(Math.max(cols.count, 2 * (map?.length ?? 0), 16))));
  return map;
}

/**
 * Fits the joint estimator to one side of the split: the trials on side `which` where the
 * group was active, in position order (the "above" side thinned to `maxAboveComponents`).
 * Numeric dimensions get truncated Gaussian kernels; categorical ones put 1 - eps on the
 * observed option and eps spread by the prior (see categoricalEps). With `arena`, the numeric
 * arrays and weights are taken from it, valid until its next take.
 */
export function fitJoint(params: readonly GroupParam[], cols: GroupColumns, side: Uint8Array, which: Side, settings: KernelSettings, arena?: Arena): JointMixture {
  const observations = which === "above" ? aboveObservations(cols, side, settings.maxAboveComponents) : belowObservations(cols, side);
  return fitObservations(params, cols, observations, which, settings, arena);
}

function sameEntries(a: Int32Array | Float64Array, b: Int32Array | Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function sameObservations(a: SideObservations, b: SideObservations): boolean {
  return a.total === b.total && sameEntries(a.positions, b.positions) && sameEntries(a.ranks, b.ranks) && sameEntries(a.counts, b.counts);
}

/**
 * One side's fit kept for the next suggestion. A fit depends only on the parameters, the
 * columns, the side's observations and the settings (a trial's values never change within one columns object), so
 * while those stay the same the last fit is returned again. Late in a search the "below" side
 * keeps the same trials for most suggestions (at 5000 trials of the speed suite's mixed10d,
 * 96% of them). A returned fit is valid until the next call.
 */
export class KeptFit {
  private readonly arena = new Arena();
  private last: { params: readonly GroupParam[]; cols: GroupColumns; observations: SideObservations; which: Side; settings: KernelSettings; mix: JointMixture } | undefined;

  fit(params: readonly GroupParam[], cols: GroupColumns, observations: SideObservations, which: Side, settings: KernelSettings): JointMixture {
    const last = this.last;
    if (last?.params === params && last.cols === cols && last.which === which && last.settings === settings && sameObservations(last.observations, observations)) return last.mix;
    const mix = fitObservations(params, cols, observations, which, settings, this.arena);
    this.last = { params, cols, observations, which, settings, mix };
    return mix;
  }
}

function fitObservations(params: readonly GroupParam[], cols: GroupColumns, observations: SideObservations, which: Side, settings: KernelSettings, arena?: Arena): JointMixture {
  const { positions, ranks, counts, total } = observations;
  const n = positions.length;
  const m = n + 1;
  const component = componentMapOf(cols);
  for (let k = 0; k < n; k++) component[positions[k] as number] = k + 1;
  const forget = settings.linearForgetting > 0 ? forgettingWeights(total, settings.linearForgetting) : undefined;
  let numericCount = 0;
  for (let d = 0; d < params.length; d++) if ((params[d] as GroupParam).model.kind === "numeric") numericCount++;
  const buffer = arrayOf(m * (5 * numericCount + 2), arena);
  const weights = buffer.subarray(0, m);
  weights[0] = settings.priorWeight;
  let observedWeight = 0;
  for (let i = 0; i < n; i++) {
    weights[i + 1] = (forget ? (forget[ranks[i] as number] as number) : 1) * (counts[i] as number);
    observedWeight += weights[i + 1] as number;
  }
  normalizeWeights(weights);
  const logWeights = logsOf(weights, buffer.subarray(m, 2 * m));
  const neighbours = settings.bandwidth === "neighbour" && m > 2;
  const slot = which === "above" ? 1 : 0;
  const options = new Int32Array(m * (params.length - numericCount));
  const dims: JointDim[] = [];
  for (let d = 0, used = 2 * m, c = 0; d < params.length; d++) {
    const { model, branching = false } = params[d] as GroupParam;
    const values = cols.values[d] as Float64Array;
    if (model.kind === "categorical") {
      const observed = observedOptions(values, positions, options.subarray(c, (c += m)));
      dims.push(categoricalDim(model, observed, categoricalEps(settings, model.size, branching, observedWeight)));
      continue;
    }
    const order = neighbours ? orderByValue(cols, d, slot, positions) : undefined;
    dims.push(numericDim(model, values, positions, order, component, kernelConstants(cols, d), numericCount, settings, buffer.subarray(used, (used += 5 * m))));
  }
  return { weights, logWeights, dims, positions };
}

/** Writes to `options` a categorical dimension's observed option per component: -1 for the prior, then each observation's. */
function observedOptions(values: Float64Array, positions: Int32Array, options: Int32Array): Int32Array {
  options[0] = -1;
  for (let k = 0; k < positions.length; k++) options[k + 1] = values[positions[k] as number] as number;
  return options;
}
