/**
 * Invoice totals: the reader takes the total (not the subtotal) on invoices of varied layouts,
 * and reads subtotal and tax that add up to it.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { documentLines, loadDocument } from '../../../src/ai/documents/index.ts';
import { amountOccurrences, labelOf } from '../../../src/ai/read/amounts.ts';
import { adjustmentKind, reconcile } from '../../../src/ai/read/arithmetic.ts';
import { extractFields, loadDefaultModel, type OcrLine, type ReaderModel, type ReadResult } from '../../../src/ai/read/index.ts';
import { buildLayout } from '../../../src/ai/read/layout.ts';
import { noOcr } from '../documents/fixtures.ts';
import { ocrLines, type Row } from './fixtures.ts';
import { INVOICES } from './invoices.ts';

describe('invoices of varied layouts (pdfkit PDFs read through their text layer)', () => {
  const read = new Map<string, { lines: OcrLine[]; result: ReadResult }>();
  before(async () => {
    for (const invoice of INVOICES) {
      const lines = documentLines(await loadDocument(await invoice.pdf(), { filename: 'invoice.pdf', ocr: noOcr }));
      read.set(invoice.name, { lines, result: extractFields(lines) });
    }
  });

  for (const invoice of INVOICES) {
    it(`reads total, subtotal and tax: ${invoice.name}`, () => {
      const entry = read.get(invoice.name);
      assert.ok(entry !== undefined);
      const { fields } = entry.result;
      const { expected } = invoice;
      assert.equal(fields.total.normalized, expected.total, 'total');
      assert.equal(fields.subtotal.normalized ?? null, expected.subtotal, 'subtotal');
      assert.equal(fields.tax.normalized ?? null, expected.tax, 'tax');
      if (expected.currency !== undefined) assert.equal(fields.currency.value, expected.currency, 'currency');
      // The evidence is a printed line that holds the total.
      const totalText = fields.total.value ?? '';
      assert.ok(fields.total.evidence.some((e) => entry.lines[e.lineIndex]?.text.includes(totalText)), 'total evidence');
      if (expected.subtotal !== null && expected.tax !== null) {
        assert.equal(fields.subtotal.confidence, 0.9, 'subtotal and tax add up to the total');
        assert.equal(fields.tax.confidence, 0.9);
      }
    });
  }
});

/** A totals block as OCR lines: the label at the left, the amount at the right of each row. */
function totalsBlock(rows: [label: string, amount: string][]): OcrLine[] {
  const head: Row[] = [[[40, 'ACME SUPPLIES LTD']], [[40, 'INVOICE NO: INV-77']], [[40, 'CONSULTING'], [400, rows[0]?.[1] ?? '']]];
  return ocrLines([...head, ...rows.map(([label, amount]): Row => [[40, label], [400, amount]])]);
}

function sums(lines: OcrLine[]) {
  return reconcile(amountOccurrences(buildLayout(lines)), (o) => labelOf(o, true));
}

describe('reconcile: the arithmetic of a totals block', () => {
  it('finds subtotal + tax = total, the subtotal being a part of it', () => {
    const found = sums(totalsBlock([['SUBTOTAL', '1,028.80'], ['VAT 20%', '205.76'], ['TOTAL', '1,234.56']]));
    assert.deepEqual([...found.labelledSums], [123456]);
    assert.deepEqual([...found.parts], [102880]);
  });

  it('subtracts discounts and adds charges, whatever sign the discount is printed with', () => {
    for (const discount of ['-50.00', '50.00', '(50.00)']) {
      const found = sums(totalsBlock([['SUBTOTAL', '500.00'], ['DISCOUNT 10%', discount], ['SHIPPING', '12.00'], ['TAX 8%', '36.96'], ['TOTAL DUE', '498.96']]));
      assert.ok(found.labelledSums.has(49896), `discount printed ${discount}`);
    }
  });

  it('takes rounding towards the rounder number only', () => {
    const found = sums(totalsBlock([['TOTAL', '23.52'], ['ROUNDING ADJ', '0.02'], ['TOTAL ROUNDED', '23.50'], ['CASH', '50.00'], ['CHANGE', '26.50']]));
    assert.deepEqual([...found.labelledSums], [2350]);
    assert.deepEqual([...found.parts], [2352]);
  });

  it('does not add tax that the total already includes', () => {
    assert.equal(adjustmentKind('INCLUDES VAT AT 20%'), null);
    assert.equal(adjustmentKind('TOTAL (INCL. GST)'), null);
    assert.equal(adjustmentKind('TOTAL AFTER ROUNDING ADJ'), null);
    assert.equal(adjustmentKind('GST 6%'), 'tax');
    const found = sums(totalsBlock([['TOTAL (INCL. VAT)', '120.00'], ['INCLUDES VAT AT 20%', '20.00']]));
    assert.equal(found.labelledSums.size, 0);
  });
});

describe('the total checked against the arithmetic', () => {
  // A ranker that has learned the wrong thing: it likes amounts labelled "subtotal".
  const model: ReaderModel = { ...loadDefaultModel(), rankers: { ...loadDefaultModel().rankers, total: { weights: { label_sub: 4, left_sub: 4 } } } };

  it('gives the total that subtotal + tax make, at the ranker’s own lower confidence', () => {
    const lines = totalsBlock([['SUBTOTAL', '1,028.80'], ['VAT 20%', '205.76'], ['TOTAL', '1,234.56']]);
    const { fields } = extractFields(lines, { model });
    assert.equal(fields.total.value, '1,234.56');
    assert.ok(fields.total.confidence < 0.2, `confidence ${fields.total.confidence}`);
    assert.equal(fields.subtotal.value, '1,028.80');
    assert.equal(fields.tax.value, '205.76');
  });

  it('leaves a pick alone when no printed sum contradicts it', () => {
    const lines = totalsBlock([['SUBTOTAL', '1,028.80'], ['TOTAL', '1,028.80']]);
    assert.equal(extractFields(lines, { model }).fields.total.value, '1,028.80');
  });
});
