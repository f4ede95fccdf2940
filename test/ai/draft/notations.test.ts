/** Every amount and quantity notation from the issue, each with a value worked out by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draft } from './helpers.ts';

function firstLine(sentence: string, options = {}): { currency: string; unitPrice: string; quantity: string; total: string; description: string } {
  const document = draft(sentence, options);
  const [line] = document.lines;
  assert.ok(line !== undefined);
  return { currency: document.currency, unitPrice: line.unitPrice, quantity: line.quantity, total: document.total, description: line.description };
}

void describe('amount notations', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['Invoice Acme $2,500 for design', 'USD', '2500.00'],
    ['Invoice Acme 2,500 USD for design', 'USD', '2500.00'],
    ['Invoice Acme USD 2500 for design', 'USD', '2500.00'],
    ['Invoice Acme €1.200,50 for design', 'EUR', '1200.50'],
    ['Invoice Acme 1 200,50 € for design', 'EUR', '1200.50'],
    ['Invoice Acme CHF 3\'200 for design', 'CHF', '3200.00'],
    ['Invoice Acme CHF 3’200 for design', 'CHF', '3200.00'], // typographic apostrophe
    ['Invoice Acme $12k for consulting', 'USD', '12000.00'],
    ['Invoice Acme $1.5m for the build', 'USD', '1500000.00'],
    ['Invoice Acme 1.5m EUR for the build', 'EUR', '1500000.00'],
    ['Invoice Acme £150 for repairs', 'GBP', '150.00'],
    ['Invoice Tanaka KK ¥250000 for translation', 'JPY', '250000'],
    ['Invoice Tanaka KK JPY 250000 for translation', 'JPY', '250000'],
    ['Invoice Sharma Exports ₹1,50,000 for packaging', 'INR', '150000.00'], // Indian grouping
    ['Invoice Acme 2,500.75 USD for design', 'USD', '2500.75'],
    ['Invoice Acme $500 CAD for design', 'CAD', '500.00'], // the code says which dollar
    ['Invoice Gulf Traders BHD 1,250.500 for freight', 'BHD', '1250.500'],
    ['Invoice Gulf Traders BHD 1.250 for freight', 'BHD', '1.250'], // 3 minor digits: "." is the decimal point
    ['Invoice Acme US$99.99 for hosting', 'USD', '99.99'],
  ];
  for (const [sentence, currency, unitPrice] of cases) {
    void it(sentence, () => {
      const line = firstLine(sentence);
      assert.equal(line.currency, currency);
      assert.equal(line.unitPrice, unitPrice);
      assert.equal(line.quantity, '1');
    });
  }

  void it('reads "$" as the default currency when that is a dollar currency', () => {
    assert.equal(firstLine('Invoice Acme $500 for design', { defaultCurrency: 'CAD' }).currency, 'CAD');
    assert.equal(firstLine('Invoice Acme $500 for design', { defaultCurrency: 'EUR' }).currency, 'USD');
  });

  void it('takes plain numbers ("12k", "500") in the default currency only when nothing has a currency', () => {
    const document = draft('Invoice Acme 12k for consulting', { defaultCurrency: 'EUR' });
    assert.equal(document.currency, 'EUR');
    assert.equal(document.total, '12000.00');
    assert.equal(document.confidence.currency, 0.5);
    assert.equal(document.confidence.lines, 0.6);
    assert.equal(draft('Invoice Foo LLC 2500 for design').total, '2500.00');
    // With a marked amount, "3" in "3 months" stays part of the description.
    assert.equal(firstLine('Quote Acme €400 for 3 months of SEO').description, '3 months of SEO');
  });

  void it('marks "€1.200" (one dot, three digits) as a guess, but not "$2,500"', () => {
    const dotted = draft('Invoice Acme €1.200 for design');
    assert.equal(dotted.total, '1200.00');
    assert.equal(dotted.confidence.lines, 0.8);
    assert.equal(draft('Invoice Acme $2,500 for design').confidence.lines, 1);
  });
});

void describe('quantities', () => {
  void it('3 hrs @ $85/hr is 3 × 85.00 = 255.00', () => {
    assert.deepEqual(firstLine('Invoice Acme 3 hrs @ $85/hr'), { currency: 'USD', unitPrice: '85.00', quantity: '3', total: '255.00', description: 'Services' });
  });

  void it('2 x $40 and $40 x 2 are 80.00', () => {
    assert.deepEqual(firstLine('Invoice Acme 2 x $40 for cables'), { currency: 'USD', unitPrice: '40.00', quantity: '2', total: '80.00', description: 'cables' });
    assert.deepEqual(firstLine('Invoice Acme $40 x 2 for cables'), { currency: 'USD', unitPrice: '40.00', quantity: '2', total: '80.00', description: 'cables' });
  });

  void it('$85/hr for 3 hours of consulting', () => {
    assert.deepEqual(firstLine('Invoice Acme $85/hr for 3 hours of consulting'), {
      currency: 'USD', unitPrice: '85.00', quantity: '3', total: '255.00', description: 'consulting',
    });
  });

  void it('10 reams of paper at $5 each: the words are the description', () => {
    const document = draft('PO to Staples for 10 reams of paper at $5 each');
    assert.equal(document.kind, 'purchase_order');
    assert.equal(document.client.name, 'Staples');
    assert.deepEqual(document.lines, [{ description: 'reams of paper', quantity: '10', unitPrice: '5.00', taxRate: null }]);
    assert.equal(document.total, '50.00');
  });

  void it('1.5 hrs @ $85.25/hr rounds 127.875 half up to 127.88', () => {
    assert.deepEqual(firstLine('Invoice Acme 1.5 hrs @ $85.25/hr'), { currency: 'USD', unitPrice: '85.25', quantity: '1.5', total: '127.88', description: 'Services' });
  });
});

void describe('several lines and descriptions', () => {
  void it('$500 for design and $1,200 for development', () => {
    const document = draft('Invoice Acme Ltd $500 for design and $1,200 for development');
    assert.deepEqual(document.lines, [
      { description: 'design', quantity: '1', unitPrice: '500.00', taxRate: null },
      { description: 'development', quantity: '1', unitPrice: '1200.00', taxRate: null },
    ]);
    assert.equal(document.subtotal, '1700.00');
    assert.equal(document.total, '1700.00');
  });

  void it('descriptions before their amounts: "design $500, hosting $20"', () => {
    const document = draft('Invoice Acme: design $500, hosting $20');
    assert.deepEqual(document.lines.map((line) => [line.description, line.unitPrice]), [['design', '500.00'], ['hosting', '20.00']]);
    assert.equal(document.total, '520.00');
  });

  void it('a description between client and amount: "Invoice Acme Ltd for website development $2,500"', () => {
    const document = draft('Invoice Acme Ltd for website development $2,500');
    assert.equal(document.client.name, 'Acme Ltd');
    assert.equal(document.lines[0]?.description, 'website development');
  });

  void it('defaults: "Services", and for a credit note "Credit for <reference>"', () => {
    assert.equal(draft('Invoice Acme $500').lines[0]?.description, 'Services');
    assert.equal(draft('Credit note Acme £20').lines[0]?.description, 'Credit');
    assert.equal(draft('Credit note Acme £20, ref INV-0007').lines[0]?.description, 'Credit for INV-0007');
  });
});

void describe('kinds and clients', () => {
  const kinds: readonly (readonly [string, string])[] = [
    ['Invoice Acme $5', 'invoice'],
    ['bill Acme $5', 'invoice'],
    ['Charge Acme $5', 'invoice'],
    ['Quote Acme $5', 'quote'],
    ['Quotation for Acme $5', 'quote'],
    ['Proposal for Acme $5', 'quote'],
    ['Estimate for Acme $5', 'estimate'],
    ['PO to Acme $5', 'purchase_order'],
    ['Purchase order to Acme $5', 'purchase_order'],
    ['Credit note for Acme $5', 'credit_note'],
    ['Refund Acme $5', 'credit_note'],
    ['Credit Acme $5', 'credit_note'],
    ['Receipt for Acme $5', 'receipt'],
  ];
  for (const [sentence, kind] of kinds) {
    void it(`${sentence} → ${kind}`, () => {
      const document = draft(sentence);
      assert.equal(document.kind, kind);
      assert.equal(document.client.name, 'Acme');
    });
  }

  void it('defaults the kind to invoice with low confidence when none is named', () => {
    const document = draft('Acme Ltd $500 for design');
    assert.equal(document.kind, 'invoice');
    assert.equal(document.confidence.kind, 0.3);
    assert.equal(document.client.name, 'Acme Ltd');
  });

  void it('finds the client in other places, with lower confidence', () => {
    const after = draft('Invoice $500 for design to Acme Ltd');
    assert.equal(after.client.name, 'Acme Ltd');
    assert.equal(after.confidence.client, 0.7);
    assert.equal(after.lines[0]?.description, 'design');
    const before = draft('Send Acme Corp an invoice for $500');
    assert.equal(before.client.name, 'Acme Corp');
    assert.equal(before.confidence.client, 0.7);
    const lowerCase = draft('bill jones plumbing $90');
    assert.equal(lowerCase.client.name, 'jones plumbing');
    assert.equal(lowerCase.confidence.client, 0.6);
  });

  void it('reads references: INV-0042, #1234, ref 88-A1', () => {
    assert.equal(draft('Credit note Acme £5 on invoice INV-0042').reference, 'INV-0042');
    assert.equal(draft('Invoice Acme $5 for order #1234').reference, '1234');
    assert.equal(draft('Invoice Acme $5, ref 88-A1').reference, '88-A1');
    assert.equal(draft('Invoice Acme $5, PO-7781').kind, 'invoice');
    assert.equal(draft('Invoice Acme $5, PO-7781').reference, 'PO-7781');
  });
});
