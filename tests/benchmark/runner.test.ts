import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defineAlgorithm } from "../../src/algorithms/algorithm.js";
import { rand } from "../../src/algorithms/rand.js";
import { tpe } from "../../src/algorithms/tpe/tpe.js";
import { extraLosses, suiteLosses } from "../../src/benchmark/losses.js";
import { extraProblems, loadSuite, problemsFromSuite, publicProblems } from "../../src/benchmark/problems.js";
import { successCounts } from "../../src/benchmark/success.js";
import { packagedSuiteUrl } from "../../src/benchmark/suiteFile.js";
import { HyperoptArgumentError } from "../../src/errors.js";
import { runBenchmark, traceSearch } from "../../src/benchmark/runner.js";
import { meanRanks, percentile } from "../../src/benchmark/statistics.js";
import { formatBenchmarkTable, formatShortfalls, shortfalls } from "../../src/benchmark/table.js";
import { spaceToJSON } from "../../src/space/json.js";

describe("problems", () => {
  it("reach their known minimum at the argmin", () => {
    const file = JSON.parse(readFileSync(new URL("../../benchmarks/suite-public.json", import.meta.url), "utf8"));
    for (const p of file.problems as { name: string; argmin: unknown; min_loss: number }[]) {
      expect((suiteLosses[p.name] as (c: unknown) => number)(p.argmin)).toBeCloseTo(p.min_loss, 9);
    }
  });

  it("load the public suite from the repository's suite file, the one file shipped with the package", () => {
    const repoFile = new URL("../../benchmarks/suite-public.json", import.meta.url);
    expect(readFileSync(packagedSuiteUrl("suite-public.json"), "utf8")).toBe(readFileSync(repoFile, "utf8"));
    const file = JSON.parse(readFileSync(repoFile, "utf8")) as { problems: { name: string; space: unknown; noise: unknown; min_loss: number }[] };
    const view = publicProblems().map((p) => ({ name: p.name, space: spaceToJSON(p.space), noise: p.noise, minLoss: p.minLoss }));
    expect(view).toEqual(file.problems.map((p) => ({ name: p.name, space: p.space, noise: p.noise, minLoss: p.min_loss })));
    expect(view.map((p) => p.name)).toEqual(["quadratic1", "branin", "rosenbrock4", "q1_lognormal", "n_arms", "gauss_wave2", "sphere10_shifted"]);
    expect(loadSuite(repoFile.pathname).map((p) => p.name)).toEqual(view.map((p) => p.name));
  });

  it("refuse a suite that is not in the suite format, naming the field", () => {
    expect(() => problemsFromSuite({ problems: [{ name: "quadratic1", space: {} }] })).toThrow(HyperoptArgumentError);
    expect(() => problemsFromSuite({ problems: [{ name: "quadratic1", space: {} }] })).toThrow(/suite\.problems\.0\.noise/);
    expect(() => loadSuite("/nonexistent/suite.json")).toThrow(/cannot read the suite file/);
  });
});

describe("statistics", () => {
  it("interpolates percentiles like numpy and averages ranks with ties", () => {
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentile([5], 75)).toBe(5);
    expect(meanRanks([[1, 2, 2], [3, 1, 2]])).toEqual([2, 1.75, 2.25]);
  });
});

describe("runBenchmark", () => {
  it("runs algorithms x problems x seeds and reports budgets, with user algorithms", () => {
    const firstPoint = defineAlgorithm("always-zero", {}, () => ({ x: 0 }));
    const problems = publicProblems().filter((p) => p.name === "quadratic1" || p.name === "n_arms");
    const result = runBenchmark({
      algorithms: [rand.suggest, { name: "tpe", algorithm: tpe.suggest }, firstPoint],
      problems,
      seeds: [0, 1, 2],
      budgets: [5, 12],
    });
    expect(result.runs).toHaveLength(2 * 3 * 3);
    expect(result.cells).toHaveLength(2 * 3 * 2);
    const zero = result.cells.find((c) => c.algorithm === "always-zero" && c.problem === "quadratic1" && c.budget === 12);
    expect(zero?.median).toBe(9);
    for (const r of result.runs) expect(r.best[1] as number).toBeLessThanOrEqual(r.best[0] as number);
    const table = formatBenchmarkTable(result, { references: [{ name: "ref", cells: { quadratic1: { "5": [0, 0, 1] } } }] });
    expect(table).toContain("### Best observed loss after 12 evaluations");
    expect(table).toContain("| quadratic1 |");
    expect(table).toContain("**0 [0, 1]**");
    expect(table).toContain("Mean rank");
  });

  it("shows a search's evaluations, in order, with the losses its trace is made of", () => {
    const nArms = publicProblems().find((p) => p.name === "n_arms");
    if (!nArms) throw new Error("no n_arms");
    const seen: { config: unknown; loss: number }[] = [];
    const trace = traceSearch(nArms, tpe.suggest, 3, 30, (config, loss) => seen.push({ config, loss }));
    expect(seen).toHaveLength(30);
    for (const { config } of seen) expect([{ x: 0 }, { x: 1 }]).toContainEqual(config);
    let lowest = Infinity;
    expect(seen.map(({ loss }) => (lowest = Math.min(lowest, loss)))).toEqual(trace.best);
    expect(traceSearch(nArms, tpe.suggest, 3, 30)).toEqual(trace);
  });
});

describe("extra suite", () => {
  it("loads from the shipped suite-extra.json, each problem reaching its minimum at its argmin", () => {
    const file = JSON.parse(readFileSync(new URL("../../benchmarks/suite-extra.json", import.meta.url), "utf8")) as { problems: { name: string; argmin: unknown; min_loss: number; success_below: number }[] };
    const problems = extraProblems();
    expect(problems.map((p) => p.name)).toEqual(["model_select", "deceptive2d", "roots_randint2", "roots_randint5", "roots_randint20", "roots_choice98"]);
    for (const p of file.problems) {
      const loss = (extraLosses[p.name] as (c: unknown) => number)(p.argmin);
      expect(Math.abs(loss - p.min_loss)).toBeLessThan(1e-4);
      expect(loss).toBeLessThan(p.success_below);
    }
  });

  it("counts successes, distinct configurations and the references' leads", () => {
    const problems = extraProblems().filter((p) => p.name === "roots_randint20");
    const always50 = defineAlgorithm("always-50", {}, () => ({ t: 50 }));
    const always21 = defineAlgorithm("always-21", {}, () => ({ t: 21 }));
    const result = runBenchmark({ algorithms: [always50, always21], problems, seeds: [0, 1], budgets: [3, 6] });
    expect(successCounts(result, problems)).toEqual([
      { problem: "roots_randint20", algorithm: "always-50", successes: [2, 2], runs: 2 },
      { problem: "roots_randint20", algorithm: "always-21", successes: [0, 0], runs: 2 },
    ]);
    expect(result.runs.every((r) => r.distinct.every((d) => d === 1))).toBe(true);
    const ahead = shortfalls(result, [{ name: "ref", cells: { roots_randint20: { "3": [1, 0, 2], "6": [1e9, 0, 2e9] } } }], "always-21");
    expect(ahead).toEqual([{ budget: 3, problem: "roots_randint20", reference: "ref", theirs: 1, ours: Math.abs(21 ** 3 - 63 * 21 ** 2 + 680 * 21 - 1500) }]);
    expect(formatShortfalls(ahead, "always-21")).toContain("roots_randint20: ref 1 against");
  });
});
