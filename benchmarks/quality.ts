import { crossValidate, space as quickstartSpace } from "../examples/quickstartObjective.js";
import { anneal } from "../src/algorithms/anneal.js";
import { rand } from "../src/algorithms/rand.js";
import { tpe } from "../src/algorithms/tpe/tpe.js";
import { extraProblems, publicProblems, type BenchmarkProblem } from "../src/benchmark/problems.js";
import { runBenchmark, traceSearch, type BenchmarkResult, type NamedAlgorithm } from "../src/benchmark/runner.js";
import { percentile, quartiles } from "../src/benchmark/statistics.js";
import { formatSuccessTable, successCounts } from "../src/benchmark/success.js";
import { formatBenchmarkTable, formatShortfalls, shortfalls } from "../src/benchmark/table.js";
import { baselines } from "./baselines.js";
import { writeRequested, writeResults } from "./writeResults.js";

/**
 * Quality benchmark: rand, anneal, TPE (Hyperopt preset) and TPE (default) on the public suite
 * beside Hyperopt's and Optuna's numbers, on the extra suite (success rates), and the distinct
 * configurations each spends its budget on. `--write` rewrites benchmarks/results/quality.*.
 */
const seeds = Array.from({ length: Number(process.env.BENCH_SEEDS ?? 25) }, (_, i) => i);
const ours = "tpe (default)";
const algorithms: NamedAlgorithm[] = [
  { name: "rand", algorithm: rand.suggest },
  { name: "anneal", algorithm: anneal.suggest },
  { name: "tpe (hyperopt preset)", algorithm: tpe.hyperopt },
  { name: ours, algorithm: tpe.suggest },
];
const progress = (run: { problem: string; algorithm: string; seed: number }): void => {
  process.stderr.write(`\r${run.problem} ${run.algorithm} seed ${run.seed}          `);
};
const started = Date.now();
const publicResult = runBenchmark({ algorithms, problems: publicProblems(), seeds, budgets: [50, 100, 200], onRun: progress });
const extras = extraProblems();
const extraResult = runBenchmark({ algorithms, problems: extras, seeds, budgets: [50, 100, 150, 200], onRun: progress });
const quickstart: BenchmarkProblem = { name: "quickstart", space: quickstartSpace, loss: crossValidate, noise: null, minLoss: null, successBelow: null };
const quickstartAlgorithms = [...algorithms, { name: "tpe (default, repeats allowed)", algorithm: tpe.configure({ avoidDuplicates: false }, "tpe-repeats") }];
const quickstartResult = runBenchmark({ algorithms: quickstartAlgorithms, problems: [quickstart], seeds: [42, ...seeds.slice(0, 9)], budgets: [50, 100, 150], onRun: progress });
const banditSeeds = 200;
const bandit = banditTable(banditSeeds, [50, 100, 200]);
process.stderr.write("\n");
const seconds = (Date.now() - started) / 1000;

