/**
 * A candidate ranker: a conditional-logit (softmax over one document's candidates) linear model
 * over named features, plus an implicit "none of these" option. Trained with full-batch Adam and
 * L2; serialises as `{ weights }`, readable by a person.
 */

import { boost, treeScore, type BoostOptions, type TreeNode } from './boost.ts';

export interface Candidate {
  /** The string the field would take (as printed). */
  value: string;
  features: Record<string, number>;
  /** Input line indices the value was read from. */
  lines: number[];
}

export interface RankerModel {
  weights: Record<string, number>;
  /** Boosted trees added to the linear score (absent for a purely linear ranker). */
  trees?: TreeNode[];
}

export interface RankingGroup {
  candidates: Candidate[];
  /** Indices of the candidates whose value is right (several copies may be); empty when none is. */
  gold: number[];
}

const NONE_FEATURE = '__none__';

export interface Ranked {
  /** The most probable occurrence of the value (its lines are the evidence). */
  candidate: Candidate;
  /** Probability of the value: the sum over all its occurrences. */
  probability: number;
}

/**
 * Distinct values with their probabilities, best first; `none` is the probability that no
 * candidate is right. A value read from several places collects the probability of each.
 */
export function rank(model: RankerModel, candidates: readonly Candidate[]): { ranked: Ranked[]; none: number } {
  const scores = candidates.map((candidate) => score(model, candidate.features));
  const noneScore = model.weights[NONE_FEATURE] ?? 0;
  const max = Math.max(noneScore, ...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const noneExp = Math.exp(noneScore - max);
  const total = exps.reduce((a, b) => a + b, noneExp);
  const byValue = new Map<string, { candidate: Candidate; best: number; probability: number }>();
  candidates.forEach((candidate, i) => {
    const p = (exps[i] ?? 0) / total;
    const entry = byValue.get(candidate.value);
    if (entry === undefined) byValue.set(candidate.value, { candidate, best: p, probability: p });
    else {
      entry.probability += p;
      if (p > entry.best) Object.assign(entry, { candidate, best: p });
    }
  });
  const ranked = [...byValue.values()]
    .map(({ candidate, probability }) => ({ candidate, probability }))
    .sort((a, b) => b.probability - a.probability);
  return { ranked, none: noneExp / total };
}

export function score(model: RankerModel, features: Record<string, number>): number {
  let sum = 0;
  for (const name in features) sum += (model.weights[name] ?? 0) * (features[name] ?? 0);
  if (model.trees !== undefined) for (const tree of model.trees) sum += treeScore(tree, features);
  return sum;
}

export interface TrainOptions {
  iterations?: number;
  l2?: number;
  learningRate?: number;
}

/** Fits the weights that maximise the probability of each group's right candidates. */
export function trainRanker(groups: readonly RankingGroup[], options: TrainOptions = {}): RankerModel {
  const iterations = options.iterations ?? 250;
  const l2 = options.l2 ?? 1e-3;
  const learningRate = options.learningRate ?? 0.05;
  const index = new Map<string, number>([[NONE_FEATURE, 0]]);
  // Flattened sparse rows: candidate r has features ids[offsets[r]..offsets[r+1]).
  const ids: number[] = [];
  const values: number[] = [];
  const offsets: number[] = [0];
  const groupStart: number[] = [0];
  const isGold: number[] = [];
  const noGold: boolean[] = [];
  for (const group of groups) {
    group.candidates.forEach((candidate, i) => {
      for (const name in candidate.features) {
        const value = candidate.features[name] ?? 0;
        if (value === 0) continue;
        let id = index.get(name);
        if (id === undefined) index.set(name, (id = index.size));
        ids.push(id);
        values.push(value);
      }
      offsets.push(ids.length);
      isGold.push(group.gold.includes(i) ? 1 : 0);
    });
    groupStart.push(offsets.length - 1);
    noGold.push(group.gold.length === 0);
  }
  const idArray = Int32Array.from(ids);
  const valueArray = Float64Array.from(values);
  const offsetArray = Int32Array.from(offsets);
  const rows = offsetArray.length - 1;
  const size = index.size;
  const w = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const scores = new Float64Array(rows);
  const count = Math.max(1, groups.length);
  for (let step = 1; step <= iterations; step++) {
    grad.fill(0);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let k = offsetArray[r]!; k < offsetArray[r + 1]!; k++) s += w[idArray[k]!]! * valueArray[k]!;
      scores[r] = s;
    }
    for (let g = 0; g < groups.length; g++) {
      const from = groupStart[g]!;
      const to = groupStart[g + 1]!;
      const noneScore = w[0]!;
      let max = noneScore;
      for (let r = from; r < to; r++) if (scores[r]! > max) max = scores[r]!;
      let total = Math.exp(noneScore - max);
      let goldMass = 0;
      for (let r = from; r < to; r++) {
        const e = Math.exp(scores[r]! - max);
        scores[r] = e;
        total += e;
        if (isGold[r] === 1) goldMass += e;
      }
      // Loss −log Σ_gold p. Gradient: E_p[x] − E_q[x], q = p restricted to the gold copies.
      for (let r = from; r < to; r++) {
        const e = scores[r]!;
        const p = e / total - (goldMass > 0 && isGold[r] === 1 ? e / goldMass : 0);
        if (p === 0) continue;
        for (let k = offsetArray[r]!; k < offsetArray[r + 1]!; k++) {
          const id = idArray[k]!;
          grad[id] = grad[id]! + p * valueArray[k]!;
        }
      }
      grad[0] = grad[0]! + Math.exp(noneScore - max) / total - (noGold[g] === true ? 1 : 0);
    }
    for (let j = 0; j < size; j++) {
      const gj = grad[j]! / count + l2 * w[j]!;
      m[j] = 0.9 * m[j]! + 0.1 * gj;
      v[j] = 0.999 * v[j]! + 0.001 * gj * gj;
      const mHat = m[j]! / (1 - 0.9 ** step);
      const vHat = v[j]! / (1 - 0.999 ** step);
      w[j] = w[j]! - (learningRate * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  const weights: Record<string, number> = {};
  for (const [name, id] of index) {
    const value = w[id] ?? 0;
    if (Math.abs(value) > 1e-4) weights[name] = Math.round(value * 1e4) / 1e4;
  }
  return { weights };
}

/** A linear ranker plus boosted trees on its residual. */
export function trainBoostedRanker(groups: readonly RankingGroup[], options: TrainOptions & BoostOptions = {}): RankerModel {
  const linear = trainRanker(groups, options);
  const base = new Float64Array(groups.reduce((n, g) => n + g.candidates.length, 0));
  let r = 0;
  for (const group of groups) for (const c of group.candidates) base[r++] = score(linear, c.features);
  return { ...linear, trees: boost(groups, base, linear.weights[NONE_FEATURE] ?? 0, options) };
}

/** Adds `copies`: how many candidates share each one's value (capped at 4, scaled to 0..1). */
export function countCopies(candidates: Candidate[]): Candidate[] {
  const counts = new Map<string, number>();
  for (const candidate of candidates) counts.set(candidate.value, (counts.get(candidate.value) ?? 0) + 1);
  for (const candidate of candidates) candidate.features['copies'] = Math.min(counts.get(candidate.value) ?? 1, 4) / 4;
  return candidates;
}
