import type { RegressionTree, TreeNode } from "./forest.js";

/**
 * Functional ANOVA of a random forest, after Hutter, Hoos and Leyton-Brown, "An Efficient Approach
 * for Assessing Hyperparameter Importance", ICML 2014 (the method Optuna's FanovaImportanceEvaluator
 * uses). A regression tree is a piecewise-constant function over the box `[lower, upper]`; under the
 * uniform measure on that box its variance splits into the variance of each parameter's main
 * effect `E[f | x_j] - E[f]`, of the interactions, and so on. A parameter's importance is the
 * fraction of the tree's variance its main effect explains, averaged over the forest's trees.
 */

interface Leaf {
  value: number;
  lo: number[];
  hi: number[];
  /** The leaf's share of the box's volume. */
  weight: number;
}

function leavesOf(tree: RegressionTree, lower: readonly number[], upper: readonly number[]): Leaf[] {
  const leaves: Leaf[] = [];
  const width = upper.map((u, k) => u - (lower[k] as number));
  const walk = (at: number, lo: number[], hi: number[]): void => {
    const node = tree[at] as TreeNode;
    if (node.feature < 0) {
      let weight = 1;
      for (let k = 0; k < lo.length; k++) weight *= ((hi[k] as number) - (lo[k] as number)) / (width[k] as number);
      leaves.push({ value: node.value, lo, hi, weight });
      return;
    }
    const f = node.feature;
    const cut = Math.min(Math.max(node.threshold, lo[f] as number), hi[f] as number);
    const leftHi = [...hi];
    leftHi[f] = cut;
    const rightLo = [...lo];
    rightLo[f] = cut;
    walk(node.left, lo, leftHi);
    walk(node.right, rightLo, hi);
  };
  walk(0, [...lower], [...upper]);
  return leaves;
}

function lowerBound(sorted: readonly number[], x: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if ((sorted[m] as number) < x) a = m + 1;
    else b = m;
  }
  return a;
}

/** Variance of the main effect of `feature` over the box, given the tree's leaves and mean. */
function mainEffectVariance(leaves: readonly Leaf[], feature: number, lower: number, upper: number, mean: number): number {
  const cuts = new Set<number>([lower, upper]);
  for (const leaf of leaves) {
    cuts.add(leaf.lo[feature] as number);
    cuts.add(leaf.hi[feature] as number);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const width = upper - lower;
  const sums = new Float64Array(bounds.length);
  for (const leaf of leaves) {
    const lo = leaf.lo[feature] as number;
    const hi = leaf.hi[feature] as number;
    if (hi <= lo) continue;
    // E[f | x_j] on each interval sums, over the leaves covering it, value × the leaf's share of the other dimensions.
    const share = (leaf.value * leaf.weight * width) / (hi - lo);
    const first = lowerBound(bounds, lo);
    const end = lowerBound(bounds, hi);
    sums[first] = (sums[first] as number) + share;
    sums[end] = (sums[end] as number) - share;
  }
  let variance = 0;
  let running = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    running += sums[i] as number;
    const d = running - mean;
    variance += (((bounds[i + 1] as number) - (bounds[i] as number)) / width) * d * d;
  }
  return variance;
}

/**
 * For each feature, the fraction of a tree's variance (over the uniform measure on the box)
 * explained by that feature's main effect; undefined for a constant tree.
 */
export function treeMainEffects(tree: RegressionTree, lower: readonly number[], upper: readonly number[]): number[] | undefined {
  const leaves = leavesOf(tree, lower, upper);
  let mean = 0;
  for (const leaf of leaves) mean += leaf.weight * leaf.value;
  let total = 0;
  for (const leaf of leaves) total += leaf.weight * (leaf.value - mean) ** 2;
  if (!(total > 1e-300)) return undefined;
  return lower.map((lo, f) => mainEffectVariance(leaves, f, lo, upper[f] as number, mean) / total);
}

/** The forest's main-effect fractions per feature: the mean over its non-constant trees (zeros when all are constant). */
export function forestMainEffects(trees: readonly RegressionTree[], lower: readonly number[], upper: readonly number[]): number[] {
  const sum = lower.map(() => 0);
  let counted = 0;
  for (const tree of trees) {
    const effects = treeMainEffects(tree, lower, upper);
    if (effects === undefined) continue;
    counted++;
    effects.forEach((e, f) => (sum[f] = (sum[f] as number) + e));
  }
  return sum.map((s) => (counted === 0 ? 0 : s / counted));
}
