/** Every kind of document, rendered and read back: what a recipient must find on it is there. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCUMENT_KINDS, documentTitle, renderDocumentPdf, type DocumentKind } from '../../../../src/domains/finance/pdf/index.ts';
import { allText, linksPerPage, sampleDocument } from './helpers.ts';

/** What only this kind shows (labels next to their values), and what it must not show. */
const EXPECTED: Record<DocumentKind, { title: string; shows: string[]; hides: string[] }> = {
  invoice: {
    title: 'Invoice',
    shows: ['Bill to', 'Due date Mar 31, 2026', 'IBAN: GB29 NWBK 6016 1331 9268 19', 'BIC: NWBKGB2L'],
    hides: ['Valid until', 'Credits invoice'],
  },
  quote: { title: 'Quote', shows: ['Bill to', 'Valid until Apr 15, 2026', 'IBAN: GB29'], hides: ['Due date', 'Credits invoice'] },
  estimate: { title: 'Estimate', shows: ['Bill to', 'Valid until Apr 15, 2026'], hides: ['Due date', 'Credits invoice'] },
  purchase_order: {
    title: 'Purchase order',
    shows: ['Supplier', 'Delivery date Mar 20, 2026'],
    // The business's own bank account means nothing to the supplier it is buying from.
    hides: ['Bill to', 'Due date', 'Valid until', 'IBAN'],
  },
  credit_note: { title: 'Credit note', shows: ['Bill to', 'Credits invoice INV-0999'], hides: ['Due date', 'Valid until', 'IBAN'] },
  receipt: { title: 'Receipt', shows: ['Received from', 'Date paid Mar 1, 2026'], hides: ['Bill to', 'Due date', 'Issue date', 'IBAN'] },
};

describe('documentTitle', () => {
  it('names every kind as a person would', () => {
    assert.deepEqual(
      DOCUMENT_KINDS.map((kind) => documentTitle(kind)),
      ['Invoice', 'Quote', 'Estimate', 'Purchase order', 'Credit note', 'Receipt'],
    );
  });
});

for (const kind of DOCUMENT_KINDS) {
  describe(`a rendered ${documentTitle(kind).toLowerCase()}`, () => {
    const expected = EXPECTED[kind];

    it('is a PDF whose text has the title, number, parties, lines and totals', async () => {
      const pdf = await renderDocumentPdf(sampleDocument(kind));
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const text = await allText(pdf);
      for (const wanted of [
        expected.title,
        'Number DOC-1042',
        'Acme Supplies Ltd',
        'Corner Bakery',
        'Attn: Sam Baker',
        // Each line: number, description, quantity, unit, unit price, discount, tax, amount.
        '1 Flour, 25 kg sack 10 sack $45.00 20% $450.00',
        '2 Butter, 10 kg block 8 block $70.00 5% 20% $532.00',
        'Subtotal $982.00',
        'Tax $196.40',
        'Total $1,178.40',
        'Tax summary',
        '20% $982.00 $196.40',
        'Page 1 of 1',
        'Terms Payment within 30 days of the invoice date.',
        'Notes Thank you for your business.',
        'Quote the document number with your payment.',
        'Pay online: https://pay.acme.example/DOC-1042',
      ]) {
        assert.ok(text.includes(wanted), `"${wanted}" is missing from: ${text}`);
      }
      for (const shown of expected.shows) assert.ok(text.includes(shown), `"${shown}" is missing from: ${text}`);
      for (const hidden of expected.hides) assert.ok(!text.includes(hidden), `"${hidden}" should not be on a ${kind}: ${text}`);
    });
  });
}

describe('the pay link', () => {
  it('can be clicked', async () => {
    const links = await linksPerPage(await renderDocumentPdf(sampleDocument('invoice')));
    assert.deepEqual(links, [['https://pay.acme.example/DOC-1042']]);
  });
});

describe('optional parts', () => {
  it('shows amount paid and amount due when given, and leaves out what is not given', async () => {
    const doc = sampleDocument('invoice', {
      amountPaid: '178.40',
      amountDue: '1000.00',
      terms: null,
      notes: '   ',
      taxSummary: [],
      payUrl: null,
      paymentInstructions: null,
      business: { name: 'Solo Trader' },
    });
    const text = await allText(await renderDocumentPdf(doc));
    assert.ok(text.includes('Amount paid $178.40'), text);
    assert.ok(text.includes('Amount due $1,000.00'), text);
    for (const absent of ['Terms', 'Notes', 'Tax summary', 'Pay online', 'Payment', 'Tax ID']) {
      assert.ok(!text.includes(absent), `"${absent}" should be left out: ${text}`);
    }
  });

  it('leaves out the unit, discount and tax columns when no line has one', async () => {
    const doc = sampleDocument('invoice', {
      lines: [{ description: 'Consulting', quantity: '2.5', unitPrice: '100.00', amount: '250.00' }],
      subtotal: '250.00',
      taxTotal: '0.00',
      total: '250.00',
      taxSummary: [],
    });
    const text = await allText(await renderDocumentPdf(doc));
    assert.ok(text.includes('# Description Qty Unit price Amount 1 Consulting 2.5 $100.00 $250.00'), text);
    assert.ok(!text.includes('Discount'), text);
  });
});
