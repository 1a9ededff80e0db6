import type { BenchmarkProblem } from "./problems.js";
import type { BenchmarkResult } from "./runner.js";

/** How many runs of one problem × algorithm succeeded by each budget (best loss below the problem's mark). */
export interface SuccessCount {
  problem: string;
  algorithm: string;
  /** Per budget of the result, the number of successful runs. */
  successes: number[];
  runs: number;
}

/** Success counts for the problems that have a success mark (`successBelow`). */
export function successCounts(result: BenchmarkResult, problems: readonly BenchmarkProblem[]): SuccessCount[] {
  const out: SuccessCount[] = [];
  for (const problem of problems) {
    const mark = problem.successBelow;
    if (mark === null) continue;
    for (const algorithm of result.algorithms) {
      const runs = result.runs.filter((r) => r.problem === problem.name && r.algorithm === algorithm);
      const successes = result.budgets.map((_, b) => runs.filter((r) => (r.best[b] as number) < mark).length);
      out.push({ problem: problem.name, algorithm, successes, runs: runs.length });
    }
  }
  return out;
}

/** A markdown table of success counts: one row per problem, one column per algorithm, "a/b/c of n" by budget. */
export function formatSuccessTable(result: BenchmarkResult, counts: readonly SuccessCount[]): string {
  const problems = [...new Set(counts.map((c) => c.problem))];
  const lines = [`| problem | ${result.algorithms.join(" | ")} |`, `|---|${result.algorithms.map(() => "---|").join("")}`];
  for (const problem of problems) {
    const cells = result.algorithms.map((a) => {
      const c = counts.find((x) => x.problem === problem && x.algorithm === a);
      return c ? `${c.successes.join(" / ")} of ${c.runs}` : "–";
    });
    lines.push(`| ${problem} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}
