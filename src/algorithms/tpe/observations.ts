import type { Trial } from "../../trials/trial.js";
import type { History } from "./history.js";
import { toModelSpace } from "./paramModel.js";
import type { GroupParam } from "./jointFit.js";

/**
 * The values a group of parameters took in every trial so far, by trial position: what the
 * joint estimator is fitted from. Only assignments are read, so a trial changing status
 * (running to ok) leaves the columns valid.
 */
export interface GroupColumns {
  /** Trials covered (positions 0..count-1 of the trials array). */
  count: number;
  /** 1 where the group was active in the trial. */
  active: Uint8Array;
  /** Per parameter, the trial's value: model space for numeric ones, option index for categorical ones. */
  values: Float64Array[];
  /** Per numeric parameter (empty for categorical ones): positions of the active trials sorted by (value, position). */
  sorted: Int32Array[];
  /** Number of active trials (the length in use of each `sorted` and of `activePositions`). */
  activeCount: number;
  /** Positions of the active trials, ascending. */
  activePositions: Int32Array;
  /** The history's epoch when these columns were started. */
  readonly epoch: number;
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, needed: number, make: (n: number) => T): T {
  if (a.length >= needed) return a;
  const b = make(Math.max(needed, 2 * a.length, 16));
  b.set(a);
  return b;
}

function emptyColumns(params: readonly GroupParam[], epoch: number): GroupColumns {
  return {
    count: 0,
    active: new Uint8Array(0),
    values: params.map(() => new Float64Array(0)),
    sorted: params.map(() => new Int32Array(0)),
    activeCount: 0,
    activePositions: new Int32Array(0),
    epoch,
  };
}

/** First position in sorted[0..count) whose value is above v (equal values keep position order). */
function insertionPoint(sorted: Int32Array, count: number, values: Float64Array, v: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[sorted[mid] as number] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function append(cols: GroupColumns, params: readonly GroupParam[], trial: Trial): void {
  const pos = cols.count;
  const { assignment } = trial;
  cols.active = grow(cols.active, pos + 1, (n) => new Uint8Array(n));
  const first = params[0];
  const isActive = first !== undefined && assignment[first.label] !== undefined;
  cols.active[pos] = isActive ? 1 : 0;
  params.forEach(({ label, model }, d) => {
    const values = (cols.values[d] = grow(cols.values[d] as Float64Array, pos + 1, (n) => new Float64Array(n)));
    if (!isActive) {
      values[pos] = NaN;
      return;
    }
    const raw = assignment[label] as number;
    if (model.kind === "categorical") {
      values[pos] = raw - model.offset;
      return;
    }
    const v = toModelSpace(model, raw);
    values[pos] = v;
    const sorted = (cols.sorted[d] = grow(cols.sorted[d] as Int32Array, cols.activeCount + 1, (n) => new Int32Array(n)));
    const at = insertionPoint(sorted, cols.activeCount, values, v);
    sorted.copyWithin(at + 1, at, cols.activeCount);
    sorted[at] = pos;
  });
  if (isActive) {
    cols.activePositions = grow(cols.activePositions, cols.activeCount + 1, (n) => new Int32Array(n));
    cols.activePositions[cols.activeCount++] = pos;
  }
  cols.count++;
}

const cache = new WeakMap<readonly Trial[], Map<readonly GroupParam[], GroupColumns>>();

/**
 * The group's columns over the history's trials. They are kept per trials array and extended
 * while that array only grows (see History; a trial's assignment is never replaced); otherwise
 * they are rebuilt, so the result always equals a computation from scratch.
 */
export function groupColumns({ trials, epoch }: History, params: readonly GroupParam[]): GroupColumns {
  let byGroup = cache.get(trials);
  if (!byGroup) cache.set(trials, (byGroup = new Map()));
  let cols = byGroup.get(params);
  if (cols?.epoch !== epoch) byGroup.set(params, (cols = emptyColumns(params, epoch)));
  for (let i = cols.count; i < trials.length; i++) append(cols, params, trials[i] as Trial);
  return cols;
}
