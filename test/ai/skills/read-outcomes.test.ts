/** The rule that turns a business's inbox decisions into READ's per-field thresholds (pure functions). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendOutcomes, businessThreshold, outcomesOfDecision, parseStoredOutcomes, recalibrateField, recalibrateReader, type ReadOutcome } from '../../../src/ai/skills/read-outcomes.ts';
import type { SkillCalibration } from '../../../src/workflow/registry.ts';

const rule = { minOutcomes: 100, targetPrecision: 0.99 };
const right = (confidence: number, count = 1): { confidence: number; right: boolean }[] => Array.from({ length: count }, () => ({ confidence, right: true }));
const wrong = (confidence: number, count = 1): { confidence: number; right: boolean }[] => Array.from({ length: count }, () => ({ confidence, right: false }));
const spread = (from: number, to: number, count: number): { confidence: number; right: boolean }[] => Array.from({ length: count }, (_, i) => ({ confidence: from + ((to - from) * i) / (count - 1), right: true }));

const shipped: SkillCalibration = { precision: 0.99, threshold: 0.979, fields: { vendor: 1, address: 1, issueDate: 0.584, total: 0.979 }, source: 'SROIE train+dev without vendor knowledge, 5-fold held-out, 626 documents' };

describe('businessThreshold', () => {
  test('the lowest confidence with enough outcomes above it, all right', () => {
    assert.equal(businessThreshold(spread(0.5, 0.95, 120), rule), 0.5);
  });

  test('too few outcomes: no threshold of the business own', () => {
    assert.equal(businessThreshold(right(0.9, 99), rule), null);
    assert.equal(businessThreshold(right(0.9, 100), rule), 0.9);
  });

  test('at most 1 % wrong above it: one edit in 100 is tolerated, two are not', () => {
    assert.equal(businessThreshold([...right(0.9, 99), ...wrong(0.95)], rule), 0.9);
    assert.equal(businessThreshold([...right(0.9, 98), ...wrong(0.95, 2)], rule), null);
  });

  test('wrong answers at low confidence push the threshold up to where the evidence is clean', () => {
    const outcomes = [...right(0.97, 150), ...wrong(0.6, 5), ...right(0.6, 45)];
    assert.equal(businessThreshold(outcomes, rule), 0.97);
  });

  test('equal confidences are taken or left together', () => {
    // 100 right at 0.9 plus 3 wrong at 0.8 among 10: the 0.8 group cannot be split.
    assert.equal(businessThreshold([...right(0.9, 100), ...wrong(0.8, 3), ...right(0.8, 7)], rule), 0.9);
  });
});

describe('recalibrateField', () => {
  test('too little evidence keeps the shipped threshold', () => {
    assert.deepEqual(recalibrateField(0.979, right(0.99, 40), rule), { threshold: 0.979, from: 'shipped', outcomes: 40, wrong: 0 });
  });

  test('a single wrong answer above the shipped threshold among few outcomes is not yet enough to raise it', () => {
    assert.equal(recalibrateField(0.979, [...right(0.99, 30), ...wrong(0.99)], rule).from, 'shipped');
  });

  test('the shipped threshold shown unsafe for this business is raised to 1, even before there are 100 outcomes', () => {
    assert.deepEqual(recalibrateField(0.979, [...right(0.99, 30), ...wrong(0.985, 2)], rule), { threshold: 1, from: 'raised', outcomes: 32, wrong: 2 });
  });

  test('enough clean evidence lowers it; evidence of errors just above it raises it to where it is clean', () => {
    assert.equal(recalibrateField(1, right(0.8, 100), rule).threshold, 0.8);
    const raised = recalibrateField(0.9, [...right(0.99, 100), ...wrong(0.95, 10), ...right(0.95, 90)], rule);
    assert.deepEqual(raised, { threshold: 0.99, from: 'business', outcomes: 200, wrong: 10 });
  });
});

describe('recalibrateReader', () => {
  test('without outcomes it is the shipped calibration', () => {
    assert.deepEqual(recalibrateReader(shipped, []), shipped);
  });

  test('fields with enough evidence get the business threshold; the source names the decisions; the rest stays shipped', () => {
    const outcomes: ReadOutcome[] = [...right(0.93, 212).map((o) => ({ ...o, field: 'vendor' })), ...right(0.99, 30).map((o) => ({ ...o, field: 'total' })), ...right(0.7, 120).map((o) => ({ ...o, field: 'documentNumber' }))];
    const calibration = recalibrateReader(shipped, outcomes);
    assert.deepEqual(calibration.fields, { vendor: 0.93, address: 1, issueDate: 0.584, total: 0.979, documentNumber: 0.7 });
    assert.equal(calibration.threshold, 0.979, 'fields without evidence or a shipped threshold of their own keep the pooled one');
    assert.equal(calibration.precision, 0.99);
    assert.match(calibration.source, /business decisions in the inbox: vendor 0\.93 \(212 decisions, 0 edited\), documentNumber 0\.7 \(120 decisions, 0 edited\)/);
    assert.match(calibration.source, /other fields: SROIE train\+dev/);
    assert.equal(shipped.fields?.vendor, 1, 'the shipped calibration is not changed');
  });

  test('a raised field is named in the source', () => {
    const outcomes = [...right(0.99, 40), ...wrong(0.99, 3)].map((o) => ({ ...o, field: 'total' }));
    const calibration = recalibrateReader(shipped, outcomes);
    assert.equal(calibration.fields?.total, 1);
    assert.match(calibration.source, /raised to 1 by business decisions .*: total \(43 decisions, 3 edited\)/);
  });

  test('bad outcomes (unknown fields, confidences that are not numbers in 0..1, missing verdicts) are ignored', () => {
    const bad: unknown[] = [
      ...right(0.5, 150).map((o) => ({ ...o, field: 'bogus' })),
      ...Array.from({ length: 150 }, () => ({ field: 'total', confidence: 'high', right: true })),
      ...Array.from({ length: 150 }, () => ({ field: 'total', confidence: Number.NaN, right: true })),
      ...Array.from({ length: 150 }, () => ({ field: 'total', confidence: 1.5, right: true })),
      ...Array.from({ length: 150 }, () => ({ field: 'total', confidence: 0.5 })),
      null,
      'total',
      42,
    ];
    assert.deepEqual(recalibrateReader(shipped, bad), shipped);
  });

  test('a shipped model without per-field thresholds uses the pooled one as each field’s shipped number', () => {
    const pooledOnly: SkillCalibration = { threshold: 0.99, source: 'read default: model without calibration' };
    const calibration = recalibrateReader(pooledOnly, [...right(0.999, 20), ...wrong(0.995, 2)].map((o) => ({ ...o, field: 'tax' })));
    assert.deepEqual(calibration.fields, { tax: 1 });
    assert.equal(calibration.threshold, 0.99);
  });
});

describe('outcomesOfDecision', () => {
  const proposed = { vendor: 'KEDAI MAJU', address: 'NO 12 JALAN', total: '9.90', dueDate: null, lineItems: [] };
  const fieldConfidence = { vendor: 0.96, address: 0.76, total: 0.98 };

  test('approved unchanged: every field that had a value was right', () => {
    assert.deepEqual(outcomesOfDecision({ status: 'approved', proposed, final: proposed, fieldConfidence }), [
      { field: 'vendor', confidence: 0.96, right: true },
      { field: 'address', confidence: 0.76, right: true },
      { field: 'total', confidence: 0.98, right: true },
    ]);
  });

  test('edited: the edited fields were wrong, the others right; spacing alone is not an error', () => {
    const final = { ...proposed, vendor: 'KEDAI  MAJU ', total: '9.99', dueDate: '2026-02-01', lineItems: [{ description: 'x' }] };
    assert.deepEqual(outcomesOfDecision({ status: 'approved', proposed, final, fieldConfidence }), [
      { field: 'vendor', confidence: 0.96, right: true },
      { field: 'address', confidence: 0.76, right: true },
      { field: 'total', confidence: 0.98, right: false },
    ]);
  });

  test('a value the person removed was wrong', () => {
    const { address: _removed, ...final } = proposed;
    assert.deepEqual(outcomesOfDecision({ status: 'approved', proposed, final, fieldConfidence }).find((o) => o.field === 'address'), { field: 'address', confidence: 0.76, right: false });
  });

  test('rejected or timed out: nothing is recorded', () => {
    assert.deepEqual(outcomesOfDecision({ status: 'rejected', proposed, final: null, fieldConfidence }), []);
    assert.deepEqual(outcomesOfDecision({ status: 'timed_out', proposed, final: null, fieldConfidence }), []);
  });

  test('bad confidences and unknown fields are skipped; a task without confidences records nothing', () => {
    const odd = { vendor: 'high', total: 0.98, bogus: 0.9, address: -1 };
    assert.deepEqual(outcomesOfDecision({ status: 'approved', proposed: { ...proposed, bogus: 'x' }, final: null, fieldConfidence: odd }), [{ field: 'total', confidence: 0.98, right: true }]);
    assert.deepEqual(outcomesOfDecision({ status: 'approved', proposed, final: proposed, fieldConfidence: null }), []);
    assert.deepEqual(outcomesOfDecision({ status: 'approved', proposed: 'text', final: null, fieldConfidence }), []);
  });
});

describe('stored outcomes', () => {
  test('the latest outcomes per field are kept, confidences rounded down', () => {
    const old = Array.from({ length: 5 }, (_, i): ReadOutcome => ({ field: 'total', confidence: i / 10, right: true }));
    const stored = appendOutcomes(old, [{ field: 'total', confidence: 0.9876549, right: false }, { field: 'vendor', confidence: 0.5, right: true }], 3);
    assert.deepEqual(stored, { total: [[0.3, 1], [0.4, 1], [0.987654, 0]], vendor: [[0.5, 1]] });
    assert.deepEqual(parseStoredOutcomes(stored).filter((o) => o.field === 'total').map((o) => o.right), [true, true, false]);
  });

  test('whatever in the stored form is not an outcome is dropped', () => {
    assert.deepEqual(parseStoredOutcomes({ total: [[0.9, 1], ['0.9', 1], [0.9, 2], [0.9], 'x'], bogus: [[0.9, 1]], vendor: 'x' }), [{ field: 'total', confidence: 0.9, right: true }]);
    assert.deepEqual(parseStoredOutcomes(null), []);
    assert.deepEqual(parseStoredOutcomes([[0.9, 1]]), []);
  });
});
