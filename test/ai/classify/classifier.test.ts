import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/core/clock.ts';
import { ValidationError } from '../../../src/core/errors.ts';
import {
  ClassifierModel,
  evaluateClassifier,
  retrainClassifier,
  trainClassifier,
  trainClassifierAsync,
} from '../../../src/ai/classify/index.ts';
import type { ClassifierModelJson, TrainingExample } from '../../../src/ai/classify/index.ts';
import { intentExamples, intentExamplesWithOutOfScope } from './fixtures.ts';

const clock = new ManualClock('2026-01-05T09:00:00Z');
const model = trainClassifier(intentExamples(), { clock });
const probes = [
  'where is my parcel',
  'i would like a refund please',
  'are you open on sunday?',
  'my package still has not arrived, order 5521',
  'something completely different',
  '',
];

function rejects(examples: unknown, fragment: string): void {
  assert.throws(
    () => trainClassifier(examples as TrainingExample[]),
    (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.code, 'CLASSIFIER_TRAINING_DATA_INVALID');
      assert.match(error.message, new RegExp(fragment));
      return true;
    },
  );
}

describe('trainClassifier and predict', () => {
  it('learns the intents of unseen phrasings', () => {
    assert.deepEqual(model.labels, ['opening_hours', 'order_status', 'refund']);
    assert.equal(model.predict('where is my parcel').label, 'order_status');
    assert.equal(model.predict('i would like a refund please').label, 'refund');
    assert.equal(model.predict('are you open on sunday?').label, 'opening_hours');
  });

  it('returns calibrated confidence and the top three alternatives, best first', () => {
    const prediction = model.predict('when is the shop open');
    assert.equal(prediction.alternatives.length, 3);
    assert.equal(prediction.alternatives[0]?.label, prediction.label);
    assert.equal(prediction.alternatives[0]?.confidence, prediction.confidence);
    const confidences = prediction.alternatives.map((a) => a.confidence);
    assert.deepEqual(confidences, [...confidences].sort((a, b) => b - a));
    assert.ok(Math.abs(confidences.reduce((a, b) => a + b, 0) - 1) < 1e-9, 'three labels: probabilities sum to 1');
  });

  it('records metadata and a threshold in (0, 1]', () => {
    assert.equal(model.metadata.exampleCount, 450);
    assert.equal(model.metadata.trainedAt, '2026-01-05T09:00:00.000Z');
    assert.deepEqual(model.metadata.labelCounts, { opening_hours: 150, order_status: 150, refund: 150 });
    assert.ok(model.threshold > 0 && model.threshold <= 1);
    assert.ok(model.temperature > 0);
  });

  const strip = (json: ClassifierModelJson) => ({ ...json, metadata: { ...json.metadata, trainingMs: 0 } });

  it('is deterministic: the same data gives the same model', () => {
    const again = trainClassifier(intentExamples(), { clock });
    assert.deepEqual(strip(again.toJSON()), strip(model.toJSON()));
  });

  it('trains the identical model in worker threads', async () => {
    const parallel = await trainClassifierAsync(intentExamples(), { clock, workers: 2 });
    assert.deepEqual(strip(parallel.toJSON()), strip(model.toJSON()));
  });

  it('rejects bad data in the async path too', async () => {
    await assert.rejects(trainClassifierAsync([]), { code: 'CLASSIFIER_TRAINING_DATA_INVALID' });
  });
});

describe('abstaining', () => {
  it('abstains under the threshold and not at or above it', () => {
    const { confidence } = model.predict('refund my order');
    assert.equal(model.predict('refund my order', { threshold: confidence }).abstained, false);
    assert.equal(model.predict('refund my order', { threshold: Math.min(1, confidence + 1e-6) }).abstained, confidence < 1);
    assert.equal(model.predict('refund my order', { threshold: 0 }).abstained, false);
  });

  it('uses the model threshold by default', () => {
    for (const text of probes) {
      const p = model.predict(text);
      assert.equal(p.abstained, p.confidence < model.threshold, text);
    }
  });

  it('with ten examples per label, text unlike any of them is not answered (the default has no training margin)', () => {
    const few: TrainingExample[] = [
      ...['where is my refund', 'I want my money back', 'please refund the order', 'refund not received yet', 'can I get a refund', 'money back please', 'return and refund', 'refund status?', 'I was promised a refund', 'how long does a refund take'].map((text) => ({ text, label: 'refund' })),
      ...['send me the invoice', 'I need an invoice for March', 'invoice copy please', 'where is my invoice', 'the invoice has the wrong address', 'can you resend the invoice', 'invoice number missing', 'VAT invoice needed', 'invoice for order 55', 'please email the invoice'].map((text) => ({ text, label: 'invoice' })),
      ...['the app crashes on login', 'cannot log in', 'password reset does not work', 'login page is broken', 'I forgot my password', 'two factor code not arriving', 'account locked', 'login error 500', 'sign in fails', 'reset my password please'].map((text) => ({ text, label: 'login' })),
    ];
    const small = trainClassifier(few, { clock });
    for (const text of ['zzz qqq', 'hello there', 'what is the weather']) assert.equal(small.predict(text).abstained, true, text);
    assert.equal(small.predict('I still have not received my refund').label, 'refund');
    // A margin of 3 makes such a small model sure of everything: the reason it is off by default.
    const pushed = trainClassifier(few, { clock, margin: 3 });
    assert.equal(pushed.predict('zzz qqq').abstained, false);
  });

  it('rejects a threshold outside [0, 1]', () => {
    assert.throws(() => model.predict('x', { threshold: 1.5 }), { code: 'CLASSIFIER_OPTION_INVALID' });
  });

  it('routes unsure predictions to the out-of-scope label', () => {
    const withOos = trainClassifier(intentExamplesWithOutOfScope(), { clock });
    assert.equal(withOos.outOfScopeLabel, 'oos');
    assert.equal(withOos.predict('tell me a joke about cats').label, 'oos');
    assert.equal(withOos.predict('qwxz vbnm plork').label, 'oos', 'nothing known: out of scope');
    // Force a high out-of-scope threshold: everything unsure becomes oos and abstains.
    const strict = ClassifierModel.fromJSON({ ...withOos.toJSON(), outOfScopeThreshold: 1 });
    const p = strict.predict('where is my parcel, i want a refund');
    assert.ok(p.confidence < 1);
    assert.equal(p.label, 'oos');
    assert.equal(p.abstained, true);
    assert.notEqual(p.alternatives[0]?.label, 'oos', 'alternatives keep the raw ranking');
  });

  it('counts out-of-scope recall and in-scope accuracy in evaluation', () => {
    const withOos = trainClassifier(intentExamplesWithOutOfScope(), { clock });
    const evaluation = evaluateClassifier(withOos, [
      { text: 'where is my parcel', label: 'order_status' },
      { text: 'what is the capital of spain', label: 'oos', inScope: false },
    ]);
    assert.equal(evaluation.inScopeAccuracy, 1);
    assert.equal(evaluation.oosRecall, 1);
    assert.equal(evaluation.n, 2);
  });
});

