/** TOTALS_MISMATCH and LINES_MISMATCH: the document's own arithmetic, worked out by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlagDocument, FlagLine } from '../../../src/ai/flag/index.ts';
import { flag, none, only } from './helpers.ts';

function invoice(lines: FlagLine[] | undefined, figures: Partial<FlagDocument>, overrides: Partial<FlagDocument> = {}): FlagDocument {
  return {
    kind: 'invoice',
    counterparty: { name: 'Acme Ltd.' },
    currency: 'EUR',
    issueDate: '2026-06-10',
    total: '0',
    ...(lines === undefined ? {} : { lines }),
    ...figures,
    ...overrides,
  };
}

const line = (quantity: string, unitPrice: string, taxRate: string | null = null, amount: string | null = null): FlagLine => ({
  description: `item ${quantity} × ${unitPrice}`,
  quantity,
  unitPrice,
  taxRate,
  amount,
});

void describe('documents whose totals add up', () => {
  const cases: [name: string, doc: FlagDocument][] = [
    // 2 × 150.00 = 300.00 + 60.00 tax; 1 × 99.99 = 99.99 + 19.998 → 20.00 tax. 399.99 + 80.00 = 479.99.
    [
      'net prices with per-line tax',
      invoice([line('2', '150.00', '20'), line('1', '99.99', '20')], { subtotal: '399.99', taxTotal: '80.00', total: '479.99' }),
    ],
    // Per line: 10.05 × 10 % = 1.005 → 1.01, twice = 2.02. The issuer taxed the 20.10 subtotal
    // once: 2.01, total 22.11. One cent off with two lines: within the tolerance of 2.
    [
      'tax rounded per document instead of per line',
      invoice([line('1', '10.05', '10'), line('1', '10.05', '10')], { subtotal: '20.10', taxTotal: '2.01', total: '22.11' }),
    ],
    // Gross prices: 11.90 incl. 19 % holds 11.90 − 10.00 = 1.90 tax; 2 × 5.95 = 11.90 likewise.
    // Total 23.80, tax 3.80, net 20.00. Read as net prices it would be 28.32: the gross reading fits.
    [
      'a receipt with tax-inclusive prices',
      invoice([line('1', '11.90', '19'), line('2', '5.95', '19')], { subtotal: '20.00', taxTotal: '3.80', total: '23.80' }, { kind: 'receipt' }),
    ],
    // No rate on the lines: 10 × 12.50 = 125.00, and the tax is taken as stated: 125 + 25 = 150.
    ['tax stated only at the bottom', invoice([line('10', '12.50')], { subtotal: '125.00', taxTotal: '25.00', total: '150.00' })],
    // One line, total one cent above 100.00: within the tolerance of 1.
    ['one cent of rounding on one line', invoice([line('1', '100.00')], { total: '100.01' })],
    // A unit price finer than the currency: 1,000 × 0.0125 = 12.50.
    ['a unit price with more digits than the currency', invoice([line('1000', '0.0125')], { total: '12.50' })],
    // JPY has no minor digits: 7 × 142.5 = 997.5 → 998; 8 % tax 79.84 → 80; total 1,078.
    ['JPY rounded to whole yen', invoice([line('7', '142.5', '8')], { subtotal: '998', taxTotal: '80', total: '1078' }, { currency: 'JPY' })],
    // Header only and consistent.
    ['no lines, subtotal plus tax equals total', invoice(undefined, { subtotal: '100.00', taxTotal: '19.00', total: '119.00' })],
  ];
  for (const [name, doc] of cases) {
    void it(name, () => {
      const result = flag(doc);
      none(result, 'TOTALS_MISMATCH');
      none(result, 'LINES_MISMATCH');
      assert.ok(result.checked.includes('TOTALS_MISMATCH'));
    });
  }

  void it('does not evaluate totals with neither lines nor a subtotal and tax', () => {
    assert.ok(!flag(invoice(undefined, { total: '100.00' })).checked.includes('TOTALS_MISMATCH'));
  });
});

void describe('documents whose totals do not add up', () => {
  const cases: {
    name: string;
    doc: FlagDocument;
    mismatches: { field: string; stated: string; computed: string; difference: string }[];
    score: number;
    message: string;
  }[] = [
    {
      // 2 × 150.00 = 300.00 + 60.00 = 360.00, but the total says 370.00. The stated 300 + 60 is
      // also 360, the same figure, so it is not said a second time.
      name: 'a total 10.00 too high',
      doc: invoice([line('2', '150.00', '20')], { subtotal: '300.00', taxTotal: '60.00', total: '370.00' }),
      mismatches: [{ field: 'total', stated: '370.00', computed: '360.00', difference: '10.00' }],
      score: 0.9,
      message: 'The lines add up to 360.00 EUR with tax, but the total says 370.00 EUR: 10.00 EUR more. Correct the invoice before sending it.',
    },
    {
      // 2 × 150.00 = 300.00 + 60.00 = 360.00. The header says 320.00 + 64.00 = 390.00, which is
      // neither the lines' figure nor its own sum (384.00): every figure is reported.
      name: 'a header that is wrong in every way',
      doc: invoice([line('2', '150.00', '20')], { subtotal: '320.00', taxTotal: '64.00', total: '390.00' }),
      mismatches: [
        { field: 'subtotal', stated: '320.00', computed: '300.00', difference: '20.00' },
        { field: 'taxTotal', stated: '64.00', computed: '60.00', difference: '4.00' },
        { field: 'total', stated: '390.00', computed: '360.00', difference: '30.00' },
        { field: 'sum', stated: '390.00', computed: '384.00', difference: '6.00' },
      ],
      score: 0.9,
      message:
        'The lines add up to 300.00 EUR before tax, but the subtotal says 320.00 EUR. ' +
        'Tax on the lines comes to 60.00 EUR, but the tax total says 64.00 EUR. ' +
        'The lines add up to 360.00 EUR with tax, but the total says 390.00 EUR: 30.00 EUR more. ' +
        'Subtotal 320.00 EUR plus tax 64.00 EUR makes 384.00 EUR, but the total says 390.00 EUR. ' +
        'Correct the invoice before sending it.',
    },
    {
      // 1 × 100.00 with one line allows 0.01; 100.02 is two cents off.
      name: 'two cents on a single line',
      doc: invoice([line('1', '100.00')], { total: '100.02' }),
      mismatches: [{ field: 'total', stated: '100.02', computed: '100.00', difference: '0.02' }],
      score: 0.9,
      message: 'The lines add up to 100.00 EUR, but the total says 100.02 EUR: 0.02 EUR more. Correct the invoice before sending it.',
    },
    {
      // 3 × 25.00 = 75.00 + 7.50 = 82.50. Stated 76.00 + 6.50 = 82.50: the total is right, the
      // split is not, so the score is lower.
      name: 'the right total split wrongly between net and tax',
      doc: invoice([line('3', '25.00', '10')], { subtotal: '76.00', taxTotal: '6.50', total: '82.50' }),
      mismatches: [
        { field: 'subtotal', stated: '76.00', computed: '75.00', difference: '1.00' },
        { field: 'taxTotal', stated: '6.50', computed: '7.50', difference: '-1.00' },
      ],
      score: 0.8,
      message:
        'The lines add up to 75.00 EUR before tax, but the subtotal says 76.00 EUR. ' +
        'Tax on the lines comes to 7.50 EUR, but the tax total says 6.50 EUR. Correct the invoice before sending it.',
    },
    {
      // 10 × 12.50 = 125.00 plus the stated 25.00 tax is 150.00, not 155.00.
      name: 'a total that does not match the stated tax',
      doc: invoice([line('10', '12.50')], { subtotal: '125.00', taxTotal: '25.00', total: '155.00' }),
      mismatches: [{ field: 'total', stated: '155.00', computed: '150.00', difference: '5.00' }],
      score: 0.9,
      message:
        'The lines add up to 150.00 EUR with the stated tax, but the total says 155.00 EUR: 5.00 EUR more. ' +
        'Correct the invoice before sending it.',
    },
    {
      // 998 + 80 = 1,078 yen; 1,080 is 2 yen off with one line (tolerance 1 yen).
      name: 'JPY two yen off',
      doc: invoice([line('7', '142.5', '8')], { total: '1080' }, { currency: 'JPY' }),
      mismatches: [{ field: 'total', stated: '1080', computed: '1078', difference: '2' }],
      score: 0.9,
      message: 'The lines add up to 1,078 JPY with tax, but the total says 1,080 JPY: 2 JPY more. Correct the invoice before sending it.',
    },
    {
      name: 'no lines, subtotal plus tax is not the total (incoming bill)',
      doc: invoice(undefined, { subtotal: '100.00', taxTotal: '19.00', total: '120.00' }, { kind: 'bill' }),
      mismatches: [{ field: 'sum', stated: '120.00', computed: '119.00', difference: '1.00' }],
      score: 0.9,
      message:
        'Subtotal 100.00 EUR plus tax 19.00 EUR makes 119.00 EUR, but the total says 120.00 EUR. ' +
        'Ask the sender for a corrected bill before paying.',
    },
  ];
  for (const { name, doc, mismatches, score, message } of cases) {
    void it(name, () => {
      const anomaly = only(flag(doc), 'TOTALS_MISMATCH');
      assert.equal(anomaly.severity, 'warning');
      assert.equal(anomaly.score, score);
      assert.deepEqual(anomaly.evidence['mismatches'], mismatches);
      assert.equal(anomaly.message, message);
    });
  }

  void it('reports thousands with separators', () => {
    // 3 × 1,500.00 = 4,500.00; the total says 4,800.00.
    const anomaly = only(flag(invoice([line('3', '1500.00')], { total: '4800.00' })), 'TOTALS_MISMATCH');
    assert.match(anomaly.message, /^The lines add up to 4,500\.00 EUR, but the total says 4,800\.00 EUR: 300\.00 EUR more\./);
  });
});

void describe('line amounts', () => {
  // Line 1: 2 × 150.00 = 300.00 (stated net). Line 2: 50.00 + 10.00 tax = 60.00 (stated gross).
  // Line 3: 4 × 12.50 = 50.00, stated 55.00. Totals 400.00 + 70.00 = 470.00 are right.
  const lines = [
    { description: 'Consulting', quantity: '2', unitPrice: '150.00', taxRate: '20', amount: '300.00' },
    { description: 'Hosting', quantity: '1', unitPrice: '50.00', taxRate: '20', amount: '60.00' },
    { description: 'Cables', quantity: '4', unitPrice: '12.50', taxRate: null, amount: '55.00' },
  ];

  void it('accepts a line amount printed net or with its tax, and flags one that is neither', () => {
    const result = flag(invoice(lines, { subtotal: '400.00', taxTotal: '70.00', total: '470.00' }));
    none(result, 'TOTALS_MISMATCH');
    const anomaly = only(result, 'LINES_MISMATCH');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.8);
    assert.deepEqual(anomaly.evidence['lines'], [
      { index: 2, description: 'Cables', quantity: '4', unitPrice: '12.50', computed: '50.00', computedWithTax: '50.00', stated: '55.00' },
    ]);
    assert.equal(
      anomaly.message,
      'Line 3 ("Cables"): 4 × 12.50 EUR is 50.00 EUR, but the line says 55.00 EUR. Check the quantities and prices before sending.',
    );
  });

  void it('tolerates one minor unit of rounding on a line amount', () => {
    // 3 × 3.33 = 9.99, printed 10.00.
    const result = flag(invoice([line('3', '3.33', null, '10.00')], { total: '10.00' }));
    none(result, 'LINES_MISMATCH');
    none(result, 'TOTALS_MISMATCH');
    assert.ok(result.checked.includes('LINES_MISMATCH'));
  });

  void it('mentions the taxed amount when the line has a rate', () => {
    // 2 × 150.00 = 300.00, 360.00 with 20 % tax; the line says 330.00.
    const anomaly = only(flag(invoice([line('2', '150.00', '20', '330.00')], { total: '360.00' })), 'LINES_MISMATCH');
    assert.match(anomaly.message, /is 300\.00 EUR \(360\.00 EUR with tax\), but the line says 330\.00 EUR\./);
  });
});
