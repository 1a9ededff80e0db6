import { tpe } from "../src/algorithms/tpe/tpe.js";
import type { TpeSettings } from "../src/algorithms/tpe/presets.js";
import { extraProblems, publicProblems } from "../src/benchmark/problems.js";
import { runBenchmark } from "../src/benchmark/runner.js";
import { meanRanks } from "../src/benchmark/statistics.js";
import { successCounts } from "../src/benchmark/success.js";

/**
 * Compares TPE settings on the public and extra suites:
 * `npx tsx benchmarks/tune.ts '{"name": {...settings}}'` prints each variant's median best loss
 * per problem and budget, its mean rank, and its success counts on the extra suite's problems
 * (by each budget). BENCH_SEEDS sets the seeds (default 25), BENCH_ONLY a comma-separated list of
 * problems, BENCH_BUDGETS a comma-separated list of budgets (default 50,100,200).
 */
const variants = JSON.parse(process.argv[2] ?? "{}") as Record<string, Partial<TpeSettings>>;
const seeds = Array.from({ length: Number(process.env.BENCH_SEEDS ?? 25) }, (_, i) => i);
const only = process.env.BENCH_ONLY?.split(",");
const problems = [...publicProblems(), ...extraProblems()].filter((p) => !only || only.includes(p.name));
const result = runBenchmark({
  algorithms: Object.entries(variants).map(([name, s]) => ({ name, algorithm: tpe.configure(s, name) })),
  problems,
  seeds,
  budgets: process.env.BENCH_BUDGETS?.split(",").map(Number) ?? [50, 100, 200],
});
const fmt = (v: number): string => v.toPrecision(4).padStart(11);
for (const budget of result.budgets) {
  const rows = result.problems.map((p) => result.algorithms.map((a) => result.cells.find((c) => c.problem === p && c.algorithm === a && c.budget === budget)?.median ?? Infinity));
  console.log(`budget ${budget}`);
  result.problems.forEach((p, i) => console.log(`  ${p.padEnd(18)} ${(rows[i] as number[]).map(fmt).join(" ")}`));
  console.log(`  ${"mean rank".padEnd(18)} ${meanRanks(rows).map((r) => r.toFixed(2).padStart(11)).join(" ")}`);
}
console.log(`successes by ${result.budgets.join("/")} evaluations`);
const counts = successCounts(result, problems);
for (const problem of new Set(counts.map((c) => c.problem))) {
  const cells = result.algorithms.map((a) => (counts.find((c) => c.problem === problem && c.algorithm === a)?.successes.join("/") ?? "–").padStart(11));
  console.log(`  ${problem.padEnd(18)} ${cells.join(" ")}`);
}
