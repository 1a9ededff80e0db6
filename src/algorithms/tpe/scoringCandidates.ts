import type { JointDim, NumericDim } from "./jointFit.js";
import { writeQuantizedCell } from "./kernels.js";
import { toModelSpace } from "./paramModel.js";

/**
 * The order in which scoring reads a group's dimensions: the numeric ones (quantized first,
 * then continuous ones) and the "others" (categorical ones, then the quantized ones again,
 * whose cells get a term of their own). It depends only on the parameters, so a group's
 * "below" and "above" mixtures share it.
 */
export interface DimOrder {
  readonly numericIndex: Int32Array;
  readonly quantizedCount: number;
  readonly othersIndex: Int32Array;
  readonly categoricalCount: number;
}

export function dimOrder(dims: readonly JointDim[]): DimOrder {
  let categoricalCount = 0;
  let quantizedCount = 0;
  for (let d = 0; d < dims.length; d++) {
    const dim = dims[d] as JointDim;
    if (dim.kind === "categorical") categoricalCount++;
    else if (dim.model.q !== undefined) quantizedCount++;
  }
  const numericIndex = new Int32Array(dims.length - categoricalCount);
  const othersIndex = new Int32Array(categoricalCount + quantizedCount);
  for (let d = 0, c = 0, q = 0, u = quantizedCount; d < dims.length; d++) {
    const dim = dims[d] as JointDim;
    if (dim.kind === "categorical") othersIndex[c++] = d;
    else if (dim.model.q === undefined) numericIndex[u++] = d;
    else {
      numericIndex[q] = d;
      othersIndex[categoricalCount + q++] = d;
    }
  }
  return { numericIndex, quantizedCount, othersIndex, categoricalCount };
}

/**
 * Candidates laid out once for every scorer of their group, row j for candidate j: the numeric
 * values as intervals in model space (a quantized value's cell, a point for continuous ones),
 * in DimOrder's numeric order (with the log of each cell's width), and the others' values.
 */
export class ScoringCandidates {
  /** The order of the dimensions, shared by every mixture over the same parameters. */
  readonly order: DimOrder;
  readonly count: number;
  /** Numeric dimensions per row. */
  readonly width: number;
  /** Other dimensions per row. */
  readonly otherWidth: number;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly values: Float64Array;
  /** Row j, quantizedCount per row: the log of the width of each quantized value's cell (0 for a cell of width 0), which the midpoint rule's term needs. */
  readonly cellLogWidth: Float64Array;
  /**
   * Row j, quantizedCount per row: which of the distinct cells of that quantized dimension
   * candidate j is in, numbered across dimensions (candidates drawn near one another often share
   * cells, whose terms a scorer then computes once).
   */
  readonly cellSlot: Int32Array;
  /** Number of distinct cells over all quantized dimensions. */
  readonly slotCount: number;

  /** Lays out `candidates` (label values in the parameters' own scale) for mixtures over `dims`. */
  constructor(dims: readonly JointDim[], candidates: readonly Float64Array[]) {
    this.order = dimOrder(dims);
    const { numericIndex, quantizedCount, othersIndex, categoricalCount } = this.order;
    const c = numericIndex.length;
    const o = othersIndex.length;
    const n = candidates.length;
    this.count = n;
    this.width = c;
    this.otherWidth = o;
    const buffer = new Float64Array(n * (2 * c + o + quantizedCount));
    this.low = buffer.subarray(0, n * c);
    this.high = buffer.subarray(n * c, 2 * n * c);
    this.values = buffer.subarray(2 * n * c, n * (2 * c + o));
    this.cellLogWidth = buffer.subarray(n * (2 * c + o));
    for (let j = 0; j < n; j++) {
      const cand = candidates[j] as Float64Array;
      for (let t = 0; t < c; t++) {
        const { model } = dims[numericIndex[t] as number] as NumericDim;
        const value = cand[numericIndex[t] as number] as number;
        if (t >= quantizedCount) {
          this.low[j * c + t] = this.high[j * c + t] = toModelSpace(model, value);
          continue;
        }
        writeQuantizedCell(model, value, this.low, this.high, j * c + t);
        const width = (this.high[j * c + t] as number) - (this.low[j * c + t] as number);
        this.cellLogWidth[j * quantizedCount + t] = width > 0 ? Math.log(width) : 0;
      }
      for (let t = 0; t < o; t++) this.values[j * o + t] = cand[othersIndex[t] as number] as number;
    }
    const slotBuffer = new Int32Array(2 * n * quantizedCount);
    this.cellSlot = slotBuffer.subarray(0, n * quantizedCount);
    const owner = slotBuffer.subarray(n * quantizedCount);
    let slots = 0;
    for (let t = 0; t < quantizedCount; t++) {
      const first = slots;
      for (let j = 0; j < n; j++) {
        const value = this.values[j * o + categoricalCount + t] as number;
        let slot = first;
        while (slot < slots && this.values[(owner[slot] as number) * o + categoricalCount + t] !== value) slot++;
        if (slot === slots) owner[slots++] = j;
        this.cellSlot[j * quantizedCount + t] = slot;
      }
    }
    this.slotCount = slots;
  }
}

/** `candidates` laid out for mixtures over `dims`, unless they already are. */
export function laidOut(dims: readonly JointDim[], candidates: readonly Float64Array[] | ScoringCandidates): ScoringCandidates {
  return candidates instanceof ScoringCandidates ? candidates : new ScoringCandidates(dims, candidates);
}
