/** UNUSUAL_AMOUNT (median / MAD over the counterparty's history) and ROUND_AMOUNT, by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlagDocument } from '../../../src/ai/flag/index.ts';
import { acmeHistory, acmeInvoice, flag, none, northwindBill, northwindHistory, only } from './helpers.ts';

/** An Acme invoice for `total` with no lines (so only the amount is in question). */
const acme = (total: string, overrides: Partial<FlagDocument> = {}): FlagDocument =>
  acmeInvoice({ total, lines: undefined, subtotal: null, taxTotal: null, ...overrides });

/** A document for a counterparty with the given earlier totals, one a month in 2026. */
function series(name: string, totals: string[], currency = 'EUR', kind: FlagDocument['kind'] = 'invoice'): FlagDocument[] {
  return totals.map((total, index) => ({
    id: `${name}-${index + 1}`,
    kind,
    counterparty: { name },
    currency,
    issueDate: `2026-0${index + 1}-05`,
    total,
    description: `Order ${index + 1}`,
  }));
}

void describe('unusual amounts (Acme: median 780.00, MAD 10.00)', () => {
  void it('warns about an amount far above the usual', () => {
    // z = 0.6745 × (4800 − 780) / 10 = 271.15; fold 6.15 → both strengths 1 → 0.9.
    const anomaly = only(flag(acme('4800.00'), acmeHistory), 'UNUSUAL_AMOUNT');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.9);
    assert.equal(
      anomaly.message,
      "4,800.00 EUR is 6.2× this client's usual 780.00 EUR (the median of 5 earlier invoices). " +
        'Check the quantities and prices before sending.',
    );
    assert.deepEqual(
      { ...anomaly.evidence, history: undefined },
      { amount: '4800.00', currency: 'EUR', median: '780.00', mad: '10.00', ratio: 6.15, modifiedZ: 271.15, historyCount: 5, history: undefined },
    );
    assert.deepEqual(
      (anomaly.evidence['history'] as { id: string }[]).map((entry) => entry.id),
      ['acme-1', 'acme-2', 'acme-3', 'acme-4', 'acme-5'],
    );
  });

  void it('scores a barely unusual amount low', () => {
    // z = 0.6745 × 420 / 10 = 28.3 (strength 1); fold 1200 / 780 = 1.538 (strength 0.038 / 3 = 0.013).
    // 0.5 + 0.4 × 0.013 = 0.505 → 0.51.
    const anomaly = only(flag(acme('1200.00'), acmeHistory), 'UNUSUAL_AMOUNT');
    assert.equal(anomaly.score, 0.51);
    assert.match(anomaly.message, /^1,200\.00 EUR is 1\.5× this client's usual 780\.00 EUR/);
  });

  const ordinary: [string, string][] = [
    ['the usual amount', '780.00'],
    // z = 0.6745 × 60 / 10 = 4.05 > 3.5, but 840 is only 1.08× the median: not worth a look.
    ['a statistically tight but small rise', '840.00'],
    // z = 0.6745 × 370 / 10 = 24.96, but 1150 / 780 = 1.47 < 1.5.
    ['just under one and a half times', '1150.00'],
  ];
  for (const [name, total] of ordinary) {
    void it(`does not flag ${name} (${total})`, () => none(flag(acme(total), acmeHistory), 'UNUSUAL_AMOUNT'));
  }

  void it('reports an amount far below the usual as info only', () => {
    // z = 0.6745 × (300 − 780) / 10 = −32.4; fold 780 / 300 = 2.6, strength 1.1 / 3 = 0.367 → 0.65.
    const result = flag(acme('300.00'), acmeHistory);
    const anomaly = only(result, 'UNUSUAL_AMOUNT');
    assert.equal(anomaly.severity, 'info');
    assert.equal(anomaly.score, 0.65);
    assert.equal(anomaly.evidence['modifiedZ'], -32.38);
    assert.equal(
      anomaly.message,
      "300.00 EUR is only 38% of this client's usual 780.00 EUR (the median of 5 earlier invoices). Check that no line is missing.",
    );
    assert.equal(result.confidence, 1);
  });
});

