import { lossOf, type Trial } from "../../trials/trial.js";
import type { History } from "./history.js";

/**
 * The finished trials of a history sorted by loss, kept per trials array and updated as the
 * array grows and its running trials finish, so that a long search does not re-read and
 * re-rank its whole history for every suggestion.
 */
export interface LossOrder {
  /** The history's epoch when this order was started. */
  readonly epoch: number;
  /** Positions read so far (0..count-1). */
  count: number;
  /** Positions of the trials that were running when last seen, ascending. */
  running: number[];
  /** Finished positions sorted by (loss, position); the first `finished` entries are in use. */
  order: Int32Array;
  /** lossOf each finished trial, by position. */
  losses: Float64Array;
  finished: number;
}

const orders = new WeakMap<readonly Trial[], LossOrder>();

function emptyOrder(epoch: number): LossOrder {
  return { epoch, count: 0, running: [], order: new Int32Array(16), losses: new Float64Array(16), finished: 0 };
}

/** Inserts finished position `pos` with loss `loss` after every entry with a lower (loss, position). */
function insert(state: LossOrder, pos: number, loss: number): void {
  if (state.losses.length <= pos) {
    const grown = new Float64Array(Math.max(2 * state.losses.length, pos + 1));
    grown.set(state.losses);
    state.losses = grown;
  }
  if (state.order.length <= state.finished) {
    const grown = new Int32Array(2 * state.order.length);
    grown.set(state.order);
    state.order = grown;
  }
  const { order, losses } = state;
  losses[pos] = loss;
  let lo = 0;
  let hi = state.finished;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const other = order[mid] as number;
    const l = losses[other] as number;
    if (l < loss || (l === loss && other < pos)) lo = mid + 1;
    else hi = mid;
  }
  order.copyWithin(lo + 1, lo, state.finished);
  order[lo] = pos;
  state.finished++;
}

/**
 * The loss order of the history's trials: extended while the array only grows (see History),
 * trials that were running re-read until they finish (trials only ever go from running to
 * finished in place); rebuilt otherwise, so it always equals a computation from scratch.
 */
export function lossOrder({ trials, epoch }: History): LossOrder {
  let state = orders.get(trials);
  if (state?.epoch !== epoch) orders.set(trials, (state = emptyOrder(epoch)));
  const stillRunning: number[] = [];
  for (const pos of state.running) {
    const t = trials[pos] as Trial;
    if (t.status === "running") stillRunning.push(pos);
    else insert(state, pos, lossOf(t));
  }
  for (let pos = state.count; pos < trials.length; pos++) {
    const t = trials[pos] as Trial;
    if (t.status === "running") stillRunning.push(pos);
    else insert(state, pos, lossOf(t));
  }
  state.running = stillRunning;
  state.count = trials.length;
  return state;
}
