/**
 * The four sentences from the product issue, with the whole expected document. Dates count from
 * 2026-11-22: +14 days is 2026-12-06 (November has 30 days: 22 + 14 = 36 → Dec 6), +30 days is
 * 2026-12-22.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draft } from './helpers.ts';

const KEY_ORDER = ['kind', 'client', 'currency', 'lines', 'subtotal', 'taxTotal', 'total', 'issueDate', 'dueDate', 'validUntil', 'reference', 'status', 'confidence'];
const LINE_KEY_ORDER = ['description', 'quantity', 'unitPrice', 'taxRate'];

function assertSameJson(actual: unknown, expected: unknown): void {
  assert.deepEqual(actual, expected);
  // deepEqual ignores key order; the JSON a client sees must have it too.
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

void describe('the four example sentences', () => {
  void it('Invoice Acme Ltd $2,500 for website development due in 14 days', () => {
    assertSameJson(draft('Invoice Acme Ltd $2,500 for website development due in 14 days'), {
      kind: 'invoice',
      client: { name: 'Acme Ltd' },
      currency: 'USD',
      lines: [{ description: 'website development', quantity: '1', unitPrice: '2500.00', taxRate: null }],
      subtotal: '2500.00',
      taxTotal: '0.00',
      total: '2500.00',
      issueDate: '2026-11-22',
      dueDate: '2026-12-06',
      validUntil: null,
      reference: null,
      status: 'draft',
      confidence: {
        kind: 1,
        client: 0.95, // capitalised, with a company suffix
        currency: 0.85, // "$" could be another dollar
        lines: 1,
        description: 0.9, // a "for ..." phrase
        taxRate: 0.3, // not stated, no default: null
        issueDate: 0.8, // defaulted to today
        dueDate: 1,
        validUntil: 1, // an invoice has none
        reference: 0.9, // nothing that looks like one
      },
    });
  });

  void it('Quote Bright Dental €1.200,50 for 3 months of SEO, valid 30 days', () => {
    assertSameJson(draft('Quote Bright Dental €1.200,50 for 3 months of SEO, valid 30 days'), {
      kind: 'quote',
      client: { name: 'Bright Dental' },
      currency: 'EUR',
      lines: [{ description: '3 months of SEO', quantity: '1', unitPrice: '1200.50', taxRate: null }],
      subtotal: '1200.50',
      taxTotal: '0.00',
      total: '1200.50',
      issueDate: '2026-11-22',
      dueDate: null,
      validUntil: '2026-12-22',
      reference: null,
      status: 'draft',
      confidence: {
        kind: 1,
        client: 0.9,
        currency: 0.95,
        lines: 1,
        description: 0.9,
        taxRate: 0.3,
        issueDate: 0.8,
        dueDate: 1, // a quote has none
        validUntil: 1,
        reference: 0.9,
      },
    });
  });

  void it('bill Jones Plumbing 3 hrs @ $85/hr, net 30', () => {
    // 3 × 85.00 = 255.00
    assertSameJson(draft('bill Jones Plumbing 3 hrs @ $85/hr, net 30'), {
      kind: 'invoice',
      client: { name: 'Jones Plumbing' },
      currency: 'USD',
      lines: [{ description: 'Services', quantity: '3', unitPrice: '85.00', taxRate: null }],
      subtotal: '255.00',
      taxTotal: '0.00',
      total: '255.00',
      issueDate: '2026-11-22',
      dueDate: '2026-12-22',
      validUntil: null,
      reference: null,
      status: 'draft',
      confidence: {
        kind: 1,
        client: 0.9,
        currency: 0.85,
        lines: 1,
        description: 0.3, // nothing describes the work: default
        taxRate: 0.3,
        issueDate: 0.8,
        dueDate: 1,
        validUntil: 1,
        reference: 0.9,
      },
    });
  });

  void it('Credit note for Northwind Traders, £150 refund on invoice INV-0042', () => {
    assertSameJson(draft('Credit note for Northwind Traders, £150 refund on invoice INV-0042'), {
      kind: 'credit_note',
      client: { name: 'Northwind Traders' },
      currency: 'GBP',
      lines: [{ description: 'refund', quantity: '1', unitPrice: '150.00', taxRate: null }],
      subtotal: '150.00',
      taxTotal: '0.00',
      total: '150.00',
      issueDate: '2026-11-22',
      dueDate: null,
      validUntil: null,
      reference: 'INV-0042',
      status: 'draft',
      confidence: {
        kind: 1,
        client: 0.9,
        currency: 0.95,
        lines: 1,
        description: 0.7, // a phrase after the amount without "for"
        taxRate: 0.3,
        issueDate: 0.8,
        dueDate: 1, // not expected on a credit note
        validUntil: 1,
        reference: 1,
      },
    });
  });

  void it('keeps the documented key order in the document and in each line', () => {
    const document = draft('Invoice Acme Ltd $500 for design and $1,200 for development');
    assert.deepEqual(Object.keys(document), KEY_ORDER);
    for (const line of document.lines) assert.deepEqual(Object.keys(line), LINE_KEY_ORDER);
  });
});
