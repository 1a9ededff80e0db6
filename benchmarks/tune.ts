import { tpe } from "../src/algorithms/tpe/tpe.js";
import type { TpeSettings } from "../src/algorithms/tpe/presets.js";
import { publicProblems } from "../src/benchmark/problems.js";
import { runBenchmark } from "../src/benchmark/runner.js";
import { meanRanks } from "../src/benchmark/statistics.js";

/**
 * Compares TPE settings on the public suite: `npx tsx benchmarks/tune.ts '{"name": {...settings}}'`
 * prints each variant's median best loss per problem and budget and its mean rank.
 */
const variants = JSON.parse(process.argv[2] ?? "{}") as Record<string, Partial<TpeSettings>>;
const seeds = Array.from({ length: Number(process.env.BENCH_SEEDS ?? 25) }, (_, i) => i);
const result = runBenchmark({
  algorithms: Object.entries(variants).map(([name, s]) => ({ name, algorithm: tpe.configure(s, name) })),
  problems: publicProblems(),
  seeds,
  budgets: [50, 100, 200],
});
for (const budget of result.budgets) {
  const rows = result.problems.map((p) => result.algorithms.map((a) => result.cells.find((c) => c.problem === p && c.algorithm === a && c.budget === budget)?.median ?? Infinity));
  console.log(`budget ${budget}`);
  result.problems.forEach((p, i) => console.log(`  ${p.padEnd(18)} ${(rows[i] as number[]).map((v) => v.toPrecision(4).padStart(11)).join(" ")}`));
  console.log(`  ${"mean rank".padEnd(18)} ${meanRanks(rows).map((r) => r.toFixed(2).padStart(11)).join(" ")}`);
}
