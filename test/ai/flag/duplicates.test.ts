/** DUPLICATE: same file, same number, or same amount and description close in time. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlagDocument } from '../../../src/ai/flag/index.ts';
import { acmeHistory, acmeInvoice, flag, none, northwindBill, northwindHistory, only } from './helpers.ts';

const history = [...acmeHistory, ...northwindHistory];

/** An Acme invoice with only a total and a description (no lines, no number). */
function acmeSimple(issueDate: string, total: string, description: string, overrides: Partial<FlagDocument> = {}): FlagDocument {
  return acmeInvoice({
    id: 'acme-x',
    number: null,
    issueDate,
    dueDate: null,
    lines: undefined,
    subtotal: null,
    taxTotal: null,
    total,
    description,
    ...overrides,
  });
}

void describe('incoming duplicates', () => {
  void it('flags the same file as critical, whatever the document says', () => {
    const anomaly = only(flag(northwindBill({ fileHash: 'sha256:nw-3', number: 'NW-2001', total: '999.99' }), history), 'DUPLICATE');
    assert.equal(anomaly.severity, 'critical');
    assert.equal(anomaly.score, 0.99);
    assert.deepEqual(anomaly.evidence['matchedOn'], ['fileHash']);
    assert.equal(anomaly.evidence['duplicateId'], 'nw-3');
    assert.equal(anomaly.evidence['historyIndex'], 7); // 5 Acme invoices, then nw-1, nw-2, nw-3
    assert.equal(
      anomaly.message,
      'This file is identical to bill no. NW-1003 from Northwind Supplies GmbH (1,310.75 EUR, dated 2026-03-20), ' +
        'which is already recorded. Do not pay it twice: discard this copy if it is the same bill.',
    );
  });

  void it('flags the same vendor, number and amount as critical, even months later', () => {
    // "nw 1003" is NW-1003 once spaces and dashes are ignored; 84 days later, outside any window.
    const anomaly = only(
      flag(northwindBill({ number: 'nw 1003', total: '1310.75', fileHash: 'sha256:rescanned' }), history),
      'DUPLICATE',
    );
    assert.equal(anomaly.severity, 'critical');
    assert.equal(anomaly.score, 0.95);
    assert.deepEqual(anomaly.evidence['matchedOn'], ['counterparty', 'number', 'amount']);
    assert.equal(anomaly.evidence['duplicateId'], 'nw-3');
    assert.equal(
      anomaly.message,
      "Northwind Supplies GmbH's bill no. nw 1003 for 1,310.75 EUR is already recorded (dated 2026-03-20). " +
        'Paying this one would pay it twice; hold it unless the vendor confirms it is a new bill.',
    );
  });

  void it('warns when a known number comes back with another amount', () => {
    const anomaly = only(flag(northwindBill({ number: 'NW-1003', total: '1320.75' }), history), 'DUPLICATE');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.6);
    assert.equal(anomaly.evidence['duplicateTotal'], '1310.75');
    assert.equal(
      anomaly.message,
      "Northwind Supplies GmbH's bill no. NW-1003 is already recorded for 1,310.75 EUR; this one says 1,320.75 EUR. " +
        'Check whether it replaces the earlier one before paying.',
    );
  });

  void it('does not match the same number from another vendor', () => {
    const doc = northwindBill({
      number: 'NW-1003',
      total: '1310.75',
      counterparty: { name: 'Contoso Ltd', bankAccount: 'GB33 BUKB 2020 1555 5555 55' },
    });
    none(flag(doc, history), 'DUPLICATE');
  });

  void it('warns on a bill without a number that repeats one from five days earlier', () => {
    // nw-5: 1,260.40 on 2026-05-20. Score 0.5 + 0.2 × 1 + 0.2 × (1 − 5/30) = 0.8667.
    const doc = northwindBill({ number: null, fileHash: null, issueDate: '2026-05-25', dueDate: null, total: '1260.40' });
    const anomaly = only(flag(doc, history), 'DUPLICATE');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.87);
    assert.equal(anomaly.evidence['duplicateId'], 'nw-5');
    assert.equal(
      anomaly.message,
      'Bill no. NW-1005 (1,260.40 EUR, "Office supplies", dated 2026-05-20) looks like this one: same vendor, same amount, ' +
        '100% similar description, 5 days apart. Check that the same bill is not being paid twice.',
    );
  });
});

