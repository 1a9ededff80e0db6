import type { Algorithm } from "../algorithms/algorithm.js";
import { compile } from "../space/compile.js";
import { spaceEval } from "../space/spaceEval.js";
import type { Trial } from "../trials/trial.js";
import { observedLoss, type BenchmarkProblem } from "./problems.js";
import { quartiles, type Quartiles } from "./statistics.js";

/** An algorithm under a name for the tables. */
export interface NamedAlgorithm {
  name: string;
  algorithm: Algorithm;
}

export interface BenchmarkOptions {
  /** Algorithms (named by their `algorithmName` unless given a name). */
  algorithms: readonly (Algorithm | NamedAlgorithm)[];
  problems: readonly BenchmarkProblem[];
  seeds: readonly number[];
  /** Evaluation counts at which the best-so-far loss is reported; the largest is each run's length. */
  budgets: readonly number[];
  /** Called after every run, e.g. for progress. */
  onRun?: (run: BenchmarkRun) => void;
}

/** One sequential search: the best observed loss after each budget. */
export interface BenchmarkRun {
  problem: string;
  algorithm: string;
  seed: number;
  best: number[];
  /** Distinct configurations evaluated by each budget. */
  distinct: number[];
}

/** Median and quartiles over seeds of one problem × algorithm × budget. */
export interface BenchmarkCell extends Quartiles {
  problem: string;
  algorithm: string;
  budget: number;
  n: number;
}

export interface BenchmarkResult {
  algorithms: string[];
  problems: string[];
  seeds: number[];
  budgets: number[];
  runs: BenchmarkRun[];
  cells: BenchmarkCell[];
}

function named(a: Algorithm | NamedAlgorithm): NamedAlgorithm {
  return typeof a === "function" ? { name: a.algorithmName ?? (a.name || "custom"), algorithm: a } : a;
}

/** A configuration's identity for counting distinct ones: its labels in sorted order with their values. */
function configurationKey(assignment: Readonly<Record<string, number>>): string {
  return Object.keys(assignment)
    .sort()
    .map((k) => `${k}=${assignment[k]}`)
    .join(";");
}

/** One search's record: best-so-far observed loss and number of distinct configurations after each evaluation. */
export interface SearchTrace {
  best: number[];
  distinct: number[];
}

/**
 * One search of `evaluations` sequential evaluations. Evaluation k sees the suite's noise for
 * (seed, k). `onEvaluation`, when given, sees each evaluated configuration and its observed loss.
 */
export function traceSearch(problem: BenchmarkProblem, algorithm: Algorithm, seed: number, evaluations: number, onEvaluation?: (config: unknown, loss: number) => void): SearchTrace {
  const space = compile(problem.space);
  const trials: Trial[] = [];
  const best: number[] = [];
  const distinct: number[] = [];
  const seen = new Set<string>();
  let lowest = Infinity;
  for (let tid = 0; tid < evaluations; tid++) {
    const assignment = algorithm({ space, trials, tid, seed });
    if (assignment === null) break;
    const params = spaceEval(problem.space, assignment);
    const loss = observedLoss(problem, params, seed, tid);
    trials.push({ tid, status: "ok", assignment, params, loss, startTime: 0, metrics: [] });
    onEvaluation?.(params, loss);
    lowest = Math.min(lowest, loss);
    seen.add(configurationKey(assignment));
    best.push(lowest);
    distinct.push(seen.size);
  }
  return { best, distinct };
}

/** The best-so-far observed loss after each evaluation of one search (see traceSearch). */
export function runSearch(problem: BenchmarkProblem, algorithm: Algorithm, seed: number, evaluations: number): number[] {
  return traceSearch(problem, algorithm, seed, evaluations).best;
}

/** Summarizes runs into cells (median and quartiles over seeds). */
export function summarizeRuns(runs: readonly BenchmarkRun[], budgets: readonly number[]): BenchmarkCell[] {
  const groups = new Map<string, BenchmarkRun[]>();
  for (const r of runs) {
    const key = `${r.problem}\u0000${r.algorithm}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  const cells: BenchmarkCell[] = [];
  for (const list of groups.values()) {
    const first = list[0] as BenchmarkRun;
    budgets.forEach((budget, b) => {
      const values = list.map((r) => r.best[b]).filter((v): v is number => v !== undefined);
      cells.push({ problem: first.problem, algorithm: first.algorithm, budget, n: values.length, ...quartiles(values) });
    });
  }
  return cells;
}

/** Runs every algorithm on every problem with every seed, and summarizes by budget. */
export function runBenchmark(options: BenchmarkOptions): BenchmarkResult {
  const algorithms = options.algorithms.map(named);
  const budgets = [...options.budgets].sort((a, b) => a - b);
  const longest = budgets[budgets.length - 1] ?? 0;
  const runs: BenchmarkRun[] = [];
  for (const problem of options.problems) {
    for (const { name, algorithm } of algorithms) {
      for (const seed of options.seeds) {
        const trace = traceSearch(problem, algorithm, seed, longest);
        const at = (xs: number[], b: number, none: number): number => xs[Math.min(b, xs.length) - 1] ?? none;
        const run: BenchmarkRun = {
          problem: problem.name,
          algorithm: name,
          seed,
          best: budgets.map((b) => at(trace.best, b, Infinity)),
          distinct: budgets.map((b) => at(trace.distinct, b, 0)),
        };
        runs.push(run);
        options.onRun?.(run);
      }
    }
  }
  return {
    algorithms: algorithms.map((a) => a.name),
    problems: options.problems.map((p) => p.name),
    seeds: [...options.seeds],
    budgets,
    runs,
    cells: summarizeRuns(runs, budgets),
  };
}
