import { normalMass } from "../../rng/normal.js";
import type { CategoricalDim, NumericDim } from "./jointFit.js";
import type { ScoringCandidates } from "./scoringCandidates.js";
import { sweepWasm } from "./sweepWasm.js";

/** What the kernel uses of a WebAssembly memory. */
interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface SweepExports {
  readonly memory: KernelMemory;
  /** Where mixtures' arrays may start: after the kernel's cell-mass cache (see sweep.wat). */
  readonly arrays: { readonly value: number };
  /** The candidate-free parts of the components' terms (see sweep.wat). */
  layout(desc: number): void;
  /** The log density's terms at candidate j of the sweeper whose arrays the descriptor at `desc` places (see sweep.wat); returns how many were kept. */
  density(desc: number, j: number, lead: number, drop: number): number;
  /** Component i's log terms at every candidate not skipped (see sweep.wat). */
  componentTerms(desc: number, i: number): void;
}

const PAGE = 65536;

/** The WebAssembly API of the runtime (Node's global; typed here as TypeScript's ES libraries do not declare it). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: unknown } } }).WebAssembly;

/**
 * The joint scorer's per-candidate work in WebAssembly (sweep.wat): one module instance and
 * memory per thread, holding its cell-mass cache and one sweeper's arrays at a time. A sweeper
 * checks `owner` before a call and writes its arrays again when another sweeper has used the
 * memory since.
 */
class SweepKernel {
  readonly layout: SweepExports["layout"];
  readonly density: SweepExports["density"];
  readonly componentTerms: SweepExports["componentTerms"];
  /** Where a sweeper's descriptor goes, its arrays after it. */
  readonly descriptorAt: number;
  /** How many cell masses the kernel has asked for (those its cache did not hold). */
  cellMassRequests = 0;
  private readonly memory: KernelMemory;
  /** Views of the whole memory, replaced when it grows. */
  f64: Float64Array;
  i32: Int32Array;
  /** The sweeper whose arrays the memory holds. */
  owner: Sweeper | undefined;

  constructor() {
    const logCellMass = (a: number, b: number): number => {
      this.cellMassRequests++;
      return Math.log(normalMass(a, b));
    };
    const instance = new wasm.Instance(new wasm.Module(Buffer.from(sweepWasm, "base64")), { js: { logCellMass } });
    const exports = instance.exports as unknown as SweepExports;
    this.descriptorAt = exports.arrays.value;
    this.layout = exports.layout;
    this.density = exports.density;
    this.componentTerms = exports.componentTerms;
    this.memory = exports.memory;
    this.f64 = new Float64Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  /** Makes the memory at least `bytes` long (its views are replaced when it grows). */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.f64 = new Float64Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }
}

let kernel: SweepKernel | undefined;

/** This thread's kernel, instantiated on first use. */
function sweepKernel(): SweepKernel {
  return (kernel ??= new SweepKernel());
}

/**
 * Where a sweeper keeps its arrays in the kernel's memory, as byte offsets (see sweep.wat). Every
 * array of components has `stride` bytes (m rounded up to even), so that each starts on 16 bytes.
 */
interface KernelLayout {
  readonly stride: number;
  readonly mus: number;
  readonly invs: number;
  readonly logNorms: number;
  readonly logMass: number;
  readonly logWeights: number;
  readonly base: number;
  readonly qsq: number;
  readonly swept: number;
  readonly partial: number;
  readonly bounds2: number;
  readonly kept: number;
  /** The bounds on what each component's remaining terms add, o + 1 per component (written by the kernel's layout, as are base and bounds2). */
  readonly rest: number;
  /** The candidates' numeric intervals, row j at low + 8 * j * width. */
  readonly low: number;
  readonly high: number;
  /** The log widths of the candidates' quantized cells, row j at cellLogWidth + 8 * j * quantized dimensions. */
  readonly cellLogWidth: number;
  /** Per candidate, the cell slot of each quantized dimension (i32). */
  readonly cellSlot: number;
  /** Per cell slot, each component's term in it (m f64 per slot, NaN until computed). */
  readonly cellTerms: number;
  /** Per categorical dimension u, its components' options (i32, at options + u * stride / 2), its log table and its rows' largest entries. */
  readonly options: number;
  readonly tables: readonly number[];
  readonly rowMaxes: readonly number[];
  /** Per candidate j and categorical dimension u, the table column of its option (i32, at columns + 4 * (j * categorical + u)). */
  readonly columns: number;
  /** Per candidate, whether componentTerms skips it (i32). */
  readonly skip: number;
  /** One component's term per candidate (see Sweeper.componentTerms). */
  readonly terms: number;
  /** The best term (f64) and its component (i32) after a density call. */
  readonly out: number;
  readonly bytes: number;
}

