import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fitTemperature,
  heldOutPredictions,
  outOfScopeThreshold,
  precisionThreshold,
  wilsonLowerBound,
} from '../../../src/ai/classify/calibrate.ts';
import type { HeldOutLogits, HeldOutPrediction } from '../../../src/ai/classify/calibrate.ts';
import { createRng } from '../../../src/ai/classify/hash.ts';
import { softmaxInPlace } from '../../../src/ai/classify/softmax.ts';
import { accuracy, coverageAtPrecision, macroF1, perLabelScores } from '../../../src/ai/eval/metrics.ts';

/** Logits whose labels are drawn from softmax(logits / T): the fit should find T. */
function sampleWithTemperature(temperature: number, n: number): HeldOutLogits[] {
  const random = createRng(7);
  const out: HeldOutLogits[] = [];
  for (let i = 0; i < n; i++) {
    const logits = Float64Array.from({ length: 4 }, () => random() * 6 - 3);
    const p = softmaxInPlace(Float64Array.from(logits), temperature);
    let u = random();
    let label = 0;
    while (label < 3 && u > (p[label] as number)) u -= p[label++] as number;
    out.push({ logits, label });
  }
  return out;
}

describe('temperature scaling', () => {
  it('recovers the temperature that generated the labels', () => {
    for (const t of [0.5, 1, 2]) {
      const fitted = fitTemperature(sampleWithTemperature(t, 4000));
      assert.ok(Math.abs(fitted - t) / t < 0.15, `expected ~${t}, got ${fitted}`);
    }
  });

  it('returns 1 without data', () => assert.equal(fitTemperature([]), 1));
});

describe('thresholds', () => {
  const p = (predicted: number, confidence: number, label: number): HeldOutPrediction => ({ predicted, confidence, label });

  it('99 % precision threshold is the smallest confidence that keeps precision', () => {
    const predictions = [
      ...Array.from({ length: 99 }, (_, i) => p(0, 0.9 + i / 1000, 0)),
      p(1, 0.95, 0), // one confident mistake inside 100 accepted: still 99 %
      p(1, 0.5, 0),
      p(0, 0.4, 0),
    ];
    assert.equal(precisionThreshold(predictions, 0.99), 0.9);
    assert.equal(precisionThreshold([p(1, 0.9, 0)], 0.99), 1, 'unreachable: always abstain');
  });

  it('can keep a margin of z standard errors', () => {
    const few = Array.from({ length: 50 }, (_, i) => p(0, 0.5 + i / 1000, 0)); // 50 of 50 right
    assert.equal(precisionThreshold(few, 0.99), 0.5);
    assert.equal(precisionThreshold(few, 0.99, 1), 1, '50/50 right does not show 99 % (Wilson bound 0.98)');
    const many = Array.from({ length: 1000 }, (_, i) => p(0, 0.5 + i / 10000, 0));
    assert.equal(precisionThreshold(many, 0.99, 1), 0.5);
    assert.ok(wilsonLowerBound(990, 1000, 1) < 0.99 && wilsonLowerBound(995, 1000, 1) > 0.99);
  });

  it('out-of-scope threshold routes unsure predictions when that is worth it', () => {
    const oos = 2;
    const predictions = [p(0, 0.3, oos), p(1, 0.35, oos), p(0, 0.4, 0), p(0, 0.9, 0), p(1, 0.95, 1)];
    // Cost 1: routing below 0.35 catches 2 oos and loses nothing; routing 0.4 would lose a right answer.
    const t = outOfScopeThreshold(predictions, oos, 1);
    assert.ok(t > 0.35 && t <= 0.4, `threshold ${t}`);
    assert.equal(outOfScopeThreshold([p(0, 0.3, 0), p(1, 0.9, 1)], oos, 3), 0, 'nothing to gain: no routing');
  });

  it('calibrated predictions pick the arg-max and its probability', () => {
    const [prediction] = heldOutPredictions([{ logits: Float64Array.from([0, Math.log(3)]), label: 1 }], 1);
    assert.equal(prediction?.predicted, 1);
    assert.ok(Math.abs((prediction?.confidence ?? 0) - 0.75) < 1e-12);
  });
});

describe('metrics', () => {
  const truth = ['a', 'a', 'b', 'b', 'c'];
  const predicted = ['a', 'b', 'b', 'b', 'a'];

  it('accuracy and per-label scores', () => {
    assert.equal(accuracy(truth, predicted), 0.6);
    const scores = perLabelScores(truth, predicted);
    assert.deepEqual(scores.b, { precision: 2 / 3, recall: 1, f1: 0.8, support: 2 });
    assert.equal(scores.c?.f1, 0);
  });

  it('macro-F1 averages over the true labels', () => {
    // a: p 1/2 r 1/2 f1 .5; b: .8; c: 0
    assert.ok(Math.abs(macroF1(truth, predicted) - (0.5 + 0.8 + 0) / 3) < 1e-12);
  });

  it('coverage at precision accepts the most confident cases and keeps ties together', () => {
    const result = coverageAtPrecision([0.9, 0.8, 0.8, 0.3], [true, true, false, true], 0.99);
    assert.deepEqual(result, { coverage: 0.25, precision: 1, threshold: 0.9, accepted: 1 });
    assert.deepEqual(coverageAtPrecision([0.5], [false], 0.99), { coverage: 0, precision: 1, threshold: null, accepted: 0 });
    assert.equal(coverageAtPrecision([0.9, 0.2], [true, true], 0.99).coverage, 1);
  });
});
