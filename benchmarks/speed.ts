import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Algorithm } from "../src/algorithms/algorithm.js";
import { anneal } from "../src/algorithms/anneal.js";
import { rand } from "../src/algorithms/rand.js";
import { tpe } from "../src/algorithms/tpe/tpe.js";
import { speedSpaces } from "../src/benchmark/problems.js";
import { percentile } from "../src/benchmark/statistics.js";
import { fmin } from "../src/search/fmin.js";
import { createRng } from "../src/rng/rng.js";
import { compile } from "../src/space/compile.js";
import { sampleAssignment } from "../src/space/sample.js";
import { spaceEval } from "../src/space/spaceEval.js";
import type { Trial } from "../src/trials/trial.js";
import { searchSeconds } from "./baselines.js";
import { buildPackage, runFresh } from "./freshProcess.js";
import { writeResults } from "./writeResults.js";

/**
 * Suggestion overhead: one suggestion given n finished trials, whole 200-evaluation searches
 * warm (in this process) and cold (each in a fresh process, after one 20-evaluation search, as
 * Hyperopt's were timed), and a 5000-evaluation TPE search in a fresh process; the fresh
 * processes run the built package (it is built first), as an installed hyperopt-ts runs; and the
 * wall time and heap of a fresh process that imports the package, beside a bare node. `--write`
 * rewrites benchmarks/results/speed.*. `--node <binary>` also times the fresh-process searches under
 * another Node.js (e.g. Node 24 beside the default Node 20).
 */
const sizes = [10, 100, 300, 1000, 2000];
const longEvals = 5000;
const reps: Record<number, number> = { 10: 31, 100: 31, 300: 31, 1000: 15, 2000: 11 };
const algorithms: [string, Algorithm][] = [
  ["rand", rand.suggest],
  ["anneal", anneal.suggest],
  ["tpe (hyperopt preset)", tpe.hyperopt],
  ["tpe (default)", tpe.suggest],
];

function history(space: unknown, loss: (c: any) => number, n: number): Trial[] {
  const compiled = compile(space);
  const rng = createRng(12345);
  return Array.from({ length: n }, (_, tid) => {
    const assignment = sampleAssignment(compiled, rng);
    const params = spaceEval(space, assignment);
    return { tid, status: "ok", assignment, params, loss: loss(params), startTime: 0, metrics: [] };
  });
}

const lines: string[] = ["# Speed benchmark", "", `Node ${process.version}; medians (25th–75th percentile) in milliseconds; ratio = median / rand's median in the same run. History: the first n of 2000 prior draws (seed 12345) scored with the space's history loss.`, ""];
const json: Record<string, unknown> = { node: process.version, suggestion: {}, search: {} };
for (const { name, space, loss } of speedSpaces()) {
  const compiled = compile(space);
  const full = history(space, loss, 2000);
  lines.push(`## One suggestion, ${name}`, "", `| algorithm | ${sizes.map((n) => `n=${n}`).join(" | ")} |`, `|---|${sizes.map(() => "---|").join("")}`);
  const medians: Record<string, number[]> = {};
  for (const [algoName, algo] of algorithms) {
    const cells: string[] = [];
    medians[algoName] = [];
    for (const n of sizes) {
      const trials = full.slice(0, n);
      algo({ space: compiled, trials, tid: n, seed: 0 });
      const times: number[] = [];
      for (let r = 0; r < (reps[n] as number); r++) {
        const t0 = performance.now();
        algo({ space: compiled, trials, tid: n + r, seed: 0 });
        times.push(performance.now() - t0);
      }
      const median = percentile(times, 50);
      (medians[algoName] as number[]).push(median);
      const ratio = median / ((medians.rand as number[])[sizes.indexOf(n)] as number);
      cells.push(`${median.toFixed(3)} (${percentile(times, 25).toFixed(3)}–${percentile(times, 75).toFixed(3)}) ×${ratio.toFixed(0)}`);
    }
    lines.push(`| ${algoName} | ${cells.join(" | ")} |`);
  }
  (json.suggestion as Record<string, unknown>)[name] = { sizes, medians };
  lines.push("");
}
lines.push("## Whole search: fmin, 200 evaluations of the history loss (seconds, median of 5 seeds)", "", "| algorithm | uniform2d | mixed10d |", "|---|---|---|");
for (const [algoName, algo] of algorithms) {
  const cells: string[] = [];
  for (const { name, space, loss } of speedSpaces()) {
    const times: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      const t0 = performance.now();
      await fmin({ fn: loss, space, algo, maxEvals: 200, seed, showProgressbar: false });
      times.push((performance.now() - t0) / 1000);
    }
    const median = percentile(times, 50);
    ((json.search as Record<string, Record<string, number>>)[algoName] ??= {})[name] = median;
    cells.push(`${median.toFixed(3)} [${Math.min(...times).toFixed(3)}–${Math.max(...times).toFixed(3)}]`);
  }
  lines.push(`| ${algoName} | ${cells.join(" | ")} |`);
}
lines.push("");

