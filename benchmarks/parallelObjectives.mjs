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
export function spin(iterations, x) {
  let acc = x;
  for (let i = 0; i < iterations; i++) {
    const k = i % 1024;
    acc = Math.sin(acc + k) * 0.5 + Math.sqrt(k + 1);
  }
  return acc;
}

/** `params.iterations` rounds of `spin` (the benchmark calibrates them to about 100 ms). */
export function arithmetic(params, ctx) {
  ctx.report("thread", threadId);
  return spin(params.iterations, params.x);
}

/** Returns at once: what is left is the cost of dispatching a trial. */
export function trivial(params, ctx) {
  ctx.report("thread", threadId);
  return params.x;
}
