import { performance } from "node:perf_hooks";
import { speedSpaces } from "../dist/benchmark/index.js";
import { fmin, tpe } from "../dist/index.js";

/**
 * One timed search in this (fresh) process, the way Hyperopt's whole-search times were taken:
 * first an untimed 20-evaluation search, then the timed one. It runs the built package
 * (dist/, what an installed hyperopt-ts runs; benchmarks/speed.ts builds it first) under plain
 * node: `node benchmarks/freshSearch.mjs <space> <evaluations> <seed> [settings JSON]`; prints the
 * search's wall and CPU seconds and the process's peak resident memory as JSON.
 */
const [spaceName = "mixed10d", evaluations = "200", seed = "0", settings = "{}"] = process.argv.slice(2);
const algo = tpe.configure(JSON.parse(settings));
const problem = speedSpaces().find((s) => s.name === spaceName);
if (!problem) throw new Error(`freshSearch: no speed space named ${spaceName}`);
await fmin({ fn: problem.loss, space: problem.space, algo, maxEvals: 20, seed: Number(seed) + 1000, showProgressbar: false });
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await fmin({ fn: problem.loss, space: problem.space, algo, maxEvals: Number(evaluations), seed: Number(seed), showProgressbar: false });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
