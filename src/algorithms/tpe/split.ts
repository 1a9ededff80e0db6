import { lossOf, type Trial } from "../../trials/trial.js";
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

/** Whether loss a is worse than loss b, ties broken by index (the later one is worse). */
function worse(losses: Float64Array, a: number, b: number): boolean {
  const la = losses[a] as number;
  const lb = losses[b] as number;
  return la > lb || (la === lb && a > b);
}

/** Indices (below count) of the k lowest losses (ties: the earlier index), by insertion into a sorted top-k list. */
function bestIndices(losses: Float64Array, count: number, k: number): Int32Array {
  const top = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < count && k > 0; i++) {
    if (size === k && !worse(losses, top[k - 1] as number, i)) continue;
    let pos = size === k ? k - 1 : size++;
    while (pos > 0 && worse(losses, top[pos - 1] as number, i)) {
      top[pos] = top[pos - 1] as number;
      pos--;
    }
    top[pos] = i;
  }
  return top.subarray(0, size);
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
 * running trials are never "below" and are "above" only with a constant liar.
 */
export function splitSides(trials: readonly Trial[], settings: TpeSettings): SplitSides {
  const n = trials.length;
  const side = new Uint8Array(n);
  const positions = new Int32Array(n);
  const losses = new Float64Array(n);
  let finished = 0;
  for (let i = 0; i < n; i++) {
    const t = trials[i] as Trial;
    if (t.status === "running") {
      if (settings.constantLiar) side[i] = sideCode.above;
      continue;
    }
    positions[finished] = i;
    losses[finished++] = lossOf(t);
    side[i] = sideCode.above;
  }
  const best = bestIndices(losses, finished, belowCount(finished, settings));
  for (let r = 0; r < best.length; r++) side[positions[best[r] as number] as number] = sideCode.below;
  return { side, finished };
}

/** The split as lists: below in tid order; above = the other finished trials and, with a constant liar, the running ones, in tid order. */
export function splitTrials(trials: readonly Trial[], settings: TpeSettings, sides: SplitSides = splitSides(trials, settings)): SplitHistory {
  const { side, finished } = sides;
  const below = trials.filter((_, i) => side[i] === sideCode.below);
  const above = trials.filter((_, i) => side[i] === sideCode.above);
  if (settings.constantLiar && above.some((t) => t.status === "running")) above.sort((a, b) => a.tid - b.tid);
  return { below, above, finished };
}
