/** Matching money in to open invoices: pure decisions, with their confidence and reasons. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nameSimilarity, proposeMatch, referenceStrength, type IncomingTransaction, type OpenInvoice } from '../../../../src/domains/finance/index.ts';

const invoice = (number: string, clientName: string, outstanding: bigint, issueDate = '2026-01-02', currency = 'EUR'): OpenInvoice => ({ documentId: `doc-${number}`, number, clientName, currency, issueDate, outstandingMinor: outstanding });
const payment = (amount: bigint, fields: Partial<IncomingTransaction> = {}): IncomingTransaction => ({ id: 't1', date: '2026-01-10', amountMinor: amount, currency: 'EUR', description: null, reference: null, counterparty: null, ...fields });
const allocated = (p: ReturnType<typeof proposeMatch>) => p?.allocations.map((a) => [a.invoice, a.amountMinor]);

const open = [
  invoice('INV-2026-0001', 'Acme Ltd', 120000n),
  invoice('INV-2026-0002', 'Müller GmbH', 48050n),
  invoice('INV-2026-0003', 'Globex Inc', 30000n),
  invoice('INV-2026-0004', 'Globex Inc', 45000n, '2026-01-03'),
  invoice('INV-2026-0005', 'Initech', 200000n),
  invoice('INV-2026-0006', 'Umbrella Corp', 64000n),
  invoice('INV-2026-0007', 'Stark Industries', 64000n),
];

describe('invoice numbers in references', () => {
  test('tolerant of case, spacing, dashes and leading zeros; strict about other numbers', () => {
    for (const text of ['INV-2026-0001', 'inv 2026 0001', 'Rechnung INV20260001', 'inv-2026-1 thanks', 'ref: INV/2026/0001.']) assert.equal(referenceStrength(text, 'INV-2026-0001'), 55, text);
    assert.equal(referenceStrength('payment 2026-0001', 'INV-2026-0001'), 45, 'digits without the prefix');
    for (const text of ['INV-2026-00011', 'INV-2026-0002', 'QUO-2026-0001', 'paid 2026-01-15', 'XINV-2026-0001']) assert.equal(referenceStrength(text, 'INV-2026-0001'), 0, text);
  });

  test('client names: case, punctuation, legal forms and word order do not matter', () => {
    assert.equal(nameSimilarity('ACME LIMITED', 'Acme Ltd'), 1);
    assert.equal(nameSimilarity('Muller GmbH & Co. KG', 'Müller GmbH'), 1);
    assert.equal(nameSimilarity('SMITH JOHN', 'John Smith'), 1);
    assert.ok((nameSimilarity('GLOBEX INCORPORATED', 'Globex Inc') ?? 0) >= 0.8);
    assert.ok((nameSimilarity('ACME TRADING GMB', 'Acme Trading GmbH') ?? 0) >= 0.8, 'a name the bank cut short');
    assert.ok((nameSimilarity('Stark Industries', 'Acme Ltd') ?? 1) < 0.3);
    assert.equal(nameSimilarity(null, 'Acme Ltd'), null);
  });
});

describe('proposals', () => {
  test('exact: the reference names the invoice and the amount is what it owes → confident', () => {
    const p = proposeMatch(payment(120000n, { description: 'RE INV-2026-0001 Webdesign', counterparty: 'ACME LIMITED' }), open);
    assert.equal(p?.kind, 'exact');
    assert.equal(p?.confidence, 1);
    assert.deepEqual(allocated(p), [['INV-2026-0001', 120000n]]);
    assert.match(p?.reasons.join('\n') ?? '', /the reference names INV-2026-0001\nthe amount 1200.00 EUR is exactly what INV-2026-0001 still owes\nthe payer "ACME LIMITED" matches the client "Acme Ltd"/);
  });

  test('the same with a payer the bank does not name, or another payer: still at the default threshold', () => {
    assert.equal(proposeMatch(payment(120000n, { reference: 'INV-2026-0001' }), open)?.confidence, 0.95);
    assert.equal(proposeMatch(payment(120000n, { reference: 'INV-2026-0001', counterparty: 'Parent Holdings' }), open)?.confidence, 0.9);
  });

  test('partial: less than owed → a partial payment, for a person to confirm', () => {
    const p = proposeMatch(payment(20000n, { description: 'Teilzahlung INV 2026 0002', counterparty: 'Müller GmbH' }), open);
    assert.equal(p?.kind, 'partial');
    assert.equal(p?.confidence, 0.8);
    assert.deepEqual(allocated(p), [['INV-2026-0002', 20000n]]);
  });

  test('one deposit for several invoices named in the reference', () => {
    const p = proposeMatch(payment(75000n, { description: 'Rechnungen INV-2026-0003, INV-2026-0004', counterparty: 'Globex Incorporated' }), open);
    assert.equal(p?.kind, 'several');
    assert.ok((p?.confidence ?? 0) >= 0.9);
    assert.deepEqual(allocated(p), [['INV-2026-0003', 30000n], ['INV-2026-0004', 45000n]]);
  });

  test('one deposit for several invoices by amount alone: the set of the client\'s invoices that adds up', () => {
    const p = proposeMatch(payment(75000n, { counterparty: 'GLOBEX INC' }), open);
    assert.equal(p?.kind, 'several');
    assert.equal(p?.confidence, 0.8, 'without a reference it goes to a person');
    assert.deepEqual(allocated(p), [['INV-2026-0003', 30000n], ['INV-2026-0004', 45000n]]);
  });

  test('amount and name without a reference: a proposal below the threshold; an ambiguous amount without a name: none', () => {
    const p = proposeMatch(payment(64000n, { counterparty: 'Umbrella Corporation' }), open);
    assert.deepEqual(allocated(p), [['INV-2026-0006', 64000n]]);
    assert.equal(p?.confidence, 0.8);
    assert.equal(proposeMatch(payment(64000n, { counterparty: 'Someone Else' }), open), null, 'two invoices of 640.00 and no name to choose');
    assert.equal(proposeMatch(payment(12345n, { counterparty: 'Someone Else' }), open), null);
  });

  test('several payments for one invoice: each partial, the last one settles the rest', () => {
    const first = proposeMatch(payment(50000n, { reference: 'INV-2026-0005', counterparty: 'Initech' }), open);
    assert.equal(first?.kind, 'partial');
    const rest = open.map((i) => (i.number === 'INV-2026-0005' ? { ...i, outstandingMinor: 150000n } : i));
    const last = proposeMatch(payment(150000n, { reference: 'INV-2026-0005', counterparty: 'Initech' }), rest);
    assert.equal(last?.kind, 'exact');
    assert.equal(last?.confidence, 1);
  });

  test('over-payment: the invoice is paid, the rest stays unallocated, a person decides', () => {
    const p = proposeMatch(payment(130000n, { reference: 'INV-2026-0001', counterparty: 'Acme Ltd' }), open);
    assert.equal(p?.kind, 'overpaid');
    assert.equal(p?.unallocatedMinor, 10000n);
    assert.ok((p?.confidence ?? 1) < 0.9);
  });

  test('never an invoice issued after the payment, another currency, or money out', () => {
    assert.equal(proposeMatch(payment(120000n, { reference: 'INV-2026-0001', date: '2026-01-01' }), open), null);
    assert.equal(proposeMatch(payment(120000n, { reference: 'INV-2026-0001', currency: 'USD' }), open), null);
    assert.equal(proposeMatch(payment(-120000n, { reference: 'INV-2026-0001' }), open), null);
  });
});