const DESCRIPTOR_FIELDS = 28;

const align16 = (bytes: number): number => 16 * Math.ceil(bytes / 16);

/** The layout of a sweeper's arrays, its descriptor at `desc`. */
function kernelLayout(desc: number, m: number, w: number, q: number, count: number, o: number, slotCount: number, categorical: readonly SweptCategorical[]): KernelLayout {
  const c = categorical.length;
  const stride = align16(8 * m);
  const mus = align16(desc + 4 * (DESCRIPTOR_FIELDS + 3 * c));
  const invs = mus + w * stride;
  const logNorms = invs + w * stride;
  const logMass = logNorms + w * stride;
  const logWeights = logMass + q * stride;
  const base = logWeights + stride;
  const qsq = base + stride;
  const swept = qsq + stride;
  const partial = swept + stride;
  const bounds2 = partial + stride;
  const kept = bounds2 + stride;
  const rest = kept + stride;
  const low = rest + align16(8 * m * (o + 1));
  const high = low + align16(8 * count * w);
  const cellLogWidth = high + align16(8 * count * w);
  const cellTerms = cellLogWidth + align16(8 * count * q);
  const options = cellTerms + align16(8 * slotCount * m);
  const columns = options + (c * stride) / 2;
  const cellSlot = align16(columns + 4 * count * c);
  const skip = align16(cellSlot + 4 * count * q);
  const terms = align16(skip + 4 * count);
  const out = align16(terms + 8 * count);
  let at = out + 16;
  const tables: number[] = [];
  const rowMaxes: number[] = [];
  for (const dim of categorical) {
    tables.push(at);
    at = align16(at + 8 * dim.logTable.length);
    rowMaxes.push(at);
    at = align16(at + 8 * dim.rowMax.length);
  }
  return { stride, mus, invs, logNorms, logMass, logWeights, base, qsq, swept, partial, bounds2, kept, rest, low, high, cellLogWidth, cellSlot, cellTerms, options, tables, rowMaxes, columns, skip, terms, out, bytes: at };
}

/** A numeric dimension as the kernel reads it: per component, its mean, 1 / bandwidth, the log kernel's constant and the log of its mass in bounds. */
export type SweptNumeric = Pick<NumericDim, "mus" | "invSigmas" | "logNorms" | "logMass">;

/** A categorical dimension as the kernel reads it. */
export type SweptCategorical = Pick<CategoricalDim, "size" | "offset" | "options" | "logTable" | "rowMax">;

/**
 * A mixture of m components as the kernel reads it: its numeric dimensions, quantized ones
 * first (`quantizedCount` of them), its categorical ones and its components' log weights, each
 * array holding exactly its m entries.
 */
export interface SweptMixture {
  readonly numeric: readonly SweptNumeric[];
  readonly quantizedCount: number;
  readonly categorical: readonly SweptCategorical[];
  readonly logWeights: Float64Array;
}

/** Candidates as the kernel reads them. */
export type SweptCandidates = Pick<ScoringCandidates, "count" | "width" | "otherWidth" | "low" | "high" | "values" | "cellLogWidth" | "cellSlot" | "slotCount">;

/**
 * One mixture's per-candidate work (its m components, at each of some candidates), run by this
 * thread's kernel (see sweep.wat for what each call computes). A candidate's categorical values
 * are the first entries of its `values` row. After `density(j, ...)`, per component i:
 * f64[swept + i] is the squared distance in sigmas from its mean to candidate j over all
 * numeric dimensions, f64[partial + i] is base[i] minus half that over the continuous ones plus
 * its categorical log terms, and the kept terms are at f64[kept ...]. The arrays are written to
 * the kernel's memory when the sweeper first runs, and again (with its cell terms forgotten)
 * when another sweeper ran since.
 */
export class Sweeper {
  /** Indices in the kernel's f64 view of the layout (per component; rest o + 1 per component) and of the results. */
  readonly base: number;
  readonly rest: number;
  readonly bounds2: number;
  readonly swept: number;
  readonly partial: number;
  readonly kept: number;
  readonly terms: number;
  /** The best term of the last density call and its component. */
  best = -Infinity;
  lead = 0;
  private readonly kernel = sweepKernel();
  private readonly desc = this.kernel.descriptorAt;
  private readonly at: KernelLayout;
  /** Components of the mixture. */
  private readonly m: number;

