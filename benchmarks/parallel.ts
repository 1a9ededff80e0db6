import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fmin, hp, rand, WorkerTrials, type FminOptions, type Trial } from "../src/index.js";
import { spin } from "./parallelObjectives.js";

/*
 * Parallel trial execution: throughput of WorkerTrials against the ideal for a sleeping
 * objective, speed-up for a CPU-bound one, and the cost of dispatching a trial.
 * Run with `npm run bench:parallel`; writes benchmarks/results/parallel.{json,md}.
 */

const objectives = new URL("./parallelObjectives.ts", import.meta.url);
const SLEEP_MS = 50;

interface SearchTiming {
  trials: number;
  /** Seconds of the whole fmin call, starting the pool included. */
  wallSeconds: number;
  history: Trial[];
}

async function timeSearch(options: Pick<FminOptions<unknown>, "fn" | "trials">, trials: number, iterations = 0): Promise<SearchTiming> {
  const started = performance.now();
  const result = await fmin({ ...options, space: { x: hp.uniform("x", 0, 1), iterations }, algo: rand.suggest, maxEvals: trials, seed: 1, showProgressbar: false });
  const wallSeconds = (performance.now() - started) / 1000;
  const failed = result.trials.trials.filter((t) => t.status !== "ok");
  if (failed.length > 0) throw new Error(`benchmark: ${failed.length} trials did not succeed: ${failed[0]?.error?.message}`);
  return { trials, wallSeconds, history: result.trials.trials };
}

const pooled = (exportName: string, parallelism: number): Pick<FminOptions<unknown>, "fn" | "trials"> => ({
  fn: { module: objectives, export: exportName },
  trials: new WorkerTrials({ parallelism }),
});

/**
 * Steady state: trials finished per second while every worker is warm and busy, from the moment
 * the first `parallelism` trials (whose time includes starting the workers) have all ended to the
 * dispatch of the last trial.
 */
function steadyState(history: Trial[], parallelism: number): { trials: number; seconds: number } {
  const from = Math.max(...history.filter((t) => t.tid < parallelism).map((t) => t.endTime ?? t.startTime));
  const to = Math.max(...history.map((t) => t.startTime));
  const trials = history.filter((t) => (t.endTime ?? 0) > from && (t.endTime ?? 0) <= to).length;
  return { trials, seconds: (to - from) / 1000 };
}

async function sleepThroughput(parallelism: number, rounds: number) {
  const run = await timeSearch(pooled("sleep50", parallelism), parallelism * rounds);
  const ideal = parallelism / (SLEEP_MS / 1000);
  const steady = steadyState(run.history, parallelism);
  const endToEnd = run.trials / run.wallSeconds;
  const steadyThroughput = steady.trials / steady.seconds;
  return {
    parallelism,
    trials: run.trials,
    idealTrialsPerSecond: ideal,
    endToEnd: { seconds: run.wallSeconds, trialsPerSecond: endToEnd, efficiency: endToEnd / ideal },
    steadyState: { seconds: steady.seconds, trialsPerSecond: steadyThroughput, efficiency: steadyThroughput / ideal },
  };
}

/** Iterations of `spin` that take about `ms` in this thread. */
function calibrate(ms: number): number {
  let iterations = 100_000;
  for (;;) {
    const started = performance.now();
    spin(iterations, 0.5);
    const took = performance.now() - started;
    if (took > 20) return Math.round((iterations * ms) / took);
    iterations *= 2;
  }
}

async function cpuSpeedup(trials: number) {
  const iterations = calibrate(100);
  const one = await timeSearch(pooled("arithmetic", 1), trials, iterations);
  const two = await timeSearch(pooled("arithmetic", 2), trials, iterations);
  const steadyOne = steadyState(one.history, 1);
  const steadyTwo = steadyState(two.history, 2);
  const meanTrialMs = one.history.reduce((s, t) => s + ((t.endTime ?? t.startTime) - t.startTime), 0) / trials;
  return {
    trials,
    iterations,
    meanTrialMsAtParallelism1: meanTrialMs,
    endToEnd: { seconds1: one.wallSeconds, seconds2: two.wallSeconds, speedup: one.wallSeconds / two.wallSeconds },
    steadyState: {
      trialsPerSecond1: steadyOne.trials / steadyOne.seconds,
      trialsPerSecond2: steadyTwo.trials / steadyTwo.seconds,
      speedup: steadyTwo.trials / steadyTwo.seconds / (steadyOne.trials / steadyOne.seconds),
    },
  };
}

