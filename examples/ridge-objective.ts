/**
 * The objective module of examples/parallel-ridge.ts: kernel ridge regression with an RBF kernel,
 * scored by 5-fold cross-validated RMSE on a data set generated here deterministically. Each
 * trial solves five 480 × 480 linear systems, a real CPU-bound fit (about 0.1–0.3 s).
 *
 * It runs in worker threads, which import it as TypeScript through tsx; nothing to compile.
 */
import type { TrialContext } from "../src/index.js";

export interface RidgeParams {
  /** The ridge penalty λ. */
  alpha: number;
  /** The RBF kernel's γ in exp(-γ‖a - b‖²). */
  gamma: number;
}

const N = 600;
const FEATURES = 5;
const FOLDS = 5;

/** mulberry32: a small seeded generator, so that every worker builds the same data. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** y = sin(3 x₀) + x₁² − 0.5 x₂ + x₃ x₄ + noise, x uniform in [−1, 1]⁵. */
function makeData(): { x: Float64Array[]; y: Float64Array } {
  const random = generator(2024);
  const x: Float64Array[] = [];
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const row = Float64Array.from({ length: FEATURES }, () => random() * 2 - 1);
    const [a = 0, b = 0, c = 0, d = 0, e = 0] = row;
    x.push(row);
    y[i] = Math.sin(3 * a) + b * b - 0.5 * c + d * e + (random() - 0.5) * 0.2;
  }
  return { x, y };
}

const data = makeData();

function rbf(a: Float64Array, b: Float64Array, gamma: number): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d += ((a[k] as number) - (b[k] as number)) ** 2;
  return Math.exp(-gamma * d);
}

/** Solves A z = b in place for a symmetric positive definite A (n × n, row-major) by Cholesky. */
function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j] as number;
    for (let k = 0; k < j; k++) s -= (A[j * n + k] as number) ** 2;
    if (s <= 0) throw new Error("the kernel matrix is not positive definite; alpha is too small");
    const ljj = Math.sqrt(s);
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j] as number;
      for (let k = 0; k < j; k++) t -= (A[i * n + k] as number) * (A[j * n + k] as number);
      A[i * n + j] = t / ljj;
    }
  }
  const z = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let t = z[i] as number;
    for (let k = 0; k < i; k++) t -= (A[i * n + k] as number) * (z[k] as number);
    z[i] = t / (A[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let t = z[i] as number;
    for (let k = i + 1; k < n; k++) t -= (A[k * n + i] as number) * (z[k] as number);
    z[i] = t / (A[i * n + i] as number);
  }
  return z;
}

/** RMSE on fold `fold` of a model fitted on the other folds. */
function foldRmse(fold: number, { alpha, gamma }: RidgeParams): number {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < N; i++) (i % FOLDS === fold ? test : train).push(i);
  const n = train.length;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rbf(data.x[train[i] as number] as Float64Array, data.x[train[j] as number] as Float64Array, gamma);
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
    K[i * n + i] = (K[i * n + i] as number) + alpha;
  }
  const dual = choleskySolve(K, Float64Array.from(train, (i) => data.y[i] as number), n);
  let sq = 0;
  for (const t of test) {
    let prediction = 0;
    for (let j = 0; j < n; j++) prediction += (dual[j] as number) * rbf(data.x[t] as Float64Array, data.x[train[j] as number] as Float64Array, gamma);
    sq += (prediction - (data.y[t] as number)) ** 2;
  }
  return Math.sqrt(sq / test.length);
}

/** Mean RMSE over the folds; reports each fold's RMSE while it runs and stops early when aborted. */
export default function crossValidatedRmse(params: RidgeParams, ctx: TrialContext): { loss: number; metrics: Record<string, number> } {
  const scores: number[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    ctx.signal.throwIfAborted();
    const rmse = foldRmse(fold, params);
    ctx.report("fold_rmse", rmse, fold);
    scores.push(rmse);
  }
  const mean = scores.reduce((s, v) => s + v, 0) / FOLDS;
  const std = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / FOLDS);
  return { loss: mean, metrics: { rmse_std: std } };
}
