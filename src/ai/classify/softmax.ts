/**
 * Multinomial logistic regression (softmax) on sparse vectors, trained by Adagrad SGD with L2.
 *
 * - Weights are feature-major (`weights[f * classes + c]`): a feature's class weights are
 *   contiguous for the dot products, which dominate the cost.
 * - Deterministic: examples are visited in an order drawn from a seeded PRNG.
 * - Adagrad starts from a small accumulator (`initialAccumulator`) so that a tiny gradient takes
 *   a tiny step (plain Adagrad's first step is the full learning rate whatever the gradient);
 *   this keeps weights of unrelated classes near zero, which both generalises better and lets
 *   the serialised model prune them.
 * - L2 is applied lazily, only to weights of features present in the example (the usual
 *   sparse-SGD approximation). Class gradients below `gradientSkip` are skipped: after the first
 *   epoch most class probabilities are ~0, which makes training several times faster.
 * - The returned weights are the average of the end-of-epoch snapshots from `averageFrom` on
 *   (Polyak averaging), which smooths the last epochs' noise.
 * - Additive margin: in training, the true class's logit is lowered by `margin` before the
 *   softmax, so an example keeps pulling until it wins by that margin (a hinge-like push for
 *   wider class gaps; plain softmax stops at "mostly right"). Prediction is unchanged.
 */
import type { SparseVector } from './featurizer.ts';
import { createRng, shuffleInPlace } from './hash.ts';

export interface SoftmaxTrainingOptions {
  epochs: number;
  /** Adagrad base learning rate. */
  learningRate: number;
  /** L2 penalty per weight. */
  l2: number;
  seed: number;
  /** Adagrad's starting sum of squared gradients. */
  initialAccumulator: number;
  /** Class gradients smaller than this (in absolute value) are skipped. */
  gradientSkip: number;
  /** Average the end-of-epoch weights from this 0-based epoch on. */
  averageFrom: number;
  /** Per-class multiplier of the loss (e.g. to up-weight a broad "other" class). */
  classWeights?: Float64Array;
  /** Logit margin the true class must win by in training (0: plain softmax). */
  margin?: number;
}

export interface LinearWeights {
  features: number;
  classes: number;
  /** `features × classes`, feature-major. */
  weights: Float32Array;
  bias: Float32Array;
}

/**
 * Class scores (logits) for one vector. `out` must have `classes` entries. Features are taken
 * four at a time: one pass over `out` per four weight rows halves the memory traffic, which is
 * what bounds this loop (about 2× faster than one row at a time).
 */
export function scoresInto(model: LinearWeights, x: SparseVector, out: Float64Array): Float64Array {
  const { classes, weights, bias } = model;
  for (let c = 0; c < classes; c++) out[c] = bias[c] as number;
  const { indices, values } = x;
  const n = indices.length;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const o0 = (indices[k] as number) * classes;
    const o1 = (indices[k + 1] as number) * classes;
    const o2 = (indices[k + 2] as number) * classes;
    const o3 = (indices[k + 3] as number) * classes;
    const v0 = values[k] as number;
    const v1 = values[k + 1] as number;
    const v2 = values[k + 2] as number;
    const v3 = values[k + 3] as number;
    for (let c = 0; c < classes; c++) {
      out[c] =
        (out[c] as number) +
        v0 * (weights[o0 + c] as number) +
        v1 * (weights[o1 + c] as number) +
        v2 * (weights[o2 + c] as number) +
        v3 * (weights[o3 + c] as number);
    }
  }
  for (; k < n; k++) {
    const offset = (indices[k] as number) * classes;
    const v = values[k] as number;
    for (let c = 0; c < classes; c++) out[c] = (out[c] as number) + v * (weights[offset + c] as number);
  }
  return out;
}

/** A stored (8-bit) linear model: `weight = values[f * classes + c] × scale`. */
export interface QuantizedLinear {
  classes: number;
  values: Int8Array;
  scale: number;
  bias: Float32Array;
}

/**
 * Class scores from 8-bit weights: `bias + scale × Σ value × q`. Loaded models keep only the
 * 8-bit matrix (4× less memory than float32), and training scores its held-out examples the
 * same way, so calibration sees exactly the stored model.
 */
