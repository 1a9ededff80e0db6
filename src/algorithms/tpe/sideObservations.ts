import type { GroupColumns } from "./observations.js";

/** A side's observations: trial positions in order, each one's rank among all the side's trials and how many trials it stands for. */
export interface SideObservations {
  readonly positions: Int32Array;
  readonly ranks: Int32Array;
  readonly counts: Float64Array;
  /** All the side's active trials, before thinning. */
  readonly total: number;
}

/**
 * The older trials kept by `sideObservations`: the active trials before the recent window are
 * cut into slots of `stride` consecutive ones (the smallest power of two that makes at most
 * `slots` of them), and each slot is represented by its first trial on the side. A slot's
 * representative changes only when that trial changes sides, and when the stride doubles the
 * new slots keep the representatives of every other old one, so the kept set, and the model
 * fitted to it, changes little from one suggestion to the next.
 */
function thinOlder(cols: GroupColumns, side: Uint8Array, code: number, windowStart: number, slots: number): { positions: number[]; ranks: number[] } {
  const active = cols.activePositions;
  let stride = 1;
  while (Math.ceil(windowStart / stride) > slots) stride *= 2;
  const positions: number[] = [];
  const ranks: number[] = [];
  let rank = 0;
  let nextSlot = 0;
  for (let j = 0; j < windowStart; j++) {
    const pos = active[j] as number;
    if (side[pos] !== code) continue;
    if (j >= nextSlot) {
      positions.push(pos);
      ranks.push(rank);
      nextSlot = (Math.floor(j / stride) + 1) * stride;
    }
    rank++;
  }
  return { positions, ranks };
}

/**
 * The trials on one side where the group was active, in position order. Beyond `cap` of them
 * (0: no cap), the newest cap / 2 are kept, and at most cap - cap / 2 older ones spread evenly
 * over the older trials (see thinOlder), each standing for an equal share of the older trials.
 */
export function sideObservations(cols: GroupColumns, side: Uint8Array, code: number, cap: number): SideObservations {
  const active = cols.activePositions;
  const activeCount = cols.activeCount;
  let total = 0;
  for (let j = 0; j < activeCount; j++) if (side[active[j] as number] === code) total++;
  if (cap <= 0 || total <= cap) {
    const positions = new Int32Array(total);
    for (let j = 0, at = 0; j < activeCount; j++) if (side[active[j] as number] === code) positions[at++] = active[j] as number;
    const ranks = new Int32Array(total);
    for (let i = 0; i < total; i++) ranks[i] = i;
    return { positions, ranks, counts: new Float64Array(total).fill(1), total };
  }
  const recent = cap >> 1;
  let windowStart = activeCount;
  for (let found = 0; found < recent; ) if (side[active[--windowStart] as number] === code) found++;
  const older = thinOlder(cols, side, code, windowStart, cap - recent);
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
  for (let j = windowStart, r = 0; j < activeCount; j++) {
    const pos = active[j] as number;
    if (side[pos] !== code) continue;
    positions[kept + r] = pos;
    ranks[kept + r] = total - recent + r;
    r++;
  }
  return { positions, ranks, counts, total };
}
