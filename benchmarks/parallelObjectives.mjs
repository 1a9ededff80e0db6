import { threadId } from "node:worker_threads";

/*
 * Objectives for benchmarks/parallel.ts, in plain JavaScript, one named export each. Each reports
 * the worker thread it ran on as the metric "thread", from which the benchmark tells when every
 * worker is warm. (parallelObjectivesTs.ts holds the TypeScript variant of `sleep50`.)
 */

/** Sleeps 50 ms. */
export async function sleep50(params, ctx) {
  ctx.report("thread", threadId);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return params.x;
}

/** Arithmetic whose cost grows linearly with `iterations` (sin's argument stays small, where it is cheap). */
function spin(iterations, x) {
  let acc = x;
  for (let i = 0; i < iterations; i++) {
    const k = i % 1024;
    acc = Math.sin(acc + k) * 0.5 + Math.sqrt(k + 1);
  }
  return acc;
}

/** Iterations of `spin` that take about 100 ms in this thread, once compiled: the fastest of a few runs. */
function calibrate() {
  const iterations = 1_000_000;
  let fastest = Infinity;
  for (let run = 0; run < 8; run++) {
    const started = performance.now();
    spin(iterations, 0.5);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return Math.round((iterations * 100) / fastest);
}

let iterations;

/** About 100 ms of floating-point arithmetic (calibrated once per worker). */
export function arithmetic(params, ctx) {
  ctx.report("thread", threadId);
  iterations ??= calibrate();
  return spin(iterations, params.x);
}

/** Returns at once: what is left is the cost of dispatching a trial. */
export function trivial(params, ctx) {
  ctx.report("thread", threadId);
  return params.x;
}
