export { runBenchmark, runSearch, traceSearch, summarizeRuns, type SearchTrace, type BenchmarkOptions, type BenchmarkResult, type BenchmarkRun, type BenchmarkCell, type NamedAlgorithm } from "./runner.js";
export { formatBenchmarkTable, shortfalls, formatShortfalls, type ReferenceColumn, type TableOptions, type Shortfall } from "./table.js";
export { successCounts, formatSuccessTable, type SuccessCount } from "./success.js";
export { publicProblems, extraProblems, loadSuite, problemsFromSuite, observedLoss, speedSpaces, type BenchmarkProblem } from "./problems.js";
export { suiteLosses, extraLosses } from "./losses.js";
export { suiteNoise } from "./noise.js";
export { trackingSearch } from "./trackingSearch.js";
