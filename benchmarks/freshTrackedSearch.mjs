import { performance } from "node:perf_hooks";
import { trackingSearch } from "../dist/benchmark/index.js";
import { fmin, tpe } from "../dist/index.js";

/**
 * One 1000-trial search of the tracking benchmark in this (fresh) process, on the built package, untracked or
 * recorded to an SQLite database in the working directory: `node benchmarks/freshTrackedSearch.mjs
 * <untracked|sqlite> <seed>`. The first search of a process that records to SQLite starts the writer thread,
 * which later ones find running. Prints the search's wall and CPU seconds (until fmin resolved) as JSON.
 */
const [store = "untracked", seed = "0"] = process.argv.slice(2);
const { space, loss } = trackingSearch();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await fmin({ fn: loss, space, algo: tpe.suggest, maxEvals: 1000, seed: Number(seed), tracking: store === "sqlite" ? "sqlite:///mlflow.db" : false, experiment: "bench", showProgressbar: false, handleSignals: false });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
