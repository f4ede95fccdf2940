/**
 * Relative dates, counted by hand from 2026-11-22 (a Sunday). November has 30 days.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draft } from './helpers.ts';

void describe('due dates', () => {
  const cases: readonly (readonly [string, string, number])[] = [
    ['due in 14 days', '2026-12-06', 1], // 22 + 14 = 36 → Dec 6
    ['net 30', '2026-12-22', 1], // 22 + 30 = 52 → Dec 22
    ['Net-15', '2026-12-07', 1],
    ['payable within 30 days', '2026-12-22', 1],
    ['due in 2 weeks', '2026-12-06', 1],
    ['due in 1 month', '2026-12-22', 1],
    ['due end of month', '2026-11-30', 1],
    ['due at the end of next month', '2026-12-31', 1],
    ['due next Friday', '2026-11-27', 0.9], // the Friday of the coming week
    ['due 2026-12-01', '2026-12-01', 1],
    ['due Dec 1', '2026-12-01', 0.9],
    ['due on December 15th', '2026-12-15', 0.9],
    ['due Jan 5', '2027-01-05', 0.9], // a day already past this year means next year
    ['due on receipt', '2026-11-22', 1],
    ['due 12/01/2026', '2026-12-01', 0.6], // month first, but 1 December or 12 January?
  ];
  for (const [phrase, dueDate, confidence] of cases) {
    void it(`Invoice Acme $500 for design ${phrase} → ${dueDate}`, () => {
      const document = draft(`Invoice Acme $500 for design ${phrase}`);
      assert.equal(document.dueDate, dueDate);
      assert.equal(document.confidence.dueDate, confidence);
      // The date phrase never leaks into the description.
      assert.equal(document.lines[0]?.description, 'design');
    });
  }

  void it('counts net terms from a stated issue date: dated Nov 1, net 30 → Dec 1', () => {
    const document = draft('Invoice Acme $500 dated Nov 1, net 30');
    assert.equal(document.issueDate, '2026-11-01');
    assert.equal(document.dueDate, '2026-12-01');
    assert.equal(document.confidence.issueDate, 0.9);
  });

  void it('issued 2026-11-01, due in 14 days → 2026-11-15', () => {
    const document = draft('Invoice Acme $500 issued 2026-11-01 due in 14 days');
    assert.equal(document.issueDate, '2026-11-01');
    assert.equal(document.dueDate, '2026-11-15');
  });

  void it('clamps a month offset to the end of a shorter month: Jan 31 + 1 month → Feb 28', () => {
    assert.equal(draft('Invoice Acme $500 due in 1 month', { today: '2027-01-31' }).dueDate, '2027-02-28');
    assert.equal(draft('Invoice Acme $500 due end of month', { today: '2028-02-10' }).dueDate, '2028-02-29');
  });

  void it('leaves the due date empty, with low confidence, when an invoice states none', () => {
    const document = draft('Invoice Acme $500');
    assert.equal(document.dueDate, null);
    assert.equal(document.confidence.dueDate, 0.5);
    assert.equal(document.issueDate, '2026-11-22');
    assert.equal(document.confidence.issueDate, 0.8);
  });
});

void describe('validity of quotes and estimates', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['Quote Acme $500, valid 30 days', '2026-12-22'],
    ['Quote Acme $500, valid for 2 weeks', '2026-12-06'],
    ['Estimate Acme $500 valid until Dec 31', '2026-12-31'],
    ['Quote Acme $500, valid through 2027-01-15', '2027-01-15'],
    ['Quote Acme $500, expires Jan 5', '2027-01-05'],
  ];
  for (const [sentence, validUntil] of cases) {
    void it(`${sentence} → ${validUntil}`, () => {
      const document = draft(sentence);
      assert.equal(document.validUntil, validUntil);
      assert.equal(document.dueDate, null);
    });
  }

  void it('gives a quote no due date and an invoice no validity', () => {
    const quote = draft('Quote Acme $500 due in 14 days');
    assert.equal(quote.dueDate, null);
    assert.equal(quote.confidence.dueDate, 0.8); // stated but does not apply
    const invoice = draft('Invoice Acme $500, valid 30 days');
    assert.equal(invoice.validUntil, null);
  });
});
