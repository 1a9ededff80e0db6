import { z } from "zod";
import { HyperoptArgumentError, parseArgument } from "../errors.js";
import { createRng } from "../rng/rng.js";
import type { Assignment } from "../space/assignment.js";
import { isActive, type CompiledParam, type CompiledSpace } from "../space/compile.js";
import { categoryCount, inSupport, isCategorical, quantize } from "../space/distributions.js";
import { hp } from "../space/hp.js";
import type { ChoiceNode } from "../space/nodes.js";
import { isPlainObject } from "../space/labels.js";
import { defineAlgorithm, type Algorithm } from "./algorithm.js";
import { wholeNumber } from "../optionSchemas.js";

export interface GridSettings {
  /**
   * Grid values per label: an explicit list of values, or a number of evenly spaced points
   * (uniform and loguniform: spaced in the parameter's own scale, log for loguniform;
   * quantized: evenly spaced multiples of q). Discrete parameters (choice, pchoice, randint,
   * uniformint, quniform, qloguniform) default to every value they can take.
   */
  points?: Record<string, readonly number[] | number>;
  /** Visit the combinations in an order shuffled by the search's seed (default false: in order). */
  shuffle?: boolean;
  /** Refuse grids with more combinations than this (default 1,000,000). */
  maxCombinations?: number;
}

const DISCRETE_LIMIT = 10_000;

const settingsSchema = z.strictObject({
  points: z.record(
    z.string(),
    z.union([
      z.array(z.number({ error: "a finite number" }).finite("a finite number"), { error: "a list of values" }).min(1, "a non-empty list of values"),
      z.number({ error: "a whole number of points >= 1" }).int("a whole number of points >= 1").min(1, "a whole number of points >= 1"),
    ], { error: "a list of values or a whole number of points >= 1" }),
    { error: "an object of label -> values or number of points" },
  ),
  shuffle: z.boolean({ error: "a boolean" }),
  maxCombinations: wholeNumber(1),
} satisfies Record<keyof GridSettings, z.ZodType>).partial();

function linspace(low: number, high: number, n: number): number[] {
  if (n === 1) return [(low + high) / 2];
  return Array.from({ length: n }, (_, i) => low + ((high - low) * i) / (n - 1));
}

function fail(label: string, message: string): never {
  throw new HyperoptArgumentError(`points.${label}`, `grid: parameter ${JSON.stringify(label)} ${message}`);
}

/** The values the grid gives one parameter. */
export function gridValues(param: CompiledParam, spec: readonly number[] | number | undefined): number[] {
  const d = param.distribution;
  const { label } = param;
  if (Array.isArray(spec)) {
    if (spec.length === 0) fail(label, "has an empty list of grid values");
    for (const v of spec) if (!inSupport(d, v)) fail(label, `has the grid value ${v}, outside its ${d.kind} support`);
    return [...new Set(spec)];
  }
  const n = spec as number | undefined;
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) fail(label, `needs a positive whole number of grid points, got ${n}`);
  if (isCategorical(d)) return Array.from({ length: categoryCount(d) }, (_, i) => i);
  switch (d.kind) {
    case "randint":
    case "uniformint": {
      const high = d.kind === "randint" ? d.high - 1 : d.high;
      const all = Array.from({ length: high - d.low + 1 }, (_, i) => d.low + i);
      return n === undefined ? all : [...new Set(linspace(d.low, high, n).map(Math.round))];
    }
    case "quniform":
    case "qloguniform": {
      const lo = d.kind === "quniform" ? d.low : Math.exp(d.low);
      const hi = d.kind === "quniform" ? d.high : Math.exp(d.high);
      const first = Math.round(quantize(lo, d.q) / d.q);
      const last = Math.round(quantize(hi, d.q) / d.q);
      if (n !== undefined) return [...new Set(linspace(first, last, n).map((k) => quantize(Math.round(k) * d.q, d.q)))];
      if (last - first + 1 > DISCRETE_LIMIT) fail(label, `takes ${last - first + 1} values; give a number of grid points or a list`);
      return Array.from({ length: last - first + 1 }, (_, i) => quantize((first + i) * d.q, d.q));
    }
    case "uniform":
      if (n === undefined) fail(label, "is continuous (uniform); give a list of values or a number of points in settings.points");
      return linspace(d.low, d.high, n);
    case "loguniform":
      if (n === undefined) fail(label, "is continuous (loguniform); give a list of values or a number of points in settings.points");
      return linspace(d.low, d.high, n).map(Math.exp);
    default:
      return fail(label, `is unbounded (${d.kind}); give an explicit list of values in settings.points`);
  }
}