describe('serialisation', () => {
  it('round-trips through JSON text with identical predictions', () => {
    const text = JSON.stringify(model.toJSON());
    const loaded = ClassifierModel.fromJSON(text);
    assert.deepEqual(loaded.labels, model.labels);
    assert.equal(loaded.threshold, model.threshold);
    assert.deepEqual(loaded.metadata, model.metadata);
    for (const probe of probes) assert.deepEqual(loaded.predict(probe), model.predict(probe), probe);
    assert.equal(JSON.stringify(loaded.toJSON()), text, 'stable encoding');
  });

  it('is compact', () => {
    assert.ok(JSON.stringify(model.toJSON()).length < 100_000);
  });

  it('rejects a damaged model with a clear error', () => {
    const json = model.toJSON();
    assert.throws(() => ClassifierModel.fromJSON({ ...json, format: 'x' }), { code: 'CLASSIFIER_MODEL_INVALID' });
    assert.throws(() => ClassifierModel.fromJSON({ ...json, version: 99 }), { code: 'CLASSIFIER_MODEL_INVALID' });
    assert.throws(() => ClassifierModel.fromJSON({ ...json, weights: json.weights.slice(0, 40) }), { code: 'CLASSIFIER_MODEL_INVALID' });
    assert.throws(() => ClassifierModel.fromJSON({ ...json, labels: ['a'] }), { code: 'CLASSIFIER_MODEL_INVALID' });
    assert.throws(() => ClassifierModel.fromJSON(null), { code: 'CLASSIFIER_MODEL_INVALID' });
    assert.throws(() => ClassifierModel.fromJSON('{not json'), { code: 'CLASSIFIER_MODEL_INVALID' });
    assert.throws(() => ClassifierModel.fromJSON({ ...json, threshold: 2 }), { code: 'CLASSIFIER_MODEL_INVALID' });
  });
});

describe('bad training data', () => {
  it('rejects an empty list', () => rejects([], 'no training examples'));
  it('rejects a non-array', () => rejects({ text: 'a', label: 'b' }, 'must be an array'));
  it('rejects an empty label, naming the example', () =>
    rejects([{ text: 'a', label: 'x' }, { text: 'b', label: 'y' }, { text: 'c', label: ' ' }], 'example 2 has an empty label'));
  it('rejects an empty text', () => rejects([{ text: 'a', label: 'x' }, { text: '', label: 'y' }], 'example 1 has an empty text'));
  it('rejects a missing label', () => rejects([{ text: 'a', label: 'x' }, { text: 'b' }], 'example 1 has no label'));
  it('rejects a single class', () => rejects([{ text: 'a', label: 'x' }, { text: 'b', label: 'x' }], 'at least two different labels'));
  it('rejects bad options', () => {
    assert.throws(() => trainClassifier(intentExamples(), { epochs: 0 }), { code: 'CLASSIFIER_OPTION_INVALID' });
    assert.throws(() => trainClassifier(intentExamples(), { outOfScopeLabel: 'nope' }), { code: 'CLASSIFIER_OPTION_INVALID' });
    for (const margin of [-1, Number.NaN, 50]) {
      assert.throws(() => trainClassifier(intentExamples(), { margin }), { code: 'CLASSIFIER_OPTION_INVALID', message: /margin/ });
    }
  });
  it('trains on tiny data (one example per label)', () => {
    const tiny = trainClassifier([{ text: 'refund please', label: 'refund' }, { text: 'where is my order', label: 'status' }]);
    assert.equal(tiny.predict('refund please').alternatives.length, 2);
  });
});

describe('retrainClassifier', () => {
  it('applies corrections over the original examples', () => {
    const examples = intentExamples();
    const text = 'what time do you close on sunday';
    assert.equal(model.predict(text).label, 'opening_hours');
    // The business decides this phrasing (and its variants) means something else.
    const corrections = examples.filter((e) => e.text.includes('close on sunday')).map((e) => ({ text: e.text, label: 'refund' }));
    const retrained = retrainClassifier(model, examples, corrections, { clock });
    assert.equal(retrained.predict(text).label, 'refund');
    assert.equal(retrained.metadata.exampleCount, examples.length);
    assert.equal(retrained.metadata.options.seed, model.metadata.options.seed);
  });
});
