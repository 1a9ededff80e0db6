/** Objectives for benchmarks/parallel.ts, one named export each. */

interface Params {
  x: number;
  iterations: number;
}

/** Sleeps 50 ms. */
export async function sleep50(params: Params): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return params.x;
}

/** `iterations` rounds of floating-point arithmetic (the benchmark calibrates them to about 100 ms). */
export function arithmetic(params: Params): number {
  return spin(params.iterations, params.x);
}

/** Returns at once: what is left is the cost of dispatching a trial. */
export function trivial(params: Params): number {
  return params.x;
}

export function spin(iterations: number, x: number): number {
  let acc = x;
  for (let i = 0; i < iterations; i++) acc = Math.sin(acc + i) * 0.5 + Math.sqrt(i + 1);
  return acc;
}