  constructor(
    private readonly mix: SweptMixture,
    private readonly cands: SweptCandidates,
  ) {
    this.m = mix.logWeights.length;
    this.at = kernelLayout(this.desc, this.m, cands.width, mix.quantizedCount, cands.count, cands.otherWidth, cands.slotCount, mix.categorical);
    this.base = this.at.base / 8;
    this.rest = this.at.rest / 8;
    this.bounds2 = this.at.bounds2 / 8;
    this.swept = this.at.swept / 8;
    this.partial = this.at.partial / 8;
    this.kept = this.at.kept / 8;
    this.terms = this.at.terms / 8;
  }

  /**
   * The terms of candidate j's log density: component `lead` first, then every component whose
   * bound reaches the best term so far minus `drop`; returns how many were kept (at
   * f64[kept ...] of `view`) and sets `best` and `lead`.
   */
  density(j: number, lead: number, drop: number): number {
    const { kernel, at } = this;
    if (kernel.owner !== this) this.upload();
    const count = kernel.density(this.desc, j, lead, drop);
    this.best = kernel.f64[at.out / 8] as number;
    this.lead = kernel.i32[at.out / 4 + 2] as number;
    return count;
  }

  /** The kernel's f64 view, where the results are (valid until the next call). */
  get view(): Float64Array {
    return this.kernel.f64;
  }

  /** How many cell masses this thread's kernel has computed so far (each one its cache did not hold). */
  get cellMassRequests(): number {
    return this.kernel.cellMassRequests;
  }

  /** Component i's full log term at each candidate j with skip[j] = 0, at f64[terms + j] of `view`. */
  componentTerms(i: number, skip: Uint8Array): void {
    const { kernel, at } = this;
    if (kernel.owner !== this) this.upload();
    const { i32 } = kernel;
    for (let j = 0; j < skip.length; j++) i32[at.skip / 4 + j] = skip[j] as number;
    kernel.componentTerms(this.desc, i);
  }

  private upload(): void {
    const { kernel, at, m, mix, cands } = this;
    const { numeric, quantizedCount: q, categorical } = mix;
    kernel.reserve(at.bytes);
    const { f64, i32 } = kernel;
    const { count, width: w, otherWidth: o, values } = cands;
    const c = categorical.length;
    const desc = this.desc / 4;
    i32.set(
      [
        m, w, q, at.stride, at.mus, at.invs, at.low, at.high, at.base, at.qsq, at.swept, at.partial, c, at.options,
        at.columns, count, at.terms, at.rest, at.bounds2, at.logNorms, at.cellLogWidth, at.cellSlot, at.cellTerms,
        at.kept, at.skip, at.out, at.logWeights, at.logMass,
      ],
      desc,
    );
    for (let t = 0; t < w; t++) {
      const dim = numeric[t] as SweptNumeric;
      f64.set(dim.mus, (at.mus + t * at.stride) / 8);
      f64.set(dim.invSigmas, (at.invs + t * at.stride) / 8);
      f64.set(dim.logNorms, (at.logNorms + t * at.stride) / 8);
      if (t < q) f64.set(dim.logMass, (at.logMass + t * at.stride) / 8);
    }
    f64.set(mix.logWeights, at.logWeights / 8);
    f64.set(cands.low, at.low / 8);
    f64.set(cands.high, at.high / 8);
    f64.set(cands.cellLogWidth, at.cellLogWidth / 8);
    i32.set(cands.cellSlot, at.cellSlot / 4);
    f64.fill(NaN, at.cellTerms / 8, at.cellTerms / 8 + cands.slotCount * m);
    for (let u = 0; u < c; u++) {
      const dim = categorical[u] as SweptCategorical;
      const table = at.tables[u] as number;
      const rowMax = at.rowMaxes[u] as number;
      i32[desc + DESCRIPTOR_FIELDS + 3 * u] = table;
      i32[desc + DESCRIPTOR_FIELDS + 3 * u + 1] = dim.size;
      i32[desc + DESCRIPTOR_FIELDS + 3 * u + 2] = rowMax;
      i32.set(dim.options, (at.options + (u * at.stride) / 2) / 4);
      f64.set(dim.logTable, table / 8);
      f64.set(dim.rowMax, rowMax / 8);
      for (let j = 0; j < count; j++) i32[at.columns / 4 + j * c + u] = (values[j * o + u] as number) - dim.offset + dim.size;
    }
    kernel.layout(this.desc);
    kernel.owner = this;
  }
}
