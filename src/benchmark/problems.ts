import { readFileSync } from "node:fs";
import { HyperoptArgumentError } from "../errors.js";
import { spaceFromJSON } from "../space/json.js";
import { publicSuite } from "./publicSuite.js";
import { suiteNoise } from "./noise.js";

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
}

/** What the objective returns for evaluation `trial` (0-based) of the run seeded `seed`. */
export function observedLoss(problem: BenchmarkProblem, config: unknown, seed: number, trial: number): number {
  const f = problem.loss(config);
  return problem.noise === null ? f : f + problem.noise.sigma * suiteNoise(seed, trial, problem.noise.salt);
}

export function branin(x: number, y: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}

type Vector = Record<string, number>;

function sumOver(n: number, term: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += term(i);
  return s;
}

/** The loss formulas of the public suite, by problem name. */
export const suiteLosses: Readonly<Record<string, (config: any) => number>> = {
  quadratic1: (c: { x: number }) => (c.x - 3) ** 2,
  branin: (c: { x: number; y: number }) => branin(c.x, c.y),
  rosenbrock4: (c: Vector) => sumOver(3, (i) => 100 * ((c[`x${i + 1}`] as number) - (c[`x${i}`] as number) ** 2) ** 2 + (1 - (c[`x${i}`] as number)) ** 2),
  q1_lognormal: (c: { x: number }) => Math.min(0.1 * (c.x - 10) ** 2, 10),
  n_arms: (c: { x: number }) => (c.x === 0 ? -1 : 0),
  gauss_wave2: (c: { x: number; hf: { branch: string; amp?: number } }) => {
    const t = 2 * Math.exp(-((c.x / 5) ** 2));
    return c.hf.branch === "plain" ? -t : -(t + Math.sin(c.x) * (c.hf.amp as number));
  },
  sphere10_shifted: (c: Vector) => sumOver(10, (i) => ((c[`x${i}`] as number) - 1) ** 2),
};

/** The speed benchmark's history loss on the 10-D mixed space. */
export function mixed10dLoss(c: Vector & { c0: string; c1: number }): number {
  return (
    sumOver(4, (i) => ((c[`u${i}`] as number) - 1) ** 2) +
    (Math.log(c.l0 as number) + 3) ** 2 +
    (Math.log(c.l1 as number) + 5) ** 2 +
    (((c.q0 as number) - 30) / 20) ** 2 +
    (((c.q1 as number) - 200) / 100) ** 2 +
    (c.c0 === "b" ? 0 : 1) +
    0.5 * Math.abs(c.c1 - 2)
  );
}

interface SuiteProblemJSON {
  name: string;
  space: unknown;
  noise: { sigma: number; salt: number } | null;
  min_loss?: number | null;
  minLoss?: number | null;
}

/**
 * Problems of a suite in its JSON form (`{problems: [{name, space, noise, min_loss}]}`); each
 * name needs a loss in `losses` (the public suite's formulas by default).
 */
export function problemsFromSuite(suite: { problems: readonly SuiteProblemJSON[] }, losses = suiteLosses): BenchmarkProblem[] {
  return suite.problems.map((p) => {
    const loss = losses[p.name];
    if (!loss) throw new HyperoptArgumentError("losses", `benchmark: no loss function for problem ${JSON.stringify(p.name)}; pass one in losses`);
    return { name: p.name, space: spaceFromJSON(p.space), loss, noise: p.noise, minLoss: p.min_loss ?? p.minLoss ?? null };
  });
}

/** Reads a suite JSON file (the format of benchmarks/suite-public.json). */
export function loadSuite(path: string, losses = suiteLosses): BenchmarkProblem[] {
  return problemsFromSuite(JSON.parse(readFileSync(path, "utf8")) as { problems: SuiteProblemJSON[] }, losses);
}

/** The seven problems of the public suite. */
export function publicProblems(): BenchmarkProblem[] {
  return problemsFromSuite(publicSuite as unknown as { problems: SuiteProblemJSON[] });
}

/** The speed benchmark's spaces: 2-D uniform (branin history) and 10-D mixed. */
export function speedSpaces(): { name: string; space: unknown; loss: (config: any) => number }[] {
  return [
    { name: "uniform2d", space: spaceFromJSON(publicSuite.speedSpaces.uniform2d), loss: (c: { x: number; y: number }) => branin(c.x, c.y) },
    { name: "mixed10d", space: spaceFromJSON(publicSuite.speedSpaces.mixed10d), loss: mixed10dLoss },
  ];
}