/** Every combination of grid values over the parameters active together, in space order. */
export function enumerateGrid(space: CompiledSpace, settings: GridSettings = {}): Assignment[] {
  const max = settings.maxCombinations ?? 1_000_000;
  const values = new Map(space.params.map((p) => [p.label, gridValues(p, settings.points?.[p.label])]));
  for (const label of Object.keys(settings.points ?? {})) {
    if (!space.byLabel.has(label)) throw new HyperoptArgumentError(`points.${label}`, `grid: settings.points names ${JSON.stringify(label)}, which is not a label of the space`);
  }
  const out: Assignment[] = [];
  const walk = (i: number, current: Assignment): void => {
    if (i === space.params.length) {
      if (out.length >= max) {
        throw new HyperoptArgumentError("maxCombinations", `grid: the space has more than ${max} combinations; lower the grid points or raise settings.maxCombinations`);
      }
      out.push({ ...current });
      return;
    }
    const param = space.params[i] as CompiledParam;
    if (!isActive(param, current)) {
      walk(i + 1, current);
      return;
    }
    for (const v of values.get(param.label) as number[]) {
      current[param.label] = v;
      walk(i + 1, current);
    }
    delete current[param.label];
  };
  walk(0, {});
  return out;
}

/** A canonical text key of an assignment over a space's parameters. */
export function assignmentKey(space: CompiledSpace, a: Assignment): string {
  let key = "";
  for (const p of space.params) if (a[p.label] !== undefined) key += `${p.label}=${a[p.label]};`;
  return key;
}

function configure(options: GridSettings = {}): Algorithm {
  const settings: GridSettings = parseArgument("grid.configure", settingsSchema, options, { label: (path) => `setting "${path}"` });
  const plans = new WeakMap<CompiledSpace, Map<number, Assignment[]>>();
  const planFor = (space: CompiledSpace, seed: number): Assignment[] => {
    let bySeed = plans.get(space);
    if (!bySeed) plans.set(space, (bySeed = new Map()));
    const planSeed = settings.shuffle ? seed : 0;
    let plan = bySeed.get(planSeed);
    if (!plan) {
      plan = enumerateGrid(space, settings);
      if (settings.shuffle) {
        const rng = createRng(`${seed}/grid`);
        for (let i = plan.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [plan[i], plan[j]] = [plan[j] as Assignment, plan[i] as Assignment];
        }
      }
      bySeed.set(planSeed, plan);
    }
    return plan;
  };
  return defineAlgorithm("grid", { ...settings }, ({ space, trials, seed }) => {
    const seen = new Set(trials.map((t) => assignmentKey(space, t.assignment)));
    for (const point of planFor(space, seed)) if (!seen.has(assignmentKey(space, point))) return { ...point };
    return null;
  });
}

type GridConfig = { readonly [key: string]: readonly unknown[] | GridConfig };

type GridSpace<C extends GridConfig> = {
  -readonly [K in keyof C]: C[K] extends readonly unknown[]
    ? ChoiceNode<string, C[K]>
    : C[K] extends GridConfig
      ? GridSpace<C[K]>
      : never;
};

/**
 * The plain grid people write in config files, `{ lr: [0.01, 0.001], batch: [16, 32] }`, as a
 * space of choices (nested objects give dotted labels such as `model.depth`).
 */
export function gridSpace<const C extends GridConfig>(config: C, prefix = ""): GridSpace<C> {
  if (!isPlainObject(config)) throw new HyperoptArgumentError("config", "gridSpace: config must be an object of value lists");
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const label = prefix + key;
    if (Array.isArray(value)) out[key] = hp.choice(label, value);
    else if (isPlainObject(value)) out[key] = gridSpace(value as GridConfig, `${label}.`);
    else throw new HyperoptArgumentError(`config.${label}`, `gridSpace: config.${label} must be an array of values or a nested object, got ${JSON.stringify(value)}`);
  }
  return out as GridSpace<C>;
}

/** Grid search: every combination once, then the search stops. */
export const grid = {
  suggest: configure(),
  configure,
};
