import { z } from "zod";
import { parseArgument } from "../errors.js";
import { trialRng, type Rng } from "../rng/rng.js";
import type { Assignment } from "../space/assignment.js";
import { isActive, type CompiledParam } from "../space/compile.js";
import { quantize, type Distribution } from "../space/distributions.js";
import { sampleCategorical, sampleDistribution } from "../space/sample.js";
import { isFinished, lossOf, type Trial } from "../trials/trial.js";
import { defineAlgorithm, type Algorithm } from "./algorithm.js";

export interface AnnealSettings {
  /** Mean of the geometric distribution over loss ranks that picks the trial to explore around (0 = best). */
  avgBestIdx: number;
  /** With T observations of a label, the search width is the prior's times 1 / (1 + T * shrinkCoef). */
  shrinkCoef: number;
}

const defaults: AnnealSettings = { avgBestIdx: 2, shrinkCoef: 0.1 };

const settingsSchema = z.strictObject({
  avgBestIdx: z.number({ error: "a finite number > 0" }).finite("a finite number > 0").positive("a finite number > 0"),
  shrinkCoef: z.number({ error: "a finite number >= 0" }).finite("a finite number >= 0").nonnegative("a finite number >= 0"),
} satisfies Record<keyof AnnealSettings, z.ZodType>).partial();

/** A geometric draw on 1, 2, ... with success probability p. */
function geometric(p: number, rng: Rng): number {
  const u = 1 - rng.random();
  return p >= 1 ? 1 : Math.floor(Math.log(u) / Math.log(1 - p)) + 1;
}

/** A uniform draw in a window of the (log) range around `mid`, shifted to stay inside it. */
function windowed(low: number, high: number, mid: number, shrink: number, rng: Rng): number {
  const half = 0.5 * (high - low) * shrink;
  const centre = Math.min(Math.max(mid, low + half), high - half);
  return rng.uniform(centre - half, centre + half);
}

function categorical(prior: readonly number[], chosen: number, shrink: number, rng: Rng): number {
  return sampleCategorical(prior.map((p, k) => (k === chosen ? 1 - shrink : 0) + shrink * p), rng);
}

/** Hyperopt's annealing move for one parameter around `val`, the value at the chosen trial. */
function move(d: Distribution, val: number, shrink: number, rng: Rng): number {
  switch (d.kind) {
    case "uniform":
      return windowed(d.low, d.high, val, shrink, rng);
    case "quniform":
      return quantize(windowed(d.low, d.high, val, shrink, rng), d.q);
    case "uniformint":
      return quantize(windowed(d.low, d.high, val, shrink, rng), 1);
    case "loguniform":
      return Math.min(Math.max(Math.exp(windowed(d.low, d.high, Math.log(val), shrink, rng)), Math.exp(d.low)), Math.exp(d.high));
    case "qloguniform":
      return quantize(Math.exp(windowed(d.low, d.high, Math.log(val), shrink, rng)), d.q);
    case "normal":
      return val + d.sigma * shrink * rng.normal();
    case "qnormal":
      return quantize(val + d.sigma * shrink * rng.normal(), d.q);
    case "lognormal":
      return Math.exp(Math.log(val) + d.sigma * shrink * rng.normal());
    case "qlognormal":
      return quantize(Math.exp(Math.log(1e-16 + val) + d.sigma * shrink * rng.normal()), d.q);
    case "randint": {
      const size = d.high - d.low;
      return d.low + categorical(Array.from({ length: size }, () => 1 / size), val - d.low, shrink, rng);
    }
    case "choice":
      return categorical(Array.from({ length: d.size }, () => 1 / d.size), val, shrink, rng);
    case "pchoice": {
      const total = d.probabilities.reduce((s, p) => s + p, 0);
      return categorical(d.probabilities.map((p) => p / total), val, shrink, rng);
    }
  }
}

/**
 * Hyperopt's annealing: each parameter is drawn near its value in one of the best trials
 * (a loss rank drawn from a geometric distribution, reused across parameters when that trial
 * has them), from a window that shrinks as the parameter collects observations.
 */
export function annealSuggest(params: readonly CompiledParam[], trials: readonly Trial[], rng: Rng, settings: AnnealSettings): Assignment {
  const finished = trials.filter(isFinished);
  const chosen: Trial[] = [];
  const assignment: Assignment = {};
  for (const param of params) {
    if (!isActive(param, assignment)) continue;
    const observed = finished.filter((t) => t.assignment[param.label] !== undefined);
    if (observed.length === 0) {
      assignment[param.label] = sampleDistribution(param.distribution, rng);
      continue;
    }
    let base = chosen.find((t) => t.assignment[param.label] !== undefined);
    if (base === undefined) {
      const ranked = [...observed].sort((a, b) => lossOf(a) - lossOf(b) || a.tid - b.tid);
      const rank = Math.min(geometric(1 / settings.avgBestIdx, rng) - 1, ranked.length - 1);
      base = ranked[rank] as Trial;
      chosen.push(base);
    }
    const shrink = 1 / (1 + observed.length * settings.shrinkCoef);
    assignment[param.label] = move(param.distribution, base.assignment[param.label] as number, shrink, rng);
  }
  return assignment;
}

function configure(settings: Partial<AnnealSettings> = {}): Algorithm {
  const full: AnnealSettings = { ...defaults, ...parseArgument("anneal.configure", settingsSchema, settings, { label: (path) => `setting "${path}"` }) };
  return defineAlgorithm("anneal", { ...full }, ({ space, trials, tid, seed }) => annealSuggest(space.params, trials, trialRng(seed, tid, "anneal"), full));
}

/** Hyperopt's `anneal.suggest`. */
export const anneal = {
  suggest: configure(),
  configure,
};
