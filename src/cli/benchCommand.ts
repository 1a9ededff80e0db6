import type { Command } from "commander";
import type { Algorithm } from "../algorithms/algorithm.js";
import { anneal } from "../algorithms/anneal.js";
import { rand } from "../algorithms/rand.js";
import { tpe } from "../algorithms/tpe/tpe.js";
import { publicProblems } from "../benchmark/problems.js";
import { runBenchmark } from "../benchmark/runner.js";
import { formatBenchmarkTable } from "../benchmark/table.js";
import { CliError } from "./exit.js";
import { parseNames, parseWhole, parseWholeList } from "./parse.js";

const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  rand: rand.suggest,
  anneal: anneal.suggest,
  "tpe-hyperopt": tpe.hyperopt,
  tpe: tpe.suggest,
};

interface BenchFlags {
  algorithms: string[];
  problems?: string[];
  seeds: number;
  budgets: number[];
}

function pick<T>(what: string, names: readonly string[], known: ReadonlyMap<string, T>): T[] {
  return names.map((name) => {
    const found = known.get(name);
    if (found === undefined) throw new CliError(`--${what}: unknown name ${JSON.stringify(name)}; expected some of ${[...known.keys()].join(", ")}`);
    return found;
  });
}

export function register(program: Command): void {
  program
    .command("bench")
    .description("benchmark search algorithms on the public suite and print the markdown table of best losses")
    .option("--algorithms <names>", `comma-separated, of ${Object.keys(ALGORITHMS).join(", ")}`, parseNames, Object.keys(ALGORITHMS))
    .option("--problems <names>", "comma-separated problem names of the public suite (default: all)", parseNames)
    .option("--seeds <n>", "number of seeds (0 .. n-1)", parseWhole(1), 5)
    .option("--budgets <list>", "comma-separated evaluation counts", parseWholeList(1), [50, 100, 200])
    .action((flags: BenchFlags) => {
      const all = publicProblems();
      const problems = flags.problems === undefined ? all : pick("problems", flags.problems, new Map(all.map((p) => [p.name, p])));
      const algorithms = pick("algorithms", flags.algorithms, new Map(Object.entries(ALGORITHMS)));
      const result = runBenchmark({
        algorithms: algorithms.map((algorithm, i) => ({ name: flags.algorithms[i] as string, algorithm })),
        problems,
        seeds: Array.from({ length: flags.seeds }, (_, i) => i),
        budgets: flags.budgets,
        onRun: (run) => process.stderr.write(`${run.problem} ${run.algorithm} seed ${run.seed}\n`),
      });
      process.stdout.write(formatBenchmarkTable(result));
    });
}
