import { z } from "zod";
import { HyperoptArgumentError, invalidArgument, parseArgument } from "../errors.js";
import type { Distribution, NumericDistribution } from "./distributions.js";
import { HP_NODE, type ChoiceNode, type NumericNode } from "./nodes.js";
import { labelsIn } from "./labels.js";

const label = z.string({ error: "a non-empty string" }).min(1, "a non-empty string");
const finite = z.number({ error: "a finite number" }).finite("a finite number");
const positive = finite.positive("a number greater than 0");
const integer = finite.int("an integer");

/** How a builder call is named in its errors: `hp.uniform("x")`. */
function caller(fn: string, lbl: unknown): string {
  return typeof lbl === "string" ? `hp.${fn}(${JSON.stringify(lbl)})` : `hp.${fn}`;
}

function fail(fn: string, lbl: unknown, argument: string, expected: string, got: unknown): never {
  throw invalidArgument(caller(fn, lbl), argument, expected, got, undefined, `argument "${argument}"`);
}

/** Parses the label and each named argument with its schema, failing with the argument's name and the expectation. */
function args(fn: string, lbl: unknown, shape: Record<string, [z.ZodType, unknown]>): void {
  const schemas = { label, ...Object.fromEntries(Object.entries(shape).map(([name, [schema]]) => [name, schema])) };
  const values = { label: lbl, ...Object.fromEntries(Object.entries(shape).map(([name, [, value]]) => [name, value])) };
  const top = (path: string): string => path.split(".")[0] ?? path;
  parseArgument(caller(fn, lbl), z.object(schemas), values, { argument: top, label: (path) => `argument "${top(path)}"` });
}

/** The node of a numeric parameter; -0 arguments become 0, as their JSON form does. */
function numeric<L extends string>(lbl: L, distribution: NumericDistribution): NumericNode<L> {
  const normalized = Object.fromEntries(Object.entries(distribution).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])) as NumericDistribution;
  return Object.freeze({ [HP_NODE]: true as const, label: lbl, distribution: Object.freeze(normalized) });
}

function bounded(fn: string, lbl: unknown, low: unknown, high: unknown): void {
  args(fn, lbl, { low: [finite, low], high: [finite, high] });
  if ((high as number) <= (low as number)) fail(fn, lbl, "high", `greater than low (${String(low)})`, high);
}

function normalArgs(fn: string, lbl: unknown, mu: unknown, sigma: unknown): void {
  args(fn, lbl, { mu: [finite, mu], sigma: [positive, sigma] });
}

/** Float drawn uniformly from [low, high]. */
function uniform<const L extends string>(lbl: L, low: number, high: number): NumericNode<L> {
  bounded("uniform", lbl, low, high);
  return numeric(lbl, { kind: "uniform", low, high });
}

/** round(uniform(low, high) / q) * q. */
function quniform<const L extends string>(lbl: L, low: number, high: number, q: number): NumericNode<L> {
  bounded("quniform", lbl, low, high);
  args("quniform", lbl, { q: [positive, q] });
  return numeric(lbl, { kind: "quniform", low, high, q });
}

/** exp(uniform(low, high)): the bounds are logarithms, as in Hyperopt. */
function loguniform<const L extends string>(lbl: L, low: number, high: number): NumericNode<L> {
  bounded("loguniform", lbl, low, high);
  return numeric(lbl, { kind: "loguniform", low, high });
}

/** round(exp(uniform(low, high)) / q) * q. */
function qloguniform<const L extends string>(lbl: L, low: number, high: number, q: number): NumericNode<L> {
  bounded("qloguniform", lbl, low, high);
  args("qloguniform", lbl, { q: [positive, q] });
  return numeric(lbl, { kind: "qloguniform", low, high, q });
}

/** Normal with mean mu and standard deviation sigma. */
function normal<const L extends string>(lbl: L, mu: number, sigma: number): NumericNode<L> {
  normalArgs("normal", lbl, mu, sigma);
  return numeric(lbl, { kind: "normal", mu, sigma });
}

/** round(normal(mu, sigma) / q) * q. */
function qnormal<const L extends string>(lbl: L, mu: number, sigma: number, q: number): NumericNode<L> {
  normalArgs("qnormal", lbl, mu, sigma);
  args("qnormal", lbl, { q: [positive, q] });
  return numeric(lbl, { kind: "qnormal", mu, sigma, q });
}

