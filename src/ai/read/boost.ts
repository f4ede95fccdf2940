/**
 * Gradient-boosted regression trees on top of the linear ranker: they add feature interactions
 * the linear model cannot express ("a remembered value that differs only by punctuation, from a
 * vendor with many confirmed documents"). Softmax-over-candidates objective, Newton leaf values,
 * histogram splits over the same named features. Trees serialise as nested JSON.
 */
import type { RankingGroup } from './ranker.ts';

/** A leaf value, or a split: `[feature, threshold, left (value ≤ threshold), right]`. */
export type TreeNode = number | [string, number, TreeNode, TreeNode];

export interface BoostOptions {
  trees?: number;
  depth?: number;
  shrinkage?: number;
  /** L2 on leaf values. */
  lambda?: number;
  minHessian?: number;
  /** Fraction of groups each tree sees. */
  sample?: number;
  seed?: number;
}

export function treeScore(tree: TreeNode, features: Readonly<Record<string, number>>): number {
  let node = tree;
  while (typeof node !== 'number') node = (features[node[0]] ?? 0) <= node[1] ? node[2] : node[3];
  return node;
}

const MAX_BINS = 16;

/**
 * Fits trees to the residual of `baseScores` (one score per candidate, groups in order) and
 * the "none" score `noneScore`.
 */
