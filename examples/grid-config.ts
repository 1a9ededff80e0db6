/**
 * Grid search from a plain config object, as people write them in config files: every
 * combination is tried once, then the search stops by itself (no maxEvals needed).
 *
 *   npx tsx examples/grid-config.ts
 */
import { fmin, grid, gridSpace } from "../src/index.js";

const config = {
  learningRate: [0.3, 0.1, 0.03, 0.01],
  momentum: [0, 0.5, 0.9],
  schedule: ["constant", "cosine"],
} as const;

/** Minimizes f(w) = (w - 3)^2 + 10 sin(w)^2 by gradient descent; the loss is f after 50 steps. */
function train(p: { learningRate: number; momentum: number; schedule: "constant" | "cosine" }): number {
  const f = (w: number) => (w - 3) ** 2 + 10 * Math.sin(w) ** 2;
  const grad = (w: number) => 2 * (w - 3) + 20 * Math.sin(w) * Math.cos(w);
  let w = -4;
  let velocity = 0;
  for (let step = 0; step < 50; step++) {
    const lr = p.schedule === "cosine" ? (p.learningRate * (1 + Math.cos((Math.PI * step) / 50))) / 2 : p.learningRate;
    velocity = p.momentum * velocity - lr * grad(w);
    w += velocity;
    if (!Number.isFinite(w)) return 1e6;
  }
  return f(w);
}

const result = await fmin({ fn: train, space: gridSpace(config), algo: grid.suggest });

console.log(`tried ${result.trials.length} combinations (stopped: ${result.stopReason})`);
for (const t of [...result.trials.trials].sort((a, b) => (a.loss ?? Infinity) - (b.loss ?? Infinity)).slice(0, 5)) {
  console.log(`  loss ${t.loss?.toFixed(4)}  ${JSON.stringify(t.params)}`);
}
console.log("best:", result.bestParams);
