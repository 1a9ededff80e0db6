import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fmin, hp, rand, WorkerTrials, type Trial } from "../src/index.js";
import { spin } from "./parallelObjectives.js";

/*
 * Parallel trial execution: throughput of WorkerTrials against the ideal for a sleeping
 * objective, speed-up for a CPU-bound one, and the cost of dispatching a trial.
 * Run with `npm run bench:parallel`; writes benchmarks/results/parallel.{json,md}.
 */

const objectives = new URL("./parallelObjectives.ts", import.meta.url);
const SLEEP_MS = 50;

interface Run {
  /** Seconds of the whole fmin call. */
  wallSeconds: number;
  /** Seconds from the start of fmin until every worker had finished a trial. */
  warmSeconds: number;
  /** Trials finished per second from then until the last trial was dispatched. */
  steadyTrialsPerSecond: number;
  steadyTrials: number;
  history: Trial[];
}

/** Thread id -> when its first trial ended: the worker is warm from then on. */
function warmTimes(history: readonly Trial[]): Map<number, number> {
  const firstEnd = new Map<number, number>();
  for (const t of history) {
    const thread = t.metrics[0]?.value;
    if (t.status === "ok" && thread !== undefined && t.endTime !== undefined) firstEnd.set(thread, Math.min(firstEnd.get(thread) ?? Infinity, t.endTime));
  }
  return firstEnd;
}

/**
 * Runs a search on `parallelism` workers until every worker has been warm for `steadySeconds`,
 * and measures its steady state.
 */
async function timedSearch(exportName: string, parallelism: number, steadySeconds: number, iterations = 0): Promise<Run> {
  const started = Date.now();
  const trials = new WorkerTrials({ parallelism, gracePeriod: 0 });
  let checked = 0;
  const earlyStop = (history: readonly Trial[]): boolean => {
    if (Date.now() - checked < 100) return false;
    checked = Date.now();
    const warm = warmTimes(history);
    return warm.size === parallelism && Date.now() - Math.max(...warm.values()) >= steadySeconds * 1000;
  };
  await fmin({
    fn: { module: objectives, export: exportName },
    trials,
    space: { x: hp.uniform("x", 0, 1), iterations },
    algo: rand.suggest,
    earlyStop,
    timeout: 120,
    seed: 1,
    showProgressbar: false,
  });
  const history = trials.trials;
  const failed = history.filter((t) => t.status !== "ok");
  if (failed.length > 0) throw new Error(`benchmark: ${failed.length} trials did not succeed: ${failed[0]?.error?.message}`);
  const firstEnd = warmTimes(history);
  if (firstEnd.size < parallelism) throw new Error(`benchmark: only ${firstEnd.size} of ${parallelism} workers finished a trial`);
  const warm = Math.max(...firstEnd.values());
  const lastDispatch = Math.max(...history.map((t) => t.startTime));
  const steadyTrials = history.filter((t) => (t.endTime as number) > warm && (t.endTime as number) <= lastDispatch).length;
  return {
    wallSeconds: (Date.now() - started) / 1000,
    warmSeconds: (warm - started) / 1000,
    steadyTrialsPerSecond: steadyTrials / ((lastDispatch - warm) / 1000),
    steadyTrials,
    history,
  };
}

async function sleepThroughput(parallelism: number) {
  const run = await timedSearch("sleep50", parallelism, 4);
  const ideal = parallelism / (SLEEP_MS / 1000);
  return {
    parallelism,
    idealTrialsPerSecond: ideal,
    warmSeconds: run.warmSeconds,
    steadyTrials: run.steadyTrials,
    steadyTrialsPerSecond: run.steadyTrialsPerSecond,
    steadyEfficiency: run.steadyTrialsPerSecond / ideal,
    endToEndTrialsPerSecond: run.history.length / run.wallSeconds,
  };
}