export function quantizedScoresInto(model: QuantizedLinear, x: SparseVector, out: Float64Array): Float64Array {
  const { classes, values: weights, scale, bias } = model;
  out.fill(0, 0, classes);
  const { indices, values } = x;
  const n = indices.length;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const o0 = (indices[k] as number) * classes;
    const o1 = (indices[k + 1] as number) * classes;
    const o2 = (indices[k + 2] as number) * classes;
    const o3 = (indices[k + 3] as number) * classes;
    const v0 = values[k] as number;
    const v1 = values[k + 1] as number;
    const v2 = values[k + 2] as number;
    const v3 = values[k + 3] as number;
    for (let c = 0; c < classes; c++) {
      out[c] =
        (out[c] as number) +
        v0 * (weights[o0 + c] as number) +
        v1 * (weights[o1 + c] as number) +
        v2 * (weights[o2 + c] as number) +
        v3 * (weights[o3 + c] as number);
    }
  }
  for (; k < n; k++) {
    const offset = (indices[k] as number) * classes;
    const v = values[k] as number;
    for (let c = 0; c < classes; c++) out[c] = (out[c] as number) + v * (weights[offset + c] as number);
  }
  for (let c = 0; c < classes; c++) out[c] = (bias[c] as number) + scale * (out[c] as number);
  return out;
}

/** In-place softmax of `logits` divided by `temperature`; returns the same array. */
export function softmaxInPlace(logits: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < logits.length; c++) max = Math.max(max, logits[c] as number);
  let sum = 0;
  for (let c = 0; c < logits.length; c++) {
    const e = Math.exp(((logits[c] as number) - max) / temperature);
    logits[c] = e;
    sum += e;
  }
  for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] as number) / sum;
  return logits;
}

/** Train softmax regression; `labels[i]` is the class index of `vectors[i]`. */
export function trainSoftmax(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  features: number,
  classes: number,
  options: SoftmaxTrainingOptions,
): LinearWeights {
  const weights = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const squaredGradients = new Float32Array(features * classes).fill(options.initialAccumulator);
  const biasSquaredGradients = new Float64Array(classes).fill(options.initialAccumulator);
  const averageWeights = new Float32Array(options.averageFrom < options.epochs - 1 ? weights.length : 0);
  const averageBias = new Float64Array(classes);
  let snapshots = 0;
  const model: LinearWeights = { features, classes, weights, bias };
  const gradient = new Float64Array(classes);
  const activeClasses = new Int32Array(classes);
  const activeGradients = new Float64Array(classes);
  const order = Int32Array.from({ length: vectors.length }, (_, i) => i);
  const random = createRng(options.seed);
  const { learningRate, l2, gradientSkip: skip, classWeights, margin = 0 } = options;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const i of order) {
      const x = vectors[i] as SparseVector;
      const y = labels[i] as number;
      scoresInto(model, x, gradient);
      gradient[y] = (gradient[y] as number) - margin;
      softmaxInPlace(gradient);
      gradient[y] = (gradient[y] as number) - 1; // d(loss)/d(logit) = p - onehot(y)
      const exampleWeight = classWeights?.[y] ?? 1;
      let active = 0;
      for (let c = 0; c < classes; c++) {
        const g = (gradient[c] as number) * exampleWeight;
        if (g > -skip && g < skip) continue;
        activeClasses[active] = c;
        activeGradients[active++] = g;
        biasSquaredGradients[c] = (biasSquaredGradients[c] as number) + g * g;
        bias[c] = (bias[c] as number) - (learningRate * g) / Math.sqrt(biasSquaredGradients[c] as number);
      }
      const { indices, values } = x;
      for (let k = 0; k < indices.length; k++) {
        const offset = (indices[k] as number) * classes;
        const v = values[k] as number;
        for (let a = 0; a < active; a++) {
          const at = offset + (activeClasses[a] as number);
          const w = weights[at] as number;
          const g = (activeGradients[a] as number) * v + l2 * w;
          const sum = (squaredGradients[at] as number) + g * g;
          squaredGradients[at] = sum;
          weights[at] = w - (learningRate * g) / Math.sqrt(sum);
        }
      }
    }
    if (averageWeights.length > 0 && epoch >= options.averageFrom) {
      snapshots++;
      for (let j = 0; j < weights.length; j++) averageWeights[j] = (averageWeights[j] as number) + (weights[j] as number);
      for (let c = 0; c < classes; c++) averageBias[c] = (averageBias[c] as number) + (bias[c] as number);
    }
  }
  if (snapshots > 1) {
    for (let j = 0; j < weights.length; j++) weights[j] = (averageWeights[j] as number) / snapshots;
    for (let c = 0; c < classes; c++) bias[c] = (averageBias[c] as number) / snapshots;
  }
  return model;
}
