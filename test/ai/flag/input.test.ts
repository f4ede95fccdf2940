/** Bad input is rejected at the edge with FLAG_INPUT_INVALID and the path of the bad field. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { FLAG_INPUT_INVALID, flagDocument } from '../../../src/ai/flag/index.ts';
import type { FlagDocument } from '../../../src/ai/flag/index.ts';
import { acmeHistory, acmeInvoice, TODAY } from './helpers.ts';

/** Calls flagDocument with raw (possibly ill-typed) input, as an API handler would. */
function run(doc: unknown, history: unknown = acmeHistory, options: unknown = { today: TODAY }): unknown {
  return (flagDocument as (doc: unknown, history: unknown, options: unknown) => unknown)(doc, history, options);
}

function rejectsAt(path: string, call: () => unknown): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    assert.equal(error.code, FLAG_INPUT_INVALID);
    assert.equal(error.details?.['path'], path);
    assert.ok(error.message.includes(path), error.message);
    return true;
  });
}

const line = { description: 'Work', quantity: '1', unitPrice: '10.00' };

void describe('input validation', () => {
  const badDocuments: [path: string, doc: unknown][] = [
    ['doc', null],
    ['doc.total', { ...acmeInvoice(), total: '1,200.00' }],
    ['doc.total', { ...acmeInvoice(), total: undefined }],
    ['doc.total', { ...acmeInvoice(), total: 780 }],
    ['doc.kind', { ...acmeInvoice(), kind: 'invoic' }],
    ['doc.direction', { ...acmeInvoice(), direction: 'sideways' }],
    ['doc.currency', { ...acmeInvoice(), currency: 'eur' }],
    ['doc.currency', { ...acmeInvoice(), currency: 'XYZ' }],
    ['doc.counterparty', { ...acmeInvoice(), counterparty: undefined }],
    ['doc.counterparty.name', { ...acmeInvoice(), counterparty: { name: '   ' } }],
    ['doc.issueDate', { ...acmeInvoice(), issueDate: '2026-02-30' }],
    ['doc.dueDate', { ...acmeInvoice(), dueDate: '10/07/2026' }],
    ['doc.subtotal', { ...acmeInvoice(), subtotal: '€650' }],
    ['doc.lines', { ...acmeInvoice(), lines: 'ten hours' }],
    ['doc.lines[1].quantity', { ...acmeInvoice(), lines: [line, { ...line, quantity: 'two' }] }],
    ['doc.lines[0].unitPrice', { ...acmeInvoice(), lines: [{ ...line, unitPrice: '1e3' }] }],
    ['doc.lines[0].taxRate', { ...acmeInvoice(), lines: [{ ...line, taxRate: '120' }] }],
    ['doc.lines[0].taxRate', { ...acmeInvoice(), lines: [{ ...line, taxRate: '-5' }] }],
    ['doc.lines[0].description', { ...acmeInvoice(), lines: [{ ...line, description: undefined }] }],
    // More decimals than the currency has: 0.5 yen, a tenth of a cent.
    ['doc.total', { ...acmeInvoice({ lines: undefined, subtotal: null, taxTotal: null }), currency: 'JPY', total: '1080.5' }],
    ['doc.lines[0].amount', { ...acmeInvoice(), currency: 'USD', lines: [{ ...line, amount: '10.005' }] }],
  ];
  for (const [path, doc] of badDocuments) {
    void it(`rejects a bad ${path}`, () => rejectsAt(path, () => run(doc)));
  }

  void it('names the history entry that is bad', () => {
    const history: unknown[] = [...acmeHistory];
    history[2] = { ...(acmeHistory[2] as FlagDocument), currency: 'euro' };
    rejectsAt('history[2].currency', () => run(acmeInvoice(), history));
    rejectsAt('history', () => run(acmeInvoice(), null));
    rejectsAt('history[0]', () => run(acmeInvoice(), ['INV-1']));
  });

  const badOptions: [path: string, options: unknown][] = [
    ['options.today', { today: '15/06/2026' }],
    ['options.today', {}],
    ['options.duplicateWindowDays', { today: TODAY, duplicateWindowDays: -1 }],
    ['options.futureDays', { today: TODAY, futureDays: 1.5 }],
    ['options.minHistoryForStats', { today: TODAY, minHistoryForStats: 0 }],
  ];
  for (const [path, options] of badOptions) {
    void it(`rejects a bad ${path}`, () => rejectsAt(path, () => run(acmeInvoice(), acmeHistory, options)));
  }

  void it('says what is wrong in words', () => {
    assert.throws(() => run({ ...acmeInvoice(), total: '1,200.00' }), {
      message: 'FLAG input is invalid at doc.total: must be a plain decimal such as 1250.00 (no currency sign, no thousands separator).',
    });
  });

  void it('accepts what the types allow: nulls, no lines, fine unit prices, negative credit notes', () => {
    const minimal = { kind: 'credit_note', counterparty: { name: 'Acme Ltd.' }, currency: 'EUR', total: '-120.00' };
    assert.doesNotThrow(() => run(minimal));
    assert.doesNotThrow(() => run({ ...acmeInvoice(), number: null, issueDate: null, dueDate: null, fileHash: null, description: null }));
    assert.doesNotThrow(() => run({ ...acmeInvoice(), lines: [{ ...line, unitPrice: '0.0125', taxRate: null, amount: null }] }));
    assert.doesNotThrow(() => run(acmeInvoice(), [], undefined));
  });
});