export function boost(groups: readonly RankingGroup[], baseScores: Float64Array, noneScore: number, options: BoostOptions = {}): TreeNode[] {
  const rounds = options.trees ?? 120;
  const depth = options.depth ?? 3;
  const shrinkage = options.shrinkage ?? 0.1;
  const lambda = options.lambda ?? 1;
  const minHessian = options.minHessian ?? 0.5;
  const sample = options.sample ?? 0.6;
  let seed = options.seed ?? 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

  const names = new Map<string, number>();
  for (const group of groups) for (const c of group.candidates) for (const name in c.features) if (!names.has(name)) names.set(name, names.size);
  const featureCount = names.size;
  const rows = baseScores.length;
  // Thresholds per feature from its distinct values (quantiles when there are many).
  const columns: number[][] = Array.from({ length: featureCount }, () => []);
  for (const group of groups) for (const c of group.candidates) for (const name in c.features) columns[names.get(name)!]!.push(c.features[name] ?? 0);
  const thresholds = columns.map((values) => {
    const distinct = [...new Set([0, ...values])].sort((a, b) => a - b);
    if (distinct.length <= MAX_BINS) return distinct.slice(0, -1);
    const cuts: number[] = [];
    for (let i = 1; i < MAX_BINS; i++) cuts.push(distinct[Math.floor((i * distinct.length) / MAX_BINS) - 1]!);
    return [...new Set(cuts)];
  });
  const binOf = (f: number, value: number): number => {
    const cuts = thresholds[f]!;
    let b = 0;
    while (b < cuts.length && value > cuts[b]!) b++;
    return b;
  };
  const zeroBin = Int32Array.from(thresholds.map((_, f) => binOf(f, 0)));
  // Sparse rows: (feature, bin) pairs for the non-zero features of each candidate.
  const rowStart = new Int32Array(rows + 1);
  const cellFeature: number[] = [];
  const cellBin: number[] = [];
  const gold = new Uint8Array(rows);
  let r = 0;
  for (const group of groups) {
    group.candidates.forEach((c, i) => {
      for (const name in c.features) {
        const value = c.features[name] ?? 0;
        if (value === 0) continue;
        const f = names.get(name)!;
        cellFeature.push(f);
        cellBin.push(binOf(f, value));
      }
      gold[r] = group.gold.includes(i) ? 1 : 0;
      rowStart[++r] = cellFeature.length;
    });
  }
  const features = Int32Array.from(cellFeature);
  const cellBins = Uint8Array.from(cellBin);
  const binOfRow = (row: number, f: number): number => {
    for (let k = rowStart[row]!; k < rowStart[row + 1]!; k++) if (features[k] === f) return cellBins[k]!;
    return zeroBin[f]!;
  };
  const starts: number[] = [0];
  for (const group of groups) starts.push(starts[starts.length - 1]! + group.candidates.length);
  const featureNames = [...names.keys()];

  const scores = Float64Array.from(baseScores);
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const trees: TreeNode[] = [];
  const width = MAX_BINS + 1;
  const histG = new Float64Array(featureCount * width);
  const histH = new Float64Array(featureCount * width);

  const grow = (rowIds: Int32Array, level: number): TreeNode => {
    let sumG = 0;
    let sumH = 0;
    for (const row of rowIds) {
      sumG += grad[row]!;
      sumH += hess[row]!;
    }
    const leafValue = (-sumG / (sumH + lambda)) * shrinkage;
    if (level >= depth || sumH < 2 * minHessian) return leafValue;
    histG.fill(0);
    histH.fill(0);
    for (const row of rowIds) {
      const g = grad[row]!;
      const h = hess[row]!;
      for (let k = rowStart[row]!; k < rowStart[row + 1]!; k++) {
        const cell = features[k]! * width + cellBins[k]!;
        histG[cell] = histG[cell]! + g;
        histH[cell] = histH[cell]! + h;
      }
    }
    const parentGain = (sumG * sumG) / (sumH + lambda);
    let best = { gain: 1e-6, feature: -1, bin: -1 };
    for (let f = 0; f < featureCount; f++) {
      const cuts = thresholds[f]!.length;
      if (cuts === 0) continue;
      // Rows where the feature is 0 were not visited: their mass goes to the zero bin.
      let nonZeroG = 0;
      let nonZeroH = 0;
      for (let b = 0; b <= cuts; b++) {
        nonZeroG += histG[f * width + b]!;
        nonZeroH += histH[f * width + b]!;
      }
      const z = f * width + zeroBin[f]!;
      histG[z] = histG[z]! + sumG - nonZeroG;
      histH[z] = histH[z]! + sumH - nonZeroH;
      let leftG = 0;
      let leftH = 0;
      for (let b = 0; b < cuts; b++) {
        leftG += histG[f * width + b]!;
        leftH += histH[f * width + b]!;
        const rightG = sumG - leftG;
        const rightH = sumH - leftH;
        if (leftH < minHessian || rightH < minHessian) continue;
        const gain = (leftG * leftG) / (leftH + lambda) + (rightG * rightG) / (rightH + lambda) - parentGain;
        if (gain > best.gain) best = { gain, feature: f, bin: b };
      }
    }
    if (best.feature < 0) return leafValue;
    const left: number[] = [];
    const right: number[] = [];
    for (const row of rowIds) (binOfRow(row, best.feature) <= best.bin ? left : right).push(row);
    const leftNode = grow(Int32Array.from(left), level + 1);
    const rightNode = grow(Int32Array.from(right), level + 1);
    return [featureNames[best.feature]!, thresholds[best.feature]![best.bin]!, leftNode, rightNode];
  };

  for (let round = 0; round < rounds; round++) {
    const chosen: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      if (random() > sample) continue;
      const from = starts[g]!;
      const to = starts[g + 1]!;
      let max = noneScore;
      for (let i = from; i < to; i++) max = Math.max(max, scores[i]!);
      let total = Math.exp(noneScore - max);
      let goldMass = 0;
      for (let i = from; i < to; i++) {
        const e = Math.exp(scores[i]! - max);
        total += e;
        if (gold[i] === 1) goldMass += e;
      }
      for (let i = from; i < to; i++) {
        const p = Math.exp(scores[i]! - max) / total;
        const q = goldMass > 0 && gold[i] === 1 ? Math.exp(scores[i]! - max) / goldMass : 0;
        grad[i] = p - q;
        hess[i] = Math.max(p * (1 - p), 1e-6);
        chosen.push(i);
      }
    }
    const node = grow(Int32Array.from(chosen), 0);
    trees.push(node);
    // Update every row (also the ones not sampled) by walking the new tree.
    r = 0;
    for (const group of groups) {
      for (const c of group.candidates) {
        scores[r] = scores[r]! + treeScore(node, c.features);
        r++;
      }
    }
  }
  return trees;
}
