import { createRng } from "../rng/rng.js";
import type { Trial } from "../trials/trial.js";
import type { ParamColumn } from "./columns.js";
import { forestMainEffects } from "./fanova.js";
import { fitForest, type ForestSettings } from "./forest.js";

interface ImportanceOptions extends Partial<ForestSettings> {
  /** Fit on at most this many successful trials (a seeded random sample of them beyond; default 1000). */
  maxTrials?: number;
  seed?: number;
}

const DEFAULTS: ForestSettings = { trees: 24, minSamplesLeaf: 2, maxDepth: 12 };

/** Features of one parameter: its value (log of it on a log scale, index of a choice); inactive one step below the range. */
function encode(column: ParamColumn, trials: readonly Trial[]): { values: Float64Array; lower: number; upper: number } {
  const raw = trials.map((t) => {
    const v = t.assignment[column.label];
    if (v === undefined) return undefined;
    return column.log && v > 0 ? Math.log(v) : v;
  });
  const active = raw.filter((v): v is number => v !== undefined);
  let lower = active.length ? Math.min(...active) : 0;
  let upper = active.length ? Math.max(...active) : 0;
  if (upper === lower) {
    lower -= 0.5;
    upper += 0.5;
  }
  const inactive = lower - (upper - lower) / 10;
  const values = Float64Array.from(raw, (v) => v ?? inactive);
  if (active.length < raw.length) lower = inactive - (upper - lower) / 20;
  return { values, lower, upper };
}

/**
 * How much each parameter explains the loss: fANOVA (Hutter, Hoos and Leyton-Brown, ICML 2014) on a
 * random forest fitted to the successful trials, as Optuna's default importance evaluator does. Each
 * value is the fraction of the loss's variance the parameter's main effect explains, normalized so
 * that the values sum to 1 (all zero when the loss does not vary). Choices enter by their index, a
 * log-scale parameter by its logarithm, and a conditional parameter that is inactive as a value of
 * its own below its range.
 */
export function paramImportance(columns: readonly ParamColumn[], trials: readonly Trial[], options: ImportanceOptions = {}): Record<string, number> {
  const settings: ForestSettings = { ...DEFAULTS, ...options };
  const rng = createRng(`${options.seed ?? 0}/importance`);
  let ok = trials.filter((t) => t.status === "ok" && t.loss !== undefined && Number.isFinite(t.loss));
  const max = options.maxTrials ?? 1000;
  if (ok.length > max) {
    const pool = [...ok];
    for (let i = 0; i < max; i++) {
      const j = i + rng.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j] as Trial, pool[i] as Trial];
    }
    ok = pool.slice(0, max).sort((a, b) => a.tid - b.tid);
  }
  const zero = Object.fromEntries(columns.map((c) => [c.label, 0]));
  if (ok.length < 2 || columns.length === 0) return zero;
  const features = columns.map((c) => encode(c, ok));
  const trees = fitForest(
    { columns: features.map((f) => f.values), targets: Float64Array.from(ok, (t) => t.loss as number) },
    settings,
    rng,
  );
  const effects = forestMainEffects(
    trees,
    features.map((f) => f.lower),
    features.map((f) => f.upper),
  );
  const sum = effects.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return zero;
  return Object.fromEntries(columns.map((c, i) => [c.label, (effects[i] as number) / sum]));
}
