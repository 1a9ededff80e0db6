import type { Trial } from "../../trials/trial.js";

/**
 * A trials array as TPE's caches read it. The loss order, the group columns and the
 * configuration keys are kept per trials array and extended while the array only grows (each
 * earlier position still holding the same trial object); `historyOf` checks that once per
 * suggestion for all of them, and gives the array a new `epoch` when it did not only grow, so
 * that every cache built before is rebuilt. A History describes the array as it was when
 * taken: take a new one after the array changes.
 */
export interface History {
  readonly trials: readonly Trial[];
  /** Changes whenever the array stops extending what was read from it before. */
  readonly epoch: number;
}

interface Tracker {
  /** The trial objects read, by position. */
  readonly seen: Trial[];
  readonly epoch: number;
}

const trackers = new WeakMap<readonly Trial[], Tracker>();
let epochs = 0;

function extendsSeen(seen: readonly Trial[], trials: readonly Trial[]): boolean {
  if (seen.length > trials.length) return false;
  for (let i = 0; i < seen.length; i++) if (trials[i] !== seen[i]) return false;
  return true;
}

/** The array's history now: its epoch is unchanged exactly when the array extends what was read from it before. */
export function historyOf(trials: readonly Trial[]): History {
  let tracker = trackers.get(trials);
  if (!tracker || !extendsSeen(tracker.seen, trials)) trackers.set(trials, (tracker = { seen: [], epoch: ++epochs }));
  for (let i = tracker.seen.length; i < trials.length; i++) tracker.seen.push(trials[i] as Trial);
  return { trials, epoch: tracker.epoch };
}
