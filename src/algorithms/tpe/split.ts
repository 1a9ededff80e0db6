import type { Trial } from "../../trials/trial.js";
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

function lossOf(t: Trial): number {
  return t.status === "ok" && t.loss !== undefined && !Number.isNaN(t.loss) ? t.loss : Infinity;
}

/** Indices of the k lowest losses (ties: the earlier trial), by insertion into a sorted top-k list. */
function bestIndices(finished: readonly Trial[], k: number): number[] {
  const top: number[] = [];
  const losses = finished.map(lossOf);
  const worse = (a: number, b: number): boolean => (losses[a] as number) > (losses[b] as number) || ((losses[a] as number) === (losses[b] as number) && a > b);
  for (let i = 0; i < finished.length && k > 0; i++) {
    if (top.length === k && !worse(top[k - 1] as number, i)) continue;
    let pos = top.length === k ? k - 1 : top.length;
    while (pos > 0 && worse(top[pos - 1] as number, i)) {
      top[pos] = top[pos - 1] as number;
      pos--;
    }
    top[pos] = i;
  }
  return top;
}

/** Which side of the split each trial is on: 1 = below, 2 = above, 0 = neither (running, no liar). */
export interface SplitSides {
  side: Uint8Array;
  finished: number;
}

/**
 * Splits the history by loss, by trial position. Failed trials count as infinitely bad;
 * running trials are never "below" and are "above" only with a constant liar.
 */
export function splitSides(trials: readonly Trial[], settings: TpeSettings): SplitSides {
  const finished: Trial[] = [];
  const positions: number[] = [];
  const side = new Uint8Array(trials.length);
  trials.forEach((t, i) => {
    if (t.status === "running") {
      if (settings.constantLiar) side[i] = 2;
      return;
    }
    finished.push(t);
    positions.push(i);
    side[i] = 2;
  });
  for (const i of bestIndices(finished, belowCount(finished.length, settings))) side[positions[i] as number] = 1;
  return { side, finished: finished.length };
}

/** The split as lists: below in tid order; above = the other finished trials and, with a constant liar, the running ones, in tid order. */
export function splitTrials(trials: readonly Trial[], settings: TpeSettings, sides: SplitSides = splitSides(trials, settings)): SplitHistory {
  const { side, finished } = sides;
  const below = trials.filter((_, i) => side[i] === 1);
  const above = trials.filter((_, i) => side[i] === 2);
  if (settings.constantLiar && above.some((t) => t.status === "running")) above.sort((a, b) => a.tid - b.tid);
  return { below, above, finished };
}
