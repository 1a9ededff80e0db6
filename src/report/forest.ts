import type { Rng } from "../rng/rng.js";

/** A node of a regression tree: a leaf when `feature` is -1, else `x[feature] <= threshold` goes left. */
export interface TreeNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  value: number;
}

/** A regression tree as a flat list of nodes, the root first. */
export type RegressionTree = readonly TreeNode[];

export interface ForestSettings {
  trees: number;
  /** Fewest samples a leaf may hold. */
  minSamplesLeaf: number;
  maxDepth: number;
}

/** Features as columns (`columns[f][i]` is sample i's value of feature f) and the targets. */
export interface TrainingData {
  columns: readonly Float64Array[];
  targets: Float64Array;
}

interface Split {
  feature: number;
  threshold: number;
  gain: number;
}

/** Sample indices fit in the low bits of a sort key whose high bits are the sample's rank on a feature. */
const INDEX_BITS = 2 ** 21;

/** Each feature's rank of every sample (equal values share a rank), for sorting node samples with a native numeric sort. */
function ranksOf(data: TrainingData): Int32Array[] {
  return data.columns.map((x) => {
    const order = Array.from(x.keys()).sort((a, b) => (x[a] as number) - (x[b] as number));
    const ranks = new Int32Array(x.length);
    let rank = 0;
    order.forEach((i, k) => {
      if (k > 0 && (x[i] as number) !== (x[order[k - 1] as number] as number)) rank++;
      ranks[i] = rank;
    });
    return ranks;
  });
}

/** The best variance-reducing split of the samples `idx` on `feature`. */
function bestSplitOn(data: TrainingData, ranks: Int32Array, idx: readonly number[], feature: number, minLeaf: number, total: number): Split | undefined {
  const x = data.columns[feature] as Float64Array;
  const y = data.targets;
  const n = idx.length;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (ranks[idx[k] as number] as number) * INDEX_BITS + (idx[k] as number);
  keys.sort();
  let best: Split | undefined;
  let leftSum = 0;
  let previous = (keys[0] as number) % INDEX_BITS;
  for (let i = 1; i < n; i++) {
    const current = (keys[i] as number) % INDEX_BITS;
    leftSum += y[previous] as number;
    const lo = x[previous] as number;
    const hi = x[current] as number;
    previous = current;
    if (i < minLeaf || n - i < minLeaf || lo === hi) continue;
    const rightSum = total - leftSum;
    const gain = (leftSum * leftSum) / i + (rightSum * rightSum) / (n - i);
    if (best === undefined || gain > best.gain) best = { feature, threshold: (lo + hi) / 2, gain };
  }
  return best;
}

/** Fits one CART regression tree (squared error) on the samples `sample`, which may repeat. */
function fitTree(data: TrainingData, ranks: readonly Int32Array[], sample: readonly number[], settings: ForestSettings): RegressionTree {
  const nodes: TreeNode[] = [];
  const y = data.targets;
  const grow = (idx: number[], depth: number): number => {
    const at = nodes.length;
    let total = 0;
    for (const i of idx) total += y[i] as number;
    const mean = total / idx.length;
    nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: mean });
    if (depth >= settings.maxDepth || idx.length < 2 * settings.minSamplesLeaf) return at;
    const base = (total * total) / idx.length;
    let best: Split | undefined;
    for (let f = 0; f < data.columns.length; f++) {
      const split = bestSplitOn(data, ranks[f] as Int32Array, idx, f, settings.minSamplesLeaf, total);
      if (split !== undefined && split.gain > base + 1e-12 * Math.abs(base) && (best === undefined || split.gain > best.gain)) best = split;
    }
    if (best === undefined) return at;
    const x = data.columns[best.feature] as Float64Array;
    const threshold = best.threshold;
    const left = idx.filter((i) => (x[i] as number) <= threshold);
    const right = idx.filter((i) => (x[i] as number) > threshold);
    const node = nodes[at] as TreeNode;
    node.feature = best.feature;
    node.threshold = threshold;
    node.left = grow(left, depth + 1);
    node.right = grow(right, depth + 1);
    return at;
  };
  grow([...sample], 0);
  return nodes;
}

/** A random forest of regression trees, each fitted on a bootstrap sample drawn from `rng`. */
export function fitForest(data: TrainingData, settings: ForestSettings, rng: Rng): RegressionTree[] {
  const n = data.targets.length;
  const ranks = ranksOf(data);
  const trees: RegressionTree[] = [];
  for (let t = 0; t < settings.trees; t++) {
    const sample = Array.from({ length: n }, () => rng.int(n));
    trees.push(fitTree(data, ranks, sample, settings));
  }
  return trees;
}
