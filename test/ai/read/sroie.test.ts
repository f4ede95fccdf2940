import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import {
  evaluateReader,
  extractFields,
  loadSroieJsonl,
  sroieToLabelled,
  trainReader,
  type ReadResult,
  type SroieExample,
} from '../../../src/ai/read/index.ts';

const dir = join(process.env.OPSLOOP_DATASETS ?? join(import.meta.dirname, '../../../../shared/datasets'), 'sroie');
const available = existsSync(join(dir, 'train.jsonl')) && existsSync(join(dir, 'dev.jsonl'));

describe('SROIE dev evaluation (trained on SROIE train, vendors of train as knowledge)', { skip: available ? false : `no SROIE data in ${dir}` }, () => {
  const train = available ? loadSroieJsonl(join(dir, 'train.jsonl')) : [];
  const dev = available ? loadSroieJsonl(join(dir, 'dev.jsonl')) : [];
  const model = available ? trainReader(sroieToLabelled(train)) : undefined;
  const result = available ? evaluateReader((lines) => extractFields(lines, { model }), dev) : undefined;

  it('reaches the field-level F1 it reached when it was built (0.9018; 0.9066 in 5-fold cross-validation on train)', () => {
    assert.ok(result !== undefined);
    assert.equal(result.n, 116);
    assert.ok(result.f1 >= 0.898, `micro F1 ${result.f1}`);
    assert.ok(result.fields.date.f1 >= 0.97, `date F1 ${result.fields.date.f1}`);
    assert.ok(result.fields.total.f1 >= 0.91, `total F1 ${result.fields.total.f1}`);
    assert.ok(result.fields.company.f1 >= 0.93, `company F1 ${result.fields.company.f1}`);
    assert.ok(result.fields.address.f1 >= 0.735, `address F1 ${result.fields.address.f1}`);
  });

  it('is right far more often when it says it is confident', () => {
    assert.ok(result !== undefined);
    assert.ok(result.highConfidence.accuracy !== null && result.highConfidence.accuracy >= 0.95, JSON.stringify(result.highConfidence));
    assert.ok(result.highConfidence.share >= 0.5, 'most fields are confident');
    const low = result.confidence.find((band) => band.from === 0);
    assert.ok(low?.accuracy != null && low.accuracy < 0.7, 'low-confidence fields are often wrong, so they are worth a review');
  });

  it('the trained model survives a JSON round trip', () => {
    assert.ok(model !== undefined);
    const restored = JSON.parse(JSON.stringify(model)) as typeof model;
    for (const example of dev.slice(0, 5)) {
      assert.deepEqual(extractFields(example.lines, { model: restored }).fields, extractFields(example.lines, { model }).fields);
    }
  });
});

describe('evaluateReader', () => {
  const example = (id: string, fields: SroieExample['fields']): SroieExample => ({ id, lines: [{ text: id }], fields });
  const answer = (vendor: string | null, total: string | null): ReadResult => {
    const field = (value: string | null) => ({ value, confidence: value === null ? 0 : 0.95, evidence: [] });
    return {
      fields: {
        vendor: field(vendor), address: field(null), documentNumber: field(null), issueDate: field(null),
        dueDate: field(null), currency: field(null), subtotal: field(null), tax: field(null), total: field(total),
      },
      lineItems: [],
    };
  };

  it('counts empty predictions as no prediction and empty truths as absent, comparing collapsed whitespace', () => {
    const examples = [example('a', { company: 'ACME  SDN BHD', date: '', address: '', total: '9.00' }), example('b', { company: 'X', date: '', address: '', total: '' })];
    const predictions: Record<string, ReadResult> = { a: answer('ACME SDN BHD', '9.00'), b: answer(null, '1.00') };
    const result = evaluateReader((lines) => predictions[lines[0]?.text ?? ''] ?? answer(null, null), examples);
    assert.deepEqual(result.fields.company, { precision: 1, recall: 0.5, f1: 0.6667, correct: 1, predicted: 1, expected: 2 });
    assert.deepEqual(result.fields.total, { precision: 0.5, recall: 1, f1: 0.6667, correct: 1, predicted: 2, expected: 1 });
    assert.equal(result.f1, 0.6667);
  });
});

describe('trainReader input checks', () => {
  it('rejects an empty or malformed training set', () => {
    const invalid = (error: unknown): boolean => error instanceof ValidationError && error.code === 'READ_TRAINING_INVALID';
    assert.throws(() => trainReader([]), invalid);
    assert.throws(() => trainReader([{ lines: [{ text: 'TOTAL 9.00' }] } as never]), invalid);
    assert.throws(() => trainReader([{ lines: 'TOTAL 9.00', fields: {} } as never]), (e: unknown) => e instanceof ValidationError && e.code === 'READ_INPUT_INVALID');
  });
});
