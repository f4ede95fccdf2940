/** DATES_OUT_OF_ORDER, DATE_IN_FUTURE and DATE_TOO_OLD; today is 2026-06-15. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnomalyCode, FlagOptions } from '../../../src/ai/flag/index.ts';
import { acmeInvoice, codes, flag, only } from './helpers.ts';

const dateCodes: readonly AnomalyCode[] = ['DATES_OUT_OF_ORDER', 'DATE_IN_FUTURE', 'DATE_TOO_OLD'];

/** The date anomalies for an invoice with these dates, history empty (so it is a new client). */
function dateFlags(issueDate: string | null, dueDate: string | null, options: Partial<FlagOptions> = {}): AnomalyCode[] {
  return codes(flag(acmeInvoice({ issueDate, dueDate }), [], options)).filter((code) => dateCodes.includes(code));
}

void describe('date checks', () => {
  const cases: [name: string, issue: string | null, due: string | null, expected: AnomalyCode[], options?: Partial<FlagOptions>][] = [
    ['normal dates', '2026-06-10', '2026-07-10', []],
    ['due on the day of issue', '2026-06-10', '2026-06-10', []],
    ['due before issue', '2026-06-10', '2026-06-01', ['DATES_OUT_OF_ORDER']],
    ['no issue date at all', null, '2026-06-01', []],
    // 2026-06-15 + 365 days = 2027-06-15 (no 29 February in between).
    ['exactly futureDays ahead', '2027-06-15', null, []],
    ['one day more than futureDays ahead', '2027-06-16', null, ['DATE_IN_FUTURE']],
    ['tomorrow with futureDays 0', '2026-06-16', null, ['DATE_IN_FUTURE'], { futureDays: 0 }],
    // Two calendar years before 2026-06-15 is 2024-06-15.
    ['exactly two years ago', '2024-06-15', null, []],
    ['two years and a day ago', '2024-06-14', null, ['DATE_TOO_OLD']],
    ['29 February two years on: the limit is the 28th', '2026-02-28', null, [], { today: '2028-02-29' }],
    ['29 February two years on, a day earlier', '2026-02-27', null, ['DATE_TOO_OLD'], { today: '2028-02-29' }],
    ['old and out of order', '2021-03-10', '2021-03-01', ['DATES_OUT_OF_ORDER', 'DATE_TOO_OLD']],
  ];
  for (const [name, issue, due, expected, options] of cases) {
    void it(name, () => assert.deepEqual(dateFlags(issue, due, options), expected));
  }

  void it('says by how much the due date precedes the issue date', () => {
    const anomaly = only(flag(acmeInvoice({ issueDate: '2026-06-10', dueDate: '2026-06-01' })), 'DATES_OUT_OF_ORDER');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.9);
    assert.equal(anomaly.message, 'The due date 2026-06-01 is 9 days before the issue date 2026-06-10. Check both dates on the invoice.');
    assert.deepEqual(anomaly.evidence, { issueDate: '2026-06-10', dueDate: '2026-06-01', daysDueBeforeIssue: 9 });
  });

  void it('says how far in the future the issue date is', () => {
    const anomaly = only(flag(acmeInvoice({ issueDate: '2027-06-16', dueDate: null })), 'DATE_IN_FUTURE');
    assert.equal(anomaly.score, 0.8);
    assert.equal(anomaly.message, 'The issue date 2027-06-16 is 366 days after today (2026-06-15), more than 365 days ahead. Check the year.');
  });

  void it('says how old the issue date is', () => {
    // 2024-06-14 → 2025-06-14 → 2026-06-14 is 365 + 365 days, plus one to the 15th: 731.
    const anomaly = only(flag(acmeInvoice({ issueDate: '2024-06-14', dueDate: null })), 'DATE_TOO_OLD');
    assert.equal(anomaly.score, 0.6);
    assert.equal(
      anomaly.message,
      'The issue date 2024-06-14 is 731 days before today (2026-06-15), more than 2 years. ' +
        'Check the year; if it really is that old, check it was not already settled.',
    );
    assert.equal(anomaly.evidence['limitDate'], '2024-06-15');
  });

  void it('evaluates out-of-order dates only when both are there', () => {
    assert.ok(!flag(acmeInvoice({ dueDate: null })).checked.includes('DATES_OUT_OF_ORDER'));
    assert.ok(flag(acmeInvoice()).checked.includes('DATES_OUT_OF_ORDER'));
  });
});
