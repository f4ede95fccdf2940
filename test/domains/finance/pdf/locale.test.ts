/** Currencies, locales and scripts: what is printed is what was meant, read back from the PDF. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentFormat, groupIban } from '../../../../src/domains/finance/pdf/format.ts';
import { renderDocumentPdf, type RenderableDocument } from '../../../../src/domains/finance/pdf/index.ts';
import { allText, sampleDocument } from './helpers.ts';

async function textOf(overrides: Partial<RenderableDocument>): Promise<string> {
  return allText(await renderDocumentPdf(sampleDocument('invoice', overrides)));
}

function assertHas(text: string, wanted: string[]): void {
  for (const item of wanted) assert.ok(text.includes(item), `"${item}" is missing from: ${text}`);
}

describe('money and dates in the document locale', () => {
  it('EUR in de-DE: 1.200,50 € with German grouping and dates', async () => {
    const text = await textOf({
      currency: 'EUR',
      locale: 'de-DE',
      lines: [{ description: 'Beratung', quantity: '2.5', unit: 'Std.', unitPrice: '480.20', taxRate: '19', amount: '1200.50' }],
      subtotal: '1200.50',
      taxTotal: '228.10',
      total: '1428.60',
      taxSummary: [{ rate: '19', base: '1200.50', tax: '228.10' }],
    });
    assertHas(text, [
      '1 Beratung 2,5 Std. 480,20 € 19 % 1.200,50 €',
      'Subtotal 1.200,50 €',
      'Tax 228,10 €',
      'Total 1.428,60 €',
      'Issue date 01.03.2026',
      'Due date 31.03.2026',
    ]);
  });

  it('INR in en-IN: ₹ with lakh grouping', async () => {
    const text = await textOf({
      currency: 'INR',
      locale: 'en-IN',
      lines: [{ description: 'Annual maintenance', quantity: '1', unitPrice: '1234567.50', amount: '1234567.50' }],
      subtotal: '1234567.50',
      taxTotal: '222222.15',
      total: '1456789.65',
      taxSummary: [],
    });
    assertHas(text, ['₹12,34,567.50', 'Total ₹14,56,789.65']);
  });

  it('JPY: ¥ and no decimals, because the yen has no minor unit', async () => {
    const text = await textOf({
      currency: 'JPY',
      lines: [{ description: 'Tatami mat', quantity: '3', unitPrice: '500', amount: '1500' }],
      subtotal: '1500',
      taxTotal: '150',
      total: '1650',
      taxSummary: [{ rate: '10', base: '1500', tax: '150' }],
    });
    assertHas(text, ['Tatami mat 3 ¥500 ¥1,500', 'Total ¥1,650', '10% ¥1,500 ¥150']);
    assert.ok(!/¥[\d,]+\.\d/.test(text), `no yen amount has decimals: ${text}`);
  });

  it('GBP: £', async () => {
    const text = await textOf({ currency: 'GBP', locale: 'en-GB' });
    assertHas(text, ['Total £1,178.40', 'Due date 31 Mar 2026']);
  });

  it('Polish names with ż, ł, ó and PLN amounts in pl-PL', async () => {
    const text = await textOf({
      currency: 'PLN',
      locale: 'pl-PL',
      client: { name: 'Piekarnia Żółwik Sp. z o.o.', contact: 'Paweł Łożyński', address: 'ul. Źródlana 5\n90-001 Łódź' },
    });
    assertHas(text, ['Piekarnia Żółwik Sp. z o.o.', 'Attn: Paweł Łożyński', 'ul. Źródlana 5', '90-001 Łódź', 'Total 1178,40 zł']);
  });

  it('prints amounts beyond float precision exactly', async () => {
    // 2^53 + 1 is the first integer a float cannot hold: a float on the way would print …992.
    const text = await textOf({
      lines: [{ description: 'Big deal', quantity: '1', unitPrice: '9007199254740993.01', amount: '9007199254740993.01' }],
      subtotal: '9007199254740993.01',
      taxTotal: '0.00',
      total: '9007199254740993.01',
      taxSummary: [],
    });
    assertHas(text, ['Total $9,007,199,254,740,993.01']);
  });
});

describe('documentFormat', () => {
  it('formats money with exactly the currency digits, and unit prices with the digits they were given', () => {
    const usd = documentFormat('en-US', 'USD');
    assert.equal(usd.money('1200.5'), '$1,200.50');
    assert.equal(usd.money('-75'), '-$75.00');
    assert.equal(usd.unitPrice('0.125'), '$0.125');
    assert.equal(usd.unitPrice('3'), '$3.00');
    assert.equal(documentFormat('en-US', 'KWD').money('12.345'), 'KWD\u00A012.345');
  });

  it('formats quantities and percentages without rounding', () => {
    const de = documentFormat('de-DE', 'EUR');
    assert.equal(de.quantity('1234.125'), '1.234,125');
    assert.equal(de.percent('7.75'), '7,75\u00A0%');
    assert.equal(documentFormat('en-US', 'USD').percent('0.5'), '0.5%');
  });

  it('prints the ordinary yen sign where a locale would use the fullwidth one the font lacks', () => {
    assert.equal(documentFormat('ja-JP', 'JPY').money('1500'), '¥1,500');
  });

  it('writes calendar dates as that day everywhere, whatever the time zone', () => {
    assert.equal(documentFormat('en-US', 'USD').date('2026-01-01'), 'Jan 1, 2026');
    assert.equal(documentFormat('de-DE', 'EUR').date('2026-12-31'), '31.12.2026');
  });

  it('groups an IBAN in fours', () => {
    assert.equal(groupIban('de89 3704 0044 0532 0130 00'), 'DE89 3704 0044 0532 0130 00');
    assert.equal(groupIban('GB29NWBK60161331926819'), 'GB29 NWBK 6016 1331 9268 19');
  });
});
