export { runBenchmark, runSearch, summarizeRuns, type BenchmarkOptions, type BenchmarkResult, type BenchmarkRun, type BenchmarkCell, type NamedAlgorithm } from "./runner.js";
export { formatBenchmarkTable, type ReferenceColumn, type TableOptions } from "./table.js";
export { publicProblems, loadSuite, problemsFromSuite, observedLoss, speedSpaces, type BenchmarkProblem } from "./problems.js";
export { suiteLosses } from "./losses.js";
export { suiteNoise } from "./noise.js";
