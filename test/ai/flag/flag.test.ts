/** FLAG as a whole: clean documents stay clean, results are ordered, scored and deterministic. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagDocument } from '../../../src/ai/flag/index.ts';
import { acmeHistory, acmeInvoice, codes, flag, northwindBill, northwindHistory } from './helpers.ts';

const history = [...acmeHistory, ...northwindHistory];

void describe('flagDocument on normal documents', () => {
  void it('flags nothing on a normal invoice in a normal history', () => {
    const result = flag(acmeInvoice(), history);
    assert.deepEqual(result.anomalies, []);
    assert.equal(result.confidence, 1);
    // No line amounts (LINES), outgoing (BANK, ROUND): those three are not evaluated.
    assert.deepEqual(result.checked, [
      'TOTALS_MISMATCH',
      'DUPLICATE',
      'UNUSUAL_AMOUNT',
      'NEW_COUNTERPARTY',
      'DATES_OUT_OF_ORDER',
      'DATE_IN_FUTURE',
      'DATE_TOO_OLD',
      'CURRENCY_CHANGED',
    ]);
  });

  void it('flags nothing on a normal bill from a known vendor', () => {
    const result = flag(northwindBill(), history);
    assert.deepEqual(result.anomalies, []);
    assert.equal(result.confidence, 1);
    // No lines and no subtotal: nothing to add up.
    assert.deepEqual(result.checked, [
      'DUPLICATE',
      'UNUSUAL_AMOUNT',
      'NEW_COUNTERPARTY',
      'BANK_DETAILS_CHANGED',
      'DATES_OUT_OF_ORDER',
      'DATE_IN_FUTURE',
      'DATE_TOO_OLD',
      'CURRENCY_CHANGED',
      'ROUND_AMOUNT',
    ]);
  });

  void it('does not count the document itself, when it is already in the history, as its own duplicate', () => {
    const doc = acmeInvoice();
    assert.deepEqual(flag(doc, [...history, doc]).anomalies, []);
  });

  void it('skips the checks that need today when no options are given', () => {
    const result = flagDocument(acmeInvoice({ issueDate: '2099-01-01', dueDate: '2099-02-01' }), acmeHistory);
    assert.deepEqual(codes(result), []);
    assert.ok(!result.checked.includes('DATE_IN_FUTURE'));
    assert.ok(!result.checked.includes('DATE_TOO_OLD'));
  });
});

void describe('ordering and confidence', () => {
  // A Northwind bill with a new IBAN (critical 0.9), due before issue (warning 0.9) and a round
  // 5,000.00 total (info 0.3): most severe first, then by score; confidence = 1 − 0.9.
  const doc = northwindBill({
    total: '5000.00',
    issueDate: '2026-06-12',
    dueDate: '2026-06-02',
    counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: 'GB33 BUKB 2020 1555 5555 55' },
  });

  void it('puts critical first, then warnings, then info', () => {
    const result = flag(doc, history);
    // 5000.00 vs median 1234.56 (MAD 29.56): z = 0.6745 × 3765.44 / 29.56 = 85.92 (strength 1),
    // fold 5000 / 1234.56 = 4.05 (strength (4.05 − 1.5) / 3 = 0.85) → 0.5 + 0.4 × 0.85 = 0.84.
    assert.deepEqual(codes(result), ['BANK_DETAILS_CHANGED', 'DATES_OUT_OF_ORDER', 'UNUSUAL_AMOUNT', 'ROUND_AMOUNT']);
    assert.deepEqual(
      result.anomalies.map((anomaly) => [anomaly.severity, anomaly.score]),
      [
        ['critical', 0.9],
        ['warning', 0.9],
        ['warning', 0.84],
        ['info', 0.3],
      ],
    );
    assert.equal(result.anomalies[2]?.evidence['mad'], '29.56');
    assert.equal(result.confidence, 0.1);
  });

  void it('ignores info anomalies in the confidence', () => {
    // Only a new client (info, score 1): still fully confident that the document is clean.
    const result = flag(acmeInvoice({ counterparty: { name: 'Globex Corporation' } }), history);
    assert.deepEqual(codes(result), ['NEW_COUNTERPARTY']);
    assert.equal(result.confidence, 1);
  });

  void it('is deterministic and leaves its input untouched', () => {
    const before = structuredClone({ doc, history });
    const first = flag(doc, history);
    const second = flag(doc, history);
    assert.deepEqual(first, second);
    assert.deepEqual({ doc, history }, before);
    assert.equal(JSON.stringify(first), JSON.stringify(second));
  });

  void it('gives the same answer whatever the order of the history', () => {
    const forward = flag(doc, history);
    const backward = flag(doc, [...history].reverse());
    const strip = (result: typeof forward): unknown =>
      result.anomalies.map(({ code, severity, score, message }) => ({ code, severity, score, message }));
    assert.deepEqual(strip(backward), strip(forward));
    assert.equal(backward.confidence, forward.confidence);
  });

  void it('writes every message as plain sentences with the numbers in them', () => {
    for (const anomaly of flag(doc, history).anomalies) {
      assert.match(anomaly.message, /^[A-Z0-9].*\.$/, anomaly.message);
      assert.match(anomaly.message, /\d/, anomaly.message);
    }
  });
});
