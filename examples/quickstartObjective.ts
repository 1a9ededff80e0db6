/**
 * The quickstart's search: a conditional space over two regression models and the objective
 * that scores one configuration by 5-fold cross-validation on a deterministic data set.
 */
import { hp, type InferParams } from "../src/index.js";

export const space = {
  scale: hp.choice("scale", [true, false]),
  model: hp.choice("model", [
    { kind: "ridge", degree: hp.uniformint("degree", 1, 6), alpha: hp.loguniform("alpha", Math.log(1e-6), Math.log(10)) },
    { kind: "knn", k: hp.randint("k", 1, 30), weighting: hp.choice("weighting", ["uniform", "distance"]) },
  ]),
};
type Params = InferParams<typeof space>;

/** y = sin(3x) + x^2 / 2 + noise, on x in [-2, 2]: a deterministic data set. */
function makeData(n: number): { x: number[]; y: number[] } {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const x = Array.from({ length: n }, () => -2 + 4 * next());
  const y = x.map((v) => Math.sin(3 * v) + v * v / 2 + 0.2 * (next() + next() + next() - 1.5));
  return { x, y };
}

/** Solves (A + alpha I) w = b by Gaussian elimination (A symmetric positive semi-definite). */
function solve(a: number[][], b: number[], alpha: number): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row.map((v, j) => v + (i === j ? alpha : 0)), b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const w = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * w[k]!;
    w[r] = s / m[r]![r]!;
  }
  return w;
}

function fitPredict(params: Params, trainX: number[], trainY: number[], testX: number[]): number[] {
  const model = params.model;
  if (model.kind === "ridge") {
    const features = (v: number) => Array.from({ length: model.degree + 1 }, (_, d) => v ** d);
    const rows = trainX.map(features);
    const ata = rows[0]!.map((_, i) => rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)));
    const aty = rows[0]!.map((_, i) => rows.reduce((s, r, k) => s + r[i]! * trainY[k]!, 0));
    const w = solve(ata, aty, model.alpha);
    return testX.map((v) => features(v).reduce((s, f, i) => s + f * w[i]!, 0));
  }
  return testX.map((v) => {
    const nearest = trainX.map((t, i) => ({ d: Math.abs(t - v), y: trainY[i]! })).sort((a, b) => a.d - b.d).slice(0, model.k);
    const weights = nearest.map((n) => (model.weighting === "distance" ? 1 / (n.d + 1e-9) : 1));
    return nearest.reduce((s, n, i) => s + n.y * weights[i]!, 0) / weights.reduce((a, b) => a + b, 0);
  });
}

const data = makeData(240);

/** Mean squared error over 5-fold cross-validation. */
export function crossValidate(params: Params): number {
  const mean = data.x.reduce((a, b) => a + b, 0) / data.x.length;
  const sd = Math.sqrt(data.x.reduce((a, b) => a + (b - mean) ** 2, 0) / data.x.length);
  const xs = params.scale ? data.x.map((v) => (v - mean) / sd) : data.x;
  let squared = 0;
  for (let fold = 0; fold < 5; fold++) {
    const test = (i: number) => i % 5 === fold;
    const trainX = xs.filter((_, i) => !test(i));
    const trainY = data.y.filter((_, i) => !test(i));
    const testIdx = xs.map((_, i) => i).filter(test);
    const predicted = fitPredict(params, trainX, trainY, testIdx.map((i) => xs[i]!));
    testIdx.forEach((i, k) => (squared += (predicted[k]! - data.y[i]!) ** 2));
  }
  return squared / xs.length;
}
