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
  /** Sweeps candidate j of the sweeper whose arrays the descriptor at `desc` places (see sweep.wat). */
  sweep(desc: number, j: number): void;
  /** Component i's terms at every candidate (see sweep.wat). */
  component(desc: number, i: number): void;
}

const PAGE = 65536;

/** The WebAssembly API of the runtime (Node's global; typed here as TypeScript's ES libraries do not declare it). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } } }).WebAssembly;

/**
 * The joint scorer's sweeps in WebAssembly (sweep.wat): one module instance and memory per
 * thread, holding one sweeper's arrays at a time. A sweeper checks `owner` before a call and
 * writes its arrays again when another sweeper has used the memory since.
 */
class SweepKernel {
  readonly sweep: SweepExports["sweep"];
  readonly component: SweepExports["component"];
  private readonly memory: KernelMemory;
  /** Views of the whole memory, replaced when it grows. */
  f64: Float64Array;
  i32: Int32Array;
  /** The sweeper whose arrays the memory holds. */
  owner: object | undefined;

  constructor() {
    const instance = new wasm.Instance(new wasm.Module(Buffer.from(sweepWasm, "base64")));
    const exports = instance.exports as unknown as SweepExports;
    this.sweep = exports.sweep;
    this.component = exports.component;
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

/** Where the descriptor the kernel reads a sweeper's arrays from starts (see sweep.wat); the arrays follow it. */
const DESCRIPTOR_AT = 0;

/**
 * Where a sweeper keeps its arrays in the kernel's memory, as byte offsets (see sweep.wat). Every
 * array of components has `stride` bytes (m rounded up to even), so that each starts on 16 bytes.
 */
interface KernelLayout {
  readonly stride: number;
  readonly mus: number;
  readonly invs: number;
  readonly base: number;
  readonly qsq: number;
  readonly swept: number;
  readonly partial: number;
  /** The candidates' numeric intervals, row j at low + 8 * j * width. */
  readonly low: number;
  readonly high: number;
  /** Per categorical dimension u, its components' options (i32, at options + u * stride / 2) and its log table. */
  readonly options: number;
  readonly tables: readonly number[];
  /** Per candidate j and categorical dimension u, the table column of its option (i32, at columns + 4 * (j * categorical + u)). */
  readonly columns: number;
  /** One component's term per candidate (see Sweeper.component). */
  readonly terms: number;
  readonly bytes: number;
}

const DESCRIPTOR_FIELDS = 17;

const align16 = (bytes: number): number => 16 * Math.ceil(bytes / 16);

function kernelLayout(m: number, w: number, count: number, categorical: readonly SweptCategorical[]): KernelLayout {
  const c = categorical.length;
  const stride = align16(8 * m);
  const mus = align16(DESCRIPTOR_AT + 4 * (DESCRIPTOR_FIELDS + 2 * c));
  const invs = mus + w * stride;
  const base = invs + w * stride;
  const qsq = base + stride;
  const swept = qsq + stride;
  const partial = swept + stride;
  const low = partial + stride;
  const high = low + align16(8 * count * w);
  const options = high + align16(8 * count * w);
  const columns = options + (c * stride) / 2;
  const terms = align16(columns + 4 * count * c);
  let at = align16(terms + 8 * count);
  const tables: number[] = [];
  for (const dim of categorical) {
    tables.push(at);
    at = align16(at + 8 * dim.logTable.length);
  }
  return { stride, mus, invs, base, qsq, swept, partial, low, high, options, tables, columns, terms, bytes: at };
}

/** A numeric dimension as the sweeps read it: per component, its mean and 1 / bandwidth. */
export type SweptNumeric = Pick<NumericDim, "mus" | "invSigmas">;

/** A categorical dimension as the sweeps read it. */
export type SweptCategorical = Pick<CategoricalDim, "size" | "offset" | "options" | "logTable">;

/** Candidates as the sweeps read them. */
export type SweptCandidates = Pick<ScoringCandidates, "count" | "width" | "otherWidth" | "low" | "high" | "values">;

/**
 * The sweeps of one mixture (m components) at each of some candidates, run by this thread's
 * kernel; each array holds exactly its m entries (a candidates' array, count rows). The numeric
 * dimensions come quantized ones first (`quantizedCount` of them); a candidate's categorical
 * values are the first entries of its `values` row. After `sweep(j)`,
 * per component i: f64[swept + i] is the squared distance in sigmas from its mean to candidate
 * j over all numeric dimensions, and f64[partial + i] is base[i] minus half that over the
 * continuous ones plus its categorical log terms. After `component(i)`, f64[terms + j] is
 * component i's partial term at candidate j, the same as f64[partial + i] after `sweep(j)`. The
 * arrays are written to the kernel's memory when the sweeper first runs, and again when another
 * sweeper ran since.
 */
export class Sweeper {
  /** Indices in the kernel's f64 view of the results of the last sweep. */
  readonly swept: number;
  readonly partial: number;
  readonly terms: number;
  private readonly kernel = sweepKernel();
  private readonly at: KernelLayout;

  constructor(
    private readonly m: number,
    private readonly numeric: readonly SweptNumeric[],
    private readonly quantizedCount: number,
    private readonly base: Float64Array,
    private readonly categorical: readonly SweptCategorical[],
    private readonly cands: SweptCandidates,
  ) {
    this.at = kernelLayout(m, cands.width, cands.count, categorical);
    this.swept = this.at.swept / 8;
    this.partial = this.at.partial / 8;
    this.terms = this.at.terms / 8;
  }

  /** Sweeps candidate j; returns the kernel's f64 view, where the results are. */
  sweep(j: number): Float64Array {
    const { kernel, at } = this;
    if (kernel.owner !== this) this.upload();
    kernel.sweep(DESCRIPTOR_AT, j);
    return kernel.f64;
  }

  /** Component i's partial term at every candidate; returns the kernel's f64 view, where the results are. */
  component(i: number): Float64Array {
    const { kernel, at } = this;
    if (kernel.owner !== this) this.upload();
    kernel.component(DESCRIPTOR_AT, i);
    return kernel.f64;
  }

  private upload(): void {
    const { kernel, at, m, numeric, quantizedCount, base, categorical, cands } = this;
    kernel.reserve(at.bytes);
    const { f64, i32 } = kernel;
    const { count, width: w, otherWidth: o, values } = cands;
    const c = categorical.length;
    const desc = DESCRIPTOR_AT / 4;
    i32.set([m, w, quantizedCount, at.stride, at.mus, at.invs, at.low, at.high, at.base, at.qsq, at.swept, at.partial, c, at.options, at.columns, count, at.terms], desc);
    for (let t = 0; t < w; t++) {
      const dim = numeric[t] as SweptNumeric;
      f64.set(dim.mus, (at.mus + t * at.stride) / 8);
      f64.set(dim.invSigmas, (at.invs + t * at.stride) / 8);
    }
    f64.set(base, at.base / 8);
    f64.set(cands.low, at.low / 8);
    f64.set(cands.high, at.high / 8);
    for (let u = 0; u < c; u++) {
      const dim = categorical[u] as SweptCategorical;
      const table = at.tables[u] as number;
      i32[desc + DESCRIPTOR_FIELDS + 2 * u] = table;
      i32[desc + DESCRIPTOR_FIELDS + 2 * u + 1] = dim.size;
      i32.set(dim.options, (at.options + (u * at.stride) / 2) / 4);
      f64.set(dim.logTable, table / 8);
      for (let j = 0; j < count; j++) i32[at.columns / 4 + j * c + u] = (values[j * o + u] as number) - dim.offset + dim.size;
    }
    kernel.owner = this;
  }
}
