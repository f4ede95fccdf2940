/**
 * Tax and rounding. Rounding is half-up (halves away from zero) to the currency's minor unit, and
 * tax is rounded per line: line tax = round(line net × rate / 100).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draft } from './helpers.ts';

function totals(sentence: string, options = {}): [string, string, string] {
  const document = draft(sentence, options);
  return [document.subtotal, document.taxTotal, document.total];
}

void describe('exclusive tax', () => {
  void it('$2,500 + 19% VAT: 475.00 tax, 2975.00 total', () => {
    const document = draft('Invoice Acme $2,500 + 19% VAT for website development');
    assert.deepEqual(document.lines, [{ description: 'website development', quantity: '1', unitPrice: '2500.00', taxRate: '19' }]);
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['2500.00', '475.00', '2975.00']);
    assert.equal(document.confidence.taxRate, 1);
  });

  void it('plus 20% tax at the end applies to every line: (500 + 1200) × 20% = 340', () => {
    const document = draft('Invoice Acme $500 for design and $1,200 for development, plus 20% tax');
    assert.deepEqual(document.lines.map((line) => line.taxRate), ['20', '20']);
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['1700.00', '340.00', '2040.00']);
  });

  void it('a phrase right after an amount belongs to that line only', () => {
    const document = draft('Invoice Acme $500 + 19% VAT for design and $1,200 for development');
    assert.deepEqual(document.lines.map((line) => line.taxRate), ['19', null]);
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['1700.00', '95.00', '1795.00']);
  });

  void it('$12.50 + 7% tax: 0.875 rounds half up to 0.88', () => {
    assert.deepEqual(totals('Invoice Acme $12.50 + 7% tax'), ['12.50', '0.88', '13.38']);
  });

  void it('rounds per line: two lines of $0.10 at 5% are 0.01 tax each (0.005 rounded up), 0.02 in all', () => {
    assert.deepEqual(totals('Invoice Acme $0.10 for pens and $0.10 for clips, plus 5% tax'), ['0.20', '0.02', '0.22']);
  });

  void it('Swiss "7,7% MwSt": CHF 1000 → 77.00', () => {
    assert.deepEqual(totals("Invoice Acme CHF 1'000 + 7,7% MwSt"), ['1000.00', '77.00', '1077.00']);
  });

  void it('JPY has no minor unit: ¥25 + 10% tax is 2.5 → 3', () => {
    const document = draft('Invoice Acme ¥25 + 10% tax');
    assert.equal(document.lines[0]?.unitPrice, '25');
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['25', '3', '28']);
    assert.deepEqual(totals('Invoice Tanaka KK JPY 250000 + 10% tax'), ['250000', '25000', '275000']);
  });

  void it('three-digit currencies: KWD 0.010 + 5% is 0.0005 → 0.001; BHD 1,250.500 + 10% = 1375.550', () => {
    assert.deepEqual(totals('Invoice Acme KWD 0.010 + 5% VAT'), ['0.010', '0.001', '0.011']);
    assert.deepEqual(totals('Invoice Gulf Traders BHD 1,250.500 for freight + 10% VAT'), ['1250.500', '125.050', '1375.550']);
  });
});

void describe('inclusive tax', () => {
  void it('€119 incl. 19% VAT is 100.00 net and 19.00 tax', () => {
    const document = draft('Invoice Acme €119 incl. 19% VAT for design');
    assert.deepEqual(document.lines, [{ description: 'design', quantity: '1', unitPrice: '100.00', taxRate: '19' }]);
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['100.00', '19.00', '119.00']);
  });

  void it('€100 incl. 19% VAT: net 100/1.19 = 84.0336 → 84.03, tax 15.9657 → 15.97, total 100.00', () => {
    const document = draft('Invoice Acme €100 incl. 19% VAT for design');
    assert.equal(document.lines[0]?.unitPrice, '84.03');
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['84.03', '15.97', '100.00']);
    assert.equal(document.confidence.lines, 1);
  });

  void it('the same amount exclusive and inclusive differ as they should', () => {
    assert.deepEqual(totals('Invoice Acme €100 + 19% VAT'), ['100.00', '19.00', '119.00']);
    assert.deepEqual(totals('Invoice Acme €100 incl. 19% VAT'), ['84.03', '15.97', '100.00']);
    assert.deepEqual(totals('Invoice Acme €100 (19% VAT included)'), ['84.03', '15.97', '100.00']);
  });

  void it('€1.03 incl. 19% cannot be met in whole cents: 0.87 gives 1.04, 0.86 gives 1.02; 0.87 wins, flagged', () => {
    const document = draft('Invoice Acme €1.03 incl. 19% VAT');
    assert.equal(document.lines[0]?.unitPrice, '0.87');
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['0.87', '0.17', '1.04']);
    assert.equal(document.confidence.lines, 0.7);
  });

  void it('3 x €10 incl. 19%: 8.40 each gives 25.20 + 4.79 = 29.99, nearest to 30.00 (8.41 gives 30.02)', () => {
    const document = draft('Invoice Acme 3 x €10 incl. 19% VAT');
    assert.deepEqual(document.lines, [{ description: 'Services', quantity: '3', unitPrice: '8.40', taxRate: '19' }]);
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['25.20', '4.79', '29.99']);
    assert.equal(document.confidence.lines, 0.7);
  });
});

void describe('rates from options and phrases without rates', () => {
  void it('applies defaultTaxRate to lines whose sentence states none', () => {
    const document = draft('Invoice Acme $200 for design', { defaultTaxRate: '19' });
    assert.equal(document.lines[0]?.taxRate, '19');
    assert.deepEqual([document.subtotal, document.taxTotal, document.total], ['200.00', '38.00', '238.00']);
    assert.equal(document.confidence.taxRate, 0.6);
  });

  void it('"plus VAT" takes the default rate; without one the rate stays null', () => {
    assert.deepEqual(totals('Invoice Acme $200 plus VAT', { defaultTaxRate: '20' }), ['200.00', '40.00', '240.00']);
    const unknown = draft('Invoice Acme $200 plus VAT');
    assert.equal(unknown.lines[0]?.taxRate, null);
    assert.equal(unknown.confidence.taxRate, 0.2);
  });

  void it('"no VAT" and "0% VAT" override a default rate', () => {
    assert.deepEqual(totals('Invoice Acme $200, no VAT', { defaultTaxRate: '19' }), ['200.00', '0.00', '200.00']);
    assert.equal(draft('Invoice Acme $200 + 0% VAT', { defaultTaxRate: '19' }).lines[0]?.taxRate, '0');
  });
});