/** Iterations of `spin` that take about `ms` in this thread, once compiled (the fastest of a few runs). */
function calibrate(ms: number): number {
  const iterations = 1_000_000;
  let fastest = Infinity;
  for (let run = 0; run < 8; run++) {
    const started = performance.now();
    spin(iterations, 0.5);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return Math.round((iterations * ms) / fastest);
}

async function cpuSpeedup() {
  const iterations = calibrate(100);
  const [one, two] = [await timedSearch("arithmetic", 1, 6, iterations), await timedSearch("arithmetic", 2, 6, iterations)];
  const okMs = (run: Run) => run.history.reduce((s, t) => s + (t.endTime as number) - t.startTime, 0) / run.history.length;
  return {
    iterations,
    meanTrialMs: { parallelism1: okMs(one), parallelism2: okMs(two) },
    steadyTrialsPerSecond: { parallelism1: one.steadyTrialsPerSecond, parallelism2: two.steadyTrialsPerSecond },
    speedup: two.steadyTrialsPerSecond / one.steadyTrialsPerSecond,
  };
}

async function dispatchOverhead(trials: number) {
  const started = performance.now();
  await fmin({ fn: (p) => (p as { x: number }).x, space: { x: hp.uniform("x", 0, 1) }, algo: rand.suggest, maxEvals: trials, seed: 1, showProgressbar: false });
  const rows = [{ executor: "inline", parallelism: 1, trialsPerSecond: trials / ((performance.now() - started) / 1000) }];
  for (const parallelism of [1, 2, 8]) {
    const run = await timedSearch("trivial", parallelism, 3);
    rows.push({ executor: "workers", parallelism, trialsPerSecond: run.steadyTrialsPerSecond });
  }
  return rows.map((r) => ({ ...r, msPerTrial: 1000 / r.trialsPerSecond }));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number, digits = 1): string => x.toFixed(digits);

function markdown(results: Awaited<ReturnType<typeof runAll>>): string {
  const { machine, sleep, cpu, dispatch } = results;
  const load = (l: number[]): string => l.map((v) => v.toFixed(1)).join(", ");
  return [
    "# Parallel trial execution (WorkerTrials)",
    "",
    `Measured ${machine.date} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, with \`npm run bench:parallel\`.`,
    "hyperopt-ts runs from its TypeScript sources through tsx, as do the objectives; `algo: rand.suggest`.",
    `The machine is shared: its load average (1, 5, 15 min) was ${load(machine.loadAverage.before)} before the run and ${load(machine.loadAverage.after)} after.`,
    "",
    "*Warm* is when every worker has finished a trial (starting a worker thread, with tsx, and importing",
    "the objective take a while); each search then runs on (an `earlyStop` rule ends it), and *steady*",
    "throughput counts the trials that end from then until the last trial is dispatched. End-to-end",
    "counts every trial over the whole fmin call, starting the workers included.",
    "",
    `## Sleeping objective (${SLEEP_MS} ms): throughput against the ideal (parallelism / ${SLEEP_MS} ms)`,
    "",
    "| parallelism | ideal trials/s | warm after (s) | steady trials | steady trials/s | efficiency | end-to-end trials/s |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...sleep.map((r) =>
      `| ${r.parallelism} | ${num(r.idealTrialsPerSecond)} | ${num(r.warmSeconds, 2)} | ${r.steadyTrials} | ${num(r.steadyTrialsPerSecond)} | ${pct(r.steadyEfficiency)} | ${num(r.endToEndTrialsPerSecond)} |`),
    "",
    `## CPU-bound objective (about 100 ms of arithmetic, ${cpu.iterations} iterations): speed-up from 1 to 2 workers`,
    "",
    "| parallelism | mean trial (ms) | steady trials/s |",
    "|---:|---:|---:|",
    `| 1 | ${num(cpu.meanTrialMs.parallelism1)} | ${num(cpu.steadyTrialsPerSecond.parallelism1, 2)} |`,
    `| 2 | ${num(cpu.meanTrialMs.parallelism2)} | ${num(cpu.steadyTrialsPerSecond.parallelism2, 2)} |`,
    "",
    `Speed-up: ${num(cpu.speedup, 2)}×.`,
    "",
    "## Dispatch overhead: an objective that returns at once",
    "",
    "| executor | parallelism | trials/s | ms per trial |",
    "|---|---:|---:|---:|",
    ...dispatch.map((r) => `| ${r.executor} | ${r.parallelism} | ${num(r.trialsPerSecond, 0)} | ${num(r.msPerTrial, 3)} |`),
    "",
  ].join("\n");
}

async function runAll() {
  const loadBefore = loadavg();
  const sleep = [];
  for (const parallelism of [1, 2, 8, 32, 64]) {
    sleep.push(await sleepThroughput(parallelism));
    process.stderr.write(`sleep: parallelism ${parallelism} done\n`);
  }
  const cpu = await cpuSpeedup();
  process.stderr.write("cpu done\n");
  const dispatch = await dispatchOverhead(5000);
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAverage: { before: loadBefore, after: loadavg() },
  };
  return { machine, sleep, cpu, dispatch };
}

const results = await runAll();
const dir = new URL("./results/", import.meta.url);
writeFileSync(new URL("parallel.json", dir), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(new URL("parallel.md", dir), markdown(results));
process.stdout.write(markdown(results));