interface Fresh {
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
}

const nodeFlag = process.argv.indexOf("--node");
const otherNode = nodeFlag === -1 ? undefined : process.argv[nodeFlag + 1];
if (nodeFlag !== -1 && (otherNode === undefined || otherNode.startsWith("--"))) throw new Error("--node needs the path of a node binary");

buildPackage();

/** One search in a fresh node process (benchmarks/freshSearch.mjs, on the built package), timed there. */
function fresh(space: string, evaluations: number, seed: number, node = process.execPath): Fresh {
  return runFresh<Fresh>("freshSearch.mjs", [space, String(evaluations), String(seed)], { node });
}

/** The version of a node binary. */
function versionOf(node: string): string {
  const child = spawnSync(node, ["--version"], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`--node ${node}: it does not run (${child.stderr || child.error?.message})`);
  return child.stdout.trim();
}

const importRuns = 7;
const rootModule = new URL("../dist/index.js", import.meta.url).href;

/** Wall milliseconds of a fresh node process running the ES module `code`, timed from this process; and what it printed. */
function nodeRun(code: string, flags: string[] = []): { ms: number; output: string } {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [...flags, "--input-type=module", "-e", code], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (child.status !== 0) throw new Error(`node -e ${code} failed: ${child.stderr}`);
  return { ms, output: child.stdout.trim() };
}

const bareMs: number[] = [];
const importMs: number[] = [];
for (let r = 0; r < importRuns; r++) {
  bareMs.push(nodeRun("").ms);
  importMs.push(nodeRun(`await import(${JSON.stringify(rootModule)});`).ms);
}
const heapCode = `await import(${JSON.stringify(rootModule)}); globalThis.gc(); console.log(process.memoryUsage().heapUsed / 1048576);`;
const heapMB = percentile([0, 1, 2].map(() => Number(nodeRun(heapCode, ["--expose-gc"]).output)), 50);
const bareMedian = percentile(bareMs, 50);
const importMedian = percentile(importMs, 50);
/** A median with its 25th–75th percentile. */
const spread = (times: number[]): string => `${percentile(times, 50).toFixed(0)} (${percentile(times, 25).toFixed(0)}–${percentile(times, 75).toFixed(0)})`;
json.import = { runs: importRuns, bareMs, importMs, heapMB };
lines.push(
  "## Import: `import(\"hyperopt-ts\")` in a fresh process",
  "",
  `Wall time of a fresh node process that imports the built package's root (dist/index.js), beside a bare node process (an empty module) started as often, interleaved; median (25th–75th percentile) of ${importRuns} each, in milliseconds, timed from the parent. Heap: heapUsed after the import and a full collection, median of 3 processes.`,
  "",
  "| | ms | × bare node |",
  "|---|---|---|",
  `| bare node | ${spread(bareMs)} | 1.0 |`,
  `| import("hyperopt-ts") | ${spread(importMs)} | ${(importMedian / bareMedian).toFixed(1)} |`,
  `| the import alone (difference of medians) | ${(importMedian - bareMedian).toFixed(0)} | |`,
  "",
  `Heap after the import: ${heapMB.toFixed(1)} MB.`,
  "",
);