/** Distinct configurations by budget: median over seeds, per problem and algorithm (and seed 42 alone for the quickstart). */
function distinctTable(result: BenchmarkResult, problems: readonly string[], seed42 = false): string {
  const lines = [`| problem | ${result.algorithms.join(" | ")} |`, `|---|${result.algorithms.map(() => "---|").join("")}`];
  for (const problem of problems) {
    const cells = result.algorithms.map((a) => {
      const runs = result.runs.filter((r) => r.problem === problem && r.algorithm === a && (!seed42 || r.seed === 42));
      return result.budgets.map((_, b) => percentile(runs.map((r) => r.distinct[b] as number), 50)).join(" / ");
    });
    lines.push(`| ${problem}${seed42 ? " (seed 42)" : ""} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/**
 * n_arms (two arms, mean losses -1 and 0, noise sigma 1) over many seeds: per algorithm, the
 * share of evaluations spent on the better arm and the best observed loss, by budget. Its best
 * loss is mostly the luckiest noise draw, so 25 seeds' medians differ by chance; the share and
 * many seeds separate the algorithms.
 */
function banditTable(seedCount: number, budgets: readonly number[]): string {
  const problem = publicProblems().find((p) => p.name === "n_arms");
  if (!problem) throw new Error("quality: the public suite has no n_arms");
  const short = (x: number): string => Number(x.toPrecision(4)).toString();
  const lines = [`| algorithm | better arm, share of evaluations | ${budgets.map((b) => `best loss after ${b}`).join(" | ")} |`, `|---|---|${budgets.map(() => "---|").join("")}`];
  for (const { name, algorithm } of algorithms) {
    const good = budgets.map(() => 0);
    const best: number[][] = budgets.map(() => []);
    for (let seed = 0; seed < seedCount; seed++) {
      let k = 0;
      const trace = traceSearch(problem, algorithm, seed, budgets[budgets.length - 1] as number, (config) => {
        k++;
        if ((config as { x: number }).x === 0) budgets.forEach((b, i) => (good[i] = (good[i] as number) + (k <= b ? 1 : 0)));
      });
      budgets.forEach((b, i) => (best[i] as number[]).push(trace.best[b - 1] as number));
    }
    const cells = best.map((values) => {
      const q = quartiles(values);
      return `${short(q.median)} [${short(q.q25)}, ${short(q.q75)}]`;
    });
    lines.push(`| ${name} | ${budgets.map((b, i) => `${((100 * (good[i] as number)) / (b * seedCount)).toFixed(1)}%`).join(" / ")} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
const rankAmong = [...baselines.map((b) => b.name), ours];
const discrete = ["n_arms", ...extras.filter((p) => p.name.startsWith("roots")).map((p) => p.name)];
const text = [
  "# Quality benchmark",
  "",
  `${seeds.length} seeds (0..${seeds.length - 1}); cells are median [25th, 75th percentile] over seeds of the best observed loss, the lowest median of a row in bold. Generated by \`npm run bench:quality\` in ${seconds.toFixed(0)} s.`,
  "",
  "## Public suite",
  "",
  "HO and OP columns are Hyperopt 0.3.0 and Optuna 5 on the same problems and noise, measured on this machine kind (benchmarks/baselines.ts): every column of the shared baselines. Mean ranks are among all of them and our default.",
  "",
  formatBenchmarkTable(publicResult, { references: baselines, rankAmong }),
  `### Where a baseline is ahead of ${ours}`,
  "",
  formatShortfalls(shortfalls(publicResult, baselines, ours), ours),
  "",
  `### n_arms over ${banditSeeds} seeds (0..${banditSeeds - 1})`,
  "",
  "A noisy two-armed bandit: its best observed loss is mostly the luckiest noise draw, so medians over 25 seeds differ by chance. The share of evaluations on the better arm (by 50 / 100 / 200 evaluations) and many seeds separate the algorithms; cells are median [25th, 75th percentile].",
  "",
  bandit,
  "",
  "## Extra suite (benchmarks/suite-extra.json)",
  "",
  "model_select: a choice of model family whose best family is hard to find; deceptive2d: a broad basin beside a narrow, deeper one; roots_*: Hyperopt's randint test (a root of a cubic over randint(k, 100), k = 2, 5, 20, and over a choice of the 98 integers 2..99).",
  "",
  formatBenchmarkTable(extraResult),
  "### Successes (best branch found, deep basin found, a root found) by 50 / 100 / 150 / 200 evaluations",
  "",
  formatSuccessTable(extraResult, successCounts(extraResult, extras)),
  "",
  "## Distinct configurations evaluated (median over seeds) by 50 / 100 / 200 evaluations",
  "",
  distinctTable(publicResult, ["n_arms"]),
  "",
  "By 50 / 100 / 150 / 200 evaluations:",
  "",
  distinctTable(extraResult, discrete.slice(1)),
  "",
  "The quickstart's search (examples/quickstart.ts, 150 evaluations; its k-NN branch has 116 configurations), by 50 / 100 / 150 evaluations; first row its own seed, second the median over seeds 0..8 and 42:",
  "",
  distinctTable(quickstartResult, ["quickstart"], true),
  distinctTable(quickstartResult, ["quickstart"]).split("\n").slice(2).join("\n"),
  "",
].join("\n");
console.log(text);
/** JSON with every array of numbers on one line (a run's losses by budget), the rest indented. */
function compactJSON(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\[\s+([-\d.eE+,\s]+?)\s+\]/g, (_, xs: string) => `[${xs.split(/,\s+/).join(", ")}]`) + "\n";
}
const json = compactJSON({ public: publicResult, extra: extraResult, quickstart: quickstartResult });
if (seeds.length === 25) writeResults({ "quality.json": json, "quality.md": text });
else if (writeRequested()) process.stderr.write(`results not written: the committed results use 25 seeds, this run ${seeds.length}\n`);