async function dispatchOverhead(trials: number) {
  const inline = await timeSearch({ fn: (p) => (p as { x: number }).x }, trials);
  const rows = [{ executor: "inline", parallelism: 1, trialsPerSecond: trials / inline.wallSeconds }];
  for (const parallelism of [1, 2]) {
    const run = await timeSearch(pooled("trivial", parallelism), trials);
    const steady = steadyState(run.history, parallelism);
    rows.push({ executor: "workers", parallelism, trialsPerSecond: steady.trials / steady.seconds });
  }
  return rows.map((r) => ({ ...r, msPerTrial: 1000 / r.trialsPerSecond }));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number, digits = 1): string => x.toFixed(digits);

function markdown(results: Awaited<ReturnType<typeof runAll>>): string {
  const { machine, sleep, cpu, dispatch } = results;
  return [
    "# Parallel trial execution (WorkerTrials)",
    "",
    `Measured ${machine.date} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, with \`npm run bench:parallel\`.`,
    "hyperopt-ts runs from its TypeScript sources through tsx, as do the objectives; `algo: rand.suggest`.",
    `The machine is shared: its load average was ${machine.loadAverage.before.map((l) => l.toFixed(1)).join(", ")} (1, 5, 15 min) before the run and ${machine.loadAverage.after.map((l) => l.toFixed(1)).join(", ")} after.`,
    "End-to-end time is the whole fmin call, starting the worker threads included. Steady state counts",
    "the trials that end while every worker is warm and busy: after the first `parallelism` trials (whose",
    "time includes a worker's start) have all ended, until the last trial is dispatched.",
    "",
    `## Sleeping objective (${SLEEP_MS} ms): throughput against the ideal (parallelism / ${SLEEP_MS} ms)`,
    "",
    "| parallelism | trials | ideal trials/s | end-to-end trials/s | end-to-end efficiency | steady trials/s | steady efficiency |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...sleep.map((r) =>
      `| ${r.parallelism} | ${r.trials} | ${num(r.idealTrialsPerSecond)} | ${num(r.endToEnd.trialsPerSecond)} | ${pct(r.endToEnd.efficiency)} | ${num(r.steadyState.trialsPerSecond)} | ${pct(r.steadyState.efficiency)} |`),
    "",
    `## CPU-bound objective (about 100 ms of arithmetic, ${cpu.iterations} iterations): speed-up from 1 to 2 workers`,
    "",
    `${cpu.trials} trials each; a trial took ${num(cpu.meanTrialMsAtParallelism1)} ms on average at parallelism 1.`,
    "",
    "| measure | parallelism 1 | parallelism 2 | speed-up |",
    "|---|---:|---:|---:|",
    `| end-to-end seconds | ${num(cpu.endToEnd.seconds1, 2)} | ${num(cpu.endToEnd.seconds2, 2)} | ${num(cpu.endToEnd.speedup, 2)}× |`,
    `| steady trials/s | ${num(cpu.steadyState.trialsPerSecond1, 2)} | ${num(cpu.steadyState.trialsPerSecond2, 2)} | ${num(cpu.steadyState.speedup, 2)}× |`,
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
    sleep.push(await sleepThroughput(parallelism, parallelism === 1 ? 40 : 30));
    process.stderr.write(`sleep: parallelism ${parallelism} done\n`);
  }
  const cpu = await cpuSpeedup(20);
  process.stderr.write("cpu done\n");
  const dispatch = await dispatchOverhead(4000);
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
