import type { GroupColumns } from "./observations.js";

/**
 * One (dimension, slot)'s last ordering: its positions (ascending) and the same positions by
 * value, in one of two buffers that calls take in turn (a call reads the last order from one
 * and writes the new one to the other).
 */
interface LastOrder {
  positions: Int32Array;
  order: Int32Array;
  readonly buffers: [Int32Array, Int32Array];
  turn: number;
}

/** Per columns: the last ordering per (dimension, slot), and a byte per position for membership marks (kept at 0 between calls). */
interface OrderCache {
  readonly last: (LastOrder | undefined)[];
  marks: Uint8Array;
}

const caches = new WeakMap<GroupColumns, OrderCache>();

function cacheOf(cols: GroupColumns): OrderCache {
  let cache = caches.get(cols);
  if (!cache) caches.set(cols, (cache = { last: [], marks: new Uint8Array(0) }));
  if (cache.marks.length < cols.count) cache.marks = new Uint8Array(Math.max(cols.count, 2 * cache.marks.length, 16));
  return cache;
}

/** Whether position a goes before position b: by value, ties by position. */
function before(values: Float64Array, a: number, b: number): boolean {
  const va = values[a] as number;
  const vb = values[b] as number;
  return va < vb || (va === vb && a < b);
}

/**
 * `positions` sorted from scratch, by sorting them or, when that costs more (a comparison sort
 * of n costs about as much as walking 4 n log2 n sorted positions), by reading them off the
 * columns' sorted positions.
 */
function orderFromScratch(cols: GroupColumns, d: number, positions: Int32Array, marks: Uint8Array, order: Int32Array): Int32Array {
  const values = cols.values[d] as Float64Array;
  const n = positions.length;
  if (4 * n * Math.log2(n + 1) < cols.activeCount) {
    order.set(positions);
    return order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  }
  const sorted = cols.sorted[d] as Int32Array;
  for (let k = 0; k < n; k++) marks[positions[k] as number] = 1;
  for (let r = 0, at = 0; r < cols.activeCount; r++) if (marks[sorted[r] as number]) order[at++] = sorted[r] as number;
  for (let k = 0; k < n; k++) marks[positions[k] as number] = 0;
  return order;
}

type Difference = { added: number[]; removed: number[] } | undefined;

/** The positions of `now` missing from `last` and of `last` missing from `now` (both ascending), or undefined when more than half of now's are new. */
function difference(last: Int32Array, now: Int32Array): Difference {
  const added: number[] = [];
  const removed: number[] = [];
  let i = 0;
  let j = 0;
  while (i < last.length || j < now.length) {
    const a = i < last.length ? (last[i] as number) : Infinity;
    const b = j < now.length ? (now[j] as number) : Infinity;
    if (a === b) {
      i++;
      j++;
    } else if (a < b) {
      removed.push(a);
      i++;
    } else {
      added.push(b);
      if (2 * added.length > now.length) return undefined;
      j++;
    }
  }
  return { added, removed };
}

/** The last order without `removed`, with `added` inserted in place, written to `order`. */
function updatedOrder(values: Float64Array, last: Int32Array, added: readonly number[], removed: readonly number[], marks: Uint8Array, order: Int32Array): Int32Array {
  for (let i = 0; i < removed.length; i++) marks[removed[i] as number] = 1;
  let len = 0;
  for (let r = 0; r < last.length; r++) if (!marks[last[r] as number]) order[len++] = last[r] as number;
  for (let i = 0; i < removed.length; i++) marks[removed[i] as number] = 0;
  for (let i = 0; i < added.length; i++) {
    const pos = added[i] as number;
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(values, order[mid] as number, pos)) lo = mid + 1;
      else hi = mid;
    }
    order.copyWithin(lo + 1, lo, len);
    order[lo] = pos;
    len++;
  }
  return order;
}

/** The last difference taken, by the identity of its two arrays: a fit orders every numeric dimension from the same last positions to the same new ones. */
let lastDifference: { last: Int32Array; now: Int32Array; diff: Difference } | undefined;

function differenceOf(last: Int32Array, now: Int32Array): Difference {
  if (lastDifference?.last !== last || lastDifference.now !== now) lastDifference = { last, now, diff: difference(last, now) };
  return lastDifference.diff;
}

/** The (dimension, slot)'s buffer for this call's order, at least n long. */
function nextBuffer(entry: LastOrder, n: number): Int32Array {
  entry.turn = 1 - entry.turn;
  let buffer = entry.buffers[entry.turn] as Int32Array;
  if (buffer.length < n) entry.buffers[entry.turn] = buffer = new Int32Array(Math.max(n, 2 * buffer.length));
  return buffer.subarray(0, n);
}

/**
 * `positions` (ascending, each an active trial of the columns) sorted by dimension d's value,
 * ties by position. The last ordering of the same (dimension, slot) is kept per columns and
 * updated by what changed, as one side's observations change little from one fit to the next;
 * the result always equals a sort from scratch. The returned array stays valid until the
 * second call after this one for the same (dimension, slot).
 */
export function orderByValue(cols: GroupColumns, d: number, slot: number, positions: Int32Array): Int32Array {
  const cache = cacheOf(cols);
  const none = new Int32Array(0);
  const entry = (cache.last[2 * d + slot] ??= { positions: none, order: none, buffers: [none, none], turn: 0 });
  // From no last positions, every position is new: difference() says to sort from scratch.
  const diff = differenceOf(entry.positions, positions);
  const out = nextBuffer(entry, positions.length);
  entry.order = diff ? updatedOrder(cols.values[d] as Float64Array, entry.order, diff.added, diff.removed, cache.marks, out) : orderFromScratch(cols, d, positions, cache.marks, out);
  entry.positions = positions;
  return entry.order;
}
