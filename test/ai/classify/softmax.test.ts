import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SparseVector } from '../../../src/ai/classify/featurizer.ts';
import { createRng } from '../../../src/ai/classify/hash.ts';
import { scoresInto, trainSoftmax } from '../../../src/ai/classify/softmax.ts';
import type { SoftmaxTrainingOptions } from '../../../src/ai/classify/softmax.ts';

// Three classes over 12 features: each class has 4 typical features, and every example also
// carries two random features, so the classes overlap and plain softmax stops at modest gaps.
const random = createRng(42);
const vectors: SparseVector[] = [];
const labels: number[] = [];
for (let i = 0; i < 300; i++) {
  const y = i % 3;
  const own = y * 4 + Math.floor(random() * 4);
  const noise = [Math.floor(random() * 12), Math.floor(random() * 12)].filter((f) => f !== own);
  const indices = [own, ...new Set(noise)].sort((a, b) => a - b);
  vectors.push({ indices: Int32Array.from(indices), values: Float32Array.from(indices, () => 1 / Math.sqrt(indices.length)) });
  labels.push(y);
}
const base: SoftmaxTrainingOptions = {
  epochs: 4,
  learningRate: 0.5,
  l2: 3e-4,
  seed: 1,
  initialAccumulator: 0.01,
  gradientSkip: 1e-3,
  averageFrom: 1,
};

/** Median over the training examples of (right class's logit - best other logit). */
function medianGap(margin: number | undefined): number {
  const model = trainSoftmax(vectors, Int32Array.from(labels), 12, 3, { ...base, margin });
  const out = new Float64Array(3);
  const gaps = vectors.map((x, i) => {
    scoresInto(model, x, out);
    const y = labels[i] as number;
    return (out[y] as number) - Math.max(...Array.from(out).filter((_, c) => c !== y));
  });
  return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] as number;
}

describe('trainSoftmax margin', () => {
  it('is plain softmax at margin 0', () => {
    assert.equal(medianGap(0), medianGap(undefined));
  });

  it('widens the gap by which the right class wins', () => {
    const plain = medianGap(0);
    const widened = medianGap(3);
    assert.ok(plain > 0, `plain softmax separates the typical example (gap ${plain})`);
    assert.ok(widened > 1.5 * plain, `margin 3 gap ${widened} vs plain ${plain}`);
  });
});
