import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { extractFields, linesFromText } from '../../../src/ai/read/index.ts';
import { ocrLines, shopReceipt, type Row } from './fixtures.ts';

const receipt = shopReceipt({
  vendor: 'KEDAI RUNCIT MAJU JAYA SDN BHD',
  date: '12/03/2018',
  items: [['SUGAR 1KG', '2.90'], ['RICE 5KG', '20.60']],
  total: '23.50',
  cash: '50.00',
  change: '26.50',
  number: 'CS0001234',
});

describe('extractFields on a receipt with boxes', () => {
  const { fields, lineItems } = extractFields(receipt);

  it('takes the labelled total, not the larger cash tendered or the change', () => {
    assert.equal(fields.total.value, '23.50');
    assert.equal(fields.total.minor, 2350);
    assert.ok(fields.total.confidence > 0.5);
    const evidence = fields.total.evidence.map((e) => e.lineIndex);
    assert.ok(evidence.some((i) => receipt[i]?.text === '23.50'), 'evidence points at a printed 23.50');
  });

  it('reads vendor, address, date (printed and ISO), number and currency', () => {
    assert.equal(fields.vendor.value, 'KEDAI RUNCIT MAJU JAYA SDN BHD');
    assert.match(fields.address.value ?? '', /^NO 12, JALAN MELATI 3, TAMAN BUNGA RAYA, 43000 KAJANG, SELANGOR\.?$/);
    assert.equal(fields.issueDate.value, '12/03/2018');
    assert.equal(fields.issueDate.normalized, '2018-03-12');
    assert.equal(fields.documentNumber.value, 'CS0001234');
    assert.equal(fields.currency.value, 'MYR');
    assert.equal(fields.dueDate.value, null);
  });

  it('lists the bought items with amounts', () => {
    assert.deepEqual(
      lineItems.map((item) => [item.description, item.amount]),
      [
        ['SUGAR 1KG', '2.90'],
        ['RICE 5KG', '20.60'],
      ],
    );
  });

  it('prefers the rounded total over the unrounded sum and the rounding adjustment', () => {
    const rows: Row[] = [
      [[100, 'MR HARDWARE TRADING']],
      [[100, 'NO 5, JALAN KENARI 2, 47100 PUCHONG']],
      [[20, 'DATE : 05/06/2018']],
      [[20, 'PAINT BRUSH 2"'], [380, '12.37']],
      [[20, 'WALL PLUG 50PCS'], [380, '11.15']],
      [[20, 'TOTAL'], [380, '23.52']],
      [[20, 'ROUNDING ADJ'], [380, '-0.02']],
      [[20, 'TOTAL ROUNDED'], [380, '23.50']],
      [[20, 'CASH'], [380, '30.00']],
      [[20, 'CHANGE'], [380, '6.50']],
    ];
    assert.equal(extractFields(ocrLines(rows)).fields.total.value, '23.50');
  });

  it('takes the issue date over an expiry or due date printed lower down', () => {
    const rows: Row[] = [
      [[100, 'SINAR OPTIK ENTERPRISE']],
      [[20, 'RECEIPT NO: R-88812']],
      [[20, 'DATE: 02/07/2018 14:10']],
      [[20, 'CONTACT LENS MONTHLY'], [380, '45.00']],
      [[20, 'EXP DATE: 01/07/2020']],
      [[20, 'TOTAL'], [380, '45.00']],
    ];
    assert.equal(extractFields(ocrLines(rows)).fields.issueDate.value, '02/07/2018');
  });
});

describe('extractFields on plain invoice text', () => {
  const text = [
    'ACME Supplies Ltd                                              INVOICE',
    '12 Harbour Road, Portsmouth PO1 3AB',
    '                                                 Invoice No: INV-2024-0042',
    '                                                 Invoice Date: 05/03/2024',
    '                                                 Due Date: 04/04/2024',
    'Bill To: Example Bakery',
    '',
    'Description                 Qty      Unit Price        Amount',
    'Flour 25kg                    2           18.50         37.00',
    'Yeast 500g                    4            3.25         13.00',
    '',
    '                                      Subtotal         £50.00',
    '                                      VAT 20%          £10.00',
    '                                      Total            £60.00',
  ].join('\n');
  const { fields, lineItems } = extractFields(linesFromText(text));

  it('reads number, dates, currency and the amounts with their roles', () => {
    assert.equal(fields.documentNumber.value, 'INV-2024-0042');
    assert.equal(fields.issueDate.normalized, '2024-03-05');
    assert.equal(fields.dueDate.normalized, '2024-04-04');
    assert.equal(fields.currency.value, 'GBP');
    assert.equal(fields.total.minor, 6000);
    assert.equal(fields.subtotal.minor, 5000);
    assert.equal(fields.tax.minor, 1000);
    assert.ok(fields.tax.confidence >= 0.9, 'subtotal + tax = total raises confidence');
  });

  it('reads line items with quantities', () => {
    assert.deepEqual(
      lineItems.map((item) => [item.description, item.quantity, item.unitPrice, item.amount]),
      [
        ['Flour 25kg', 2, '18.50', '37.00'],
        ['Yeast 500g', 4, '3.25', '13.00'],
      ],
    );
  });

  it('reads month-first dates when asked', () => {
    const us = extractFields(linesFromText('Invoice Date: 04/05/2024\nTotal $ 10.00'), { dateOrder: 'mdy' });
    assert.equal(us.fields.issueDate.normalized, '2024-04-05');
  });
});

describe('extractFields input checks', () => {
  const rejects = (input: unknown, path: string): void => {
    assert.throws(
      () => extractFields(input as never),
      (error: unknown) => error instanceof ValidationError && error.code === 'READ_INPUT_INVALID' && error.details?.['path'] === path && error.message.includes(path),
    );
  };

  it('rejects input that is not an array', () => {
    rejects('TOTAL 9.00', 'lines');
    rejects({ lines: [] }, 'lines');
  });

  it('rejects lines without text or with a bad box, naming the line', () => {
    rejects([{ text: 'TOTAL' }, { box: [0, 0, 1, 0, 1, 1, 0, 1] }], 'lines[1].text');
    rejects([{ text: 'TOTAL', box: [0, 0, 1] }], 'lines[0].box');
  });

  it('rejects knowledge or a model it cannot use', () => {
    assert.throws(() => extractFields(receipt, { knowledge: {} as never }), (e: unknown) => e instanceof ValidationError && e.code === 'READ_KNOWLEDGE_INVALID');
    assert.throws(() => extractFields(receipt, { model: { version: 2 } as never }), (e: unknown) => e instanceof ValidationError && e.code === 'READ_MODEL_INVALID');
  });

  it('returns empty fields for an empty document', () => {
    const { fields, lineItems } = extractFields([]);
    assert.equal(fields.total.value, null);
    assert.equal(fields.vendor.value, null);
    assert.deepEqual(lineItems, []);
  });
});