/** exp(normal(mu, sigma)). */
function lognormal<const L extends string>(lbl: L, mu: number, sigma: number): NumericNode<L> {
  normalArgs("lognormal", lbl, mu, sigma);
  return numeric(lbl, { kind: "lognormal", mu, sigma });
}

/** round(exp(normal(mu, sigma)) / q) * q. */
function qlognormal<const L extends string>(lbl: L, mu: number, sigma: number, q: number): NumericNode<L> {
  normalArgs("qlognormal", lbl, mu, sigma);
  args("qlognormal", lbl, { q: [positive, q] });
  return numeric(lbl, { kind: "qlognormal", mu, sigma, q });
}

/**
 * Integer drawn uniformly from [0, upper) or, with two bounds, from [low, high): the upper
 * bound is exclusive, as in Hyperopt and numpy.
 */
function randint<const L extends string>(lbl: L, upper: number): NumericNode<L>;
function randint<const L extends string>(lbl: L, low: number, high: number): NumericNode<L>;
function randint<const L extends string>(lbl: L, a: number, b?: number): NumericNode<L> {
  const [low, high] = b === undefined ? [0, a] : [a, b];
  args("randint", lbl, { [b === undefined ? "upper" : "low"]: [integer, b === undefined ? a : low], high: [integer, high] });
  if (high <= low) fail("randint", lbl, b === undefined ? "upper" : "high", `greater than ${low}`, high);
  return numeric(lbl, { kind: "randint", low, high });
}

/** Integer round(uniform(low, high)): low and high themselves included. */
function uniformint<const L extends string>(lbl: L, low: number, high: number): NumericNode<L> {
  args("uniformint", lbl, { low: [integer, low], high: [integer, high] });
  if (high <= low) fail("uniformint", lbl, "high", `greater than low (${low})`, high);
  return numeric(lbl, { kind: "uniformint", low, high });
}

/** One of `options`, each equally likely; each option may itself be a space (conditional parameters). */
function choice<const L extends string, const O extends readonly unknown[]>(lbl: L, options: O): ChoiceNode<L, O> {
  args("choice", lbl, { options: [z.array(z.unknown(), { error: "an array of options" }).min(1, "a non-empty array"), options] });
  return choiceNode("choice", lbl, options, { kind: "choice", size: options.length });
}

type PChoiceValues<O extends readonly (readonly [number, unknown])[]> = {
  [K in keyof O]: O[K] extends readonly [number, infer V] ? V : never;
};

/** One of the options, option i with probability p_i; the probabilities must sum to 1. */
function pchoice<const L extends string, const O extends readonly (readonly [number, unknown])[]>(
  lbl: L,
  options: O,
): ChoiceNode<L, PChoiceValues<O>> {
  const pair = z.tuple([z.number({ error: "a probability in [0, 1]" }).min(0, "a probability in [0, 1]").max(1, "a probability in [0, 1]"), z.unknown()], { error: "a [probability, option] pair" });
  args("pchoice", lbl, {
    options: [z.array(pair, { error: "an array of [probability, option] pairs" }).min(1, "a non-empty array"), options],
  });
  const probabilities = options.map(([p]) => p);
  const total = probabilities.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) fail("pchoice", lbl, "options", "probabilities that sum to 1", total);
  const values = options.map(([, v]) => v) as unknown as PChoiceValues<O>;
  return choiceNode("pchoice", lbl, values, { kind: "pchoice", probabilities: Object.freeze(probabilities) });
}

function choiceNode<L extends string, O extends readonly unknown[]>(
  fn: string,
  lbl: L,
  options: O,
  distribution: Extract<Distribution, { kind: "choice" | "pchoice" }>,
): ChoiceNode<L, O> {
  const seen = new Set<string>([lbl]);
  for (const option of options) {
    for (const inner of labelsIn(option)) {
      if (seen.has(inner)) {
        throw new HyperoptArgumentError("options", `hp.${fn}(${JSON.stringify(lbl)}): argument "options" must hold unique labels, but label ${JSON.stringify(inner)} appears twice`);
      }
      seen.add(inner);
    }
  }
  return Object.freeze({ [HP_NODE]: true as const, label: lbl, distribution: Object.freeze(distribution), options: Object.freeze([...options]) as unknown as O });
}

/** The search-space builders, with Hyperopt's names and semantics. */
export const hp = {
  choice,
  pchoice,
  randint,
  uniformint,
  uniform,
  quniform,
  loguniform,
  qloguniform,
  normal,
  qnormal,
  lognormal,
  qlognormal,
};
