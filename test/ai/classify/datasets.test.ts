/**
 * Dataset regression tests: train on each development dataset's train split, assert dev
 * metrics a little below what the classifier reaches (see bench/ai/classify.ts), so that a
 * regression fails. About 30 s of CPU in all (clinc150 ~15 s, banking77 ~10 s, sms_spam ~1 s).
 * Skipped when the datasets folder is absent; set OPSLOOP_DATASETS to point elsewhere.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { evaluateClassifier, trainClassifier } from '../../../src/ai/classify/index.ts';
import type { ClassifierEvaluation } from '../../../src/ai/classify/index.ts';
import { readLabelledJsonl } from '../../../src/ai/eval/jsonl.ts';

const datasetsDir = resolve(process.env.OPSLOOP_DATASETS ?? join(import.meta.dirname, '../../../../shared/datasets'));

function trainAndEvaluate(name: string): ClassifierEvaluation {
  const train = readLabelledJsonl(join(datasetsDir, name, 'train.jsonl'));
  const dev = readLabelledJsonl(join(datasetsDir, name, 'dev.jsonl'));
  const model = trainClassifier(train);
  return evaluateClassifier(model, dev, { perLabel: true });
}

function skipUnless(name: string): string | false {
  return existsSync(join(datasetsDir, name, 'train.jsonl')) ? false : `no ${name} under ${datasetsDir}`;
}

describe('CLASSIFY on development datasets (train → dev)', () => {
  it('banking77: accuracy >= 0.90, coverage at 99 % precision >= 0.70', { skip: skipUnless('banking77') }, () => {
    const result = trainAndEvaluate('banking77'); // reaches 0.922 / 0.79
    assert.ok(result.accuracy >= 0.9, `accuracy ${result.accuracy}`);
    assert.ok(result.coverageAt99.coverage >= 0.7, `coverage ${result.coverageAt99.coverage}`);
    assert.ok(result.atModelThreshold.precision >= 0.97, `precision at model threshold ${result.atModelThreshold.precision}`);
  });

  it('clinc150: in-scope accuracy >= 0.915 with out-of-scope recall >= 0.55', { skip: skipUnless('clinc150') }, () => {
    const result = trainAndEvaluate('clinc150'); // reaches 0.930 / 0.61
    assert.ok((result.inScopeAccuracy ?? 0) >= 0.915, `in-scope accuracy ${result.inScopeAccuracy}`);
    assert.ok((result.oosRecall ?? 0) >= 0.55, `oos recall ${result.oosRecall}`);
    assert.ok(result.atModelThreshold.precision >= 0.97, `precision at model threshold ${result.atModelThreshold.precision}`);
  });

  it('sms_spam: accuracy >= 0.975, spam precision >= 0.97, spam recall >= 0.85', { skip: skipUnless('sms_spam') }, () => {
    const result = trainAndEvaluate('sms_spam'); // reaches 0.984 / 1.0 / 0.90
    const spam = result.perLabel?.spam;
    assert.ok(spam);
    assert.ok(result.accuracy >= 0.975, `accuracy ${result.accuracy}`);
    assert.ok(spam.precision >= 0.97, `spam precision ${spam.precision}`);
    assert.ok(spam.recall >= 0.85, `spam recall ${spam.recall}`);
  });
});
