/** Every way a sentence or the options can be refused, each with its stable code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpStatusFor } from '../../../src/core/errors.ts';
import { parseDocumentSentence } from '../../../src/ai/draft/index.ts';
import type { ParseDocumentOptions } from '../../../src/ai/draft/index.ts';
import { draft, draftFails, TODAY } from './helpers.ts';

void describe('sentence errors', () => {
  void it('DRAFT_SENTENCE_EMPTY for empty, blank and non-string input', () => {
    for (const sentence of ['', '   ', '\n\t']) draftFails(sentence, 'DRAFT_SENTENCE_EMPTY');
    assert.throws(() => parseDocumentSentence(undefined as unknown as string, { today: TODAY }), { code: 'DRAFT_SENTENCE_EMPTY' });
  });

  void it('DRAFT_SENTENCE_TOO_LONG beyond 1000 characters', () => {
    const error = draftFails(`Invoice Acme $5 for ${'x'.repeat(1000)}`, 'DRAFT_SENTENCE_TOO_LONG');
    assert.match(error.message, /1000/);
  });

  void it('DRAFT_AMOUNT_MISSING when no amount is written, saying what to write', () => {
    const error = draftFails('Invoice Acme for website development', 'DRAFT_AMOUNT_MISSING');
    assert.match(error.message, /No amount found/);
    assert.equal(error.details?.['path'], 'lines');
    assert.equal(httpStatusFor(error), 400);
  });

  void it('DRAFT_CURRENCY_UNKNOWN for "XYZ 100" and "100 XYZ", naming the code', () => {
    const error = draftFails('Invoice Acme XYZ 100 for design', 'DRAFT_CURRENCY_UNKNOWN');
    assert.match(error.message, /"XYZ"/);
    draftFails('Invoice Acme 100 XYZ for design', 'DRAFT_CURRENCY_UNKNOWN');
    // Not tender: gold is in ISO 4217 but is not invoiced in.
    draftFails('Invoice Acme XAU 100 for design', 'DRAFT_CURRENCY_UNKNOWN');
  });

  void it('DRAFT_CURRENCY_MIXED for two currencies', () => {
    draftFails('Invoice Acme $500 for design and €300 for hosting', 'DRAFT_CURRENCY_MIXED');
    draftFails('Invoice Acme €500 USD', 'DRAFT_CURRENCY_MIXED');
  });

  void it('DRAFT_AMOUNT_NEGATIVE outside a credit note; a credit note keeps the amount positive', () => {
    const error = draftFails('Invoice Acme -$50 for design', 'DRAFT_AMOUNT_NEGATIVE');
    assert.match(error.message, /-\$50/);
    draftFails('Quote Acme $-50', 'DRAFT_AMOUNT_NEGATIVE');
    draftFails('Invoice Acme -50 EUR', 'DRAFT_AMOUNT_NEGATIVE');
    const credit = draft('Credit note Acme -£20 for returned goods');
    assert.equal(credit.lines[0]?.unitPrice, '20.00');
    assert.equal(credit.total, '20.00');
  });

  void it('DRAFT_AMOUNT_TOO_LARGE above 10^12 per price or in total', () => {
    assert.equal(draft('Invoice Acme $1,000,000,000,000').total, '1000000000000.00');
    draftFails('Invoice Acme $1,000,000,000,000.01', 'DRAFT_AMOUNT_TOO_LARGE');
    draftFails('Invoice Acme $2,000,000,000,000 for everything', 'DRAFT_AMOUNT_TOO_LARGE');
    draftFails('Invoice Acme 2 x $600,000,000,000', 'DRAFT_AMOUNT_TOO_LARGE'); // 1.2 × 10^12 in total
    draftFails(`Invoice Acme $${'9'.repeat(40)}`, 'DRAFT_AMOUNT_TOO_LARGE');
  });

  void it('DRAFT_AMOUNT_PRECISION for more decimals than the currency has', () => {
    const error = draftFails('Invoice Acme $12.3456 for design', 'DRAFT_AMOUNT_PRECISION');
    assert.match(error.message, /USD allows \(2\)/);
    draftFails('Invoice Acme ¥100.5', 'DRAFT_AMOUNT_PRECISION');
  });

  void it('DRAFT_CLIENT_MISSING when nobody is named', () => {
    const error = draftFails('Invoice $500 for website development', 'DRAFT_CLIENT_MISSING');
    assert.match(error.message, /No client found/);
    assert.equal(error.details?.['path'], 'client.name');
  });

  void it('DRAFT_TAX_RATE_INVALID above 100%', () => {
    draftFails('Invoice Acme $500 + 150% VAT', 'DRAFT_TAX_RATE_INVALID');
  });

  void it('DRAFT_QUANTITY_INVALID for zero or absurd quantities', () => {
    draftFails('Invoice Acme 0 x $40', 'DRAFT_QUANTITY_INVALID');
    draftFails('Invoice Acme 2000000 x $1', 'DRAFT_QUANTITY_INVALID');
  });
});

void describe('option errors', () => {
  function optionFails(options: Partial<ParseDocumentOptions>, code: string, path: string): void {
    assert.throws(
      () => parseDocumentSentence('Invoice Acme $5', { today: TODAY, ...options } as ParseDocumentOptions),
      (error: unknown) => (error as { code?: string }).code === code && (error as { details?: Record<string, unknown> }).details?.['path'] === path,
    );
  }

  void it('rejects a missing or impossible today', () => {
    optionFails({ today: '2026-02-30' }, 'DRAFT_OPTION_INVALID', 'today');
    optionFails({ today: '22/11/2026' }, 'DRAFT_OPTION_INVALID', 'today');
    optionFails({ today: undefined as unknown as string }, 'DRAFT_OPTION_INVALID', 'today');
  });

  void it('rejects an unknown default currency and an impossible default tax rate', () => {
    optionFails({ defaultCurrency: 'XYZ' }, 'DRAFT_CURRENCY_UNKNOWN', 'defaultCurrency');
    optionFails({ defaultCurrency: 'usd' }, 'DRAFT_CURRENCY_UNKNOWN', 'defaultCurrency');
    optionFails({ defaultTaxRate: '120' }, 'DRAFT_TAX_RATE_INVALID', 'defaultTaxRate');
    optionFails({ defaultTaxRate: 'nineteen' }, 'DRAFT_TAX_RATE_INVALID', 'defaultTaxRate');
  });
});
