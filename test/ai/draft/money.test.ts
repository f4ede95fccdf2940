/** Money in minor units: the module the finance domain reuses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeTotals,
  currencyDigits,
  divideRounded,
  formatMinor,
  isCurrency,
  lineAmounts,
  multiplyQuantity,
  multiplyRate,
  netPriceForGross,
  normalizeTaxRate,
  parseDecimalToMinor,
} from '../../../src/ai/draft/money/index.ts';

void describe('currencies', () => {
  void it('knows minor-unit digits', () => {
    assert.equal(currencyDigits('USD'), 2);
    assert.equal(currencyDigits('EUR'), 2);
    assert.equal(currencyDigits('JPY'), 0);
    assert.equal(currencyDigits('KWD'), 3);
    assert.equal(currencyDigits('BHD'), 3);
    assert.equal(currencyDigits('CLF'), 4);
  });

  void it('accepts tender codes in upper case only', () => {
    assert.equal(isCurrency('CHF'), true);
    assert.equal(isCurrency('chf'), false);
    assert.equal(isCurrency('XYZ'), false);
    assert.equal(isCurrency('XAU'), false); // gold
    assert.equal(isCurrency('XXX'), false); // "no currency"
    assert.throws(() => currencyDigits('XYZ'), { code: 'MONEY_CURRENCY_UNKNOWN' });
  });
});

void describe('parseDecimalToMinor and formatMinor', () => {
  void it('parses plain decimals into minor units', () => {
    assert.equal(parseDecimalToMinor('2500', 'USD'), 250000n);
    assert.equal(parseDecimalToMinor('2500.5', 'USD'), 250050n);
    assert.equal(parseDecimalToMinor('-12.50', 'USD'), -1250n);
    assert.equal(parseDecimalToMinor('5.000', 'USD'), 500n);
    assert.equal(parseDecimalToMinor('250000', 'JPY'), 250000n);
    assert.equal(parseDecimalToMinor('1.25', 'KWD'), 1250n);
    assert.equal(parseDecimalToMinor('99999999999999999999.99', 'USD'), 9999999999999999999999n);
  });

  void it('refuses what is not a plain decimal or too precise', () => {
    assert.throws(() => parseDecimalToMinor('12.345', 'USD'), { code: 'MONEY_PRECISION_EXCEEDED' });
    assert.throws(() => parseDecimalToMinor('0.5', 'JPY'), { code: 'MONEY_PRECISION_EXCEEDED' });
    for (const bad of ['', '1,000', '1e3', ' 5', '.5', '5.', '+5', 'NaN']) {
      assert.throws(() => parseDecimalToMinor(bad, 'USD'), { code: 'MONEY_AMOUNT_INVALID' }, bad);
    }
    assert.throws(() => parseDecimalToMinor('5', 'XYZ'), { code: 'MONEY_CURRENCY_UNKNOWN' });
  });

  void it('formats with exactly the currency digits', () => {
    assert.equal(formatMinor(250000n, 'USD'), '2500.00');
    assert.equal(formatMinor(250000, 'JPY'), '250000');
    assert.equal(formatMinor(1375550n, 'BHD'), '1375.550');
    assert.equal(formatMinor(-5n, 'KWD'), '-0.005');
    assert.equal(formatMinor(5, 'USD'), '0.05');
    assert.equal(formatMinor(0n, 'EUR'), '0.00');
    assert.throws(() => formatMinor(1.5, 'USD'), { code: 'MONEY_AMOUNT_INVALID' });
  });

  void it('round-trips', () => {
    for (const [value, currency] of [['0.01', 'USD'], ['1200.50', 'EUR'], ['7', 'JPY'], ['-0.125', 'OMR']] as const) {
      assert.equal(formatMinor(parseDecimalToMinor(value, currency), currency), value);
    }
  });
});

void describe('rounding', () => {
  void it('half-up goes away from zero, half-even to the even neighbour', () => {
    assert.equal(divideRounded(5n, 2n, 'half-up'), 3n);
    assert.equal(divideRounded(5n, 2n, 'half-even'), 2n);
    assert.equal(divideRounded(7n, 2n, 'half-even'), 4n);
    assert.equal(divideRounded(-5n, 2n, 'half-up'), -3n);
    assert.equal(divideRounded(-5n, 2n, 'half-even'), -2n);
    assert.equal(divideRounded(7n, 3n, 'half-up'), 2n); // 2.33
    assert.equal(divideRounded(8n, 3n, 'half-even'), 3n); // 2.67
  });

  void it('multiplyRate: 10.50 × 5% = 0.525 → 0.53 half-up, 0.52 half-even', () => {
    assert.equal(multiplyRate(1050n, '5'), 53n);
    assert.equal(multiplyRate(1050n, '5', 'half-up'), 53n);
    assert.equal(multiplyRate(1050n, '5', 'half-even'), 52n);
    assert.equal(multiplyRate(1150n, '5', 'half-even'), 58n); // 57.5 → 58
    assert.equal(multiplyRate(-1050n, '5'), -53n);
    assert.equal(multiplyRate(10000n, '8.875'), 888n); // 887.5
    assert.equal(multiplyRate(12345, '0'), 0n);
  });

  void it('multiplyQuantity: 85.25 × 1.5 = 127.875 → 127.88', () => {
    assert.equal(multiplyQuantity(8525n, '1.5'), 12788n);
    assert.equal(multiplyQuantity(4000n, '2'), 8000n);
    assert.equal(multiplyQuantity(100n, '0.333'), 33n);
  });
});

void describe('tax rates', () => {
  void it('normalises percentages', () => {
    assert.equal(normalizeTaxRate('19.0'), '19');
    assert.equal(normalizeTaxRate('07.50'), '7.5');
    assert.equal(normalizeTaxRate('0'), '0');
    assert.equal(normalizeTaxRate('100'), '100');
    assert.equal(normalizeTaxRate('8.875'), '8.875');
  });

  void it('refuses rates outside 0..100 or with more than 4 decimals', () => {
    for (const bad of ['100.01', '-1', '8.87512', 'abc', '19%', '']) {
      assert.throws(() => normalizeTaxRate(bad), { code: 'MONEY_RATE_INVALID' }, bad);
    }
  });
});

void describe('totals', () => {
  void it('computes net per line, tax per line, then sums', () => {
    const totals = computeTotals([
      { quantity: '3', unitPriceMinor: 8500n, taxRate: null },
      { quantity: '1', unitPriceMinor: 10000n, taxRate: '19' },
      { quantity: '1', unitPriceMinor: 10n, taxRate: '5' }, // 0.5 cent → 1
    ]);
    assert.deepEqual(totals.lines, [
      { netMinor: 25500n, taxMinor: 0n },
      { netMinor: 10000n, taxMinor: 1900n },
      { netMinor: 10n, taxMinor: 1n },
    ]);
    assert.equal(totals.subtotalMinor, 35510n);
    assert.equal(totals.taxTotalMinor, 1901n);
    assert.equal(totals.totalMinor, 37411n);
  });

  void it('netPriceForGross reproduces the stated gross when whole minor units allow it', () => {
    assert.deepEqual(netPriceForGross(10000n, '1', '19'), { unitPriceMinor: 8403n, lineGrossMinor: 10000n, exact: true });
    assert.deepEqual(netPriceForGross(11900n, '1', '19'), { unitPriceMinor: 10000n, lineGrossMinor: 11900n, exact: true });
    assert.deepEqual(netPriceForGross(103n, '1', '19'), { unitPriceMinor: 87n, lineGrossMinor: 104n, exact: false });
    assert.deepEqual(netPriceForGross(1000n, '3', '19'), { unitPriceMinor: 840n, lineGrossMinor: 2999n, exact: false });
  });

  void it('netPriceForGross is never more than one minor unit off for single items, and exact when it says so', () => {
    for (const rate of ['19', '7.7', '20', '0']) {
      for (let gross = 0n; gross <= 3000n; gross += 1n) {
        const result = netPriceForGross(gross, '1', rate);
        const { netMinor, taxMinor } = lineAmounts({ quantity: '1', unitPriceMinor: result.unitPriceMinor, taxRate: rate });
        assert.equal(netMinor + taxMinor, result.lineGrossMinor);
        const distance = result.lineGrossMinor - gross;
        assert.ok(distance >= -1n && distance <= 1n, `${gross} at ${rate}%`);
        assert.equal(result.exact, distance === 0n);
      }
    }
  });
});
