/** Every default template, filled from realistic records: the sentences a customer would read. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTemplates, draftReplyFromTemplate, ReplyConfidence } from '../../../src/ai/reply/index.ts';
import { context, openInvoice, order, overdueInvoice, paidInvoice, quote } from './fixtures.ts';

function lines(body: string): string[] {
  return body.split('\n');
}

void describe('default templates', () => {
  void it('cover every intent the inbox routes', () => {
    const intents = defaultTemplates.map((t) => t.intent);
    for (const intent of ['invoice_copy', 'payment_status', 'payment_reminder', 'refund_request', 'quote_request', 'complaint', 'change_address', 'update_details', 'cancel_order', 'general']) {
      assert.ok(intents.includes(intent), intent);
    }
  });

  void it('invoice_copy: names the invoice, its total and due date, the payment link, and signs off', () => {
    const draft = draftReplyFromTemplate('invoice_copy', context('Could you resend the invoice?', { invoice: openInvoice }, 'Invoice copy'));
    assert.equal(draft.subject, 'Re: Invoice copy');
    assert.equal(lines(draft.body)[0], 'Hello Jane Smith,');
    assert.match(draft.body, /please find attached a copy of invoice INV-1042 for \$1,250\.00\. It was issued on February 12, 2026\. Payment is due on March 14, 2026\./);
    assert.match(draft.body, /view and pay it online here: https:\/\/pay\.northwind\.example\/i\/INV-1042/);
    assert.ok(draft.body.endsWith('Kind regards,\nTom Baker\nNorthwind Design'));
    assert.deepEqual({ missing: draft.missing, provider: draft.provider, confidence: draft.confidence }, { missing: [], provider: 'builtin', confidence: ReplyConfidence.template });
  });

  void it('invoice_copy of a paid invoice asks for no payment', () => {
    const draft = draftReplyFromTemplate('invoice_copy', context('Need a copy for my accountant', { invoice: paidInvoice }));
    assert.match(draft.body, /copy of invoice INV-1042 for \$1,250\.00\./);
    assert.doesNotMatch(draft.body, /due|pay it online/i);
  });

  void it('payment_status of an unpaid invoice: not yet paid, due date, how to report a payment', () => {
    const draft = draftReplyFromTemplate('payment_status', context('When is this due?', { invoice: openInvoice }));
    assert.match(draft.body, /Thank you for asking about invoice INV-1042 for \$1,250\.00\./);
    assert.match(draft.body, /Our records show this invoice as not yet paid\. Payment is due on March 14, 2026\./);
    assert.match(draft.body, /please reply with the date and reference of the payment/);
  });

  void it('payment_status of a paid invoice: paid on the recorded day, in the business time zone', () => {
    const draft = draftReplyFromTemplate('payment_status', context('Did you get my payment?', { invoice: { ...paidInvoice, paidAt: '2026-03-02T23:30:00Z' } }), defaultTemplates, { timeZone: 'Pacific/Auckland' });
    assert.match(draft.body, /Our records show this invoice as paid on March 3, 2026\. Thank you for your payment\./);
    assert.doesNotMatch(draft.body, /reference of the payment/);
  });

  void it('payment_status reports an outstanding balance only when the records have one', () => {
    const partly = { ...openInvoice, status: 'partially_paid', amountDueMinor: 25000 };
    const draft = draftReplyFromTemplate('payment_status', context('How much is left?', { invoice: partly }));
    assert.match(draft.body, /Our records show this invoice as partially paid\. The amount outstanding is \$250\.00\./);
  });

  void it('payment_reminder: amount, due date, pay link, no threat and no new date', () => {
    const draft = draftReplyFromTemplate('payment_reminder', context('Did I forget something?', { invoice: overdueInvoice }, ''));
    assert.equal(draft.subject, 'Invoice INV-0998 is overdue');
    assert.match(draft.body, /friendly reminder that invoice INV-0998 for \$480\.00 was due on January 31, 2026 and is still open in our records\./);
    assert.match(draft.body, /You can pay it online here: https:\/\/pay\.northwind\.example\/i\/INV-0998/);
    assert.match(draft.body, /If you have already paid/);
  });

  void it('payment_reminder for an invoice the records show as paid says so instead of asking again', () => {
    const draft = draftReplyFromTemplate('payment_reminder', context('Reminder?', { invoice: paidInvoice }));
    assert.match(draft.body, /Our records show invoice INV-1042 as paid, so no further action is needed\./);
    assert.doesNotMatch(draft.body, /reminder|pay it online/i);
  });

  void it('refund_request: acknowledges, names who reviews it, promises nothing', () => {
    const draft = draftReplyFromTemplate('refund_request', context('I want my money back', { invoice: openInvoice }));
    assert.match(draft.body, /Thank you for getting in touch about a refund for invoice INV-1042\. We have received your request, and Tom Baker will review it and reply to you\./);
    assert.match(draft.body, /we can only confirm a refund once this review is complete/);
    assert.doesNotMatch(draft.body, /\$|%|will refund/);
  });

  void it('refund_request without a document asks for its number', () => {
    const draft = draftReplyFromTemplate('refund_request', context('Refund please', {}));
    assert.match(draft.body, /about a refund\. We have received your request/);
    assert.match(draft.body, /please reply with your order or invoice number and the reason for the refund/);
  });

  void it('quote_request with a quote record: number, amount in its own currency, validity', () => {
    const draft = draftReplyFromTemplate('quote_request', context('How much for a new logo?', { quote }));
    assert.match(draft.body, /Thank you for your interest in Northwind Design\./);
    assert.match(draft.body, /Please find attached our quote Q-77 for €2,400\.00\. It is valid until April 30, 2026\./);
  });

  void it('quote_request without a quote asks for the details, with no price', () => {
    const draft = draftReplyFromTemplate('quote_request', context('How much for a new logo?', {}));
    assert.match(draft.body, /We will prepare a quote for you\. So that it is accurate, please send us any details/);
    assert.doesNotMatch(draft.body, /\d/);
  });

  void it('complaint: apologises and says the owner follows up personally', () => {
    const draft = draftReplyFromTemplate('complaint', context('The prints arrived damaged.', { order }));
    assert.match(draft.body, /I am sorry about your experience with order SO-311\./);
    assert.match(draft.body, /I have passed your message to Tom Baker, who will look into it personally and follow up with you\./);
  });

  void it('change_address and update_details: acknowledge; a check before the change', () => {
    const address = draftReplyFromTemplate('change_address', context('We moved to 5 Elm St.', {}));
    assert.match(address.body, /Thank you for letting us know about your change of address\. We will update our records for Jane Smith/);
    assert.match(address.body, /we check every change of account details before it takes effect/);
    assert.doesNotMatch(address.body, /Elm/, 'the new address is not echoed');
    const details = draftReplyFromTemplate('update_details', context('New bank account: DE89 3704 0044 0532 0130 00', {}));
    assert.match(details.body, /Thank you for sending us your updated details\./);
    assert.doesNotMatch(details.body, /DE89|3704/);
  });

  void it('cancel_order: names the order, its date and status; does not confirm the cancellation', () => {
    const draft = draftReplyFromTemplate('cancel_order', context('Please cancel my order', { order }, 'Cancel'));
    assert.match(draft.body, /We have received your request to cancel order SO-311 of February 20, 2026\. Our records currently show the order as in production\./);
    assert.match(draft.body, /We will check whether the order can still be cancelled and confirm the outcome to you\./);
    assert.doesNotMatch(draft.body, /has been cancelled/);
  });

  void it('general: an acknowledgement with a lower confidence', () => {
    const draft = draftReplyFromTemplate('general', context('Are you open on Saturdays?', {}, 'Opening hours'));
    assert.equal(draft.subject, 'Re: Opening hours');
    assert.match(draft.body, /Thank you for your message\. We have received it and will get back to you as soon as possible\./);
    assert.equal(draft.confidence, ReplyConfidence.general);
  });
});

void describe('slot formatting', () => {
  void it('formats money in minor units by the currency (JPY has no decimals) and in the locale', () => {
    const yen = draftReplyFromTemplate('invoice_copy', context('copy?', { invoice: { number: 'A-1', totalMinor: 125000, currency: 'JPY' } }));
    assert.match(yen.body, /invoice A-1 for ¥125,000\./);
    const german = draftReplyFromTemplate('invoice_copy', context('copy?', { invoice: { ...openInvoice, currency: 'EUR' } }), defaultTemplates, { locale: 'de-DE' });
    assert.match(german.body, /invoice INV-1042 for 1\.250,00\s€\. It was issued on 12\. Februar 2026\./);
  });

  void it('reads a decimal total, and leaves out an amount whose currency is unknown', () => {
    const decimal = draftReplyFromTemplate('invoice_copy', context('copy?', { invoice: { number: 'A-2', total: '99.5', currency: 'GBP' } }));
    assert.match(decimal.body, /invoice A-2 for £99\.50\./);
    const noCurrency = draftReplyFromTemplate('invoice_copy', { message: { text: 'copy?' }, records: { invoice: { number: 'A-3', total: '99.50' } } });
    assert.match(noCurrency.body, /copy of invoice A-3\./);
    assert.doesNotMatch(noCurrency.body, /99/);
  });

  void it('greets the sender by display name when no client record names them, else plainly', () => {
    const byHeader = draftReplyFromTemplate('general', { message: { from: '"Ana López" <ana@example.es>', text: 'hola' } });
    assert.ok(byHeader.body.startsWith('Hello Ana López,'));
    const plain = draftReplyFromTemplate('general', { message: { from: 'ana@example.es', text: 'hola' } });
    assert.ok(plain.body.startsWith('Hello,'));
    assert.equal(plain.subject, 'Your message');
    assert.ok(plain.body.endsWith('Kind regards,'));
  });

  void it('keeps an existing reply prefix and makes the subject one line', () => {
    const draft = draftReplyFromTemplate('general', { message: { subject: 'RE: invoice\n  question', text: 'x' } });
    assert.equal(draft.subject, 'RE: invoice question');
  });
});
