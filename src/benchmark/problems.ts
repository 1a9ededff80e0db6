import { HyperoptArgumentError } from "../errors.js";
import { spaceFromJSON } from "../space/json.js";
import { branin, extraLosses, mixed10dLoss, suiteLosses } from "./losses.js";
import { suiteNoise } from "./noise.js";
import { packagedSuiteUrl, parseSuite, readSuiteFile, type SuiteJSON } from "./suiteFile.js";

/** A benchmark problem: a space and a noise-free loss, plus the suite's deterministic noise. */
export interface BenchmarkProblem {
  name: string;
  space: unknown;
  /** Noise-free loss of a configuration (the space evaluated at a point). */
  loss: (config: any) => number;
  /** observed = loss + sigma * z(seed, trial, salt); null for noise-free problems. */
  noise: { sigma: number; salt: number } | null;
  /** Global minimum of the noise-free loss, when known. */
  minLoss: number | null;
  /** A run succeeds (finds the best branch, the deep basin, a root) when its best loss is below this; null: no such mark. */
  successBelow: number | null;
}

/** What the objective returns for evaluation `trial` (0-based) of the run seeded `seed`. */
export function observedLoss(problem: BenchmarkProblem, config: unknown, seed: number, trial: number): number {
  const f = problem.loss(config);
  return problem.noise === null ? f : f + problem.noise.sigma * suiteNoise(seed, trial, problem.noise.salt);
}

/**
 * Problems of a suite in its JSON form (`{problems: [{name, space, noise, min_loss}]}`); each
 * name needs a loss in `losses` (the public suite's formulas by default).
 */
export function problemsFromSuite(suite: unknown, losses = suiteLosses): BenchmarkProblem[] {
  return parseSuite(suite).problems.map((p) => {
    const loss = losses[p.name];
    if (!loss) throw new HyperoptArgumentError("losses", `benchmark: no loss function for problem ${JSON.stringify(p.name)}; pass one in losses`);
    return { name: p.name, space: spaceFromJSON(p.space), loss, noise: p.noise, minLoss: p.min_loss ?? p.minLoss ?? null, successBelow: p.success_below ?? null };
  });
}

/** Reads a suite JSON file (the format of benchmarks/suite-public.json). */
export function loadSuite(path: string | URL, losses = suiteLosses): BenchmarkProblem[] {
  return problemsFromSuite(readSuiteFile(path), losses);
}

let publicSuite: SuiteJSON | undefined;

function publicSuiteFile(): SuiteJSON {
  return (publicSuite ??= readSuiteFile(packagedSuiteUrl("suite-public.json")));
}

/** The seven problems of the public suite (benchmarks/suite-public.json, shipped with the package). */
export function publicProblems(): BenchmarkProblem[] {
  return problemsFromSuite(publicSuiteFile());
}

/**
 * The extra suite (benchmarks/suite-extra.json, shipped with the package): a conditional
 * model-selection problem whose best branch is hard to find, a deceptive problem, and
 * root-finding over many-valued integer and categorical parameters (Hyperopt's randint test).
 */
export function extraProblems(): BenchmarkProblem[] {
  return problemsFromSuite(readSuiteFile(packagedSuiteUrl("suite-extra.json")), extraLosses);
}

/** The speed benchmark's spaces: 2-D uniform (branin history) and 10-D mixed. */
export function speedSpaces(): { name: string; space: unknown; loss: (config: any) => number }[] {
  const spaces = publicSuiteFile().speed_spaces;
  if (!spaces) throw new HyperoptArgumentError("speed_spaces", "benchmark: the public suite file has no speed_spaces");
  return [
    { name: "uniform2d", space: spaceFromJSON(spaces.uniform2d.space), loss: (c: { x: number; y: number }) => branin(c.x, c.y) },
    { name: "mixed10d", space: spaceFromJSON(spaces.mixed10d.space), loss: mixed10dLoss },
  ];
}
