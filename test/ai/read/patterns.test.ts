import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findAmounts, findDates, parseAmount } from '../../../src/ai/read/index.ts';

describe('findDates', () => {
  it('reads the printed receipt date formats and keeps the printed text', () => {
    const cases: [string, string, string][] = [
      ['DATE: 25/12/2018 8:13:39 PM', '25/12/2018', '2018-12-25'],
      ['12-01-19 15:02', '12-01-19', '2019-01-12'],
      ['DATE 23-01-2019', '23-01-2019', '2019-01-23'],
      ['18 MAR 2018 18:25', '18 MAR 2018', '2018-03-18'],
      ['TARIKH: 2017-12-28 22:17PM', '2017-12-28', '2017-12-28'],
      ['Rechnungsdatum 7. Mai 2014', '7. Mai 2014', '2014-05-07'],
      ['Factuurdatum: 19 april 2014', '19 april 2014', '2014-04-19'],
      ['Issued Jan 9, 2018', 'Jan 9, 2018', '2018-01-09'],
      ['BILL 20180428 0012', '20180428', '2018-04-28'],
    ];
    for (const [text, printed, iso] of cases) {
      const [first] = findDates(text);
      assert.equal(first?.text, printed, text);
      assert.equal(first?.iso, iso, text);
    }
  });

  it('reads day first unless told otherwise or a part above 12 settles it', () => {
    assert.equal(findDates('03/04/2023')[0]?.iso, '2023-04-03');
    assert.equal(findDates('03/04/2023', 'mdy')[0]?.iso, '2023-03-04');
    const us = findDates('03/20/2023')[0];
    assert.equal(us?.iso, '2023-03-20');
    assert.equal(us?.forcedOrder, 'mdy');
  });

  it('does not take times, phone numbers or amounts for dates', () => {
    assert.deepEqual(findDates('TEL: 03-8736 1234  10:21:05  TOTAL 12.50'), []);
    assert.equal(findDates('31/02/2018')[0]?.iso, null, 'an impossible day is flagged, not silently shifted');
  });
});

describe('findAmounts', () => {
  it('keeps the currency mark that is printed with the amount', () => {
    const amounts = findAmounts('TOTAL RM 33.90   CASH RM50.00  $8.20');
    assert.deepEqual(
      amounts.map((a) => [a.text, a.numberText, a.minor]),
      [
        ['RM 33.90', '33.90', 3390],
        ['RM50.00', '50.00', 5000],
        ['$8.20', '8.20', 820],
      ],
    );
  });

  it('reads thousands separators in both conventions and negative adjustments', () => {
    assert.equal(findAmounts('Grand total 7,838.80')[0]?.minor, 783880);
    assert.equal(findAmounts('Totaal € 1.234,56')[0]?.minor, 123456);
    assert.equal(findAmounts('ROUNDING ADJ -0.02')[0]?.minor, -2);
  });

  it('ignores percentages, quantities without cents and dates', () => {
    assert.deepEqual(findAmounts('GST 6.00% QTY 3 12.05.14'), []);
  });

  it('parses amount strings to numbers', () => {
    assert.equal(parseAmount('1 234,50'), 1234.5);
    assert.equal(parseAmount('9.00'), 9);
    assert.equal(parseAmount('abc'), null);
  });
});
