import type { Trial } from "../../trials/trial.js";
import type { History } from "./history.js";
import { lossOrder } from "./lossOrder.js";
import type { TpeSettings } from "./presets.js";

/** The history TPE models: "below" (the best finished trials) and "above" (the rest), each in tid order. */
export interface SplitHistory {
  below: Trial[];
  above: Trial[];
  finished: number;
}

/** How many of n finished trials are "below". */
export function belowCount(n: number, settings: Pick<TpeSettings, "gamma" | "split" | "nBelowCap">): number {
  const raw = settings.split === "sqrt" ? Math.ceil(settings.gamma * Math.sqrt(n)) : Math.ceil(settings.gamma * n);
  return Math.min(raw, settings.nBelowCap);
}

/** The two sides of the split: "below" holds the best finished trials, "above" the rest. */
export type Side = "below" | "above";

/** How a side is coded in `SplitSides.side` (0 there: on neither side). */
export const sideCode: Readonly<Record<Side, number>> = Object.freeze({ below: 1, above: 2 });

/** Which side of the split each trial is on, coded by `sideCode`: 0 = neither (running, no liar). */
export interface SplitSides {
  side: Uint8Array;
  finished: number;
}

/**
 * Splits the history by loss, by trial position. Failed trials count as infinitely bad;
 * running trials are never "below" and are "above" only with a constant liar. Ties in loss go
 * to the earlier trial.
 */
export function splitSides(history: History, settings: TpeSettings): SplitSides {
  const { order, finished, running } = lossOrder(history);
  const side = new Uint8Array(history.trials.length).fill(sideCode.above);
  if (!settings.constantLiar) for (const pos of running) side[pos] = 0;
  const below = Math.min(belowCount(finished, settings), finished);
  for (let r = 0; r < below; r++) side[order[r] as number] = sideCode.below;
  const off = new Int32Array(below + (settings.constantLiar ? 0 : running.length));
  off.set(order.subarray(0, below));
  if (!settings.constantLiar) off.set(running, below);
  minorities.set(side, off.sort());
  return { side, finished };
}

const minorities = new WeakMap<Uint8Array, Int32Array>();

/**
 * The positions of a side array that are not "above" (below, or on neither side), ascending:
 * known for the arrays splitSides made (which never change afterwards), read off the array
 * otherwise.
 */
export function positionsOffAbove(side: Uint8Array): Int32Array {
  const known = minorities.get(side);
  if (known) return known;
  const off: number[] = [];
  for (let pos = 0; pos < side.length; pos++) if (side[pos] !== sideCode.above) off.push(pos);
  return Int32Array.from(off);
}

/** The split as lists: below in tid order; above = the other finished trials and, with a constant liar, the running ones, in tid order. */
export function splitTrials(trials: readonly Trial[], settings: TpeSettings, sides: SplitSides): SplitHistory {
  const { side, finished } = sides;
  const below = trials.filter((_, i) => side[i] === sideCode.below);
  const above = trials.filter((_, i) => side[i] === sideCode.above);
  if (settings.constantLiar && above.some((t) => t.status === "running")) above.sort((a, b) => a.tid - b.tid);
  return { below, above, finished };
}