const freshSeeds = [0, 1, 2, 3, 4];
const cold = freshSeeds.map((seed) => fresh("mixed10d", 200, seed));
const other = otherNode === undefined ? undefined : { node: versionOf(otherNode), runs: freshSeeds.map((seed) => fresh("mixed10d", 200, seed, otherNode)) };
const warm = (json.search as Record<string, Record<string, number>>)["tpe (default)"]?.mixed10d as number;
/** The cold rows of runs under another Node. */
function coldRows(node: string, runs: Fresh[]): string[] {
  const wall = percentile(runs.map((r) => r.seconds), 50);
  const cpu = percentile(runs.map((r) => r.cpuSeconds), 50);
  return [
    `| ours, cold (wall), Node ${node} | ${wall.toFixed(3)} [${Math.min(...runs.map((r) => r.seconds)).toFixed(3)}–${Math.max(...runs.map((r) => r.seconds)).toFixed(3)}] | ${(hyperopt / wall).toFixed(1)} |`,
    `| ours, cold (CPU), Node ${node} | ${cpu.toFixed(3)} | ${(hyperopt / cpu).toFixed(1)} |`,
  ];
}
const coldWall = percentile(cold.map((r) => r.seconds), 50);
const coldCpu = percentile(cold.map((r) => r.cpuSeconds), 50);
const hyperopt = searchSeconds["HO tpe"] as number;
lines.push(
  "## Whole search from a cold start: tpe (default), 200 evaluations, mixed10d",
  "",
  `Each in a fresh process running the built package (node on dist/; Node ${process.version} unless the row names another), after one untimed 20-evaluation search, as Hyperopt's and Optuna's whole searches were timed (baselines: median of 15 runs). Median of seeds ${freshSeeds.join(", ")}; CPU = user + system seconds of the timed search.`,
  "",
  "| | seconds | × faster than HO tpe |",
  "|---|---|---|",
  `| ours, cold (wall) | ${coldWall.toFixed(3)} [${Math.min(...cold.map((r) => r.seconds)).toFixed(3)}–${Math.max(...cold.map((r) => r.seconds)).toFixed(3)}] | ${(hyperopt / coldWall).toFixed(1)} |`,
  `| ours, cold (CPU) | ${coldCpu.toFixed(3)} | ${(hyperopt / coldCpu).toFixed(1)} |`,
  ...(other === undefined ? [] : coldRows(other.node, other.runs)),
  `| ours, warm (in-process, above) | ${warm.toFixed(3)} | ${(hyperopt / warm).toFixed(1)} |`,
  ...Object.entries(searchSeconds).map(([name, sec]) => `| ${name} (baseline) | ${sec} | ${(hyperopt / sec).toFixed(1)} |`),
  "",
);
const longSeeds = [0, 1];
const long = longSeeds.map((seed) => fresh("mixed10d", longEvals, seed));
const mid = fresh("mixed10d", 1000, 0);
json.cold = { evaluations: 200, seeds: freshSeeds, runs: cold, warm, ...(other === undefined ? {} : { other }) };
json.longSearch = { evaluations: longEvals, seeds: longSeeds, runs: long, thousand: mid };
lines.push(
  `## Long search: tpe (default), ${longEvals} evaluations, mixed10d, fresh process (seeds ${longSeeds.join(", ")})`,
  "",
  "| | wall seconds | CPU seconds | peak RSS (MB) |",
  "|---|---|---|---|",
  ...long.map((r, i) => `| ${longEvals} evaluations, seed ${longSeeds[i]} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.maxRssMB.toFixed(0)} |`),
  `| 1000 evaluations, seed 0 | ${mid.seconds.toFixed(2)} | ${mid.cpuSeconds.toFixed(2)} | ${mid.maxRssMB.toFixed(0)} |`,
  ...Object.entries(searchSeconds).map(([name, sec]) => `| ${name}, 200 evaluations (baseline) | ${sec} | | |`),
  "",
);
const text = lines.join("\n");
console.log(text);
writeResults({ "speed.md": text, "speed.json": JSON.stringify(json, null, 1) + "\n" });
