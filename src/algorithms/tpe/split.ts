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

/**
 * Splits the history by loss. Failed trials count as infinitely bad; running trials are never
 * "below" and join "above" only with a constant liar.
 */
export function splitTrials(trials: readonly Trial[], settings: TpeSettings): SplitHistory {
  const finished: Trial[] = [];
  const running: Trial[] = [];
  for (const t of trials) (t.status === "running" ? running : finished).push(t);
  const nBelow = belowCount(finished.length, settings);
  const isBelow = new Uint8Array(finished.length);
  for (const i of bestIndices(finished, nBelow)) isBelow[i] = 1;
  const below: Trial[] = [];
  const above: Trial[] = [];
  finished.forEach((t, i) => (isBelow[i] ? below : above).push(t));
  if (settings.constantLiar && running.length > 0) {
    above.push(...running);
    above.sort((a, b) => a.tid - b.tid);
  }
  return { below, above, finished: finished.length };
}