void describe('outgoing duplicates', () => {
  void it('warns on the same client, amount and description three days apart', () => {
    // acme-5: 770.00 "Website maintenance May" on 2026-05-10. Similarity 1 (the dash is
    // punctuation); closeness 1 − 3/30 = 0.9; score 0.5 + 0.2 + 0.18 = 0.88.
    const anomaly = only(flag(acmeSimple('2026-05-13', '770.00', 'Website maintenance - May'), history), 'DUPLICATE');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.88);
    assert.equal(anomaly.evidence['duplicateId'], 'acme-5');
    assert.equal(anomaly.evidence['similarity'], 1);
    assert.equal(anomaly.evidence['daysApart'], 3);
    assert.equal(anomaly.evidence['windowDays'], 30);
    assert.equal(
      anomaly.message,
      'Invoice no. INV-2026-005 (770.00 EUR, "Website maintenance May", dated 2026-05-10) looks like this one: ' +
        'same client, same amount, 100% similar description, 3 days apart. Check that the same work is not being billed twice.',
    );
  });

  const notDuplicates: [name: string, doc: FlagDocument, options?: { duplicateWindowDays: number }][] = [
    ['36 days apart, outside the 30-day window', acmeSimple('2026-06-15', '770.00', 'Website maintenance May')],
    ['another description', acmeSimple('2026-05-13', '770.00', 'Logo design')],
    // {website, maintenance, june} vs {website, maintenance, may}: 2 shared of 4 = 0.5 < 0.6.
    ['another month in the description', acmeSimple('2026-05-13', '770.00', 'Website maintenance June')],
    ['another amount', acmeSimple('2026-05-13', '771.00', 'Website maintenance May')],
    ['a quote is not a duplicate of an invoice', acmeSimple('2026-05-13', '770.00', 'Website maintenance May', { kind: 'quote' })],
    ['an incoming document is not a duplicate of an outgoing one', acmeSimple('2026-05-13', '770.00', 'Website maintenance May', { direction: 'incoming' })],
  ];
  for (const [name, doc] of notDuplicates) {
    void it(`does not flag ${name}`, () => none(flag(doc, history), 'DUPLICATE'));
  }

  void it('widens the window when asked', () => {
    // 36 days apart with a 40-day window: 0.5 + 0.2 + 0.2 × (1 − 36/40) = 0.72.
    const anomaly = only(flag(notDuplicates[0]?.[1] as FlagDocument, history, { duplicateWindowDays: 40 }), 'DUPLICATE');
    assert.equal(anomaly.score, 0.72);
  });
});

void describe('recurring charges', () => {
  // A retainer billed on the 1st: intervals 31, 28, 31 days, median 31, so the window is 15 days.
  const retainer: FlagDocument[] = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'].map((issueDate, index) => ({
    id: `r-${index + 1}`,
    kind: 'invoice',
    counterparty: { name: 'Blue Fern Café' },
    currency: 'EUR',
    issueDate,
    total: '500.00',
    description: 'Monthly retainer',
  }));
  const next = (issueDate: string): FlagDocument => ({ ...retainer[0], id: 'r-new', issueDate }) as FlagDocument;

  void it('does not flag next month’s retainer sent early', () => {
    none(flag(next('2026-04-29'), retainer), 'DUPLICATE'); // 28 days after r-4: more than 15
  });

  void it('flags the same retainer twice in one month', () => {
    // 2 days after r-4: 0.5 + 0.2 + 0.2 × (1 − 2/15) = 0.8733.
    const anomaly = only(flag(next('2026-04-03'), retainer), 'DUPLICATE');
    assert.equal(anomaly.score, 0.87);
    assert.equal(anomaly.evidence['duplicateId'], 'r-4');
    assert.equal(anomaly.evidence['windowDays'], 15);
  });
});
