import type { GroupColumns } from "./observations.js";
import { positionsOffAbove, sideCode } from "./split.js";

/** A side's observations: trial positions in order, each one's rank among all the side's trials and how many trials it stands for. */
export interface SideObservations {
  readonly positions: Int32Array;
  readonly ranks: Int32Array;
  readonly counts: Float64Array;
  /** All the side's active trials, before thinning. */
  readonly total: number;
}

function unthinned(positions: Int32Array): SideObservations {
  const total = positions.length;
  const ranks = new Int32Array(total);
  for (let i = 0; i < total; i++) ranks[i] = i;
  return { positions, ranks, counts: new Float64Array(total).fill(1), total };
}

/** The "below" trials where the group was active, in position order. */
export function belowObservations(cols: GroupColumns, side: Uint8Array): SideObservations {
  const positions: number[] = [];
  const off = positionsOffAbove(side);
  for (let i = 0; i < off.length; i++) {
    const pos = off[i] as number;
    if (side[pos] === sideCode.below && cols.active[pos]) positions.push(pos);
  }
  return unthinned(Int32Array.from(positions));
}

/** Index in cols.activePositions of each active position of `off` (ascending), ascending. */
function activeIndices(cols: GroupColumns, off: Int32Array): Int32Array {
  const out: number[] = [];
  const active = cols.activePositions;
  for (let i = 0; i < off.length; i++) {
    const pos = off[i] as number;
    if (!cols.active[pos]) continue;
    let lo = 0;
    let hi = cols.activeCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((active[mid] as number) < pos) lo = mid + 1;
      else hi = mid;
    }
    out.push(lo);
  }
  return Int32Array.from(out);
}

/**
 * The older trials kept: the active trials before the recent window (indices below
 * `windowStart`) are cut into slots of `stride` consecutive ones (the smallest power of two that
 * makes at most `slots` of them), and each slot is represented by its first trial that is
 * above (`skip` holds the active indices that are not, ascending). A slot's representative
 * changes only when that trial changes sides, and when the stride doubles the new slots keep
 * the representatives of every other old one, so the kept set, and the model fitted to it,
 * changes little from one suggestion to the next. Ranks count the above trials before each.
 */
function thinOlder(cols: GroupColumns, skip: Int32Array, windowStart: number, slots: number): { positions: number[]; ranks: number[] } {
  let stride = 1;
  while (Math.ceil(windowStart / stride) > slots) stride *= 2;
  const positions: number[] = [];
  const ranks: number[] = [];
  let s = 0;
  for (let start = 0; start < windowStart; start += stride) {
    const end = Math.min(start + stride, windowStart);
    let j = start;
    while (s < skip.length && (skip[s] as number) < j) s++;
    while (j < end && s < skip.length && skip[s] === j) {
      j++;
      s++;
    }
    if (j === end) continue;
    positions.push(cols.activePositions[j] as number);
    ranks.push(j - s);
  }
  return { positions, ranks };
}

/**
 * How many observations a thinned "above" model keeps: half the cap (at least one), the newest
 * half of them and at most the rest spread over the older trials. Half, because a long search's
 * "above" model was measured as good with 128 components as with 256 (docs/algorithms.md).
 */
export function thinnedSize(cap: number): { recent: number; slots: number } {
  const size = Math.max(1, cap >> 1);
  return { recent: size >> 1, slots: size - (size >> 1) };
}

/**
 * The "above" trials where the group was active, in position order. Beyond `cap` of them (0:
 * no cap), the model is thinned (see thinnedSize): the newest trials are kept, and older ones
 * spread over the older trials (see thinOlder), each standing for an equal share of them.
 */
export function aboveObservations(cols: GroupColumns, side: Uint8Array, cap: number): SideObservations {
  const skip = activeIndices(cols, positionsOffAbove(side));
  const activeCount = cols.activeCount;
  const total = activeCount - skip.length;
  if (cap <= 0 || total <= cap) {
    const positions = new Int32Array(total);
    for (let j = 0, s = 0, at = 0; j < activeCount; j++) {
      if (s < skip.length && skip[s] === j) s++;
      else positions[at++] = cols.activePositions[j] as number;
    }
    return unthinned(positions);
  }
  const { recent, slots } = thinnedSize(cap);
  let windowStart = activeCount;
  for (let found = 0, s = skip.length - 1; found < recent; ) {
    windowStart--;
    if (s >= 0 && skip[s] === windowStart) s--;
    else found++;
  }
  const older = thinOlder(cols, skip, windowStart, slots);
  const kept = older.positions.length;
  const m = kept + recent;
  const positions = new Int32Array(m);
  const ranks = new Int32Array(m);
  const counts = new Float64Array(m).fill(1);
  const share = (total - recent) / kept;
  for (let i = 0; i < kept; i++) {
    positions[i] = older.positions[i] as number;
    ranks[i] = older.ranks[i] as number;
    counts[i] = share;
  }
  let s = 0;
  while (s < skip.length && (skip[s] as number) < windowStart) s++;
  for (let j = windowStart, r = 0; j < activeCount; j++) {
    if (s < skip.length && skip[s] === j) {
      s++;
      continue;
    }
    positions[kept + r] = cols.activePositions[j] as number;
    ranks[kept + r] = total - recent + r;
    r++;
  }
  return { positions, ranks, counts, total };
}