void describe('unusual amounts: other shapes of history', () => {
  void it('uses 3× the median when every earlier amount was the same (MAD 0)', () => {
    const history = series('Blue Fern Café', ['500.00', '500.00', '500.00', '500.00']);
    const doc = (total: string): FlagDocument => ({ ...(history[0] as FlagDocument), id: 'new', issueDate: '2026-06-05', total });
    none(flag(doc('1400.00'), history), 'UNUSUAL_AMOUNT'); // 2.8×
    const anomaly = only(flag(doc('1600.00'), history), 'UNUSUAL_AMOUNT'); // 3.2×: (3.2 − 3) / 6 = 0.033 → 0.51
    assert.equal(anomaly.score, 0.51);
    assert.equal(anomaly.evidence['modifiedZ'], null);
    assert.equal(anomaly.evidence['mad'], '0.00');
    assert.match(anomaly.message, /^1,600\.00 EUR is 3\.2× this client's usual 500\.00 EUR \(the median of 4 earlier invoices\)\./);
    none(flag(doc('170.00'), history), 'UNUSUAL_AMOUNT'); // 500 / 170 = 2.9
    assert.equal(only(flag(doc('160.00'), history), 'UNUSUAL_AMOUNT').severity, 'info'); // 500 / 160 = 3.1
  });

  void it('takes the mean of the two middle values for an even count', () => {
    // 100, 200, 300, 400: median 250, deviations 150, 50, 50, 150 → MAD 100.
    // z = 0.6745 × 750 / 100 = 5.06 (strength 0.445); fold 4 (strength 0.833) → 0.5 + 0.4 × 0.445 = 0.68.
    const history = series('Initech', ['100.00', '200.00', '300.00', '400.00']);
    const anomaly = only(flag({ ...(history[0] as FlagDocument), id: 'new', issueDate: '2026-06-05', total: '1000.00' }, history), 'UNUSUAL_AMOUNT');
    assert.equal(anomaly.evidence['median'], '250.00');
    assert.equal(anomaly.evidence['mad'], '100.00');
    assert.equal(anomaly.evidence['modifiedZ'], 5.06);
    assert.equal(anomaly.score, 0.68);
  });

  void it('works in JPY, which has no minor digits', () => {
    // 98,000 102,000 100,000 101,000 99,000: median 100,000, MAD 1,000. 480,000 is 4.8×.
    const history = series('Sakura KK', ['98000', '102000', '100000', '101000', '99000'], 'JPY', 'bill');
    const doc: FlagDocument = { ...(history[0] as FlagDocument), id: 'new', issueDate: '2026-06-05', total: '480000' };
    const anomaly = only(flag(doc, history), 'UNUSUAL_AMOUNT');
    assert.equal(anomaly.evidence['median'], '100000');
    assert.equal(anomaly.evidence['mad'], '1000');
    assert.equal(
      anomaly.message,
      "480,000 JPY is 4.8× this vendor's usual 100,000 JPY (the median of 5 earlier bills). Confirm the amount with the vendor before paying.",
    );
  });

  void it('computes no statistics on a tiny history', () => {
    const history = acmeHistory.slice(0, 3);
    const result = flag(acme('78000.00'), history);
    none(result, 'UNUSUAL_AMOUNT');
    assert.ok(!result.checked.includes('UNUSUAL_AMOUNT'));
    // Lowering the bar to 3 documents lets the same history speak.
    assert.equal(only(flag(acme('78000.00'), history, { minHistoryForStats: 3 }), 'UNUSUAL_AMOUNT').severity, 'warning');
  });

  void it('compares only documents in the same currency, direction and kind, with the same counterparty', () => {
    const usd = acmeHistory.map((doc) => ({ ...doc, currency: 'USD' }));
    assert.ok(!flag(acme('4800.00'), usd).checked.includes('UNUSUAL_AMOUNT'));
    const quotes = acmeHistory.map((doc) => ({ ...doc, kind: 'quote' as const }));
    assert.ok(!flag(acme('4800.00'), quotes).checked.includes('UNUSUAL_AMOUNT'));
    assert.ok(!flag(acme('4800.00', { counterparty: { name: 'Globex' } }), acmeHistory).checked.includes('UNUSUAL_AMOUNT'));
  });

  void it('uses only documents dated before this one', () => {
    // Dated 2026-03-01, only acme-1 and acme-2 came before it: too few.
    assert.ok(!flag(acme('4800.00', { issueDate: '2026-03-01', dueDate: null }), acmeHistory).checked.includes('UNUSUAL_AMOUNT'));
  });
});

void describe('round amounts', () => {
  void it('notes a vendor’s round total when none of their earlier totals was round', () => {
    const anomaly = only(flag(northwindBill({ total: '1000.00' }), northwindHistory), 'ROUND_AMOUNT');
    assert.equal(anomaly.severity, 'info');
    assert.equal(anomaly.score, 0.3);
    assert.equal(
      anomaly.message,
      "The total is a round 1,000.00 EUR, and none of Northwind Supplies GmbH's 5 earlier EUR documents had a round total. " +
        'Made-up bills are often round: check what it is for before paying.',
    );
  });

  void it('notes a round total from a vendor with no history', () => {
    const anomaly = only(flag(northwindBill({ total: '3000.00' }), []), 'ROUND_AMOUNT');
    assert.match(anomaly.message, /^The total is a round 3,000\.00 EUR, and there is no earlier EUR document from Northwind Supplies GmbH\./);
  });

  const notRound: [string, FlagDocument, FlagDocument[]][] = [
    ['1,250.00 (not a multiple of 1,000)', northwindBill({ total: '1250.00' }), northwindHistory],
    ['a vendor whose totals are often round', northwindBill({ total: '3000.00' }), [...northwindHistory, { ...(northwindHistory[0] as FlagDocument), id: 'nw-0', total: '2000.00' }]],
    ['an outgoing invoice', acme('5000.00'), acmeHistory],
  ];
  for (const [name, doc, history] of notRound) {
    void it(`does not note ${name}`, () => none(flag(doc, history), 'ROUND_AMOUNT'));
  }
});
